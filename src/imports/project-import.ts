import { Types } from 'mongoose';
import { z } from 'zod';
import { messages } from '../../workflows/messages';
import { fundingSourceLabels, fundingSources } from '../../workflows/money';
import { PROJECT_CODE_EXAMPLE } from '../../workflows/project-code';
import {
  fundingRowSchema,
  fundingRowTypes,
  IMPORT_EVENT,
  importableStages,
  importedMoney,
  stageNamed,
  type FundingItem,
  type FundingRowType,
  type ImportEntryData,
  type ImportProblem,
} from '../../workflows/project-import';
import { validProjectFacts } from '../../workflows/project-input';
import { responsibilityInput, type Responsibility } from '../../workflows/responsibility';
import { currentMachineVersion } from '../../workflows/machines';
import type { FundingPlan, WorkflowRecord } from '../../workflows/project-state';
import { channelLabels, channels, fieldLabels, fields, stageLabels, type Channel, type Field, type Stage } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { organisationExists, organisationsByName } from '../accounts/accounts.service';
import { catalogue } from '../projects/catalogue';
import { historyEntry } from '../projects/history';
import { claimCodes } from '../projects/project-codes';
import { insertProjects } from '../projects/project.repository';
import type { ProjectDoc } from '../projects/project.model';
import { logger } from '../shared/logger';
import type { CurrentUser } from '../shared/current-user';
import type { ImportKind, LocatedSheets } from './import-kind';
import { cellDay, cellNumber, sheetRows, writeWorkbook, type Cell, type CellError, type ImportColumn } from './workbook';

/**
 * Projects from the bureau's own ledgers (docs/domain.md, "Importing
 * projects"): one sheet of projects, one of their funding records. Every row
 * is checked with the rules the project form and the money records use; a
 * project whose code is already in the system is left as it is (so a second
 * import of the same file changes nothing), with its funding rows.
 */
export interface ProjectImportRow {
  /** The id the project will have, fixed at the check so a commit finished after a stop stores it once. */
  id: string;
  projectCode: string;
  /** Already in the system when checked: nothing is saved for it. */
  existing?: true;
  name: string;
  orgId?: string;
  channel?: Channel;
  stage?: Stage;
  facts?: Record<string, unknown>;
  record?: WorkflowRecord;
  /** The unit, contact and phone the ledger named. */
  responsibility?: Responsibility;
}

const PROJECTS_SHEET = '项目';
const FUNDS_SHEET = '资金记录';

const wanNote = '万元，最多四位小数（精确到元）';
const fundingColumns: ImportColumn[] = fundingSources.map((source) => ({ key: `funding_${source}`, header: `资金筹措-${fundingSourceLabels[source]}（万元）`, note: wanNote, width: 18 }));

export const projectColumns: readonly ImportColumn[] = [
  { key: 'projectCode', header: '项目代码', required: true, note: `全国投资项目在线审批监管平台赋码，如 ${PROJECT_CODE_EXAMPLE}`, width: 26 },
  { key: 'name', header: '项目名称', required: true, width: 36 },
  { key: 'channel', header: '渠道', required: true, choices: channels.map((c) => channelLabels[c]), width: 18 },
  { key: 'orgName', header: '项目单位', required: true, note: '须为系统中已有的单位名称', width: 24 },
  { key: 'field', header: '领域', required: true, choices: fields.map((f) => fieldLabels[f]), width: 14 },
  { key: 'location', header: '建设地点', width: 20 },
  { key: 'description', header: '建设内容', width: 40 },
  { key: 'totalInvestment', header: '总投资（万元）', required: true, note: wanNote, width: 16 },
  { key: 'requestedAmount', header: '申请资金（万元）', required: true, note: wanNote, width: 16 },
  ...fundingColumns,
  { key: 'years', header: '起止年限', required: true, note: '如 2025-2027', width: 14 },
  { key: 'applicationYear', header: '计划申报年度', width: 12 },
  { key: 'projectedRevenue', header: '存续期项目收益（万元）', note: '专项债券项目填写', width: 18 },
  { key: 'debtService', header: '存续期债券本息（万元）', note: '专项债券项目填写', width: 18 },
  { key: 'unit', header: '责任单位', note: '负责项目实施的单位，可与项目单位相同', width: 20 },
  { key: 'contact', header: '联系人', width: 12 },
  { key: 'phone', header: '联系电话', note: '手机号或座机号，如 0571-88888888', width: 16 },
  { key: 'stage', header: '阶段', required: true, choices: importableStages.map((s) => stageLabels[s]), note: '项目目前所处的阶段', width: 16 },
];

