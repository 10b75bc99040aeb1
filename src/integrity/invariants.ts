/**
 * Reads everything back and reports what breaks the rules the service keeps:
 * every project's version, history, trail, schedule and responsibility, its
 * money, its monthly reports, every problem against its events, and every
 * stored file: its record, and its bytes on disk with the recorded SHA-256.
 * Used after load and fault tests, after a restore, and by `npm run check`;
 * with `repair` it also mends what is derived (a trail that drifted from the
 * history) or left half-done by a crash (a history entry only the project holds).
 *
 * Cost grows with the data once: projects, locators and history are each read
 * in one pass, and only a small state per project is kept in memory.
 */
import path from 'node:path';
import { Types } from 'mongoose';
import { allClaims, claimsCollection } from '../projects/project-codes';
import type { ProjectDoc, StoredHistoryEntry } from '../projects/project.model';
import { historyStore, projectStore } from '../projects/project-store';
import { hasOldLayout } from '../projects/layout-upgrade';
import { sameEntry } from '../projects/project.repository';
import { ChunkDigests, historyChunkViolations } from './history-chunks';
import { DocumentRecords, type DocumentRecord } from '../projects/document.model';
import { storedFilePath } from '../dossier/storage';
import { Imports, type ImportRecord } from '../imports/import.model';
import { letterRecords } from '../reminder-letters/reminder-letter.model';
import { MonthlyReports, SitePhotos, type MonthlyReportRecord, type SitePhotoRecord } from '../schedule/schedule.model';
import type { ReportEntryData } from '../../workflows/schedule';
import { finalStages } from '../../workflows/vocabulary';
import { documentTypeViolations, HistoryWalk, moneyViolations } from './project-rules';
import { problemStore } from '../problems/problem.model';
import { allAttachments } from '../problems/problem-attachments';
import { problemStatusOf } from '../../workflows/problems';
import { isDocumentType } from '../../workflows/dossier';
import { rules } from '../../workflows/rules-file';
import { digestFile, listStoredFiles, sha256OfKey, type FileDigest } from './stored-files';
import type { Violation } from './violation';

export type { Violation } from './violation';

export interface InvariantReport {
  projects: number;
  documents: number;
  /** Distinct stored files read and hashed. */
  files: number;
  historyEntries: number;
  /** Newest history entries held only by their project (a change whose append a crash cut off). */
  pendingEntries: number;
  /** What `repair` mended. */
  repaired: { appendedEntries: number; rebuiltTrails: number; rebuiltDossiers: number; rebuiltSchedules: number; rebuiltResponsibilities: number; notedReviews: number; codeClaims: number; droppedHistoryChunks: number };
  /** Claims of a project code that hold nothing (a stop between a claim and its change, or between a change and the release): harmless, removed by `repair`. */
  idleCodeClaims: number;
  violations: Violation[];
}

/** Hashes each stored file once, however many document versions share its content. */
class FileDigests {
  private readonly digests = new Map<string, Promise<FileDigest | undefined>>();

  constructor(private readonly uploadsDir: string) {}

