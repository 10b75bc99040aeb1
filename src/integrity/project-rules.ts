/**
 * The rules one stored project must satisfy, as pure functions: its version
 * counts its history, its history is a walk the machine it runs on allows,
 * nothing changed it after it reached a final stage or while it was not with
 * its owner, its trail, schedule and responsibility are the ones its history gives, its money never exceeds
 * what was secured, and its files are of known types.
 *
 * The history is read as a stream (one project's entries after another), so
 * `HistoryWalk` folds one entry at a time and `projectViolations` runs the
 * same fold over a history held in memory.
 */
import { may } from '../../workflows/access';
import { dossierStates, isDocumentType, type DocumentVersion } from '../../workflows/dossier';
import { isKnownMachineVersion, machineFor, transitionsOf } from '../../workflows/machines';
import { fundsEventNames, fundsEvents } from '../../workflows/funds';
import { IMPORT_EVENT, importableStages, importedRecord, type ImportEntryData } from '../../workflows/project-import';
import { emptyRecord, type Issuance, type WorkflowRecord } from '../../workflows/project-state';
import { bondQuota, disbursedFunds, issuanceOf, quotaOfIssuance, quotaUses, securedFunds, sumAmounts } from '../../workflows/money';
import { rules } from '../../workflows/rules-file';
import { advanceSchedule, emptySchedule, type ReportEntryData, type ScheduleState } from '../../workflows/schedule';
import { advanceTrail, emptyTrail, type Trail } from '../../workflows/trail';
import { advanceResponsibility, RESPONSIBILITY_EVENT, type Responsibility } from '../../workflows/responsibility';
import { advanceRound, ROUND_EVENT, type RoundMembership } from '../../workflows/rounds';
import { chinaDay } from '../../workflows/working-days';
import { finalStages, type Stage } from '../../workflows/vocabulary';
import { recordOf } from '../projects/catalogue';
import type { HistoryEntry, ProjectDoc } from '../projects/project.model';
import { reportId } from '../schedule/schedule.model';
import type { Violation } from './violation';

/** History entries that record a change to the project itself (or a letter about it), never a move between stages. */
const RECORD_ONLY_EVENTS = new Set(['EDIT', 'DOCUMENT_UPLOAD', 'DOCUMENT_REVIEW', 'DOCUMENT_WITHDRAW', 'PLAN', 'MONTHLY_REPORT', RESPONSIBILITY_EVENT, 'REMINDER_LETTER', ...fundsEventNames, ROUND_EVENT]);

/** What is compared after the walk: the parts of a project its history decides. */
export type WalkedProject = Pick<ProjectDoc, 'machineVersion' | 'stage' | 'version'> & {
  _id: { toString(): string };
  trail?: Trail;
  dossier?: ProjectDoc['dossier'];
  documents?: { toString(): string }[];
  schedule?: ProjectDoc['schedule'];
  responsibility?: Responsibility;
  round?: RoundMembership;
} & Partial<Pick<WorkflowRecord, 'releases' | 'quotas' | 'issuances'>>;

/** A file version as the history tells it: uploaded as which type and version, and its latest review. */
export interface WalkedDocument extends DocumentVersion {
  reviewEntry?: HistoryEntry;
}

interface DocumentData {
  documentId?: string;
  docType?: string;
  version?: number;
  decision?: 'accepted' | 'rejected';
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sorted = (map: object) => Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
const trailEntry = (entry: HistoryEntry) => ({ ...entry, at: new Date(entry.at).toISOString() });

export class HistoryWalk {
  private readonly found: Violation[] = [];
  private readonly next?: Map<string, Stage>;
  private readonly initial?: string;
  private stage?: string;
  private count = 0;
  private closedAt?: number;
  trail: Trail = emptyTrail();
  schedule: ScheduleState = emptySchedule();
  responsibility?: Responsibility;
  round?: RoundMembership;
  /** Every file version the history uploaded and did not withdraw, by document id. */
  readonly documents = new Map<string, WalkedDocument>();
  /** The money recorded after the approval, as the history gives it (docs/domain.md, "Money over several years"). */
  private money: WorkflowRecord = emptyRecord();
  /** Every monthly report the history received, by its record's key. */
  readonly reports = new Map<string, ReportEntryData>();

  constructor(private readonly project: WalkedProject) {
    if (!isKnownMachineVersion(project.machineVersion)) {
      this.violation('history', `未知的流程版本 ${project.machineVersion}`);
      return;
    }
    const machine = machineFor(project.machineVersion);
    this.initial = String(machine.config.initial);
    this.next = new Map(transitionsOf(machine).map((t) => [`${t.from}:${t.event}`, t.to]));
  }

