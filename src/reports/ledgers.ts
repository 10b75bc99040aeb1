import type { Writable } from 'node:stream';
import { rules } from '../../workflows/rules';
import { channelLabels, fieldLabels, stageLabels, type Stage } from '../../workflows/stages';
import { listOrganisations } from '../accounts/accounts.service';
import { dossierChecklist, yiJianSanZheng, type DocumentState } from '../dossier/checklist';
import { Project, type HistoryEntry, type ProjectDoc } from '../projects/project.model';
import { chinaDay } from '../workflow/working-days';
import { writeLedger, type LedgerColumn } from './ledger-writer';
import { fundsOf, rateProject, ratingLabels } from './rating';
import { droppedStages, scopeMatch, type ReportScope } from './scope';

/**
 * The four ledgers of seed 003 (项目进展、手续办理、问题解决、项目入库): which
 * projects each lists, the rows a project gives, and the columns.
 */
export const ledgerKinds = ['progress', 'procedures', 'issues', 'intake'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

interface Context {
  orgNames: Map<string, string>;
  now: Date;
}

interface Ledger<R> {
  title: string;
  filter: Record<string, unknown>;
  /** Fields read from each project; the rest (above all the history) stays in the database. */
  projection: Record<string, 1>;
  rows: (project: ProjectDoc, context: Context) => R[];
  columns: LedgerColumn<R>[];
}

type ProjectRow = { project: ProjectDoc; orgName?: string };

const identity = {
  name: 1, orgId: 1, field: 1, channel: 1, stage: 1, startYear: 1, endYear: 1, totalInvestment: 1, requestedAmount: 1, funding: 1,
} as const;

function projectColumns<R extends ProjectRow>(...keys: ('field' | 'channel' | 'stage' | 'period')[]): LedgerColumn<R>[] {
  const available: Record<(typeof keys)[number], LedgerColumn<R>> = {
    field: { header: '领域', value: (r) => fieldLabels[r.project.field] },
    channel: { header: '资金渠道', value: (r) => channelLabels[r.project.channel] },
    stage: { header: '当前阶段', value: (r) => stageLabels[r.project.stage] },
    period: { header: '建设年限', value: (r) => `${r.project.startYear}—${r.project.endYear}` },
  };
  return [
    { header: '项目名称', value: (r) => r.project.name, total: 'count' },
    { header: '项目单位', value: (r) => r.orgName },
    ...keys.map((key) => available[key]),
  ];
}

const totalInvestment = <R extends ProjectRow>(): LedgerColumn<R> => ({
  header: '总投资（万元）',
  value: (r) => r.project.totalInvestment,
  format: 'amount',
  total: 'sum',
});

const oneRow = (project: ProjectDoc, context: Context): ProjectRow[] => [{ project, orgName: context.orgNames.get(project.orgId.toString()) }];

// 项目进展台账: projects under way or finished, their money, progress and rating.
type ProgressRow = ProjectRow & ReturnType<typeof fundsOf> & { rating?: ReturnType<typeof rateProject> };

const progress: Ledger<ProgressRow> = {
  title: '项目进展台账',
  filter: { stage: { $in: ['implementation', 'completed', 'evaluated'] } },
  projection: { ...identity, stageEnteredAt: 1, approval: 1, issuances: 1, disbursements: 1, progress: 1, location: 1 },
  rows: (project, context) =>
    oneRow(project, context).map((row) => ({
      ...row,
      ...fundsOf(project),
      rating: project.stage === 'implementation' ? rateProject(project, context.now) : undefined,
    })),
  columns: [
    ...projectColumns<ProgressRow>('field', 'channel', 'stage', 'period'),
    totalInvestment(),
    { header: '到位资金（万元）', value: (r) => r.secured, format: 'amount', total: 'sum' },
    { header: '已拨付（万元）', value: (r) => r.disbursed, format: 'amount', total: 'sum' },
    { header: '拨付率', value: (r) => (r.secured > 0 ? r.disbursed / r.secured : undefined), format: 'percent' },
    { header: '形象进度（%）', value: (r) => r.project.progress?.at(-1)?.percent },
    { header: '最近报送日期', value: (r) => r.project.progress?.at(-1)?.date },
    { header: '最新进展情况', value: (r) => r.project.progress?.at(-1)?.note },
    { header: '红黄绿', value: (r) => r.rating && ratingLabels[r.rating.rating] },
    { header: '评定理由', value: (r) => r.rating?.reason },
  ],
};

// 手续办理台账: each dossier document's state, project by project.
const documentStateLabels: Record<DocumentState, string> = {
  missing: '未上传',
  pending: '待审核',
  accepted: '已通过',
  rejected: '退回补正',
};

const documentTypes = [
  ...new Set([
    ...Object.values(rules.requiredDocuments).flatMap((r) => [...r.draft, ...r.preliminary]),
    ...rules.optionalDocuments,
  ]),
];

type ProceduresRow = ProjectRow & { documents: Map<string, DocumentState>; yiJianSanZheng: boolean };

const documentColumn = (docType: string): LedgerColumn<ProceduresRow> => ({
  header: rules.documentTypes[docType] ?? docType,
  value: (r) => {
    const state = r.documents.get(docType);
    return state ? documentStateLabels[state] : '不适用';
  },
});

const procedures: Ledger<ProceduresRow> = {
  title: '手续办理台账',
  filter: { stage: { $nin: droppedStages } },
  projection: { ...identity, documents: 1 },
  rows: (project, context) =>
    oneRow(project, context).map((row) => ({
      ...row,
      documents: new Map(dossierChecklist(project.channel, project.documents ?? []).map((d) => [d.docType, d.state])),
      yiJianSanZheng: yiJianSanZheng(project.documents ?? []).complete,
    })),
  columns: [
    ...projectColumns<ProceduresRow>('field', 'channel', 'stage'),
    totalInvestment(),
    ...documentTypes.map(documentColumn),
    { header: '一件三证', value: (r) => (r.yiJianSanZheng ? '已具备' : '未具备') },
  ],
};

// 问题解决台账: every problem raised on a project, and whether it was resolved.
interface IssueRow extends ProjectRow {
  raisedOn: string;
  kind: string;
  description?: string;
  status: string;
  resolvedOn?: string;
}

const issueEvents = ['RETURN', 'REJECT', 'REMOVE', 'RECORD_REJECTION'];

function issueKind(entry: HistoryEntry): string | undefined {
  const data = entry.data as { decision?: string; docType?: string } | undefined;
  switch (entry.event) {
    case 'RETURN':
      return `${stageLabels[entry.from!]}退回补正`;
    case 'REJECT':
      return '不予入库';
    case 'REMOVE':
      return '出库';
    case 'RECORD_REJECTION':
      return '上级未予批复';
    case 'DOCUMENT_REVIEW':
      return data?.decision === 'rejected' ? `材料退回：${rules.documentTypes[data.docType ?? ''] ?? data.docType}` : undefined;
    default:
      return undefined;
  }
}

/** The later entry that settles a problem: a new submission, a new round forwarded, the document accepted. */
function resolution(problem: HistoryEntry, later: HistoryEntry[]): HistoryEntry | undefined {
  const docType = (problem.data as { docType?: string } | undefined)?.docType;
  const settles: Record<string, (e: HistoryEntry) => boolean> = {
    RETURN: (e) => e.event === 'SUBMIT',
    RECORD_REJECTION: (e) => e.event === 'APPROVE' && e.from === 'application_review',
    DOCUMENT_REVIEW: (e) =>
      e.event === 'DOCUMENT_REVIEW' && (e.data as { docType?: string; decision?: string }).docType === docType && (e.data as { decision?: string }).decision === 'accepted',
  };
  const settled = settles[problem.event];
  return settled ? later.find(settled) : undefined;
}

function issueStatus(problem: HistoryEntry, solved: HistoryEntry | undefined, stage: Stage): string {
  if (solved) return '已解决';
  if (problem.event === 'REJECT' || problem.event === 'REMOVE') return '已办结';
  return droppedStages.includes(stage) ? `已办结（${stageLabels[stage]}）` : '未解决';
}

function issueRows(project: ProjectDoc, context: Context): IssueRow[] {
  const [base] = oneRow(project, context);
  return project.history.flatMap((entry, i) => {
    const kind = issueKind(entry);
    if (!kind) return [];
    const solved = resolution(entry, project.history.slice(i + 1));
    return [{
      ...base!,
      raisedOn: chinaDay(entry.at),
      kind,
      description: entry.reason,
      status: issueStatus(entry, solved, project.stage),
      resolvedOn: solved && chinaDay(solved.at),
    }];
  });
}

const issues: Ledger<IssueRow> = {
  title: '问题解决台账',
  filter: { $or: [{ 'history.event': { $in: issueEvents } }, { 'documents.review.decision': 'rejected' }] },
  projection: { ...identity, history: 1 },
  rows: issueRows,
  columns: [
    ...projectColumns<IssueRow>('channel', 'stage'),
    { header: '提出日期', value: (r) => r.raisedOn },
    { header: '问题类型', value: (r) => r.kind },
    { header: '问题描述', value: (r) => r.description },
    { header: '办理状态', value: (r) => r.status },
    { header: '解决日期', value: (r) => r.resolvedOn },
  ],
};

// 项目入库台账: every project admitted to the reserve, when, and where it stands now.
type IntakeRow = ProjectRow & { admittedOn?: string };

const intake: Ledger<IntakeRow> = {
  title: '项目入库台账',
  // Any APPROVE means the project passed 入库审核: the other APPROVE comes later in the pipeline.
  filter: { 'history.event': 'APPROVE' },
  projection: { ...identity, 'history.at': 1, 'history.event': 1, 'history.from': 1 },
  rows: (project, context) =>
    oneRow(project, context).map((row) => {
      const admitted = project.history.find((e) => e.event === 'APPROVE' && e.from === 'reserve_review');
      return { ...row, admittedOn: admitted && chinaDay(admitted.at) };
    }),
  columns: [
    ...projectColumns<IntakeRow>('field', 'channel', 'period'),
    totalInvestment(),
    { header: '申请资金（万元）', value: (r) => r.project.requestedAmount, format: 'amount', total: 'sum' },
    { header: '入库日期', value: (r) => r.admittedOn },
    { header: '当前阶段', value: (r) => stageLabels[r.project.stage] },
  ],
};

async function* rowsOf<R>(ledger: Ledger<R>, scope: ReportScope, now: Date): AsyncGenerator<R> {
  const orgNames = new Map((await listOrganisations()).map((o) => [o.id, o.name]));
  // Stored order, not a sort: FerretDB sorts by loading every match into its own memory first.
  const cursor = Project.find({ ...ledger.filter, ...scopeMatch(scope) }, ledger.projection)
    .lean<ProjectDoc[]>()
    .cursor({ batchSize: 1000 });
  for await (const project of cursor) yield* ledger.rows(project as ProjectDoc, { orgNames, now });
}

const runner = <R>(ledger: Ledger<R>) => ({
  title: ledger.title,
  stream: (scope: ReportScope, out: Writable, now: Date) => writeLedger(out, ledger, rowsOf(ledger, scope, now)),
});

const ledgers: Record<LedgerKind, ReturnType<typeof runner>> = {
  progress: runner(progress),
  procedures: runner(procedures),
  issues: runner(issues),
  intake: runner(intake),
};

export function ledgerTitle(kind: LedgerKind): string {
  return ledgers[kind].title;
}

/** Streams one ledger for the projects in scope, in the order they were stored; returns the number of rows. */
export function streamLedger(kind: LedgerKind, scope: ReportScope, out: Writable, now = new Date()): Promise<number> {
  return ledgers[kind].stream(scope, out, now);
}
