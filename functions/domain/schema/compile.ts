/**
 * Compiles a TableSchemaDescriptor ONCE into closures, then validates rows without looking
 * at the descriptor again (a 1,000,000-row file pays for the schema once).
 *
 *   const schema = compileSchema(descriptor);
 *   const { issues, validator } = schema.bind(headerCells);   // header → field positions
 *   for each record: const { values, issues } = validator.validate(cells, line);
 *   const tail = validator.finish();                          // end-of-table issues
 *   schema.format(values)                                     // cells as the official schema writes them
 *
 * Header matching ignores case, accents, spaces, `_` and `-`, and accepts `aliases` and the
 * fields' titles; the columns so read are named in one `header-renamed` warning.
 * `values` are in schema field order: typed and normalised (ISO dates and date-times as
 * strings, numbers, booleans), null for an empty or absent cell AND for a cell with a
 * type-error (the caller still holds the raw cell). Unique and primary-key duplicates are
 * reported on the row where they occur, so they stream and respect the caller's cap;
 * finish() then only releases the sets it kept.
 */
import { CUSTOM_CHECKS, type RowCheck } from './custom-checks';
import { customTimeFormat, DEFAULT_FALSE_VALUES, DEFAULT_TRUE_VALUES, expectedLabel, INVALID, isProportion, LOCAL_PATH, parserFor, SCRIPT_URI } from './field-parsers';
import { compilePattern } from './fixed-pattern';
import { apostropheSpellings, excelSerialDate, foldName, headingCore, frDatesInTextToIso, frDateTimeToIso, frDateToIso, frPeriodToIso, frPhoneLostZero, frPhoneToInternational, isFrInternationalPhone, padDigitsToPattern, stripIdSeparators } from './normalize-fr';
import { columnLetters } from '../standardize/read/cell-ref';
import { isFormula, mayStartFormula } from './formula';
import { numberText } from './number-text';
import { allDigits, isValidSiret, siretProblem } from './luhn';
import type { Cell, FieldDescriptor, FieldHelp, TableSchemaDescriptor, ValidationIssue, Value } from './types';

export interface RowResult {
  values: Value[];
  /** Shared (and frozen) when the row has none: read it, do not add to it. */
  issues: readonly ValidationIssue[];
}

export interface RowValidator {
  /** Field i is read from column `columns[i]` of each record (-1: absent column). */
  readonly columns: Int32Array;
  /** `row` is the 1-based line of the record in the source (header = 1). */
  validate(cells: readonly Cell[], row: number): RowResult;
  finish(): ValidationIssue[];
}

export interface BindResult {
  issues: ValidationIssue[];
  validator: RowValidator;
  /** Fields bound by an alias (not by their name or title): weaker evidence that the row is this schema's header. */
  aliased: number;
}

export interface CompiledSchema {
  readonly descriptor: TableSchemaDescriptor;
  /** Output column names, in order. */
  readonly fieldNames: readonly string[];
  bind(header: readonly Cell[]): BindResult;
  format(values: readonly Value[]): string[];
  /** `format` into `out` (reused between rows by a caller that does not keep it). */
  formatInto(values: readonly Value[], out: string[]): string[];
  /**
   * `formatInto`, but finite numbers written with `.` stay numbers: their text is String(v),
   * which the writers produce themselves digit by digit (ByteBuffer.number), without a string.
   */
  cellsInto(values: readonly Value[], out: Value[]): readonly Value[];
  /** The schema's help for field `name` (undefined for a name that is not a field). */
  help(name: string): FieldHelp | undefined;
}

/** Validates one present cell (trimmed, not a missing value); pushes issues; returns the value. */
type CellCheck = (s: string, row: number, issues: ValidationIssue[]) => Value;

interface FieldRuntime {
  name: string;
  required: boolean;
  unique: boolean;
  /** null when the missing values are just `""` (checked by length). */
  missing: Set<string> | null;
  /** null when the trimmed cell is the value (text with no format nor constraint). */
  check: CellCheck | null;
  format: (v: Value) => string;
}

/** What a spreadsheet shows for a formula in error (Excel in English and French, LibreOffice `Err:502`): never data. */
const SPREADSHEET_ERROR = /^(?:#N\/A|#REF!|#DIV\/0!|#VALUE!|#VALEUR!|#NAME\?|#NOM\?|#NUM!|#NOMBRE!|#NULL!|#NUL!|#SPILL!|#CALC!|Err:\d{3})$/i;

/** Digits in the shape of a date (`31/02/2024`, `2024-13-01`): its day or month is impossible when it does not read. */
const DATE_SHAPED = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/;

/** A first group, then groups of digits only, separated by spaces (`W 313 000 123`, `05 61 72`). */
const DIGIT_GROUPS = /^\S+(?:\s+\d+)+$/;

/** A signed number (`-1`, `+2.5`): never a code to strip or pad. */
const SIGNED = /^[-+]\s*\d/;
/**
 * A code a number cell took its leading zero off (`1004` for INSEE 01004): one zero, put back
 * on four digits or more. Two zeros (`311` → `00311`) or a short number (a year `24` → `0024`)
 * would invent a code: refused as typed.
 */
const MAX_ZERO_PADDING = 1;
const MIN_PADDED_DIGITS = 4;
const NO_ISSUES: readonly ValidationIssue[] = Object.freeze([]);

/** How formatInto writes a non-null value; FORMAT_OTHER calls the field's formatter. */
const FORMAT_TEXT = 0;
const FORMAT_NUMBER = 1;
const FORMAT_BOOLEAN = 2;
const FORMAT_OTHER = 3;

/** The day and the time (`14:32`, `14:32:05`) of a French or ISO date-time; null for anything else. */
function dayOfDateTime(raw: string): { date: string; time: string } | null {
  const iso = frDateTimeToIso(raw);
  if (iso !== null) {
    const time = iso.slice(11, 19);
    return { date: iso.slice(0, 10), time: time.endsWith(':00') ? time.slice(0, 5) : time };
  }
  // Any other date spelling the column reads (`29/01/24`, `29 janvier 2024`), then a time.
  const m = TRAILING_TIME.exec(raw.trim());
  const date = m === null || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59 ? null : frDateToIso(m[1]);
  return date === null ? null : { date, time: `${m![2].padStart(2, '0')}:${m![3]}${m![4] ? `:${m![4]}` : ''}` };
}

/** A date, a space, then a time: `14:32`, `14h32`, `14:32:05`. */
const TRAILING_TIME = /^(.*\S)\s+(\d{1,2})[:h](\d{2})(?::(\d{2}))?$/;

function err(code: string, row: number, column: string, value: string | undefined, message: string): ValidationIssue {
  return { code, severity: 'error', row, column, value, message };
}

/** A value published after a normalisation worth saying (the file stays valid). */
function warn(code: string, row: number, column: string, value: string, message: string): ValidationIssue {
  return { code, severity: 'warning', row, column, value, message };
}

/** A field named as a coordinate: `lat`, `long`, `EQUIP_LAT`, `longitude`… */
const COORDINATE_NAME = /(?:^|_)(?:lat|long|lon|lng|latitude|longitude)(?:_|$)/i;

/**
 * `12.500`, `960.000`: one dot before three digits, after one to three digits (not `0.125`).
 * A data file writes 12.5 so, but a French amount may be grouped so (12 500), and the two
 * readings differ a thousandfold: refused, saying how to write either (not from a workbook or
 * JSON number, which holds the number itself: RowPipelineOptions.typedNumbers).
 */
const DOT_GROUPED = /^\s*[-+]?[1-9]\d{0,2}\.\d{3}\s*$/;
/** `1.234.567`, `12.500`: digits grouped by dots only (an integer column cannot read them as a decimal). */
const DOT_GROUPS = /^\s*[-+]?\d{1,3}(?:\.\d{3})+\s*$/;

/** Whether a number cell's text may be DOT_GROUPED: a dot four characters before its end (spaces aside), checked first, cheaply. */
function mayBeDotGrouped(raw: string): boolean {
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) === 32) end--;
  return end >= 5 && raw.charCodeAt(end - 4) === 46 && DOT_GROUPED.test(raw);
}