export const fundsColumns: readonly ImportColumn[] = [
  { key: 'projectCode', header: '项目代码', required: true, width: 26 },
  { key: 'type', header: '类型', required: true, choices: fundingRowTypes, note: '中央预算内投资：下达（首次）、追加下达；专项债券：额度（首笔即下达）、发行', width: 10 },
  { key: 'year', header: '年度', note: '发行记录可不填（按发行日期）', width: 8 },
  { key: 'amount', header: '金额（万元）', required: true, note: wanNote, width: 14 },
  { key: 'docNo', header: '文号', note: '下达、追加下达、额度必填', width: 26 },
  { key: 'date', header: '日期', required: true, note: '下达日期或发行日期，如 2026-03-01', width: 12 },
  { key: 'batch', header: '发行批次', width: 14 },
  { key: 'bondCode', header: '债券代码', width: 14 },
  { key: 'termYears', header: '期限（年）', width: 10 },
  { key: 'rate', header: '票面利率（%）', width: 12 },
];

const headerOf = (columns: readonly ImportColumn[], key: string) => columns.find((c) => c.key === key)?.header ?? key;

/** Where a form rule's complaint goes: the column that holds the field. */
const columnOfPath: Record<string, string> = { startYear: 'years', endYear: 'years', funding: 'totalInvestment', 'financing.projectedRevenue': 'projectedRevenue', 'financing.debtService': 'debtService' };

const channelByLabel = new Map<string, Channel>(channels.map((c) => [channelLabels[c], c]));
const fieldByLabel = new Map<string, Field>(fields.map((f) => [fieldLabels[f], f]));

interface Amount {
  yuan?: number;
  problem?: string;
}

/** An amount typed in 万元 as whole yuan; more than four decimals is the form's own complaint. */
function yuanOf(cell: Cell, label: string): Amount {
  if (cell === undefined) return {};
  const wan = cellNumber(cell);
  if (wan === undefined) return { problem: `${label}应为数字（万元）` };
  const yuan = wan * 10_000;
  if (Math.abs(yuan - Math.round(yuan)) > 1e-6) return { problem: messages.amountPrecision };
  return { yuan: Math.round(yuan) };
}

const text = (cell: Cell): string | undefined => (cell === undefined ? undefined : cell instanceof Date ? chinaDay(cell) : String(cell).trim());

function yearsOf(cell: Cell): { startYear?: number; endYear?: number } {
  const found = text(cell)?.match(/\d{4}/g);
  if (!found) return {};
  return { startYear: Number(found[0]), endYear: Number(found[1] ?? found[0]) };
}

interface CheckedProject {
  row: number;
  value: ProjectImportRow;
  problems: { column: string; message: string }[];
}

