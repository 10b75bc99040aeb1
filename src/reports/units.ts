/** Amounts are stored in whole yuan; reports show 万元 and 亿元. */
export const toWan = (yuan: number) => yuan / 10_000;

/** 亿元 with two decimals, as a bureau's report writes it. */
export const yiText = (yuan: number) => (yuan / 100_000_000).toFixed(2);

/** 万元 with two decimals and thousands separators. */
export const wanText = (yuan: number) =>
  toWan(yuan).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const percentText = (share: number) => `${Math.round(share * 100)}%`;

const DAY_MS = 86_400_000;

/** UTC midnight of a `YYYY-MM-DD` day, for counting calendar days between days. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

export const daysBetween = (from: string, to: string) => Math.round((dayStart(to) - dayStart(from)) / DAY_MS);

/** The year of a `YYYY-MM-DD` day. */
export const yearOf = (day: string) => Number(day.slice(0, 4));
