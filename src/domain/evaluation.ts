/**
 * AKIP evaluation scoring, PermenPAN-RB 88/2021 (DOMAIN.md "Evaluation"). The framework
 * (components -> sub-components -> criteria) is data; this file only scores answers against it.
 *
 * "Compute exactly": a sub-component score is weight × (sum of answer values) / (answered count),
 * a fraction that need not terminate (e.g. 1/3). To keep every sum exact, all scores are carried as
 * numerators over one common denominator L = lcm of the answered counts; the single division by L
 * happens when a score is rounded for display, so no intermediate rounding can push a total across
 * a .xx5 tie or a grade boundary.
 */
import { D, type Decimal, type DecimalInput, formatDecimal, toDecimal } from './decimal.js';

export type Scale = 'ABCD' | 'YT';
export type Answer = 'A' | 'B' | 'C' | 'D' | 'Y' | 'T';

/** Values of the answers: A = 1, B = 0.66, C = 0.33, D = 0; Y (ya) = 1, T (tidak) = 0. */
export const ANSWER_VALUES: Readonly<Record<Answer, string>> = {
  A: '1',
  B: '0.66',
  C: '0.33',
  D: '0',
  Y: '1',
  T: '0',
};

export const SCALE_ANSWERS: Readonly<Record<Scale, readonly Answer[]>> = {
  ABCD: ['A', 'B', 'C', 'D'],
  YT: ['Y', 'T'],
};

export interface Criterion {
  id: string;
  scale: Scale;
}
export interface SubComponent {
  code: string;
  weight: DecimalInput;
  criteria: readonly Criterion[];
}
export interface Component {
  code: string;
  weight: DecimalInput;
  subComponents: readonly SubComponent[];
}
export interface Framework {
  components: readonly Component[];
}

export const GRADES = ['AA', 'A', 'BB', 'B', 'CC', 'C', 'D'] as const;
/** predikat */
export type Grade = (typeof GRADES)[number];

export interface SubComponentScore {
  code: string;
  /** rounded half up to 2 decimals */
  score: string;
  criteria: number;
  answered: number;
}
export interface ComponentScore {
  code: string;
  score: string;
  subComponents: SubComponentScore[];
}
export interface EvaluationScore {
  /** the rounded sum of the EXACT sub-component scores (not the sum of rounded components) */
  total: string;
  grade: Grade;
  components: ComponentScore[];
}

export function isValidAnswer(scale: Scale, answer: unknown): answer is Answer {
  return (SCALE_ANSWERS[scale] as readonly unknown[]).includes(answer);
}

/**
 * Grade of a total as rounded to 2 decimals: AA s > 90 (sangat memuaskan), A 80 < s ≤ 90
 * (memuaskan), BB 70 < s ≤ 80 (sangat baik), B 60 < s ≤ 70 (baik), CC 50 < s ≤ 60 (cukup),
 * C 30 < s ≤ 50 (kurang), D s ≤ 30 (sangat kurang). Lower bounds are exclusive: 90.00 is A.
 */
export function gradeOf(total: DecimalInput): Grade {
  const s = toDecimal(total);
  if (s.gt(90)) return 'AA';
  if (s.gt(80)) return 'A';
  if (s.gt(70)) return 'BB';
  if (s.gt(60)) return 'B';
  if (s.gt(50)) return 'CC';
  if (s.gt(30)) return 'C';
  return 'D';
}

/**
 * Scores `answers` (criterion id -> answer) against `framework`. Unanswered criteria are left out of
 * their sub-component's mean; a sub-component with no answer scores 0. Answers to ids not in the
 * framework are ignored. Throws RangeError for an answer outside its criterion's scale.
 */
export function scoreEvaluation(
  framework: Framework,
  answers: ReadonlyMap<string, Answer | string>,
): EvaluationScore {
  // First pass: each sub-component's weight × sum of answered values, and its answered count.
  const subs = framework.components.map((c) =>
    c.subComponents.map((s) => {
      let sum = new D(0);
      let answered = 0;
      for (const criterion of s.criteria) {
        const answer = answers.get(criterion.id);
        if (answer === undefined) continue;
        if (!isValidAnswer(criterion.scale, answer)) {
          throw new RangeError(`answer ${JSON.stringify(answer)} is not on scale ${criterion.scale} (criterion ${criterion.id})`);
        }
        sum = sum.plus(ANSWER_VALUES[answer]);
        answered += 1;
      }
      return { code: s.code, criteria: s.criteria.length, answered, weighted: toDecimal(s.weight).times(sum) };
    }),
  );

  // Common denominator: each sub-component's exact score is numerator / L.
  const L = subs.flat().reduce((acc, s) => (s.answered > 0 ? lcm(acc, s.answered) : acc), 1);
  const numerator = (s: (typeof subs)[number][number]): Decimal =>
    s.answered === 0 ? new D(0) : s.weighted.times(L / s.answered);
  const show = (num: Decimal) => formatDecimal(num.div(L), 2);

  let totalNum = new D(0);
  const components = framework.components.map((c, i) => {
    let componentNum = new D(0);
    const subComponents = subs[i].map((s) => {
      const num = numerator(s);
      componentNum = componentNum.plus(num);
      return { code: s.code, score: show(num), criteria: s.criteria, answered: s.answered };
    });
    totalNum = totalNum.plus(componentNum);
    return { code: c.code, score: show(componentNum), subComponents };
  });

  const total = show(totalNum);
  return { total, grade: gradeOf(total), components };
}

/**
 * Problems that make a framework unfit for scoring (empty list = fine): duplicate criterion ids,
 * sub-components without criteria, sub-component weights not adding up to their component's
 * weight, component weights not adding up to 100.
 */
export function frameworkProblems(framework: Framework): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  let total = new D(0);
  for (const c of framework.components) {
    let subTotal = new D(0);
    for (const s of c.subComponents) {
      subTotal = subTotal.plus(toDecimal(s.weight));
      if (s.criteria.length === 0) problems.push(`sub-component ${c.code}/${s.code} has no criteria`);
      for (const cr of s.criteria) {
        if (ids.has(cr.id)) problems.push(`criterion id ${cr.id} is used twice`);
        ids.add(cr.id);
      }
    }
    if (!subTotal.eq(toDecimal(c.weight))) {
      problems.push(`sub-component weights of ${c.code} add up to ${subTotal.toFixed()}, not ${toDecimal(c.weight).toFixed()}`);
    }
    total = total.plus(toDecimal(c.weight));
  }
  if (!total.eq(100)) problems.push(`component weights add up to ${total.toFixed()}, not 100`);
  return problems;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
function lcm(a: number, b: number): number {
  const m = (a / gcd(a, b)) * b;
  if (!Number.isSafeInteger(m)) throw new RangeError('framework too large to score exactly');
  return m;
}

/** Mean of totals as shown (2 decimals), rounded half up to 2 decimals; null when there are none. */
export function meanTotal(totals: readonly DecimalInput[]): string | null {
  if (!totals.length) return null;
  return formatDecimal(totals.reduce<Decimal>((acc, t) => acc.plus(toDecimal(t)), new D(0)).div(totals.length), 2);
}
