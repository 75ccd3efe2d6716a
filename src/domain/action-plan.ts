/**
 * Rencana Aksi rules (DOMAIN.md "Action plan"): the year figure implied by an item's four quarter
 * targets, and whether it deviates from the annual target it should reach. Pure, decimal.
 */
import { isRange, type TargetRange } from './achievement.js';
import { aggregateRealization, type Aggregation } from './aggregation.js';
import { toDecimal, type DecimalInput } from './decimal.js';

export type QuarterTargets = readonly [DecimalInput, DecimalInput, DecimalInput, DecimalInput];

/**
 * The year figure the four quarter targets imply, by the indicator's aggregation: `sum` Q1+Q2+Q3+Q4,
 * `last` Q4, `average` the mean of the four rounded half up to 4 places (the aggregation rules of
 * the realization, applied to four present quarters). A decimal string.
 */
export function impliedAnnual(aggregation: Aggregation, quarters: QuarterTargets): string {
  return aggregateRealization({
    aggregation,
    quarters: quarters.map((value, i) => ({ period: `2000Q${i + 1}`, value })),
  })!;
}

/**
 * Whether the implied figure misses the annual target: for a single target, any difference; for a
 * ranged target, a figure outside [min, max]. No annual target: nothing to deviate from (false).
 */
export function deviates(implied: DecimalInput, annualTarget: DecimalInput | TargetRange | null): boolean {
  if (annualTarget === null) return false;
  const x = toDecimal(implied);
  if (isRange(annualTarget)) return x.lt(toDecimal(annualTarget.min)) || x.gt(toDecimal(annualTarget.max));
  return !x.eq(toDecimal(annualTarget));
}
