/**
 * Small real files of the kinds owners upload (PDF, PNG scan, DOCX, XLSX), made in memory for the demo data and
 * for tests. Each is a valid file of its kind that the upload sniffer accepts and an office program opens.
 */
import { crc32, deflateSync } from 'node:zlib';
// exceljs depends on jszip; it is the ZIP writer already installed.
import JSZip from 'jszip';

/** A one-page PDF showing `text` (Latin-1 only: the page uses a standard Type 1 font). */
export function minimalPdf(text = 'fundflow test'): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

const PAPER = [248, 248, 244];
const INK = [90, 90, 90];
const SEAL_RED = [210, 30, 30];

/**
 * A small scanned page (RGB PNG): grey text lines whose lengths follow `seed`, so that every scan is a different
 * file, and a red seal (公章) in the lower right corner.
 */
export function scannedPagePng(seed = 'scan', width = 120, height = 160): Buffer {
  const lineLengths = Array.from({ length: 12 }, (_, i) => 40 + (crc32(`${seed}:${i}`) % 60));
  const seal = { x: width - 32, y: height - 34, r: 18 };
  const colour = (x: number, y: number): readonly number[] => {
    const d = Math.hypot(x - seal.x, y - seal.y);
    if (d <= seal.r && (d >= seal.r - 2 || Math.abs(x - seal.x) + Math.abs(y - seal.y) < 6)) return SEAL_RED;
    const line = Math.floor((y - 12) / 10);
    const onText = y >= 12 && (y - 12) % 10 < 3 && line < lineLengths.length && x >= 10 && x < 10 + lineLengths[line]!;
    return onText ? INK : PAPER;
  };
  const stride = 1 + width * 3; // each row starts with filter byte 0 (none)
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(colour(x, y), y * stride + 1 + x * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot' }[c]};`);

/** A Word document (DOCX) with a title and one paragraph per line of `paragraphs`. */
export async function minimalDocx(title: string, paragraphs: string[]): Promise<Buffer> {
  const paragraph = (text: string, runProperties = '') =>
    `<w:p><w:r>${runProperties}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
  );
  zip.file(
    'word/document.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
      paragraph(title, '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>') +
      paragraphs.map((p) => paragraph(p)).join('') +
      '</w:body></w:document>',
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** An Excel workbook (XLSX) with one sheet: a header row, then `rows`. */
export async function minimalXlsx(sheetName: string, header: string[], rows: (string | number)[][]): Promise<Buffer> {
  // Loaded on first use: exceljs takes half a second to import, and most callers never write a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(header).font = { bold: true };
  sheet.addRows(rows);
  sheet.columns.forEach((column) => (column.width = 18));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
