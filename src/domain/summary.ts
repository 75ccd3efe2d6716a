/**
 * LKjIP summary figures (DOMAIN.md "Report"): indicators counted by category, the mean achievement,
 * and budget absorption (penyerapan anggaran).
 */
import { CATEGORIES, type Category } from './achievement.js';
import { D, type DecimalInput, formatDecimal, toDecimal } from './decimal.js';
import { divHalfUp, formatScaled, ONE, parseScaled } from './fixed.js';

export interface IndicatorResult {
  /** as produced by achievement(): rounded to 2 decimals, or null */
  achievement: string | null;
  category: Category;
}

export interface ReportSummary {
  indicators: number;
  /** every category is present, with 0 when no indicator has it */
  byCategory: Record<Category, number>;
  /** mean of the non-null (rounded) achievements, rounded half up to 2 decimals; null if none */
  meanAchievement: string | null;
}

export function emptyCategoryCounts(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
}

export function summarize(results: readonly IndicatorResult[]): ReportSummary {
  const byCategory = emptyCategoryCounts();
  // The mean is over the achievements as shown (already rounded), per DOMAIN.md.
  const shown: string[] = [];
  for (const r of results) {
    byCategory[r.category] += 1;
    if (r.achievement !== null) shown.push(r.achievement);
  }
  return { indicators: results.length, byCategory, meanAchievement: meanOf(shown) };
}

/** Mean rounded half up to 2 decimals: exact scaled integers (fixed.ts) when every value is a
 * plain decimal string of at most 4 places, else decimal.js. */
function meanOf(values: readonly string[]): string | null {
  if (values.length === 0) return null;
  let scaled: bigint | null = 0n;
  for (const v of values) {
    const x = parseScaled(v);
    if (x === null) {
      scaled = null;
      break;
    }
    scaled += x;
  }
  // ten-thousandths / count in hundredths = sum / (count × 100)
  if (scaled !== null) return formatScaled(divHalfUp(scaled, BigInt(values.length) * (ONE / 100n)), 2);
  let sum = new D(0);
  for (const v of values) sum = sum.plus(toDecimal(v));
  return formatDecimal(sum.div(values.length), 2);
}

/**
 * Absorption = realized / allocated × 100, rounded half up to 2 decimals. null when there is nothing
 * to divide by (allocated missing, 0 or negative) or no realized figure. Not capped at 100:
 * overspending shows as more than 100.
 */
export function absorption(
  allocated: DecimalInput | null | undefined,
  realized: DecimalInput | null | undefined,
): string | null {
  if (allocated == null || realized == null) return null;
  const sa = parseScaled(allocated);
  const sr = sa === null ? null : parseScaled(realized);
  if (sa !== null && sr !== null) {
    // exact: realized / allocated as a percent in hundredths (the scale cancels)
    return sa <= 0n ? null : formatScaled(divHalfUp(sr * 10_000n, sa), 2);
  }
  const a = toDecimal(allocated);
  if (a.lte(0)) return null;
  return formatDecimal(toDecimal(realized).times(100).div(a), 2);
}
