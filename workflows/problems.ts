import { z } from 'zod';
import { messages } from './messages';
import { day } from './day-input';

/**
 * 问题清单 (docs/domain.md, "Problems that hold a project up"): what blocks a
 * project, the level of government that must solve it (三级调度: district,
 * city, province), what was done, and its closing (销号) with a resolution.
 * A problem is the fold of its events, as a project is the fold of its
 * history: the server stores both and `npm run check` compares them.
 */
export const problemCategories = ['land', 'funds', 'planning', 'eia', 'energy', 'demolition', 'approvals', 'utilities', 'other'] as const;
export type ProblemCategory = (typeof problemCategories)[number];

export const problemCategoryLabels: Record<ProblemCategory, string> = {
  land: '用地',
  funds: '资金',
  planning: '规划',
  eia: '环评',
  energy: '能评',
  demolition: '征地拆迁',
  approvals: '审批手续',
  utilities: '水电气等要素',
  other: '其他',
};

/** Lowest first: a problem is only ever escalated up this list. */
export const problemLevels = ['county', 'city', 'province'] as const;
export type ProblemLevel = (typeof problemLevels)[number];

export const problemLevelLabels: Record<ProblemLevel, string> = {
  county: '区级协调',
  city: '市级协调',
  province: '省级协调',
};

export const problemStates = ['open', 'resolved'] as const;
export type ProblemState = (typeof problemStates)[number];

export const problemStateLabels: Record<ProblemState, string> = {
  open: '未解决',
  resolved: '已销号',
};

/** RAISE opens a problem; the others are what people send afterwards. */
export const problemEventTypes = ['NOTE', 'ESCALATE', 'RESOLVE', 'REOPEN'] as const;
export type ProblemEventType = 'RAISE' | (typeof problemEventTypes)[number];

export const problemEventLabels: Record<ProblemEventType, string> = {
  RAISE: '提出问题',
  NOTE: '记录办理情况',
  ESCALATE: '提级协调',
  RESOLVE: '销号',
  REOPEN: '重新打开',
};

/** One event of a problem, as stored in its events array. */
export interface ProblemEvent {
  type: ProblemEventType;
  /** ISO instant. */
  at: string;
  by: { id: string; name: string; role: string };
  note?: string;
  reason?: string;
  resolution?: string;
  /** RAISE: the level it starts at; ESCALATE: the level it moves to. */
  level?: ProblemLevel;
}

/** What the events decide about a problem. */
export interface ProblemStatus {
  state: ProblemState;
  level: ProblemLevel;
  resolution?: string;
  /** ISO instant of the RESOLVE that closed it, while it stays closed. */
  resolvedAt?: string;
}

/** The status after one more event. */
export function advanceProblem(status: ProblemStatus | undefined, event: ProblemEvent): ProblemStatus {
  switch (event.type) {
    case 'RAISE':
      return { state: 'open', level: event.level! };
    case 'ESCALATE':
      return { ...status!, level: event.level! };
    case 'RESOLVE':
      return { ...status!, state: 'resolved', resolution: event.resolution, resolvedAt: event.at };
    case 'REOPEN':
      return { state: 'open', level: status!.level };
    case 'NOTE':
      return status!;
  }
}

/** The status a whole list of events gives, oldest first. */
export const problemStatusOf = (events: readonly ProblemEvent[]): ProblemStatus | undefined =>
  events.reduce<ProblemStatus | undefined>((status, event) => advanceProblem(status, event), undefined);

/** Open, with a due date (办结时限) before today (China's calendar day). */
export const isOverdue = (problem: { state: ProblemState; dueDate?: string }, today: string): boolean =>
  problem.state === 'open' && problem.dueDate !== undefined && problem.dueDate < today;

/** What someone sends after a problem was raised. */
export interface ProblemEventRequest {
  type: (typeof problemEventTypes)[number];
  note?: string;
  reason?: string;
  resolution?: string;
  level?: ProblemLevel;
}

export type ProblemRefusal = { kind: 'illegal'; message: string } | { kind: 'invalid'; errors: { path: string; message: string }[] };

type Failure = { path?: string; message: string };

interface Guard {
  /** `state` guards read only the problem: failing one makes the event illegal now. `input` guards read what was sent and name its field. */
  kind: 'state' | 'input';
  check(status: ProblemStatus, request: ProblemEventRequest): Failure | undefined;
}

const filled = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

/** The next level up, unless the request names one. */
const targetLevel = (status: ProblemStatus, request: ProblemEventRequest): ProblemLevel | undefined =>
  request.level ?? problemLevels[problemLevels.indexOf(status.level) + 1];

const needs = (field: 'note' | 'reason' | 'resolution', message: string): Guard => ({
  kind: 'input',
  check: (_status, request) => (filled(request[field]) ? undefined : { path: field, message }),
});

