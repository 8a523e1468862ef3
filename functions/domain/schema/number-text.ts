/**
 * `String(v)` for a number, without V8's shortest-digits search (~300 ns for a decimal such
 * as 14662.9, paid on every amount of every row written) when the value is a short decimal.
 *
 * Why it is the same text: a decimal with at most 15 significant digits is the only such
 * decimal that reads as its double (DBL_DIG = 15), so when `r / 10^k` (exact operands, one
 * rounding: the double nearest r·10⁻ᵏ) gives back `v` with r < 10^15, the shortest decimal
 * that `String` writes is r·10⁻ᵏ itself, with k as small as possible. From 1e-6 up to 1e21
 * `String` writes it in positional notation, which is what is built here.
 */

export const MAX_DIGITS = 15;
export const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k);
const LIMIT = POW10[MAX_DIGITS];
const ZEROS = '0'.repeat(MAX_DIGITS);

/**
 * How many digits `String` writes after the point for `a` (> 0, not an integer) when it is a
 * short decimal as above: the smallest k with round(a·10^k) / 10^k === a and fewer than 15
 * significant digits; -1 when `String` must write it (more digits, or an exponent).
 */
export function shortDecimals(a: number): number {
  if (!(a >= 1e-6 && a < LIMIT)) return -1;
  for (let k = 1; k <= MAX_DIGITS; k++) {
    const p = POW10[k];
    // |a·p − r| stays far below 0.5 while r < 10^15, so the first k that fits is found.
    const r = Math.round(a * p);
    if (r >= LIMIT) return -1;
    if (r / p === a) return r % 10 === 0 ? -1 : k;
  }
  return -1;
}

export function numberText(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = v < 0 ? -v : v;
  const k = shortDecimals(a);
  if (k < 0) return String(v);
  const p = POW10[k];
  const r = Math.round(a * p);
  const int = Math.floor(r / p);
  const frac = String(r - int * p);
  const text = `${int}.${frac.length < k ? ZEROS.slice(0, k - frac.length) + frac : frac}`;
  return v < 0 ? '-' + text : text;
}