  get(storageKey: string): Promise<FileDigest | undefined> {
    let digest = this.digests.get(storageKey);
    if (!digest) {
      digest = digestFile(storedFilePath(this.uploadsDir, storageKey)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      this.digests.set(storageKey, digest);
    }
    return digest;
  }

  get count(): number {
    return this.digests.size;
  }
}

/** Each file record against the version its project's history uploaded, and its bytes against the record. */
async function documentViolations(noted: Map<string, string>, histories: Map<string, ProjectHistoryCheck>, files: FileDigests, repair: boolean) {
  const found: Violation[] = [];
  const recorded = new Set<string>();
  let reviewsNoted = 0;
  for await (const record of DocumentRecords.collection.find<DocumentRecord>({})) {
    const documentId = record._id.toString();
    const projectId = noted.get(documentId);
    // A record no project notes is an upload whose change failed: it leads nowhere.
    if (!projectId) continue;
    recorded.add(documentId);
    const at = { projectId, documentId };
    const walked = histories.get(projectId)!.walk.documents.get(documentId);
    if (!walked || record.projectId.toString() !== projectId || record.docType !== walked.docType || record.version !== walked.version) {
      found.push({ rule: 'locator', ...at, detail: `材料 ${record.fileName} 的记录与项目历史记录中的上传不符` });
    }
    if (!isDocumentType(rules, record.docType)) found.push({ rule: 'document-type', ...at, detail: `材料 ${record.fileName} 的类型 ${JSON.stringify(record.docType)} 不是规定的材料类型` });
    if (walked && record.review?.decision !== walked.review?.decision) {
      const entry = walked.reviewEntry;
      if (repair && entry) {
        const review = { decision: walked.review!.decision, reason: entry.reason, at: entry.at, by: { id: entry.actorId, name: entry.actorName } };
        await DocumentRecords.collection.updateOne({ _id: record._id }, { $set: { review } });
        reviewsNoted++;
      } else {
        found.push({ rule: 'document-review', ...at, detail: `材料 ${record.fileName} 的审核结果与历史记录不符（可用 npm run check -- --repair 按历史记录补记）` });
      }
    }
    found.push(...(await fileViolations(record, at, files)));
  }
  for (const [documentId, projectId] of noted) {
    if (!recorded.has(documentId)) found.push({ rule: 'locator', projectId, documentId, detail: `项目所记的材料 ${documentId} 没有材料记录` });
  }
  return { found, reviewsNoted };
}

type StoredFileRecord = Pick<DocumentRecord, 'fileName' | 'storageKey' | 'sha256' | 'size'>;

async function fileViolations(record: StoredFileRecord, at: { projectId: string; documentId: string }, files: FileDigests): Promise<Violation[]> {
  let digest: FileDigest | undefined;
  try {
    digest = await files.get(record.storageKey);
  } catch (err) {
    return [{ rule: 'file-missing', ...at, detail: `材料 ${record.fileName} 的存储位置无效：${(err as Error).message}` }];
  }
  if (!digest) return [{ rule: 'file-missing', ...at, detail: `材料 ${record.fileName} 的文件 ${record.storageKey} 不存在` }];
  if (digest.sha256 !== record.sha256 || digest.size !== record.size) {
    return [{ rule: 'file-damaged', ...at, detail: `材料 ${record.fileName} 的文件与记录不符（SHA-256 ${digest.sha256}，${digest.size} 字节）` }];
  }
  return [];
}

/** Stored files no record points at must still hold the content their name says: a later upload of it would be answered with them. */
async function unreferencedFileViolations(uploadsDir: string, files: FileDigests): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const key of await listStoredFiles(uploadsDir)) {
    const digest = await files.get(key);
    if (digest && digest.sha256 !== sha256OfKey(key)) {
      found.push({ rule: 'file-damaged', detail: `存储文件 ${key} 的内容与其 SHA-256 名称不符` });
    }
  }
  return found;
}

/** Each monthly report the histories received must be stored as received; a stored one no history received is a report whose change failed, and leads nowhere. */
async function monthlyReportViolations(histories: Map<string, ProjectHistoryCheck>): Promise<Violation[]> {
  const found: Violation[] = [];
  const stored = new Set<string>();
  for await (const record of MonthlyReports.collection.find<MonthlyReportRecord>({})) {
    const projectId = record.projectId.toString();
    const received = histories.get(projectId)?.walk.reports.get(record._id);
    if (!received) continue;
    stored.add(record._id);
    const { completedInvestment, progressPercent, progressNote, startedOn, inStatistics } = record;
    if (!sameReport(received, { completedInvestment, progressPercent, progressNote, startedOn, inStatistics })) {
      found.push({ rule: 'monthly-report', projectId, detail: `${record.month} 月报第 ${record.revision} 版的记录与历史记录不符` });
    }
  }
  for (const [projectId, check] of histories) {
    for (const [key, report] of check.walk.reports) {
      if (!stored.has(key)) found.push({ rule: 'monthly-report', projectId, detail: `历史记录中的 ${report.month} 月报第 ${report.revision} 版没有月报记录` });
    }
  }
  return found;
}

const sameReport = (entry: ReportEntryData, record: Omit<ReportEntryData, 'month' | 'revision'>) =>
  (['completedInvestment', 'progressPercent', 'progressNote', 'startedOn', 'inStatistics'] as const).every((key) => (entry[key] ?? null) === (record[key] ?? null));

/** Each site photo's and problem attachment's bytes on disk against its record. */
async function attachedFileViolations(files: FileDigests): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const records of [SitePhotos.collection.find<SitePhotoRecord>({}), allAttachments()]) {
    for await (const record of records) {
      found.push(...(await fileViolations(record, { projectId: record.projectId.toString(), documentId: record._id.toString() }, files)));
    }
  }
  return found;
}

/** Each problem's status is the one its events give, from a RAISE, and its version counts them. */
async function problemViolations(): Promise<Violation[]> {
  const found: Violation[] = [];
  for await (const problem of problemStore.scan()) {
    const { state, level, resolution, resolvedAt, events } = problem;
    const at = { rule: 'problem' as const, projectId: problem.projectId.toString() };
    if (events[0]?.type !== 'RAISE' || problem.version !== events.length) {
      found.push({ ...at, detail: `问题 ${problem._id.toString()} 的版本号 ${problem.version} 与其 ${events.length} 条办理记录不符，或第一条不是提出问题` });
    } else if (JSON.stringify(problemStatusOf(events)) !== JSON.stringify({ state, level, resolution, resolvedAt })) {
      found.push({ ...at, detail: `问题 ${problem._id.toString()} 保存的状态、层级或解决情况与其办理记录不符` });
    }
  }
  return found;
}

