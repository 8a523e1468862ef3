/**
 * French spellings of values, turned into the canonical form the SCDL schemas expect.
 * The compiled field validators call these only after the canonical parse failed, so the
 * common case (a file already in the official format) never pays for them. Every regex is
 * built once here; nothing allocates unless the value needs rewriting.
 */

import { MAX_DIGITS, POW10 } from './number-text';

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (d > DAYS_IN_MONTH[m]) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Reads `n` digits at `i`, or -1. */
function readInt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = digitAt(s, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** `YYYY-MM-DD` naming a real day. */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y = readInt(s, 0, 4);
  const m = readInt(s, 5, 2);
  const d = readInt(s, 8, 2);
  return y >= 0 && m >= 0 && d >= 0 && isValidYmd(y, m, d);
}

const ISO_TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/;

/** `YYYY-MM-DDTHH:MM:SS` with optional fraction and zone, as ISO 8601 / RFC 3339 write it. */
export function isIsoDateTime(s: string): boolean {
  return s.length >= 19 && s.charCodeAt(10) === 84 && isIsoDate(s.slice(0, 10)) && ISO_TIME.test(s.slice(11));
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

const FR_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$/;
const ISO_SPACED_DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

interface DateParts {
  date: string;
  /** `HH:MM:SS`, or null when the value had no time. */
  time: string | null;
}

/**
 * `31/12/2024` (or `-`, `.`), the usual spelling, without the regex: the ISO date, `''` for
 * an impossible day, null for any other spelling.
 */
function shortFrDate(s: string): string | null {
  if (s.length !== 10) return null;
  const sep = s.charCodeAt(2);
  if ((sep !== 47 && sep !== 45 && sep !== 46) || s.charCodeAt(5) !== sep) return null;
  const d0 = s.charCodeAt(0), d1 = s.charCodeAt(1), m0 = s.charCodeAt(3), m1 = s.charCodeAt(4);
  const y0 = s.charCodeAt(6), y1 = s.charCodeAt(7), y2 = s.charCodeAt(8), y3 = s.charCodeAt(9);
  if (!isDigit(d0) || !isDigit(d1) || !isDigit(m0) || !isDigit(m1) || !isDigit(y0) || !isDigit(y1) || !isDigit(y2) || !isDigit(y3)) return null;
  const y = (y0 - 48) * 1000 + (y1 - 48) * 100 + (y2 - 48) * 10 + (y3 - 48);
  if (!isValidYmd(y, (m0 - 48) * 10 + (m1 - 48), (d0 - 48) * 10 + (d1 - 48))) return '';
  // One allocation, where slices and a template would make four.
  return String.fromCharCode(y0, y1, y2, y3, 45, m0, m1, 45, d0, d1);
}

function frDateParts(s: string): DateParts | null {
  const short = shortFrDate(s);
  if (short !== null) return short === '' ? null : { date: short, time: null };
  const m = FR_DATE.exec(s);
  if (m === null) return null;
  const d = Number(m[1]);
  const mo = Number(m[3]);
  const y = Number(m[4]);
  if (!isValidYmd(y, mo, d)) return null;
  const date = `${m[4]}-${pad2(mo)}-${pad2(d)}`;
  if (m[5] === undefined) return { date, time: null };
  const h = Number(m[5]);
  const mi = Number(m[6]);
  const se = m[7] === undefined ? 0 : Number(m[7]);
  if (h > 23 || mi > 59 || se > 59) return null;
  return { date, time: `${pad2(h)}:${pad2(mi)}:${pad2(se)}` };
}

/**
 * `31/12/2024`, `31-12-2024`, `31.12.2024` (day first, as in France) → `2024-12-31`.
 * A midnight time part (spreadsheet exports) is dropped; any other time is not a date.
 * Impossible days (31/02) give null.
 */
export function frDateToIso(s: string): string | null {
  const short = shortFrDate(s);
  if (short !== null) return short === '' ? null : short;
  const p = frDateParts(s);
  if (p === null) {
    const iso = ISO_SPACED_DATETIME.exec(s);
    if (iso !== null && isIsoDate(iso[1]) && iso[2] === '00' && iso[3] === '00' && (iso[4] ?? '00') === '00') return iso[1];
    return looseFrDateToIso(s);
  }
  if (p.time !== null && p.time !== '00:00:00') return null;
  return p.date;
}

/** French month names and the abbreviations French Excel displays (`15-mars-24`, `1 févr. 2024`). */
const FR_MONTHS: Record<string, number> = {
  janvier: 1, janv: 1, jan: 1,
  fevrier: 2, fevr: 2, fev: 2,
  mars: 3, mar: 3,
  avril: 4, avr: 4,
  mai: 5,
  juin: 6,
  juillet: 7, juil: 7,
  aout: 8,
  septembre: 9, sept: 9, sep: 9,
  octobre: 10, oct: 10,
  novembre: 11, nov: 11,
  decembre: 12, dec: 12,
};
const WEEKDAY = /^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?\s+/;
const NAMED_MONTH_DATE = /^(\d{1,2})(?:er)?[\s.-]+([a-z]+)\.?[\s.-]+(\d{4}|\d{2})$/;
const SHORT_YEAR_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2})$/;
const YEAR_FIRST_DATE = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;

