/**
 * One archive (gzip-compressed tar) holding the whole system: every collection of
 * the database as canonical Extended JSON, one document per line (ObjectIds,
 * Dates and number types survive), and every stored dossier file under its
 * content address. `manifest.json` comes first, so a restore knows what to
 * expect before it touches anything, then the files, then the collections.
 * Sessions and the secret that signs their cookies are left out: an archive
 * lets nobody act as a signed-in user, and after a restore everyone logs in again.
 *
 * With the service running meanwhile, collections are read one after the other,
 * each record as it is at that moment. Records are written after what they point
 * at (a project after its document's locator and file, its organisation and the
 * users in its history; a user after its organisation), so the records that point
 * are read first, and the files are listed last: whatever a record in the archive
 * points at is in it too.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import mongoose from 'mongoose';
import { SECRETS_COLLECTION, SESSION_COLLECTION } from '../accounts/session-records';
import { LEASE_COLLECTION } from '../db/service-lease';
import { storedFilePath } from '../dossier/storage';
import { listStoredFiles, sha256OfKey } from '../integrity/stored-files';
import { TarWriter } from './tar';

export const BACKUP_FORMAT = 'fundflow-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST = 'manifest.json';

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  collections: { name: string; documents: number; entry: string; bytes: number }[];
  files: { storageKey: string; sha256: string; size: number }[];
}

export const collectionEntry = (name: string) => `collections/${name}.ejson`;
export const fileEntry = (storageKey: string) => `uploads/${storageKey}`;

const { EJSON } = mongoose.mongo.BSON;

/** Collections a restore fills before it puts them in place of the live ones (restore.ts); not the application's. */
export const RESTORE_STAGING_PREFIX = 'restore_staging_';

/** Never archived, and not restored from archives that have them (written before they were left out). */
export const LEFT_OUT = new Set([SESSION_COLLECTION, SECRETS_COLLECTION, LEASE_COLLECTION]);

/** See the top of this file: records that point at others, in the order that makes every pointer lead somewhere. */
const READ_FIRST = ['projects', 'users'];

/** The application's collections (not the server's own, nor a restore's staging ones). */
export async function collectionNames(db: mongoose.mongo.Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.') && !name.startsWith(RESTORE_STAGING_PREFIX))
    .sort();
}

/** What goes into an archive, in the order it is read. */
async function archivedCollections(db: mongoose.mongo.Db): Promise<string[]> {
  const names = (await collectionNames(db)).filter((name) => !LEFT_OUT.has(name));
  const rank = (name: string) => (READ_FIRST.includes(name) ? READ_FIRST.indexOf(name) : READ_FIRST.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Writes a collection to `file`, one canonical EJSON document per line; returns how many. */
async function dumpCollection(db: mongoose.mongo.Db, name: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  let documents = 0;
  // Unpromoted values keep each number's BSON type (int, long, double) exactly.
  for await (const doc of db.collection(name).find({}, { promoteValues: false })) {
    if (!out.write(`${EJSON.stringify(doc, { relaxed: false })}\n`)) await once(out, 'drain');
    documents++;
  }
  out.end();
  await once(out, 'finish');
  return documents;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: Manifest;
}

/**
 * Writes the archive to `file` (through a temporary name, so a failed backup never leaves a plausible-looking one),
 * readable by its owner only: it holds every user's password hash.
 */
export async function writeBackup(opts: { db: mongoose.mongo.Db; uploadsDir: string; file: string }): Promise<BackupResult> {
  const target = path.resolve(opts.file);
  const work = await mkdtemp(path.join(os.tmpdir(), 'fundflow-backup-'));
  const partial = `${target}.partial-${process.pid}`;
  try {
    const collections: Manifest['collections'] = [];
    for (const name of await archivedCollections(opts.db)) {
      const dump = path.join(work, `${name}.ejson`);
      const documents = await dumpCollection(opts.db, name, dump);
      collections.push({ name, documents, entry: collectionEntry(name), bytes: (await stat(dump)).size });
    }
    const files: Manifest['files'] = [];
    for (const storageKey of await listStoredFiles(opts.uploadsDir)) {
      files.push({ storageKey, sha256: sha256OfKey(storageKey), size: (await stat(storedFilePath(opts.uploadsDir, storageKey))).size });
    }
    const manifest: Manifest = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), collections, files };

    const gzip = createGzip();
    const written = gzip.pipe(createWriteStream(partial, { mode: 0o600 }));
    const tar = new TarWriter(gzip);
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 1));
    await tar.add(MANIFEST, manifestBytes.length, manifestBytes);
    // Files before records: a restore that meets a damaged file stops before it has written any record.
    for (const f of files) await tar.add(fileEntry(f.storageKey), f.size, createReadStream(storedFilePath(opts.uploadsDir, f.storageKey)));
    for (const c of collections) await tar.add(c.entry, c.bytes, createReadStream(path.join(work, `${c.name}.ejson`)));
    await tar.end();
    await once(written, 'close');
    await rename(partial, target);
    return { file: target, bytes: (await stat(target)).size, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}
