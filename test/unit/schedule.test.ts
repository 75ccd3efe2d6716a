import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultSchedule, dueDateEnd, isCalendarDate, isOnTime, measurementDueOf, ratePercent, reportTrackOf,
} from '../../src/domain/schedule.js';

describe('defaultSchedule', () => {
  it.each([
    // year, Q1..Q4 due, regional LKjIP due, central LKjIP due (last day of February of the next year)
    [2025, ['2025-04-15', '2025-07-15', '2025-10-15', '2026-01-15'], '2026-03-31', '2026-02-28'],
    [2027, ['2027-04-15', '2027-07-15', '2027-10-15', '2028-01-15'], '2028-03-31', '2028-02-29'],
    [2099, ['2099-04-15', '2099-07-15', '2099-10-15', '2100-01-15'], '2100-03-31', '2100-02-28'], // 2100 is not a leap year
    [2399, ['2399-04-15', '2399-07-15', '2399-10-15', '2400-01-15'], '2400-03-31', '2400-02-29'], // 2400 is
  ] as const)('%i', (year, [Q1, Q2, Q3, Q4], regional, central) => {
    expect(defaultSchedule(year)).toEqual({ measurementDue: { Q1, Q2, Q3, Q4 }, reportDue: { regional, central } });
  });
});

describe('due dates end at midnight WIB (UTC+7)', () => {
  it.each([
    ['2025-04-15T16:59:59.999Z', true], // 23:59:59.999 WIB on the due date
    ['2025-04-15T16:59:59Z', true],
    ['2025-04-15T17:00:00Z', false], // 00:00:00 WIB the next day
    ['2025-04-14T17:00:00Z', true], // 00:00 WIB on the due date
    ['2025-04-16T00:00:00Z', false],
  ])('%s on time for 2025-04-15: %s', (at, expected) => {
    expect(isOnTime(new Date(at), '2025-04-15')).toBe(expected);
  });
  it('crosses months and years', () => {
    expect(dueDateEnd('2025-12-31').toISOString()).toBe('2025-12-31T17:00:00.000Z');
    expect(dueDateEnd('2028-02-29').toISOString()).toBe('2028-02-29T17:00:00.000Z');
  });
});

describe('measurementDueOf', () => {
  const s = defaultSchedule(2025);
  it.each([['2025Q1', '2025-04-15'], ['2025Q3', '2025-10-15'], ['2025Q4', '2026-01-15'], ['2025', '2026-01-15']])('%s -> %s', (p, due) => {
    expect(measurementDueOf(s, p)).toBe(due);
  });
});

describe('reportTrackOf: the nearest government on the path decides', () => {
  it.each([
    [['ministry'], 'central'],
    [['institution', 'unit'], 'central'],
    [['ministry', 'department', 'unit'], 'central'],
    [['province'], 'regional'],
    [['province', 'regency', 'department'], 'regional'],
    [['city', 'department', 'unit'], 'regional'],
    [['national', 'province', 'department'], 'regional'],
    [['national'], 'central'],
    [['department'], 'regional'],
  ] as const)('%j -> %s', (kinds, track) => {
    expect(reportTrackOf(kinds)).toBe(track);
  });
});

describe('ratePercent', () => {
  it.each([
    [0, 0, null], [0, 3, '0.00'], [1, 3, '33.33'], [2, 3, '66.67'], [1, 8, '12.50'], [1, 800, '0.13'], [1, 1600, '0.06'], [3, 3, '100.00'],
  ] as const)('%i / %i -> %s', (part, whole, expected) => {
    expect(ratePercent(part, whole)).toBe(expected);
  });
  it('agrees with exact integer arithmetic (half up)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (whole, raw) => {
      const part = raw % (whole + 1);
      // hundredths of a percent, rounded half up: floor((part × 10000 × 2 + whole) / (2 × whole))
      const h = (BigInt(part) * 20000n + BigInt(whole)) / (2n * BigInt(whole));
      expect(ratePercent(part, whole)).toBe(`${h / 100n}.${String(h % 100n).padStart(2, '0')}`);
    }));
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2025-02-28', true], ['2024-02-29', true], ['2025-02-29', false], ['2025-04-31', false], ['2025-13-01', false],
    ['2025-00-10', false], ['2025-1-15', false], ['15-01-2025', false], ['2025-01-15T00:00:00Z', false], ['1900-02-29', false], ['2000-02-29', true],
  ])('%s: %s', (s, ok) => {
    expect(isCalendarDate(s)).toBe(ok);
  });
});
