import type { EventData, EventWithData } from './event-data';
import type { WorkflowEvent } from './guards';
import { evaluationResult, issuanceOf } from './money';
import type { ProjectState, WorkflowRecord } from './project-state';

/**
 * The named actions: each records what an event carries into the project's
 * workflow record. Pure functions of (project, event); the machines run them.
 */
type Recorder = (project: ProjectState, event: WorkflowEvent) => Partial<WorkflowRecord>;

const dataOf = <E extends EventWithData>(event: WorkflowEvent) => event.data as EventData<E>;

export const recorders = {
  // In a round's draft, what goes up is the amount asked this time, and the application keeps the round (workflows/rounds.ts).
  recordApplication: ({ record, requestedAmount, round }, event) => {
    const year = Number(event.day.slice(0, 4));
    const earlier = record.applications.map((a) => (a.year === year ? { ...a, latestInYear: false } : a));
    const inRound = round ? { requestedAmount: round.amount, roundId: round.roundId } : { requestedAmount };
    return {
      applications: [...earlier, { round: earlier.length + 1, year, date: event.day, ...inRound, latestInYear: true }],
    };
  },

  recordApproval: (_project, event) => ({ approval: dataOf<'RECORD_APPROVAL'>(event) }),

  recordIssuance: ({ record }, event) => ({ issuances: [...record.issuances, issuanceOf(record, dataOf<'RECORD_ISSUANCE'>(event))] }),

  recordDisbursement: ({ record }, event) => ({ disbursements: [...record.disbursements, dataOf<'RECORD_DISBURSEMENT'>(event)] }),

  recordProgress: ({ record }, event) => ({ progress: [...record.progress, { ...dataOf<'RECORD_PROGRESS'>(event), date: event.day }] }),

  recordCompletion: (_project, event) => ({ completion: dataOf<'COMPLETE'>(event) }),

  recordEvaluation: ({ performanceTargets }, event) => {
    const given = new Map(dataOf<'EVALUATE'>(event).scores.map((s) => [s.name, s.score]));
    return { evaluation: { ...evaluationResult(performanceTargets, given), date: event.day } };
  },
} satisfies Record<string, Recorder>;

export type ActionName = keyof typeof recorders;
