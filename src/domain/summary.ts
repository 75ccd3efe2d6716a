/**
 * LKjIP summary figures (DOMAIN.md "Report"): indicators counted by category, the mean achievement,
 * and budget absorption (penyerapan anggaran).
 */
import { CATEGORIES, type Category } from './achievement.js';
import { D, type DecimalInput, formatDecimal, toDecimal } from './decimal.js';

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
  let sum = new D(0);
  let computable = 0;
  for (const r of results) {
    byCategory[r.category] += 1;
    if (r.achievement !== null) {
      // The mean is over the achievements as shown (already rounded), per DOMAIN.md.
      sum = sum.plus(toDecimal(r.achievement));
      computable += 1;
    }
  }
  return {
    indicators: results.length,
    byCategory,
    meanAchievement: computable === 0 ? null : formatDecimal(sum.div(computable), 2),
  };
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
  const a = toDecimal(allocated);
  if (a.lte(0)) return null;
  return formatDecimal(toDecimal(realized).times(100).div(a), 2);
}
