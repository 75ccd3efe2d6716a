import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANSWER_VALUES,
  type Answer,
  type Framework,
  type Scale,
  frameworkProblems,
  gradeOf,
  isValidAnswer,
  meanTotal,
  scoreEvaluation,
} from '../../src/domain/evaluation.js';

// The built-in permenpanrb-88-2021 weights (DOMAIN.md), 3 criteria per sub-component.
const WEIGHTS: Record<string, [number, number, number]> = {
  planning: [6, 9, 15],
  measurement: [6, 9, 15],
  reporting: [3, 4.5, 7.5],
  internal_evaluation: [5, 7.5, 12.5],
};
const SUBS = ['fulfillment', 'quality', 'utilization'] as const;

function realFramework(scale: (id: string) => Scale = () => 'ABCD'): Framework {
  return {
    components: Object.entries(WEIGHTS).map(([code, ws]) => ({
      code,
      weight: String(ws[0] + ws[1] + ws[2]),
      subComponents: ws.map((w, i) => ({
        code: SUBS[i],
        weight: String(w),
        criteria: [1, 2, 3].map((k) => {
          const id = `${code}.${SUBS[i]}.${k}`;
          return { id, scale: scale(id) };
        }),
      })),
    })),
  };
}

/** Answers every criterion of `fw` with `fill`, then applies `overrides` (undefined = unanswered). */
function sheet(fw: Framework, fill: Answer | undefined, overrides: Record<string, Answer | undefined> = {}) {
  const answers = new Map<string, Answer>();
  for (const c of fw.components)
    for (const s of c.subComponents)
      for (const cr of s.criteria) {
        const a = cr.id in overrides ? overrides[cr.id] : fill;
        if (a !== undefined) answers.set(cr.id, a);
      }
  return answers;
}

/** All three criteria of a sub-component `comp.sub` answered `a`. */
const whole = (key: string, a: Answer | undefined) => ({ [`${key}.1`]: a, [`${key}.2`]: a, [`${key}.3`]: a });

/** One component of weight 100 whose exact total is `x`: a `Y` criterion of weight x, a `T` of 100 − x. */
function totalOf(x: string) {
  const fw: Framework = {
    components: [
      {
        code: 'c',
        weight: '100',
        subComponents: [
          { code: 'hit', weight: x, criteria: [{ id: 'hit', scale: 'YT' }] },
          { code: 'miss', weight: new Decimal(100).minus(x).toFixed(), criteria: [{ id: 'miss', scale: 'YT' }] },
        ],
      },
    ],
  };
  return scoreEvaluation(fw, new Map<string, Answer>([['hit', 'Y'], ['miss', 'T']]));
}

