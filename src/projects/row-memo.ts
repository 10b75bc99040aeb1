import type { ProjectRow } from './catalogue';

/**
 * What a report works out from one catalogue row, kept until the row is
 * replaced (its project changed): reports over thousands of projects then cost
 * a loop over ready answers, not the same arithmetic on every request.
 */
export function memoByRow<T>(compute: (row: ProjectRow) => T): (row: ProjectRow) => T {
  const known = new WeakMap<ProjectRow, T>();
  return (row) => {
    if (!known.has(row)) known.set(row, compute(row));
    return known.get(row)!;
  };
}

/**
 * The same for what also depends on something besides the row (the day, a
 * month, a name): the answer is kept with the key it was worked out for, and
 * worked out again when the key differs.
 */
export function memoByRowAndKey<A extends unknown[], T>(compute: (row: ProjectRow, ...args: A) => T, keyOf: (row: ProjectRow, ...args: A) => string): (row: ProjectRow, ...args: A) => T {
  const known = new WeakMap<ProjectRow, { key: string; value: T }>();
  return (row, ...args) => {
    const key = keyOf(row, ...args);
    const last = known.get(row);
    if (last?.key === key) return last.value;
    const value = compute(row, ...args);
    known.set(row, { key, value });
    return value;
  };
}
