import { createHash } from 'node:crypto';
import { channelLabels, eventLabels, fieldLabels, stageLabels, type Channel } from '../../workflows/vocabulary';
import { rules } from '../../workflows/rules-file';
import { coverageRatio, quotasOf, releasesOf } from '../../workflows/money';
import type { Issuance } from '../../workflows/project-state';
import { currentVersions, documentTypeLabel, yiJianSanZheng } from '../../workflows/dossier';
import type { DocumentRecord } from '../projects/document.model';
import { recordOf } from '../projects/catalogue';
import { dossierChecklist } from '../projects/project-status';
import type { HistoryEntry, ProjectDoc } from '../projects/project.model';
import type { Align, AppendixSpec, Block, Cell, CellInput, DocumentSpec, EmbeddableKind, TableBlock } from './layout/document';
import { SIZE } from './layout/flow';
import { chineseDate, chineseDay, dateTime, fileSize, percent, wan, wanParts } from './format';

export const documentTitles: Record<Channel, string> = {
  central_budget: '中央预算内投资项目资金申请报告',
  special_bond: '地方政府专项债券项目申报书',
};

export interface ApplicationSource {
  project: ProjectDoc;
  /** Every entry of the project's history, oldest first. */
  history: HistoryEntry[];
  /** The newest version of each document type, with its record. */
  documents: DocumentRecord[];
  orgName: string;
  verification: { code: string; url: string };
  /** Where each stored file is, for a bundle; absent for the application alone. */
  filePath?: (document: DocumentRecord) => string;
}

const EMBEDDABLE: readonly string[] = ['pdf', 'jpg', 'png'] satisfies EmbeddableKind[];

const fieldNames: Record<string, string> = {
  name: '项目名称',
  projectCode: '项目代码',
  field: '所属领域',
  location: '建设地点',
  description: '项目概况',
  totalInvestment: '总投资',
  requestedAmount: '申请资金',
  funding: '资金筹措方案',
  startYear: '开工年度',
  endYear: '完工年度',
  financing: '融资收益平衡',
  performanceTargets: '绩效目标',
};

const targetCategories: Record<string, string> = { output: '产出指标', effect: '效益指标', satisfaction: '满意度指标' };

const label = (text: string): CellInput => ({ text, shade: true, align: 'center' });
const total = (text: string, align?: Align): Cell => ({ text, bold: true, shade: true, align });
const heading = (text: string, level: 1 | 2 = 1): Block => ({ type: 'heading', text, level });
const paragraph = (text: string, bold = false): Block => ({ type: 'paragraph', text, indent: true, bold });

const versionDate = (project: ProjectDoc) => project.lastEntry?.at ?? project.updatedAt;

function basicInformation({ project, orgName }: ApplicationSource): Block[] {
  const years = project.startYear === project.endYear ? `${project.startYear}年` : `${project.startYear}—${project.endYear}年`;
  return [
    heading('一、项目基本情况'),
    {
      type: 'table',
      columns: [{ width: 21 }, { width: 29 }, { width: 21 }, { width: 29 }],
      rows: [
        [label('项目名称'), { text: project.name, span: 3 }],
        [label('项目代码'), { text: project.projectCode || '（尚未赋码）', span: 3 }],
        [label('项目单位'), { text: orgName, span: 3 }],
        [label('申报渠道'), channelLabels[project.channel], label('所属领域'), fieldLabels[project.field]],
        [label('建设地点'), project.location || '—', label('建设年限'), years],
        [label('总投资（万元）'), { text: wan(project.totalInvestment), align: 'right' }, label('申请资金（万元）'), { text: wan(project.requestedAmount), align: 'right' }],
        [label('当前阶段'), stageLabels[project.stage], label('文件版本'), `第 ${project.version} 版\n（${chineseDate(versionDate(project))}）`],
        [label('项目概况'), { text: project.description || '—', span: 3 }],
      ],
    },
  ];
}