/** One project row, checked with the project form's rules. */
function checkProjectRow(cells: Record<string, Cell>, orgs: Map<string, string>): CheckedProject['problems'] & { value?: Omit<ProjectImportRow, 'id' | 'record'> } {
  const problems: CheckedProject['problems'] & { value?: Omit<ProjectImportRow, 'id' | 'record'> } = [];
  const add = (column: string, message: string) => {
    if (!problems.some((p) => p.column === column)) problems.push({ column, message });
  };
  const channel = cells.channel === undefined ? undefined : channelByLabel.get(String(cells.channel));
  if (cells.channel !== undefined && !channel) add('channel', `渠道应为“${channelLabels.central_budget}”或“${channelLabels.special_bond}”`);
  const field = cells.field === undefined ? undefined : fieldByLabel.get(String(cells.field));
  if (cells.field !== undefined && !field) add('field', '领域请从下拉列表中选择');
  const orgName = text(cells.orgName);
  const orgId = orgName ? orgs.get(orgName) : undefined;
  if (!orgName) add('orgName', messages.projectOrganisationMissing);
  else if (!orgId) add('orgName', `系统中没有名为“${orgName}”的单位，请先由管理员添加`);
  const stage = cells.stage === undefined ? undefined : stageNamed(String(cells.stage), channel);
  if (cells.stage === undefined) add('stage', '请填写项目所处的阶段');
  else if (!stage) add('stage', '阶段请从下拉列表中选择（已终结的项目不导入）');
  const amounts: Record<string, number | undefined> = {};
  for (const key of ['totalInvestment', 'requestedAmount', 'projectedRevenue', 'debtService', ...fundingSources.map((s) => `funding_${s}`)]) {
    const amount = yuanOf(cells[key], headerOf(projectColumns, key).replace('（万元）', ''));
    if (amount.problem) add(key, amount.problem);
    amounts[key] = amount.yuan;
  }
  const funding = Object.fromEntries(fundingSources.map((s) => [s, amounts[`funding_${s}`] ?? 0])) as unknown as FundingPlan;
  const applicationYear = cellNumber(cells.applicationYear);
  if (cells.applicationYear !== undefined && applicationYear === undefined) add('applicationYear', '计划申报年度应为年份');
  const financing = amounts.projectedRevenue !== undefined || amounts.debtService !== undefined ? { projectedRevenue: amounts.projectedRevenue ?? 0, debtService: amounts.debtService ?? 0 } : undefined;
  const facts = {
    channel: channel ?? 'central_budget',
    name: text(cells.name) ?? '',
    projectCode: text(cells.projectCode) ?? '',
    field: field ?? 'other',
    location: text(cells.location),
    description: text(cells.description),
    totalInvestment: amounts.totalInvestment ?? 0,
    requestedAmount: amounts.requestedAmount ?? 0,
    funding,
    ...yearsOf(cells.years),
    ...(applicationYear !== undefined ? { applicationYear } : {}),
    ...(financing ? { financing } : {}),
  };
  const parsed = validProjectFacts.safeParse(facts);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const key = columnOfPath[path.join('.')] ?? columnOfPath[path[0]!] ?? (path[0] === 'funding' && path[1] ? `funding_${path[1]}` : path[0]!);
      const column = projectColumns.some((c) => c.key === key) ? key : 'name';
      add(column, issue.message);
    }
  }
  if (!text(cells.projectCode)) add('projectCode', '请填写项目代码');
  const contact = responsibilityInput.pick({ unit: true, contact: true, phone: true }).safeParse({ unit: text(cells.unit), contact: text(cells.contact), phone: text(cells.phone) });
  if (!contact.success) for (const issue of contact.error.issues) add(String(issue.path[0]), issue.message);
  const responsibility = contact.success ? Object.fromEntries(Object.entries(contact.data).filter(([, v]) => v)) : {};
  if (!problems.length && parsed.success && channel && stage && orgId) {
    const { projectCode, ...rest } = parsed.data;
    problems.value = { projectCode: projectCode!, name: parsed.data.name, orgId, channel, stage, facts: rest, ...(Object.keys(responsibility).length ? { responsibility } : {}) };
  }
  return problems;
}

