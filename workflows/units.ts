/**
 * How amounts and shares read to users: storage and the API keep whole yuan,
 * people read 万元, and 亿元 once an amount reaches one hundred million.
 */
export const YUAN_PER_WAN = 10_000;
export const YUAN_PER_YI = 100_000_000;

const grouped = (digits: number) =>
  new Intl.NumberFormat('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const twoDecimals = grouped(2);

export const toWan = (yuan: number) => yuan / YUAN_PER_WAN;

/** 万元 to whole yuan: 万元 has at most four decimals, one yuan. */
export const wanToYuan = (wan: number) => Math.round(wan * YUAN_PER_WAN);

/** 万元 with two decimals and thousands separators, without the unit (tables say it in the header). */
export const wanNumber = (yuan: number) => twoDecimals.format(toWan(yuan));

/** 亿元 with two decimals, without the unit. */
export const yiNumber = (yuan: number) => twoDecimals.format(yuan / YUAN_PER_YI);

/** An amount in the unit that reads naturally: 亿元 from one hundred million, else 万元 (exact to the yuan). */
export function amountText(yuan: number): string {
  if (Math.abs(yuan) >= YUAN_PER_YI) return `${yiNumber(yuan)}亿元`;
  const wan = toWan(yuan);
  // As few decimals as the amount needs, up to four (one yuan): 5,000万元, 11,800.5万元, 5,000.0001万元.
  const yuanWhole = Math.round(yuan);
  const digits = [0, 1, 2, 3].find((d) => yuanWhole % 10 ** (4 - d) === 0) ?? 4;
  return `${grouped(digits).format(wan)}万元`;
}

/** A share (0–1) as a whole percentage for display; comparisons use the share itself, never this text. */
export const percentText = (share: number) => `${Math.round(share * 100)}%`;
