/**
 * One parser per field, built at compile time from its descriptor: takes a trimmed,
 * non-missing cell, returns the typed canonical value or INVALID. The canonical spelling
 * is tried first; French spellings (normalize-fr.ts) only when it fails.
 */
import type { FieldDescriptor, Value } from './types';
import { LOWER_UUID, UPPER_UUID, uuidKind } from './uuid';
import {
  canonicalInteger,
  canonicalNumber,
  frBoolean,
  frDateTimeToIso,
  frDateToIso,
  frNumber,
  frYearMonthToIso,
  isIsoDate,
  isIsoDateTime,
  isValidYmd,
} from './normalize-fr';

export const INVALID: unique symbol = Symbol('invalid');
export type Parsed = Value | typeof INVALID;
export type Parser = (s: string) => Parsed;

/** Table Schema v1 defaults. */
export const DEFAULT_TRUE_VALUES = ['true', 'True', 'TRUE', '1'];
export const DEFAULT_FALSE_VALUES = ['false', 'False', 'FALSE', '0'];

/**
 * An address as the official validators take it (frictionless-py's and tableschema-js's email
 * formats): a local part of dot-separated atoms (no dot first, last or twice, no `:` or
 * brackets), a domain of two labels or more of letters (accented too) and digits, `-` inside
 * only, ending with a name of letters or an internationalised one (`xn--…`).
 */
const EMAIL = /^[^\s@.:;,<>()[\]\\"]+(?:\.[^\s@.:;,<>()[\]\\"]+)*@(?:[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F-]*[A-Za-z0-9\u00C0-\u024F])?\.)+(?:[A-Za-z\u00C0-\u024F]{2,}|xn--[A-Za-z0-9-]+)$/;
/** `mailto:` before an address (copied from a link, with its `?subject=…`), and a full stop after it (the end of a sentence): not part of it. */
const EMAIL_WRAPPING = /^mailto:|\?.*$|\.$/gi;

/** `Médiathèque <mediatheque@ville.fr>`, as a mail program copies a contact: the address between the brackets. */
const NAMED_ADDRESS = /<([^<>\s]+@[^<>\s]+)>\s*$/;

function emailParser(): Parser {
  return (s) => {
    if (EMAIL.test(s)) return s;
    const named = NAMED_ADDRESS.exec(s)?.[1];
    const bare = (named ?? s).replace(EMAIL_WRAPPING, '');
    return bare !== s && EMAIL.test(bare) ? bare : INVALID;
  };
}
const URI = /^[a-zA-Z][a-zA-Z\d+.-]*:[^\s]+$/;
/** A place on a computer or network: a drive (`C:\…`), `file:`, a share (`\\serveur\…`). */
export const LOCAL_PATH = /^(?:[a-z]:[\\/]|file:|\\\\)/i;
/** An address a browser runs. */
export const SCRIPT_URI = /^(?:javascript|vbscript|data):/i;

/** Whether a URI can be published: not a local file or network path (nor a drive letter or a backslash anywhere), not a script. */
export function isPublishableUri(s: string): boolean {
  return !(LOCAL_PATH.test(s) || SCRIPT_URI.test(s) || /^[a-z]:/i.test(s) || s.includes('\\'));
}
const YEAR = /^\d{4}$/;
const YEARMONTH = /^(\d{4})-(\d{2})$/;
const NOT_NUMERIC_EDGES = /^[^\d+\-.]+|[^\d.]+$/g;

function stringParser(f: FieldDescriptor): Parser {
  switch (f.format) {
    case 'email':
      return emailParser();
    case 'uuid':
      // Most UUIDs are written in lower case already: then no copy.
      return (s) => {
        const kind = uuidKind(s);
        return kind === LOWER_UUID ? s : kind === UPPER_UUID ? s.toLowerCase() : INVALID;
      };
    case 'uri':
      // `www.commune.fr` typed without a scheme is the usual slip. Never published: a place on
      // the employee's computer or network (`C:\…`, `file:`, a backslash) and script or data
      // addresses (`javascript:`), which a reuser's browser would run.
      return (s) => (URI.test(s) ? (isPublishableUri(s) ? s : INVALID) : s.startsWith('www.') && !/\s/.test(s) ? 'https://' + s : INVALID);
    default:
      return (s) => s;
  }
}

