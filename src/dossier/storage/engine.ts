/**
 * multer storage engine for dossier files (申报材料): streams each upload to `<uploadsDir>/.tmp/<random>` while
 * hashing it, decides its kind from its first bytes (never from its name or the client's mimetype), and files it
 * content-addressed at `<uploadsDir>/<sha256[0..2]>/<sha256>`. No upload is ever held in memory whole.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { link, lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import multer from 'multer';
import { KeyedLock } from '../../shared/keyed-lock';
import { UnsupportedFileTypeError } from './errors';
import { type DossierFileKind, mimeForKind } from './mime';
import { decodeUploadedName, extensionOf, sanitizeOriginalName } from './names';
import {
  CFB_DIRECTORY_WINDOW_BYTES,
  PREFIX_BYTES,
  SNIFF_BYTES,
  type SniffVerdict,
  ZIP_TAIL_BYTES,
  couldBeAccepted,
  resolveCfbDirectory,
  resolveZipKind,
  sniffHead,
} from './sniff';

export interface StoredFile {
  /** Where the file lives relative to uploadsDir: "ab/ab12…" (the SHA-256, sharded by its first two hex digits). */
  storageKey: string;
  sha256: string;
  size: number;
  kind: DossierFileKind;
  /** The Content-Type to serve it with (from the kind, not from the client). */
  mime: string;
  /** The client's file name, decoded to proper Unicode, basename only, without control characters, ≤ 200 chars. */
  originalName: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-namespace
    namespace Multer {
      interface File {
        /** Set on files stored by the dossier storage engine (see `createDossierUpload`). */
        dossier?: StoredFile;
      }
    }
  }
}

/** The directory holding in-progress uploads. */
export const TEMPORARY_DIR_NAME = '.tmp';

const STORAGE_KEY = /^([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** Limits for the non-file parts of an upload form (the file itself is limited by `maxFileBytes`). */
const FORM_LIMITS = { files: 1, fields: 32, fieldSize: 64 * 1024, fieldNameSize: 200 } as const;

/**
 * A multer instance whose storage is the dossier engine; use `upload.single('file')`. Besides `limits.fileSize`
 * (multer answers an oversized file with MulterError LIMIT_FILE_SIZE and nothing is left on disk), the form may
 * carry one file (LIMIT_FILE_COUNT otherwise) and at most 32 text fields of ≤ 64 KiB.
 *
 * On success `req.file.dossier` is the {@link StoredFile}; `req.file.path` is its absolute path and
 * `req.file.mimetype` / `req.file.originalname` are replaced by the sniffed type and the decoded, sanitised name.
 * A file of any other type fails the request with {@link UnsupportedFileTypeError}.
 */
export function createDossierUpload(opts: { uploadsDir: string; maxFileBytes: number }): multer.Multer {
  if (!Number.isSafeInteger(opts.maxFileBytes) || opts.maxFileBytes <= 0) {
    throw new RangeError(`maxFileBytes must be a positive integer: ${opts.maxFileBytes}`);
  }
  return multer({
    storage: new DossierStorageEngine(path.resolve(opts.uploadsDir), opts.maxFileBytes),
    limits: { ...FORM_LIMITS, fileSize: opts.maxFileBytes },
  });
}

/**
 * The absolute path of a stored file. Throws unless `storageKey` has the engine's exact form ("ab/<64 hex>", the
 * shard matching the hash) and resolves inside `uploadsDir`, so a key taken from a request or a tampered record
 * can name neither another file nor an in-progress upload.
 */
export function storedFilePath(uploadsDir: string, storageKey: string): string {
  const match = STORAGE_KEY.exec(storageKey);
  if (!match || !match[2]?.startsWith(match[1] ?? '-')) {
    throw new Error(`invalid dossier storage key: ${JSON.stringify(storageKey)}`);
  }
  const root = path.resolve(uploadsDir);
  const resolved = path.resolve(root, storageKey);
  const relative = path.relative(root, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`dossier storage key escapes the uploads directory: ${JSON.stringify(storageKey)}`);
  }
  return resolved;
}

/** The stored-file description multer put on `req.file`; throws if the file was not stored by this engine. */
export function getStoredFile(file: Express.Multer.File | undefined): StoredFile {
  if (!file?.dossier) throw new Error('no dossier file on this request');
  return file.dossier;
}

/**
 * Files bytes already in memory (demo data) exactly as an upload of them would be: sniffed, hashed, written to a
 * temporary file, fsynced and moved to their content address. Refuses what an upload would refuse.
 */
export async function storeBuffer(uploadsDir: string, content: Buffer, originalName: string): Promise<StoredFile> {
  const engine = new DossierStorageEngine(path.resolve(uploadsDir), Math.max(1, content.length));
  const upload = { fieldname: 'file', originalname: originalName, stream: Readable.from([content]) } as Express.Multer.File;
  return getStoredFile((await engine.store(upload)) as Express.Multer.File);
}

/**
 * Removes the leftovers of uploads interrupted by a crash from `<uploadsDir>/.tmp` and returns how many were
 * removed. Meant for start-up: by default it removes every temporary file, which would break uploads in progress,
 * so when other processes may be uploading into the same directory pass `olderThanMs` (e.g. an hour).
 */
export async function cleanTemporaryUploads(uploadsDir: string, opts: { olderThanMs?: number } = {}): Promise<number> {
  const dir = path.join(path.resolve(uploadsDir), TEMPORARY_DIR_NAME);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 0;
    throw err;
  }
  const cutoff = Date.now() - (opts.olderThanMs ?? 0);
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const file = path.join(dir, entry.name);
    if (opts.olderThanMs !== undefined) {
      const info = await lstat(file).catch(() => undefined);
      if (!info || info.mtimeMs > cutoff) continue;
    }
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}

