/**
 * The application document (issue 4, "Benchmark"): median milliseconds and documents per second for a
 * typical five-page application and for a bundle with ten two-page appendices, beside plain pdf-lib
 * writing the same text, one line after another without tables, in the same run. The ratio is what the
 * layout (wrapping, tables, cover, outline, page numbers) costs on top of writing the text at all.
 *
 * Both are rendered on this thread, as a rendering thread of the service does; a last row renders
 * through the service's worker pool. `npm run bench -- pdf`, or on its own: `npx tsx bench/pdf.ts`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, type PDFFont } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { applicationDocument } from '../src/documents-pdf/application-content';
import type { Block, CellInput, DocumentSpec } from '../src/documents-pdf/layout/document';
import { FontSet } from '../src/documents-pdf/layout/fonts';
import { renderDocument } from '../src/documents-pdf/layout/render';
import { renderInPool } from '../src/documents-pdf/pool';
import { summarise } from './support/stats';
import { fixed, formatReport, type Benchmark, type BenchReport } from './support/report';
import { sampleFiles, sampleProject, storeSampleFiles } from './pdf/sample';

const ITERATIONS = Number(process.env.BENCH_PDF_ITERATIONS ?? 30);
const WARM_UP = 5;
const GOAL_APPLICATION_MS = 150;
const GOAL_BUNDLE_MS = 600;
const POOL_CONCURRENCY = 4;

const verification = { code: 'K7M2Q-9XDHR', url: 'http://127.0.0.1:3000/api/public/verify/K7M2Q9XDHR' };

interface Timing {
  medianMs: number;
  /** CPU time of this process per document: what the document costs, whatever else the machine runs. */
  cpuMs: number;
  perSecond: number;
  bytes: number;
  pages: number;
}

async function time(render: () => Promise<Uint8Array>, iterations = ITERATIONS): Promise<Timing> {
  let bytes: Uint8Array = new Uint8Array();
  for (let i = 0; i < WARM_UP; i++) bytes = await render();
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const before = performance.now();
    bytes = await render();
    samples.push(performance.now() - before);
  }
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const pages = (await PDFDocument.load(bytes)).getPageCount();
  return { medianMs: summarise(samples).p50, cpuMs: (user + system) / 1000 / iterations, perSecond: iterations / seconds, bytes: bytes.length, pages };
}

const cellText = (cell: CellInput) => (typeof cell === 'string' ? cell : cell.text);

/** Every piece of text the document prints, in reading order. */
function textsOf(spec: DocumentSpec): string[] {
  const ofBlock = (block: Block): string[] => {
    switch (block.type) {
      case 'heading':
      case 'paragraph':
        return [block.text];
      case 'table':
        return [...(block.header ?? []), ...block.rows.flat()].map(cellText);
      case 'signatures':
        return block.boxes.flatMap((b) => [b.title, ...b.signLines]);
      case 'keepTogether':
        return block.blocks.flatMap(ofBlock);
      case 'title':
        return [block.text, ...(block.subtitle ?? [])];
      case 'pageBreak':
        return [];
    }
  };
  const cover = spec.cover ? [spec.cover.title, ...spec.cover.fields.flatMap((f) => [f.label, f.value]), spec.cover.dateLine] : [];
  return [...cover, ...spec.body.flatMap(ofBlock)].flatMap((t) => t.split('\n'));
}

/**
 * What pdf-lib does unaided with the same text and the same embedded font: one line per piece of text,
 * a new page every 45 lines; for a bundle, the appendices' pages copied in after it.
 */
async function plainPdfLib(spec: DocumentSpec, fonts: FontSet, appendixFiles: string[]): Promise<Uint8Array> {
  const texts = textsOf(spec);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font: PDFFont = await doc.embedFont(fonts.subset('regular', [...new Set(texts.join(''))].join('')), { subset: false });
  let page = doc.addPage([595.28, 841.89]);
  texts.forEach((text, i) => {
    if (i > 0 && i % 45 === 0) page = doc.addPage([595.28, 841.89]);
    page.drawText(text, { x: 71, y: 770 - (i % 45) * 15, size: 10.5, font });
  });
  for (const file of appendixFiles) {
    const source = await PDFDocument.load(await readFile(file));
    for (const copied of await doc.copyPages(source, source.getPageIndices())) doc.addPage(copied);
  }
  return doc.save();
}

