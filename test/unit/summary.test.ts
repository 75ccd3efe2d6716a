import { describe, expect, it } from 'vitest';
import { absorption, summarize } from '../../src/domain/summary.js';

const zero = { very_high: 0, high: 0, medium: 0, low: 0, very_low: 0, not_computable: 0, no_data: 0 };

describe('summarize', () => {
  it('lists every category even with no indicator', () => {
    expect(summarize([])).toEqual({ indicators: 0, byCategory: zero, meanAchievement: null });
  });

  it('counts by category and averages only the computable achievements', () => {
    const s = summarize([
      { achievement: '100.00', category: 'very_high' },
      { achievement: '66.67', category: 'medium' },
      { achievement: '50.00', category: 'very_low' },
      { achievement: null, category: 'not_computable' },
      { achievement: null, category: 'no_data' },
      { achievement: null, category: 'no_data' },
    ]);
    expect(s).toEqual({
      indicators: 6,
      byCategory: { ...zero, very_high: 1, medium: 1, very_low: 1, not_computable: 1, no_data: 2 },
      meanAchievement: '72.22', // 216.67 / 3 = 72.2233…
    });
  });

  it('rounds the mean half up to 2 decimals', () => {
    const s = summarize([
      { achievement: '66.67', category: 'medium' },
      { achievement: '66.66', category: 'medium' },
    ]);
    expect(s.meanAchievement).toBe('66.67'); // 66.665
  });

  it('has no mean when nothing is computable', () => {
    expect(summarize([{ achievement: null, category: 'no_data' }]).meanAchievement).toBeNull();
  });
});

describe('absorption', () => {
  it.each([
    ['1000', '750', '75.00'],
    ['3', '2', '66.67'],
    ['200', '101.01', '50.51'], // 50.505 half up
    ['100', '120', '120.00'], // overspending is not capped
    ['1000000000.5', '0', '0.00'],
    [1000, 333.3333, '33.33'],
    ['0', '5', null],
    ['-10', '5', null],
    [null, '5', null],
    [undefined, '5', null],
    ['1000', null, null],
  ] as const)('allocated %j, realized %j -> %j', (allocated, realized, expected) => {
    expect(absorption(allocated, realized)).toBe(expected);
  });
});
