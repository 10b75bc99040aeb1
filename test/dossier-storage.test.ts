import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import multer from 'multer';
import {
  DOSSIER_MIME_TYPES,
  type DossierFileKind,
  type StoredFile,
  UnsupportedFileTypeError,
  cleanTemporaryUploads,
  createDossierUpload,
  getStoredFile,
  sanitizeOriginalName,
  sniffHead,
  storedFilePath,
} from '../src/dossier/storage';

// ------------------------------------------------------------------------------------------- sample builders

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function minimalPdf(extra = ''): Buffer {
  const objects = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n',
  ];
  let body = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += o;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n${extra}`;
  return Buffer.from(body, 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function minimalPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 0xc0, 0x20, 0x20]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function minimalJpeg(): Buffer {
  // SOI, APP0/JFIF 1.01, EOI: enough for any sniffer, and a well-formed marker sequence.
  return Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00, 0xff, 0xd9,
  ]);
}

interface ZipEntry {
  name: string;
  data?: Buffer;
  /** Pre-deflated data (with its uncompressed size and CRC), for entries too big to build in memory. */
  deflated?: { bytes: Buffer; size: number; crc: number };
  store?: boolean;
  /** Java ZipOutputStream style: sizes and CRC zero in the local header, a data descriptor after the data. */
  streamed?: boolean;
  /** Lie about the uncompressed size in both headers. */
  declaredSize?: number;
}

function makeZip(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const raw = e.data ?? Buffer.alloc(0);
    const method = e.store ? 0 : 8;
    const body = e.deflated?.bytes ?? (e.store ? raw : zlib.deflateRawSync(raw));
    const crc = e.deflated?.crc ?? zlib.crc32(raw);
    const size = e.declaredSize ?? e.deflated?.size ?? raw.length;
    const flags = 0x0800 | (e.streamed ? 0x0008 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(e.streamed ? 0 : crc, 14);
    local.writeUInt32LE(e.streamed ? 0 : body.length, 18);
    local.writeUInt32LE(e.streamed ? 0 : size, 22);
    local.writeUInt16LE(name.length, 26);
    const record = [local, name, body];
    if (e.streamed) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(body.length, 8);
      descriptor.writeUInt32LE(size, 12);
      record.push(descriptor);
    }
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(0x21, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    for (const r of record) offset += r.length;
    parts.push(...record);
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

const xml = (s: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`, 'utf8');

const contentTypes = (main: string): Buffer =>
  xml(
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="${main}"/>` +
      '</Types>',
  );

const rels = (target: string): Buffer =>
  xml(
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/>` +
      '</Relationships>',
  );

function minimalDocx(): Buffer {
  return makeZip([
    {
      name: '[Content_Types].xml',
      data: contentTypes(
        '/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      ),
    },
    { name: '_rels/.rels', data: rels('word/document.xml') },
    {
      name: 'word/document.xml',
      data: xml(
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>项目建议书</w:t></w:r></w:p></w:body></w:document>',
      ),
    },
  ]);
}

function minimalXlsx(): Buffer {
  return makeZip([
    {
      name: '[Content_Types].xml',
      data: contentTypes(
        '/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      ),
    },
    { name: '_rels/.rels', data: rels('xl/workbook.xml') },
    {
      name: 'xl/workbook.xml',
      data: xml(
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="资金" sheetId="1"/></sheets></workbook>',
      ),
    },
  ]);
}

const ofdXml = xml(
  '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
);

function minimalOfd(): Buffer {
  return makeZip([
    { name: 'OFD.xml', data: ofdXml },
    { name: 'Doc_0/Document.xml', data: xml('<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>') },
  ]);
}

/** Random bytes: incompressible, and a fresh hash every time. */
const noise = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));

interface CfbOptions {
  streams: string[];
  rootClsid?: Buffer;
  /** Sectors of stream data before the directory sector (each 512 bytes); pushes the directory that far. */
  dataSectors?: number;
}

