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
 * Per action, the roles that may take it and the stages in which each may.
 * Owners edit only while the project is with them; nothing changes once a
 * project reached a final stage.
 */
const allowed: Record<ProjectAction, Partial<Record<Role, readonly Stage[]>>> = {
  read: { owner: stages, staff: stages, leader: stages, admin: stages },
  create: { owner: stages, staff: stages },
  edit: { owner: ['draft', 'preliminary'], staff: open },
  act: { owner: stages, staff: stages },
  // Owners add files while preparing the next submission.
  upload: { owner: ['draft', 'reserve', 'preliminary'], staff: open },
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

/** Whether anything may still change a project in this stage. */
export const isClosed = (stage: Stage): boolean => finalStages.includes(stage);
