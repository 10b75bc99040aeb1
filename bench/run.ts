/**
 * `npm run bench [-- name …]`: runs every benchmark in bench/ (or the named ones) one
 * after the other and prints each one's table. Figures are side-by-side ratios from one
 * run; on a busy machine rerun before drawing conclusions. BENCH_SECONDS sets how long
 * the timed phases measure (default 10).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport, type Benchmark } from './support/report';

// Before any service module creates its logger: request logs would bury the tables.
process.env.LOG_LEVEL ??= 'warn';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

async function available(): Promise<string[]> {
  const files = await readdir(benchDir);
  return files.filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.slice(0, -3)).sort();
}

async function main(): Promise<number> {
  const known = await available();
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${known.join(', ')}`);
    return 2;
  }
  let failed = 0;
  for (const name of requested.length > 0 ? requested : known) {
    const { benchmark } = (await import(`./${name}.ts`)) as { benchmark: Benchmark };
    const started = Date.now();
    try {
      const report = await benchmark.run((line) => console.log(`[${name}] ${line}`));
      console.log(`\n${formatReport(name, benchmark.title, report)}\n(${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    } catch (error) {
      failed++;
      console.error(`\n== ${name}: failed\n`, error);
    }
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
// The services' database children and timers must not keep a finished run alive.
process.exit();
