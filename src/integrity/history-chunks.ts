import { createHash } from 'node:crypto';
import { chunkOfVersion, HISTORY_CHUNK, historyChunkId, type StoredHistoryEntry } from '../projects/project.model';
import { historyChunkStore } from '../projects/project-store';
import { entryText } from '../projects/project.repository';
import type { Violation } from './violation';

/**
 * The chunks of the history (project-store.ts, historyChunkStore) are copies of
 * sixteen entries each: every one must say what the entries say. What the
 * entries of each chunk say is kept as one digest per chunk (the XOR of each
 * entry's SHA-1), so the check holds a few bytes per chunk, not the history.
 */
export class ChunkDigests {
  private readonly digests = new Map<string, { digest: Buffer; count: number }>();

  add(entry: StoredHistoryEntry): void {
    const id = historyChunkId(entry.projectId.toString(), chunkOfVersion(entry.version));
    const known = this.digests.get(id) ?? { digest: Buffer.alloc(20), count: 0 };
    xorInto(known.digest, entryDigest(entry));
    known.count++;
    this.digests.set(id, known);
  }

  /** Whether a chunk's entries are exactly the sixteen entries of its versions. */
  matches(id: string, chunk: number, entries: readonly StoredHistoryEntry[]): boolean {
    const expected = this.digests.get(id);
    if (!expected || expected.count !== HISTORY_CHUNK || entries.length !== HISTORY_CHUNK) return false;
    if (entries.some((entry, i) => entry.version !== chunk * HISTORY_CHUNK + i + 1)) return false;
    const digest = Buffer.alloc(20);
    for (const entry of entries) xorInto(digest, entryDigest(entry));
    return digest.equals(expected.digest);
  }
}

const entryDigest = (entry: StoredHistoryEntry) => createHash('sha1').update(`${entry.version}\n${entryText(entry)}`).digest();

function xorInto(target: Buffer, digest: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= digest[i]!;
}

/** Chunks that disagree with the entries; with `repair`, dropped (the next read of those entries writes them again). */
export async function historyChunkViolations(digests: ChunkDigests, repair: boolean): Promise<{ found: Violation[]; dropped: number }> {
  const found: Violation[] = [];
  let dropped = 0;
  for await (const { id, projectId, chunk, entries } of historyChunkStore.scan()) {
    if (digests.matches(id, chunk, entries)) continue;
    if (repair) {
      await historyChunkStore.remove(id);
      dropped++;
    } else {
      found.push({ rule: 'history', projectId, detail: `历史记录分段 ${id} 与历史记录不一致（npm run check -- --repair 会删除它，之后按历史记录重写）` });
    }
  }
  return { found, dropped };
}