/**
 * 项目代码 (src/projects/project-codes.ts): no two projects carry one code, and
 * every code a project carries is claimed in its name. A claim naming a project
 * that does not carry its code holds nothing: it is counted, and removed on repair.
 */
async function projectCodeViolations(codes: Map<string, string[]>, repair: boolean) {
  const found: Violation[] = [];
  const claimed = new Set<string>();
  let idle = 0;
  let mended = 0;
  for await (const claim of allClaims()) {
    if (codes.get(claim._id)?.includes(claim.projectId.toString())) {
      claimed.add(claim._id);
      continue;
    }
    idle++;
    if (repair) await claimsCollection().deleteOne({ _id: claim._id, projectId: claim.projectId });
  }
  for (const [code, projectIds] of codes) {
    if (projectIds.length > 1) {
      for (const projectId of projectIds) found.push({ rule: 'project-code', projectId, detail: `项目代码 ${code} 同时用于 ${projectIds.length} 个项目：${projectIds.join('、')}` });
    } else if (!claimed.has(code)) {
      if (repair) {
        await claimsCollection().replaceOne({ _id: code }, { projectId: new Types.ObjectId(projectIds[0]), at: new Date() }, { upsert: true });
        mended++;
      } else {
        found.push({ rule: 'project-code', projectId: projectIds[0], detail: `项目代码 ${code} 没有占用记录（--repair 补记）` });
      }
    }
  }
  return { found, idle: repair ? 0 : idle, mended };
}

/** Imports committed but not wholly saved: a stop cut them off, and the service finishes them when it starts. */
async function unfinishedImports(): Promise<Violation[]> {
  const cut = await Imports.collection.find<ImportRecord>({ state: 'committed' }, { projection: { fileName: 1, committedAt: 1 } }).toArray();
  return cut.map((record) => ({
    rule: 'import' as const,
    detail: `导入“${record.fileName}”（${record._id.toString()}）已确认但尚未全部保存：启动服务时会自动完成`,
  }));
}

/**
 * Each reminder letter must be in the history of every project it names (the
 * walked trail lists the letters recorded), unless the project ended before it
 * could be; a letter a stop cut off is finished when the service starts.
 */
async function reminderLetterViolations(histories: Map<string, ProjectHistoryCheck>): Promise<Violation[]> {
  const found: Violation[] = [];
  for await (const letter of letterRecords().find({})) {
    for (const { projectId } of letter.items) {
      const check = histories.get(projectId);
      if (!check || finalStages.includes(check.project.stage) || check.walk.trail.reminderLetters?.includes(letter._id)) continue;
      const cut = letter.state === 'issued' ? '已编号但尚未全部记入项目：启动服务时会自动完成' : '已发出，但项目历史记录中没有';
      found.push({ rule: 'reminder-letter', projectId, detail: `提醒函${letter.number}（${letter._id}）${cut}` });
    }
  }
  return found;
}

/** One project's history as it streams past: entries are walked in version order, whatever order they arrive in. */
class ProjectHistoryCheck {
  readonly walk: HistoryWalk;
  private expected = 1;
  private readonly waiting = new Map<number, StoredHistoryEntry>();
  readonly found: Violation[] = [];

  constructor(
    readonly project: Pick<ProjectDoc, '_id' | 'version' | 'stage' | 'machineVersion' | 'trail' | 'lastEntry' | 'dossier' | 'documents' | 'schedule' | 'responsibility' | 'releases' | 'quotas' | 'issuances' | 'round'>,
  ) {
    this.walk = new HistoryWalk(project);
  }

  take(entry: StoredHistoryEntry): void {
    if (entry.version > this.project.version || this.waiting.has(entry.version) || entry.version < this.expected) {
      this.found.push({ rule: 'history', projectId: this.project._id.toString(), detail: `历史记录 ${entry._id} 多余或重复（项目为第 ${this.project.version} 版）` });
      return;
    }
    if (entry.version === this.project.version && !sameEntry(entry, this.project.lastEntry)) {
      this.found.push({ rule: 'last-entry', projectId: this.project._id.toString(), detail: `第 ${entry.version} 条历史记录与项目中保存的最新记录不一致` });
    }
    this.waiting.set(entry.version, entry);
    for (let next = this.waiting.get(this.expected); next; next = this.waiting.get(this.expected)) {
      this.waiting.delete(this.expected++);
      this.walk.step(next);
    }
  }

  /** Whether the newest entry is held only by the project. */
  get pending(): boolean {
    return this.expected === this.project.version && this.waiting.size === 0;
  }

