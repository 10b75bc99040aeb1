/**
 * Working-day arithmetic on mainland China's official calendar (审查时限按工作日计算).
 *
 * A working day is Monday–Friday that is not a statutory holiday, plus any
 * weekend day the State Council has declared a make-up working day (调休上班).
 * The holiday and 调休 data are the JSON calendar published in the
 * `chinese-days` package (dist/chinese-days.json, 2004 onwards), compiled from
 * the State Council's yearly notices (国务院办公厅关于 YYYY 年部分节假日安排的通知)
 * and their amendments. Years it does not yet cover fall back to plain
 * Monday–Friday, so the dependency must be updated each year once the next
 * year's notice is published (usually in November).
 *
 * Calendar days are ISO `YYYY-MM-DD` strings of the day in Asia/Shanghai;
 * instants (`Date`) are converted with {@link chinaDay}. Nothing here depends on
 * the server's own time zone.
 */
// Only the package's data is used, not its functions: chinese-days 1.5.7 builds
// its lookup tables at load time by parsing 'YYYY-M-D' as UTC midnight and
// formatting it with local-time getters, so on a server west of UTC (e.g. TZ=
// America/New_York) every holiday and make-up day moves one day earlier.
import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const DAY_MS = 86_400_000;
/** Upper bound for `addWorkingDays`, roughly ten years of working days. */
const MAX_WORKING_DAYS = 2_500;

/** Days off on weekdays (and the weekend days inside a holiday), keyed 'YYYY-MM-DD'. */
const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(calendar.holidays));
/** Weekend days declared working days (调休上班), keyed 'YYYY-MM-DD'. */
const MAKE_UP_WORKDAYS: ReadonlySet<string> = new Set(Object.keys(calendar.workdays));

/**
 * Mainland China has kept UTC+8 without daylight saving since 1992, so the day
 * in Asia/Shanghai is the UTC day of the instant moved eight hours on:
 * exact for every date this service stores, and cheap enough for reports that
 * date every review of every project.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar day (`YYYY-MM-DD`) of the instant `at` in Asia/Shanghai. */
export function chinaDay(at: Date): string {
  const time = at.getTime();
  if (Number.isNaN(time)) throw new RangeError('chinaDay: invalid Date');
  return new Date(time + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `day` (`YYYY-MM-DD`) is a working day on China's official calendar. */
export function isWorkingDay(day: string): boolean {
  const weekday = new Date(dayStart(day)).getUTCDay();
  if (MAKE_UP_WORKDAYS.has(day)) return true;
  if (HOLIDAYS.has(day)) return false;
  return weekday !== 0 && weekday !== 6;
}

/**
 * How many working days there are from 1970-01-01 up to and including each
 * day, grown as later days are asked for: every count and due date below is a
 * look-up in it, however far apart the days are.
 */
const workingDaysUpTo: number[] = [];

/** The day of a day's number (whole days since 1970-01-01). */
const dayOfNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The number of the day in China of an instant. */
function chinaDayNumber(at: Date): number {
  const time = at.getTime();
  if (Number.isNaN(time)) throw new RangeError('invalid Date');
  return Math.floor((time + CHINA_OFFSET_MS) / DAY_MS);
}

function cumulative(n: number): number {
  if (n < 0) throw new RangeError('working days are counted from 1970 on');
  for (let next = workingDaysUpTo.length; next <= n; next++) {
    workingDaysUpTo.push((workingDaysUpTo[next - 1] ?? 0) + (isWorkingDay(dayOfNumber(next)) ? 1 : 0));
  }
  return workingDaysUpTo[n]!;
}

/**
 * Due date of a time limit of `days` working days started at `from`: the day
 * on which the `days`-th working day after `from`'s day (in Asia/Shanghai) ends.
 * Counting starts the next day, so 1 working day from a Friday is the next
 * working day. `days` = 0 gives `from`'s own day.
 */
export function addWorkingDays(from: Date, days: number): string {
  if (!Number.isInteger(days) || days < 0 || days > MAX_WORKING_DAYS) {
    throw new RangeError(`addWorkingDays: days must be an integer from 0 to ${MAX_WORKING_DAYS}, got ${days}`);
  }
  const start = chinaDayNumber(from);
  const wanted = cumulative(start) + days;
  // Every stretch of 14 days holds a working day, so the due day is within 14 × days of the start.
  let low = start;
  let high = start + 14 * days;
  cumulative(high);
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (workingDaysUpTo[mid]! < wanted) low = mid + 1;
    else high = mid;
  }
  return dayOfNumber(low);
}

/**
 * Working days elapsed after `from`'s day up to and including `to`'s day (both
 * in Asia/Shanghai); 0 when `to` is not on a later day than `from`. For any
 * `n`, the count up to the day `addWorkingDays(from, n)` is `n`.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  return Math.max(0, cumulative(chinaDayNumber(to)) - cumulative(chinaDayNumber(from)));
}

/** UTC midnight (epoch ms) of a `YYYY-MM-DD` day, which must exist. */
function dayStart(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`not a calendar day in YYYY-MM-DD form: ${JSON.stringify(day)}`);
  }
  return ms;
}