/** One funding row, checked with the money records' schemas. */
function checkFundingRow(row: number, cells: Record<string, Cell>): { item?: FundingItem; problems: { column: string; message: string }[] } {
  const problems: { column: string; message: string }[] = [];
  const add = (column: string, message: string) => {
    if (!problems.some((p) => p.column === column)) problems.push({ column, message });
  };
  const type = fundingRowTypes.find((t) => t === text(cells.type)) as FundingRowType | undefined;
  if (!type) add('type', `类型应为${fundingRowTypes.map((t) => `“${t}”`).join('、')}之一`);
  const amount = yuanOf(cells.amount, '金额');
  if (amount.problem) add('amount', amount.problem);
  if (!type) return { problems };
  const date = cellDay(cells.date);
  const year = cellNumber(cells.year);
  const data =
    type === '发行'
      ? { batch: text(cells.batch), bondCode: text(cells.bondCode), amount: amount.yuan, termYears: cellNumber(cells.termYears), rate: cellNumber(cells.rate), issueDate: date }
      : { year: year ?? (date ? Number(date.slice(0, 4)) : undefined), amount: amount.yuan, docNo: text(cells.docNo), date };
  const parsed = (fundingRowSchema[type] as z.ZodType).safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'amount');
      add(key === 'issueDate' ? 'date' : key, issue.message);
    }
  }
  return parsed.success && !problems.length ? { item: { row, type, data: parsed.data } as FundingItem, problems } : { problems };
}

const thisDay = () => chinaDay(new Date());

/** Both sheets, checked together: funding rows name projects of the first sheet or of the system. */
async function checkWorkbook(sheets: LocatedSheets): Promise<{ rows: { row: number; value: ProjectImportRow }[]; errors: CellError[] }> {
  const projectSheet = sheets.get(PROJECTS_SHEET);
  const fundsSheet = sheets.get(FUNDS_SHEET);
  const errors: CellError[] = [];
  if (!projectSheet?.sheet) return { rows: [], errors: [{ row: 1, column: headerOf(projectColumns, 'projectCode'), message: '工作簿中没有“项目”工作表，请使用导入模板' }] };
  const projects = sheetRows(projectSheet.sheet, projectColumns, projectSheet.layout);
  const funds = fundsSheet?.sheet ? sheetRows(fundsSheet.sheet, fundsColumns, fundsSheet.layout) : { rows: [], errors: [], label: (key: string) => headerOf(fundsColumns, key) };
  const sheetError = (sheet: string, label: (key: string) => string) => (row: number, key: string, message: string) => errors.push({ row, column: `${sheet}·${label(key)}`, message });
  const projectError = sheetError(PROJECTS_SHEET, projects.label);
  const fundsError = sheetError(FUNDS_SHEET, funds.label);
  for (const e of projects.errors) errors.push({ ...e, column: `${PROJECTS_SHEET}·${e.column}` });
  for (const e of funds.errors) errors.push({ ...e, column: `${FUNDS_SHEET}·${e.column}` });
  if (errors.length) return { rows: [], errors };
  if (!projects.rows.length) return { rows: [], errors: [{ row: (projectSheet.layout?.headerRow ?? 1) + 1, column: `${PROJECTS_SHEET}·${projects.label('projectCode')}`, message: '表中没有要导入的项目' }] };

  const orgs = organisationsByName();
  const known = { has: (c: string) => catalogue.withCode(c) !== undefined, get: (c: string) => catalogue.withCode(c)?.id };
  const checked = new Map<string, { row: number; value: Omit<ProjectImportRow, 'id' | 'record'> | undefined; items: FundingItem[] }>();
  const codeRow = new Map<string, number>();
  for (const { row, cells } of projects.rows) {
    const problems = checkProjectRow(cells, orgs);
    for (const p of problems) projectError(row, p.column, p.message);
    const code = problems.value?.projectCode ?? text(cells.projectCode);
    if (!code) continue;
    const earlier = codeRow.get(code);
    if (earlier !== undefined) {
      projectError(row, 'projectCode', `与第 ${earlier} 行的项目代码相同，每个项目只能有一行`);
      continue;
    }
    codeRow.set(code, row);
    checked.set(code, { row, value: problems.value, items: [] });
  }
  const normalise = (cell: Cell) => {
    const parsed = validProjectFacts.shape.projectCode.safeParse(text(cell) ?? '');
    return parsed.success ? parsed.data : undefined;
  };
  for (const { row, cells } of funds.rows) {
    const { item, problems } = checkFundingRow(row, cells);
    for (const p of problems) fundsError(row, p.column, p.message);
    const code = normalise(cells.projectCode);
    const project = code ? checked.get(code) : undefined;
    if (!code) fundsError(row, 'projectCode', cells.projectCode === undefined ? '请填写项目代码' : messages.projectCodeShape);
    else if (!project && !known.has(code)) fundsError(row, 'projectCode', `项目代码 ${code} 既不在“${PROJECTS_SHEET}”表中，也不在系统中`);
    else if (item && project) project.items.push(item);
  }
  const today = thisDay();
  const rows: { row: number; value: ProjectImportRow }[] = [];
  for (const [code, { row, value, items }] of checked) {
    const existing = known.get(code);
    if (existing) {
      // Already in the system: left as it is, with its funding rows (docs/domain.md, "Importing projects").
      rows.push({ row, value: { id: existing, projectCode: code, existing: true, name: catalogue.get(existing)?.name ?? value?.name ?? '' } });
      continue;
    }
    if (!value) continue;
    const { record, problems } = importedMoney(value.channel!, value.stage!, items, (value.facts as { requestedAmount: number }).requestedAmount, today);
    for (const p of problems as ImportProblem[]) {
      if (p.row === undefined) projectError(row, p.column, p.message);
      else fundsError(p.row, p.column, p.message);
    }
    rows.push({ row, value: { ...value, id: new Types.ObjectId().toString(), record } });
  }
  return { rows: errors.length ? [] : rows, errors: errors.sort((a, b) => (a.column.startsWith(PROJECTS_SHEET) === b.column.startsWith(PROJECTS_SHEET) ? a.row - b.row : a.column.startsWith(PROJECTS_SHEET) ? -1 : 1)) };
}