function fundingPlan(project: ProjectDoc): Block[] {
  const f = project.funding;
  const sources: [string, number][] = [
    ['中央预算内投资', f.centralBudget],
    ['地方政府专项债券', f.specialBond],
    ['地方财政资金', f.localFiscal],
    ['业主自筹', f.selfRaised],
    ['其他资金', f.other],
  ];
  const amounts = wanParts(sources.map(([, yuan]) => yuan), project.totalInvestment);
  const table: TableBlock = {
    type: 'table',
    columns: [{ width: 40 }, { width: 30, align: 'right' }, { width: 30, align: 'right' }],
    header: ['资金来源', '金额（万元）', '占总投资比例'],
    rows: [
      ...sources.map(([name, yuan], i) => [name, amounts[i]!, percent(yuan, project.totalInvestment)]),
      [total('合计'), total(wan(project.totalInvestment), 'right'), total('100.00%', 'right')],
    ],
  };
  return [
    heading('二、资金筹措方案'),
    heading('（一）资金来源', 2),
    table,
    paragraph(
      `本项目总投资 ${wan(project.totalInvestment)} 万元，本次申请${channelLabels[project.channel]}资金 ${wan(project.requestedAmount)} 万元，占总投资的 ${percent(project.requestedAmount, project.totalInvestment)}。`,
    ),
  ];
}

/** The approval and what came after it, one row a year (docs/domain.md, "Money over several years"), with their sum when there are several. */
function approvalTable(project: ProjectDoc, caption: string): Block[] {
  const record = recordOf(project);
  if (!record.approval) return [heading(caption, 2), paragraph('尚未取得上级批复。')];
  const items = project.channel === 'special_bond' ? quotasOf(record) : releasesOf(record);
  const sum = items.reduce((s, i) => s + i.amount, 0);
  return [
    heading(caption, 2),
    {
      type: 'table',
      columns: [{ width: 16, align: 'center' }, { width: 40 }, { width: 22, align: 'right' }, { width: 22, align: 'center' }],
      header: ['年度', '批复文号', '金额（万元）', '批复日期'],
      rows: [
        ...items.map((i) => [String(i.year), i.docNo, wan(i.amount), chineseDay(i.date)]),
        ...(items.length > 1 ? [[total('合计'), total(''), total(wan(sum), 'right'), total('')]] : []),
      ],
    },
  ];
}

function financingBalance(project: ProjectDoc): Block[] {
  const financing = project.financing ?? undefined;
  const ratio = coverageRatio(financing);
  const threshold = rules.coverageThreshold;
  const verdict = ratio === undefined ? '未填报测算数据' : ratio >= threshold ? '满足融资收益平衡要求' : '未达到融资收益平衡要求';
  return [
    heading('（二）融资收益平衡', 2),
    {
      type: 'table',
      columns: [{ width: 50 }, { width: 50, align: 'right' }],
      header: ['测算项目', '测算结果'],
      rows: [
        ['债券存续期内项目收益（万元）', financing ? wan(financing.projectedRevenue) : '—'],
        ['债券存续期内还本付息（万元）', financing ? wan(financing.debtService) : '—'],
        ['本息覆盖倍数', ratio === undefined ? '—' : `${ratio.toFixed(2)} 倍`],
        ['要求', `不低于 ${threshold} 倍`],
        [total('测算结论'), total(verdict, 'right')],
      ],
    },
  ];
}

function issuances(project: ProjectDoc): Block[] {
  const list: Issuance[] = project.issuances ?? [];
  if (list.length === 0) return [heading('（四）债券发行情况', 2), paragraph('尚无债券发行记录。')];
  const sum = list.reduce((s, i) => s + i.amount, 0);
  return [
    heading('（四）债券发行情况', 2),
    {
      type: 'table',
      columns: [{ width: 18 }, { width: 15 }, { width: 17, align: 'right' }, { width: 14, align: 'center' }, { width: 15, align: 'center' }, { width: 21, align: 'center' }],
      header: ['发行批次', '债券代码', '金额（万元）', '期限（年）', '票面利率（%）', '发行日期'],
      rows: [
        ...list.map((i) => [i.batch, i.bondCode, wan(i.amount), String(i.termYears), i.rate.toFixed(2), chineseDay(i.issueDate)]),
        [total('合计'), total(''), total(wan(sum), 'right'), total(''), total(''), total('')],
      ],
    },
  ];
}

function channelSections(project: ProjectDoc): Block[] {
  return project.channel === 'special_bond'
    ? [...financingBalance(project), ...approvalTable(project, '（三）专项债券额度下达情况'), ...issuances(project)]
    : approvalTable(project, '（二）投资计划下达情况');
}

