import { messages } from './messages';
import { issuanceProblem } from './funds';
import { coverageRatio, disbursedFunds, fundingTotal, quotaUses, securedFunds } from './money';
import type { EventData, EventWithData } from './event-data';
import type { ProjectState } from './project-state';
import type { Actor, Role } from './roles';
import type { WorkflowRules } from './rules';

/**
 * The named guards of both machines (docs/domain.md, "Stages"). Each says why it
 * fails, in words for users; `decide` evaluates each guard of a transition once
 * and reports every failure, `affordances` asks the same guards what a user may
 * do and within which limits.
 *
 * Four kinds: `role` guards decide who may send an event at all; `state`
 * guards read only the project (documents, funding, coverage); `reason` and
 * `data` guards read what comes with the event.
 */
export type Failure =
  | { kind: 'forbidden'; message: string }
  | { kind: 'missing'; message: string; missing: string[] }
  | { kind: 'invalid'; message: string; path: string };

/** What a workflow event carries besides its type; `data` has passed the event's schema when a guard sees it. */
export interface WorkflowEvent {
  type: string;
  actor: Actor;
  /** The instant, and its day in China (YYYY-MM-DD), that the event happened. */
  at: string;
  day: string;
  reason?: string;
  data?: unknown;
}

export interface GuardArgs {
  project: ProjectState;
  rules: WorkflowRules;
  event: WorkflowEvent;
}

/** The most a user may enter in a field of an event's data, as the guards will check it. */
export interface DataLimits {
  maxAmount?: number;
  /** The quotas an issuance may go against, with what each has left. */
  quotas?: { no: number; year: number; amount: number; left: number }[];
  /** The performance targets an evaluation must score, each once. */
  targets?: { name: string; category: string; weight: number }[];
}

interface Guard<P = undefined> {
  kind: 'role' | 'state' | 'reason' | 'data';
  check(args: GuardArgs, params: P): Failure | undefined;
  /** For data guards that bound the event's data: the bounds in force now. */
  limits?(args: Omit<GuardArgs, 'event'>): DataLimits;
}

const invalid = (path: string, message: string): Failure => ({ kind: 'invalid', path, message });

const byRoles = (allowed: Role[], message: string): Guard => ({
  kind: 'role',
  check: ({ event }) => (allowed.includes(event.actor.role) ? undefined : { kind: 'forbidden', message }),
});

const dataOf = <E extends EventWithData>(event: WorkflowEvent) => event.data as EventData<E>;

const missingDocuments = (project: ProjectState, required: readonly string[]) =>
  required.filter((type) => project.dossier[type] !== 'accepted');

const securedLeft = (project: ProjectState) => securedFunds(project.channel, project.record) - disbursedFunds(project.record);

