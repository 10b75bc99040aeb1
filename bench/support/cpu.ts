import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks; 100 per second on every common kernel config. */
const TICKS_PER_SECOND = 100;

/** Fields 3 onwards of /proc/<pid>/stat: the command name (field 2) may contain spaces and parentheses. */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds a process has used so far (fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Pids of this process's children whose command line mentions `text` (e.g. the database's data folder). */
export function childrenMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return Number(statFields(pid)[1]) === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** CPU seconds used by this process and by `others` between start and stop. */
export function cpuMeter(others: number[]): () => { self: number; others: number } {
  const selfBefore = process.cpuUsage();
  const othersBefore = others.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  return () => {
    const self = process.cpuUsage(selfBefore);
    return { self: (self.user + self.system) / 1e6, others: others.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - othersBefore };
  };
}
