/**
 * Fills a database with N realistic projects, fast: a few dozen project lives
 * are played through the domain core (workflows/decide.ts), with dossier files,
 * reviews, returns, rounds not chosen, issuances, disbursements, plans for the
 * year and two years of monthly reports for projects under way,
 * and every project is a copy of one of them with its own ids, name,
 * organisation and field. Most open projects with a plan get a responsible
 * leader and member of staff (seeded accounts), and a share of projects under
 * way problems, some escalated, some closed. The stored shape is the service's own (project,
 * history entries, document records), so `npm run check` passes on the result.
 *
 *   npx tsx bench/support/seed-projects.ts 10000     # into DATA_DIR / MONGODB_URI
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { loadSettings } from '../../src/config';
import { connectDatabase } from '../../src/server';
import { newWorkDir } from '../../test/support/child-server';
import { decide } from '../../workflows/decide';
import { disbursedFunds, securedFunds } from '../../workflows/money';
import { currentMachineVersion } from '../../workflows/machines';
import { emptyRecord, type ProjectState } from '../../workflows/project-state';
import { rules } from '../../workflows/rules-file';
import {
  advanceSchedule,
  emptySchedule,
  monthOf,
  monthsBetween,
  nextMonth,
  previousMonth,
  yearOfMonth,
  type PlanEntryData,
  type ReportEntryData,
  type ScheduleState,
  type YearPlan,
} from '../../workflows/schedule';
import { trailOf } from '../../workflows/trail';
import { chinaDay } from '../../workflows/working-days';
import { fields, finalStages, type Channel, type Stage } from '../../workflows/vocabulary';
import { applyResponsibility, RESPONSIBILITY_EVENT } from '../../workflows/responsibility';
import { problemCategories, problemStatusOf, type ProblemEvent } from '../../workflows/problems';
import { Organisation, User } from '../../src/accounts/accounts.model';
import { encodeProblem, Problems, type ProblemDoc } from '../../src/problems/problem.model';
import { storeBuffer } from '../../src/dossier/storage';
import { minimalPdf } from '../../src/demo/sample-files';
import { DocumentRecords, type DocumentRecord } from '../../src/projects/document.model';
import { HISTORY_CHUNK, Project, type HistoryEntry, type ProjectDoc } from '../../src/projects/project.model';
import { MonthlyReports, reportId, type MonthlyReportRecord } from '../../src/schedule/schedule.model';
import { encodeHistoryChunk, encodeHistoryEntry, encodeProject, historyChunkStore, historyStore, type PackedHistoryChunk, type PackedHistoryEntry } from '../../src/projects/project-store';
import { claimsCollection } from '../../src/projects/project-codes';

const DAY_MS = 86_400_000;
/** The newest event of a seeded life: a week before the benchmark runs. */
const LATEST = Date.now() - 7 * DAY_MS;

/** A deterministic generator, so two runs seed the same data. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

/** A monthly report as a life sends it; each copy of the life gives it its project's key. */
type SeededReport = Omit<MonthlyReportRecord, '_id' | 'projectId'>;

interface Life {
  project: Omit<ProjectDoc, '_id' | 'orgId' | 'name' | 'field' | 'documents' | 'lastEntry'>;
  documents: DocumentRecord[];
  reports: SeededReport[];
  history: HistoryEntry[];
}

const targets = [
  { category: 'output' as const, name: '建设规模完成率', weight: 40, target: '100%' },
  { category: 'effect' as const, name: '服务人口', weight: 40, target: '≥5万人' },
  { category: 'satisfaction' as const, name: '群众满意度', weight: 20, target: '≥90%' },
];

/** One project's life, played through the domain core from its draft to `goal`. */
/** A well-formed 项目代码 of its own for the `i`-th seeded project: a million serial numbers per division. */
const seedCode = (i: number) => `${2015 + (i % 10)}-${3608 + Math.floor(i / 999_999)}${String(30 + (i % 50)).padStart(2, '0')}-48-01-${String((i % 999_999) + 1).padStart(6, '0')}`;

