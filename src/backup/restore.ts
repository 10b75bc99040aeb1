/**
 * Brings a backup archive (see backup.ts) back in two steps, so that a wrong file
 * name, a damaged or truncated archive or a full disk leaves the database and the
 * uploads exactly as they were:
 *
 * 1. The whole archive is read and checked while nothing live is touched: the
 *    manifest, every file against its SHA-256 and size (written to UPLOADS_DIR's
 *    temporary folder), every collection against its document count (inserted into
 *    staging collections beside the live ones).
 * 2. Only then are the staged files moved to their content addresses and the live
 *    collections swapped for the staged ones by renaming. If any of that fails,
 *    what was done is undone before the error is reported.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import mongoose from 'mongoose';
import { TEMPORARY_DIR_NAME, storedFilePath } from '../dossier/storage';
import { listStoredFiles, sha256OfKey } from '../integrity/stored-files';
import { BACKUP_FORMAT, BACKUP_VERSION, LEFT_OUT, MANIFEST, RESTORE_STAGING_PREFIX, collectionEntry, collectionNames, fileEntry, type Manifest } from './backup';
import { readTar, type TarEntry } from './tar';

const { EJSON } = mongoose.mongo.BSON;
const INSERT_BATCH = 500;

/** The archive does not fit what restore expects, or the target is not empty; the message says which. */
export class RestoreRefused extends Error {}

const unreadable = (error: unknown) =>
  error instanceof RestoreRefused ? error : new RestoreRefused(`无法读取备份文件（不是本系统的备份，或文件已损坏）：${(error as Error).message}`);

/** Failures of reading the archive itself, as opposed to writing what it holds, become refusals that say so. */
async function* guarded<T>(source: AsyncIterator<T>): AsyncGenerator<T> {
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = await source.next();
    } catch (error) {
      throw unreadable(error);
    }
    if (next.done) return;
    yield next.value;
  }
}

async function* archiveEntries(file: string): AsyncGenerator<TarEntry> {
  for await (const entry of guarded(readTar(createReadStream(file).pipe(createGunzip())))) {
    yield { ...entry, content: guarded(entry.content) };
  }
}

async function readAll(entry: TarEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry.content) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function parseManifest(bytes: Buffer, uploadsDir: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    throw new RestoreRefused('备份文件的清单无法读取');
  }
  if (manifest.format !== BACKUP_FORMAT) throw new RestoreRefused('这不是本系统的备份文件');
  if (manifest.version !== BACKUP_VERSION) throw new RestoreRefused(`不支持的备份格式版本 ${manifest.version}（本程序读取第 ${BACKUP_VERSION} 版）`);
  for (const c of manifest.collections) {
    if (c.entry !== collectionEntry(c.name) || c.name.startsWith('system.') || c.name.startsWith(RESTORE_STAGING_PREFIX)) {
      throw new RestoreRefused(`备份清单中的集合名无效：${c.name}`);
    }
  }
  for (const f of manifest.files) {
    try {
      storedFilePath(uploadsDir, f.storageKey);
    } catch {
      throw new RestoreRefused(`备份清单中的文件名无效：${f.storageKey}`);
    }
    if (f.sha256 !== sha256OfKey(f.storageKey)) throw new RestoreRefused(`备份清单中文件 ${f.storageKey} 的 SHA-256 与其名称不符`);
  }
  return manifest;
}

/** What is already there; a restore on top of it would mix two systems. */
export async function existingContent(db: mongoose.mongo.Db, uploadsDir: string) {
  const collections: string[] = [];
  for (const name of await collectionNames(db)) if ((await db.collection(name).estimatedDocumentCount()) > 0) collections.push(name);
  return { collections, files: (await listStoredFiles(uploadsDir)).length };
}

/** What one restore has staged, and how to put it in place or throw it away. */
class Staging {
  private readonly id = randomBytes(4).toString('hex');
  private readonly temporaryDir: string;
  /** Staged file paths by storage key. */
  private readonly files = new Map<string, string>();
  private readonly collections: string[] = [];

  constructor(
    private readonly db: mongoose.mongo.Db,
    readonly uploadsDir: string,
  ) {
    // Inside UPLOADS_DIR, so files move into place by renaming; as plain files there, so a start of the service removes what a killed restore left.
    this.temporaryDir = path.join(uploadsDir, TEMPORARY_DIR_NAME);
  }

  private staged(kind: 'new' | 'old', name: string): string {
    return `${RESTORE_STAGING_PREFIX}${this.id}_${kind}_${name}`;
  }

  private async rename(from: string, to: string): Promise<void> {
    await this.db.renameCollection(from, to);
  }

  /** Inserts a collection's documents into its staging collection; returns how many. */
  async collection(name: string, entry: TarEntry): Promise<number> {
    const collection = await this.db.createCollection(this.staged('new', name));
    this.collections.push(name);
    let batch: mongoose.mongo.Document[] = [];
    let count = 0;
    const flush = async () => {
      if (batch.length) await collection.insertMany(batch, { ordered: true });
      batch = [];
    };
    for await (const line of createInterface({ input: Readable.from(entry.content), crlfDelay: Infinity })) {
      if (!line) continue;
      count++;
      try {
        batch.push(EJSON.parse(line, { relaxed: false }) as mongoose.mongo.Document);
      } catch {
        throw new RestoreRefused(`备份中集合 ${name} 的第 ${count} 条记录无法解析`);
      }
      if (batch.length >= INSERT_BATCH) await flush();
    }
    await flush();
    return count;
  }

