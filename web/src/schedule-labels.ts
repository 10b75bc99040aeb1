/**
 * Words and tints of monthly scheduling on screen: the core's vocabulary
 * (workflows/schedule.ts, workflows/rating.ts), and how each state is tinted.
 */
import { monthText, ratingLabels, type Rating } from '../../workflows/rating';
import { keyLevelLabels, keyLevels, reportStatusLabels, reportStatuses, type KeyLevel, type ReportStatus } from '../../workflows/schedule';

export { keyLevelLabels, keyLevels, monthText, ratingLabels, reportStatusLabels, reportStatuses };
export type { KeyLevel, Rating, ReportStatus };

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

export const reportStatusTypes: Record<ReportStatus, TagType> = {
  'on-time': 'success',
  late: 'warning',
  missing: 'danger',
  'not-due': 'info',
};

export const ratingTypes: Record<Rating, TagType> = { red: 'danger', yellow: 'warning', green: 'success' };

/** A month (YYYY-MM) with its year: 2026年8月. */
export const monthWithYear = (month: string) => `${month.slice(0, 4)}年${monthText(month)}`;

/** Months as a short list: 3月、4月. */
export const monthList = (months: readonly string[]) => months.map(monthText).join('、');
