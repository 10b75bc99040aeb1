/**
 * Content sniffing for dossier uploads. Works only on bytes already held in small buffers (the first 64 KiB, and
 * for ZIP/CFB refinements a bounded tail or directory window); nothing is ever inflated here. `file-type` is asked
 * only about the first 64 KiB; for ZIPs it reads local headers and may inflate `[Content_Types].xml` or `mimetype`,
 * but those come out of the ≤ 64 KiB buffer and its inflater stops at 1 MiB of output, so memory stays bounded.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { DossierFileKind } from './mime';

/** How many leading bytes are buffered to decide the type. */
export const SNIFF_BYTES = 64 * 1024;
/** How many trailing bytes of a ZIP are kept to read its central directory (EOCD + comment ≤ 65,557 bytes). */
export const ZIP_TAIL_BYTES = 128 * 1024;
/** How many bytes of a CFB file are kept from the start of its directory when that lies beyond the first 64 KiB. */
export const CFB_DIRECTORY_WINDOW_BYTES = 32 * 1024;

export type SniffVerdict =
  | { readonly status: 'accept'; readonly kind: DossierFileKind }
  | { readonly status: 'reject'; readonly detected: string }
  /** A ZIP not (yet) known to be OFD/DOCX/XLSX; its central directory, at the end of the file, may still tell. */
  | { readonly status: 'zip' }
  /** A CFB whose directory lies beyond the sniffed bytes, at `directoryOffset`; see {@link resolveCfbDirectory}. */
  | { readonly status: 'cfb'; readonly directoryOffset: number };

const accept = (kind: DossierFileKind): SniffVerdict => ({ status: 'accept', kind });
const reject = (detected: string): SniffVerdict => ({ status: 'reject', detected });

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46]; // %PDF
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_LOCAL_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_MAGIC = [0x50, 0x4b, 0x05, 0x06];
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ACCEPTED_MAGICS = [PDF_MAGIC, JPEG_MAGIC, PNG_MAGIC, ZIP_LOCAL_MAGIC, ZIP_EMPTY_MAGIC, CFB_MAGIC];

/** Bytes needed by {@link couldBeAccepted} to rule a file out early. */
export const PREFIX_BYTES = 8;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

/** False when the first {@link PREFIX_BYTES} bytes already rule out every accepted kind (reject without waiting). */
export function couldBeAccepted(prefix: Uint8Array): boolean {
  return ACCEPTED_MAGICS.some((magic) =>
    prefix.length >= magic.length ? startsWith(prefix, magic) : magic.slice(0, prefix.length).every((b, i) => prefix[i] === b),
  );
}

const u16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, o: number): number => (u16(b, o) | (u16(b, o + 2) << 16)) >>> 0;
const latin1 = (b: Uint8Array, start: number, end: number): string => Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');

/**
 * Decides the kind from the first bytes of a file (at most {@link SNIFF_BYTES}, or the whole file when shorter).
 * `extension` (lower case, no dot, from the client's name) is used only to choose between doc and xls for an OLE
 * compound file whose directory does not tell; it never makes a file acceptable.
 */
export async function sniffHead(head: Uint8Array, extension: string): Promise<SniffVerdict> {
  if (head.length === 0) return reject('empty');
  if (!couldBeAccepted(head.subarray(0, PREFIX_BYTES))) return reject(await describe(head));

  if (startsWith(head, CFB_MAGIC)) return sniffCfb(head, extension);

  if (startsWith(head, ZIP_LOCAL_MAGIC) || startsWith(head, ZIP_EMPTY_MAGIC)) {
    if (zipLocalEntryNames(head).includes(OFD_ROOT)) return accept('ofd');
    const type = await fileTypeOf(head);
    if (type === 'docx' || type === 'xlsx') return accept(type);
    return { status: 'zip' };
  }

  const type = await fileTypeOf(head);
  if (type === 'pdf' && startsWith(head, PDF_MAGIC)) return accept('pdf');
  if (type === 'jpg' && startsWith(head, JPEG_MAGIC)) return accept('jpg');
  if ((type === 'png' || type === 'apng') && startsWith(head, PNG_MAGIC)) return accept('png');
  return reject(type ?? 'unknown');
}

async function fileTypeOf(head: Uint8Array): Promise<string | undefined> {
  try {
    return (await fileTypeFromBuffer(head))?.ext;
  } catch {
    // file-type gives up on some truncated or hostile inputs; the caller falls back on the magic bytes.
    return undefined;
  }
}

async function describe(head: Uint8Array): Promise<string> {
  const type = await fileTypeOf(head);
  if (type) return type;
  return head.subarray(0, 512).includes(0) ? 'unknown' : 'text';
}

