/**
 * Efficiency of resource use (analisis efisiensi, LKjIP chapter III), DOMAIN.md "Efficiency":
 * index = objective achievement ÷ budget absorption, both as shown (2 decimals), the index rounded
 * half up to 3 decimals; `efficient` when ≥ 1, `inefficient` below; no index (`not_computable`)
 * when a figure is missing or the absorption is 0.
 */
import { D, formatDecimal, toDecimal, type DecimalInput } from './decimal.js';
import { summarize, type IndicatorResult } from './summary.js';

export const EFFICIENCY_CATEGORIES = ['efficient', 'inefficient', 'not_computable'] as const;
/** efisien / tidak efisien / tidak dapat dihitung */
export type EfficiencyCategory = (typeof EFFICIENCY_CATEGORIES)[number];

export interface EfficiencyResult {
  /** decimal string with 3 places (e.g. "1.063"), or null */
  index: string | null;
  category: EfficiencyCategory;
}

/**
 * The index from an objective achievement and an absorption (percent, as shown: 2 decimals).
 * A negative absorption cannot happen with non-negative budgets; it is treated like 0.
 */
export function efficiency(
  achievement: DecimalInput | null | undefined,
  absorption: DecimalInput | null | undefined,
): EfficiencyResult {
  if (achievement == null || absorption == null) return { index: null, category: 'not_computable' };
  const abs = toDecimal(absorption);
  if (abs.lte(0)) return { index: null, category: 'not_computable' };
  const index = formatDecimal(toDecimal(achievement).div(abs), 3);
  return { index, category: new D(index).gte(1) ? 'efficient' : 'inefficient' };
}

/**
 * An objective's achievement: the mean of its computable indicators' rounded achievements, rounded
 * half up to 2 decimals (the same mean as the report summary); null when none is computable.
 */
export function objectiveAchievement(results: readonly IndicatorResult[]): string | null {
  return summarize(results).meanAchievement;
}
