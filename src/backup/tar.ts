/**
 * Just enough of the POSIX tar format (ustar) to write and read the backup
 * archive as a stream: regular files with short names, nothing else. Any tar
 * reads what this writes (`tar -tzf backup.tar.gz`); this reads back only what
 * it wrote. Entries are streamed through, so no file is held in memory whole.
 */
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';

const BLOCK = 512;
const NAME_BYTES = 100;
const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: Date): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > NAME_BYTES) throw new Error(`tar entry name too long: ${name}`);
  const block = Buffer.alloc(BLOCK);
  nameBytes.copy(block, 0);
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  // The checksum is computed with its own field taken as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** Writes entries one after the other to `out`, waiting whenever `out` asks to. */
export class TarWriter {
  constructor(private readonly out: Writable) {}

  private async write(chunk: Buffer): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /** Adds a file of exactly `size` bytes; fails if `content` yields a different number. */
  async add(name: string, size: number, content: Buffer | AsyncIterable<Buffer>, mtime = new Date()): Promise<void> {
    await this.write(header(name, size, mtime));
    let written = 0;
    for await (const chunk of Buffer.isBuffer(content) ? [content] : content) {
      written += chunk.length;
      if (written > size) throw new Error(`tar entry ${name} grew beyond ${size} bytes while being archived`);
      await this.write(chunk);
    }
    if (written !== size) throw new Error(`tar entry ${name}: expected ${size} bytes, got ${written}`);
    await this.write(padding(size));
  }

  async end(): Promise<void> {
    await this.write(END_OF_ARCHIVE);
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** Pulls exact byte counts out of a stream of chunks. */
class ByteSource {
  private buffered: Buffer[] = [];
  private length = 0;
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(input: AsyncIterable<Buffer>) {
    this.chunks = input[Symbol.asyncIterator]();
  }

  private async fill(atLeast: number): Promise<boolean> {
    while (this.length < atLeast) {
      const next = await this.chunks.next();
      if (next.done) return false;
      this.buffered.push(next.value);
      this.length += next.value.length;
    }
    return true;
  }

  private take(count: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    this.buffered = count < all.length ? [all.subarray(count)] : [];
    this.length = all.length - count;
    return all.subarray(0, count);
  }

  /** Exactly `count` bytes, or undefined at the end of the stream. */
  async read(count: number): Promise<Buffer | undefined> {
    return (await this.fill(count)) ? this.take(count) : undefined;
  }

  /** The next `count` bytes in pieces as they arrive; `state.left` tells how many were not taken. */
  async *pieces(state: { left: number }): AsyncGenerator<Buffer> {
    while (state.left > 0) {
      if (this.length === 0 && !(await this.fill(1))) throw new Error('tar archive ends in the middle of an entry');
      const piece = this.take(Math.min(state.left, this.length));
      state.left -= piece.length;
      yield piece;
    }
  }

  /** Drops the next `count` bytes. */
  async skip(count: number): Promise<void> {
    for (let left = count; left > 0; ) {
      if (this.length === 0 && !(await this.fill(1))) throw new Error('tar archive ends in the middle of an entry');
      left -= this.take(Math.min(left, this.length)).length;
    }
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** The entry's bytes; read them before asking for the next entry (what is left unread is skipped). */
  content: AsyncGenerator<Buffer>;
}

function parseHeader(block: Buffer): { name: string; size: number; type: string } {
  const text = (start: number, length: number) => block.toString('utf8', start, start + length).replace(/\0.*$/s, '');
  const declared = parseInt(text(148, 8).trim(), 8);
  let sum = 0;
  block.forEach((byte, i) => (sum += i >= 148 && i < 156 ? 0x20 : byte));
  if (declared !== sum || text(257, 5) !== 'ustar') throw new Error('not a tar archive written by the backup (bad header)');
  return { name: text(0, NAME_BYTES), size: parseInt(text(124, 12).trim(), 8), type: text(156, 1) || '0' };
}

export async function* readTar(input: Readable | AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const source = new ByteSource(input as AsyncIterable<Buffer>);
  for (;;) {
    const block = await source.read(BLOCK);
    if (!block) throw new Error('tar archive is truncated (no end marker)');
    if (block.every((byte) => byte === 0)) return;
    const { name, size, type } = parseHeader(block);
    if (type !== '0') throw new Error(`unexpected tar entry type ${type} for ${name}`);
    const unread = { left: size };
    yield { name, size, content: source.pieces(unread) };
    await source.skip(unread.left + padding(size).length);
  }
}
