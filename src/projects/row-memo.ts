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