function performance(project: ProjectDoc): Block[] {
  const targets = project.performanceTargets ?? [];
  if (targets.length === 0) return [heading('三、绩效目标'), paragraph('未设定绩效目标。')];
  const weights = targets.reduce((s, t) => s + t.weight, 0);
  const blocks: Block[] = [
    heading('三、绩效目标'),
    {
      type: 'table',
      columns: [{ width: 8, align: 'center' }, { width: 16, align: 'center' }, { width: 34 }, { width: 28 }, { width: 14, align: 'right' }],
      header: ['序号', '指标类别', '指标名称', '目标值', '权重（%）'],
      rows: [
        ...targets.map((t, i) => [String(i + 1), targetCategories[t.category] ?? t.category, t.name, t.target, String(t.weight)]),
        [total(''), total('合计', 'center'), total(''), total(''), total(String(weights), 'right')],
      ],
    },
  ];
  const evaluation = project.evaluation;
  if (evaluation) blocks.push(paragraph(`绩效评价：加权总分 ${evaluation.total} 分，等级“${evaluation.grade}”（${chineseDay(evaluation.date)}）。`));
  return blocks;
}

const requirementLabels: Record<string, string> = { draft: '入库必备', preliminary: '申报必备' };

function reviewText(row: ReturnType<typeof dossierChecklist>[number]): string {
  const review = row.current?.review;
  switch (row.state) {
    case 'accepted':
      return `已通过\n${review?.by.name ?? ''}\n${review ? dateTime(new Date(review.at)) : ''}`;
    case 'rejected':
      return `已退回：${review?.reason ?? ''}`;
    case 'pending':
      return '待审核';
    default:
      return '未上传';
  }
}

function dossier(project: ProjectDoc, current: DocumentRecord[]): Block[] {
  const badge = yiJianSanZheng(project.dossier ?? {}, rules);
  const missing = badge.missing.map((t) => documentTypeLabel(rules, t)).join('、');
  const rows = dossierChecklist(project.channel, current).map((row, i) => {
    const doc = row.current;
    return [
      String(i + 1),
      row.label,
      (row.requiredFor && requirementLabels[row.requiredFor]) || '可选',
      doc ? `第${doc.version}版` : '—',
      doc?.fileName ?? '—',
      doc ? fileSize(doc.size) : '—',
      doc ? doc.sha256.slice(0, 12) : '—',
      reviewText(row),
    ];
  });
  return [
    heading('四、申报材料清单'),
    paragraph(badge.complete ? '一件三证：已齐备（审批/核准/备案文件及建设用地规划许可证、建设工程规划许可证、施工许可证均已审核通过）。' : `一件三证：未齐备（尚缺：${missing}）。`, true),
    {
      type: 'table',
      fontSize: SIZE.xiaoWu,
      columns: [{ width: 6, align: 'center' }, { width: 16 }, { width: 10, align: 'center' }, { width: 7, align: 'center' }, { width: 19 }, { width: 9, align: 'right' }, { width: 16, align: 'center' }, { width: 19 }],
      header: ['序号', '材料名称', '要求', '版本', '文件名', '大小', 'SHA-256\n（前12位）', '审核情况'],
      rows,
    },
  ];
}

function stageChange({ from, to }: HistoryEntry): string {
  if (from && to && from !== to) return `${stageLabels[from]}→${stageLabels[to]}`;
  return !from && to ? stageLabels[to] : '—';
}

function entryDetails(entry: HistoryEntry): string {
  const data = (entry.data ?? {}) as Record<string, unknown>;
  const docLabel = typeof data.docType === 'string' ? documentTypeLabel(rules, data.docType) : '';
  const parts: string[] = [];
  switch (entry.event) {
    case 'EDIT':
      parts.push(`修改：${((data.fields as string[] | undefined) ?? []).map((f) => fieldNames[f] ?? f).join('、')}`);
      break;
    case 'DOCUMENT_UPLOAD':
      parts.push(`《${docLabel}》第${String(data.version)}版：${String(data.fileName ?? '')}`);
      break;
    case 'DOCUMENT_REVIEW':
      parts.push(`《${docLabel}》第${String(data.version)}版：${data.decision === 'accepted' ? '通过' : '退回'}`);
      break;
    case 'RECORD_APPROVAL':
      parts.push(`${String(data.docNo)}，${wan(Number(data.amount))} 万元`);
      break;
    case 'RECORD_ISSUANCE':
      parts.push(`${String(data.batch)}，${String(data.bondCode)}，${wan(Number(data.amount))} 万元`);
      break;
    case 'RECORD_DISBURSEMENT':
      parts.push(`拨付 ${wan(Number(data.amount))} 万元`);
      break;
    case 'RECORD_PROGRESS':
      parts.push(`进度 ${String(data.percent)}%：${String(data.note ?? '')}`);
      break;
  }
  if (entry.reason) parts.push(`理由：${entry.reason}`);
  return parts.join('；') || '—';
}