// ---------------------------------------------------------------------------------------------------------- ZIP

const OFD_ROOT = 'OFD.xml';
const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const MAX_ENTRIES_SCANNED = 4096;

function indexOfLocalHeader(b: Uint8Array, from: number): number {
  return Buffer.from(b.buffer, b.byteOffset, b.length).indexOf(Buffer.from(ZIP_LOCAL_MAGIC), from);
}

/**
 * Names of the ZIP entries whose local headers lie within `bytes` (the start of the file), by walking the headers
 * and skipping each entry's compressed data by its declared size. Entries streamed with a data descriptor (unknown
 * size, as Java's ZipOutputStream writes them) are skipped by searching for the next local-header signature.
 * Reads headers only; never inflates.
 */
export function zipLocalEntryNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  let p = 0;
  while (names.length < MAX_ENTRIES_SCANNED && p + 30 <= bytes.length && u32(bytes, p) === LOCAL_HEADER) {
    const flags = u16(bytes, p + 6);
    const compressedSize = u32(bytes, p + 18);
    const nameLength = u16(bytes, p + 26);
    const extraLength = u16(bytes, p + 28);
    const nameEnd = p + 30 + nameLength;
    if (nameEnd > bytes.length) break;
    names.push(latin1(bytes, p + 30, nameEnd));
    const dataStart = nameEnd + extraLength;
    const sizeUnknown = ((flags & 0x08) !== 0 && compressedSize === 0) || compressedSize === 0xffffffff;
    let next = -1;
    if (!sizeUnknown) {
      next = dataStart + compressedSize;
      if (u32(bytes, next) === DATA_DESCRIPTOR) next += 16;
      else if ((flags & 0x08) !== 0) next += 12;
    }
    if (next < 0 || next + 4 > bytes.length || u32(bytes, next) !== LOCAL_HEADER) {
      next = indexOfLocalHeader(bytes, Math.max(dataStart, p + 4));
    }
    if (next <= p) break;
    p = next;
  }
  return names;
}

export interface ZipEntry {
  name: string;
  /** As the directory declares it: what inflating the entry should give. */
  uncompressedSize: number;
}

/**
 * Entries in the ZIP central directory when it lies wholly inside `tail` (the last bytes of a file of `fileSize`
 * bytes); undefined when it cannot be read from there (too big, ZIP64, damaged).
 */
export function zipCentralDirectory(tail: Uint8Array, fileSize: number): ZipEntry[] | undefined {
  const tailStart = fileSize - tail.length;
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - 22 - 0xffff; i--) {
    if (u32(tail, i) === END_OF_CENTRAL_DIRECTORY && u16(tail, i + 20) === tail.length - i - 22) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = u16(tail, eocd + 10);
  const cdSize = u32(tail, eocd + 12);
  const cdOffset = u32(tail, eocd + 16);
  if (cdSize === 0xffffffff || cdOffset === 0xffffffff || entries === 0xffff) return undefined;
  let p = cdOffset - tailStart;
  if (p < 0 || p + cdSize > eocd) return undefined;
  const found: ZipEntry[] = [];
  for (let n = 0; n < entries && n < MAX_ENTRIES_SCANNED; n++) {
    if (p + 46 > eocd || u32(tail, p) !== CENTRAL_HEADER) return undefined;
    const nameLength = u16(tail, p + 28);
    const end = p + 46 + nameLength;
    if (end > eocd) return undefined;
    found.push({ name: latin1(tail, p + 46, end), uncompressedSize: u32(tail, p + 24) });
    p = end + u16(tail, p + 30) + u16(tail, p + 32);
  }
  return found;
}

/**
 * Final kind of a file whose head said plain ZIP, from its central directory: an `OFD.xml` entry at the root makes
 * it OFD; `[Content_Types].xml` with `word/` or `xl/` parts makes it DOCX or XLSX (as file-type's own fallback
 * does). Anything else stays 'zip'.
 */
export function resolveZipKind(tail: Uint8Array, fileSize: number): 'zip' | 'ofd' | 'docx' | 'xlsx' {
  const names = zipCentralDirectory(tail, fileSize)?.map((entry) => entry.name);
  if (!names) return 'zip';
  if (names.includes(OFD_ROOT)) return 'ofd';
  if (names.includes('[Content_Types].xml')) {
    const word = names.some((n) => n.startsWith('word/'));
    const sheet = names.some((n) => n.startsWith('xl/'));
    if (word && !sheet) return 'docx';
    if (sheet && !word) return 'xlsx';
  }
  return 'zip';
}

