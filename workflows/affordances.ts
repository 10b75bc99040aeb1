import { isLocked, may } from './access';
import { messages } from './messages';
import { hasDataSchema } from './event-data';
import { evaluateGuard, guardKind, limitsOf, type DataLimits, type Failure } from './guards';
import { machineFor, needsReason, transitionsFrom } from './machines';
import type { ProjectState } from './project-state';
import type { Actor } from './roles';
import type { WorkflowRules } from './rules';
import { droppedStages, eventLabel, type Stage } from './vocabulary';

/**
 * The other question the core answers: what may this user do with this
 * project now? The API sends the answer with every project and the web app
 * renders it, so a button is offered exactly when the server would take it.
 */
export interface EventAffordance {
  type: string;
  label: string;
  to: Stage;
  /** A reason must be given (退回、不予入库、出库、未获批复). */
  needsReason: boolean;
  /** The event carries data (event-data.ts names its schema by the event type). */
  takesData: boolean;
  /** Bounds the data must keep, as the guards will check them. */
  limits: DataLimits;
  /** What the project still lacks before the event can pass; empty when it can. */
  blockers: Failure[];
  /** Ends or sends back the project: offered as a warning, not as the way forward. */
  danger: boolean;
}

export interface Affordances {
  events: EventAffordance[];
  mayEdit: boolean;
  mayUpload: boolean;
  mayReview: boolean;
  /** Set the year's plans (staff). */
  mayPlan: boolean;
  /** Send monthly reports (the unit, or staff for it). */
  mayReport: boolean;
  /** Assign who answers for the project (staff). */
  mayAssign: boolean;
  /** Raise a problem that holds the project up. */
  mayRaiseProblem: boolean;
  thresholds: { coverage?: number; yiJianSanZhengBlocksSubmit: boolean };
  /** Locked while the higher level decides (access.ts, lockedStages): since the day it was forwarded, and why, for everyone to read. */
  locked?: { since?: string; message: string };
}

export function affordances(project: ProjectState, actor: Actor, rules: WorkflowRules): Affordances {
  const probe = { project, rules, event: { type: '', actor, at: '', day: '' } };
  const events = transitionsFrom(machineFor(project.machineVersion), project.stage).flatMap((t): EventAffordance[] => {
    const byRole = t.guards.filter((g) => guardKind(g) === 'role');
    if (byRole.some((g) => evaluateGuard(g, { ...probe, event: { ...probe.event, type: t.event } }))) return [];
    const blockers = t.guards
      .filter((g) => guardKind(g) === 'state')
      .map((g) => evaluateGuard(g, probe))
      .filter((f): f is Failure => f !== undefined);
    const limits = Object.assign({}, ...t.guards.filter((g) => guardKind(g) === 'data').map((g) => limitsOf(g, probe))) as DataLimits;
    const reasonNeeded = needsReason(t);
    return [
      {
        type: t.event,
        label: eventLabel(t.event, t.from),
        to: t.to,
        needsReason: reasonNeeded,
        takesData: hasDataSchema(t.event),
        limits,
        blockers,
        // Every event that needs a reason sends the project back or out of the pipeline.
        danger: reasonNeeded || droppedStages.includes(t.to),
      },
    ];
  });
  const scope = { orgId: project.orgId, stage: project.stage };
  return {
    events,
    mayEdit: may(actor, 'edit', scope),
    mayUpload: may(actor, 'upload', scope),
    mayReview: may(actor, 'review', scope),
    mayPlan: may(actor, 'plan', scope),
    mayReport: may(actor, 'report', scope),
    mayAssign: may(actor, 'assign', scope),
    mayRaiseProblem: may(actor, 'raise', scope),
    thresholds: {
      coverage: project.channel === 'special_bond' ? rules.coverageThreshold : undefined,
      yiJianSanZhengBlocksSubmit: rules.yiJianSanZheng.blocksSubmit,
    },
    locked: isLocked(project.stage) ? lockOf(project) : undefined,
  };
}

function lockOf(project: ProjectState): NonNullable<Affordances['locked']> {
  const since = project.record.applications.at(-1)?.date;
  return { since, message: messages.projectLockedBanner(since) };
}