/** Degrees, minutes and seconds (`43°30'44" N`, `1° 29′ 55,2″ E`, `0°27'3"O`). */
const DMS = /^\s*(-?)(\d{1,3})\s*[°º]\s*(?:(\d{1,2})\s*['’′]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:["”″]|''|’’)?)?)?\s*([NSEWO])?\s*$/i;

/**
 * A coordinate written in degrees, minutes, seconds, in decimal degrees (6 decimals, a point);
 * null for anything else, beyond 90° for a latitude or 180° for a longitude, or with the other
 * axis's hemisphere (`N` for a longitude).
 */
export function decimalDegrees(raw: string, axis: 'lat' | 'long' = 'long'): string | null {
  const m = DMS.exec(raw);
  if (m === null) return null;
  const minutes = Number(m[3] ?? 0);
  const seconds = Number((m[4] ?? '0').replace(',', '.'));
  if (minutes >= 60 || seconds >= 60) return null;
  const value = Number(m[2]) + minutes / 60 + seconds / 3600;
  if (value > (axis === 'lat' ? 90 : 180)) return null;
  const hemisphere = (m[5] ?? '').toUpperCase();
  if (hemisphere !== '' && (axis === 'lat') !== (hemisphere === 'N' || hemisphere === 'S')) return null;
  const negative = m[1] === '-' || /^[SWO]$/.test(hemisphere);
  return (negative ? -value : value).toFixed(6);
}

/** Digits grouped by thousands with a space, a no-break or a narrow no-break space (`31 320`). */
const THOUSANDS_GROUPED = /^\d{1,3}(?:[ \u00A0\u202F]\d{3})+$/;

/** A number a spreadsheet wrote with one or two decimals (`1004.0`, `1 004,0`, `3155.5`): not a digit group. */
const TRAILING_DECIMALS = /^(.*\d)[.,](\d{1,2})$/;

/**
 * The digits of a code as typed: groups joined (spaces, dots, dashes: `213 105 000`), a number
 * cell's zero decimals dropped (`1 004.0` → `1004`); null when it holds other decimals
 * (`3155.5`, `31.55` are no code) or other characters.
 */
function codeDigits(s: string): string | null {
  // The usual code has no decimals: the regex only when a `.` or `,` stands before the last one or two characters.
  const n = s.length;
  const c2 = s.charCodeAt(n - 2);
  const c3 = s.charCodeAt(n - 3);
  if (c2 !== 46 && c2 !== 44 && c3 !== 46 && c3 !== 44) return stripIdSeparators(s);
  const m = TRAILING_DECIMALS.exec(s);
  if (m !== null) return /^0+$/.test(m[2]) ? stripIdSeparators(m[1]) : null;
  return stripIdSeparators(s);
}

/** Zeros put before the digits of `before` to give `after` (a code that lost them as a spreadsheet number); 0 for any other change. */
function zerosAdded(before: string, after: string): number {
  const digits = codeDigits(before) ?? before;
  const added = after.length - digits.length;
  if (added <= 0 || !after.endsWith(digits) || !allDigits(digits, digits.length)) return 0;
  for (let i = 0; i < added; i++) if (after.charCodeAt(i) !== 48) return 0;
  return added;
}

/**
 * A code published with the leading zeros a spreadsheet number took off (`1004` → `01004`):
 * said, since a code mistyped short (`3238` for 35238) gets them too and becomes another one.
 */
function zeroRestored(row: number, column: string, raw: string, published: string, zeros: number): ValidationIssue {
  const lost = zeros === 1 ? 'son 0 initial' : `ses ${zeros} zéros initiaux`;
  return warn(
    'zero-restored',
    row,
    column,
    raw,
    `Le code « ${raw.trim()} » est trop court : lu comme un code qui a perdu ${lost} (cellule au format nombre), il est publié comme « ${published} ». Vérifiez qu’il ne manque pas un autre chiffre ; pour l’éviter, mettez la colonne au format texte.`,
  );
}

const show = (v: Value): string => (typeof v === 'boolean' ? (v ? 'vrai' : 'faux') : String(v));

/** `s.trim()`, skipping the call when both ends are printable ASCII (the usual cell). */
function trimmed(s: string): string {
  const last = s.length - 1;
  if (last < 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(last);
  return a > 32 && a < 127 && b > 32 && b < 127 ? s : s.trim();
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

function lengthOf(s: string): number {
  // Frictionless counts characters (code points), not UTF-16 units; the RegExp scans the
  // usual text, which has no surrogate pair, faster than the loop.
  if (!HIGH_SURROGATE.test(s)) return s.length;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/**
 * Pattern, length, enum and bound checks, plus the normalisations they allow; null when the
 * field has none and its parser keeps the text as it is.
 */
function compileField(f: FieldDescriptor, siretColumn: boolean, padTo: number | undefined): CellCheck | null {
  const name = f.name;
  const c = f.constraints ?? {};
  const isText = f.type === 'string' || f.type === 'any';
  const plainFormat = f.format === undefined || (f.format !== 'email' && f.format !== 'uri' && f.format !== 'uuid');
  // A text field whose example is a French number in the international form (SCDL équipements'
  // `+33 140633900`): French numbers typed the national way are written in that form.
  const phone = isText && f.arrayItem === undefined && f.example !== undefined && isFrInternationalPhone(String(f.example));
  if (
    isText &&
    plainFormat &&
    !siretColumn &&
    !phone &&
    padTo === undefined &&
    f.arrayItem === undefined &&
    c.pattern === undefined &&
    c.minLength === undefined &&
    c.maxLength === undefined &&
    c.enum === undefined &&
    c.minimum === undefined &&
    c.maximum === undefined
  ) {
    return null;
  }
  const parse = parserFor(f);
  const pattern = c.pattern !== undefined ? compilePattern(c.pattern) : null;
  const minLength = c.minLength;
  const maxLength = c.maxLength;
  // Code points are between half the UTF-16 units and all of them: only a value this short
  // may be under the minimum, only one longer than the maximum may be over it.
  const countBelow = minLength === undefined ? 0 : 2 * minLength;
  const expected = expectedLabel(f);
  const isDate = f.type === 'date' || f.type === 'datetime';
  const isNumber = f.type === 'number' || f.type === 'integer';
  const isUri = f.type === 'string' && f.format === 'uri';
  const plainDate = f.type === 'date' && customTimeFormat(f) === null;
  // A latitude or a longitude (the schema's coordinates, or so named): degrees-minutes-seconds are read in its hint.
  const coordinate = isNumber && (COORDINATE_NAME.test(f.name) || /\b(?:latitude|longitude)\b/i.test(f.title ?? ''));
  // A number but a coordinate's (43.604 is a latitude) or a proportion's: `12.500` may be 12 500
  // (DOT_GROUPED). Not when the schema says the dot groups thousands (`groupChar: '.'`): then it is read so.
  const dotGroupedWarned = f.type === 'number' && !coordinate && !isProportion(f) && f.groupChar !== '.';
  const latitudeColumn = /(?:^|_)lat(?:itude)?(?:_|$)/i.test(f.name) || /\blatitude\b/i.test(f.title ?? '');
  // The schema's example when it is a number (a latitude: 48.808989), else an amount.
  const numberExample = f.example !== undefined && /^-?\d+(?:[.,]\d+)?$/.test(String(f.example).trim()) ? String(f.example).trim() : '1500 ou 1500,50';
  /** What to do about a value of the wrong type, when the value tells. */
  const typeHint = (raw: string): string => {
    const serial = isDate ? excelSerialDate(raw) : null;
    if (serial) return ` : c’est sans doute le numéro de jour d’Excel du ${serial} ; mettez la colonne au format date dans le tableur avant d’exporter`;
    if (isDate && DATE_SHAPED.test(raw)) return ' : ce jour n’existe pas (jour ou mois impossible), vérifiez la date';
    if (coordinate) {
      const degrees = decimalDegrees(raw, latitudeColumn ? 'lat' : 'long');
      if (degrees !== null) return ` : ce sont des degrés, minutes et secondes ; écrivez des degrés décimaux, ici ${degrees}`;
    }
    if (isNumber && /\d/.test(raw) && /[a-zA-Z]/.test(raw)) return ` : écrivez seulement le nombre, en chiffres et sans texte (par exemple ${numberExample})`;
    // An integer grouped by dots (`12.500` voix, `1.234.567`): the dot is no thousands separator in a data file.
    if (f.type === 'integer' && DOT_GROUPS.test(raw)) return ` : si c’est ${raw.trim().replace(/\./g, ' ')}, écrivez ${raw.trim().replace(/\./g, '')}, sans point (le point n’y sépare pas les milliers)`;
    // A vote typed as a word: the count is what the column holds.
    if (f.type === 'integer' && /^\s*(?:à l['’]\s*)?unanimit[ée]/i.test(raw)) return ' : écrivez le nombre de voix en chiffres (à l’unanimité : le nombre de votants pour, 0 contre et 0 abstention)';
    if (isNumber && !/\d/.test(raw) && /\p{L}/u.test(raw)) return ` : écrivez-le en chiffres (par exemple ${numberExample})`;
    if (f.type === 'string' && f.format === 'email') {
      if (/\.\./.test(raw)) return ' : elle contient deux points de suite ; vérifiez-la';
      if (/\s/.test(raw.trim())) return ' : écrivez une seule adresse, sans espace ni texte autour';
      if (!raw.includes('@')) return ' : il y manque le « @ »';
    }
    if (isUri && LOCAL_PATH.test(raw.trim())) {
      return ' : c’est l’emplacement d’un fichier sur un ordinateur ou un réseau de la collectivité, que personne d’autre ne peut ouvrir ; mettez le document en ligne (sur le site de la collectivité) et écrivez son adresse (https://…)';
    }
    if (isUri && SCRIPT_URI.test(raw.trim())) return ' : seules les adresses web (https://…) sont publiées';
    // Words where an address is due: often a link's label (« Délibération 2024-003 (PDF) », « Voir »), whose
    // address a CSV export drops; a workbook keeps it, and the readers take it (linked-cells.ts).
    if (isUri && (/\s/.test(raw.trim()) || !/[.:/@]/.test(raw))) {
      return ' : si la cellule est un lien, écrivez l’adresse elle-même (https://…) et non le texte affiché (un classeur .xlsx ou .ods garde l’adresse de ses liens, mais un export CSV la perd)';
    }
    return '';
  };
  // The schema's example, when it passes the pattern: what the publisher can copy (the motif alone reads as code).
  const patternHint = pattern !== null && f.example !== undefined && pattern.test(String(f.example)) ? `, par exemple « ${String(f.example)} »` : '';
  // A motif reads as code to a publisher: shown only when the schema has no example to show instead.
  const motif = c.pattern !== undefined && patternHint === '' ? ` (motif ${c.pattern})` : '';
  const lengthHint = phone ? ` : écrivez un seul numéro, au format international (l’indicatif du pays puis le numéro sans son 0 initial), par exemple « ${String(f.example)} »` : '';

  let enumSet: Set<Value> | null = null;
  let enumFolded: Map<string, string> | null = null;
  let enumList = '';
  if (c.enum !== undefined) {
    enumSet = new Set(c.enum);
    enumList = c.enum.map(String).join(', ');
    if (isText) {
      const folded = new Map<string, string>();
      const clash = new Set<string>();
      for (const v of c.enum) {
        const k = foldName(String(v));
        if (folded.has(k)) clash.add(k);
        folded.set(k, String(v));
      }
      for (const k of clash) folded.delete(k);
      enumFolded = folded;
    }
  }
  const min = c.minimum;
  const max = c.maximum;
  const proportion = isProportion(f);
  const itemEnum = f.arrayItem?.constraints?.enum !== undefined ? new Set(f.arrayItem.constraints.enum) : null;
  const itemsRequired = f.arrayItem?.constraints?.required === true;
  const isArray = f.arrayItem !== undefined;

  // A pattern that spells an ISO date (`[0-9]{4}-[0-9]{2}-[0-9]{2}`, SCDL periods): French dates in the text are read.
  const datePattern = c.pattern !== undefined && /(\[0-9\]|\\d)\{4\}\\?-/.test(c.pattern);
  // A pattern with a decimal point between digits (BAL coordinates: `-?[0-9]{1,2}.[0-9]{1,7}`, its dot unescaped in the official schema).
  const decimalPattern = c.pattern !== undefined && /\\?\.(?:\[0-9\]|\\d)/.test(c.pattern);
  const fixToPattern = (s: string): string | null => {
    if (datePattern) {
      const iso = frDatesInTextToIso(s);
      if (iso !== null && pattern!.test(iso)) return iso;
      // One date in any spelling the date columns read (`02 mars 2024`, `01/03/24`, `dimanche 3 mars 2024`),
      // or two around « au » or a dash (`du 1er mars 2024 au 30 juin 2024`).
      const day = frDateToIso(s) ?? frPeriodToIso(s);
      if (day !== null && pattern!.test(day)) return day;
    }
    // Accents as two characters (a letter, then its combining mark: files from a Mac) where the
    // pattern lists the accented letters: the same text, composed.
    const composed = s.normalize('NFC');
    if (composed !== s && pattern!.test(composed)) return composed;
    // A line break typed in the cell (Alt+Entrée: « Le⏎Plessis-Trévise ») where the pattern wants one
    // line: a space (none after a hyphen: « Castanet-⏎Tolosan »). On the composed text, for both at once.
    if (s.includes('\n') || s.includes('\r')) {
      const oneLine = composed.replace(/-[ \t\u00A0]*[\r\n]+[ \t\u00A0]*/g, '-').replace(/[ \t\u00A0]*[\r\n]+[ \t\u00A0]*/g, ' ');
      if (pattern!.test(oneLine)) return oneLine;
    }
    // A code that lost its zeros, was typed in groups or kept a number cell's decimals (`1004`,
    // `213 105 000`, `1 004.0`; not `3155.5`, whose `7,1`-like comma may still be a code's, below);
    // never a signed number or one a decimal pattern wants (BAL `long`: `-1` is no `001`).
    const digits = !decimalPattern && !SIGNED.test(s) ? codeDigits(s) : null;
    if (digits !== null) {
      if (digits !== s && pattern!.testDigits(digits)) return digits;
      const padded = digits.length >= MIN_PADDED_DIGITS ? padDigitsToPattern(digits, pattern!, Math.min(digits.length + MAX_ZERO_PADDING, maxLength ?? Infinity)) : null;
      if (padded !== null) return padded;
    }
    // Words with ’ where the pattern allows only ' (or the other way round): the schema's spelling.
    for (const candidate of apostropheSpellings(s)) if (candidate !== s && pattern!.test(candidate)) return candidate;
    // A list whose items the pattern joins with `|`, typed with spaces around it (`Clause sociale | Critère social`).
    if (s.includes('|')) {
      const joinedList = s.replace(/\s*\|\s*/g, '|');
      if (joinedList !== s && pattern!.test(joinedList)) return joinedList;
    }
    // A code (it has digits) spelled otherwise than its pattern wants: a decimal comma (`7,1`
    // for 7.1), lower case (`w313000123`), digits typed in groups (`W 313 000 123`). Not words:
    // « Ad am » is no « Adam », and `00036 bis` keeps the space that tells its suffix.
    if (!/\d/.test(s)) return null;
    const joined = DIGIT_GROUPS.test(s) ? s.replace(/\s+/g, '') : s;
    for (const candidate of [s.replace(',', '.'), s.toUpperCase(), joined, joined.toUpperCase()]) {
      if (candidate !== s && pattern!.test(candidate)) return candidate;
    }
    return null;
  };

  return (raw, row, issues) => {
    let parsed = parse(raw);
    // `www.commune.fr` gets `https://`: said, since a site only on http:// would be published as a dead link.
    if (isUri && typeof parsed === 'string' && parsed.startsWith('https://www.') && !raw.trimStart().startsWith('https://')) {
      issues.push(
        warn('scheme-added', row, name, raw, `L’adresse « ${raw.trim()} » n’a pas de protocole : elle est publiée comme « ${parsed} ». Vérifiez qu’elle s’ouvre ainsi ; écrivez l’adresse complète (https://… ou http://…) pour ne plus voir ce message.`),
      );
    }
    if (parsed === INVALID) {
      // A date cell that also holds a time (`29/01/2024 14:32`): the day is what the column takes.
      // Not for a column with its own format (`%m/%d/%Y`): its days are read its way, not the French way.
      const day = plainDate ? dayOfDateTime(raw) : null;
      if (day === null) {
        issues.push(err('type-error', row, name, raw, `La valeur « ${raw} » n’est pas ${expected}${typeHint(raw)}.`));
        return null;
      }
      issues.push(
        warn('time-dropped', row, name, raw, `La valeur « ${raw} » porte une heure (${day.time}) : la colonne attend une date seule, publiée comme ${day.date}. Pour ne plus voir ce message, mettez la colonne au format date JJ/MM/AAAA, sans heure.`),
      );
      parsed = day.date;
    }
    let v: Value = parsed;
    if (dotGroupedWarned && typeof v === 'number' && mayBeDotGrouped(raw)) {
      // An error, not a guess: one reading publishes an amount a thousand times off (960 € for 960 000 €).
      const grouped = raw.trim().replace('.', '');
      const thousands = grouped.replace(/^([-+]?\d+)(\d{3})$/, '$1 $2');
      const decimal = numberText(v).replace('.', ',');
      issues.push(
        err(
          'decimal-point-ambiguous',
          row,
          name,
          raw,
          `La valeur « ${raw.trim()} » se lit de deux façons : ${decimal} si le point sépare les décimales, ${thousands} s’il sépare les milliers. Écrivez ${grouped} pour ${thousands}, ou ${decimal} pour ${decimal}.`,
        ),
      );
    }
    if (typeof v === 'string' && isText) {
      if (phone) {
        const international = frPhoneToInternational(v);
        if (international !== null && (maxLength === undefined || international.length <= maxLength) && (pattern === null || pattern.test(international))) {
          // Nine digits alone: a number cell dropped the 0; said, since a wrong guess would publish another number.
          if (frPhoneLostZero(v)) {
            issues.push(
              warn('phone-zero-restored', row, name, raw, `Le numéro « ${raw} » n’a que 9 chiffres : lu comme un numéro français qui a perdu son 0 initial (cellule au format nombre), il est publié comme « ${international} ». Vérifiez-le ; pour l’éviter, mettez la colonne au format texte.`),
            );
          }
          v = international;
        }
      }
      // A code of fixed width typed as a number is grouped (postal code `31 320`, `1 000`): its digits; not any spacing (`31 32`).
      if (padTo !== undefined && THOUSANDS_GROUPED.test(v)) {
        const digits = v.replace(/[\s\u00A0\u202F]/g, '');
        if (digits.length >= padTo - 1 && digits.length <= padTo) v = digits;
      }
      // A code of fixed width that lost its leading zero as a spreadsheet number (postal code 1000 for 01000).
      if (padTo !== undefined && v.length === padTo - 1 && v.charCodeAt(0) !== 48 && allDigits(v, v.length)) {
        v = '0' + v;
        issues.push(zeroRestored(row, name, raw, v, 1));
      }
      if (pattern !== null) {
        // A SIRET that lost its leading zero gets it back only when its key then holds (as without a pattern).
        const siretDigits = siretColumn && !pattern.test(v) ? codeDigits(v) : null;
        if (siretDigits !== null && siretDigits.length === 13 && allDigits(siretDigits, 13) && isValidSiret('0' + siretDigits) && pattern.test('0' + siretDigits)) {
          // Said: a zero does not change the key, so a SIRET typed one digit short passes one time in ten.
          v = '0' + siretDigits;
          issues.push(zeroRestored(row, name, raw, v, 1));
        }
        if (!pattern.test(v)) {
          // A SIRET column: its digits typed in groups, never zeros made up (the key decided, above).
          const fixed = siretColumn ? (siretDigits !== null && siretDigits !== v && pattern.testDigits(siretDigits) ? siretDigits : null) : fixToPattern(v);
          if (fixed === null) {
            // A SIRET column says what is wrong with the number (often a SIREN), not the motif.
            // A number cell's decimals (`…66.0`) are named as such, not counted as a digit.
            const message = siretColumn ? `La valeur « ${raw} » ${siretProblem(TRAILING_DECIMALS.test(v) ? v : (stripIdSeparators(v) ?? v))}` : `La valeur « ${raw} » ne respecte pas le format attendu${patternHint}${motif}.`;
            issues.push(err('pattern', row, name, raw, message));
          } else {
            // Zeros put back start the fixed value (a date or a joined code does not: no more work for them).
            if (fixed.charCodeAt(0) === 48) {
              const zeros = zerosAdded(v, fixed);
              if (zeros > 0) issues.push(zeroRestored(row, name, raw, fixed, zeros));
            }
            v = fixed;
          }
        }
      } else if (siretColumn && !allDigits(v, 14)) {
        const d = codeDigits(v);
        if (d !== null) {
          v = d.length === 13 && isValidSiret('0' + d) ? '0' + d : d;
          if (v.length === 14 && d.length === 13) issues.push(zeroRestored(row, name, raw, v, 1));
        }
      }
      if (isArray) checkArray(v, row, issues);
      // Published with `'` before it (it could start a formula: write/csv-writer.ts), the value must
      // still pass the pattern and the length, as the official validators read data.csv.
      if (mayStartFormula(v) && (pattern !== null || maxLength !== undefined) && isFormula(v)) checkFormulaPrefix(v, raw, row, issues);
      if (v.length < countBelow || (maxLength !== undefined && v.length > maxLength)) {
        const len = lengthOf(v);
        if (minLength !== undefined && len < minLength) {
          issues.push(err('min-length', row, name, raw, `La valeur « ${raw} » fait ${len} caractère${len > 1 ? 's' : ''} ; il en faut au moins ${minLength}.`));
        }
        if (maxLength !== undefined && len > maxLength) {
          // Accents as a letter and its combining mark (a Mac) count twice: composed, the text may fit.
          const composed = v.normalize('NFC');
          if (composed !== v && lengthOf(composed) <= maxLength) v = composed;
          else issues.push(err('max-length', row, name, raw, `La valeur « ${raw} » fait ${len} caractères ; ${maxLength} au plus${lengthHint}.`));
        }
      }
    }
    if (enumSet !== null && !enumSet.has(v)) {
      const canonical = enumFolded !== null && typeof v === 'string' ? enumFolded.get(foldName(v)) : undefined;
      if (canonical !== undefined) v = canonical;
      else issues.push(err('enum', row, name, raw, `La valeur « ${raw} » n’est pas autorisée (valeurs possibles : ${enumList}).`));
    }
    if (min !== undefined && v !== null && typeof v !== 'boolean' && v < min) {
      issues.push(err('minimum', row, name, raw, `La valeur « ${show(v)} » est inférieure au minimum autorisé (${min}).`));
    }
    if (max !== undefined && v !== null && typeof v !== 'boolean' && v > max) {
      // A percentage where a proportion is due: say how to write it. Typed with `%` (`150 %`), it
      // was read as a proportion already: it is more than the whole.
      const typedPercent = proportion && typeof raw === 'string' && raw.trimEnd().endsWith('%');
      if (typedPercent) {
        issues.push(err('maximum', row, name, raw, `La valeur « ${raw.trim()} » dépasse 100 % : une part ne peut pas dépasser le tout (le maximum autorisé est ${max}, soit ${numberText(Number(max) * 100)} %).`));
      } else {
        // Between 1 and 2: 1.5 typed for 1,5 %, or a percentage cell showing 150 % (it holds 1.5).
        const hint =
          !proportion || typeof v !== 'number' || v > 100
            ? ''
            : v < 2
              ? ` : une proportion s’écrit entre 0 et 1 ; pour ${show(v).replace('.', ',')} %, écrivez ${numberText(v / 100)}, et une cellule au format pourcentage qui affiche ${numberText(v * 100).replace('.', ',')} % dépasse le tout`
              : ` : une proportion s’écrit entre 0 et 1 (${show(v)} % s’écrit ${numberText(v / 100)})`;
        issues.push(err('maximum', row, name, raw, `La valeur « ${show(v)} » est supérieure au maximum autorisé (${max})${hint}.`));
      }
    }
    return v;
  };

  function checkFormulaPrefix(v: string, raw: string, row: number, issues: ValidationIssue[]): void {
    if (pattern !== null && !pattern.test(v)) return; // said already
    if (maxLength !== undefined && lengthOf(v) > maxLength) return; // said below
    const written = "'" + v;
    const tooLong = maxLength !== undefined && lengthOf(written) > maxLength;
    if (!tooLong && (pattern === null || pattern.test(written))) return;
    const sign = v.charAt(0) === '\t' ? 'une tabulation' : v.charAt(0) === '\r' ? 'un retour chariot' : `« ${v.charAt(0)} »`;
    issues.push(
      err(
        'formula-prefix',
        row,
        name,
        raw,
        `La valeur « ${raw.trim()} » commence par ${sign} : un tableur pourrait la prendre pour une formule, elle serait donc publiée précédée d’une apostrophe (« ${written} »), ` +
          (tooLong ? `et ferait alors ${lengthOf(written)} caractères, ${maxLength} au plus. ` : 'que le format de la colonne n’admet pas. ') +
          `Retirez ${sign} du début de la valeur.`,
      ),
    );
  }

  function checkArray(s: string, row: number, issues: ValidationIssue[]): void {
    let items: unknown;
    if (s.startsWith('[')) {
      try {
        items = JSON.parse(s);
      } catch {
        items = null;
      }
    }
    if (!Array.isArray(items) || !items.every((x) => typeof x === 'string')) {
      issues.push(err('type-error', row, name, s, `La valeur « ${s} » n’est pas une liste JSON de textes (ex. ["a", "b"]).`));
      return;
    }
    if (itemsRequired && items.length === 0) issues.push(err('required', row, name, s, `La liste « ${name} » doit contenir au moins un élément.`));
    if (itemEnum !== null) {
      for (const it of items as string[]) {
        if (!itemEnum.has(it)) {
          issues.push(err('enum', row, name, it, `L’élément « ${it} » n’est pas autorisé (valeurs possibles : ${[...itemEnum].join(', ')}).`));
        }
      }
    }
  }
}

/** How formatterFor(f) writes a non-null value: FORMAT_TEXT is `String(v)`, FORMAT_NUMBER the same through numberText. */
function formatKind(f: FieldDescriptor): number {
  if (f.type === 'boolean') return FORMAT_BOOLEAN;
  if (f.type === 'number' || f.type === 'integer') return (f.decimalChar ?? '.') === '.' ? FORMAT_NUMBER : FORMAT_OTHER;
  if ((f.type === 'date' || f.type === 'datetime') && customTimeFormat(f) !== null) return FORMAT_OTHER;
  return FORMAT_TEXT;
}

function formatterFor(f: FieldDescriptor): (v: Value) => string {
  switch (f.type) {
    case 'boolean': {
      const t = (f.trueValues ?? DEFAULT_TRUE_VALUES)[0];
      const fa = (f.falseValues ?? DEFAULT_FALSE_VALUES)[0];
      return (v) => (v === null ? '' : v ? t : fa);
    }
    case 'number':
    case 'integer': {
      const dec = f.decimalChar ?? '.';
      const text = (v: Value): string => (typeof v === 'number' ? numberText(v) : String(v));
      return dec === '.' ? (v) => (v === null ? '' : text(v)) : (v) => (v === null ? '' : text(v).replace('.', dec));
    }
    case 'date':
    case 'datetime': {
      const custom = customTimeFormat(f);
      return custom === null ? (v) => (v === null ? '' : String(v)) : (v) => (v === null ? '' : custom.write(String(v)));
    }
    default:
      return (v) => (v === null ? '' : String(v));
  }
}

export function compileSchema(d: TableSchemaDescriptor): CompiledSchema {
  const fields = d.fields;
  const n = fields.length;
  const indexOf = new Map(fields.map((f, i) => [f.name, i]));
  const pk = d.primaryKey === undefined ? [] : typeof d.primaryKey === 'string' ? [d.primaryKey] : d.primaryKey;
  const pkIdx = pk.map((name) => indexOf.get(name)!);

  const checks: RowCheck[] = [];
  /** one-of-required checks by position in `checks`, with their columns: absent from the header, said once (bind). */
  const oneOf: { at: number; columns: string[] }[] = [];
  const siretColumns = new Set<string>();
  for (const cc of d.custom_checks ?? []) {
    const def = CUSTOM_CHECKS.get(cc.name);
    if (def === undefined) throw new Error(`custom check ${cc.name} not registered (descriptor not parsed?)`);
    const params = def.params.parse(cc.params);
    if (cc.name === 'french-siret-value') siretColumns.add((params as { column: string }).column);
    if (cc.name === 'one-of-required') oneOf.push({ at: checks.length, columns: def.columns(params) });
    checks.push(def.create(params, { index: (name) => indexOf.get(name)!, has: (name) => indexOf.has(name) }));
  }

  const tableMissing = d.missingValues ?? [''];
  const runtimes: FieldRuntime[] = fields.map((f, i) => {
    const mv = f.missingValues ?? tableMissing;
    return {
      name: f.name,
      required: f.constraints?.required === true || pkIdx.includes(i),
      unique: f.constraints?.unique === true,
      missing: mv.length === 1 && mv[0] === '' ? null : new Set(mv),
      check: compileField(f, siretColumns.has(f.name), d.zeroPadded?.[f.name]),
      format: formatterFor(f),
    };
  });
  const formatters = runtimes.map((r) => r.format);
  const formatKinds = Uint8Array.from(fields, formatKind);
  const trueTexts = fields.map((f) => (f.type === 'boolean' ? (f.trueValues ?? DEFAULT_TRUE_VALUES)[0] : ''));
  const falseTexts = fields.map((f) => (f.type === 'boolean' ? (f.falseValues ?? DEFAULT_FALSE_VALUES)[0] : ''));

  // Header lookup: exact names, then folded names (a duplicate of those is an error); then, for
  // the fields still unbound, the fields' titles (a template may head its columns « Nom de
  // l'attribuant » rather than nomAttribuant) and aliases (header-aliases.ts: « Bénéficiaire »,
  // « Date de séance »), the best match of each field winning: a title, then its aliases in the
  // order listed (the specific before the generic: « N° de délibération » before « Numéro »),
  // then the same once a template's unit or mark is set aside (`Montant (€)`). A title or alias
  // two fields share, or that folds like another field's name, names neither. A heading naming a
  // field bound already is an extra column, not a duplicate (« Date » beside « Date de séance »).
  const byFolded = new Map<string, number>();
  fields.forEach((f, i) => byFolded.set(foldName(f.name), i));
  /** Folded title or alias → field and rank (0: its title; 1 + k: its k-th alias); field -1 when two fields share it. */
  const byLabel = new Map<string, { field: number; rank: number }>();
  const label = (k: string, field: number, rank: number) => {
    const known = byLabel.get(k);
    if (!known) byLabel.set(k, { field, rank });
    else if (known.field !== field) byLabel.set(k, { field: -1, rank });
    else if (rank < known.rank) known.rank = rank;
  };
  fields.forEach((f, i) => {
    if (f.title) label(foldName(f.title), i, 0);
    (d.aliases?.[f.name] ?? []).forEach((a, k) => label(foldName(a), i, 1 + k));
  });
  for (const k of byFolded.keys()) byLabel.delete(k);
  /** Rank added to a match found once a template's unit or mark is set aside. */
  const CORE_RANK = 1000;
  /** The field a heading names by title or alias (or by name once set aside), with its rank; undefined for none. */
  const labelled = (heading: string): { field: number; rank: number } | undefined => {
    const direct = byLabel.get(foldName(heading));
    if (direct) return direct.field >= 0 ? direct : undefined;
    const core = headingCore(heading);
    if (core === heading) return undefined;
    const folded = foldName(core);
    const named = indexOf.get(core) ?? byFolded.get(folded);
    if (named !== undefined) return { field: named, rank: CORE_RANK };
    const found = byLabel.get(folded);
    return found && found.field >= 0 ? { field: found.field, rank: CORE_RANK + found.rank } : undefined;
  };

  function bind(header: readonly Cell[]): BindResult {
    const issues: ValidationIssue[] = [];
    const source = new Int32Array(n).fill(-1);
    const raw = header.map((cell, col) => (col === 0 ? (cell ?? '').replace(/^\uFEFF/, '') : (cell ?? '')));
    const names = raw.map((h) => h.trim());
    // The field each column names (-1: none), by name or alias first, then by title for the fields still unbound.
    const named = names.map((h) => indexOf.get(h) ?? byFolded.get(foldName(h)) ?? -1);
    const taken = (i: number, col: number) => source[i] < 0 && ((source[i] = col), true);
    // A column headed exactly with its field's name is read before one naming it otherwise
    // (« Numéro » or « numero » with a space, then « numero »): the exact one is what the
    // schema's own validators read (a BAL's reference validator reads only that one).
    const first = named.map((i, col) => i >= 0 && raw[col] === fields[i].name && taken(i, col));
    named.forEach((i, col) => {
      if (i >= 0 && !first[col]) first[col] = taken(i, col);
    });
    // The other headings by title or alias: each field takes its best match.
    const candidates: { col: number; field: number; rank: number }[] = [];
    const matches = names.map((h, col) => (named[col] >= 0 || h === '' ? undefined : labelled(h)));
    matches.forEach((m, col) => m && candidates.push({ col, ...m }));
    candidates.sort((a, b) => a.rank - b.rank || a.col - b.col);
    let aliased = 0;
    for (const c of candidates) {
      if (first[c.col] || !taken(c.field, c.col)) continue;
      first[c.col] = true;
      if (c.rank > 0) aliased++;
    }
    names.forEach((h, col) => {
      if (first[col]) return;
      const i = named[col];
      if (i < 0) {
        // A heading that would name a field read from another column already (« Date de séance » beside « Date »).
        const would = matches[col]?.field ?? -1;
        const other = would >= 0 && source[would] >= 0 ? names[source[would]] : undefined;
        issues.push({
          code: 'extra-column',
          severity: 'warning',
          row: 1,
          column: h,
          message:
            h === ''
              ? `La colonne n° ${col + 1} n’a pas de nom : elle sera ignorée.`
              : other !== undefined
                ? `La colonne « ${h} » pourrait être « ${fields[would].name} », mais celle-ci est déjà lue dans la colonne « ${other} » : elle sera ignorée. Si c’est elle qu’il faut publier, retirez la colonne « ${other} » du fichier${other === fields[would].name ? '' : ` ou renommez celle-ci « ${fields[would].name} »`}.`
                : `La colonne « ${h} » ne fait pas partie du schéma : elle sera ignorée.`,
        });
      } else {
        issues.push({
          code: 'duplicate-column',
          severity: 'error',
          row: 1,
          column: fields[i].name,
          value: h,
          message: `La colonne « ${fields[i].name} » apparaît deux fois : « ${names[source[i]]} » (colonne ${columnLetters(source[i])}) est lue, « ${h} » (colonne ${columnLetters(col)}) est ignorée. Supprimez ou renommez l’une des deux.`,
        });
      }
    });
    for (let i = 0; i < n; i++) {
      if (source[i] < 0 && runtimes[i].required) {
        issues.push({
          code: 'missing-column',
          severity: 'error',
          row: 1,
          column: fields[i].name,
          message: `La colonne obligatoire « ${fields[i].name} » est absente.`,
        });
      }
    }
    // Neither column of a one-of-required in the header: one error here, not one per row.
    let rowChecks = checks;
    for (const { at, columns } of oneOf) {
      if (columns.some((name) => source[indexOf.get(name)!] >= 0)) continue;
      rowChecks = rowChecks.filter((c) => c !== checks[at]);
      issues.push({
        code: 'one-of-required',
        severity: 'error',
        row: 1,
        column: columns[0],
        message: `Aucune des colonnes ${columns.map((c) => `« ${c} »`).join(' ou ')} n’est présente : il en faut au moins une, renseignée sur chaque ligne.`,
      });
    }
    const renamed = renamedIssue(names, source);
    if (renamed) issues.push(renamed);
    return { issues, validator: rowValidator(source, rowChecks), aliased };
  }

  /**
   * The columns read under another spelling than their field's name (case, accents, an alias,
   * the field's title), in file order: one warning for the whole header, so that the publisher
   * can fix the export template once rather than rely on the matching every year.
   */
  function renamedIssue(names: readonly string[], source: Int32Array): ValidationIssue | undefined {
    const pairs: { col: number; name: string }[] = [];
    for (let i = 0; i < n; i++) {
      const col = source[i];
      const name = fields[i].name;
      // NFC: the same accented name typed on another system is the same name.
      if (col >= 0 && names[col] !== name && names[col].normalize() !== name.normalize()) pairs.push({ col, name });
    }
    if (pairs.length === 0) return undefined;
    pairs.sort((a, b) => a.col - b.col);
    const list = pairs.map(({ col, name }) => `« ${names[col]} » lue comme « ${name} »`).join(', ');
    const keep = 'Ce nom est accepté ; pour que les prochains fichiers correspondent exactement au schéma, renommez';
    return {
      code: 'header-renamed',
      severity: 'warning',
      row: 1,
      message:
        pairs.length === 1
          ? `La colonne « ${names[pairs[0].col]} » a été reconnue sous un autre nom : elle est lue comme « ${pairs[0].name} ». ${keep}-la dans votre modèle.`
          : `${pairs.length} colonnes ont été reconnues sous un autre nom : ${list}. ${keep}-les dans votre modèle.`,
    };
  }

  function rowValidator(source: Int32Array, checks: readonly RowCheck[]): RowValidator {
    let seen: (Map<Value, number> | null)[] = runtimes.map((r) => (r.unique ? new Map<Value, number>() : null));
    let seenKeys: Map<string, number> | null = pkIdx.length > 0 ? new Map() : null;
    const pkNames = pk.join(', ');

    // Filled by the checks; handed out (and replaced) only by a row that has issues.
    let issues: ValidationIssue[] = [];

    return {
      columns: source,
      validate(cells, row) {
        const values: Value[] = new Array<Value>(n);
        if (issues.length !== 0) issues.length = 0; // left by a check that threw
        for (let i = 0; i < n; i++) {
          const src = source[i];
          if (src < 0) {
            values[i] = null; // absent column: reported once by bind()
            continue;
          }
          const rt = runtimes[i];
          const cell = cells[src];
          let s = cell === null || cell === undefined ? '' : cell;
          const missing = rt.missing;
          if (missing !== null && missing.has(s)) s = '';
          else {
            s = trimmed(s);
            if (missing !== null && missing.has(s)) s = '';
          }
          if (s.length === 0) {
            values[i] = null;
            if (rt.required) issues.push(err('required', row, rt.name, undefined, `Cellule vide : la colonne « ${rt.name} » est obligatoire, remplissez-la.`));
            continue;
          }
          const c0 = s.charCodeAt(0);
          // `#…`, or `Err:502`: a cheap look before the RegExp, this runs on every cell.
          if ((c0 === 35 || (c0 === 69 && s.length === 7)) && SPREADSHEET_ERROR.test(s)) {
            values[i] = null;
            issues.push(err('formula-error', row, rt.name, s, `La cellule contient l’erreur de formule « ${s} » du tableur : corrigez la formule ou saisissez la valeur.`));
            continue;
          }
          const check = rt.check;
          const v = check === null ? s : check(s, row, issues);
          values[i] = v;
          const m = seen[i];
          if (m !== null && v !== null) {
            const first = m.get(v);
            if (first === undefined) m.set(v, row);
            else issues.push(err('unique', row, rt.name, s, `La valeur « ${s} » figure déjà à la ligne ${first} ; la colonne « ${rt.name} » doit être unique.`));
          }
        }
        if (seenKeys !== null) {
          let key = '';
          let complete = true;
          for (let k = 0; k < pkIdx.length; k++) {
            const v = values[pkIdx[k]];
            if (v === null) {
              complete = false;
              break;
            }
            key += (k === 0 ? '' : '\u001f') + String(v);
          }
          if (complete) {
            const first = seenKeys.get(key);
            if (first === undefined) seenKeys.set(key, row);
            else {
              const shown = key.split('\u001f').join(', ');
              issues.push(err('primary-key', row, pk[0], shown, `La clé « ${shown} » (${pkNames}) figure déjà à la ligne ${first} : elle doit être unique.`));
            }
          }
        }
        for (let k = 0; k < checks.length; k++) checks[k](values, row, issues);
        if (issues.length === 0) return { values, issues: NO_ISSUES };
        const found = issues;
        issues = [];
        return { values, issues: found };
      },
      finish() {
        seen = seen.map(() => null);
        seenKeys = null;
        return [];
      },
    };
  }

  return {
    descriptor: d,
    fieldNames: fields.map((f) => f.name),
    bind,
    format: (values) => formatCells(values, new Array<string>(n), false) as string[],
    formatInto: (values, out) => formatCells(values, out, false) as string[],
    cellsInto: (values, out) => formatCells(values, out, true),
    help,
  };

  function help(name: string): FieldHelp | undefined {
    const i = indexOf.get(name);
    if (i === undefined) return undefined;
    const f = fields[i];
    const example = f.example === undefined ? '' : String(f.example).trim();
    const check = runtimes[i].check;
    // An example that fails its own field (official schemas have a few) would mislead.
    const passes = example !== '' && (!siretColumns.has(name) || isValidSiret(example)) && (check === null || (() => {
      const found: ValidationIssue[] = [];
      check(example, 0, found);
      return found.length === 0;
    })());
    return {
      ...(f.title ? { title: f.title } : {}),
      ...(f.description ? { description: f.description } : {}),
      ...(passes ? { example } : {}),
    };
  }

  function formatCells(values: readonly Value[], out: Value[], keepNumbers: boolean): Value[] {
    for (let i = 0; i < n; i++) {
      const v = values[i] ?? null;
      if (v === null) out[i] = '';
      else if (formatKinds[i] === FORMAT_TEXT) out[i] = typeof v === 'string' ? v : String(v);
      else if (formatKinds[i] === FORMAT_NUMBER) out[i] = typeof v === 'number' ? (keepNumbers && Number.isFinite(v) ? v : numberText(v)) : String(v);
      else if (formatKinds[i] === FORMAT_BOOLEAN) out[i] = v ? trueTexts[i] : falseTexts[i];
      else out[i] = formatters[i](v);
    }
    return out;
  }
}