  finish(): Violation[] {
    if (this.pending) this.walk.step({ ...this.project.lastEntry });
    // Entries after a gap are still walked, so what follows a lost entry is checked too.
    for (const version of [...this.waiting.keys()].sort((a, b) => a - b)) this.walk.step(this.waiting.get(version)!);
    return [...this.found, ...this.walk.finish()];
  }
}


/** Mends what a violation says is derived from the history: the trail, the dossier states, the schedule and the responsibility. */
async function repairFromHistory(check: ProjectHistoryCheck, found: Violation[], repaired: InvariantReport['repaired']): Promise<Violation[]> {
  const mended: Partial<Pick<ProjectDoc, 'trail' | 'dossier' | 'schedule' | 'responsibility'>> = {};
  if (found.some((v) => v.rule === 'trail')) {
    mended.trail = check.walk.trail;
    repaired.rebuiltTrails++;
  }
  if (found.some((v) => v.rule === 'dossier')) {
    mended.dossier = check.walk.dossier;
    repaired.rebuiltDossiers++;
  }
  if (found.some((v) => v.rule === 'schedule')) {
    mended.schedule = check.walk.schedule;
    repaired.rebuiltSchedules++;
  }
  if (found.some((v) => v.rule === 'responsibility')) {
    mended.responsibility = check.walk.responsibility;
    repaired.rebuiltResponsibilities++;
  }
  if (Object.keys(mended).length) {
    const stored = (await projectStore.find(check.project._id))!;
    await projectStore.replace({ ...stored, ...mended }, stored.version);
  }
  return found.filter((v) => !(v.rule in mended));
}

export async function checkInvariants(opts: { uploadsDir: string; repair?: boolean }): Promise<InvariantReport> {
  const uploadsDir = path.resolve(opts.uploadsDir);
  const repair = opts.repair ?? false;
  const files = new FileDigests(uploadsDir);
  const noted = new Map<string, string>();
  const violations: Violation[] = [];
  const histories = new Map<string, ProjectHistoryCheck>();
  const codes = new Map<string, string[]>();
  for await (const scanned of projectStore.scan()) {
    if (hasOldLayout(scanned)) {
      violations.push({ rule: 'history', projectId: String(scanned._id), detail: '项目仍是旧的存储格式：启动一次服务即可转换' });
      continue;
    }
    const project = scanned as ProjectDoc;
    const { _id, version, stage, machineVersion, trail, lastEntry, dossier, documents, schedule, responsibility, releases, quotas, issuances, round } = project;
    histories.set(_id.toString(), new ProjectHistoryCheck({ _id, version, stage, machineVersion, trail, lastEntry, dossier, documents, schedule, responsibility, releases, quotas, issuances, round }));
    for (const id of project.documents ?? []) noted.set(id.toString(), _id.toString());
    if (project.projectCode) codes.set(project.projectCode, [...(codes.get(project.projectCode) ?? []), _id.toString()]);
    violations.push(...moneyViolations(project), ...documentTypeViolations(_id.toString(), dossier));
  }

  let historyEntries = 0;
  const chunkDigests = new ChunkDigests();
  for await (const entry of historyStore.scan()) {
    historyEntries++;
    chunkDigests.add(entry);
    const check = histories.get(entry.projectId.toString());
    if (check) check.take(entry);
    else violations.push({ rule: 'history', detail: `历史记录 ${entry._id} 所属的项目不存在` });
  }

  const chunks = await historyChunkViolations(chunkDigests, repair);
  const repaired = { appendedEntries: 0, rebuiltTrails: 0, rebuiltDossiers: 0, rebuiltSchedules: 0, rebuiltResponsibilities: 0, notedReviews: 0, codeClaims: 0, droppedHistoryChunks: chunks.dropped };
  let pendingEntries = 0;
  for (const [projectId, check] of histories) {
    const pending = check.pending;
    if (pending) pendingEntries++;
    const found = check.finish();
    if (pending && repair) {
      await historyStore.insertOne(projectId, check.project.lastEntry);
      repaired.appendedEntries++;
    }
    violations.push(...(repair ? await repairFromHistory(check, found, repaired) : found));
  }
  const documents = await documentViolations(noted, histories, files, repair);
  repaired.notedReviews = documents.reviewsNoted;
  const projectCodes = await projectCodeViolations(codes, repair);
  repaired.codeClaims = projectCodes.mended;
  violations.push(
    ...chunks.found,
    ...documents.found,
    ...projectCodes.found,
    ...(await monthlyReportViolations(histories)),
    ...(await attachedFileViolations(files)),
    ...(await problemViolations()),
    ...(await unfinishedImports()),
    ...(await reminderLetterViolations(histories)),
    ...(await unreferencedFileViolations(uploadsDir, files)),
  );
  return { projects: histories.size, documents: noted.size, files: files.count, historyEntries, pendingEntries, repaired, idleCodeClaims: projectCodes.idle, violations };
}