/** A small but well-formed OLE compound file (v3, 512-byte sectors): FAT sectors, data sectors, one directory sector. */
function makeCfb({ streams, rootClsid, dataSectors = 1 }: CfbOptions): Buffer {
  if (streams.length > 3) throw new Error('one directory sector holds 4 entries');
  const fatSectors = Math.ceil((dataSectors + 2) / 127);
  const firstData = fatSectors;
  const dirSector = firstData + dataSectors;
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(fatSectors, 0x2c);
  header.writeUInt32LE(dirSector, 0x30);
  header.writeUInt32LE(0x1000, 0x38);
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  header.fill(0xff, 0x4c);
  for (let f = 0; f < fatSectors; f++) header.writeUInt32LE(f, 0x4c + 4 * f);

  const fat = Buffer.alloc(fatSectors * 512, 0xff);
  for (let f = 0; f < fatSectors; f++) fat.writeUInt32LE(0xfffffffd, f * 4);
  for (let s = firstData; s < dirSector; s++) fat.writeUInt32LE(s + 1 < dirSector ? s + 1 : 0xfffffffe, s * 4);
  fat.writeUInt32LE(0xfffffffe, dirSector * 4);

  const data = Buffer.alloc(dataSectors * 512, 0x20);
  const dir = Buffer.alloc(512);
  const entry = (i: number, name: string, type: number, opts: { child?: number; right?: number; start?: number; size?: number; clsid?: Buffer }) => {
    const e = dir.subarray(i * 128, (i + 1) * 128);
    const encoded = Buffer.from(`${name}\u0000`, 'utf16le');
    encoded.copy(e, 0);
    e.writeUInt16LE(encoded.length, 64);
    e[66] = type;
    e[67] = 1; // black
    e.writeUInt32LE(0xffffffff, 68);
    e.writeUInt32LE(opts.right ?? 0xffffffff, 72);
    e.writeUInt32LE(opts.child ?? 0xffffffff, 76);
    opts.clsid?.copy(e, 80);
    e.writeUInt32LE(opts.start ?? 0xfffffffe, 116);
    e.writeUInt32LE(opts.size ?? 0, 120);
  };
  entry(0, 'Root Entry', 5, { child: streams.length ? 1 : undefined, clsid: rootClsid });
  streams.forEach((name, i) =>
    entry(i + 1, name, 2, {
      right: i + 2 <= streams.length ? i + 2 : undefined,
      start: i === 0 ? firstData : undefined,
      size: i === 0 ? data.length : 0,
    }),
  );
  return Buffer.concat([header, fat, data, dir]);
}

/** {000C1084-0000-0000-C000-000000000046}, the root CLSID of a Windows Installer database. */
const MSI_CLSID = Buffer.from([0x84, 0x10, 0x0c, 0x00, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46]);

/** `size` bytes of zeros, raw-deflated without ever holding them (≈ 1 KiB per MiB). */
async function deflatedZeros(size: number): Promise<{ bytes: Buffer; size: number; crc: number }> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => deflate.once('end', resolve));
  const block = Buffer.alloc(1 << 20);
  let crc = 0;
  for (let done = 0; done < size; done += block.length) {
    const piece = block.subarray(0, Math.min(block.length, size - done));
    crc = zlib.crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return { bytes: Buffer.concat(out), size, crc };
}

// ----------------------------------------------------------------------------------------------- test server

interface Answer {
  status: number;
  body: { error?: string; detected?: string } & Partial<StoredFile>;
}

interface TestServer {
  url: string;
  uploadsDir: string;
  close(): Promise<void>;
}

let scratch: string;