/** A two-digit year as Excel reads it: 00–29 → 2000s, 30–99 → 1900s. */
const fullYear = (yy: string): number => (yy.length === 4 ? Number(yy) : Number(yy) < 30 ? 2000 + Number(yy) : 1900 + Number(yy));

/**
 * Dates as office software and people also write them: `15 mars 2024`, `15-mars-24` (French
 * Excel's display), `vendredi 15 mars 2024`, `1er mars 2024`, `1/2/24`, `2024/02/01`. Only
 * tried once the usual spellings failed. null for anything else, or a day that does not exist.
 */
function looseFrDateToIso(raw: string): string | null {
  const s = raw.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(WEEKDAY, '');
  let y: number, m: number, d: number;
  let parts = NAMED_MONTH_DATE.exec(s);
  if (parts !== null) {
    const month = FR_MONTHS[parts[2]];
    if (month === undefined) return null;
    [d, m, y] = [Number(parts[1]), month, fullYear(parts[3])];
  } else if ((parts = SHORT_YEAR_DATE.exec(s)) !== null) {
    [d, m, y] = [Number(parts[1]), Number(parts[3]), fullYear(parts[4])];
  } else if ((parts = YEAR_FIRST_DATE.exec(s)) !== null) {
    [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  } else return null;
  return isValidYmd(y, m, d) ? `${y}-${pad2(m)}-${pad2(d)}` : null;
}

/** Days from Excel's day 0 (1899-12-30, the 1900 system) for a serial that can be a date of our time. */
export function excelSerialDate(s: string): string | null {
  if (!/^\d{5}$/.test(s)) return null;
  const n = Number(s);
  if (n < 20000 || n > 80000) return null;
  return new Date(Date.UTC(1899, 11, 30) + n * 86400000).toISOString().slice(0, 10);
}

/**
 * French or loose date-times → `YYYY-MM-DDTHH:MM:SS`: `31/12/2024 14:30`, `31/12/2024 14h30:05`,
 * `2024-12-31 14:30:00` (space instead of `T`), a bare date (midnight).
 */
export function frDateTimeToIso(s: string): string | null {
  const p = frDateParts(s);
  if (p !== null) return `${p.date}T${p.time ?? '00:00:00'}`;
  const iso = ISO_SPACED_DATETIME.exec(s);
  if (iso !== null && isIsoDate(iso[1])) {
    const v = `${iso[1]}T${iso[2]}:${iso[3]}:${iso[4] ?? '00'}${iso[5] ?? ''}${iso[6] ?? ''}`;
    return isIsoDateTime(v) ? v : null;
  }
  if (isIsoDate(s)) return `${s}T00:00:00`;
  return null;
}

const FR_DATE_IN_TEXT = /(^|[^\d])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)/g;
/** Midnight after a date, as a spreadsheet writes a date cell with its time: dropped. */
const MIDNIGHT_AFTER_DATE = /(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)(?![\d:])/g;
const ISO_PERIOD_SPELLED = /^(?:du\s+)?(\d{4}-\d{2}-\d{2})\s*(?:\/|-|–|—|au|à)\s*(\d{4}-\d{2}-\d{2})$/i;

