/** Chinese conventions for what users read: amounts in 万元/亿元, dates as yyyy-MM-dd in China's time zone. */
import { YUAN_PER_YI, wanNumber, yiNumber } from '../../workflows/units';

const chinaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const chinaTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** Whole yuan as 万元 with two decimals, as tables and ledgers show them. */
export function wan(yuan: number | undefined): string {
  return yuan === undefined ? '—' : `${wanNumber(yuan)} 万元`;
}

/** Whole yuan in the larger unit that reads naturally: 亿元 from one hundred million, else 万元. */
export function money(yuan: number | undefined): string {
  if (yuan === undefined) return '—';
  return Math.abs(yuan) >= YUAN_PER_YI ? `${yiNumber(yuan)} 亿元` : wan(yuan);
}

/** An instant or a calendar day as yyyy-MM-dd in China. */
export function day(value: string | Date | undefined): string {
  if (!value) return '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return chinaDay.format(new Date(value));
}

export const dateTime = (value: string) => `${day(value)} ${chinaTime.format(new Date(value))}`;

export const today = () => chinaDay.format(new Date());

export const currentYear = () => Number(today().slice(0, 4));

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
