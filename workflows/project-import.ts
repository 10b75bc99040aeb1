import { fundsData, issuanceProblem, fundsDataProblems, recordFunds } from './funds';
import { eventData } from './event-data';
import type { Application, Approval, Issuance, Quota, Release, WorkflowRecord } from './project-state';
import { emptyRecord } from './project-state';
import { channelLabels, stageLabel, stageLabels, stages, type Channel, type Stage } from './vocabulary';

/**
 * Projects brought in from the bureau's own spreadsheets (docs/domain.md,
 * "Importing projects"). An imported project starts at the stage it had
 * reached, with one history entry (`IMPORT`) naming the file, and carries the
 * money records its funding rows give: the approval, later releases, quotas
 * and issuances. The folds read that entry like a CREATE that lands at its
 * stage, and the money it carries like the entries that would have recorded it.
 */
export const IMPORT_EVENT = 'IMPORT';

/** What an IMPORT entry holds: the file and import it came from, and the money recorded with it. */
export interface ImportEntryData {
  fileName: string;
  importId: string;
  approval?: Approval;
  releases: Release[];
  quotas: Quota[];
  issuances: Issuance[];
  /** The responsible unit, contact and phone the ledger named, if any (folded like a RESPONSIBILITY entry). */
  responsibility?: { unit?: string; contact?: string; phone?: string };
}

/** The stages a project may be imported at: not the ends a project never leaves, which need records an import does not carry. */
export const importableStages: readonly Stage[] = stages.filter((s) => !['evaluated', 'rejected', 'removed', 'withdrawn'].includes(s));

/** Stages in which the higher level's decision is recorded: the project has its approval (下达 / first 额度). */
const fundedStages: readonly Stage[] = ['approved', 'issued', 'implementation', 'completed'];
/** Stages in which a request went up (it is counted as applied in its year). */
const appliedStages: readonly Stage[] = ['submitted', ...fundedStages];

/** The stage a sheet names: its label, or the channel's own label for 已下达. */
export function stageNamed(text: string, channel: Channel | undefined): Stage | undefined {
  return importableStages.find((s) => stageLabels[s] === text || (channel && stageLabel(s, channel) === text) || stageLabel(s, 'central_budget') === text || stageLabel(s, 'special_bond') === text);
}

export const fundingRowTypes = ['下达', '追加下达', '额度', '发行'] as const;
export type FundingRowType = (typeof fundingRowTypes)[number];

/** A funding row as checked on its own: its kind and what it carries (whole yuan, ISO days). */
export type FundingItem =
  | { row: number; type: '下达' | '追加下达' | '额度'; data: { year: number; amount: number; docNo: string; date: string } }
  | { row: number; type: '发行'; data: { batch: string; bondCode: string; amount: number; termYears: number; rate: number; issueDate: string } };

/** The schema each funding row's data is checked with: the ones the project page's records use. */
export const fundingRowSchema = { 下达: fundsData.release, 追加下达: fundsData.release, 额度: fundsData.release, 发行: eventData.RECORD_ISSUANCE } as const;

export interface ImportProblem {
  /** The funding row it is on; none when it is the project's row. */
  row?: number;
  column: string;
  message: string;
}

/**
 * The money an imported project carries, from its funding rows in the order
 * given, and what is inconsistent with its channel and stage. Each record is
 * checked as the project page checks it (funds.ts): a release no earlier than
 * the approval and with a new document number, an issuance within its quota.
 */
