/**
 * The year's realization of an indicator from its quarterly measurements (DOMAIN.md "Indicators",
 * aggregation). Callers pass only counted measurements (status submitted or verified, never
 * returned), at most one per quarter.
 */
import { D, type Decimal, type DecimalInput, formatDecimal, roundHalfUp, toDecimal } from './decimal.js';
import { divHalfUp, formatScaled, parseScaled, SCALE } from './fixed.js';
import { parsePeriod } from './period.js';

export const AGGREGATIONS = ['sum', 'last', 'average'] as const;
/** sum = kumulatif, last = non-kumulatif, average = rata-rata */
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface QuarterValue {
  /** a quarter period `YYYYQn` */
  period: string;
  /** null/undefined = no measurement for that quarter */
  value: DecimalInput | null | undefined;
}

export interface AggregationInput {
  aggregation: Aggregation;
  quarters: readonly QuarterValue[];
  /** the annual measurement (period `YYYY`), which overrides the aggregation when present */
  annual?: DecimalInput | null;
}

/** Places an `average` is rounded to (half up); that rounded value is the one shown and used. */
export const AVERAGE_PLACES = 4;

/**
 * The year's realization as a decimal string (exact, trailing zeros dropped), or null when there is
 * no measurement at all. Throws RangeError when an entry of `quarters` is not a quarter period.
 */
export function aggregateRealization(input: AggregationInput): string | null {
  if (input.annual != null) {
    const annual = parseScaled(input.annual);
    return annual === null ? formatDecimal(input.annual) : formatScaled(annual, SCALE, true);
  }

  const present = input.quarters
    .map((q) => {
      const p = parsePeriod(q.period);
      if (!p || p.quarter === null) throw new RangeError(`not a quarter period: ${JSON.stringify(q.period)}`);
      return { order: p.year * 10 + p.quarter, value: q.value };
    })
    .filter((q): q is { order: number; value: DecimalInput } => q.value != null);
  if (present.length === 0) return null;
  const fast = scaledAggregate(input.aggregation, present);
  if (fast !== null) return fast;

  switch (input.aggregation) {
    case 'sum':
      return formatDecimal(sumOf(present.map((q) => q.value)));
    case 'last': {
      // The latest quarter that has a measurement, wherever the gaps are (Q1, Q2, -, - -> Q2).
      const latest = present.reduce((a, b) => (b.order >= a.order ? b : a));
      return formatDecimal(latest.value);
    }
    case 'average':
      // Mean of the quarters that have a measurement, not of all four.
      return formatDecimal(roundHalfUp(sumOf(present.map((q) => q.value)).div(present.length), AVERAGE_PLACES));
  }
}

/** The same rules in exact integer arithmetic (fixed.ts); null unless every value is a plain
 * decimal string of at most 4 places (the Decimal path then decides, and validates). */
function scaledAggregate(aggregation: Aggregation, present: readonly { order: number; value: DecimalInput }[]): string | null {
  let sum = 0n;
  let latest = present[0];
  let latestValue = 0n;
  for (const q of present) {
    const v = parseScaled(q.value);
    if (v === null) return null;
    sum += v;
    if (q.order >= latest.order) {
      latest = q;
      latestValue = v;
    }
  }
  switch (aggregation) {
    case 'sum':
      return formatScaled(sum, SCALE, true);
    case 'last':
      return formatScaled(latestValue, SCALE, true);
    case 'average':
      // scaled sum / n rounded half up to whole ten-thousandths, i.e. to AVERAGE_PLACES places
      if (AVERAGE_PLACES !== SCALE) return null;
      return formatScaled(divHalfUp(sum, BigInt(present.length)), SCALE, true);
  }
}

function sumOf(values: readonly DecimalInput[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(toDecimal(v)), new D(0));
}