describe('scoreEvaluation on the real framework', () => {
  const fw = realFramework();

  it('all A -> 100.00 AA, each component at its weight', () => {
    const r = scoreEvaluation(fw, sheet(fw, 'A'));
    expect(r.total).toBe('100.00');
    expect(r.grade).toBe('AA');
    expect(r.components.map((c) => c.score)).toEqual(['30.00', '30.00', '15.00', '25.00']);
    expect(r.components[2].subComponents.map((s) => s.score)).toEqual(['3.00', '4.50', '7.50']);
  });

  it('all D -> 0.00 D', () => {
    const r = scoreEvaluation(fw, sheet(fw, 'D'));
    expect(r).toMatchObject({ total: '0.00', grade: 'D' });
    expect(r.components.every((c) => c.score === '0.00')).toBe(true);
  });

  it('all Y on a Y/T framework -> 100.00 AA; all T -> 0.00 D', () => {
    const yt = realFramework(() => 'YT');
    expect(scoreEvaluation(yt, sheet(yt, 'Y'))).toMatchObject({ total: '100.00', grade: 'AA' });
    expect(scoreEvaluation(yt, sheet(yt, 'T'))).toMatchObject({ total: '0.00', grade: 'D' });
  });

  it('all B -> 66.00 B and all C -> 33.00 C (B = 0.66, C = 0.33, not thirds)', () => {
    expect(scoreEvaluation(fw, sheet(fw, 'B'))).toMatchObject({ total: '66.00', grade: 'B' });
    expect(scoreEvaluation(fw, sheet(fw, 'C'))).toMatchObject({ total: '33.00', grade: 'C' });
  });

  it('no answers at all -> 0.00 D', () => {
    const r = scoreEvaluation(fw, new Map());
    expect(r).toMatchObject({ total: '0.00', grade: 'D' });
    expect(r.components[0].subComponents[0]).toEqual({ code: 'fulfillment', score: '0.00', criteria: 3, answered: 0 });
  });

  it('a sub-component with no answer scores 0, the others are unaffected', () => {
    const r = scoreEvaluation(fw, sheet(fw, 'A', whole('planning.utilization', undefined)));
    expect(r.components[0].subComponents.map((s) => s.score)).toEqual(['6.00', '9.00', '0.00']);
    expect(r.components[0].score).toBe('15.00');
    expect(r.total).toBe('85.00');
  });

  it('the mean is over answered criteria only', () => {
    // planning.utilization: A, -, - -> mean 1 -> full 15
    const r = scoreEvaluation(fw, sheet(fw, 'A', { 'planning.utilization.2': undefined, 'planning.utilization.3': undefined }));
    expect(r.components[0].subComponents[2]).toEqual({ code: 'utilization', score: '15.00', criteria: 3, answered: 1 });
    expect(r.total).toBe('100.00');
  });

  it('rounds each shown score half up', () => {
    // reporting.quality: 4.5 × (1 + 0.66 + 0.33) / 3 = 2.985 -> 2.99; reporting 13.485 -> 13.49; total 98.485 -> 98.49
    const r = scoreEvaluation(fw, sheet(fw, 'A', { 'reporting.quality.2': 'B', 'reporting.quality.3': 'C' }));
    expect(r.components[2].subComponents[1].score).toBe('2.99');
    expect(r.components[2].score).toBe('13.49');
    expect(r.total).toBe('98.49');
    expect(r.grade).toBe('AA');
  });

  // Mixed sheets landing exactly on the grade boundaries (everything else A).
  it.each<[string, Record<string, Answer | undefined>, string]>([
    // −6 −4
    ['90.00', { ...whole('planning.fulfillment', 'D'), 'measurement.fulfillment.2': 'D', 'measurement.fulfillment.3': 'D' }, 'A'],
    // −15 −5
    ['80.00', { ...whole('planning.utilization', 'D'), ...whole('internal_evaluation.fulfillment', 'D') }, 'BB'],
    // −30
    ['70.00', { ...whole('planning.fulfillment', 'D'), ...whole('planning.quality', 'D'), ...whole('planning.utilization', 'D') }, 'B'],
    // −30 −5 −3 −2
    [
      '60.00',
      {
        ...whole('measurement.fulfillment', 'D'),
        ...whole('measurement.quality', 'D'),
        ...whole('measurement.utilization', 'D'),
        ...whole('internal_evaluation.fulfillment', 'D'),
        ...whole('reporting.fulfillment', 'D'),
        'planning.fulfillment.3': 'D',
      },
      'CC',
    ],
    // −30 −15 −5
    [
      '50.00',
      {
        ...whole('planning.fulfillment', 'D'),
        ...whole('planning.quality', 'D'),
        ...whole('planning.utilization', 'D'),
        ...whole('measurement.utilization', 'D'),
        ...whole('internal_evaluation.fulfillment', 'D'),
      },
      'C',
    ],
    // −30 −30 −7.5 −2.5 (internal_evaluation.fulfillment: A, D, unanswered -> 5 × 0.5)
    [
      '30.00',
      {
        ...whole('planning.fulfillment', 'D'),
        ...whole('planning.quality', 'D'),
        ...whole('planning.utilization', 'D'),
        ...whole('measurement.fulfillment', 'D'),
        ...whole('measurement.quality', 'D'),
        ...whole('measurement.utilization', 'D'),
        ...whole('reporting.utilization', 'D'),
        'internal_evaluation.fulfillment.2': 'D',
        'internal_evaluation.fulfillment.3': undefined,
      },
      'D',
    ],
  ])('mixed sheet totalling %s -> %s', (total, overrides, grade) => {
    expect(scoreEvaluation(fw, sheet(fw, 'A', overrides))).toMatchObject({ total, grade });
  });

  it('has no framework problems', () => {
    expect(frameworkProblems(fw)).toEqual([]);
  });
});

describe('grade boundaries (total exactly on and just above each)', () => {
  it.each([
    ['100', '100.00', 'AA'],
    ['90.01', '90.01', 'AA'],
    ['90', '90.00', 'A'],
    ['80.01', '80.01', 'A'],
    ['80', '80.00', 'BB'],
    ['70.01', '70.01', 'BB'],
    ['70', '70.00', 'B'],
    ['60.01', '60.01', 'B'],
    ['60', '60.00', 'CC'],
    ['50.01', '50.01', 'CC'],
    ['50', '50.00', 'C'],
    ['30.01', '30.01', 'C'],
    ['30', '30.00', 'D'],
    ['0', '0.00', 'D'],
    // the grade comes from the rounded total
    ['90.005', '90.01', 'AA'],
    ['90.0049', '90.00', 'A'],
  ])('exact %s -> %s %s', (exact, total, grade) => {
    expect(totalOf(exact)).toMatchObject({ total, grade });
    expect(gradeOf(total)).toBe(grade);
  });
});

