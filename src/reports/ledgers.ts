import type { Writable } from 'node:stream';
import { checklistTypes, documentTypeLabel, yiJianSanZheng } from '../../workflows/dossier';
import { disbursedFunds, securedFunds } from '../../workflows/money';
import type { DocumentState } from '../../workflows/project-state';
import { ratingLabels, type PlanRating } from '../../workflows/rating';
import { completedInYear, keyLevelLabels, latestFigures, yearOfMonth, type YearPlan } from '../../workflows/schedule';
import { rules } from '../../workflows/rules-file';
import { setbackKind, type Setback } from '../../workflows/trail';
import { channelLabels, channels, droppedStages, fieldLabels, stageLabels, type Stage } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { organisationName } from '../accounts/accounts.service';
import type { ProjectRow } from '../projects/catalogue';
import { writeLedger, type CellValue, type LedgerColumn } from '../shared/ledger-writer';
import { countsInFigures, currentMonth, planRatingOf } from '../projects/row-figures';
import { rowsIn, type ReportScope } from './scope';

/**
 * The four ledgers of docs/domain.md (项目进展、手续办理、问题解决、项目入库):
 * which projects each lists, the rows a project gives, and the columns.
 */
export const ledgerKinds = ['progress', 'procedures', 'issues', 'intake'] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

interface Ledger<R> {
  title: string;
  includes: (row: ProjectRow, now: Date) => boolean;
  rows: (row: ProjectRow, now: Date) => R[];
  columns: LedgerColumn<R>[];
}

type ProjectLine = { project: ProjectRow; orgName?: string };

function projectColumns<R extends ProjectLine>(...keys: ('field' | 'channel' | 'stage' | 'period')[]): LedgerColumn<R>[] {
  const available: Record<(typeof keys)[number], LedgerColumn<R>> = {
    field: { header: '领域', value: (r) => fieldLabels[r.project.field] },
    channel: { header: '资金渠道', value: (r) => channelLabels[r.project.channel] },
    stage: { header: '当前阶段', value: (r) => stageLabels[r.project.stage] },
    period: { header: '建设年限', value: (r) => `${r.project.startYear}—${r.project.endYear}` },
  };
  return [
    { header: '项目名称', value: (r) => r.project.name, total: 'count' },
    { header: '项目代码', value: (r) => r.project.projectCode },
    { header: '项目单位', value: (r) => r.orgName },
    ...keys.map((key) => available[key]),
  ];
}

const totalInvestment = <R extends ProjectLine>(): LedgerColumn<R> => ({
  header: '总投资（万元）',
  value: (r) => r.project.totalInvestment,
  format: 'amount',
  total: 'sum',
});

const lineOf = (project: ProjectRow): ProjectLine => ({ project, orgName: organisationName(project.orgId) });

// 项目进展台账: every project with secured funds or a plan for the year of the
// current figures, started or not: its money, its plan, what it completed and its rating.
type ProgressLine = ProjectLine & { secured: number; disbursed: number; plan?: YearPlan; completed: number; rating: PlanRating };

const planColumn = (header: string, value: (plan: YearPlan) => CellValue, format?: 'amount'): LedgerColumn<ProgressLine> => ({
  header,
  value: (r) => r.plan && value(r.plan),
  ...(format ? { format, total: 'sum' as const } : {}),
});

const progress: Ledger<ProgressLine> = {
  title: '项目进展台账',
  includes: (row, now) => countsInFigures(row) && (securedFunds(row.channel, row.record) > 0 || row.schedule.plans[yearOfMonth(currentMonth(now))] !== undefined),
  rows: (row, now) => {
    const month = currentMonth(now);
    const year = yearOfMonth(month);
    return [
      {
        ...lineOf(row),
        secured: securedFunds(row.channel, row.record),
        disbursed: disbursedFunds(row.record),
        plan: row.schedule.plans[String(year)],
        completed: completedInYear(row.schedule, year, month),
        rating: planRatingOf(row, month, chinaDay(now)),
      },
    ];
  },
  columns: [
    ...projectColumns<ProgressLine>('field', 'channel', 'stage', 'period'),
    planColumn('重点项目', (plan) => plan.keyLevel && keyLevelLabels[plan.keyLevel]),
    totalInvestment(),
    { header: '到位资金（万元）', value: (r) => r.secured, format: 'amount', total: 'sum' },
    { header: '已拨付（万元）', value: (r) => r.disbursed, format: 'amount', total: 'sum' },
    planColumn('年度计划投资（万元）', (plan) => plan.plannedInvestment, 'amount'),
    planColumn('计划开工', (plan) => plan.plannedStart),
    planColumn('计划竣工', (plan) => plan.plannedCompletion),
    { header: '实际开工', value: (r) => r.project.schedule.startedOn },
    { header: '本年完成投资（万元）', value: (r) => r.completed, format: 'amount', total: 'sum' },
    { header: '年度计划完成率', value: (r) => (r.plan?.plannedInvestment ? r.completed / r.plan.plannedInvestment : undefined), format: 'percent' },
    { header: '形象进度（%）', value: (r) => latestFigures(r.project.schedule)?.percent },
    { header: '最近报送日期', value: (r) => latestFigures(r.project.schedule)?.reportedOn },
    { header: '最新进展情况', value: (r) => r.project.schedule.latestNote?.text },
    { header: '红黄绿', value: (r) => r.rating.rating && ratingLabels[r.rating.rating] },
    { header: '评定理由', value: (r) => r.rating.reason },
  ],
};