  private violation(rule: Violation['rule'], detail: string): void {
    this.found.push({ rule, projectId: this.project._id.toString(), detail });
  }

  /** The state of each type's newest version, as the history decides it. */
  get dossier(): ProjectDoc['dossier'] {
    return dossierStates([...this.documents.values()]);
  }

  private noteDocument(entry: HistoryEntry): void {
    const data = (entry.data ?? {}) as DocumentData;
    if (!data.documentId) return;
    if (entry.event === 'DOCUMENT_UPLOAD' && data.docType && data.version) {
      this.documents.set(data.documentId, { docType: data.docType, version: data.version });
    }
    if (entry.event === 'DOCUMENT_WITHDRAW') this.documents.delete(data.documentId);
    const document = this.documents.get(data.documentId);
    if (entry.event === 'DOCUMENT_REVIEW' && document && data.decision) {
      this.documents.set(data.documentId, { ...document, review: { decision: data.decision }, reviewEntry: entry });
    }
  }

  /** The approval, plan releases, quotas and issuances, folded from their entries as the service recorded them. */
  private noteMoney(entry: HistoryEntry): void {
    const data = entry.data as never;
    if (entry.event === IMPORT_EVENT && data) this.money = { ...this.money, ...importedRecord(data as ImportEntryData) };
    else if (entry.event === 'RECORD_APPROVAL' && data) this.money = { ...this.money, approval: data };
    else if (entry.event === fundsEvents.release && data) this.money = { ...this.money, releases: [...this.money.releases, data] };
    else if (entry.event === fundsEvents.quota && data) this.money = { ...this.money, quotas: [...this.money.quotas, data] };
    else if ((entry.event === 'RECORD_ISSUANCE' || entry.event === fundsEvents.issuance) && data) {
      this.money = { ...this.money, issuances: [...this.money.issuances, issuanceOf(this.money, data)] };
    }
  }

  step(entry: HistoryEntry): void {
    this.count++;
    this.trail = advanceTrail(this.trail, trailEntry(entry));
    this.schedule = advanceSchedule(this.schedule, { ...entry, day: chinaDay(new Date(entry.at)) });
    this.responsibility = advanceResponsibility(this.responsibility, entry);
    this.round = advanceRound(this.round, entry);
    if (entry.event === 'MONTHLY_REPORT') {
      const report = entry.data as ReportEntryData;
      this.reports.set(reportId(this.project._id.toString(), report.month, report.revision), report);
    }
    this.noteDocument(entry);
    this.noteMoney(entry);
    if (!this.next) return;
    const at = `第 ${this.count} 条记录（${entry.event}）`;
    if (this.count === 1) {
      // An imported project starts at the stage it had reached (docs/domain.md, "Importing projects").
      if (entry.event === IMPORT_EVENT && entry.to && importableStages.includes(entry.to)) {
        this.stage = entry.to;
        return;
      }
      if (entry.event !== 'CREATE' || entry.to !== this.initial) {
        this.violation('history', `第 1 条记录应为 CREATE → ${this.initial}（或 ${IMPORT_EVENT}），实为 ${entry.event} → ${entry.to ?? '（无）'}`);
      }
      this.stage = this.initial;
      return;
    }
    const stage = this.stage as Stage;
    if (this.closedAt !== undefined) this.violation('after-final', `${at}：项目已于第 ${this.closedAt} 条记录进入终结阶段，此后不应再有变化`);
    if (entry.event === 'EDIT' && entry.role === 'owner' && !may({ id: entry.actorId, role: 'owner', orgId: entry.orgId }, 'edit', { orgId: entry.orgId ?? '', stage })) {
      this.violation('owner-edit', `${at}：项目单位在“${stage}”阶段修改了项目，此阶段只能由发改部门修改`);
    }
    if (RECORD_ONLY_EVENTS.has(entry.event)) {
      if ((entry.from && entry.from !== stage) || (entry.to && entry.to !== stage)) {
        this.violation('history', `${at}不应改变阶段，却记为 ${entry.from} → ${entry.to}（当时阶段 ${stage}）`);
      }
      return;
    }
    if (entry.from !== stage) this.violation('history', `${at}记为从 ${entry.from} 出发，而当时阶段为 ${stage}`);
    const target = this.next.get(`${stage}:${entry.event}`);
    if (target === undefined) {
      this.violation('history', `${at}：阶段 ${stage} 不允许此事件`);
    } else if (entry.to !== target) {
      this.violation('history', `${at}应到达 ${target}，却记为 ${entry.to}`);
    }
    this.stage = entry.to ?? target ?? stage;
    if (finalStages.includes(this.stage as Stage)) this.closedAt ??= this.count;
  }