// ------------------------------------------------------------------------------------------------ the engine

/** Marks the files this process has just created, so that `_removeFile` never deletes content others rely on. */
const CREATION = Symbol('dossier-storage-creation');

type FileInfo = Partial<Express.Multer.File> & { [CREATION]?: Creation };

interface Creation {
  /** Another upload of the same content was answered with this file while the creating request was in flight. */
  shared: boolean;
  timer: NodeJS.Timeout;
}

/** How long a newly created file can still be removed by its creating request's `_removeFile`. */
const CREATION_TTL_MS = 10 * 60 * 1000;

/** Files created by uploads still possibly in flight, by absolute path. */
const creations = new Map<string, Creation>();

/** Per-path serialisation of "file it or find it already there" against "remove it again". */
const pathLock = new KeyedLock();

/**
 * Undoes a stored upload whose request failed afterwards (multer calls this for its own failures; callers call it
 * when the record could not be written). The content-addressed file is removed only if this very upload created it
 * and no other upload has been answered with it meanwhile; otherwise it is left for whoever references it (an
 * unreferenced leftover is harmless; a missing referenced file is not).
 */
export async function discardUpload(upload: Express.Multer.File | undefined): Promise<void> {
  const file = upload as (Express.Multer.File & FileInfo) | undefined;
  const creation = file?.[CREATION];
  const finalPath = file?.path;
  if (!creation || !finalPath) return;
  await pathLock.run(finalPath, async () => {
    if (creations.get(finalPath) !== creation) return;
    creations.delete(finalPath);
    clearTimeout(creation.timer);
    if (creation.shared) return;
    await rm(finalPath, { force: true });
    await fsyncDirectory(path.dirname(finalPath));
  });
}

class DossierStorageEngine implements multer.StorageEngine {
  private readonly temporaryDir: string;

  constructor(
    private readonly root: string,
    private readonly maxFileBytes: number,
  ) {
    this.temporaryDir = path.join(root, TEMPORARY_DIR_NAME);
  }