// 手续办理台账: each dossier document's state, project by project.
const documentStateLabels: Record<DocumentState, string> = {
  missing: '未上传',
  pending: '待审核',
  accepted: '已通过',
  rejected: '退回补正',
};

/** Every document type of either channel, in checklist order. */
const documentTypes = [...new Set(channels.flatMap((channel) => checklistTypes(channel, rules).map((t) => t.docType)))];

type ProceduresLine = ProjectLine & { applies: Set<string>; yiJianSanZheng: boolean };

const documentColumn = (docType: string): LedgerColumn<ProceduresLine> => ({
  header: documentTypeLabel(rules, docType),
  value: (r) => (r.applies.has(docType) ? documentStateLabels[r.project.dossier[docType] ?? 'missing'] : '不适用'),
});

const procedures: Ledger<ProceduresLine> = {
  title: '手续办理台账',
  includes: (row) => !droppedStages.includes(row.stage),
  rows: (row) => [
    {
      ...lineOf(row),
      applies: new Set(checklistTypes(row.channel, rules).map((t) => t.docType)),
      yiJianSanZheng: yiJianSanZheng(row.dossier, rules).complete,
    },
  ],
  columns: [
    ...projectColumns<ProceduresLine>('field', 'channel', 'stage'),
    totalInvestment(),
    ...documentTypes.map(documentColumn),
    { header: '一件三证', value: (r) => (r.yiJianSanZheng ? '已具备' : '未具备') },
  ],
};

// 退回补正台账: every setback a project met (paperwork sent back), and whether it was settled;
// what holds works up is the problems' own 问题解决台账 (src/problems/problem-ledger.ts).
interface IssueLine extends ProjectLine {
  setback: Setback;
  status: string;
}

function issueStatus(setback: Setback, stage: Stage): string {
  if (setback.resolvedAt) return '已解决';
  if (setback.event === 'REJECT' || setback.event === 'REMOVE') return '已办结';
  return droppedStages.includes(stage) ? `已办结（${stageLabels[stage]}）` : '未解决';
}

const day = (iso: string | undefined) => iso && chinaDay(new Date(iso));

const issues: Ledger<IssueLine> = {
  title: '退回补正台账',
  includes: (row) => row.trail.setbacks.length > 0,
  rows: (row) => row.trail.setbacks.map((setback) => ({ ...lineOf(row), setback, status: issueStatus(setback, row.stage) })),
  columns: [
    ...projectColumns<IssueLine>('channel', 'stage'),
    { header: '提出日期', value: (r) => day(r.setback.at) },
    { header: '问题类型', value: (r) => setbackKind(r.setback, rules.documentTypes) },
    { header: '问题描述', value: (r) => r.setback.reason },
    { header: '办理状态', value: (r) => r.status },
    { header: '解决日期', value: (r) => day(r.setback.resolvedAt) },
  ],
};

// 项目入库台账: every project admitted to the reserve, when, and where it stands now.
type IntakeLine = ProjectLine;

const intake: Ledger<IntakeLine> = {
  title: '项目入库台账',
  includes: (row) => row.trail.admittedAt !== undefined,
  rows: (row) => [lineOf(row)],
  columns: [
    ...projectColumns<IntakeLine>('field', 'channel', 'period'),
    totalInvestment(),
    { header: '申请资金（万元）', value: (r) => r.project.requestedAmount, format: 'amount', total: 'sum' },
    { header: '入库日期', value: (r) => day(r.project.trail.admittedAt) },
    { header: '当前阶段', value: (r) => stageLabels[r.project.stage] },
  ],
};

/** The ledger's rows for the projects in scope, oldest project first. */
function* linesOf<R>(ledger: Ledger<R>, scope: ReportScope, now: Date): Generator<R> {
  const rows = rowsIn(scope).filter((row) => ledger.includes(row, now)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  for (const row of rows) yield* ledger.rows(row, now);
}

const runner = <R>(ledger: Ledger<R>) => ({
  title: ledger.title,
  stream: (scope: ReportScope, out: Writable, now: Date) => writeLedger(out, ledger, linesOf(ledger, scope, now)),
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

/** Streams one ledger for the projects in scope; returns the number of rows. */
export function streamLedger(kind: LedgerKind, scope: ReportScope, out: Writable, now = new Date()): Promise<number> {
  return ledgers[kind].stream(scope, out, now);
}