  /** The violations once every entry has been walked. */
  finish(): Violation[] {
    if (this.project.version !== this.count) this.violation('version', `版本号 ${this.project.version} 与记录条数 ${this.count} 不一致`);
    if (this.next && this.stage !== this.project.stage) this.violation('history', `按记录应处于 ${this.stage}，而项目阶段为 ${this.project.stage}`);
    if (this.project.trail && !sameJson(this.trail, this.project.trail)) {
      this.violation('trail', '项目保存的审核与退回轨迹与其历史记录不符（可用 npm run check -- --repair 按历史记录重建）');
    }
    if (this.project.documents && !sameJson(this.project.documents.map(String).sort(), [...this.documents.keys()].sort())) {
      this.violation('locator', '项目所记的材料与其历史记录中上传而未撤回的材料不符');
    }
    if (this.project.schedule && !sameJson(this.schedule, this.project.schedule)) {
      this.violation('schedule', '项目保存的年度计划与月报数据与其历史记录不符（可用 npm run check -- --repair 按历史记录重建）');
    }
    // Projects stored before responsibilities existed have none, as their history has no RESPONSIBILITY entry.
    if (!sameJson(this.responsibility ?? null, this.project.responsibility ?? null)) {
      this.violation('responsibility', '项目保存的责任分工与其历史记录不符（可用 npm run check -- --repair 按历史记录重建）');
    }
    if (!sameJson(this.round ?? null, this.project.round ?? null)) {
      this.violation('round', '项目所在的申报批次及本次申请金额与其历史记录不符');
    }
    if (this.project.dossier && !sameJson(sorted(this.dossier), sorted(this.project.dossier))) {
      this.violation('dossier', '项目保存的材料状态与其历史记录不符（可用 npm run check -- --repair 按历史记录重建）');
    }
    // Issuances stored before quotas were numbered went against the approval (quota 1).
    const issued = (list: Issuance[] | undefined) => (list ?? []).map((i) => ({ ...i, quota: quotaOfIssuance(i) }));
    const money = this.project;
    if (
      (money.releases && !sameJson(money.releases, this.money.releases)) ||
      (money.quotas && !sameJson(money.quotas, this.money.quotas)) ||
      (money.issuances && !sameJson(issued(money.issuances), issued(this.money.issuances)))
    ) {
      this.violation('money-record', '项目保存的下达计划、额度或债券发行与其历史记录不符');
    }
    return this.found;
  }
}

/** Issued bonds within the allocated quota; disbursements within the funds secured. */
export function moneyViolations(project: ProjectDoc): Violation[] {
  const projectId = project._id.toString();
  const record = recordOf(project);
  const found: Violation[] = [];
  const issued = sumAmounts(record.issuances);
  const quota = bondQuota(record);
  if (issued > quota) found.push({ rule: 'issuance-quota', projectId, detail: `累计发行 ${issued} 元超过下达额度 ${quota} 元` });
  for (const use of quotaUses(record)) {
    if (use.left < 0 && issued <= quota) found.push({ rule: 'issuance-quota', projectId, detail: `第${use.no}笔额度累计发行 ${use.issued} 元超过该笔额度 ${use.amount} 元` });
  }
  const disbursed = disbursedFunds(record);
  const secured = securedFunds(project.channel, record);
  if (disbursed > secured) found.push({ rule: 'disbursement-secured', projectId, detail: `累计拨付 ${disbursed} 元超过到位资金 ${secured} 元` });
  return found;
}

/** Files of a type the rules do not know (such as `__proto__`), kept before such input was refused. */
export function documentTypeViolations(projectId: string, dossier: ProjectDoc['dossier']): Violation[] {
  return Object.keys(dossier ?? {})
    .filter((docType) => !isDocumentType(rules, docType))
    .map((docType) => ({ rule: 'document-type', projectId, detail: `材料类型 ${JSON.stringify(docType)} 不是规定的材料类型` }));
}

/** Every rule, for a project whose whole history is at hand (oldest first). */
export function projectViolations(project: ProjectDoc & { history: HistoryEntry[] }): Violation[] {
  const walk = new HistoryWalk(project);
  for (const entry of project.history) walk.step(entry);
  return [...walk.finish(), ...moneyViolations(project), ...documentTypeViolations(project._id.toString(), project.dossier)];
}
