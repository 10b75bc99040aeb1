import { readFileSync } from 'node:fs';

/** Resident set size of a live process in bytes (Linux, VmRSS of /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    throw new Error(`process ${pid} is gone`);
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  // A process that has exited but is not yet reaped has no VmRSS line.
  if (!match) throw new Error(`process ${pid} has exited`);
  return Number(match[1]) * 1024;
}

/** Samples a process's resident memory at a fixed interval until stopped. */
export function sampleResidentMemory(pid: number, everyMs = 20): { stop(): number[] } {
  const samples = [residentBytes(pid)];
  let failure: unknown;
  // Sync reads of a tiny /proc file keep the interval regular; this process does little else meanwhile.
  const timer = setInterval(() => {
    try {
      samples.push(residentBytes(pid));
    } catch (error) {
      failure ??= error;
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      if (failure) throw failure;
      samples.push(residentBytes(pid));
      return samples;
    },
  };
}
