/**
 * Brings a backup archive (see backup.ts) back into an empty database and an
 * empty uploads folder. Every file is checked against its SHA-256 as it is
 * written, and every collection against its document count, before the
 * restore reports success.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import mongoose from 'mongoose';
import { TEMPORARY_DIR_NAME, storedFilePath } from '../dossier/storage';
import { listStoredFiles } from '../integrity/stored-files';
import { BACKUP_FORMAT, BACKUP_VERSION, MANIFEST, collectionNames, fileEntry, type Manifest } from './backup';
import { readTar, type TarEntry } from './tar';

const { EJSON } = mongoose.mongo.BSON;
const INSERT_BATCH = 500;

/** The archive does not fit what restore expects, or the target is not empty; the message says which. */
export class RestoreRefused extends Error {}

async function readAll(entry: TarEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry.content) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function parseManifest(bytes: Buffer): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    throw new RestoreRefused('备份文件的清单无法读取');
  }
  if (manifest.format !== BACKUP_FORMAT) throw new RestoreRefused('这不是本系统的备份文件');
  if (manifest.version !== BACKUP_VERSION) throw new RestoreRefused(`不支持的备份格式版本 ${manifest.version}`);
  return manifest;
}

async function readManifest(entries: AsyncGenerator<TarEntry>): Promise<Manifest> {
  let bytes: Buffer;
  try {
    const first = (await entries.next()).value as TarEntry | undefined;
    if (first?.name !== MANIFEST) throw new RestoreRefused('备份文件缺少清单（manifest.json）');
    bytes = await readAll(first);
  } catch (error) {
    if (error instanceof RestoreRefused) throw error;
    throw new RestoreRefused(`无法读取备份文件（不是本系统的备份，或文件已损坏）：${(error as Error).message}`);
  }
  return parseManifest(bytes);
}

/** What is already there; a restore on top of it would mix two systems. */
export async function existingContent(db: mongoose.mongo.Db, uploadsDir: string) {
  const collections: string[] = [];
  for (const name of await collectionNames(db)) if ((await db.collection(name).estimatedDocumentCount()) > 0) collections.push(name);
  return { collections, files: (await listStoredFiles(uploadsDir)).length };
}

async function restoreCollection(db: mongoose.mongo.Db, name: string, entry: TarEntry): Promise<number> {
  const collection = db.collection(name);
  let batch: mongoose.mongo.Document[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length) await collection.insertMany(batch, { ordered: true });
    count += batch.length;
    batch = [];
  };
  for await (const line of createInterface({ input: Readable.from(entry.content), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(EJSON.parse(line, { relaxed: false }) as mongoose.mongo.Document);
    if (batch.length >= INSERT_BATCH) await flush();
  }
  await flush();
  return count;
}

/** Writes a file to its content address through a temporary file, refusing bytes that do not hash to its name. */
async function restoreFile(uploadsDir: string, expected: Manifest['files'][number], entry: TarEntry): Promise<void> {
  const finalPath = storedFilePath(uploadsDir, expected.storageKey);
  const temporaryDir = path.join(uploadsDir, TEMPORARY_DIR_NAME);
  await mkdir(temporaryDir, { recursive: true });
  const temporary = path.join(temporaryDir, `restore-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  const handle = await open(temporary, 'wx', 0o640);
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
    await handle.close();
    await mkdir(path.dirname(finalPath), { recursive: true });
    await rename(temporary, finalPath);
  } finally {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
  }
}

export interface RestoreResult {
  manifest: Manifest;
  documents: number;
  files: number;
}

/**
 * Restores `file` into `db` and `uploadsDir`. Refuses when either already holds
 * data, unless `force`: then the database's collections are dropped first
 * (stored files are kept; they are addressed by content, so none can clash).
 */
export async function restoreBackup(opts: { db: mongoose.mongo.Db; uploadsDir: string; file: string; force?: boolean }): Promise<RestoreResult> {
  const uploadsDir = path.resolve(opts.uploadsDir);
  const existing = await existingContent(opts.db, uploadsDir);
  if (!opts.force && (existing.collections.length || existing.files)) {
    throw new RestoreRefused(
      `目标不是空的（数据库中已有：${existing.collections.join('、') || '无'}；已存文件 ${existing.files} 个）。` +
        '请换用空的数据库与上传目录，或加 --force 覆盖数据库。',
    );
  }
  if (opts.force) for (const name of await collectionNames(opts.db)) await opts.db.collection(name).drop();

  const entries = readTar(createReadStream(opts.file).pipe(createGunzip()));
  const manifest = await readManifest(entries);
  const collections = new Map(manifest.collections.map((c) => [c.entry, c]));
  const files = new Map(manifest.files.map((f) => [fileEntry(f.storageKey), f]));

  let documents = 0;
  let restoredFiles = 0;
  for await (const entry of entries) {
    const collection = collections.get(entry.name);
    const file = files.get(entry.name);
    if (collection) {
      const count = await restoreCollection(opts.db, collection.name, entry);
      if (count !== collection.documents) throw new RestoreRefused(`集合 ${collection.name} 应有 ${collection.documents} 条，实际恢复 ${count} 条`);
      documents += count;
      collections.delete(entry.name);
    } else if (file) {
      await restoreFile(uploadsDir, file, entry);
      restoredFiles++;
      files.delete(entry.name);
    } else {
      throw new RestoreRefused(`备份文件中有清单未列出的条目：${entry.name}`);
    }
  }
  const missing = [...collections.keys(), ...files.keys()];
  if (missing.length) throw new RestoreRefused(`备份文件不完整，缺少：${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' 等' : ''}`);
  return { manifest, documents, files: restoredFiles };
}