class Play {
  state: ProjectState;
  readonly history: HistoryEntry[] = [];
  readonly documents: DocumentRecord[] = [];
  readonly reports: SeededReport[] = [];
  schedule: ScheduleState = emptySchedule();
  private clock: number;
  private stageEnteredAt: Date;
  private readonly owner = { id: 'seed-owner', role: 'owner' as const, orgId: 'seed-org' };
  private readonly staff = { id: 'seed-staff', role: 'staff' as const };

  constructor(
    channel: Channel,
    start: number,
    private readonly rnd: Random,
    private readonly storageKey: string,
  ) {
    const requested = 10_000 * rnd.int(500, 20_000);
    const total = requested * rnd.int(2, 4);
    const startYear = new Date(start).getUTCFullYear();
    this.state = {
      channel,
      stage: 'draft',
      machineVersion: currentMachineVersion(channel),
      orgId: 'seed-org',
      name: '',
      // Each seeded project gets its own code (seedProjects); a life only needs one to apply.
      projectCode: seedCode(0),
      field: 'other',
      totalInvestment: total,
      requestedAmount: requested,
      funding: { centralBudget: channel === 'central_budget' ? requested : 0, specialBond: channel === 'special_bond' ? requested : 0, localFiscal: total - requested, selfRaised: 0, other: 0 },
      startYear,
      endYear: startYear + rnd.int(1, 3),
      financing: channel === 'special_bond' ? { projectedRevenue: Math.round(requested * 1.6), debtService: Math.round(requested * 1.3) } : undefined,
      performanceTargets: targets,
      dossier: {},
      record: emptyRecord(),
    };
    this.clock = start;
    this.stageEnteredAt = new Date(start);
    this.entry(this.owner, 'CREATE', { to: 'draft' });
  }

  private tick(days: number): Date {
    this.clock = Math.min(LATEST, this.clock + days * DAY_MS + this.rnd.int(1, 3_600_000));
    return new Date(this.clock);
  }

  /** Moves the clock to `day` (YYYY-MM-DD, China time), unless it is already later. */
  private until(day: string): Date {
    this.clock = Math.min(LATEST, Math.max(this.clock + 60_000, Date.parse(`${day}T09:00:00+08:00`)));
    return new Date(this.clock);
  }

  private entry(actor: { id: string; role: string; orgId?: string }, event: string, details: Partial<HistoryEntry> = {}): void {
    const names: Record<string, string> = { owner: '项目单位经办人', staff: '发改局经办人' };
    const entry: HistoryEntry = { at: new Date(this.clock), actorId: actor.id, actorName: names[actor.role]!, role: actor.role, orgId: actor.orgId, event, ...details };
    this.history.push(entry);
    this.schedule = advanceSchedule(this.schedule, { ...entry, day: chinaDay(entry.at) });
  }

  /** Staff set the year's plan, early in the year. */
  plan(year: number, plannedStart?: string): void {
    const rnd = this.rnd;
    this.until(`${year}-01-${String(rnd.int(8, 25)).padStart(2, '0')}`);
    const level = rnd.next();
    const plan: YearPlan = {
      ...(level < 0.1 ? { keyLevel: 'province' as const } : level < 0.35 ? { keyLevel: 'city' as const } : level < 0.7 ? { keyLevel: 'county' as const } : {}),
      plannedInvestment: 10_000 * Math.round((this.state.requestedAmount * (0.3 + rnd.next() * 0.4)) / 10_000),
      ...(plannedStart ? { plannedStart } : {}),
      plannedCompletion: `${this.state.endYear}-12-31`,
    };
    this.entry(this.staff, 'PLAN', { data: { year, plan } satisfies PlanEntryData });
  }

