import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { type Polarity, achievement, categoryOf } from '../../src/domain/achievement.js';
import { aggregateRealization } from '../../src/domain/aggregation.js';
import { divHalfUp, formatScaled, parsePlain, parseScaled } from '../../src/domain/fixed.js';
import { absorption, summarize } from '../../src/domain/summary.js';

/** Independent reference arithmetic, far more precise than anything under test. */
const Ref = Decimal.clone({ precision: 120 });
const half = (d: Decimal, places: number) => d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
const fixed = (d: Decimal, places: number) => half(d, places).toFixed(places).replace(/^-(0\.0+)$/, '$1');

/** Plain decimal strings with up to 4 places and up to 20 integer digits, as numeric(24,4) gives them. */
const value = fc
  .tuple(fc.bigInt({ min: -(10n ** 24n) + 1n, max: 10n ** 24n - 1n }), fc.integer({ min: 0, max: 4 }), fc.boolean())
  .map(([n, places, pad]) => {
    const s = new Ref(n.toString()).div(10 ** 4).toDecimalPlaces(places, Decimal.ROUND_DOWN);
    return pad ? s.toFixed(4) : s.toFixed(); // "12.3400" as the database sends it, or "12.34"
  });
const small = fc
  .tuple(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), fc.integer({ min: 0, max: 4 }))
  .map(([n, places]) => new Ref(n.toString()).div(10 ** places).toFixed());

describe('fixed-point helpers', () => {
  it.each([
    ['0', 0n], ['-0', 0n], ['12.34', 123400n], ['12.3400', 123400n], ['-0.0001', -1n], ['99999999999999999999.9999', 999999999999999999999999n],
  ] as const)('parseScaled(%j) = %s', (s, v) => expect(parseScaled(s)).toBe(v));

  it.each(['', '1.', '.5', '+1', '1e3', '0x1f', ' 1', '1.23456', '123456789012345678901', 'NaN'])('parseScaled(%j) is null (Decimal path)', (s) => {
    expect(parseScaled(s)).toBeNull();
  });

  it('parseScaled (one pass over the characters) takes and gives exactly what the definition does', () => {
    const chars = fc.constantFrom(...'-0123456789.'.split(''), '+', 'e', ' ');
    const near = fc.array(chars, { maxLength: 18 }).map((a) => a.join(''));
    fc.assert(fc.property(fc.oneof(value, small, near), (s) => parseScaled(s) === parsePlain(s)), { numRuns: 5000 });
  });

  it('parseScaled takes only strings', () => {
    expect(parseScaled(12)).toBeNull();
    expect(parseScaled(new Decimal(12))).toBeNull();
  });

  it.each([
    [5n, 2n, 3n], [-5n, 2n, -3n], [4n, 3n, 1n], [-4n, 3n, -1n], [0n, 7n, 0n], [7n, 7n, 1n], [1n, 3n, 0n], [2n, 3n, 1n],
  ])('divHalfUp(%s, %s) = %s (ties away from zero)', (n, d, q) => expect(divHalfUp(n, d)).toBe(q));

  it.each([
    [0n, 2, false, '0.00'], [5n, 2, false, '0.05'], [-5n, 2, false, '-0.05'], [10000n, 2, false, '100.00'],
    [123400n, 4, true, '12.34'], [100000n, 4, true, '10'], [0n, 4, true, '0'], [-1n, 4, true, '-0.0001'],
  ] as const)('formatScaled(%s, %s, %s) = %j', (v, places, trim, s) => expect(formatScaled(v, places, trim)).toBe(s));
});

describe('exact fast paths equal the decimal rules', () => {
  const polarity = fc.constantFrom<Polarity>('higher_is_better', 'lower_is_better');

  it('achievement for any numeric(24,4) target and realization', () => {
    fc.assert(
      fc.property(value, value, polarity, (t, r, p) => {
        const T = new Ref(t);
        const R = new Ref(r);
        let expected: string | null;
        if (T.isNegative() && !T.isZero()) expected = null;
        else if (T.isZero()) expected = (p === 'higher_is_better' ? R.gte(0) : R.lte(0)) ? '100.00' : '0.00';
        else expected = fixed(p === 'higher_is_better' ? R.times(100).div(T) : Ref.max(0, T.times(2).minus(R).times(100).div(T)), 2);
        const got = achievement({ target: t, realization: r, polarity: p });
        expect(got.achievement).toBe(expected);
        expect(got.category).toBe(expected === null ? 'not_computable' : categoryOf(expected));
      }),
      { numRuns: 3000 },
    );
  });

  it('strings and numbers give the same achievement (numbers take the Decimal path)', () => {
    fc.assert(
      fc.property(small, small, polarity, (t, r, p) => {
        expect(achievement({ target: t, realization: r, polarity: p })).toEqual(achievement({ target: Number(t), realization: Number(r), polarity: p }));
      }),
      { numRuns: 1000 },
    );
  });

  it('aggregation of up to four quarters, and the annual override', () => {
    const quarters = fc.array(fc.option(value, { nil: null }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(quarters, fc.option(value, { nil: null }), (values, annual) => {
        const qs = values.map((v, i) => ({ period: `2025Q${i + 1}`, value: v }));
        const present = values.filter((v): v is string => v !== null).map((v) => new Ref(v));
        const sum = present.reduce((a, b) => a.plus(b), new Ref(0));
        const want = (x: Decimal) => (x.isZero() ? '0' : x.toFixed());
        for (const aggregation of ['sum', 'last', 'average'] as const) {
          let expected: string | null;
          if (annual !== null) expected = want(new Ref(annual));
          else if (present.length === 0) expected = null;
          else if (aggregation === 'sum') expected = want(sum);
          else if (aggregation === 'last') expected = want(present[present.length - 1]);
          else expected = want(half(sum.div(present.length), 4));
          expect(aggregateRealization({ aggregation, quarters: qs, annual })).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('absorption and the summary mean', () => {
    fc.assert(
      fc.property(value, value, fc.array(value, { minLength: 1, maxLength: 30 }), (allocated, realized, shown) => {
        const A = new Ref(allocated);
        expect(absorption(allocated, realized)).toBe(A.lte(0) ? null : fixed(new Ref(realized).times(100).div(A), 2));
        const results = shown.map((a) => ({ achievement: a, category: 'high' as const }));
        const mean = shown.reduce((s, a) => s.plus(a), new Ref(0)).div(shown.length);
        expect(summarize(results).meanAchievement).toBe(fixed(mean, 2));
      }),
      { numRuns: 2000 },
    );
  });
});
