/** The dossier files on disk as the storage engine leaves them: `<uploadsDir>/<ab>/<sha256 starting ab>`. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const SHARD = /^[0-9a-f]{2}$/;
const CONTENT_NAME = /^[0-9a-f]{64}$/;

export interface FileDigest {
  sha256: string;
  size: number;
}

/** SHA-256 and size of a file, read as a stream so that no file is ever held in memory whole. */
export async function digestFile(file: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Storage keys ("ab/ab12…") of every stored file; in-progress uploads and anything else in the folder are left out. */
export async function listStoredFiles(uploadsDir: string): Promise<string[]> {
  const keys: string[] = [];
  const shards = await readdir(uploadsDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  for (const shard of shards) {
    if (!shard.isDirectory() || !SHARD.test(shard.name)) continue;
    for (const file of await readdir(path.join(uploadsDir, shard.name), { withFileTypes: true })) {
      if (file.isFile() && CONTENT_NAME.test(file.name) && file.name.startsWith(shard.name)) keys.push(`${shard.name}/${file.name}`);
    }
  }
  return keys.sort();
}

/** The SHA-256 a storage key names. */
export const sha256OfKey = (storageKey: string) => storageKey.slice(3);
