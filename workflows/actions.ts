import type { Evaluation, WorkflowContext, WorkflowEvent, WorkflowRecord } from './context';
import { dataOf as data } from './event-data';

/**
 * The named actions: each records what an event carries into the project's
 * workflow record. Pure functions of (context, event); the machines wrap them in `assign`.
 */
type Recorder = (context: WorkflowContext, event: WorkflowEvent) => Partial<WorkflowRecord>;


export function gradeOf(total: number): Evaluation['grade'] {
  if (total >= 90) return '优';
  if (total >= 80) return '良';
  if (total >= 60) return '中';
  return '差';
}

export const recorders = {
  recordApplication: (context, event) => {
    const year = Number(event.day.slice(0, 4));
    const earlier = context.record.applications.map((a) => (a.year === year ? { ...a, latestInYear: false } : a));
    return {
      applications: [
        ...earlier,
        { round: earlier.length + 1, year, date: event.day, requestedAmount: context.facts.requestedAmount, latestInYear: true },
      ],
    };
  },

  recordApproval: (_context, event) => ({ approval: data<'RECORD_APPROVAL'>(event) }),

  recordIssuance: (context, event) => {
    const issuance = data<'RECORD_ISSUANCE'>(event);
    return { issuances: [...context.record.issuances, { ...issuance, year: Number(issuance.issueDate.slice(0, 4)) }] };
  },

  recordDisbursement: (context, event) => ({
    disbursements: [...context.record.disbursements, data<'RECORD_DISBURSEMENT'>(event)],
  }),

  recordProgress: (context, event) => ({
    progress: [...context.record.progress, { ...data<'RECORD_PROGRESS'>(event), date: event.day }],
  }),

  recordCompletion: (_context, event) => ({ completion: data<'COMPLETE'>(event) }),

  recordEvaluation: (context, event) => {
    const given = new Map(data<'EVALUATE'>(event).scores.map((s) => [s.name, s.score]));
    const scores = context.facts.performanceTargets.map((t) => ({
      name: t.name,
      category: t.category,
      weight: t.weight,
      score: given.get(t.name) ?? 0,
    }));
    const weights = scores.reduce((total, s) => total + s.weight, 0);
    const total = Math.round((scores.reduce((sum, s) => sum + s.score * s.weight, 0) / weights) * 10) / 10;
    return { evaluation: { scores, total, grade: gradeOf(total), date: event.day } };
  },
} satisfies Record<string, Recorder>;

export type ActionName = keyof typeof recorders;
