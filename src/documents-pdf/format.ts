/** How amounts, sizes and dates read in the document: 万元 with two decimals, China time. */
const WAN = 10_000;
/** One hundredth of a 万元, in yuan: the unit amounts are rounded to. */
const CENT_OF_WAN = WAN / 100;

const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Yuan as 万元 with two decimals and thousands separators: 12,345.68. */
export function wan(yuan: number): string {
  return twoDecimals.format(Math.round(yuan / CENT_OF_WAN) / 100);
}

/**
 * Parts of a whole in 万元 that add up, as printed, to the printed whole (largest remainders get the
 * rounding), so a table's total row never disagrees with its rows by a cent.
 */
export function wanParts(parts: number[], total: number): string[] {
  const exact = parts.map((p) => p / CENT_OF_WAN);
  const floors = exact.map(Math.floor);
  let missing = Math.round(total / CENT_OF_WAN) - floors.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - floors[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing <= 0) break;
    floors[i]! += 1;
    missing--;
  }
  return floors.map((cents) => twoDecimals.format(cents / 100));
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${twoDecimals.format((part / whole) * 100)}%` : '—';
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** China has kept UTC+8 all year since 1991, so a fixed offset gives its wall-clock time on any server. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

function chinaParts(at: Date) {
  const iso = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10), time: iso.slice(11, 16) };
}

/** 2026年6月1日 */
export function chineseDate(at: Date): string {
  const { year, month, day } = chinaParts(at);
  return `${year}年${Number(month)}月${Number(day)}日`;
}

/** 2026年6月1日, from a day written YYYY-MM-DD. */
export function chineseDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${year}年${Number(month)}月${Number(date)}日`;
}

/** 2026-06-01 14:30, China time. */
export function dateTime(at: Date): string {
  const { year, month, day, time } = chinaParts(at);
  return `${year}-${month}-${day} ${time}`;
}