function history(entries: HistoryEntry[]): Block[] {
  return [
    heading('五、流转记录'),
    {
      type: 'table',
      fontSize: SIZE.xiaoWu,
      columns: [{ width: 6, align: 'center' }, { width: 15 }, { width: 17 }, { width: 13 }, { width: 18 }, { width: 31 }],
      header: ['序号', '时间', '操作人', '事项', '阶段变化', '说明'],
      rows: entries.map((entry, i) => [
        String(i + 1),
        dateTime(entry.at),
        entry.actorName,
        eventLabels[entry.event] ?? entry.event,
        stageChange(entry),
        entryDetails(entry),
      ]),
    },
  ];
}

const signLines = ['负责人（签字）：', '（盖章）', '年\u3000\u3000月\u3000\u3000日'];

function signatures(): Block[] {
  const blocks: Block[] = [
    heading('六、审核意见'),
    paragraph('项目单位承诺：所报材料真实、准确、完整，如有不实，愿承担相应责任。'),
    {
      type: 'signatures',
      boxes: [
        { title: '项目单位（盖章）', signLines },
        { title: '主管部门审核意见', signLines },
        { title: '发改部门审核意见', signLines },
      ],
    },
  ];
  return [{ type: 'keepTogether', blocks }];
}

/** The accepted current files, in checklist order; PDFs and scans are embedded, other types listed. */
function appendices(project: ProjectDoc, documents: DocumentRecord[], filePath: (document: DocumentRecord) => string): AppendixSpec[] {
  const current = currentVersions(documents);
  return dossierChecklist(project.channel, documents).flatMap((row) => {
    const doc = current.get(row.docType);
    if (!doc || row.state !== 'accepted' || !doc.review) return [];
    const embeddable = EMBEDDABLE.includes(doc.kind);
    return [
      {
        title: row.label,
        fileName: doc.fileName,
        details: [
          { label: '版本', value: `第 ${doc.version} 版` },
          { label: '大小', value: fileSize(doc.size) },
          { label: 'SHA-256', value: doc.sha256 },
          { label: '上传', value: `${doc.uploadedBy.name}，${dateTime(doc.uploadedAt)}` },
          { label: '审核通过', value: `${doc.review.by.name}，${dateTime(doc.review.at)}` },
        ],
        source: embeddable ? { kind: doc.kind as EmbeddableKind, path: filePath(doc) } : undefined,
        listedOnly: embeddable ? undefined : `${doc.kind.toUpperCase()} 格式，仅列明`,
      },
    ];
  });
}

/** Everything the application document says about one version of a project, ready to lay out. */
export function applicationDocument(source: ApplicationSource): DocumentSpec {
  const { project, orgName, verification } = source;
  const title = documentTitles[project.channel];
  const date = versionDate(project);
  const bundle = Boolean(source.filePath);
  return {
    metadata: {
      title: `${project.name} — ${title}`,
      author: orgName,
      subject: `${channelLabels[project.channel]}｜${stageLabels[project.stage]}｜第 ${project.version} 版`,
      keywords: [channelLabels[project.channel], fieldLabels[project.field], orgName, project.name, `核验码 ${verification.code}`],
      date: date.toISOString(),
      fileId: createHash('sha256').update(`${project._id.toString()}:${project.version}:${bundle ? 'bundle' : 'application'}`).digest('hex').slice(0, 32),
    },
    header: { left: `${title}｜${project.name}`, right: `核验码 ${verification.code}\u3000第 ${project.version} 版` },
    cover: {
      title,
      fields: [
        { label: '项目名称', value: project.name },
        { label: '项目代码', value: project.projectCode || '（尚未赋码）' },
        { label: '项目单位（盖章）', value: orgName },
        { label: '所属领域', value: fieldLabels[project.field] },
        { label: '建设地点', value: project.location || '—' },
      ],
      dateLine: `编制日期：${chineseDate(date)}`,
      verification: {
        code: verification.code,
        url: verification.url,
        lines: ['扫描二维码或在系统中输入核验码，', `可核对本文件的项目、单位、阶段与版本（第 ${project.version} 版）。`],
      },
    },
    body: [
      ...basicInformation(source),
      ...fundingPlan(project),
      ...channelSections(project),
      ...performance(project),
      ...dossier(project, source.documents),
      ...history(source.history),
      ...signatures(),
    ],
    appendices: source.filePath && appendices(project, source.documents, source.filePath),
  };
}