async function poolThroughput(spec: DocumentSpec, count: number): Promise<number> {
  await renderInPool(spec);
  const started = performance.now();
  let next = 0;
  const loop = async () => {
    while (next++ < count) await renderInPool(spec);
  };
  await Promise.all(Array.from({ length: POOL_CONCURRENCY }, loop));
  return count / ((performance.now() - started) / 1000);
}

export const benchmark: Benchmark = {
  title: 'application PDF (申报书): rendering time per document, ours against plain pdf-lib with the same text',
  async run(progress) {
    const fonts = new FontSet();
    const files = await sampleFiles();
    const { project, history, documents, orgName } = await sampleProject(files);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fundflow-bench-pdf-'));
    try {
      const filePath = await storeSampleFiles(files, dir);
      const application = applicationDocument({ project, history, documents, orgName, verification });
      const bundle = applicationDocument({ project, history, documents, orgName, verification, filePath });
      const appendixFiles = documents.filter((d) => d.review).map(filePath);

      progress(`application: ${ITERATIONS} renders after ${WARM_UP} to warm up`);
      const ours = await time(() => renderDocument(application, fonts));
      const plain = await time(() => plainPdfLib(application, fonts, []));
      progress(`bundle with ${appendixFiles.length} two-page appendices`);
      const oursBundle = await time(() => renderDocument(bundle, fonts));
      const plainBundle = await time(() => plainPdfLib(bundle, fonts, appendixFiles));
      progress(`worker pool, ${POOL_CONCURRENCY} at a time`);
      const pooled = await poolThroughput(application, ITERATIONS);

      const row = (name: string, t: Timing, base?: Timing) => [
        name,
        t.pages,
        `${fixed(t.bytes / 1024, 0)} KiB`,
        fixed(t.medianMs),
        fixed(t.cpuMs),
        fixed(t.perSecond),
        base ? `${fixed(t.medianMs / base.medianMs, 2)}×` : '',
      ];
      const report: BenchReport = {
        columns: ['document', 'pages', 'size', 'median ms', 'cpu ms', 'docs/s', 'ours / plain'],
        rows: [
          row('application (ours)', ours, plain),
          row('same text, plain pdf-lib', plain),
          row('bundle (ours)', oursBundle, plainBundle),
          row('same text + appendices, plain pdf-lib', plainBundle),
          ['application via worker pool', ours.pages, '', '', '', fixed(pooled), ''],
        ],
        goals: [
          { name: 'application median', target: `< ${GOAL_APPLICATION_MS} ms`, actual: `${fixed(ours.medianMs)} ms`, met: ours.medianMs < GOAL_APPLICATION_MS },
          { name: 'bundle median', target: `< ${GOAL_BUNDLE_MS} ms`, actual: `${fixed(oursBundle.medianMs)} ms`, met: oursBundle.medianMs < GOAL_BUNDLE_MS },
          { name: 'application size', target: '< 1 MiB', actual: `${fixed(ours.bytes / 1024, 0)} KiB`, met: ours.bytes < 1024 * 1024 },
        ],
        notes: [
          `${os.availableParallelism()} cores; the pool uses ${Math.max(1, os.availableParallelism() - 1)} rendering thread(s) at nice +19`,
          'plain pdf-lib embeds the same HarfBuzz subset, so the ratio is layout, tables and drawing, not font handling',
          'cpu ms is this process’s CPU time per document; on a busy machine the median wall time runs above it',
        ],
      };
      return report;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await benchmark.run((line) => console.log(`[pdf] ${line}`));
  console.log(`\n${formatReport('pdf', benchmark.title, report)}`);
  process.exit(0);
}
