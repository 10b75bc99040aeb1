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

const CHINA_TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
/** Upper bound for `addWorkingDays`, roughly ten years of working days. */
const MAX_WORKING_DAYS = 2_500;

/** Days off on weekdays (and the weekend days inside a holiday), keyed 'YYYY-MM-DD'. */
const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(calendar.holidays));
/** Weekend days declared working days (调休上班), keyed 'YYYY-MM-DD'. */
const MAKE_UP_WORKDAYS: ReadonlySet<string> = new Set(Object.keys(calendar.workdays));

const chinaDayFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: CHINA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day (`YYYY-MM-DD`) of the instant `at` in Asia/Shanghai. */
export function chinaDay(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('chinaDay: invalid Date');
  const parts: Record<string, string> = {};
  for (const { type, value } of chinaDayFormat.formatToParts(at)) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Whether `day` (`YYYY-MM-DD`) is a working day on China's official calendar. */
export function isWorkingDay(day: string): boolean {
  const weekday = new Date(dayStart(day)).getUTCDay();
  if (MAKE_UP_WORKDAYS.has(day)) return true;
  if (HOLIDAYS.has(day)) return false;
  return weekday !== 0 && weekday !== 6;
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
  let day = chinaDay(from);
  for (let left = days; left > 0; ) {
    day = nextDay(day);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/**
 * Working days elapsed after `from`'s day up to and including `to`'s day (both
 * in Asia/Shanghai); 0 when `to` is not on a later day than `from`. For any
 * `n`, the count up to the day `addWorkingDays(from, n)` is `n`.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  const last = chinaDay(to);
  let count = 0;
  for (let day = nextDay(chinaDay(from)); day <= last; day = nextDay(day)) {
    if (isWorkingDay(day)) count++;
  }
  return count;
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

function nextDay(day: string): string {
  return new Date(dayStart(day) + DAY_MS).toISOString().slice(0, 10);
}
