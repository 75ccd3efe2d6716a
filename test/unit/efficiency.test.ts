import { describe, expect, it } from 'vitest';
import { efficiency, objectiveAchievement } from '../../src/domain/efficiency.js';

describe('efficiency (DOMAIN.md "Efficiency")', () => {
  const cases: Array<[string | null, string | null, string | null, string]> = [
    // the two published LAKIP cases
    ['99.92', '94.00', '1.063', 'efficient'],
    ['100.00', '99.21', '1.008', 'efficient'],
    // boundaries and rounding
    ['94.00', '94.00', '1.000', 'efficient'],
    ['93.96', '94.00', '1.000', 'efficient'], // 0.999574… rounds half up to 1.000
    ['93.90', '94.00', '0.999', 'inefficient'], // 0.998936…
    ['50.00', '100.00', '0.500', 'inefficient'],
    ['120.50', '60.25', '2.000', 'efficient'],
    ['1.00', '0.01', '100.000', 'efficient'],
    ['0.00', '50.00', '0.000', 'inefficient'],
    ['66.67', '133.33', '0.500', 'inefficient'], // 0.500037…
    ['100.05', '200.00', '0.500', 'inefficient'], // 0.50025 -> 0.500
    ['100.10', '200.00', '0.501', 'inefficient'], // 0.5005 exactly -> half up
    // nothing to compute
    [null, '94.00', null, 'not_computable'],
    ['99.92', null, null, 'not_computable'],
    [null, null, null, 'not_computable'],
    ['99.92', '0.00', null, 'not_computable'],
    ['99.92', '0', null, 'not_computable'],
  ];
  it.each(cases)('achievement %s, absorption %s -> %s %s', (ach, abs, index, category) => {
    expect(efficiency(ach, abs)).toEqual({ index, category });
  });
});

describe('objectiveAchievement', () => {
  it('averages only the computable rounded achievements, half up to 2 places', () => {
    expect(objectiveAchievement([
      { achievement: '66.67', category: 'medium' },
      { achievement: '66.66', category: 'medium' },
      { achievement: null, category: 'no_data' },
    ])).toBe('66.67');
  });
  it('is null without a computable indicator', () => {
    expect(objectiveAchievement([{ achievement: null, category: 'not_computable' }])).toBeNull();
    expect(objectiveAchievement([])).toBeNull();
  });
});
