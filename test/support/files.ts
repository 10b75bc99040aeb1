/** Files of the kinds uploads must refuse, and large ones, made in memory for tests. */
import { createHash } from 'node:crypto';
import { minimalPdf } from '../../src/demo/sample-files';

/** The start of a Linux x86-64 executable (ELF header, then padding): what a renamed program looks like. */
export function elfExecutable(): Buffer {
  const header = Buffer.alloc(4096);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header); // \x7fELF, 64-bit, little-endian, version 1
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(0x3e, 18); // x86-64
  header.writeUInt32LE(1, 20);
  header.writeBigUInt64LE(0x401000n, 24); // entry point
  header.writeBigUInt64LE(64n, 32); // program headers right after this header
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(1, 56);
  return header;
}

export const plainText = (): Buffer => Buffer.from('项目情况说明\n一、项目概况\n本项目位于示范区，总投资一亿元。\n'.repeat(20), 'utf8');

export const htmlPage = (): Buffer =>
  Buffer.from('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>申报材料</title></head><body><script>alert(document.cookie)</script></body></html>\n', 'utf8');

export const svgImage = (): Buffer =>
  Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>\n', 'utf8');

/**
 * A PDF of `bytes` bytes (a real header, then padding), as a Blob built from one
 * reused 1 MiB chunk, so the test holds the file in memory once.
 */
export function largePdfBlob(bytes: number): Blob {
  const head = minimalPdf('large');
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const parts: Uint8Array[] = [new Uint8Array(head)];
  let left = bytes - head.length;
  for (; left >= chunk.length; left -= chunk.length) parts.push(chunk);
  parts.push(chunk.subarray(0, left));
  return new Blob(parts);
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
