import type { Actor, Role } from './roles';
import { finalStages, stages, type Stage } from './vocabulary';

/**
 * Who may do what to a project, and in which stages (docs/domain.md, "Users"
 * and "What may still change"). Which workflow events a role may send is the
 * machines' business (their role guards); this is everything else.
 */
export type ProjectAction = 'read' | 'create' | 'edit' | 'act' | 'upload' | 'review' | 'plan' | 'report' | 'assign' | 'raise' | 'handle';

/** The organisation and stage of a project: all access depends on. */
export interface ProjectScope {
  orgId: string;
  stage: Stage;
}

const open = stages.filter((stage) => !finalStages.includes(stage));

/**
 * Stages in which nobody edits a project or its dossier (docs/domain.md,
 * "Locked while the higher level decides"): the application is with the higher
 * level, which decides on what was forwarded. What may still happen is the
 * machine's (recording the decision) and what is not the application itself:
 * reviewing a file that was waiting, plans, monthly reports, responsibility, problems.
 */
export const lockedStages: readonly Stage[] = ['submitted'];

/** Whether a project in this stage is locked while the higher level decides. */
export const isLocked = (stage: Stage): boolean => lockedStages.includes(stage);

/** The actions the lock stops. */
export const lockedActions: readonly ProjectAction[] = ['edit', 'upload'];

const unlocked = open.filter((stage) => !isLocked(stage));

/**
 * Per action, the roles that may take it and the stages in which each may.
 * Owners edit only while the project is with them; nothing changes once a
 * project reached a final stage.
 */
const allowed: Record<ProjectAction, Partial<Record<Role, readonly Stage[]>>> = {
  read: { owner: stages, staff: stages, leader: stages, admin: stages },
  create: { owner: stages, staff: stages },
  edit: { owner: ['draft', 'preliminary'], staff: unlocked },
  act: { owner: stages, staff: stages },
  // Owners add files while preparing the next submission.
  // Withdrawing a file uploaded by mistake needs this too (dossier.ts, mayWithdraw).
  upload: { owner: ['draft', 'reserve', 'preliminary'], staff: unlocked },
  review: { staff: open },
  // 年度计划 are set by the bureau; 月报 come from the unit, or from staff on its behalf.
  plan: { staff: open },
  report: { owner: open, staff: open },
  // Who answers for a project (包联领导, 责任单位…) is the bureau's to decide.
  assign: { staff: open },
  // Anyone who follows a project may say what holds it up; administrators run the system, not projects.
  raise: { owner: open, staff: open, leader: open },
  // What was done about a problem is recorded by the bureau and by the project's unit, also after the project closed.
  handle: { owner: stages, staff: stages },
};

/** Owners see their own organisation's projects only; everyone else sees all. */
export function canSee(actor: Actor, project: Pick<ProjectScope, 'orgId'>): boolean {
  return actor.role !== 'owner' || project.orgId === actor.orgId;
}

export function may(actor: Actor, action: ProjectAction, project?: ProjectScope): boolean {
  const stagesOpen = allowed[action][actor.role];
  if (!stagesOpen) return false;
  if (!project) return true;
  return canSee(actor, project) && stagesOpen.includes(project.stage);
}

/** Whether the action is refused because the project is locked while the higher level decides, and not for the user's role. */
export const refusedByLock = (actor: Actor, action: ProjectAction, project: ProjectScope): boolean =>
  isLocked(project.stage) && lockedActions.includes(action) && (allowed[action][actor.role]?.length ?? 0) > 0 && canSee(actor, project);

/** Whether anything may still change a project in this stage. */
export const isClosed = (stage: Stage): boolean => finalStages.includes(stage);
