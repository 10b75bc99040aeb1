import { z } from 'zod';

/** What marks a day outside the calendar's years, for the words of the form (input-errors.ts). */
export const DAY_OUT_OF_RANGE = 'dayOutOfRange';

/**
 * A day a user types (a deadline, a due date, the date of a document), YYYY-MM-DD, in the years the calendar of
 * working days counts (2000–2099, as months are): a deadline outside them could not be counted in working days.
 */
export const day = z.iso.date().refine((value) => /^20\d{2}-/.test(value), { params: { kind: DAY_OUT_OF_RANGE } });
