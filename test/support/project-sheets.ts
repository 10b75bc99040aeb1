import ExcelJS from 'exceljs';

/** Workbooks in the layout of the project import's template (src/imports/project-import.ts), for the API and browser tests. */
const PROJECT_HEADERS = [
  '项目代码', '项目名称', '渠道', '项目单位', '领域', '建设地点', '建设内容', '总投资（万元）', '申请资金（万元）',
  '资金筹措-中央预算内投资（万元）', '资金筹措-地方政府专项债券（万元）', '资金筹措-地方财政资金（万元）', '资金筹措-业主自筹（万元）', '资金筹措-其他资金（万元）',
  '起止年限', '计划申报年度', '存续期项目收益（万元）', '存续期债券本息（万元）', '责任单位', '联系人', '联系电话', '阶段',
];
const FUND_HEADERS = ['项目代码', '类型', '年度', '金额（万元）', '文号', '日期', '发行批次', '债券代码', '期限（年）', '票面利率（%）'];

let serial = 100_000 + Math.floor(Math.random() * 800_000);
export const code = () => `2024-330102-48-01-${String(serial++).padStart(6, '0')}`;

export async function workbookOf(projects: Record<string, unknown>[], funds: Record<string, unknown>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const add = (title: string, headers: string[], rows: Record<string, unknown>[]) => {
    const sheet = workbook.addWorksheet(title);
    sheet.addRow(headers);
    for (const row of rows) sheet.addRow(headers.map((h) => row[h] ?? null));
  };
  add('项目', PROJECT_HEADERS, projects);
  add('资金记录', FUND_HEADERS, funds);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}


/**
 * A bureau's own ledger, not the template (docs/domain.md, "Importing from a
 * ledger"): its columns in its order and words, each with the template column
 * it should be mapped to (none for those the system does not use).
 */
export const LEDGER: [string, string | undefined][] = [
  ['序号', undefined],
  ['项目名称', 'name'],
  ['项目编码', 'projectCode'],
  ['建设单位', 'orgName'],
  ['所属行业', 'field'],
  ['资金渠道', 'channel'],
  ['总投资(万元)', 'totalInvestment'],
  ['申请资金（万元）', 'requestedAmount'],
  ['中央预算内资金', 'funding_centralBudget'],
  ['地方财政资金', 'funding_localFiscal'],
  ['建设年限', 'years'],
  ['项目阶段', 'stage'],
  ['备注', undefined],
  ['联系人', 'contact'],
];

/** A ledger sheet: a merged title, a line of who filled it, the header row (row 3), then a row per project (序号 counted). */
export async function ledgerOf(rows: Record<string, unknown>[], options: { sheet?: string; extraHeaders?: string[]; total?: boolean } = {}): Promise<Buffer> {
  const headers = [...LEDGER.map(([h]) => h), ...(options.extraHeaders ?? [])];
  const title = options.sheet ?? '重点项目台账';
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(title);
  sheet.addRow([title]);
  sheet.mergeCells(1, 1, 1, headers.length);
  sheet.addRow(['填报单位：某某区发展和改革局']);
  sheet.mergeCells(2, 1, 2, 6);
  sheet.addRow(headers);
  rows.forEach((row, i) => sheet.addRow(headers.map((h) => (h === '序号' ? i + 1 : (row[h] ?? null)))));
  // Ledgers often end with a line of totals.
  if (options.total) sheet.addRow(headers.map((h) => (h === '项目名称' ? '合  计' : h === '总投资(万元)' ? rows.reduce((sum, row) => sum + Number(row[h] ?? 0), 0) : null)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
