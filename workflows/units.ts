/**
 * How amounts and shares read to users: storage and the API keep whole yuan,
 * people read and type 万元, and read 亿元 once an amount reaches one hundred
 * million. Figures are rounded for display only, and a figure shown beside the
 * one it is compared with never reads the same as it when the two differ.
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

/**
 * The fewest digits, from `from` up to `to`, at which `format` reads `value`
 * differently from `comparedWith` (when the two differ at all). Rounding never
 * reverses an order, so a figure that differs in print differs the right way.
 */
function digitsTelling(value: number, comparedWith: number | undefined, format: (n: number, digits: number) => string | number, from: number, to: number): number {
  let digits = from;
  while (comparedWith !== undefined && comparedWith !== value && digits < to && format(value, digits) === format(comparedWith, digits)) digits++;
  return digits;
}

const yiText = (yuan: number, digits: number) => `${grouped(digits).format(yuan / YUAN_PER_YI)}亿元`;

/**
 * An amount in the unit that reads naturally: 亿元 from one hundred million
 * (two decimals, more where needed to tell it from `comparedWith`), else 万元,
 * exact to the yuan with as few decimals as it needs: 5,000万元, 11,800.5万元.
 */
export function amountText(yuan: number, comparedWith?: number): string {
  if (Math.abs(yuan) >= YUAN_PER_YI) return yiText(yuan, digitsTelling(yuan, comparedWith, yiText, 2, 8));
  const yuanWhole = Math.round(yuan);
  const digits = [0, 1, 2, 3].find((d) => yuanWhole % 10 ** (4 - d) === 0) ?? 4;
  return `${grouped(digits).format(toWan(yuan))}万元`;
}

/** Whole yuan as a person types 万元 back: no separators, as few decimals as it needs (11800.5). */
export function wanInput(yuan: number): string {
  if (!Number.isFinite(yuan)) return '';
  const whole = Math.round(Math.abs(yuan));
  const rest = whole % YUAN_PER_WAN;
  const decimals = rest ? `.${String(rest).padStart(4, '0').replace(/0+$/, '')}` : '';
  return `${yuan < 0 ? '-' : ''}${Math.floor(whole / YUAN_PER_WAN)}${decimals}`;
}

/**
 * What a person typed in 万元, in yuan, worked out on the digits (never in
 * floating point), with full-width digits and thousands separators allowed;
 * empty is 0. Beyond four decimals the result keeps its fraction of a yuan, and
 * text that is no number gives NaN: the amount schemas refuse both, saying why.
 */
export function parseWan(text: string): number {
  const plain = text.normalize('NFKC').replace(/[,，\s]/g, '').replace('。', '.');
  if (plain === '') return 0;
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(plain);
  if (!match || (!match[2] && !match[3])) return Number.NaN;
  const [, sign, whole = '', fraction = ''] = match;
  const yuan = Number(whole || '0') * YUAN_PER_WAN + Number(fraction.slice(0, 4).padEnd(4, '0')) + Number(`0.${fraction.slice(4) || '0'}`);
  return sign ? -yuan : yuan;
}

const percentFigure = (share: number, digits: number) => Number((share * 100).toFixed(digits));

/**
 * A share (0–1) as a number of percent for display: whole, or with the
 * decimals needed to tell it from `comparedWith` (79.97 beside 80, never 80).
 */
export const percentNumber = (share: number, comparedWith?: number): number =>
  percentFigure(share, digitsTelling(share, comparedWith, percentFigure, 0, 6));

/** A share as a percentage: `percentNumber` with its sign. */
export const percentText = (share: number, comparedWith?: number): string => `${percentNumber(share, comparedWith)}%`;