  /** Writes a file to the temporary folder, refusing bytes that do not hash to its name. */
  async file(expected: Manifest['files'][number], entry: TarEntry): Promise<void> {
    await mkdir(this.temporaryDir, { recursive: true });
    const temporary = path.join(this.temporaryDir, `restore-${this.id}-${expected.sha256}`);
    const handle = await open(temporary, 'wx', 0o640);
    this.files.set(expected.storageKey, temporary);
    const hash = createHash('sha256');
    try {
      let size = 0;
      for await (const chunk of entry.content) {
        hash.update(chunk);
        size += chunk.length;
        await handle.write(chunk);
      }
      await handle.sync();
      const sha256 = hash.digest('hex');
      if (sha256 !== expected.sha256 || size !== expected.size) {
        throw new RestoreRefused(`备份中的文件 ${expected.storageKey} 已损坏（SHA-256 ${sha256}，${size} 字节）`);
      }
    } finally {
      await handle.close();
    }
  }

  /** Moves the staged files to their addresses and swaps the staged collections for the live ones; all or nothing. */
  async putInPlace(): Promise<void> {
    const added: string[] = [];
    const movedAside: string[] = [];
    const placed: string[] = [];
    try {
      for (const [storageKey, temporary] of this.files) {
        const target = storedFilePath(this.uploadsDir, storageKey);
        // Same name, same content: a file already stored stays as it is.
        if (await access(target).then(() => true, () => false)) continue;
        await mkdir(path.dirname(target), { recursive: true });
        await rename(temporary, target);
        added.push(target);
      }
      for (const name of await collectionNames(this.db)) {
        await this.rename(name, this.staged('old', name));
        movedAside.push(name);
      }
      for (const name of this.collections) {
        await this.rename(this.staged('new', name), name);
        placed.push(name);
      }
    } catch (error) {
      try {
        for (const name of placed.reverse()) await this.rename(name, this.staged('new', name));
        for (const name of movedAside.reverse()) await this.rename(this.staged('old', name), name);
        for (const file of added) await rm(file, { force: true });
      } catch (undoError) {
        throw new Error(
          `恢复在替换数据时失败（${(error as Error).message}），撤销也失败（${(undoError as Error).message}）：` +
            `原有集合以 ${this.staged('old', '')} 开头保存在数据库中，请勿再启动服务，先手工改回原名。`,
          { cause: undoError },
        );
      }
      throw error;
    }
    for (const name of movedAside) await this.db.dropCollection(this.staged('old', name));
  }

  /** Throws away whatever is still staged (all of it after a failure, nothing but leftovers after success). */
  async discard(): Promise<void> {
    for (const name of this.collections) await this.db.dropCollection(this.staged('new', name)).catch(() => undefined);
    for (const file of this.files.values()) await rm(file, { force: true });
  }
}

/** Staging collections of restores that were killed before they could clean up. */
async function dropLeftoverStaging(db: mongoose.mongo.Db): Promise<void> {
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith(RESTORE_STAGING_PREFIX)) await db.dropCollection(name);
  }
}

/** Reads and checks the whole archive into `staging`. */
async function stage(file: string, staging: Staging): Promise<{ manifest: Manifest; documents: number }> {
  const entries = archiveEntries(file);
  const first = (await entries.next()).value as TarEntry | undefined;
  if (first?.name !== MANIFEST) throw new RestoreRefused('备份文件缺少清单（manifest.json）');
  const manifest = parseManifest(await readAll(first), staging.uploadsDir);
  const collections = new Map(manifest.collections.map((c) => [c.entry, c]));
  const files = new Map(manifest.files.map((f) => [fileEntry(f.storageKey), f]));

  let documents = 0;
  for await (const entry of entries) {
    const collection = collections.get(entry.name);
    const stored = files.get(entry.name);
    if (collection) {
      collections.delete(entry.name);
      // Unread, the entry is skipped.
      if (LEFT_OUT.has(collection.name)) continue;
      const count = await staging.collection(collection.name, entry);
      if (count !== collection.documents) throw new RestoreRefused(`备份中集合 ${collection.name} 应有 ${collection.documents} 条记录，实际读到 ${count} 条`);
      documents += count;
    } else if (stored) {
      files.delete(entry.name);
      await staging.file(stored, entry);
    } else {
      throw new RestoreRefused(`备份文件中有清单未列出的条目：${entry.name}`);
    }
  }
  const missing = [...collections.keys(), ...files.keys()];
  if (missing.length) throw new RestoreRefused(`备份文件不完整，缺少：${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' 等' : ''}`);
  return { manifest, documents };
}

export interface RestoreResult {
  manifest: Manifest;
  documents: number;
  files: number;
}

/**
 * Restores `file` into `db` and `uploadsDir`. Refuses when either already holds data, unless `force`: then the
 * database's collections are replaced (stored files are kept; they are addressed by content, so none can clash).
 * Sessions and the session secret are never restored, so everyone logs in again.
 */
export async function restoreBackup(opts: { db: mongoose.mongo.Db; uploadsDir: string; file: string; force?: boolean }): Promise<RestoreResult> {
  const uploadsDir = path.resolve(opts.uploadsDir);
  if (!(await stat(opts.file).then((s) => s.isFile(), () => false))) throw new RestoreRefused(`找不到备份文件 ${opts.file}`);
  const existing = await existingContent(opts.db, uploadsDir);
  if (!opts.force && (existing.collections.length || existing.files)) {
    throw new RestoreRefused(
      `目标不是空的（数据库中已有：${existing.collections.join('、') || '无'}；已存文件 ${existing.files} 个）。` +
        '请换用空的数据库与上传目录，或加 --force 覆盖数据库。',
    );
  }
  await dropLeftoverStaging(opts.db);
  const staging = new Staging(opts.db, uploadsDir);
  try {
    const { manifest, documents } = await stage(opts.file, staging);
    await staging.putInPlace();
    return { manifest, documents, files: manifest.files.length };
  } finally {
    await staging.discard();
  }
}
