import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { achievement, exactAchievement, rangeErrors, type Polarity } from '../../src/domain/achievement.js';
import { D, formatDecimal } from '../../src/domain/decimal.js';

type Row = [min: string, max: string, polarity: Polarity, realization: string, expected: string | null, category: string];

describe('ranged targets (DOMAIN.md "Ranged targets")', () => {
  it.each<Row>([
    // the worked cases
    ['80', '90', 'higher_is_better', '70', '87.50', 'high'],
    ['80', '90', 'higher_is_better', '92', '102.22', 'very_high'],
    ['80', '90', 'higher_is_better', '85', '100.00', 'very_high'],
    ['7', '8', 'lower_is_better', '6.5', '107.14', 'very_high'],
    ['7', '8', 'lower_is_better', '9', '87.50', 'high'],
    // the bounds themselves are inside the range
    ['80', '90', 'higher_is_better', '80', '100.00', 'very_high'],
    ['80', '90', 'higher_is_better', '90', '100.00', 'very_high'],
    ['7', '8', 'lower_is_better', '7', '100.00', 'very_high'],
    ['7', '8', 'lower_is_better', '8', '100.00', 'very_high'],
    ['7', '8', 'lower_is_better', '7.5', '100.00', 'very_high'],
    // higher above the range is not capped; lower above the range is floored at 0
    ['80', '90', 'higher_is_better', '180', '200.00', 'very_high'],
    ['7', '8', 'lower_is_better', '16', '0.00', 'very_low'],
    ['7', '8', 'lower_is_better', '20', '0.00', 'very_low'],
    ['7', '8', 'lower_is_better', '0', '200.00', 'very_high'],
    // rounding half up only at the end: 70/90.0001 … and 2/3 cases
    ['3', '4', 'higher_is_better', '2', '66.67', 'medium'],
    ['0.3', '0.6', 'higher_is_better', '0.1', '33.33', 'very_low'],
    ['2.5', '3', 'higher_is_better', '2.4995', '99.98', 'very_high'],
  ])('[%s, %s] %s, R %s -> %s (%s)', (min, max, polarity, r, expected, category) => {
    expect(achievement({ target: { min, max }, realization: r, polarity })).toEqual({ achievement: expected, category });
  });

  it('no realization is no_data', () => {
    expect(achievement({ target: { min: '1', max: '2' }, realization: null, polarity: 'higher_is_better' }))
      .toEqual({ achievement: null, category: 'no_data' });
  });

  it.each([
    ['0', '5', ['min']],
    ['-1', '5', ['min']],
    ['5', '5', ['max']],
    ['6', '5', ['max']],
    ['0', '0', ['min', 'max']],
    ['0.0001', '0.0002', []],
  ])('rangeErrors(%s, %s) names %j', (min, max, paths) => {
    expect(rangeErrors(min, max, { min: 'min', max: 'max' }).map((e) => e.path)).toEqual(paths);
  });
});

// Decimal strings with up to 4 places, positive for bounds.
const scaled = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => formatDecimal(new D(n).div(10_000)));
const polarity = fc.constantFrom<Polarity>('higher_is_better', 'lower_is_better');
const rangeArb = fc.tuple(scaled(1, 10_000_000), scaled(1, 10_000_000)).filter(([a, b]) => a !== b)
  .map(([a, b]) => (new D(a).lt(b) ? { min: a, max: b } : { min: b, max: a }));

describe('ranged achievement properties', () => {
  it('is 100 at both bounds, from the inside rule and from each outside formula', () => {
    fc.assert(fc.property(rangeArb, polarity, (range, p) => {
      for (const bound of [range.min, range.max]) {
        expect(achievement({ target: range, realization: bound, polarity: p }).achievement).toBe('100.00');
        // the outside formula evaluated at the bound (target = the bound) is exactly 100 too
        expect(exactAchievement({ target: bound, realization: bound, polarity: p })).toEqual(new D(100));
      }
    }));
  });

  it('is continuous at the bounds: one ten-thousandth outside moves it by at most 0.0001 / bound x 100 ', () => {
    fc.assert(fc.property(rangeArb, polarity, (range, p) => {
      const eps = new D('0.0001');
      const below = new D(range.min).minus(eps).toFixed();
      const above = new D(range.max).plus(eps).toFixed();
      const aBelow = exactAchievement({ target: range, realization: below, polarity: p }) as InstanceType<typeof D>;
      const aAbove = exactAchievement({ target: range, realization: above, polarity: p }) as InstanceType<typeof D>;
      const slack = new D('1e-40'); // the 50-digit quotients round in their last digit
      expect(aBelow.minus(100).abs().lte(eps.div(range.min).times(100).plus(slack))).toBe(true);
      expect(aAbove.minus(100).abs().lte(eps.div(range.max).times(100).plus(slack))).toBe(true);
    }));
  });

  it('outside the range equals the single-target rule against the bound crossed; inside it is 100', () => {
    fc.assert(fc.property(rangeArb, scaled(0, 20_000_000), polarity, (range, r, p) => {
      const got = achievement({ target: range, realization: r, polarity: p });
      const rd = new D(r);
      if (rd.lt(range.min)) expect(got).toEqual(achievement({ target: range.min, realization: r, polarity: p }));
      else if (rd.gt(range.max)) expect(got).toEqual(achievement({ target: range.max, realization: r, polarity: p }));
      else expect(got.achievement).toBe('100.00');
    }));
  });

  it('agrees with exact decimal arithmetic rounded half up at the end', () => {
    fc.assert(fc.property(rangeArb, scaled(0, 20_000_000), polarity, (range, r, p) => {
      const exact = exactAchievement({ target: range, realization: r, polarity: p });
      expect(achievement({ target: range, realization: r, polarity: p }).achievement).toBe(formatDecimal(exact as InstanceType<typeof D>, 2));
    }));
  });
});
