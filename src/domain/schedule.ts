/**
 * Deadlines, completeness and timeliness (DOMAIN.md "Deadlines, completeness and timeliness").
 * Due dates are calendar dates in WIB (Waktu Indonesia Barat, UTC+7): something is on time when it
 * was recorded before 00:00:00 WIB of the day after the due date.
 */
import { D, formatDecimal } from './decimal.js';

export const QUARTERS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
export type QuarterKey = (typeof QUARTERS)[number];

/** Jadwal of a year: measurement due dates per quarter and the LKjIP due dates, `YYYY-MM-DD`. */
export type Schedule = {
  measurementDue: Record<QuarterKey, string>;
  reportDue: { regional: string; central: string };
};

/** Which LKjIP due date applies: ministries and institutions (central) or regional governments. */
export type ReportTrack = 'central' | 'regional';

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

export const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** A real calendar date `YYYY-MM-DD` (no 2025-02-29, no 2025-13-01). */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/**
 * The defaults: measurements of a quarter are due on the 15th day after it ends (Q1 -> 15 April,
 * Q4 -> 15 January of the next year); the LKjIP on 31 March of the next year for regional
 * governments and their departments, and on the last day of February of the next year for
 * ministries and institutions.
 */
export function defaultSchedule(year: number): Schedule {
  const next = year + 1;
  return {
    measurementDue: { Q1: ymd(year, 4, 15), Q2: ymd(year, 7, 15), Q3: ymd(year, 10, 15), Q4: ymd(next, 1, 15) },
    reportDue: { regional: ymd(next, 3, 31), central: ymd(next, 2, isLeapYear(next) ? 29 : 28) },
  };
}

/** The instant a due date ends: 00:00:00 WIB of the next day. On time = strictly before it. */
export function dueDateEnd(dueDate: string): Date {
  const start = Date.parse(`${dueDate}T00:00:00+07:00`);
  if (Number.isNaN(start)) throw new RangeError(`not a date: ${dueDate}`);
  return new Date(start + 24 * 60 * 60 * 1000);
}

export const isOnTime = (at: Date, dueDate: string) => at.getTime() < dueDateEnd(dueDate).getTime();

/** The due date of a period's measurements: a quarter's own, and for the year the Q4 one (the
 * annual realization is known when the year's last quarter is). */
export function measurementDueOf(schedule: Schedule, period: string): string {
  const q = /Q([1-4])$/.exec(period);
  return q ? schedule.measurementDue[`Q${q[1]}` as QuarterKey] : schedule.measurementDue.Q4;
}

const CENTRAL_KINDS: ReadonlySet<string> = new Set(['ministry', 'institution', 'national']);
const REGIONAL_KINDS: ReadonlySet<string> = new Set(['province', 'regency', 'city']);

/**
 * The LKjIP track of an agency from the kinds on its path (root first, the agency last): the
 * nearest agency that is a government decides. Ministries, institutions (kementerian/lembaga) and
 * the national root are central; provinces, regencies and cities are regional; a department or
 * unit follows the government above it, and one with none above it counts as regional.
 */
export function reportTrackOf(kindsRootFirst: readonly string[]): ReportTrack {
  for (let i = kindsRootFirst.length - 1; i >= 0; i--) {
    if (CENTRAL_KINDS.has(kindsRootFirst[i])) return 'central';
    if (REGIONAL_KINDS.has(kindsRootFirst[i])) return 'regional';
  }
  return 'regional';
}

/** part / whole × 100 rounded half up to 2 decimals; null when nothing is expected (whole 0). */
export function ratePercent(part: number, whole: number): string | null {
  if (whole <= 0) return null;
  return formatDecimal(new D(part).times(100).div(whole), 2);
}