  /**
   * The unit reports every month from the start of works to `lastMonth`, a few
   * days into the following month: now and then late, a month missed, or a
   * report corrected; funds are disbursed every other month.
   */
  reportMonthly(lastMonth: string): void {
    const rnd = this.rnd;
    const startedOn = chinaDay(new Date(this.clock));
    let percent = 0;
    for (const month of monthsBetween(monthOf(startedOn), lastMonth)) {
      const year = yearOfMonth(month);
      if (!this.schedule.plans[String(year)]) this.plan(year, startedOn);
      if (rnd.chance(0.04) && month !== monthOf(startedOn)) continue;
      const plan = this.schedule.plans[String(year)]!;
      percent = Math.min(100, percent + rnd.int(2, 8));
      const figures = { completedInvestment: 10_000 * Math.round((plan.plannedInvestment * (0.5 + rnd.next() * 0.8)) / 12 / 10_000), progressPercent: percent };
      this.until(`${nextMonth(month)}-${String(rnd.chance(0.1) ? rnd.int(6, 12) : rnd.int(1, 5)).padStart(2, '0')}`);
      this.report(month, figures, month === monthOf(startedOn) ? startedOn : undefined);
      if (rnd.chance(0.04)) {
        this.until(`${nextMonth(month)}-15`);
        this.report(month, { ...figures, completedInvestment: figures.completedInvestment + 100_000 }, undefined, '统计口径调整，补报本月完成投资');
      }
      const amount = Math.floor(this.state.requestedAmount / 24);
      const room = securedFunds(this.state.channel, this.state.record) - disbursedFunds(this.state.record);
      if (rnd.chance(0.5) && amount <= room) this.send('RECORD_DISBURSEMENT', { data: { amount, date: chinaDay(new Date(this.clock)) } }, 1);
    }
  }

  private report(month: string, figures: { completedInvestment: number; progressPercent: number }, startedOn?: string, reason?: string): void {
    const revision = (this.schedule.months[month]?.revisions ?? 0) + 1;
    const progressNote = `${Number(month.slice(5))}月：主体工程推进中，形象进度${figures.progressPercent}%`;
    const inStatistics = true;
    this.reports.push({ month, revision, ...figures, progressNote, startedOn, inStatistics, photoIds: [], reason, reportedAt: new Date(this.clock), reportedBy: { id: this.owner.id, name: '项目单位经办人', role: 'owner' } });
    const data: ReportEntryData = { month, revision, ...figures, progressNote, startedOn, inStatistics };
    this.entry(this.owner, 'MONTHLY_REPORT', { reason, data });
  }

  send(type: string, extras: { reason?: string; data?: unknown } = {}, days = 5): void {
    const at = this.tick(days);
    const actor = ['SUBMIT', 'WITHDRAW', 'START_PRELIMINARY'].includes(type) ? this.owner : this.staff;
    const decision = decide(this.state, { type, actor, at: at.toISOString(), day: chinaDay(at), ...extras }, rules);
    if (!decision.ok) throw new Error(`seed: ${type} in ${this.state.stage} refused: ${JSON.stringify(decision.refusal)}`);
    if (decision.to !== decision.from) this.stageEnteredAt = at;
    this.state = { ...this.state, stage: decision.to, record: decision.record };
    this.entry(actor, type, { from: decision.from, to: decision.to, reason: decision.reason, data: decision.data });
  }

  /** The owner uploads a file; staff accept it (or first reject it and take a corrected version). */
  file(docType: string): void {
    const rejectFirst = this.rnd.chance(0.15);
    for (let attempt = 0; attempt < (rejectFirst ? 2 : 1); attempt++) {
      const version = 1 + this.documents.filter((d) => d.docType === docType).length;
      const at = this.tick(1);
      const document: DocumentRecord = {
        _id: new Types.ObjectId(),
        projectId: new Types.ObjectId(),
        docType,
        version,
        fileName: `${rules.documentTypes[docType]}-第${version}版.pdf`,
        size: SAMPLE.length,
        sha256: this.storageKey.slice(3),
        mime: 'application/pdf',
        kind: 'pdf',
        storageKey: this.storageKey,
        uploadedAt: at,
        uploadedBy: { id: this.owner.id, name: '项目单位经办人' },
      };
      this.documents.push(document);
      this.entry(this.owner, 'DOCUMENT_UPLOAD', { data: { documentId: document._id.toString(), docType, version, fileName: document.fileName, sha256: document.sha256 } });
      const decision = attempt === 0 && rejectFirst ? 'rejected' : 'accepted';
      const reviewedAt = this.tick(2);
      document.review = { decision, reason: decision === 'rejected' ? '扫描件不清晰，请重新上传' : undefined, at: reviewedAt, by: { id: this.staff.id, name: '发改局经办人' } };
      this.entry(this.staff, 'DOCUMENT_REVIEW', { reason: document.review.reason, data: { documentId: document._id.toString(), docType, version, decision } });
      this.state = { ...this.state, dossier: { ...this.state.dossier, [docType]: decision } };
    }
  }