export const guards = {
  byOwner: byRoles(['owner'], messages.onlyOwner),
  byStaff: byRoles(['staff'], messages.onlyStaff),
  byOwnerOrStaff: byRoles(['owner', 'staff'], messages.onlyOwnerOrStaff),

  hasReason: {
    kind: 'reason',
    check: ({ event }) => (event.reason?.trim() ? undefined : invalid('reason', messages.reasonRequired)),
  },

  documentsAccepted: {
    kind: 'state',
    check: ({ project, rules }, { stage }) => {
      const missing = missingDocuments(project, rules.requiredDocuments[project.channel][stage]);
      return missing.length ? { kind: 'missing', message: messages.documentsMissing, missing } : undefined;
    },
  } satisfies Guard<{ stage: 'draft' | 'preliminary' }>,

  yiJianSanZhengIfRequired: {
    kind: 'state',
    check: ({ project, rules }) => {
      if (!rules.yiJianSanZheng.blocksSubmit) return undefined;
      const missing = missingDocuments(project, rules.yiJianSanZheng.documents);
      return missing.length ? { kind: 'missing', message: messages.yiJianSanZhengMissing, missing } : undefined;
    },
  },

  projectCodeIfRequired: {
    kind: 'state',
    check: ({ project, rules }) =>
      !rules.projectCode.requiredBeforeSubmit || project.projectCode ? undefined : invalid('projectCode', messages.projectCodeMissing),
  },

  fundingAddsUp: {
    kind: 'state',
    check: ({ project }) => {
      const total = fundingTotal(project.funding);
      return total === project.totalInvestment ? undefined : invalid('funding', messages.fundingMismatch(total, project.totalInvestment));
    },
  },

  coverageReached: {
    kind: 'state',
    check: ({ project, rules }) => {
      const ratio = coverageRatio(project.financing);
      if (ratio === undefined) return invalid('financing', messages.financingMissing);
      return ratio >= rules.coverageThreshold ? undefined : invalid('financing', messages.coverageTooLow(ratio, rules.coverageThreshold));
    },
  },

  hasPerformanceTargets: {
    kind: 'state',
    check: ({ project }) => (project.performanceTargets.length ? undefined : invalid('performanceTargets', messages.noPerformanceTargets)),
  },

  issuanceWithinQuota: {
    kind: 'data',
    check: ({ project, event }) => {
      const { amount, quota } = dataOf<'RECORD_ISSUANCE'>(event);
      const problem = issuanceProblem(project.record, amount, quota);
      return problem && invalid(problem.path, problem.message);
    },
    // An issuance goes against one quota: the most is what the roomiest quota has left.
    limits: ({ project }) => {
      const quotas = quotaUses(project.record).map(({ no, year, amount, left }) => ({ no, year, amount, left }));
      return { maxAmount: Math.max(0, ...quotas.map((q) => q.left)), quotas };
    },
  },

  disbursementWithinSecured: {
    kind: 'data',
    check: ({ project, event }) => {
      const after = disbursedFunds(project.record) + dataOf<'RECORD_DISBURSEMENT'>(event).amount;
      const secured = securedFunds(project.channel, project.record);
      return after <= secured ? undefined : invalid('data.amount', messages.overSecured(after, secured));
    },
    limits: ({ project }) => ({ maxAmount: Math.max(0, securedLeft(project)) }),
  },

  scoresMatchTargets: {
    kind: 'data',
    check: ({ project, event }) => {
      const targets = project.performanceTargets;
      const scored = new Set(dataOf<'EVALUATE'>(event).scores.map((s) => s.name));
      const unknown = [...scored].filter((name) => !targets.some((t) => t.name === name));
      if (unknown.length) return invalid('data.scores', messages.unknownTargets(unknown));
      const unscored = targets.filter((t) => !scored.has(t.name)).map((t) => t.name);
      return unscored.length ? invalid('data.scores', messages.unscoredTargets(unscored)) : undefined;
    },
    limits: ({ project }) => ({ targets: project.performanceTargets.map(({ name, category, weight }) => ({ name, category, weight })) }),
  },
} satisfies Record<string, Guard<never>>;

export type GuardName = keyof typeof guards;

/** A guard as a transition names it: plain, or with its parameters. */
export type GuardRef = Exclude<GuardName, 'documentsAccepted'> | { type: 'documentsAccepted'; params: { stage: 'draft' | 'preliminary' } };

const nameOf = (ref: GuardRef): GuardName => (typeof ref === 'string' ? ref : ref.type);

export const guardKind = (ref: GuardRef) => guards[nameOf(ref)].kind;

/** How a guard reads in the workflow description: `documentsAccepted(draft)`. */
export const guardLabel = (ref: GuardRef) => (typeof ref === 'string' ? ref : `${ref.type}(${ref.params.stage})`);

export function evaluateGuard(ref: GuardRef, args: GuardArgs): Failure | undefined {
  if (typeof ref === 'string') return (guards[ref] as Guard).check(args, undefined);
  return guards[ref.type].check(args, ref.params);
}

export function limitsOf(ref: GuardRef, args: Omit<GuardArgs, 'event'>): DataLimits {
  return (guards[nameOf(ref)] as Guard).limits?.(args) ?? {};
}
