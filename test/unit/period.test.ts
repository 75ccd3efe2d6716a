import { describe, expect, it } from 'vitest';
import {
  PERIOD_PATTERN,
  PERIOD_REGEX,
  comparePeriods,
  formatPeriod,
  isQuarter,
  isValidPeriod,
  isYear,
  parsePeriod,
  periodWithinYears,
  periodYear,
  quartersOf,
} from '../../src/domain/period.js';

describe('parsePeriod', () => {
  it.each([
    ['2025', { year: 2025, quarter: null }],
    ['2025Q1', { year: 2025, quarter: 1 }],
    ['2025Q2', { year: 2025, quarter: 2 }],
    ['2025Q3', { year: 2025, quarter: 3 }],
    ['2025Q4', { year: 2025, quarter: 4 }],
    ['1999', { year: 1999, quarter: null }],
    ['9999Q4', { year: 9999, quarter: 4 }],
  ])('accepts %j', (s, expected) => {
    expect(parsePeriod(s)).toEqual(expected);
    expect(isValidPeriod(s)).toBe(true);
    expect(PERIOD_REGEX.test(s)).toBe(true);
  });

  it.each([
    '2025Q5', '2025Q0', '25Q1', '2025-Q1', '2025q1', ' 2025', '2025 ', '2025\n', '20250', '202', '0999',
    '2025Q', '2025Q12', 'Q1 2025', '2025-01', '', '+2025', '２０２５', '2025Q1Q2',
  ])('rejects %j', (s) => {
    expect(parsePeriod(s)).toBeNull();
    expect(isValidPeriod(s)).toBe(false);
    expect(new RegExp(PERIOD_PATTERN).test(s)).toBe(false);
  });

  it.each([null, undefined, 2025, {}, ['2025']])('rejects non-string %j', (s) => {
    expect(parsePeriod(s)).toBeNull();
    expect(isValidPeriod(s)).toBe(false);
  });
});

describe('period helpers', () => {
  it('tells years from quarters', () => {
    expect(isQuarter('2025Q3')).toBe(true);
    expect(isQuarter('2025')).toBe(false);
    expect(isQuarter('2025Q5')).toBe(false);
    expect(isYear('2025')).toBe(true);
    expect(isYear('2025Q1')).toBe(false);
  });

  it('periodYear returns the year and throws on invalid input', () => {
    expect(periodYear('2025')).toBe(2025);
    expect(periodYear('2026Q4')).toBe(2026);
    expect(() => periodYear('2025Q5')).toThrow(RangeError);
  });

  it('formatPeriod round-trips and validates', () => {
    expect(formatPeriod(2025)).toBe('2025');
    expect(formatPeriod(2025, 3)).toBe('2025Q3');
    expect(() => formatPeriod(25)).toThrow(RangeError);
    expect(() => formatPeriod(2025, 5 as never)).toThrow(RangeError);
  });

  it('quartersOf lists the four quarters in order', () => {
    expect(quartersOf(2025)).toEqual(['2025Q1', '2025Q2', '2025Q3', '2025Q4']);
  });

  it('comparePeriods orders by year, annual first, then quarters', () => {
    const sorted = ['2026Q1', '2025Q4', '2025', '2026', '2025Q1'].sort(comparePeriods);
    expect(sorted).toEqual(['2025', '2025Q1', '2025Q4', '2026', '2026Q1']);
  });

  it.each([
    ['2025', 2025, 2029, true],
    ['2029Q4', 2025, 2029, true],
    ['2025Q1', 2025, 2029, true],
    ['2024Q4', 2025, 2029, false],
    ['2030', 2025, 2029, false],
    ['2030Q1', 2025, 2029, false],
    ['2025Q5', 2025, 2029, false],
  ] as const)('periodWithinYears(%j, %i, %i) = %s', (p, start, end, expected) => {
    expect(periodWithinYears(p, start, end)).toBe(expected);
  });
});