/** The stored project a checked row becomes, and its one history entry. */
function projectOf(user: CurrentUser, value: ProjectImportRow, importId: string, fileName: string, now: Date) {
  const record = value.record!;
  const data: ImportEntryData = {
    fileName,
    importId,
    ...(record.approval ? { approval: record.approval } : {}),
    releases: record.releases,
    quotas: record.quotas,
    issuances: record.issuances,
    ...(value.responsibility ? { responsibility: value.responsibility } : {}),
  };
  const fields = {
    _id: new Types.ObjectId(value.id),
    ...(value.facts as Omit<ProjectDoc, '_id'>),
    projectCode: value.projectCode,
    performanceTargets: [],
    orgId: new Types.ObjectId(value.orgId),
    channel: value.channel!,
    stage: value.stage!,
    machineVersion: currentMachineVersion(value.channel!),
    stageEnteredAt: now,
    documents: [],
    dossier: {},
    schedule: { plans: {}, months: {} },
    ...record,
    createdAt: now,
    updatedAt: now,
  } as Omit<ProjectDoc, 'version' | 'lastEntry' | 'trail'>;
  return { fields, entry: historyEntry(user, IMPORT_EVENT, { to: value.stage!, data }, now) };
}

const BATCH = 1_000;

export const projectImport: ImportKind<ProjectImportRow> = {
  title: '项目',
  roles: ['staff', 'admin'],
  columns: projectColumns,
  instructions: [
    '“项目”表每行一个项目，“资金记录”表每行一笔资金（下达、追加下达、额度或发行），按项目代码对应。',
    '项目代码为全国投资项目在线审批监管平台赋予的代码，每个项目一个，不能重复；系统中已有该代码的项目不会重复导入，也不会被修改。',
    '项目单位须为系统中已有的单位名称；渠道、领域、阶段、类型请从下拉列表中选择。',
    '金额以万元为单位，最多四位小数（即精确到元）；资金筹措各项之和应等于总投资，申请资金不超过该渠道的筹措金额。',
    '已下达、已发行、实施中、已竣工的项目须有资金记录：中央预算内投资填“下达”（以后年度填“追加下达”），专项债券填“额度”（最早的一笔即下达）及“发行”。',
    '上传后系统逐行检查，有任何错误都不会保存；全部无误后确认导入，才会一次全部保存。',
  ],

  templateRows() {
    return [];
  },

  template() {
    const org = organisationsByName().keys().next().value ?? '某某单位';
    const year = Number(thisDay().slice(0, 4));
    const code = (serial: string) => `${year - 1}-330102-48-01-${serial}`;
    const example = (serial: string, name: string, channel: Channel, stage: string, total: number, requested: number, source: string) => ({
      projectCode: code(serial),
      name,
      channel: channelLabels[channel],
      orgName: org,
      field: fieldLabels.municipal,
      location: '某某街道',
      description: '新建道路 2 公里及配套管网',
      totalInvestment: total,
      requestedAmount: requested,
      [`funding_${source}`]: requested,
      funding_localFiscal: total - requested,
      years: `${year - 1}-${year + 1}`,
      contact: '张工',
      phone: '0571-88881234',
      stage,
    });
    return writeWorkbook(
      [
        {
          title: PROJECTS_SHEET,
          columns: projectColumns,
          rows: [
            example('000001', '示例：某某路新建工程', 'central_budget', '已下达投资计划', 5000, 2000, 'centralBudget'),
            { ...example('000002', '示例：某某片区污水管网改造', 'special_bond', stageLabels.issued, 8000, 6000, 'specialBond'), projectedRevenue: 12000, debtService: 7200 },
            example('000003', '示例：某某社区服务中心', 'central_budget', stageLabels.reserve, 1200, 500, 'centralBudget'),
          ],
        },
        {
          title: FUNDS_SHEET,
          columns: fundsColumns,
          rows: [
            { projectCode: code('000001'), type: '下达', year: year - 1, amount: 1000, docNo: `发改投资〔${year - 1}〕12号`, date: `${year - 1}-06-15` },
            { projectCode: code('000001'), type: '追加下达', year, amount: 1000, docNo: `发改投资〔${year}〕8号`, date: `${year}-04-20` },
            { projectCode: code('000002'), type: '额度', year: year - 1, amount: 6000, docNo: `财预〔${year - 1}〕30号`, date: `${year - 1}-05-10` },
            { projectCode: code('000002'), type: '发行', amount: 6000, date: `${year - 1}-07-01`, batch: `${year - 1}年第三批`, bondCode: '2305123', termYears: 15, rate: 2.85 },
          ],
        },
      ],
      this.instructions,
    );
  },

  check() {
    // The whole workbook is checked at once (checkWorkbook).
    return { errors: [] };
  },

  sheets: [
    { name: PROJECTS_SHEET, columns: projectColumns, required: true },
    { name: FUNDS_SHEET, columns: fundsColumns, required: false },
  ],

  checkWorkbook: (sheets) => checkWorkbook(sheets),

  stillApplies(value) {
    if (value.existing || !value.orgId) return undefined;
    const holder = catalogue.withCode(value.projectCode);
    if (holder && holder.id !== value.id) return `项目代码 ${value.projectCode} 已被项目“${holder.name}”使用（上传后新建），请重新上传`;
    return organisationExists(value.orgId) ? undefined : `项目“${value.name}”的项目单位已不存在`;
  },

  async apply(user, value, importId) {
    await this.applyAll!(user, [value], importId, '');
  },

  async isApplied(value) {
    return Boolean(value.existing || catalogue.get(value.id) || catalogue.withCode(value.projectCode));
  },

  /**
   * Claims the codes and stores the projects a thousand at a time. A project
   * already stored (the commit finished after a stop) is skipped by its id; a
   * code another project took meanwhile leaves that row out, logged.
   */
  async applyAll(user, values, importId, fileName) {
    const now = new Date();
    const pending = values.filter((v) => !v.existing && !catalogue.get(v.id) && !catalogue.withCode(v.projectCode));
    for (let start = 0; start < pending.length; start += BATCH) {
      const batch = pending.slice(start, start + BATCH);
      const refused = await claimCodes(batch.map((v) => ({ code: v.projectCode, projectId: new Types.ObjectId(v.id) })));
      for (const code of refused) logger.warn({ importId, projectCode: code }, 'an imported project left out: another project took its code meanwhile');
      await insertProjects(batch.filter((v) => !refused.has(v.projectCode)).map((v) => projectOf(user, v, importId, fileName, now)));
    }
  },
};