  _handleFile(_req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: FileInfo) => void): void {
    this.store(file).then(
      (info) => callback(null, info),
      (err: unknown) => callback(err),
    );
  }

  /**
   * Called by multer when the request fails after this file was stored. The content-addressed file is removed
   * only if this very upload created it and no other upload has been answered with it meanwhile; otherwise it is
   * left for whoever references it (an unreferenced leftover is harmless; a missing referenced file is not).
   */
  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    discardUpload(file).then(
      () => callback(null),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }

  async store(file: Express.Multer.File): Promise<FileInfo> {
    const stream = file.stream;
    const decodedName = sanitizeOriginalName(decodeUploadedName(file.originalname ?? ''));
    const upload = new IncomingUpload(this.maxFileBytes, extensionOf(decodedName), file.fieldname);
    let temporaryPath: string | undefined;
    let handle: FileHandle | undefined;
    try {
      if (stream.destroyed) throw new Error('upload stream already destroyed');
      await mkdir(this.temporaryDir, { recursive: true });
      temporaryPath = path.join(this.temporaryDir, randomBytes(16).toString('hex'));
      handle = await open(temporaryPath, 'wx', 0o640);
      const output = handle;
      await consume(stream, async (chunk) => {
        await upload.take(chunk);
        await writeAll(output, chunk);
      });
      const kind = await upload.finish();
      await handle.sync();
      await handle.close();
      handle = undefined;

      const sha256 = upload.sha256();
      const { finalPath, creation } = await this.commit(temporaryPath, sha256, upload.size);
      temporaryPath = undefined;

      const stored: StoredFile = {
        storageKey: `${sha256.slice(0, 2)}/${sha256}`,
        sha256,
        size: upload.size,
        kind,
        mime: mimeForKind(kind),
        originalName: decodedName || `未命名文件.${kind}`,
      };
      const info: FileInfo = {
        path: finalPath,
        size: stored.size,
        mimetype: stored.mime,
        originalname: stored.originalName,
        dossier: stored,
      };
      if (creation) info[CREATION] = creation;
      return info;
    } catch (err) {
      // Whatever went wrong, let busboy go on (a stalled file stream would stall the whole form) and leave nothing.
      stream.resume();
      await handle?.close().catch(() => undefined);
      if (temporaryPath) await rm(temporaryPath, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  /** Moves the complete, fsynced temporary file to its content address (or drops it if that already exists). */
  private async commit(
    temporaryPath: string,
    sha256: string,
    size: number,
  ): Promise<{ finalPath: string; creation?: Creation }> {
    const shardDir = path.join(this.root, sha256.slice(0, 2));
    const finalPath = path.join(shardDir, sha256);
    if ((await mkdir(shardDir, { recursive: true })) !== undefined) await fsyncDirectory(this.root);

    return pathLock.run(finalPath, async () => {
      let created = false;
      try {
        // link() fails with EEXIST instead of replacing, so "did this upload create the file" is exact even with
        // other processes writing to the same directory; rename() would silently overwrite.
        await link(temporaryPath, finalPath);
        created = true;
      } catch (err) {
        const code = errorCode(err);
        if (code === 'EEXIST') {
          await this.replaceIfDamaged(temporaryPath, finalPath, size);
        } else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
          // No hard links on this file system.
          if (await exists(finalPath)) await this.replaceIfDamaged(temporaryPath, finalPath, size);
          else {
            await rename(temporaryPath, finalPath);
            created = true;
          }
        } else {
          throw err;
        }
      }
      try {
        await rm(temporaryPath, { force: true });
        await fsyncDirectory(shardDir);
      } catch (err) {
        if (created) await rm(finalPath, { force: true }).catch(() => undefined);
        throw err;
      }

      if (!created) {
        const current = creations.get(finalPath);
        if (current) current.shared = true;
        return { finalPath };
      }
      const creation: Creation = {
        shared: false,
        timer: setTimeout(() => {
          if (creations.get(finalPath) === creation) creations.delete(finalPath);
        }, CREATION_TTL_MS).unref(),
      };
      creations.set(finalPath, creation);
      return { finalPath, creation };
    });
  }

  /** The same content is already stored; only a copy of the wrong size (damaged outside the engine) is replaced. */
  private async replaceIfDamaged(temporaryPath: string, finalPath: string, size: number): Promise<void> {
    const existing = await stat(finalPath);
    if (!existing.isFile() || existing.size !== size) await rename(temporaryPath, finalPath);
  }
}

/**
 * Per-upload state: hash and size of everything seen, the first {@link SNIFF_BYTES} until the type is decided,
 * then whatever bounded window the verdict still needs (the last bytes of a ZIP, a CFB directory).
 */
class IncomingUpload {
  size = 0;
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLength = 0;
  private verdict: SniffVerdict | undefined;
  private tail: TailWindow | undefined;
  private directory: RangeCapture | undefined;

  constructor(
    private readonly maxFileBytes: number,
    private readonly extension: string,
    private readonly fieldname: string,
  ) {}

  /** Accounts for the next chunk; throws (before it is written) when the file is refused. */
  async take(chunk: Buffer): Promise<void> {
    const offset = this.size;
    this.size += chunk.length;
    // multer's limits.fileSize normally stops the stream first; this is the engine's own guarantee.
    if (this.size > this.maxFileBytes) throw new multer.MulterError('LIMIT_FILE_SIZE', this.fieldname);
    this.hash.update(chunk);
    if (this.verdict) {
      this.tail?.push(chunk);
      this.directory?.feed(chunk, offset);
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= SNIFF_BYTES || (this.headLength >= PREFIX_BYTES && !couldBeAccepted(this.prefix()))) {
      await this.decide();
    }
  }

  /** The kind, once the whole file has been taken. */
  async finish(): Promise<DossierFileKind> {
    if (!this.verdict) await this.decide();
    const verdict = this.verdict;
    if (verdict?.status === 'accept') return verdict.kind;
    if (verdict?.status === 'zip') return resolveZipKind(this.tail?.bytes() ?? Buffer.alloc(0), this.size);
    if (verdict?.status === 'cfb') {
      const final = resolveCfbDirectory(this.directory?.bytes() ?? Buffer.alloc(0), verdict.directoryOffset, this.extension);
      if (final.status === 'accept') return final.kind;
      throw new UnsupportedFileTypeError(final.status === 'reject' ? final.detected : 'cfb-unknown', this.fieldname);
    }
    throw new UnsupportedFileTypeError('unknown', this.fieldname);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  private prefix(): Buffer {
    const first = this.head[0];
    return first && first.length >= PREFIX_BYTES ? first : Buffer.concat(this.head);
  }

  private async decide(): Promise<void> {
    const seen = Buffer.concat(this.head);
    this.head = [];
    const verdict = await sniffHead(seen.subarray(0, SNIFF_BYTES), this.extension);
    this.verdict = verdict;
    if (verdict.status === 'reject') throw new UnsupportedFileTypeError(verdict.detected, this.fieldname);
    if (verdict.status === 'zip') {
      this.tail = new TailWindow(ZIP_TAIL_BYTES);
      this.tail.push(seen);
    } else if (verdict.status === 'cfb') {
      this.directory = new RangeCapture(verdict.directoryOffset, CFB_DIRECTORY_WINDOW_BYTES);
      this.directory.feed(seen, 0);
    }
  }
}

/** The last `limit` bytes of a stream, kept as a few chunks (no copying until asked for). */
class TailWindow {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.chunks.length > 1 && this.length - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.length -= this.chunks.shift()?.length ?? 0;
    }
  }

  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit));
  }
}