/** A number field bounded by 1 holds a proportion (SCDL `pourcentageSubvention`): `50 %` there means 0.5. */
export function isProportion(f: FieldDescriptor): boolean {
  return f.type === 'number' && typeof f.constraints?.maximum === 'number' && f.constraints.maximum <= 1;
}

const PERCENT_END = /[\s\u00a0\u202f]*%$/;

function numberParser(f: FieldDescriptor, integer: boolean): Parser {
  const parse = plainNumberParser(f, integer);
  if (!isProportion(f)) return parse;
  // `50 %`, `12,5%`: what a spreadsheet writes for a cell formatted as a percentage.
  return (s) => {
    if (s.charCodeAt(s.length - 1) !== 37) return parse(s);
    const n = parse(s.replace(PERCENT_END, ''));
    return n === INVALID || typeof n !== 'number' ? INVALID : Number((n / 100).toPrecision(15));
  };
}

function plainNumberParser(f: FieldDescriptor, integer: boolean): Parser {
  const dec = f.decimalChar ?? '.';
  const group = f.groupChar;
  const custom = dec !== '.' || group !== undefined;
  const stripEdges = f.bareNumber === false;
  const read = integer ? canonicalInteger : canonicalNumber;
  // NaN/INF spellings of Table Schema are not accepted: no SCDL amount can be one.
  if (!custom && !stripEdges) {
    return integer
      ? (s) => {
          let n = canonicalInteger(s);
          if (Number.isNaN(n)) n = frNumber(s);
          return Number.isSafeInteger(n) ? n : INVALID;
        }
      : (s) => {
          let n = canonicalNumber(s);
          if (Number.isNaN(n)) n = frNumber(s);
          // `1e400` is no number a file can mean (nor JSON write): Infinity.
          return Number.isFinite(n) ? n : INVALID;
        };
  }
  const canonical = (s: string): number => {
    let t = s;
    if (custom) {
      if (group !== undefined) t = t.split(group).join('');
      if (dec !== '.') t = t.split(dec).join('.');
    }
    if (stripEdges) t = t.replace(NOT_NUMERIC_EDGES, '');
    return read(t);
  };
  return (s) => {
    let n = canonical(s);
    if (Number.isNaN(n)) {
      n = frNumber(stripEdges ? s.replace(NOT_NUMERIC_EDGES, '') : s);
      if (Number.isNaN(n)) return INVALID;
    }
    if (integer ? !Number.isSafeInteger(n) : !Number.isFinite(n)) return INVALID;
    return n;
  };
}

function booleanParser(f: FieldDescriptor): Parser {
  const t = new Set(f.trueValues ?? DEFAULT_TRUE_VALUES);
  const fa = new Set(f.falseValues ?? DEFAULT_FALSE_VALUES);
  return (s) => {
    if (t.has(s)) return true;
    if (fa.has(s)) return false;
    return frBoolean(s) ?? INVALID;
  };
}

interface StrptimeFormat {
  parse(s: string): string | null;
  write(iso: string): string;
}

/** A `%d/%m/%Y`-style format (the subset schemas use) to an ISO parser and writer. */
export function strptime(format: string, withTime: boolean): StrptimeFormat {
  const order: string[] = [];
  let src = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%' && i + 1 < format.length) {
      const k = format[++i];
      order.push(k);
      src += k === 'Y' ? '(\\d{4})' : k === 'y' ? '(\\d{2})' : '(\\d{1,2})';
    } else {
      src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const re = new RegExp(`^${src}$`);
  const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));
  return {
    parse(s) {
      const m = re.exec(s);
      if (m === null) return null;
      let y = 0, mo = 1, d = 1, h = 0, mi = 0, se = 0;
      for (let k = 0; k < order.length; k++) {
        const v = Number(m[k + 1]);
        switch (order[k]) {
          case 'Y': y = v; break;
          case 'y': y = 2000 + v; break;
          case 'm': mo = v; break;
          case 'd': d = v; break;
          case 'H': h = v; break;
          case 'M': mi = v; break;
          case 'S': se = v; break;
        }
      }
      if (!isValidYmd(y, mo, d) || h > 23 || mi > 59 || se > 59) return null;
      const date = `${y}-${p2(mo)}-${p2(d)}`;
      return withTime ? `${date}T${p2(h)}:${p2(mi)}:${p2(se)}` : date;
    },
    write(iso) {
      const parts: Record<string, string> = {
        Y: iso.slice(0, 4), y: iso.slice(2, 4), m: iso.slice(5, 7), d: iso.slice(8, 10),
        H: iso.slice(11, 13) || '00', M: iso.slice(14, 16) || '00', S: iso.slice(17, 19) || '00',
      };
      return format.replace(/%([a-zA-Z])/g, (_, k: string) => parts[k] ?? '');
    },
  };
}