describe('exactness', () => {
  const thirds = (weights: string[]): Framework => ({
    components: [
      {
        code: 'c',
        weight: '100',
        subComponents: weights.map((weight, i) => ({
          code: `s${i}`,
          weight,
          criteria: [1, 2, 3].map((k) => ({ id: `s${i}.${k}`, scale: 'ABCD' as const })),
        })),
      },
    ],
  });
  /** every sub-component answered A, D, D: score = weight / 3 */
  const oneThird = (fw: Framework) => sheet(fw, 'D', Object.fromEntries(fw.components[0].subComponents.map((s) => [`${s.code}.1`, 'A'])));

  it('the total is the rounded sum of the exact sub-component scores, not of the rounded ones', () => {
    const fw = thirds(['1', '1', '1']);
    const r = scoreEvaluation(fw, oneThird(fw));
    expect(r.components[0].subComponents.map((s) => s.score)).toEqual(['0.33', '0.33', '0.33']);
    expect(r.components[0].score).toBe('1.00');
    expect(r.total).toBe('1.00');
  });

  it('non-terminating sub-component scores that sum to a .xx5 tie round up', () => {
    // 10/3 + 5.015/3 = 5.005 exactly -> 5.01
    const fw = thirds(['10', '5.015']);
    const r = scoreEvaluation(fw, oneThird(fw));
    expect(r.components[0].subComponents.map((s) => s.score)).toEqual(['3.33', '1.67']);
    expect(r.total).toBe('5.01');
  });
});

describe('answers', () => {
  it('ANSWER_VALUES', () => {
    expect(ANSWER_VALUES).toEqual({ A: '1', B: '0.66', C: '0.33', D: '0', Y: '1', T: '0' });
  });

  it.each([
    ['ABCD', 'A', true],
    ['ABCD', 'B', true],
    ['ABCD', 'C', true],
    ['ABCD', 'D', true],
    ['ABCD', 'Y', false],
    ['ABCD', 'T', false],
    ['ABCD', 'a', false],
    ['ABCD', 'E', false],
    ['YT', 'Y', true],
    ['YT', 'T', true],
    ['YT', 'A', false],
    ['YT', 'N', false],
    ['YT', null, false],
    ['YT', '', false],
  ] as const)('isValidAnswer(%s, %j) = %s', (scale, answer, expected) => {
    expect(isValidAnswer(scale, answer)).toBe(expected);
  });

  it('refuses an answer outside its criterion scale, ignores unknown criteria', () => {
    const fw = realFramework();
    expect(() => scoreEvaluation(fw, new Map([['planning.quality.1', 'Y']]))).toThrow(RangeError);
    expect(scoreEvaluation(fw, new Map([['nope', 'A']])).total).toBe('0.00');
  });
});

describe('frameworkProblems', () => {
  it('reports duplicate ids, empty sub-components and weights that do not add up', () => {
    const problems = frameworkProblems({
      components: [
        {
          code: 'a',
          weight: '60',
          subComponents: [
            { code: 'x', weight: '30', criteria: [{ id: 'k', scale: 'ABCD' }] },
            { code: 'y', weight: '20', criteria: [{ id: 'k', scale: 'YT' }] },
            { code: 'z', weight: '0', criteria: [] },
          ],
        },
      ],
    });
    expect(problems).toHaveLength(4);
  });
});

describe('evaluation properties', () => {
  const ids = Object.entries(WEIGHTS).flatMap(([c]) => SUBS.flatMap((s) => [1, 2, 3].map((k) => `${c}.${s}.${k}`)));

  it('the total is between 0 and 100 and the grade is the total’s', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: ids.length, maxLength: ids.length }),
        (yt, picks) => {
          const scaleOf = new Map(ids.map((id, i) => [id, (yt[i] ? 'YT' : 'ABCD') as Scale]));
          const fw = realFramework((id) => scaleOf.get(id)!);
          const answers = new Map<string, Answer>();
          ids.forEach((id, i) => {
            const options: readonly (Answer | undefined)[] = yt[i] ? ['Y', 'T', undefined, 'Y', 'T'] : ['A', 'B', 'C', 'D', undefined];
            const a = options[picks[i]];
            if (a) answers.set(id, a);
          });
          const r = scoreEvaluation(fw, answers);
          const total = new Decimal(r.total);
          expect(total.gte(0) && total.lte(100)).toBe(true);
          expect(r.grade).toBe(gradeOf(r.total));
          // rounded components add up to the total within their rounding
          const sum = r.components.reduce((acc, c) => acc.plus(c.score), new Decimal(0));
          expect(sum.minus(total).abs().lte(0.02)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('meanTotal (region summary)', () => {
  it.each([
    [[], null],
    [['100.00', '90.00', '80.00', '0.00'], '67.50'],
    [['100', '0', '0'], '33.33'],
    [['66.67', '66.66'], '66.67'], // 66.665 rounds half up
    [['0.01', '0.00'], '0.01'], // 0.005 rounds half up
    [Array.from({ length: 55 }, (_, i) => (i % 2 === 0 ? '100.00' : '0.00')), '50.91'],
  ] as const)('%j -> %s', (totals, expected) => {
    expect(meanTotal(totals)).toBe(expected);
  });
});