/** Copies the bytes at [start, start + length) of a stream as its chunks go by. */
class RangeCapture {
  private readonly buffer: Buffer;
  private filled = 0;

  constructor(
    private readonly start: number,
    length: number,
  ) {
    this.buffer = Buffer.alloc(length);
  }

  feed(chunk: Buffer, chunkOffset: number): void {
    const from = Math.max(this.start, chunkOffset);
    const to = Math.min(this.start + this.buffer.length, chunkOffset + chunk.length);
    if (to <= from) return;
    chunk.copy(this.buffer, from - this.start, from - chunkOffset, to - chunkOffset);
    this.filled = Math.max(this.filled, to - this.start);
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.filled);
  }
}

/**
 * Feeds every chunk of `stream` to `handle`, one at a time (the stream is paused meanwhile), and resolves once the
 * stream has ended and the last chunk has been handled. On the first failure, of `handle` or of the stream (error,
 * premature close), it stops handling, leaves the stream flowing so the rest is drained and discarded (busboy must
 * not stall), and rejects once the chunk in hand is done with.
 */
function consume(stream: Readable, handle: (chunk: Buffer) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let failure: { error: unknown } | undefined;
    let inFlight: Promise<void> = Promise.resolve();

    const settle = (): void => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      stream.off('end', settle);
      stream.off('error', fail);
      stream.off('close', onClose);
      if (failure) stream.resume();
      // 'end' can come while the last chunk is still being handled (a paused stream still ends once its buffer is
      // empty), so the outcome is read only after that chunk is done with.
      void inFlight.then(() => (failure ? reject(failure.error) : resolve()));
    };
    const fail = (error: unknown): void => {
      failure ??= { error };
      if (settled) return;
      settle();
    };
    const onData = (chunk: Buffer): void => {
      stream.pause();
      inFlight = inFlight
        .then(() => (failure ? undefined : handle(chunk)))
        .then(
          () => {
            if (!settled) stream.resume();
          },
          (error: unknown) => fail(error),
        );
    };
    const onClose = (): void => {
      if (!stream.readableEnded) fail(new Error('upload stream closed before its end'));
    };

    stream.on('data', onData);
    stream.on('end', settle);
    stream.on('error', fail);
    stream.on('close', onClose);
  });
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Makes a directory entry change durable; a no-op where directories cannot be fsynced. */
async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw err;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