/**
 * The French dates inside a text written as ISO dates, for text fields whose pattern wants
 * ISO dates (SCDL periods such as `datesPeriodeVersement`): `15/01/2025` → `2025-01-15`,
 * `01/02/2025/30/06/2025`, `du 01/02/2025 au 30/06/2025` and `2025-02-01 / 2025-06-30` →
 * `2025-02-01/2025-06-30`; a midnight time after a date (`01/04/2024 00:00`,
 * `2024-04-01T00:00:00`) is dropped. null when nothing changed, or a date is not a real day.
 */
export function frDatesInTextToIso(s: string): string | null {
  let changed = false;
  let invalid = false;
  let out = s.trim().replace(FR_DATE_IN_TEXT, (_m, before: string, d: string, m: string, y: string) => {
    changed = true;
    if (!isValidYmd(+y, +m, +d)) invalid = true;
    return `${before}${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  });
  if (invalid) return null;
  out = out.replace(MIDNIGHT_AFTER_DATE, (_m, date: string) => {
    changed = true;
    return date;
  });
  const period = ISO_PERIOD_SPELLED.exec(out);
  if (period !== null && out !== `${period[1]}/${period[2]}`) {
    changed = true;
    out = `${period[1]}/${period[2]}`;
  }
  // A period ending before it starts is no period: left as typed, for the pattern to refuse.
  const ends = ISO_PERIOD.exec(out);
  if (ends !== null && ends[1] > ends[2]) return null;
  return changed ? out : null;
}

const ISO_PERIOD = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/;

/** Between the two ends of a period: « au », « à », « jusqu’au », or a dash with spaces around it (a dash inside a date has none). */
const PERIOD_SEPARATOR = /\s+(?:au|à|a|jusqu['’]au|-|–|—)\s+|\s*[–—]\s*/gi;
/** « et », « et le »: between the ends only after « entre » (« le 5 et le 20 mars » names two days, not a period). */
const BETWEEN_SEPARATOR = /\s+et(?:\s+le)?\s+/gi;
/** Before the first end: « du », « de », « entre le ». */
const PERIOD_START = /^(?:du|de|(entre)(?:\s+le)?)\s+/i;
/** The month and year of a second end spelt with its month's name (`30 juin 2024`), for a first end without them (`du 1er au 30 juin 2024`). */
const NAMED_MONTH_END = /(\p{L}+\.?)\s+(\d{4})$/u;

/**
 * The first end of a period as written, or completed by what the second end says and it
 * leaves out, as French does: `1er` (au 30 juin 2024), `15 mars` (au 15 avril 2024), `01/03`
 * (au 30/06/2024).
 */
function firstEnd(first: string, second: string, to: string): string | null {
  const own = frDateToIso(first);
  if (own !== null) return own;
  const year = /(\d{4})$/.exec(second)?.[1];
  if (year === undefined) return null;
  const inYear = (y: string): string | null => {
    if (/^\d{1,2}[/.-]\d{1,2}$/.test(first)) return frDateToIso(`${first}${first.includes('/') ? '/' : first.includes('.') ? '.' : '-'}${y}`);
    if (/^\d{1,2}(?:er)?$/.test(first)) {
      const month = NAMED_MONTH_END.exec(second);
      return month === null ? null : frDateToIso(`${first} ${month[1]} ${y}`);
    }
    return /\p{L}\.?$/u.test(first) ? frDateToIso(`${first} ${y}`) : null;
  };
  const from = inYear(year);
  // Across a year end (`du 15/12 au 15/01/2025`): the first end is in the year before.
  return from !== null && from > to && /^\d{1,2}(?:[/.-]\d{1,2}|\s*\p{L})/u.test(first) ? inYear(String(Number(year) - 1)) : from;
}

/**
 * A period whose two ends are dates in any spelling a date column reads (frDateToIso):
 * `du 1er mars 2024 au 30 juin 2024`, `01/03/24 - 30/06/24`, `1 mars 2024 – 30 juin 2024`,
 * `entre le 01/03/2024 et le 30/06/2024` (« et » only after « entre »), and a first end that
 * leaves out what the second says (`du 1er au 30 juin 2024`, `du 15 mars au 15 avril 2024`,
 * across a year end: `du 15/12 au 15/01/2025`) → `2024-03-01/2024-06-30`.
 * null unless the text is exactly two such dates around one of the separators, the first
 * not after the second.
 */
export function frPeriodToIso(s: string): string | null {
  const start = PERIOD_START.exec(s.trim());
  const text = s.trim().slice(start?.[0].length ?? 0);
  for (const m of text.matchAll(start?.[1] ? BETWEEN_SEPARATOR : PERIOD_SEPARATOR)) {
    const second = text.slice(m.index + m[0].length).trim();
    const to = frDateToIso(second);
    if (to === null) continue;
    const from = firstEnd(text.slice(0, m.index).trim(), second, to);
    if (from !== null) return from <= to ? `${from}/${to}` : null;
  }
  return null;
}

/** `12/2024` or `12-2024` → `2024-12`. */
export function frYearMonthToIso(s: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m === null) return null;
  const mo = Number(m[1]);
  return mo >= 1 && mo <= 12 ? `${m[2]}-${pad2(mo)}` : null;
}

const CANONICAL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SPACES = /[\s\u00A0\u202F]+/g;
const CURRENCY = /^(€|eur(os?)?)|(€|eur(os?)?)$/gi;
// One comma is a French decimal (`1,234` = 1.234); only repeated ones are English grouping.
const GROUPED_COMMA = /^[+-]?\d{1,3}(,\d{3}){2,}$/;
const GROUPED_DOT = /^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/;

/** A number as Table Schema writes it by default: `.` decimal, no group char. */
export function isCanonicalNumber(s: string): boolean {
  return CANONICAL_NUMBER.test(s);
}

/**
 * Up to this many digits, the digits read as an integer are exact in a double, and so is the
 * power of ten that places the decimal point: one division then rounds exactly as `Number`
 * reads the text (the fast path of strtod), without building or parsing a string.
 */
const EXACT_DIGITS = MAX_DIGITS;

/** `isCanonicalNumber(s) ? Number(s) : NaN`; plain decimals (no exponent) are read in one scan. */
export function canonicalNumber(s: string): number {
  const len = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i = 1;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < len; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else if (c === 101 || c === 69) return CANONICAL_NUMBER.test(s) ? Number(s) : NaN;
    else return NaN; // no other character can make CANONICAL_NUMBER match
  }
  if (digits === 0) return NaN;
  if (digits > EXACT_DIGITS) return Number(s);
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

/** `^[+-]?\d+$` read as a number, else NaN. */
export function canonicalInteger(s: string): number {
  const len = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i = 1;
  if (i === len) return NaN;
  let m = 0;
  for (let k = i; k < len; k++) {
    c = s.charCodeAt(k);
    if (c < 48 || c > 57) return NaN;
    m = m * 10 + (c - 48);
  }
  if (len - i > EXACT_DIGITS) return Number(s);
  return neg ? -m : m;
}

/**
 * `1 234,56 €` (normal space, NBSP U+00A0 or narrow NBSP U+202F as thousands separators,
 * `€`/`EUR` before or after, `,` decimal) → 1234.56. `1.234,56` and `1,234.56` are read by
 * whichever separator comes last. NaN when the text is not a number.
 */
export function frNumber(raw: string): number {
  const plain = plainFrNumber(raw);
  if (plain !== null) return plain;
  const unspaced = raw.replace(SPACES, '');
  let s = unspaced.replace(CURRENCY, '');
  // An amount in euros with one dot before three digits (`12.000 €`) is grouped the French way:
  // 12,000 € (an English decimal amount has two decimals). Without the sign, `43.604` stays a decimal.
  const euros = s !== unspaced;
  const comma = s.lastIndexOf(',');
  const dot = s.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    s = comma > dot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (comma >= 0) {
    s = GROUPED_COMMA.test(s) ? s.replace(/,/g, '') : s.indexOf(',') === comma ? s.replace(',', '.') : s;
  } else if (dot >= 0 && (s.indexOf('.') !== dot || euros) && GROUPED_DOT.test(s)) {
    s = s.replace(/\./g, '');
  }
  return CANONICAL_NUMBER.test(s) ? Number(s) : NaN;
}

/**
 * frNumber's usual case in one scan, with no regex: digits, spaces (normal, NBSP, narrow
 * NBSP), at most one `,` (the decimal), a sign before any digit, a `€` after the last
 * digit. Reads the very number frNumber would (see EXACT_DIGITS); null for anything else
 * (frNumber then takes the general path).
 */
function plainFrNumber(s: string): number | null {
  let m = 0;
  let digits = 0;
  /** Digits after the comma, -1 before any comma. */
  let frac = -1;
  let neg = false;
  let signed = false;
  let euro = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (euro) return null;
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
      continue;
    }
    if (c === 32 || c === 0xa0 || c === 0x202f) continue;
    if (c === 44 && frac < 0 && !euro) frac = 0;
    else if (c === 0x20ac && !euro) euro = true;
    else if ((c === 45 || c === 43) && digits === 0 && frac < 0 && !signed && !euro) {
      signed = true;
      neg = c === 45;
    } else return null;
  }
  if (digits === 0) return null;
  if (digits > EXACT_DIGITS) return Number(plainFrNumberText(s));
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

/** The text `Number` reads for a value plainFrNumber accepted: sign, digits, `.` for the comma. */
function plainFrNumberText(s: string): string {
  let t = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 45 || c === 43) t += s[i];
    else if (c === 44) t += '.';
  }
  return t;
}

const FR_BOOLEANS = new Map<string, boolean>([
  ['oui', true], ['vrai', true], ['1', true], ['true', true], ['o', true], ['yes', true],
  ['non', false], ['faux', false], ['0', false], ['false', false], ['n', false], ['no', false],
]);

/** `oui`/`non`, `vrai`/`faux`, `1`/`0`, `true`/`false`, `o`/`n`, `yes`/`no`, any case; else null. */
export function frBoolean(s: string): boolean | null {
  return FR_BOOLEANS.get(s.toLowerCase()) ?? null;
}

const ID_SEPARATORS = /[\s\u00A0\u202F.-]/g;
const DIGITS = /^\d+$/;

/** Per length, an array reused to build the digits of an identifier in one String.fromCharCode call. */
const ID_MAX_LENGTH = 32;
const ID_CODES: number[][] = Array.from({ length: ID_MAX_LENGTH + 1 }, (_, n) => new Array<number>(n).fill(0));
const ID_SCAN = new Uint16Array(ID_MAX_LENGTH);

/** `123 456 789 00012` or `123.456.789` (SIREN/SIRET as typed) → the digits; null if other characters remain. */
export function stripIdSeparators(s: string): string | null {
  // Usual case in one scan: digits cut by spaces, NBSPs, dots or dashes. The digits are
  // gathered as codes and turned into one flat string (joined slices would make a rope that
  // every later read of the value flattens).
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (n === ID_MAX_LENGTH) return stripIdSeparatorsSlow(s);
      ID_SCAN[n++] = c;
    } else if (c !== 32 && c !== 46 && c !== 45 && c !== 0xa0 && c !== 0x202f) return stripIdSeparatorsSlow(s);
  }
  if (n === 0) return null;
  if (n === s.length) return s;
  const codes = ID_CODES[n];
  for (let k = 0; k < n; k++) codes[k] = ID_SCAN[k];
  return String.fromCharCode.apply(null, codes);
}

function stripIdSeparatorsSlow(s: string): string | null {
  const d = s.replace(ID_SEPARATORS, '');
  return d.length > 0 && DIGITS.test(d) ? d : null;
}

/**
 * A code that lost its leading zeros in a spreadsheet (`1004` for INSEE `01004`): left-pad
 * an all-digit value with zeros until `pattern` matches, up to `maxLength` characters.
 */
export function padDigitsToPattern(s: string, pattern: { test(s: string): boolean }, maxLength: number): string | null {
  if (!DIGITS.test(s)) return null;
  let v = s;
  while (v.length < maxLength) {
    v = '0' + v;
    if (pattern.test(v)) return v;
  }
  return null;
}

/** A French number in the international form the SCDL shows (`+33 140633900`, the EU interinstitutional style). */
const FR_PHONE_INTERNATIONAL = /^\+33 [1-9]\d{8}$/;
const PHONE_SEPARATORS = /[\s\u00A0\u202F./-]/g;
/**
 * A French number as people type it once its separators are gone: `0` and nine digits, or
 * `+33`, `(+33)` or `0033`, then the nine digits, with or without the trunk `0` or `(0)`; or
 * the nine digits alone, as a spreadsheet keeps `0474453000` typed into a number cell.
 */
const FR_PHONE = /^(?:0|(?:\+33|\(\+33\)|0033)(?:0|\(0\))?)?([1-9]\d{8})$/;
/**
 * Réunion, Mayotte, Guadeloupe, Guyane, Martinique and Saint-Pierre-et-Miquelon numbers (fixed
 * 0262, 0263, 0269, 0590, 0594, 0596, 0508; mobile 0639, 0690–0694, 0696, 0697, 07090–07093,
 * 07084, 07085) are dialled from abroad with their own country codes (+262, +590, +594, +596,
 * +508), not +33: they are left as typed rather than turned into a wrong number. 0695, 0698
 * and 0699 are mainland mobiles.
 */
const OVERSEAS = /^(?:26[239]|59[046]|508|639|69[0-467]|709[0-3]|708[45])/;

/** Nine digits alone (`474453000`): a French number whose 0 a number cell dropped, as frPhoneToInternational reads it. */
export function frPhoneLostZero(s: string): boolean {
  return /^[1-9]\d{8}$/.test(s.replace(PHONE_SEPARATORS, ''));
}

/** `+33 140633900`, the form frPhoneToInternational writes. */
export function isFrInternationalPhone(s: string): boolean {
  return FR_PHONE_INTERNATIONAL.test(s);
}

/**
 * `05 61 72 00 00`, `05.61.72.00.00`, `0561720000`, `+33 5 61 72 00 00`, `+33 (0)5 61 72 00 00`,
 * `0033561720000` → `+33 561720000`. null for anything else (a foreign or overseas number,
 * two numbers, a digit too many or too few, text).
 */
export function frPhoneToInternational(s: string): string | null {
  if (FR_PHONE_INTERNATIONAL.test(s)) return s;
  const m = FR_PHONE.exec(s.replace(PHONE_SEPARATORS, ''));
  return m === null || OVERSEAS.test(m[1]) ? null : `+33 ${m[1]}`;
}

/**
 * Header/enum folding: lower case, no accents, no spaces, `_`, `-` or apostrophe. Office
 * software turns ' into ’ as one types (LibreOffice and Word by default), and the official
 * schemas themselves mix the two: « Nom de l’attribuant » is « Nom de l'attribuant ».
 */
export function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s\u00A0\u202F_'\u2018\u2019\u02BC-]+/g, '');
}

/**
 * What a template adds around a column's name and says nothing of its values: a required mark,
 * a colon, a currency sign (in brackets or not), a date format or « facultatif » in brackets.
 * Not any bracket: « Montant (k€) » counts thousands, « SIRET (attribuant) » says whose, and
 * « Taux (%) » counts in percent where the column wants a share (1 is 100 %): setting those
 * aside would publish 15 for 15,000 €, bind the wrong column, or 1 for 1 %.
 */
const HEADING_EXTRAS = [
  /^\*+ ?/,
  / ?[*:]+$/,
  / ?[([] ?(?:en )?(?:€|euros?|eur) ?[)\]]$/i,
  / ?[([] ?(?:jj\/mm\/aaaa|jj-mm-aaaa|aaaa-mm-jj|facultatif|optionnel|obligatoire) ?[)\]]$/i,
  / (?:en )?(?:€|euros?)$/i,
];
/** A heading longer than this is no column name (and is not worked on: linear whatever the cell). */
const HEADING_MAX = 120;

/**
 * A column heading without what a template adds around the name (`Montant (€)`, `Date *
 * (JJ/MM/AAAA)`, `Montant en euros`, `Objet :`), for the header lookup's last try; the heading
 * itself when nothing would be left.
 */
export function headingCore(heading: string): string {
  let core = heading.trim();
  if (core.length > HEADING_MAX) return core;
  for (;;) {
    let next = core;
    for (const extra of HEADING_EXTRAS) next = next.replace(extra, '');
    next = next.trim();
    if (next === core || next === '') return core;
    core = next;
  }
}

const APOSTROPHE = /['\u2018\u2019\u02BC]/;
const APOSTROPHES = new RegExp(APOSTROPHE.source, 'g');

/** The text with every apostrophe spelled `'`, then `’`, when it has one: what a pattern may want instead of what was typed. */
export function apostropheSpellings(s: string): string[] {
  if (!APOSTROPHE.test(s)) return [];
  return [s.replace(APOSTROPHES, "'"), s.replace(APOSTROPHES, '\u2019')];
}
