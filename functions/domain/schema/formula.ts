/**
 * Formula injection (CSV injection, OWASP): a text cell starting with `=`, `+`, `-`, `@`, tab
 * or CR is written to a CSV prefixed with `'`, so that a spreadsheet shows it as text
 * (write/csv-writer.ts). Here too because the schema engine judges a value as it will be
 * written: the prefix must not break its pattern or its length (compile.ts › `formula-prefix`).
 */
const PLAIN_NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/;
/**
 * After a leading `+` or `-`: digits, spaces and `. , / ( ) %` only, as in a phone number
 * (`+33 561720000`, the official format of SCDL phone fields) or an amount. A spreadsheet may
 * compute such a cell, but it can name no function, no other cell and no program (`=`, `!`,
 * `|`, letters): nothing to neutralise, and the prefix would make the file invalid
 * against its official schema (pattern, maxLength).
 */
const PLAIN_SIGNED = /^[-+][\d\s.,/()%-]*$/;
/**
 * After a leading `@`: no bracket, pipe, `!`, operator or separator, as in a BAL 1.3
 * `uid_adresse` (`@c:… @v:…`, which its pattern wants first) or a handle: it can call no
 * function, no program (DDE) and name no other sheet; the prefix would break its pattern.
 */
const PLAIN_AT = /^@[^()|!=+*/&;,"'<>^]*$/;

/** Whether a text's first character is one a formula starts with (`= + - @`, tab, CR): isFormula's first test, cheap enough for the hot path. */
export function mayStartFormula(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 45 || c === 61 || c === 43 || c === 64 || c === 9 || c === 13;
}

/** Whether a text cell must be prefixed with `'` (it could start a formula that does harm). */
export function isFormula(s: string): boolean {
  if (!mayStartFormula(s)) return false;
  const c = s.charCodeAt(0);
  if (c === 61 || c === 9 || c === 13) return true;
  if (c === 64) return !PLAIN_AT.test(s);
  return (c === 43 || c === 45) && !PLAIN_NUMBER.test(s) && !PLAIN_SIGNED.test(s);
}

export function neutraliseFormula(s: string): string {
  return isFormula(s) ? "'" + s : s;
}

