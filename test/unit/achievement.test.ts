import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  ACHIEVEMENT_CATEGORIES,
  type Category,
  type Polarity,
  achievement,
  categoryOf,
} from '../../src/domain/achievement.js';

type Row = [target: string | number | null | undefined, realization: string | number | null | undefined, expected: string | null, category: Category];

describe('achievement, higher_is_better (DOMAIN.md table)', () => {
  it.each<Row>([
    // T > 0: R / T × 100, not capped above 100
    ['100', '80', '80.00', 'high'],
    ['100', '100', '100.00', 'very_high'],
    ['100', '120', '120.00', 'very_high'],
    ['100', '0', '0.00', 'very_low'],
    ['100', '-10', '-10.00', 'very_low'],
    ['3', '2', '66.67', 'medium'], // 2/3 -> 66.666… -> 66.67
    ['200', '101.01', '50.51', 'very_low'], // 50.505 rounds half up, still below 51
    ['200', '181.99', '91.00', 'very_high'], // 90.995 -> 91.00: category from the rounded value
    ['8', '0.01', '0.13', 'very_low'], // 0.125 -> 0.13
    ['0.1', 0.7, '700.00', 'very_high'], // binary floats would give 699.99999…
    ['0.3', '0.1', '33.33', 'very_low'],
    ['0.0001', '999999999999999.9999', '999999999999999999900.00', 'very_high'],
    // T = 0: 100 if R ≥ 0, else 0
    ['0', '0', '100.00', 'very_high'],
    ['0', '5', '100.00', 'very_high'],
    ['0', '-0.0001', '0.00', 'very_low'],
    // T < 0: not computable
    ['-5', '3', null, 'not_computable'],
    ['-0.0001', '-1', null, 'not_computable'],
    // missing values
    [null, '10', null, 'no_data'],
    ['10', null, null, 'no_data'],
    [undefined, undefined, null, 'no_data'],
    ['-5', null, null, 'no_data'], // nothing to compute from at all
  ])('T=%j R=%j -> %j %s', (target, realization, expected, category) => {
    expect(achievement({ target, realization, polarity: 'higher_is_better' })).toEqual({ achievement: expected, category });
  });
});

describe('achievement, lower_is_better (DOMAIN.md table)', () => {
  it.each<Row>([
    // T > 0: max(0, (2T − R) / T × 100)
    ['10', '8', '120.00', 'very_high'],
    ['10', '10', '100.00', 'very_high'],
    ['10', '12', '80.00', 'high'],
    ['10', '15', '50.00', 'very_low'],
    ['10', '20', '0.00', 'very_low'],
    ['10', '25', '0.00', 'very_low'], // floored at 0
    ['10', '0', '200.00', 'very_high'],
    ['3', '4', '66.67', 'medium'],
    ['200', '218.01', '91.00', 'very_high'], // 90.995 -> 91.00
    ['200', '298.99', '50.51', 'very_low'], // 50.505 -> 50.51
    // T = 0: 100 if R ≤ 0, else 0
    ['0', '0', '100.00', 'very_high'],
    ['0', '-3', '100.00', 'very_high'],
    ['0', '0.0001', '0.00', 'very_low'],
    // T < 0
    ['-1', '-2', null, 'not_computable'],
    // missing
    [null, '1', null, 'no_data'],
    ['1', undefined, null, 'no_data'],
  ])('T=%j R=%j -> %j %s', (target, realization, expected, category) => {
    expect(achievement({ target, realization, polarity: 'lower_is_better' })).toEqual({ achievement: expected, category });
  });
});

describe('categoryOf (half-open bands)', () => {
  it.each([
    ['1000', 'very_high'],
    ['100', 'very_high'],
    ['91', 'very_high'],
    ['91.00', 'very_high'],
    ['90.99', 'high'],
    ['76', 'high'],
    ['75.99', 'medium'],
    ['66', 'medium'],
    ['65.99', 'low'],
    ['51', 'low'],
    ['50.99', 'very_low'],
    ['0', 'very_low'],
    ['-20', 'very_low'],
  ] as const)('%s -> %s', (a, category) => {
    expect(categoryOf(a)).toBe(category);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Independent reference arithmetic: a separate, more precise Decimal constructor. */
const Ref = Decimal.clone({ precision: 80 });

/** A decimal string with up to 4 places, |x| < 1e12, as a client may send it. */
const decimal4 = (min: bigint, max: bigint) =>
  fc
    .tuple(fc.bigInt({ min, max }), fc.integer({ min: 0, max: 4 }))
    .map(([n, places]) => new Ref(n.toString()).div(10 ** places).toFixed());

const polarity = fc.constantFrom<Polarity>('higher_is_better', 'lower_is_better');

describe('achievement properties', () => {
  it('equals the DOMAIN.md formula computed independently (T > 0)', () => {
    fc.assert(
      fc.property(decimal4(1n, 10n ** 12n), decimal4(-(10n ** 12n), 10n ** 12n), polarity, (t, r, p) => {
        const T = new Ref(t);
        const R = new Ref(r);
        const exact = p === 'higher_is_better' ? R.div(T).times(100) : Ref.max(0, T.times(2).minus(R).div(T).times(100));
        const expected = exact.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2).replace(/^-(0\.00)$/, '$1');
        const result = achievement({ target: t, realization: r, polarity: p });
        expect(result.achievement).toBe(expected);
        expect(result.category).toBe(categoryOf(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it('categories are monotonic in achievement', () => {
    const rank = (c: string) => ACHIEVEMENT_CATEGORIES.length - ACHIEVEMENT_CATEGORIES.indexOf(c as never);
    fc.assert(
      fc.property(decimal4(-100_000n, 2_000_000n), decimal4(-100_000n, 2_000_000n), (a, b) => {
        const [lo, hi] = new Ref(a).lte(b) ? [a, b] : [b, a];
        expect(rank(categoryOf(lo))).toBeLessThanOrEqual(rank(categoryOf(hi)));
      }),
      { numRuns: 2000 },
    );
  });

  it('a higher realization never lowers achievement for higher_is_better, nor raises it for lower_is_better', () => {
    fc.assert(
      fc.property(decimal4(1n, 10n ** 9n), decimal4(0n, 10n ** 9n), decimal4(0n, 10n ** 9n), (t, r1, r2) => {
        const [lo, hi] = new Ref(r1).lte(r2) ? [r1, r2] : [r2, r1];
        const a = (r: string, p: Polarity) => new Ref(achievement({ target: t, realization: r, polarity: p }).achievement!);
        expect(a(lo, 'higher_is_better').lte(a(hi, 'higher_is_better'))).toBe(true);
        expect(a(lo, 'lower_is_better').gte(a(hi, 'lower_is_better'))).toBe(true);
      }),
    );
  });
});