export function customTimeFormat(f: FieldDescriptor): StrptimeFormat | null {
  return f.format !== undefined && f.format.includes('%') && (f.type === 'date' || f.type === 'datetime')
    ? strptime(f.format, f.type === 'datetime')
    : null;
}

/** An XML Schema date with its time zone (`2024-03-01+01:00`, `2024-03-01Z`), as DECP software writes it: the day it names. */
const DATE_WITH_ZONE = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

function isoOrFrenchDate(s: string): Parsed {
  if (isIsoDate(s)) return s;
  const zoned = DATE_WITH_ZONE.exec(s);
  if (zoned !== null) return isIsoDate(zoned[1]) ? zoned[1] : INVALID;
  return frDateToIso(s) ?? INVALID;
}

function dateParser(f: FieldDescriptor): Parser {
  const custom = customTimeFormat(f);
  if (custom !== null) return (s) => custom.parse(s) ?? isoOrFrenchDate(s);
  return isoOrFrenchDate;
}

function dateTimeParser(f: FieldDescriptor): Parser {
  const custom = customTimeFormat(f);
  if (custom !== null) return (s) => custom.parse(s) ?? (isIsoDateTime(s) ? s : frDateTimeToIso(s) ?? INVALID);
  return (s) => (isIsoDateTime(s) ? s : frDateTimeToIso(s) ?? INVALID);
}

function yearMonthParser(): Parser {
  return (s) => {
    const m = YEARMONTH.exec(s);
    if (m !== null) {
      const mo = Number(m[2]);
      return mo >= 1 && mo <= 12 ? s : INVALID;
    }
    return frYearMonthToIso(s) ?? INVALID;
  };
}

export function parserFor(f: FieldDescriptor): Parser {
  switch (f.type) {
    case 'string':
      return stringParser(f);
    case 'integer':
      return numberParser(f, true);
    case 'number':
      return numberParser(f, false);
    case 'boolean':
      return booleanParser(f);
    case 'date':
      return dateParser(f);
    case 'datetime':
      return dateTimeParser(f);
    case 'year':
      return (s) => (YEAR.test(s) ? Number(s) : INVALID);
    case 'yearmonth':
      return yearMonthParser();
    case 'any':
      return (s) => s;
  }
}

const TYPE_LABEL: Record<FieldDescriptor['type'], string> = {
  string: 'un texte',
  integer: 'un nombre entier',
  number: 'un nombre',
  boolean: 'un booléen',
  date: 'une date (JJ/MM/AAAA ou AAAA-MM-JJ)',
  datetime: 'une date et heure (AAAA-MM-JJTHH:MM:SS)',
  year: 'une année (AAAA)',
  yearmonth: 'un mois (AAAA-MM)',
  any: 'une valeur',
};

/** What the field expects, in French, for type-error messages. */
export function expectedLabel(f: FieldDescriptor): string {
  if (f.type === 'string' && f.format === 'email') return 'une adresse e-mail';
  if (f.type === 'string' && f.format === 'uri') return 'une URL (avec https://)';
  if (f.type === 'string' && f.format === 'uuid') return 'un UUID';
  if (f.type === 'boolean') {
    return `un booléen (${(f.trueValues ?? DEFAULT_TRUE_VALUES)[0]} ou ${(f.falseValues ?? DEFAULT_FALSE_VALUES)[0]})`;
  }
  if ((f.type === 'date' || f.type === 'datetime') && f.format?.includes('%')) return `${TYPE_LABEL[f.type].split(' (')[0]} (${f.format})`;
  return TYPE_LABEL[f.type];
}
