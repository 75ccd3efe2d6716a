/**
 * Exact fixed-point arithmetic on scaled BigInts: the fast path of the report rules (achievement,
 * aggregation, summary). A decimal string with at most 4 places (every numeric(24,4) value the
 * database returns) is held as a whole number of ten-thousandths, so sums are exact and the one
 * division of a formula is an integer division whose exact remainder decides the rounding, half up
 * (ties away from zero, as decimal.js ROUND_HALF_UP and the Decimal path in decimal.ts).
 *
 * Why: decimal.js spends microseconds per division at 50 digits; a report of 500 indicators does
 * thousands of them. BigInt gives the same digits, exactly, for a fraction of that. Inputs this
 * module does not take (numbers, Decimal instances, more than 4 places, more than 20 integer digits)
 * make `parseScaled` return null and the callers keep the decimal.js path, so behaviour (including
 * RangeError on invalid input) is unchanged. Within these bounds every formula's numerator stays
 * far below 10^49, where the 50-digit Decimal quotient could no longer round differently.
 */

/** Places of the scaled representation: value = scaled / 10^SCALE. */
export const SCALE = 4;
/** 10^SCALE */
export const ONE = 10_000n;

// Sign, up to 20 integer digits, up to SCALE decimals; nothing else (no exponent, no `+`, no spaces).
const PLAIN = /^(-?)([0-9]{1,20})(?:\.([0-9]{1,4}))?$/;
const PAD = ['0000', '000', '00', '0', ''];

/** `"12.34"` -> 123400n; null for anything the fast path does not take (see the module comment). */
export function parseScaled(x: unknown): bigint | null {
  if (typeof x !== 'string') return null;
  // One pass over the characters for the common case (up to 11 integer digits: the scaled value
  // stays below 2^53, so a Number holds it exactly); the regular expression for the rest. A report
  // parses thousands of these, and the expression's match array and substrings were most of it.
  const n = x.length;
  let i = x.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const start = i;
  let v = 0;
  while (i < n) {
    const c = x.charCodeAt(i);
    if (c === 46) break; // '.'
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
    i++;
  }
  const intDigits = i - start;
  if (intDigits === 0 || intDigits > 11) return intDigits > 11 ? parsePlain(x) : null;
  let places = 0;
  if (i < n) {
    for (i++; i < n; i++, places++) {
      const c = x.charCodeAt(i);
      if (c < 48 || c > 57 || places === SCALE) return null;
      v = v * 10 + (c - 48);
    }
    if (places === 0) return null; // "12."
  }
  for (; places < SCALE; places++) v *= 10;
  return BigInt(start === 1 ? -v : v);
}

/** The definition of what the fast path takes (PLAIN), for the values too long for a Number. */
export function parsePlain(x: string): bigint | null {
  const m = PLAIN.exec(x);
  if (m === null) return null;
  const frac = m[3] ?? '';
  const v = BigInt(m[2] + frac + PAD[frac.length]);
  return m[1] === '-' ? -v : v;
}

/** n / d rounded half up (ties away from zero), d > 0. */
export function divHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d; // truncates toward zero
  const r = n % d; // has the sign of n
  if (r === 0n) return q;
  if (r > 0n) return 2n * r >= d ? q + 1n : q;
  return -2n * r >= d ? q - 1n : q;
}

/**
 * A scaled integer (value × 10^places) as a decimal string without exponent: `trim` drops trailing
 * zeros as Decimal#toFixed() does (`12.5`, `10`), else exactly `places` decimals (`66.67`, `100.00`).
 * Never `-0`.
 */
export function formatScaled(v: bigint, places: number, trim = false): string {
  const neg = v < 0n;
  let s = (neg ? -v : v).toString();
  if (places > 0) {
    if (s.length <= places) s = '0'.repeat(places - s.length + 1) + s;
    const int = s.slice(0, s.length - places);
    let frac = s.slice(s.length - places);
    if (trim) {
      let end = frac.length;
      while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
      frac = frac.slice(0, end);
    }
    s = frac === '' ? int : `${int}.${frac}`;
  }
  return neg ? `-${s}` : s; // v < 0 is never zero, so no "-0"
}
