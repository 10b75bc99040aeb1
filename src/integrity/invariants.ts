/**
 * Reads everything back and reports what breaks the rules the service keeps:
 * every project's version, history and trail, its money, and every dossier
 * file, on disk with its recorded SHA-256 and findable through its locator.
 * Used after load and fault tests, after a restore, and by `npm run check`;
 * with `repair` it also mends what is derived (a trail that drifted from the
 * history) or left half-done by a crash (a history entry only the project holds).
 *
 * Cost grows with the data once: projects, locators and history are each read
 * in one pass, and only a small state per project is kept in memory.
 */
import path from 'node:path';
import { Types, type mongo } from 'mongoose';
import { Project, ProjectHistory, historyEntryId, type ProjectDoc, type StoredHistoryEntry } from '../projects/project.model';
import { sameEntry } from '../projects/project.repository';
import { DocumentLocator } from '../dossier/document-locator.model';
import { storedFilePath } from '../dossier/storage';
import { documentTypeViolations, HistoryWalk, moneyViolations } from './project-rules';
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
  repaired: { appendedEntries: number; rebuiltTrails: number };
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

async function locators(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const locator of DocumentLocator.collection.find({})) found.set(String(locator._id), String(locator.projectId));
  return found;
}

async function documentViolations(project: ProjectDoc, files: FileDigests, located: Map<string, string>): Promise<Violation[]> {
  const found: Violation[] = [];
  const projectId = project._id.toString();
  for (const document of project.documents ?? []) {
    const documentId = document._id.toString();
    const at = { projectId, documentId };
    if (located.get(documentId) !== projectId) {
      found.push({ rule: 'locator', ...at, detail: `材料 ${document.fileName} 没有指向本项目的定位记录` });
    }
    let digest: FileDigest | undefined;
    try {
      digest = await files.get(document.storageKey);
    } catch (err) {
      found.push({ rule: 'file-missing', ...at, detail: `材料 ${document.fileName} 的存储位置无效：${(err as Error).message}` });
      continue;
    }
    if (!digest) {
      found.push({ rule: 'file-missing', ...at, detail: `材料 ${document.fileName} 的文件 ${document.storageKey} 不存在` });
    } else if (digest.sha256 !== document.sha256 || digest.size !== document.size) {
      found.push({ rule: 'file-damaged', ...at, detail: `材料 ${document.fileName} 的文件与记录不符（SHA-256 ${digest.sha256}，${digest.size} 字节）` });
    }
  }
  return found;
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

/** One project's history as it streams past: entries are walked in version order, whatever order they arrive in. */
class ProjectHistoryCheck {
  readonly walk: HistoryWalk;
  private expected = 1;
  private readonly waiting = new Map<number, StoredHistoryEntry>();
  readonly found: Violation[] = [];

  constructor(readonly project: Pick<ProjectDoc, '_id' | 'version' | 'stage' | 'machineVersion' | 'trail' | 'lastEntry'>) {
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

const historyCollection = () => ProjectHistory.collection as unknown as mongo.Collection<StoredHistoryEntry>;

export async function checkInvariants(opts: { uploadsDir: string; repair?: boolean }): Promise<InvariantReport> {
  const uploadsDir = path.resolve(opts.uploadsDir);
  const files = new FileDigests(uploadsDir);
  const located = await locators();
  const violations: Violation[] = [];
  const histories = new Map<string, ProjectHistoryCheck>();
  let documents = 0;
  for await (const project of Project.collection.find<ProjectDoc>({})) {
    documents += project.documents?.length ?? 0;
    const { _id, version, stage, machineVersion, trail, lastEntry } = project;
    histories.set(_id.toString(), new ProjectHistoryCheck({ _id, version, stage, machineVersion, trail, lastEntry }));
    violations.push(...moneyViolations(project), ...documentTypeViolations(project), ...(await documentViolations(project, files, located)));
  }

  let historyEntries = 0;
  for await (const entry of historyCollection().find({})) {
    historyEntries++;
    const check = histories.get(entry.projectId.toString());
    if (check) check.take(entry);
    else violations.push({ rule: 'history', detail: `历史记录 ${entry._id} 所属的项目不存在` });
  }

  const repaired = { appendedEntries: 0, rebuiltTrails: 0 };
  let pendingEntries = 0;
  for (const [projectId, check] of histories) {
    const pending = check.pending;
    if (pending) pendingEntries++;
    const found = check.finish();
    if (opts.repair) {
      if (pending) {
        await historyCollection().insertOne({ _id: historyEntryId(projectId, check.project.version), projectId: new Types.ObjectId(projectId), ...check.project.lastEntry });
        repaired.appendedEntries++;
      }
      if (found.some((v) => v.rule === 'trail')) {
        await Project.collection.updateOne({ _id: check.project._id }, { $set: { trail: check.walk.trail } });
        repaired.rebuiltTrails++;
      }
    }
    violations.push(...found.filter((v) => !(opts.repair && v.rule === 'trail')));
  }
  violations.push(...(await unreferencedFileViolations(uploadsDir, files)));
  return { projects: histories.size, documents, files: files.count, historyEntries, pendingEntries, repaired, violations };
}