  files(stage: 'draft' | 'preliminary'): void {
    for (const docType of rules.requiredDocuments[this.state.channel][stage]) this.file(docType);
  }

  life(): Life {
    const last = this.history.at(-1)!;
    const { record, ...state } = this.state;
    return {
      project: {
        channel: state.channel,
        location: '青山县',
        description: '新建及改造工程，建设内容包括主体工程、配套管网及附属设施。',
        totalInvestment: state.totalInvestment,
        requestedAmount: state.requestedAmount,
        funding: state.funding,
        startYear: state.startYear,
        endYear: state.endYear,
        financing: state.financing,
        performanceTargets: state.performanceTargets,
        stage: state.stage,
        version: this.history.length,
        machineVersion: state.machineVersion,
        stageEnteredAt: this.stageEnteredAt,
        ...record,
        dossier: state.dossier,
        schedule: this.schedule,
        trail: trailOf(this.history.map((h) => ({ ...h, at: h.at.toISOString() }))),
        createdAt: this.history[0]!.at,
        updatedAt: last.at,
      },
      documents: this.documents,
      reports: this.reports,
      history: this.history,
    };
  }
}

const SAMPLE = minimalPdf('seeded dossier file');

/** Where lives end: a district's spread of stages, dropped projects included. */
const GOALS: [Stage, number][] = [
  ['draft', 8], ['reserve_review', 3], ['reserve', 18], ['preliminary', 12], ['application_review', 3], ['submitted', 6],
  ['approved', 5], ['issued', 4], ['implementation', 22], ['completed', 5], ['evaluated', 6], ['rejected', 3], ['removed', 3], ['withdrawn', 2],
];

const ORDER: Stage[] = ['draft', 'reserve_review', 'reserve', 'preliminary', 'application_review', 'submitted', 'approved', 'issued', 'implementation', 'completed', 'evaluated'];

