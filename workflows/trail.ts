import { isReviewStage, stageLabels, type ReviewStage, type Stage } from './vocabulary';

/**
 * What reports need from a project's history, kept beside its current state
 * so no report reads the history itself: every stay in a review stage, the day
 * it entered the reserve, the setbacks it met (returns, rejections, refused
 * files) with the later step that settled each, and the files waiting for a
 * review with the day each came (its time limit runs from then). It is a fold over the
 * history: `advanceTrail` on each new entry gives the same as `trailOf` over
 * the whole history, which is how `npm run check` finds and mends drift.
 */
export interface TrailEntry {
  /** ISO instant. */
  at: string;
  event: string;
  from?: Stage;
  to?: Stage;
  reason?: string;
  data?: unknown;
}

export interface ReviewSpell {
  stage: ReviewStage;
  enteredAt: string;
  /** When the review ended (approved, returned or rejected); none while it is under way. */
  endedAt?: string;
}

export interface Setback {
  at: string;
  event: string;
  from?: Stage;
  reason?: string;
  /** The document type of a refused file. */
  docType?: string;
  /** When a later step settled it (a new submission, a new round forwarded, the file accepted). */
  resolvedAt?: string;
}

export interface Trail {
  reviewSpells: ReviewSpell[];
  /** When 入库审核 first approved the project. */
  admittedAt?: string;
  setbacks: Setback[];
  /**
   * The newest file of each type that nobody has reviewed yet, and when it came.
   * Absent in trails stored before it was kept (the start-up rebuilds those).
   */
  awaitingReview?: Record<string, AwaitingFile>;
  /** The reminder letters (提醒函) that named the project, by id; absent until the first. */
  reminderLetters?: string[];
}

export interface AwaitingFile {
  version: number;
  /** ISO instant. */
  uploadedAt: string;
}

export const emptyTrail = (): Trail => ({ reviewSpells: [], setbacks: [], awaitingReview: {} });

interface ReviewData {
  docType?: string;
  decision?: string;
  version?: number;
  /** Of a withdrawn file: the version before it, when nobody has reviewed that one either. */
  waitingAgain?: AwaitingFile;
}

const reviewOf = (entry: Pick<TrailEntry, 'data'>) => (entry.data ?? {}) as ReviewData;

const settles: Record<string, (setback: Setback, entry: TrailEntry) => boolean> = {
  RETURN: (_s, e) => e.event === 'SUBMIT',
  RECORD_REJECTION: (_s, e) => e.event === 'APPROVE' && e.from === 'application_review',
  DOCUMENT_REVIEW: (s, e) => e.event === 'DOCUMENT_REVIEW' && reviewOf(e).docType === s.docType && reviewOf(e).decision === 'accepted',
};

function setbackOf(entry: TrailEntry): Setback | undefined {
  const { at, event, from, reason } = entry;
  if (['RETURN', 'REJECT', 'REMOVE', 'RECORD_REJECTION'].includes(event)) return { at, event, from, reason };
  const review = reviewOf(entry);
  if (event === 'DOCUMENT_REVIEW' && review.decision === 'rejected') return { at, event, reason, docType: review.docType };
  return undefined;
}

function advanceSpells(spells: ReviewSpell[], entry: TrailEntry): ReviewSpell[] {
  if (!entry.to || entry.from === entry.to) return spells;
  const closed = spells.map((s) => (s.endedAt ? s : { ...s, endedAt: entry.at }));
  return isReviewStage(entry.to) ? [...closed, { stage: entry.to, enteredAt: entry.at }] : closed;
}

/**
 * A new file waits for its review; a review of the newest version of its type ends the wait (one of an older
 * version does not). Withdrawing the newest version ends its wait too, and the version before, if nobody has
 * reviewed it either, waits again from the day it came.
 */
function advanceAwaiting(awaiting: Record<string, AwaitingFile>, entry: TrailEntry): Record<string, AwaitingFile> {
  const { docType, version, waitingAgain } = reviewOf(entry);
  if (!docType || version === undefined) return awaiting;
  if (entry.event === 'DOCUMENT_UPLOAD') return { ...awaiting, [docType]: { version, uploadedAt: entry.at } };
  if (['DOCUMENT_REVIEW', 'DOCUMENT_WITHDRAW'].includes(entry.event) && awaiting[docType]?.version === version) {
    const { [docType]: _done, ...rest } = awaiting;
    return entry.event === 'DOCUMENT_WITHDRAW' && waitingAgain ? { ...rest, [docType]: waitingAgain } : rest;
  }
  return awaiting;
}

/** A reminder letter's entry notes the letter, so that recording it again can tell it is there. */
function advanceLetters(letters: string[] | undefined, entry: TrailEntry): string[] | undefined {
  if (entry.event !== 'REMINDER_LETTER') return letters;
  return [...(letters ?? []), (entry.data as { letterId: string }).letterId];
}

export function advanceTrail(trail: Trail, entry: TrailEntry): Trail {
  const letters = advanceLetters(trail.reminderLetters, entry);
  const settled = trail.setbacks.map((s) => (!s.resolvedAt && settles[s.event]?.(s, entry) ? { ...s, resolvedAt: entry.at } : s));
  const setback = setbackOf(entry);
  const admitted = entry.event === 'APPROVE' && entry.from === 'reserve_review';
  return {
    reviewSpells: advanceSpells(trail.reviewSpells, entry),
    admittedAt: trail.admittedAt ?? (admitted ? entry.at : undefined),
    setbacks: setback ? [...settled, setback] : settled,
    awaitingReview: advanceAwaiting(trail.awaitingReview ?? {}, entry),
    ...(letters ? { reminderLetters: letters } : {}),
  };
}

export const trailOf = (history: readonly TrailEntry[]): Trail => history.reduce(advanceTrail, emptyTrail());

/** What kind of setback it was, in the words of the 问题解决台账. */
export function setbackKind(setback: Setback, documentTypes: Record<string, string>): string {
  switch (setback.event) {
    case 'RETURN':
      return `${setback.from ? stageLabels[setback.from] : ''}退回补正`;
    case 'REJECT':
      return '不予入库';
    case 'REMOVE':
      return '出库';
    case 'RECORD_REJECTION':
      return '上级未予批复';
    default:
      return `材料退回：${(setback.docType && documentTypes[setback.docType]) ?? setback.docType ?? ''}`;
  }
}