export function importedMoney(
  channel: Channel,
  stage: Stage,
  items: readonly FundingItem[],
  requestedAmount: number,
  today: string,
): { record: WorkflowRecord; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  let record: WorkflowRecord = emptyRecord();
  const stageText = stageLabel(stage, channel);
  const funded = fundedStages.includes(stage);
  if (!funded) {
    for (const item of items) problems.push({ row: item.row, column: 'projectCode', message: `项目阶段为“${stageText}”，尚未获得批复，不能有资金记录` });
    items = [];
  }
  const wrongChannel = (item: FundingItem, message: string) => problems.push({ row: item.row, column: 'type', message });
  const grants = items.filter((i) => i.type !== '发行');
  const issuances = items.filter((i): i is Extract<FundingItem, { type: '发行' }> => i.type === '发行');
  if (channel === 'central_budget') {
    for (const item of issuances) wrongChannel(item, `${channelLabels.central_budget}项目没有债券发行记录`);
    const firsts = grants.filter((i) => i.type === '下达');
    for (const item of grants.filter((i) => i.type === '额度')) wrongChannel(item, `${channelLabels.central_budget}项目请填“下达”或“追加下达”`);
    for (const extra of firsts.slice(1)) wrongChannel(extra, '每个项目只能有一条“下达”记录，以后年度的请填“追加下达”');
    const first = firsts[0];
    if (first) record = { ...record, approval: first.data as Approval };
    for (const item of grants.filter((i) => i.type === '追加下达')) {
      if (!first) {
        wrongChannel(item, '“追加下达”之前须有一条“下达”记录');
        continue;
      }
      const data = item.data as Release;
      const found = fundsDataProblems(record, 'release', data);
      for (const p of found) problems.push({ row: item.row, column: p.path.replace('data.', ''), message: p.message });
      if (!found.length) record = { ...record, ...recordFunds(record, 'release', data) };
    }
  } else {
    for (const item of grants.filter((i) => i.type === '追加下达')) wrongChannel(item, `${channelLabels.special_bond}项目请填“额度”（首笔额度即下达）`);
    // The first quota in time is the approval; the others are the quotas allocated after it.
    const quotas = grants.filter((i) => i.type !== '追加下达').sort((a, b) => (a.data as Release).date.localeCompare((b.data as Release).date));
    const first = quotas[0];
    if (first) record = { ...record, approval: first.data as Approval };
    for (const item of quotas.slice(1)) {
      const data = item.data as Release;
      const found = fundsDataProblems(record, 'quota', data);
      for (const p of found) problems.push({ row: item.row, column: p.path.replace('data.', ''), message: p.message });
      if (!found.length) record = { ...record, ...recordFunds(record, 'quota', data) };
    }
    if (issuances.length && stage === 'approved') {
      for (const item of issuances) problems.push({ row: item.row, column: 'type', message: `有债券发行记录的项目，阶段应为“${stageLabels.issued}”或之后` });
    } else {
      for (const item of [...issuances].sort((a, b) => a.data.issueDate.localeCompare(b.data.issueDate))) {
        const problem = record.approval ? issuanceProblem(record, item.data.amount) : undefined;
        if (problem) problems.push({ row: item.row, column: 'amount', message: problem.message });
        else if (record.approval) record = { ...record, ...recordFunds(record, 'issuance', item.data) };
      }
    }
    if (!record.issuances.length && ['issued', 'implementation', 'completed'].includes(stage)) {
      problems.push({ column: 'stage', message: `阶段为“${stageText}”的专项债券项目须有债券发行记录` });
    }
  }
  if (stage === 'issued' && channel === 'central_budget') problems.push({ column: 'stage', message: `${channelLabels.central_budget}项目没有“${stageLabels.issued}”阶段` });
  if (funded && !record.approval) {
    problems.push({ column: 'stage', message: `阶段为“${stageText}”的项目须有一条“${channel === 'central_budget' ? '下达' : '额度'}”资金记录` });
  }
  if (appliedStages.includes(stage)) {
    const year = record.approval?.year ?? Number(today.slice(0, 4));
    const application: Application = { round: 1, year, date: record.approval?.date ?? today, requestedAmount, latestInYear: true };
    record = { ...record, applications: [application] };
  }
  return { record, problems };
}

/** The money an IMPORT entry recorded, as the folds read it. */
export function importedRecord(data: ImportEntryData): Pick<WorkflowRecord, 'approval' | 'releases' | 'quotas' | 'issuances'> {
  return { approval: data.approval, releases: data.releases ?? [], quotas: data.quotas ?? [], issuances: data.issuances ?? [] };
}