function play(index: number, storageKey: string): Life {
  const rnd = random(1000 + index);
  const goal = GOALS[index % GOALS.length]![0];
  const channel: Channel = goal === 'issued' || index % 2 ? 'special_bond' : 'central_budget';
  const depth = ORDER.indexOf(goal === 'rejected' ? 'reserve_review' : goal === 'removed' ? 'reserve' : goal === 'withdrawn' ? 'draft' : goal);
  // Deeper lives started earlier, so their events fit before today; works go on for two years and more.
  const works = depth >= ORDER.indexOf('implementation') ? 2 * 365 : 0;
  const start = LATEST - (60 + depth * 90 + works + rnd.int(0, 400)) * DAY_MS;
  const p = new Play(channel, start, rnd, storageKey);
  const reach = (stage: Stage) => ORDER.indexOf(stage) <= depth;

  if (reach('reserve_review') || goal === 'rejected') {
    p.files('draft');
    p.send('SUBMIT');
    if (rnd.chance(0.25)) {
      p.send('RETURN', { reason: '项目建议书投资估算依据不足，请补充' });
      p.send('SUBMIT');
    }
  }
  if (goal === 'rejected') p.send('REJECT', { reason: '不符合储备库入库条件' });
  if (reach('reserve') || goal === 'removed') p.send('APPROVE', {}, 8);
  if (goal === 'removed') p.send('REMOVE', { reason: '项目已由其他资金解决' });
  if (reach('preliminary')) {
    p.send('START_PRELIMINARY', {}, 20);
    p.files('preliminary');
    if (rnd.chance(0.5)) for (const docType of rules.yiJianSanZheng.documents.slice(1)) p.file(docType);
  }
  if (reach('application_review')) p.send('SUBMIT', {}, 10);
  if (reach('submitted')) {
    p.send('APPROVE', {}, 6);
    if (reach('approved') && rnd.chance(0.2)) {
      p.send('RECORD_REJECTION', { reason: '本批次未获安排，转入下一批次' }, 40);
      p.send('START_PRELIMINARY', {}, 30);
      p.send('SUBMIT', {}, 10);
      p.send('APPROVE', {}, 6);
    }
  }
  if (reach('approved')) {
    const at = new Date(Math.min(LATEST, start + (depth * 60 + 200) * DAY_MS));
    p.send('RECORD_APPROVAL', { data: { amount: p.state.requestedAmount, year: at.getUTCFullYear(), docNo: `发改投资〔${at.getUTCFullYear()}〕${index % 300}号`, date: chinaDay(at) } }, 45);
  }
  if (reach('issued') && channel === 'special_bond') {
    const batches = rnd.int(1, 3);
    let left = p.state.requestedAmount;
    for (let b = 1; b <= batches && left > 0; b++) {
      const amount = b === batches ? left : Math.floor(left / 2);
      left -= amount;
      p.send('RECORD_ISSUANCE', { data: { batch: `第${b}批`, bondCode: `${2000 + index % 8000}${b}`, amount, termYears: 15, rate: 2.4, issueDate: chinaDay(new Date(LATEST - (depth - 6) * 30 * DAY_MS)) } }, 30);
    }
  }
  const thisYear = yearOfMonth(monthOf(chinaDay(new Date(LATEST))));
  // Projects with funds secured, and some in preparation, are planned to start this year.
  if (goal === 'approved' || goal === 'issued' || (goal === 'preliminary' && rnd.chance(0.3))) p.plan(thisYear, `${thisYear}-${String(rnd.int(3, 12)).padStart(2, '0')}-01`);
  if (reach('implementation')) {
    p.send('START_IMPLEMENTATION', {}, 20);
    p.send('RECORD_PROGRESS', { data: { percent: 0, note: '施工单位进场' } }, 1);
    const lastMonth = previousMonth(monthOf(chinaDay(new Date(LATEST - (reach('completed') ? 60 : 0) * DAY_MS))));
    p.reportMonthly(lastMonth);
  }
  if (reach('completed')) p.send('COMPLETE', { data: { date: chinaDay(new Date(LATEST - 20 * DAY_MS)) } }, 20);
  if (reach('evaluated')) p.send('EVALUATE', { data: { scores: targets.map((t) => ({ name: t.name, score: rnd.int(55, 98) })) } }, 20);
  if (goal === 'withdrawn') p.send('WITHDRAW', {}, 15);
  return p.life();
}

const LIVES = 70;
const ORGANISATIONS = 60;
const LEADERS = 40;
const STAFF = 12;
const BATCH = 2_000;

/** The shortened projections a benchmark compares against: what every seeded project is. */
export interface SeededProject {
  id: string;
  life: number;
  orgId: string;
  field: string;
  name: string;
  version: number;
  leaderId?: string;
}

/** Accounts that answer for projects; nobody logs in with them (their password hash is not one). */
async function seedPeople(role: 'leader' | 'staff', count: number): Promise<string[]> {
  const people = Array.from({ length: count }, (_, i) => ({ username: `seed-${role}-${i + 1}`, passwordHash: '!', displayName: `${role === 'leader' ? '包联领导' : '经办人'}${i + 1}`, role, disabled: false }));
  const { insertedIds } = await User.collection.insertMany(people);
  return Object.values(insertedIds).map(String);
}

/**
 * The project's leader and member of staff, assigned by staff an hour after
 * its last event, as a history entry like the service's (workflows/responsibility.ts).
 */
