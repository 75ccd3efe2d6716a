/**
 * Achievement (capaian) of an indicator: DOMAIN.md "Achievement". Pure decimal arithmetic; the
 * result is rounded half up to 2 decimals only at the end, and the category comes from that
 * rounded value.
 */
import { D, type Decimal, type DecimalInput, formatDecimal, toDecimal } from './decimal.js';
import { divHalfUp, formatScaled, parseScaled } from './fixed.js';

export const POLARITIES = ['higher_is_better', 'lower_is_better'] as const;
/** positif / negatif */
export type Polarity = (typeof POLARITIES)[number];

/** Categories of a computed achievement, best first. */
export const ACHIEVEMENT_CATEGORIES = ['very_high', 'high', 'medium', 'low', 'very_low'] as const;
export type AchievementCategory = (typeof ACHIEVEMENT_CATEGORIES)[number];
/** Every category an indicator result may carry, including the two "no number" ones. */
export const CATEGORIES = [...ACHIEVEMENT_CATEGORIES, 'not_computable', 'no_data'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A ranged target (target rentang), 0 < min < max: DOMAIN.md "Ranged targets". */
export interface TargetRange {
  min: DecimalInput;
  max: DecimalInput;
}

export const isRange = (t: unknown): t is TargetRange =>
  typeof t === 'object' && t !== null && !(t instanceof D) && 'min' in t && 'max' in t;

export interface AchievementInput {
  /** null/undefined = no target for the period; a range {min, max} for a ranged target */
  target: DecimalInput | TargetRange | null | undefined;
  /** null/undefined = no (counted) measurement for the period */
  realization: DecimalInput | null | undefined;
  polarity: Polarity;
}

export interface AchievementResult {
  /** percent, 2 decimals (e.g. "66.67"), or null when not computable / no data */
  achievement: string | null;
  category: Category;
}

const HUNDRED = new D(100);

/**
 * The exact (unrounded) achievement in percent, or the reason there is none.
 * Multiplying before the single division keeps the only inexact step last.
 */
export function exactAchievement(input: AchievementInput): Decimal | 'not_computable' | 'no_data' {
  if (input.target == null || input.realization == null) return 'no_data';
  if (isRange(input.target)) {
    const bound = boundCrossed(input.target, input.realization);
    return bound === null ? new D(100) : exactAchievement({ ...input, target: bound });
  }
  const t = toDecimal(input.target);
  const r = toDecimal(input.realization);
  const higher = input.polarity === 'higher_is_better';
  // T < 0: a negative target has no meaningful ratio.
  if (t.isNegative() && !t.isZero()) return 'not_computable';
  // T = 0: all or nothing, by whether R meets the target on the indicator's side.
  if (t.isZero()) return (higher ? r.gte(0) : r.lte(0)) ? new D(100) : new D(0);
  if (higher) return r.times(HUNDRED).div(t);
  // lower_is_better: (2T − R) / T × 100, floored at 0 (R ≥ 2T is as bad as it gets).
  return D.max(0, t.times(2).minus(r).times(HUNDRED).div(t));
}

/** Achievement rounded half up to 2 decimals, with its category. Not capped above 100. */
export function achievement(input: AchievementInput): AchievementResult {
  if (input.target == null || input.realization == null) return { achievement: null, category: 'no_data' };
  if (isRange(input.target)) {
    // Inside the range (bounds included) the target is met: 100. Outside it, the bound crossed is
    // the target and the single-target formula applies, so both sides meet at 100 at each bound.
    const bound = boundCrossed(input.target, input.realization);
    return bound === null ? { achievement: '100.00', category: 'very_high' } : achievement({ ...input, target: bound });
  }
  const fast = scaledAchievement(input);
  if (fast !== null) return fast;
  const exact = exactAchievement(input);
  if (typeof exact === 'string') return { achievement: null, category: exact };
  const rounded = formatDecimal(exact, 2);
  return { achievement: rounded, category: categoryOf(rounded) };
}

/** The bound R lies beyond (min below the range, max above it), or null inside the range. */
export function boundCrossed(range: TargetRange, realization: DecimalInput): DecimalInput | null {
  const r = toDecimal(realization);
  if (r.lt(toDecimal(range.min))) return range.min;
  if (r.gt(toDecimal(range.max))) return range.max;
  return null;
}

/**
 * What is wrong with a range given by a client, as field errors (`min <= 0` names the min field,
 * `min >= max` names the max field); empty when it is a valid range.
 */
export function rangeErrors(min: DecimalInput, max: DecimalInput, paths: { min: string; max: string }): Array<{ path: string; message: string }> {
  const lo = toDecimal(min);
  const hi = toDecimal(max);
  const errors: Array<{ path: string; message: string }> = [];
  if (lo.lte(0)) errors.push({ path: paths.min, message: 'the lower bound of a range must be greater than 0' });
  if (lo.gte(hi)) errors.push({ path: paths.max, message: 'the upper bound of a range must be greater than the lower bound' });
  return errors;
}

// The ratio n / T as a percent (× 100) in hundredths (× 100); the scale of n and T cancels.
const PERCENT_HUNDREDTHS = 10_000n;

/**
 * The same rule in exact integer arithmetic (fixed.ts) for plain decimal strings of at most 4
 * places; null when an input is anything else (the Decimal path then decides, and validates).
 */
function scaledAchievement(input: AchievementInput): AchievementResult | null {
  const t = parseScaled(input.target);
  if (t === null) return null;
  const r = parseScaled(input.realization);
  if (r === null) return null;
  if (t < 0n) return { achievement: null, category: 'not_computable' };
  const higher = input.polarity === 'higher_is_better';
  let hundredths: bigint;
  if (t === 0n) hundredths = (higher ? r >= 0n : r <= 0n) ? 10_000n : 0n;
  else if (higher) hundredths = divHalfUp(r * PERCENT_HUNDREDTHS, t);
  else {
    const n = 2n * t - r;
    hundredths = n <= 0n ? 0n : divHalfUp(n * PERCENT_HUNDREDTHS, t);
  }
  return { achievement: formatScaled(hundredths, 2), category: categoryOfHundredths(hundredths) };
}

/** categoryOf for an achievement given in hundredths of a percent (9100n = 91.00). */
function categoryOfHundredths(h: bigint): AchievementCategory {
  if (h >= 9_100n) return 'very_high';
  if (h >= 7_600n) return 'high';
  if (h >= 6_600n) return 'medium';
  if (h >= 5_100n) return 'low';
  return 'very_low';
}

/**
 * Category of an achievement as rounded to 2 decimals (pass the rounded value: 90.995 is shown as
 * 91.00 and is therefore very_high). Half-open bands: a ≥ 91 very_high (sangat tinggi),
 * 76 ≤ a < 91 high (tinggi), 66 ≤ a < 76 medium (sedang), 51 ≤ a < 66 low (rendah),
 * a < 51 very_low (sangat rendah).
 */
export function categoryOf(achievementRounded: DecimalInput): AchievementCategory {
  const a = toDecimal(achievementRounded);
  if (a.gte(91)) return 'very_high';
  if (a.gte(76)) return 'high';
  if (a.gte(66)) return 'medium';
  if (a.gte(51)) return 'low';
  return 'very_low';
}
