/**
 * Decimal arithmetic for measured values, targets, money and scores. Never binary floating point
 * (STYLE.md): values travel as decimal strings (DB `numeric`) and become JSON numbers only at the edge.
 *
 * `D` is a private clone of decimal.js so the global Decimal configuration is left alone. 50
 * significant digits are far more than a numeric(24,4) value needs, so the one division of a
 * formula is correctly rounded to 2 or 4 places afterwards.
 */
// Named import: under NodeNext the default import resolves to the CommonJS namespace in the types.
import { Decimal } from 'decimal.js';

export const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });
export type { Decimal };
export type DecimalInput = string | number | Decimal;

/** Largest magnitude (exclusive) accepted for a measured value, target or amount. */
export const MAX_MAGNITUDE = new D('1e15');
/** Measured values, targets and amounts carry at most 4 decimal places (numeric(24,4)). */
export const MAX_PLACES = 4;

/** Plain decimal notation only: no exponent, hex, `Infinity`, spaces or `+`. */
const DECIMAL_STRING = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Converts to a Decimal of the local clone. Throws on NaN, ±Infinity and strings that are not
 * plain decimals (decimal.js alone would accept `0x1f` or `1e3`).
 */
export function toDecimal(x: DecimalInput): Decimal {
  if (typeof x === 'string' && !DECIMAL_STRING.test(x)) {
    throw new RangeError(`not a decimal: ${JSON.stringify(x)}`);
  }
  const d = new D(x);
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${String(x)}`);
  return d;
}

/**
 * Rounds half up, i.e. ties away from zero (2.345 -> 2.35, -2.345 -> -2.35): the rounding an
 * Indonesian report and a spreadsheet's ROUND() use.
 */
export function roundHalfUp(d: DecimalInput, places: number): Decimal {
  return toDecimal(d).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
}

/**
 * Decimal string without exponent. With `places`: rounded half up and padded to exactly that many
 * decimals (`66.67`, `100.00`). Without: the exact value, trailing zeros dropped (`12.5`, `10`).
 * Never `-0`.
 */
export function formatDecimal(d: DecimalInput, places?: number): string {
  let v = toDecimal(d);
  if (places !== undefined) v = v.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  if (v.isZero()) v = v.abs();
  return places === undefined ? v.toFixed() : v.toFixed(places);
}

/** JSON number at the edge of the API. */
export function toNumber(d: DecimalInput): number {
  return toDecimal(d).toNumber();
}

/**
 * A measured value, target or amount as accepted from a client: a finite number or plain decimal
 * string, with at most 4 decimal places (by value: `1.50000` is fine, `0.1 + 0.2` is not) and
 * |x| < 1e15.
 */
export function isValidMeasuredValue(x: unknown): boolean {
  if (typeof x !== 'string' && typeof x !== 'number') return false;
  if (typeof x === 'number' && !Number.isFinite(x)) return false;
  let d: Decimal;
  try {
    d = toDecimal(x);
  } catch {
    return false;
  }
  return d.decimalPlaces() <= MAX_PLACES && d.abs().lt(MAX_MAGNITUDE);
}
