/**
 * Reporting periods (DOMAIN.md "Periods"): a year `YYYY` or a quarter (triwulan) `YYYYQn`, n in 1..4.
 * Everything else (`2025Q5`, `25Q1`, `2025-Q1`, `2025q1`, `2025Q0`, ` 2025`) is invalid input.
 */

export type Quarter = 1 | 2 | 3 | 4;
export interface Period {
  year: number;
  /** null for an annual period. */
  quarter: Quarter | null;
}

/**
 * Anchored pattern, usable as an OpenAPI `pattern` and, through PERIOD_REGEX, in zod's `.regex()`.
 * Years start with 1-9: a year `0999` is a typo, not a reporting year.
 */
export const PERIOD_PATTERN = '^[1-9][0-9]{3}(Q[1-4])?$';
export const PERIOD_REGEX = new RegExp(PERIOD_PATTERN);

export function parsePeriod(s: unknown): Period | null {
  if (typeof s !== 'string' || !PERIOD_REGEX.test(s)) return null;
  const year = Number(s.slice(0, 4));
  const quarter = s.length === 6 ? (Number(s[5]) as Quarter) : null;
  return { year, quarter };
}

export function isValidPeriod(s: unknown): s is string {
  return parsePeriod(s) !== null;
}

/** True for `YYYYQn` only. */
export function isQuarter(s: unknown): boolean {
  return parsePeriod(s)?.quarter != null;
}

/** True for `YYYY` only. */
export function isYear(s: unknown): boolean {
  const p = parsePeriod(s);
  return p !== null && p.quarter === null;
}

/** The year of a valid period; throws RangeError on invalid input (validate first). */
export function periodYear(s: string): number {
  const p = parsePeriod(s);
  if (!p) throw new RangeError(`invalid period: ${JSON.stringify(s)}`);
  return p.year;
}

/** `formatPeriod(2025)` -> `2025`, `formatPeriod(2025, 3)` -> `2025Q3`; throws on out-of-range input. */
export function formatPeriod(year: number, quarter: Quarter | null = null): string {
  const s = quarter === null ? String(year) : `${year}Q${quarter}`;
  if (!isValidPeriod(s)) throw new RangeError(`invalid period: year ${year}, quarter ${quarter}`);
  return s;
}

/** The four quarter periods of a year, in order. */
export function quartersOf(year: number): string[] {
  return ([1, 2, 3, 4] as const).map((q) => formatPeriod(year, q));
}

/**
 * Sort order: by year, then the annual period before its quarters, quarters in order.
 * Throws on invalid periods.
 */
export function comparePeriods(a: string, b: string): number {
  const pa = parsePeriod(a);
  const pb = parsePeriod(b);
  if (!pa || !pb) throw new RangeError(`invalid period: ${JSON.stringify(pa ? b : a)}`);
  return pa.year - pb.year || (pa.quarter ?? 0) - (pb.quarter ?? 0);
}

/**
 * A measurement or target period must fall inside the years of the indicator's plan (inclusive).
 * False for an invalid period.
 */
export function periodWithinYears(period: string, startYear: number, endYear: number): boolean {
  const p = parsePeriod(period);
  return p !== null && p.year >= startYear && p.year <= endYear;
}
