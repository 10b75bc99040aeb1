import type { ProjectState, WorkflowRecord } from '../../workflows/project-state';
import { emptyRecord } from '../../workflows/project-state';
import { emptyTrail, type Trail } from '../../workflows/trail';
import { emptySchedule, type ScheduleState } from '../../workflows/schedule';
import type { ProjectDoc } from './project.model';

/**
 * The catalogue: one small row per project, held in memory and kept current by
 * every commit (project.repository.ts), from which every list and report is
 * answered. It is derived from the projects collection alone and rebuilt at
 * each start, so it cannot drift for longer than the process lives; no list
 * or report ever reads a project's history.
 */
export interface ProjectRow
  extends Pick<ProjectState, 'channel' | 'stage' | 'machineVersion' | 'orgId' | 'name' | 'field' | 'totalInvestment' | 'requestedAmount' | 'funding' | 'startYear' | 'endYear' | 'financing' | 'dossier'> {
  id: string;
  location?: string;
  version: number;
  stageEnteredAt: Date;
  createdAt: Date;
  updatedAt: Date;
  /** The workflow record, with only the latest progress report. */
  record: WorkflowRecord;
  trail: Trail;
  schedule: ScheduleState;
}

/** The fields a row is made of; the rest of a project (its description, files' details) stays in the database. */
export const rowProjection = {
  description: 0,
  performanceTargets: 0,
  lastEntry: 0,
  documents: 0,
} as const;

export function recordOf(project: Partial<WorkflowRecord>): WorkflowRecord {
  return {
    ...emptyRecord(),
    applications: project.applications ?? [],
    approval: project.approval ?? undefined,
    issuances: project.issuances ?? [],
    disbursements: project.disbursements ?? [],
    progress: project.progress ?? [],
    completion: project.completion ?? undefined,
    evaluation: project.evaluation ?? undefined,
  };
}

export function rowOf(project: ProjectDoc): ProjectRow {
  const record = recordOf(project);
  return {
    id: project._id.toString(),
    orgId: project.orgId.toString(),
    channel: project.channel,
    name: project.name,
    field: project.field,
    location: project.location ?? undefined,
    stage: project.stage,
    version: project.version,
    machineVersion: project.machineVersion,
    totalInvestment: project.totalInvestment,
    requestedAmount: project.requestedAmount,
    funding: project.funding,
    financing: project.financing ?? undefined,
    startYear: project.startYear,
    endYear: project.endYear,
    stageEnteredAt: project.stageEnteredAt,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
    record: { ...record, progress: record.progress.slice(-1) },
    dossier: project.dossier ?? {},
    trail: project.trail ?? emptyTrail(),
    schedule: scheduleOf(project),
  };
}

/** A project's schedule with the day its works were completed, which the workflow record holds. */
export const scheduleOf = (project: Pick<ProjectDoc, 'schedule' | 'completion'>): ScheduleState => ({
  ...emptySchedule(),
  ...project.schedule,
  completedOn: project.completion?.date,
});

/** Newest change first, then by id: the order lists show unless asked otherwise. */
const before = (a: ProjectRow, b: ProjectRow) =>
  b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

class Catalogue {
  private readonly byId = new Map<string, ProjectRow>();
  /** Every row, sorted by `before`, kept sorted on each change. */
  private readonly ordered: ProjectRow[] = [];

  get size(): number {
    return this.byId.size;
  }

  get(id: string): ProjectRow | undefined {
    return this.byId.get(id);
  }

  /** Every row, newest change first. */
  rows(): readonly ProjectRow[] {
    return this.ordered;
  }

  put(project: ProjectDoc): ProjectRow {
    const row = rowOf(project);
    const old = this.byId.get(row.id);
    if (old) this.ordered.splice(this.positionOf(old), 1);
    this.ordered.splice(this.positionOf(row), 0, row);
    this.byId.set(row.id, row);
    return row;
  }

  /** Replaces every row at once, e.g. at start-up. */
  reset(rows: ProjectRow[]): void {
    this.byId.clear();
    this.ordered.length = 0;
    for (const row of rows) {
      this.byId.set(row.id, row);
      this.ordered.push(row);
    }
    this.ordered.sort(before);
  }

  /** Where `row` is, or belongs, in `ordered` (binary search). */
  private positionOf(row: ProjectRow): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(this.ordered[mid]!, row) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export const catalogue = new Catalogue();