function assigned(history: HistoryEntry[], leaderId: string, staffId: string, unit: string): HistoryEntry {
  const data = applyResponsibility(undefined, { leaderId, staffId, unit, contact: '项目负责人', phone: '13800000000' });
  return { at: new Date(history.at(-1)!.at.getTime() + 3_600_000), actorId: staffId, actorName: '发改局经办人', role: 'staff', event: RESPONSIBILITY_EVENT, data };
}

const PROBLEM_TEXTS = ['用地指标尚未落实', '配套资金未到位', '规划方案调整待批', '环评批复办理中', '节能审查意见未出具', '征地拆迁进度滞后', '施工许可手续未办结', '施工用电未接入', '管线迁改协调难'];

/** One to three problems of a project under way, raised in the months before `until`: some escalated, some closed. */
function problemsOf(project: ProjectDoc, i: number, until: number, staffId: string): ProblemDoc[] {
  return Array.from({ length: 1 + (i % 3) }, (_, k) => {
    const raisedAt = new Date(until - (10 + ((i * 7 + k * 13) % 120)) * DAY_MS);
    const by = { id: staffId, name: '发改局经办人', role: 'staff' };
    const category = problemCategories[(i + k) % problemCategories.length]!;
    const events: ProblemEvent[] = [{ type: 'RAISE', at: raisedAt.toISOString(), by, level: 'county' }];
    const later = (days: number) => new Date(raisedAt.getTime() + days * DAY_MS).toISOString();
    if ((i + k) % 4 === 0) events.push({ type: 'ESCALATE', at: later(5), by, reason: '区级协调未果', level: 'city' });
    if ((i + k) % 3 !== 1) events.push({ type: 'RESOLVE', at: later(9), by, resolution: '经协调已解决' });
    const status = problemStatusOf(events)!;
    return {
      _id: new Types.ObjectId(),
      projectId: project._id,
      orgId: project.orgId,
      category,
      description: PROBLEM_TEXTS[(i + k) % PROBLEM_TEXTS.length]!,
      responsibleUnit: '青山县自然资源局',
      dueDate: chinaDay(new Date(raisedAt.getTime() + 30 * DAY_MS)),
      attachmentIds: [],
      events,
      ...status,
      version: events.length,
      raisedAt,
      updatedAt: new Date(events.at(-1)!.at),
    };
  });
}

