/** What every benchmark in bench/ exports as `benchmark`, and how run.ts prints it. */
export interface Goal {
  name: string;
  target: string;
  actual: string;
  met: boolean;
}

export interface BenchReport {
  columns: string[];
  rows: (string | number)[][];
  goals: Goal[];
  notes?: string[];
}

export interface Benchmark {
  /** Short description printed above the table. */
  title: string;
  /** `progress` prints set-up and phase lines while it runs. */
  run(progress: (line: string) => void): Promise<BenchReport>;
}

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
export const mebibytes = (bytes: number) => `${fixed(bytes / 1024 / 1024)} MiB`;

/** A plain-text table with right-aligned numbers and left-aligned text. */
export function formatTable(columns: string[], rows: (string | number)[][]): string {
  const cells = [columns, ...rows.map((row) => row.map(String))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || /^[\d.,–-]+( \S+)?$/.test(String(row[i] ?? ''))));
  const line = (row: string[]) =>
    row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

export function formatReport(name: string, title: string, report: BenchReport): string {
  const goals = report.goals.map((g) => [g.name, g.target, g.actual, g.met ? 'met' : 'MISSED']);
  return [
    `== ${name}: ${title}`,
    formatTable(report.columns, report.rows),
    ...(goals.length ? ['', formatTable(['goal', 'target', 'measured', 'result'], goals)] : []),
    ...(report.notes ?? []).map((note) => `note: ${note}`),
  ].join('\n');
}
