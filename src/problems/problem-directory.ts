import type { ProblemEvent } from '../../workflows/problems';
import { chinaDay } from '../../workflows/working-days';
import type { ProblemDoc } from './problem.model';

/**
 * Every problem, held in memory without its events but with the first and
 * the latest: lists, filters, the summary sentence and the ledger are
 * answered from here, as project lists are from the catalogue, because the
 * embedded database reads a whole collection for any filter but `{_id}`.
 * Read once at start, replaced after every write (the database's only
 * service process makes every write, src/db/service-lease.ts).
 */
export interface ProblemRow extends Omit<ProblemDoc, 'events' | '_id' | 'projectId' | 'orgId' | 'attachmentIds'> {
  id: string;
  projectId: string;
  orgId: string;
  attachmentIds: string[];
  /** The day it was raised in China, which lists filter by. */
  raisedOn: string;
  raisedBy: ProblemEvent['by'];
  lastEvent: ProblemEvent;
}

export const problemRowOf = ({ _id, projectId, orgId, attachmentIds, events, ...rest }: ProblemDoc): ProblemRow => ({
  ...rest,
  id: _id.toString(),
  projectId: projectId.toString(),
  orgId: orgId.toString(),
  attachmentIds: attachmentIds.map(String),
  raisedOn: chinaDay(rest.raisedAt),
  raisedBy: events[0]!.by,
  lastEvent: events.at(-1)!,
});

/** Raised earlier first; ids (ObjectIds made at raise) order problems raised in the same millisecond. */
const raisedBefore = (a: ProblemRow, b: ProblemRow) => a.raisedAt.getTime() - b.raisedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

class ProblemDirectory {
  private readonly byId = new Map<string, ProblemRow>();
  /** Every row in the order raised. */
  private readonly raised: ProblemRow[] = [];
  private readonly byProject = new Map<string, Set<string>>();

  get(id: string): ProblemRow | undefined {
    return this.byId.get(id);
  }

  put(problem: ProblemDoc): ProblemRow {
    const row = problemRowOf(problem);
    this.add(row);
    return row;
  }

  private add(row: ProblemRow): void {
    const old = this.byId.get(row.id);
    // A problem is raised once: its place in the order never changes, only the row there.
    if (old) this.raised[this.positionOf(old)] = row;
    else this.raised.splice(this.positionOf(row), 0, row);
    this.file(row);
  }

  private file(row: ProblemRow): void {
    this.byId.set(row.id, row);
    let ofProject = this.byProject.get(row.projectId);
    if (!ofProject) this.byProject.set(row.projectId, (ofProject = new Set()));
    ofProject.add(row.id);
  }

  /** Where `row` is, or belongs, in `raised` (binary search; new problems belong at the end). */
  private positionOf(row: ProblemRow): number {
    let low = 0;
    let high = this.raised.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (raisedBefore(this.raised[mid]!, row) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Every problem, newest raised first. */
  *newestFirst(): Generator<ProblemRow> {
    for (let i = this.raised.length - 1; i >= 0; i--) yield this.raised[i]!;
  }

  /** The problems of these projects, newest raised first. */
  ofProjects(projectIds: Iterable<string>): ProblemRow[] {
    const rows = [...projectIds].flatMap((projectId) => [...(this.byProject.get(projectId) ?? [])].map((id) => this.byId.get(id)!));
    return rows.sort((a, b) => raisedBefore(b, a));
  }

  /** Replaces everything, e.g. at start-up. */
  reset(rows: ProblemRow[]): void {
    this.byId.clear();
    this.raised.length = 0;
    this.byProject.clear();
    for (const row of rows.sort(raisedBefore)) {
      this.raised.push(row);
      this.file(row);
    }
  }
}

export const problemDirectory = new ProblemDirectory();
