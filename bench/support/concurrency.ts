import { performance } from 'node:perf_hooks';
import { summarise, type LatencySummary } from './stats';

export interface LoadOptions {
  /** Loops running at once. */
  workers: number;
  /** No operation starts after this; the ones in flight finish. */
  durationMs: number;
  /** No operation starts once this many have started. */
  maxOperations?: number;
}

export interface LoadResult {
  operations: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
}

/**
 * Runs `operation` in `workers` concurrent loops until the time or count bound is
 * reached. The first failure stops every loop and is rethrown: a rate that includes
 * failed operations would mean nothing.
 */
export async function runLoad(options: LoadOptions, operation: (worker: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const maxOperations = options.maxOperations ?? Number.POSITIVE_INFINITY;
  const start = performance.now();
  const deadline = start + options.durationMs;
  let started = 0;
  let failure: unknown;

  const loop = async (worker: number) => {
    while (failure === undefined && started < maxOperations && performance.now() < deadline) {
      started++;
      const before = performance.now();
      try {
        await operation(worker);
      } catch (error) {
        failure ??= error;
        return;
      }
      latencies.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, worker) => loop(worker)));
  if (failure !== undefined) throw failure;

  const seconds = (performance.now() - start) / 1000;
  return { operations: latencies.length, seconds, perSecond: latencies.length / seconds, latency: summarise(latencies) };
}
