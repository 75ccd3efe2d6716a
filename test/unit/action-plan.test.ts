import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviates, impliedAnnual, type QuarterTargets } from '../../src/domain/action-plan.js';
import { D, formatDecimal } from '../../src/domain/decimal.js';

describe('implied annual figure of four quarter targets', () => {
  it.each<[string, QuarterTargets, string]>([
    ['sum', ['20', '25', '25', '30'], '100'],
    ['sum', ['0.1', '0.2', '0.3', '0.4'], '1'], // no binary drift
    ['last', ['20', '40', '60', '85'], '85'],
    ['last', ['90', '80', '70', '0'], '0'], // Q4 even when 0
    ['average', ['70', '80', '85', '90'], '81.25'],
    ['average', ['1', '1', '1', '1.0001'], '1'], // 1.000025 -> 1.0000 (4 places, half up)
    ['average', ['1', '1', '1', '1.0002'], '1.0001'], // 1.00005 -> 1.0001 (half up)
    ['average', ['0.0001', '0', '0', '0'], '0'], // 0.000025 -> 0.0000
  ])('%s of %j is %s', (agg, qs, want) => {
    expect(impliedAnnual(agg as 'sum' | 'last' | 'average', qs)).toBe(want);
  });

  it.each<[string, string | { min: string; max: string } | null, boolean]>([
    ['100', '100', false],
    ['100', '100.0000', false],
    ['99.9999', '100', true],
    ['85', { min: '80', max: '90' }, false],
    ['80', { min: '80', max: '90' }, false],
    ['90', { min: '80', max: '90' }, false],
    ['79.9999', { min: '80', max: '90' }, true],
    ['90.0001', { min: '80', max: '90' }, true],
    ['5', null, false],
  ])('implied %s against %j deviates: %s', (implied, target, want) => {
    expect(deviates(implied, target)).toBe(want);
  });

  it('sum is the exact sum; average is that sum / 4 rounded half up to 4 places', () => {
    const v = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => formatDecimal(new D(n).div(10_000)));
    fc.assert(fc.property(v, v, v, v, (a, b, c, d) => {
      const sum = new D(a).plus(b).plus(c).plus(d);
      expect(new D(impliedAnnual('sum', [a, b, c, d])).eq(sum)).toBe(true);
      expect(impliedAnnual('average', [a, b, c, d])).toBe(formatDecimal(sum.div(4).toDecimalPlaces(4, D.ROUND_HALF_UP)));
      expect(impliedAnnual('last', [a, b, c, d])).toBe(formatDecimal(d));
    }));
  });
});
