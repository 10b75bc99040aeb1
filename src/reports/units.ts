/** The year of a `YYYY-MM-DD` day. */
export const yearOf = (day: string) => Number(day.slice(0, 4));
