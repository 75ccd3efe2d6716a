import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { achievement } from '../../src/domain/achievement.js';
import { type Aggregation, type QuarterValue, aggregateRealization } from '../../src/domain/aggregation.js';

/** Quarter values for 2025 from a list where index 0 is Q1; null = no measurement that quarter. */
const qs = (...values: Array<string | null>): QuarterValue[] =>
  values.map((value, i) => ({ period: `2025Q${i + 1}`, value }));

describe('aggregateRealization', () => {
  it.each<[Aggregation, QuarterValue[], string | null, string | null]>([
    // sum (kumulatif): the quarters present
    ['sum', qs('10', '20', '30', '40'), null, '100'],
    ['sum', qs('10', '20', null, '40'), null, '70'],
    ['sum', qs('10'), null, '10'],
    ['sum', qs('0.1', '0.2'), null, '0.3'],
    ['sum', qs('-5', '2.5'), null, '-2.5'],
    // last (non-kumulatif): latest quarter that has a measurement
    ['last', qs('5', '7', '9', '11'), null, '11'],
    ['last', qs('5', '7', null, null), null, '7'],
    ['last', qs('5', '7'), null, '7'],
    ['last', qs(null, null, '4'), null, '4'],
    ['last', qs('5', null, '3', null), null, '3'],
    ['last', qs('5', '7', '9', '0'), null, '0'], // a measured 0 is a measurement
    // average: of the quarters present, rounded half up to 4 places
    ['average', qs('10', '20', '30', '40'), null, '25'],
    ['average', qs('10', null, '20'), null, '15'],
    ['average', qs('1', '2', '2'), null, '1.6667'],
    ['average', qs('0.0001', '0.0002'), null, '0.0002'], // 0.00015 -> 0.0002
    ['average', qs('-0.0001', '-0.0002'), null, '-0.0002'],
    // the annual measurement overrides every aggregation
    ['sum', qs('10', '20'), '50', '50'],
    ['last', qs('10', '20'), '50', '50'],
    ['average', qs('10', '20'), '50', '50'],
    ['sum', qs('10', '20'), '0', '0'],
    ['last', [], '12.5000', '12.5'],
    // no data at all
    ['sum', [], null, null],
    ['last', qs(null, null, null, null), null, null],
    ['average', qs(null), null, null],
  ])('%s of %j (annual %j) = %j', (aggregation, quarters, annual, expected) => {
    expect(aggregateRealization({ aggregation, quarters, annual })).toBe(expected);
  });

  it('does not depend on the order quarters are given in (last)', () => {
    const quarters = [
      { period: '2025Q3', value: '9' },
      { period: '2025Q1', value: '5' },
      { period: '2025Q2', value: '7' },
    ];
    expect(aggregateRealization({ aggregation: 'last', quarters })).toBe('9');
  });

  it('an average is used as rounded to 4 places (DOMAIN.md)', () => {
    // mean of 1, 2, 2 = 1.666…; rounded 1.6667 against T = 2 gives 83.335 -> 83.34
    // (the unrounded mean would give 83.333… -> 83.33)
    const realization = aggregateRealization({ aggregation: 'average', quarters: qs('1', '2', '2') });
    expect(realization).toBe('1.6667');
    expect(achievement({ target: '2', realization, polarity: 'higher_is_better' })).toEqual({
      achievement: '83.34',
      category: 'high',
    });
  });

  it.each(['2025', '2025Q5', 'Q1'])('throws on a quarter entry with period %j', (period) => {
    expect(() => aggregateRealization({ aggregation: 'sum', quarters: [{ period, value: '1' }] })).toThrow(RangeError);
  });
});

describe('aggregation properties', () => {
  const value = fc
    .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 4 }))
    .map(([n, p]) => new Decimal(n.toString()).div(10 ** p).toFixed());
  const sheet = fc
    .array(fc.option(value, { nil: null }), { minLength: 1, maxLength: 4 })
    .map((values) => qs(...values));

  it('sum and average are independent of the order of the quarters', () => {
    fc.assert(
      fc.property(
        sheet.chain((q) => fc.tuple(fc.constant(q), fc.shuffledSubarray(q, { minLength: q.length, maxLength: q.length }))),
        ([quarters, shuffled]) => {
          for (const aggregation of ['sum', 'average', 'last'] as const) {
            expect(aggregateRealization({ aggregation, quarters: shuffled })).toBe(
              aggregateRealization({ aggregation, quarters }),
            );
          }
        },
      ),
    );
  });

  it('average lies between the smallest and the largest quarter', () => {
    fc.assert(
      fc.property(sheet, (quarters) => {
        const present = quarters.map((q) => q.value).filter((v): v is string => v !== null);
        const avg = aggregateRealization({ aggregation: 'average', quarters });
        if (present.length === 0) {
          expect(avg).toBeNull();
        } else {
          // rounding to 4 places cannot leave the range: the bounds themselves have at most 4 places
          expect(new Decimal(avg!).gte(Decimal.min(...present))).toBe(true);
          expect(new Decimal(avg!).lte(Decimal.max(...present))).toBe(true);
        }
      }),
    );
  });
});