// ---------------------------------------------------------------------------------------------------------- CFB

interface CfbEntry {
  name: string;
  type: number;
  clsid: Uint8Array;
}

/**
 * Directory entries found in `bytes`, which start at file offset `offset`: every 128-byte-aligned slot (CFB sectors
 * are 512 or 4096 bytes, so directory entries always sit at multiples of 128) that is a well-formed entry.
 */
function cfbEntries(bytes: Uint8Array, offset: number): CfbEntry[] {
  const entries: CfbEntry[] = [];
  const first = (128 - (offset % 128)) % 128;
  for (let e = first; e + 128 <= bytes.length; e += 128) {
    const nameLength = u16(bytes, e + 64);
    const type = bytes[e + 66] ?? 0;
    const color = bytes[e + 67] ?? 2;
    if (nameLength < 4 || nameLength > 64 || nameLength % 2 !== 0) continue;
    if (type !== 1 && type !== 2 && type !== 5) continue;
    if (color > 1 || u16(bytes, e + nameLength - 2) !== 0) continue;
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + e, nameLength - 2).toString('utf16le');
    if (name.includes('\u0000')) continue;
    entries.push({ name, type, clsid: bytes.subarray(e + 80, e + 96) });
  }
  return entries;
}

/** Root-storage CLSIDs of Windows Installer files (.msi, .msp, .mst): {000C108x-0000-0000-C000-000000000046}. */
function isInstallerClsid(clsid: Uint8Array): boolean {
  const tail = [0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];
  return [0x000c1084, 0x000c1086, 0x000c1082].includes(u32(clsid, 0)) && tail.every((b, i) => clsid[4 + i] === b);
}

const OTHER_CFB_STREAMS: Record<string, string> = {
  'PowerPoint Document': 'ppt',
  VisioDocument: 'vsd',
  '__properties_version1.0': 'msg',
};

const DOC_EXTENSIONS = new Set(['doc', 'dot', 'wps']);
const XLS_EXTENSIONS = new Set(['xls', 'xlt', 'et']);

/** doc/xls when the directory entries tell, a rejection when they show something else, undefined when silent. */
function classifyCfb(entries: CfbEntry[]): SniffVerdict | undefined {
  if (entries.some((e) => e.type === 5 && isInstallerClsid(e.clsid))) return reject('msi');
  const streams = entries.filter((e) => e.type === 2).map((e) => e.name);
  // The main stream is created before any embedded object's (a .doc embedding a sheet also holds a "Workbook"
  // stream, further down the directory), so the first one seen decides.
  const main = streams.find((name) => name === 'WordDocument' || name === 'Workbook' || name === 'Book');
  if (main) return accept(main === 'WordDocument' ? 'doc' : 'xls');
  for (const [stream, detected] of Object.entries(OTHER_CFB_STREAMS)) if (streams.includes(stream)) return reject(detected);
  return undefined;
}

function byExtension(extension: string): SniffVerdict | undefined {
  if (DOC_EXTENSIONS.has(extension)) return accept('doc');
  if (XLS_EXTENSIONS.has(extension)) return accept('xls');
  return undefined;
}

function sniffCfb(head: Uint8Array, extension: string): SniffVerdict {
  if (head.length < 512) return reject('cfb-truncated');
  const sectorShift = u16(head, 0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return reject('cfb-invalid');
  const sectorSize = 1 << sectorShift;
  const told = classifyCfb(cfbEntries(head.subarray(sectorSize), sectorSize));
  if (told) return told;
  const firstDirectorySector = u32(head, 0x30);
  if (firstDirectorySector >= 0xfffffffa) return reject('cfb-invalid');
  const directoryOffset = (firstDirectorySector + 1) * sectorSize;
  // Not seen yet: decided at the end, from a window captured as the stream passes the directory.
  if (directoryOffset + sectorSize > head.length) return { status: 'cfb', directoryOffset };
  return byExtension(extension) ?? reject('cfb-unknown');
}

/**
 * Final verdict for a CFB file whose directory lay beyond the sniffed head: `window` holds the bytes read from
 * `directoryOffset` on (up to {@link CFB_DIRECTORY_WINDOW_BYTES}).
 */
export function resolveCfbDirectory(window: Uint8Array, directoryOffset: number, extension: string): SniffVerdict {
  // The header points past the end of the file: not a usable compound file, whatever its name says.
  if (window.length < 128) return reject('cfb-invalid');
  return classifyCfb(cfbEntries(window, directoryOffset)) ?? byExtension(extension) ?? reject('cfb-unknown');
}