/** Seeds `count` projects into the connected database; returns what it made. */
export async function seedProjects(count: number, uploadsDir: string, progress: (line: string) => void = () => undefined) {
  const stored = await storeBuffer(uploadsDir, SAMPLE, 'seed.pdf');
  const lives = Array.from({ length: LIVES }, (_, i) => play(i, stored.storageKey));
  const orgs = await Organisation.insertMany(Array.from({ length: ORGANISATIONS }, (_, i) => ({ name: `示范单位${String(i + 1).padStart(3, '0')}`, kind: '事业单位' })));
  const leaders = await seedPeople('leader', LEADERS);
  const staff = await seedPeople('staff', STAFF);
  const seeded: SeededProject[] = [];
  let historyCount = 0;
  let problemCount = 0;
  for (let first = 0; first < count; first += BATCH) {
    const projects: ProjectDoc[] = [];
    const entries: PackedHistoryEntry[] = [];
    const chunks: PackedHistoryChunk[] = [];
    const records: object[] = [];
    const reports: MonthlyReportRecord[] = [];
    const problems: ProblemDoc[] = [];
    for (let i = first; i < Math.min(count, first + BATCH); i++) {
      const life = lives[i % LIVES]!;
      const _id = new Types.ObjectId();
      const id = _id.toString();
      const ids = new Map(life.documents.map((d) => [d._id.toString(), new Types.ObjectId()]));
      const documents = life.documents.map((d) => ({ ...d, _id: ids.get(d._id.toString())!, projectId: _id }));
      const history = life.history.map((h) => {
        const data = h.data as { documentId?: string } | undefined;
        return data?.documentId ? { ...h, data: { ...data, documentId: ids.get(data.documentId)!.toString() } } : h;
      });
      const org = orgs[i % ORGANISATIONS]!;
      const field = fields[i % fields.length]!;
      const name = `${org.name.slice(0, 4)}第${i + 1}号${['道路', '供水', '学校', '医院', '园区', '污水', '保障房', '农田'][i % 8]}建设项目`;
      let project = { ...life.project, _id, orgId: org._id, name, projectCode: seedCode(i), field, documents: documents.map((d) => d._id), lastEntry: { ...history.at(-1)!, version: history.length } } as ProjectDoc;
      // Six in seven open projects with a plan have a leader: coverage falls a little short, as it does in a district.
      const open = !finalStages.includes(project.stage);
      if (open && Object.keys(project.schedule.plans).length > 0 && i % 7 !== 0) {
        const entry = assigned(history, leaders[i % LEADERS]!, staff[i % STAFF]!, org.name);
        history.push(entry);
        project = { ...project, version: history.length, lastEntry: { ...entry, version: history.length }, responsibility: (entry.data as { responsibility: ProjectDoc['responsibility'] }).responsibility, updatedAt: entry.at };
      }
      if (open && ORDER.indexOf(project.stage) >= ORDER.indexOf('preliminary') && i % 10 < 3) problems.push(...problemsOf(project, i, LATEST, staff[i % STAFF]!));
      projects.push(project);
      const versioned = history.map((h, v) => ({ ...h, version: v + 1 }));
      entries.push(...versioned.map((entry) => encodeHistoryEntry(id, entry)));
      // The chunks the service would have written: each one once a change came after its sixteenth entry.
      for (let chunk = 0; (chunk + 1) * HISTORY_CHUNK < versioned.length; chunk++) chunks.push(encodeHistoryChunk(id, chunk, versioned.slice(chunk * HISTORY_CHUNK, (chunk + 1) * HISTORY_CHUNK)));
      records.push(...documents);
      reports.push(...life.reports.map((r) => ({ ...r, _id: reportId(id, r.month, r.revision), projectId: _id })));
      seeded.push({ id, life: i % LIVES, orgId: org._id.toString(), field, name, version: project.version, leaderId: project.responsibility?.leaderId });
    }
    await Project.collection.insertMany(projects.map(encodeProject), { ordered: false });
    // Each code claimed in its project's name, as the service claims it (src/projects/project-codes.ts).
    await claimsCollection().insertMany(projects.map((p) => ({ _id: p.projectCode!, projectId: p._id, at: p.createdAt })), { ordered: false });
    await historyStore.insertMany(entries);
    if (chunks.length) await historyChunkStore.insertMany(chunks);
    await DocumentRecords.collection.insertMany(records as never[], { ordered: false });
    if (reports.length) await MonthlyReports.collection.insertMany(reports as never[], { ordered: false });
    if (problems.length) await Problems.collection.insertMany(problems.map(encodeProblem) as never[], { ordered: false });
    historyCount += entries.length;
    problemCount += problems.length;
    progress(`seeded ${Math.min(count, first + BATCH)} of ${count} projects (${historyCount} history entries, ${problemCount} problems)`);
  }
  return { seeded, lives, historyEntries: historyCount, problems: problemCount, leaders };
}

/** A fresh work folder (data/ and uploads/, as a child server uses them) with `count` projects seeded, its database stopped again. */
export async function seedWorkDir(count: number, progress: (line: string) => void = () => undefined) {
  const workDir = await newWorkDir();
  const settings = { ...loadSettings({ ...process.env, MONGODB_URI: '' }), dataDir: path.join(workDir, 'data'), uploadsDir: path.join(workDir, 'uploads') };
  const database = await connectDatabase(settings);
  try {
    const started = performance.now();
    const result = await seedProjects(count, settings.uploadsDir, progress);
    progress(`seeded ${count} projects in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { workDir, ...result };
  } finally {
    await mongoose.disconnect();
    await database.stop();
  }
}
