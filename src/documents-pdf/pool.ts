import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { DocumentSpec } from './layout/document';
import { messages } from '../../workflows/messages';
import { problemOf } from '../shared/problem';

/** Rendering waits beyond this many queued documents are refused (503) rather than piled up. */
const MAX_QUEUE = 64;
/** An idle thread keeps its parsed fonts this long before it goes. */
const IDLE_MS = 5 * 60 * 1000;

let pool: Piscina<DocumentSpec, Uint8Array> | undefined;

/**
 * The rendering threads, started on first use. One core is left to the event loop and the database, and the
 * threads run at the lowest priority (nice +19, on Linux), so that the service keeps answering while documents render.
 */
function renderingPool(): Piscina<DocumentSpec, Uint8Array> {
  pool ??= new Piscina({
    filename: new URL('./worker.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, availableParallelism() - 1),
    idleTimeout: IDLE_MS,
    maxQueue: MAX_QUEUE,
    niceIncrement: 19,
  });
  return pool;
}

export async function renderInPool(spec: DocumentSpec): Promise<Buffer> {
  const current = renderingPool();
  if (current.queueSize >= MAX_QUEUE) throw problemOf(503, messages.pdfBusy);
  const bytes = await current.run(spec);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