async function startServer(maxFileBytes: number): Promise<TestServer> {
  const uploadsDir = await mkdtemp(path.join(scratch, 'uploads-'));
  const upload = createDossierUpload({ uploadsDir, maxFileBytes });
  const app = express();
  app.post('/up', upload.single('file'), (req, res) => {
    res.status(201).json(getStoredFile(req.file));
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (err instanceof UnsupportedFileTypeError) {
      res.status(415).json({ error: err.code, detected: err.detected });
    } else if (err instanceof multer.MulterError) {
      res.status(err.code === 'LIMIT_FILE_SIZE' ? 413 : 400).json({ error: err.code });
    } else {
      res.status(500).json({ error: String(err) });
    }
  };
  app.use(onError);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/up`,
    uploadsDir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function post(url: string, name: string, bytes: Uint8Array, type = 'application/octet-stream'): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(url, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Posts a hand-written multipart body, for file names browsers' FormData cannot produce. */
async function postRaw(url: string, disposition: Buffer, bytes: Uint8Array): Promise<Answer> {
  const boundary = '----dossier-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; `),
    disposition,
    Buffer.from('\r\nContent-Type: application/pdf\r\n\r\n'),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Every regular file under `dir`, relative; empty directories do not count. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function expectStored(server: TestServer, answer: Answer, bytes: Buffer, kind: DossierFileKind): Promise<void> {
  expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
  const hash = sha256(bytes);
  expect(answer.body).to.include({
    kind,
    mime: DOSSIER_MIME_TYPES[kind],
    sha256: hash,
    size: bytes.length,
    storageKey: `${hash.slice(0, 2)}/${hash}`,
  });
  const file = storedFilePath(server.uploadsDir, answer.body.storageKey ?? '');
  expect(file).to.equal(path.join(server.uploadsDir, hash.slice(0, 2), hash));
  expect(sha256(await readFile(file))).to.equal(hash);
  expect(await filesUnder(path.join(server.uploadsDir, '.tmp'))).to.deep.equal([]);
}

async function waitFor(condition: () => Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ------------------------------------------------------------------------------------------------------ tests

describe('dossier file storage', () => {
  let server: TestServer;

  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'dossier-storage-'));
  });

  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  beforeEach(async () => {
    server = await startServer(5 * 1024 * 1024);
  });

  afterEach(async () => {
    await server.close();
  });

  describe('accepts each dossier kind, decided by the bytes', () => {
    const samples: Array<[DossierFileKind, string, () => Buffer]> = [
      ['pdf', '项目建议书.pdf', () => minimalPdf()],
      ['png', '现场照片.png', minimalPng],
      ['jpg', '现场照片.jpg', minimalJpeg],
      ['docx', '可行性研究报告.docx', minimalDocx],
      ['xlsx', '资金申请表.xlsx', minimalXlsx],
      ['ofd', '批复文件.ofd', minimalOfd],
      ['zip', '附件.zip', () => makeZip([{ name: 'readme.txt', data: Buffer.from('附件说明') }])],
      ['doc', '申请报告.doc', () => makeCfb({ streams: ['WordDocument', '1Table'] })],
      ['xls', '明细表.xls', () => makeCfb({ streams: ['Workbook'] })],
    ];
    for (const [kind, name, build] of samples) {
      it(`${kind}: ${name}`, async () => {
        const bytes = build();
        const answer = await post(server.url, name, bytes, 'application/x-anything');
        await expectStored(server, answer, bytes, kind);
        expect(answer.body.originalName).to.equal(name);
      });
    }

    it('ignores the name and the claimed type: a PNG sent as "x.pdf" / application/pdf is a png', async () => {
      const bytes = minimalPng();
      await expectStored(server, await post(server.url, 'x.pdf', bytes, 'application/pdf'), bytes, 'png');
    });

    it('an OFD written Java-style (data descriptors, OFD.xml after a 100 KB entry) is found in the central directory', async () => {
      const bytes = makeZip([
        { name: 'Doc_0/Res/image_01.png', data: noise(100 * 1024), store: true, streamed: true },
        { name: 'Doc_0/Document.xml', data: xml('<ofd:Document/>'), streamed: true },
        { name: 'OFD.xml', data: ofdXml, streamed: true },
      ]);
      await expectStored(server, await post(server.url, '批复.ofd', bytes), bytes, 'ofd');
    });

    it('an OFD whose OFD.xml follows a data-descriptor entry within the first 64 KB is found from the local headers', async () => {
      const bytes = makeZip([
        { name: 'Doc_0/Document.xml', data: xml('<ofd:Document/>'), streamed: true },
        { name: 'OFD.xml', data: ofdXml, streamed: true },
      ]);
      // Cut the central directory off: the local headers alone must tell.
      const verdict = await sniffHead(bytes.subarray(0, bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))), 'ofd');
      expect(verdict).to.deep.equal({ status: 'accept', kind: 'ofd' });
      await expectStored(server, await post(server.url, '批复.ofd', bytes), bytes, 'ofd');
    });

    it('a .doc whose directory lies beyond the first 64 KB is still a doc, whatever its name', async () => {
      const bytes = makeCfb({ streams: ['1Table', 'WordDocument'], dataSectors: 200 });
      expect(bytes.length).to.be.greaterThan(100 * 1024);
      await expectStored(server, await post(server.url, 'scan.bin', bytes), bytes, 'doc');
    });

    it('a compound file whose directory names nothing known falls back on the extension to choose doc or xls', async () => {
      const xls = makeCfb({ streams: ['Stream1'] });
      await expectStored(server, await post(server.url, '旧版报表.xls', xls), xls, 'xls');
      const doc = makeCfb({ streams: ['Stream2'], dataSectors: 200 });
      await expectStored(server, await post(server.url, '旧版报告.DOC', doc), doc, 'doc');
    });
  });

  describe('refuses everything else, leaving nothing on disk', () => {
    const elf = (size: number): Buffer => {
      const b = Buffer.alloc(size, 0x90);
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(b);
      return b;
    };
    const refused: Array<[string, string, () => Buffer]> = [
      ['an ELF executable renamed .pdf', '项目建议书.pdf', () => elf(4096)],
      ['a 3 MB ELF executable renamed .pdf (refused after 8 bytes, rest drained)', 'big.pdf', () => elf(3 * 1024 * 1024)],
      ['a Windows PE executable renamed .doc', 'a.doc', () => Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(2000)])],
      ['plain text', '说明.pdf', () => Buffer.from('这是一个文本文件，不是 PDF。\n'.repeat(50))],
      ['SVG', 'logo.png', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
      ['HTML', 'page.pdf', () => Buffer.from('<!DOCTYPE html><html><body>hi</body></html>')],
      ['GIF', 'photo.jpg', () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
      ['an empty file', 'empty.pdf', () => Buffer.alloc(0)],
      ['a compound file naming nothing known, called .pdf', 'x.pdf', () => makeCfb({ streams: ['Stream1'] })],
      ['a PowerPoint compound file called .doc', 'x.doc', () => makeCfb({ streams: ['PowerPoint Document'] })],
      ['an MSI installer called .doc', 'setup.doc', () => makeCfb({ streams: ['Stream1'], rootClsid: MSI_CLSID })],
      ['a compound file whose directory lies past its end, called .doc', 'broken.doc', () => makeCfb({ streams: ['WordDocument'], dataSectors: 200 }).subarray(0, 90 * 1024)],
      ['an MSI installer called .doc, directory beyond 64 KB', 'setup.doc', () => makeCfb({ streams: ['Stream1'], rootClsid: MSI_CLSID, dataSectors: 200 })],
    ];
    for (const [what, name, build] of refused) {
      it(what, async () => {
        const answer = await post(server.url, name, build(), 'application/pdf');
        expect(answer.status, JSON.stringify(answer.body)).to.equal(415);
        expect(answer.body.error).to.equal('UNSUPPORTED_FILE_TYPE');
        expect(await filesUnder(server.uploadsDir)).to.deep.equal([]);
        // The server is fine afterwards.
        const pdf = minimalPdf(what);
        await expectStored(server, await post(server.url, 'ok.pdf', pdf), pdf, 'pdf');
      });
    }

    it('says what the bytes were', async () => {
      expect((await post(server.url, 'a.pdf', elf(100))).body.detected).to.equal('elf');
      expect((await post(server.url, 'a.pdf', Buffer.from('hello'))).body.detected).to.equal('text');
      expect((await post(server.url, 'a.doc', makeCfb({ streams: [], rootClsid: MSI_CLSID }))).body.detected).to.equal('msi');
    });
  });

  describe('size limit', () => {
    let small: TestServer;
    const limit = 2000;

    beforeEach(async () => {
      small = await startServer(limit);
    });

    afterEach(async () => {
      await small.close();
    });

    it('accepts a file of exactly maxFileBytes', async () => {
      const pdf = minimalPdf();
      const bytes = Buffer.concat([pdf, Buffer.alloc(limit - pdf.length, 0x20)]);
      await expectStored(small, await post(small.url, 'exact.pdf', bytes), bytes, 'pdf');
    });

    it('refuses one byte more with LIMIT_FILE_SIZE and leaves nothing but empty directories', async () => {
      const pdf = minimalPdf();
      const bytes = Buffer.concat([pdf, Buffer.alloc(limit + 1 - pdf.length, 0x20)]);
      const answer = await post(small.url, 'over.pdf', bytes);
      expect(answer.status).to.equal(413);
      expect(answer.body.error).to.equal('LIMIT_FILE_SIZE');
      expect(await filesUnder(small.uploadsDir)).to.deep.equal([]);
    });

    it('refuses a far bigger file the same way', async () => {
      const bytes = Buffer.concat([minimalPdf(), Buffer.alloc(4 * 1024 * 1024, 0x20)]);
      const answer = await post(small.url, 'huge.pdf', bytes);
      expect(answer.status).to.equal(413);
      expect(await filesUnder(small.uploadsDir)).to.deep.equal([]);
    });
  });

  describe('file names', () => {
    it('a Chinese name sent as raw UTF-8 (what browsers and fetch do) round-trips', async () => {
      const bytes = minimalPdf();
      const answer = await post(server.url, '项目建议书（2025）.pdf', bytes);
      await expectStored(server, answer, bytes, 'pdf');
      expect(answer.body.originalName).to.equal('项目建议书（2025）.pdf');
    });

    it('a name sent as RFC 5987 filename*=UTF-8\'\'… round-trips too', async () => {
      const name = '项目建议书（2025）.pdf';
      const answer = await postRaw(server.url, Buffer.from(`filename*=UTF-8''${encodeURIComponent(name)}`), minimalPdf());
      expect(answer.status).to.equal(201);
      expect(answer.body.originalName).to.equal(name);
    });

    it('a name sent in GBK (old Windows clients) is decoded', async () => {
      // 项目.pdf in GBK
      const gbk = Buffer.concat([Buffer.from('filename="'), Buffer.from([0xcf, 0xee, 0xc4, 0xbf]), Buffer.from('.pdf"')]);
      const answer = await postRaw(server.url, gbk, minimalPdf());
      expect(answer.status).to.equal(201);
      expect(answer.body.originalName).to.equal('项目.pdf');
    });

    it('a path in the name keeps only the base name and cannot place the file anywhere', async () => {
      const bytes = minimalPdf('traversal');
      const answer = await post(server.url, '../../etc/passwd', bytes);
      await expectStored(server, answer, bytes, 'pdf');
      expect(answer.body.originalName).to.equal('passwd');
      const raw = await postRaw(server.url, Buffer.from('filename="..\\..\\windows\\win.ini"'), minimalPdf('backslash'));
      expect(raw.body.originalName).to.equal('win.ini');
      expect((await filesUnder(server.uploadsDir)).every((f) => /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f))).to.equal(true);
    });

    it('control characters, NUL and the RTL override are stripped', async () => {
      // Raw bytes: the RTL override (U+202E, which would show "报告‮fdp.exe" as "报告exe.pdf") and a zero-width space.
      const rtl = Buffer.concat([Buffer.from('filename="'), Buffer.from('报告\u202Efdp.exe\u200B.pdf', 'utf8'), Buffer.from('"')]);
      const a = await postRaw(server.url, rtl, minimalPdf('rtl'));
      expect(a.status, JSON.stringify(a.body)).to.equal(201);
      expect(a.body.originalName).to.equal('报告fdp.exe.pdf');
      // busboy refuses raw control bytes in a part header, but percent-escapes in filename* decode to them.
      const nul = await postRaw(server.url, Buffer.from("filename*=UTF-8''%E6%8A%A5%E5%91%8A%00%07%1B%7F%C2%85.pdf"), minimalPdf('nul'));
      expect(nul.status, JSON.stringify(nul.body)).to.equal(201);
      expect(nul.body.originalName).to.equal('报告.pdf');
      // Newlines and quotes travel %0A / %22-escaped (WHATWG) and multer unescapes them.
      const nl = await post(server.url, '第一行\r\n第二行"引号".pdf', minimalPdf('newline'));
      expect(nl.status, JSON.stringify(nl.body)).to.equal(201);
      expect(nl.body.originalName).to.equal('第一行第二行"引号".pdf');
    });

    it('an over-long name is cut to 200 characters, keeping the extension', async () => {
      const answer = await post(server.url, `${'很长的文件名'.repeat(60)}.pdf`, minimalPdf('long'));
      expect(answer.status).to.equal(201);
      const name = answer.body.originalName ?? '';
      expect(Array.from(name)).to.have.length(200);
      expect(name.endsWith('.pdf')).to.equal(true);
    });

    it('sanitizeOriginalName', () => {
      expect(sanitizeOriginalName('C:\\Users\\张三\\桌面\\申报书.docx')).to.equal('申报书.docx');
      expect(sanitizeOriginalName('..')).to.equal('');
      expect(sanitizeOriginalName(' \u202E \u0000 ')).to.equal('');
      expect(sanitizeOriginalName('a\u2028b\u2066c\uFEFF.pdf')).to.equal('abc.pdf');
      expect(sanitizeOriginalName('e\u0301.pdf')).to.equal('\u00e9.pdf');
    });
  });

  describe('content addressing', () => {
    it('the same content uploaded twice is stored once', async () => {
      const bytes = minimalDocx();
      const first = await post(server.url, '第一次.docx', bytes);
      const second = await post(server.url, '第二次.docx', bytes);
      await expectStored(server, first, bytes, 'docx');
      await expectStored(server, second, bytes, 'docx');
      expect(second.body.storageKey).to.equal(first.body.storageKey);
      expect(second.body.originalName).to.equal('第二次.docx');
      expect(await filesUnder(server.uploadsDir)).to.have.length(1);
    });

    it('concurrent uploads of the same content all succeed and leave one file', async () => {
      const bytes = Buffer.concat([minimalPdf(), noise(300 * 1024)]);
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => post(server.url, `${i}.pdf`, bytes)));
      for (const a of answers) await expectStored(server, a, bytes, 'pdf');
      expect(await filesUnder(server.uploadsDir)).to.have.length(1);
    });

    it('a form failing after the file was stored removes the file it created (multer calls _removeFile)', async () => {
      const form = new FormData();
      form.append('file', new Blob([minimalPdf('first')]), 'a.pdf');
      form.append('file', new Blob([minimalPdf('second')]), 'b.pdf');
      const res = await fetch(server.url, { method: 'POST', body: form });
      expect(res.status).to.equal(400);
      expect(await res.json()).to.deep.equal({ error: 'LIMIT_FILE_COUNT' });
      expect(await filesUnder(server.uploadsDir)).to.deep.equal([]);
    });

    it('…but never removes a file that was already stored before (same content)', async () => {
      const bytes = minimalPdf('precious');
      await expectStored(server, await post(server.url, 'a.pdf', bytes), bytes, 'pdf');
      const form = new FormData();
      form.append('file', new Blob([bytes]), 'again.pdf');
      form.append('file', new Blob([minimalPdf('second')]), 'b.pdf');
      expect((await fetch(server.url, { method: 'POST', body: form })).status).to.equal(400);
      const hash = sha256(bytes);
      expect(await filesUnder(server.uploadsDir)).to.deep.equal([`${hash.slice(0, 2)}/${hash}`]);
    });

    it('a client that disconnects mid-upload leaves nothing', async () => {
      const boundary = 'abort-boundary';
      const { port } = new URL(server.url);
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: '/up',
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 10 * 1024 * 1024 },
      });
      req.on('error', () => undefined);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n`);
      req.write(minimalPdf());
      req.write(Buffer.alloc(200 * 1024, 0x20));
      const tmp = path.join(server.uploadsDir, '.tmp');
      await waitFor(async () => (await readdir(tmp).catch(() => [])).length > 0);
      req.destroy();
      await waitFor(async () => (await filesUnder(server.uploadsDir)).length === 0);
    });
  });

  describe('ZIP bombs are sniffed without inflating', () => {
    let inflated = 0;
    const Original = globalThis.DecompressionStream;

    before(() => {
      // Count every byte any DecompressionStream (what file-type inflates with) puts out.
      globalThis.DecompressionStream = function (format: ConstructorParameters<typeof DecompressionStream>[0]) {
        const inner = new Original(format);
        const counter = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            inflated += chunk.length;
            controller.enqueue(chunk);
          },
        });
        return { writable: inner.writable, readable: inner.readable.pipeThrough(counter) };
      } as unknown as typeof DecompressionStream;
    });

    after(() => {
      globalThis.DecompressionStream = Original;
    });

    beforeEach(() => {
      inflated = 0;
    });

    async function uploadWatchingMemory(name: string, bytes: Buffer): Promise<{ answer: Answer; peakGrowth: number }> {
      const baseline = process.memoryUsage();
      const base = baseline.rss;
      let peak = base;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 2);
      try {
        const answer = await post(server.url, name, bytes);
        peak = Math.max(peak, process.memoryUsage().rss);
        return { answer, peakGrowth: peak - base };
      } finally {
        clearInterval(timer);
      }
    }

    it('a DOCX whose word/document.xml inflates to 1 GiB', async () => {
      const bomb = await deflatedZeros(1024 * 1024 * 1024);
      const bytes = makeZip([
        {
          name: '[Content_Types].xml',
          data: contentTypes(
            '/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
          ),
        },
        { name: '_rels/.rels', data: rels('word/document.xml') },
        { name: 'word/document.xml', deflated: bomb },
      ]);
      expect(bytes.length).to.be.lessThan(2 * 1024 * 1024);
      const { answer, peakGrowth } = await uploadWatchingMemory('炸弹.docx', bytes);
      await expectStored(server, answer, bytes, 'docx');
      expect(inflated, 'bytes inflated').to.be.lessThan(64 * 1024);
      expect(peakGrowth, 'peak RSS growth').to.be.lessThan(150 * 1024 * 1024);
    });

    it('a DOCX whose [Content_Types].xml lies (declares 1 KB, inflates to 32 MiB) inside the sniffed bytes', async () => {
      const bomb = await deflatedZeros(32 * 1024 * 1024);
      expect(bomb.bytes.length).to.be.lessThan(60 * 1024);
      const bytes = makeZip([
        { name: '[Content_Types].xml', deflated: bomb, declaredSize: 1024 },
        { name: '_rels/.rels', data: rels('word/document.xml') },
        { name: 'word/document.xml', data: xml('<w:document/>') },
      ]);
      const { answer, peakGrowth } = await uploadWatchingMemory('炸弹2.docx', bytes);
      // file-type inflates [Content_Types].xml but stops at 1 MiB; the central directory then says docx.
      await expectStored(server, answer, bytes, 'docx');
      expect(inflated, 'bytes inflated').to.be.at.most(1024 * 1024 + 64 * 1024);
      expect(peakGrowth, 'peak RSS growth').to.be.lessThan(150 * 1024 * 1024);
    });
  });

  describe('storedFilePath', () => {
    const root = path.resolve('/srv/uploads');
    const key = `ab/ab${'0'.repeat(62)}`;

    it('resolves a storage key inside uploadsDir', () => {
      expect(storedFilePath(root, key)).to.equal(path.join(root, 'ab', `ab${'0'.repeat(62)}`));
    });

    for (const bad of [
      '../etc/passwd',
      `ab/../../etc/${'a'.repeat(64)}`,
      `/ab/ab${'0'.repeat(62)}`,
      `.tmp/${'0'.repeat(32)}`,
      `AB/AB${'0'.repeat(62)}`,
      `cd/ab${'0'.repeat(62)}`,
      `ab/ab${'0'.repeat(62)}/..`,
      `ab\\ab${'0'.repeat(62)}`,
      '',
    ]) {
      it(`throws for ${JSON.stringify(bad)}`, () => {
        expect(() => storedFilePath(root, bad)).to.throw();
      });
    }
  });

  describe('cleanTemporaryUploads', () => {
    it('removes leftover temporary files and counts them', async () => {
      const tmp = path.join(server.uploadsDir, '.tmp');
      await mkdir(tmp, { recursive: true });
      for (const n of ['a', 'b', 'c']) await writeFile(path.join(tmp, n), 'partial');
      expect(await cleanTemporaryUploads(server.uploadsDir)).to.equal(3);
      expect(await readdir(tmp)).to.deep.equal([]);
    });

    it('with olderThanMs, keeps recent ones', async () => {
      const tmp = path.join(server.uploadsDir, '.tmp');
      await mkdir(tmp, { recursive: true });
      await writeFile(path.join(tmp, 'old'), 'x');
      await writeFile(path.join(tmp, 'new'), 'x');
      const hourAgo = new Date(Date.now() - 3600_000);
      await utimes(path.join(tmp, 'old'), hourAgo, hourAgo);
      expect(await cleanTemporaryUploads(server.uploadsDir, { olderThanMs: 60_000 })).to.equal(1);
      expect(await readdir(tmp)).to.deep.equal(['new']);
    });

    it('returns 0 when there is no temporary directory, and never touches stored files', async () => {
      expect(await cleanTemporaryUploads(path.join(scratch, 'does-not-exist'))).to.equal(0);
      const bytes = minimalPdf('kept');
      await expectStored(server, await post(server.url, 'a.pdf', bytes), bytes, 'pdf');
      expect(await cleanTemporaryUploads(server.uploadsDir)).to.equal(0);
      expect(await filesUnder(server.uploadsDir)).to.have.length(1);
      expect((await stat(path.join(server.uploadsDir, '.tmp'))).isDirectory()).to.equal(true);
    });
  });
});
