import type { ProjectState, WorkflowRecord } from '../../workflows/project-state';
import { emptyRecord } from '../../workflows/project-state';
import { emptyTrail, type Trail } from '../../workflows/trail';
import { emptySchedule, type ScheduleState } from '../../workflows/schedule';
import type { Responsibility } from '../../workflows/responsibility';
import type { RoundMembership } from '../../workflows/rounds';
import type { ProjectDoc } from './project.model';

/**
 * The catalogue: one small row per project, held in memory and kept current by
 * every commit (project.repository.ts), from which every list and report is
 * answered. It is derived from the projects collection alone and rebuilt at
 * each start, so it cannot drift for longer than the process lives; no list
 * or report ever reads a project's history.
 */
export interface ProjectRow
  extends Pick<ProjectState, 'channel' | 'stage' | 'machineVersion' | 'orgId' | 'name' | 'projectCode' | 'field' | 'totalInvestment' | 'requestedAmount' | 'funding' | 'startYear' | 'endYear' | 'financing' | 'dossier'> {
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
  responsibility?: Responsibility;
  /** Planned year of application (三年滚动投资计划). */
  applicationYear?: number;
  /** The round whose plan draft it is in (workflows/rounds.ts). */
  round?: RoundMembership;
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
    releases: project.releases ?? [],
    quotas: project.quotas ?? [],
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
    projectCode: project.projectCode ?? undefined,
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
    responsibility: project.responsibility,
    applicationYear: project.applicationYear ?? undefined,
    round: project.round ?? undefined,
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

/** The people a row is filed under in the catalogue's index: its responsible leader and member of staff. */
const responsibleKeys = (row: ProjectRow) => {
  const { leaderId, staffId } = row.responsibility ?? {};
  return [...(leaderId ? [`leader:${leaderId}`] : []), ...(staffId ? [`staff:${staffId}`] : [])];
};

class Catalogue {
  private readonly byId = new Map<string, ProjectRow>();
  /** Every row, sorted by `before`, kept sorted on each change. */
  private readonly ordered: ProjectRow[] = [];
  /**
   * The rows of each responsible leader and member of staff, so that a
   * leader's own projects (我包联的项目) are found without a pass over every
   * project: a leader answers for dozens among tens of thousands.
   */
  private readonly byPerson = new Map<string, Set<ProjectRow>>();
  /** The row carrying each 项目代码 (unique: project-codes.ts), so an import matches thousands of rows by code without a pass each. */
  private readonly byCode = new Map<string, ProjectRow>();

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

  /** The project carrying this code, if any. */
  withCode(code: string): ProjectRow | undefined {
    return this.byCode.get(code);
  }

  /** The rows a leader or member of staff answers for, newest change first. */
  responsibleFor(role: 'leader' | 'staff', userId: string): ProjectRow[] {
    return [...(this.byPerson.get(`${role}:${userId}`) ?? [])].sort(before);
  }

  put(project: ProjectDoc): ProjectRow {
    const row = rowOf(project);
    const old = this.byId.get(row.id);
    if (old) {
      this.ordered.splice(this.positionOf(old), 1);
      this.unfile(old);
    }
    this.ordered.splice(this.positionOf(row), 0, row);
    this.byId.set(row.id, row);
    this.file(row);
    return row;
  }

  /** Replaces every row at once, e.g. at start-up. */
  reset(rows: ProjectRow[]): void {
    this.byId.clear();
    this.byPerson.clear();
    this.byCode.clear();
    this.ordered.length = 0;
    for (const row of rows) {
      this.byId.set(row.id, row);
      this.ordered.push(row);
      this.file(row);
    }
    this.ordered.sort(before);
  }

  private file(row: ProjectRow): void {
    if (row.projectCode) this.byCode.set(row.projectCode, row);
    for (const key of responsibleKeys(row)) {
      let rows = this.byPerson.get(key);
      if (!rows) this.byPerson.set(key, (rows = new Set()));
      rows.add(row);
    }
  }

  private unfile(row: ProjectRow): void {
    if (row.projectCode && this.byCode.get(row.projectCode) === row) this.byCode.delete(row.projectCode);
    for (const key of responsibleKeys(row)) {
      const rows = this.byPerson.get(key);
      rows?.delete(row);
      if (rows?.size === 0) this.byPerson.delete(key);
    }
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