/** The named guards of problem events. */
const guards = {
  isOpen: { kind: 'state', check: (status) => (status.state === 'open' ? undefined : { message: messages.problemResolved }) },
  isResolved: { kind: 'state', check: (status) => (status.state === 'resolved' ? undefined : { message: messages.problemNotResolved }) },
  hasNote: needs('note', messages.noteRequired),
  hasReason: needs('reason', messages.reasonRequired),
  hasResolution: needs('resolution', messages.resolutionRequired),
  escalatesUpward: {
    kind: 'input',
    check: (status, request) => {
      const to = targetLevel(status, request);
      if (!to) return { path: 'level', message: messages.escalationTopLevel };
      if (problemLevels.indexOf(to) <= problemLevels.indexOf(status.level)) {
        return { path: 'level', message: messages.escalationNotUpward(problemLevelLabels[status.level], problemLevelLabels[to]) };
      }
      return undefined;
    },
  },
} satisfies Record<string, Guard>;

export type ProblemGuard = keyof typeof guards;

/** Each event's guards. Nothing but REOPEN is taken once a problem is closed. */
export const problemTransitions: Record<(typeof problemEventTypes)[number], readonly ProblemGuard[]> = {
  NOTE: ['isOpen', 'hasNote'],
  ESCALATE: ['isOpen', 'hasReason', 'escalatesUpward'],
  RESOLVE: ['isOpen', 'hasResolution'],
  REOPEN: ['isResolved', 'hasReason'],
};

/** What each event keeps of a request: only the fields it takes, trimmed. */
const takenFields: Record<(typeof problemEventTypes)[number], (status: ProblemStatus, request: ProblemEventRequest) => Partial<ProblemEvent>> = {
  NOTE: (_s, r) => ({ note: filled(r.note) }),
  ESCALATE: (s, r) => ({ reason: filled(r.reason), level: targetLevel(s, r), note: filled(r.note) }),
  RESOLVE: (_s, r) => ({ resolution: filled(r.resolution), note: filled(r.note) }),
  REOPEN: (_s, r) => ({ reason: filled(r.reason) }),
};

/**
 * Whether an event may happen to a problem now, and the event to store. Every
 * guard is evaluated once and every failure reported; a failing state guard
 * makes the event illegal whatever was sent.
 */
export function decideProblemEvent(
  status: ProblemStatus,
  request: ProblemEventRequest,
  stamp: Pick<ProblemEvent, 'at' | 'by'>,
): { ok: true; event: ProblemEvent } | { ok: false; refusal: ProblemRefusal } {
  const checked = problemTransitions[request.type].map((name): { kind: Guard['kind']; failure?: Failure } => ({ kind: guards[name].kind, failure: guards[name].check(status, request) }));
  const illegal = checked.find((c) => c.kind === 'state' && c.failure);
  if (illegal) return { ok: false, refusal: { kind: 'illegal', message: illegal.failure!.message } };
  const errors = checked.flatMap((c) => (c.failure ? [{ path: c.failure.path!, message: c.failure.message }] : []));
  if (errors.length) return { ok: false, refusal: { kind: 'invalid', errors } };
  const fields = Object.fromEntries(Object.entries(takenFields[request.type](status, request)).filter(([, value]) => value !== undefined));
  return { ok: true, event: { type: request.type, ...stamp, ...fields } };
}

/** The events a problem in this status takes now (what a screen offers), whatever is then sent with them. */
export const problemEventsAvailable = (status: ProblemStatus) =>
  problemEventTypes.filter((type) => problemTransitions[type].every((name) => guards[name].kind !== 'state' || !guards[name].check(status, { type })));

/**
 * The sentence reports use ("1-5月，共调度问题项目24个、问题…个，已解决19个"),
 * from the problems it covers: distinct projects, problems, those closed.
 */
export function problemSummary(problems: readonly { projectId: string; state: ProblemState }[]) {
  const projects = new Set(problems.map((p) => p.projectId)).size;
  const resolved = problems.filter((p) => p.state === 'resolved').length;
  return {
    projects,
    problems: problems.length,
    resolved,
    open: problems.length - resolved,
    text: `共调度问题项目${projects}个、问题${problems.length}个，已解决${resolved}个`,
  };
}

const words = (max: number) => z.string().trim().max(max);
const objectId = z.string().regex(/^[0-9a-f]{24}$/, '编号格式不正确');

/** Raising a problem; the API checks with it and the web form checks as people type. */
/** Files one problem may name (the raising form offers no more). */
export const MAX_PROBLEM_ATTACHMENTS = 10;

export const problemInput = z
  .object({
    category: z.enum(problemCategories).describe('问题类别'),
    description: words(2000).min(1, '请描述问题').describe('问题描述'),
    level: z.enum(problemLevels).describe('协调层级：county 区级、city 市级、province 省级'),
    responsibleUnit: words(200).optional().describe('责任单位'),
    dueDate: day.optional().describe('办结时限（YYYY-MM-DD）'),
    attachments: z.array(objectId).max(MAX_PROBLEM_ATTACHMENTS, `附件最多 ${MAX_PROBLEM_ATTACHMENTS} 个`).optional().describe('先上传的附件编号'),
  })
  .meta({ id: 'ProblemInput' });

/** An event sent to a problem. `expectedVersion`, when given, must be the version the sender saw. */
export const problemEventInput = z
  .object({
    type: z.enum(problemEventTypes),
    note: words(2000).optional().describe('办理情况'),
    reason: words(2000).optional().describe('提级或重新打开的理由'),
    resolution: words(2000).optional().describe('解决情况（销号时必填）'),
    level: z.enum(problemLevels).optional().describe('提级到哪一级（默认上一级）'),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .meta({ id: 'ProblemEventInput' });
