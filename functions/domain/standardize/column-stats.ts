/**
 * Statistics of a published version, per column (what a dashboard or a reuser wants before
 * downloading the file): how many cells are filled, how many distinct values there are,
 * the most frequent ones, the range of numbers and dates, the total of amounts.
 *
 * Computed on the rows written, with the values as published (typed). Distinct values are
 * counted exactly up to a cap per column (`cap`); past it, or at a long text, a column's values
 * are no longer kept and its distinct values are not given. A segment standardized on another thread
 * (parallel.ts) counts its own rows; `merge` adds them up in any order with the same
 * result: the figures are those of one thread, whatever the threads.
 */
import { foldName } from '../schema/normalize-fr';
import type { FieldDescriptor, Value } from '../schema/types';

/** Values kept per column at most, shared out among the columns (memory stays bounded). */
const DISTINCT_BUDGET = 100_000;
const DISTINCT_CAP = 1000;
/** Longer texts are not counted as values (free text: its distinct values tell nothing). */
const MAX_COUNTED_LENGTH = 200;
/** A number as a data file writes it (numericText columns: `6774090.50`, `-1.588`). */
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;
/** Texts of a column found without a map look-up (a power of 2). */
const SLOTS = 64;
/** Most frequent values given, for a column with few distinct values. */
const TOP = 5;
const TOP_MAX_DISTINCT = 50;
/** A value quoted in `top` is cut to this many characters. */
const QUOTED_LENGTH = 80;

/** Column kinds: what is measured besides filled cells and distinct values. */
const enum Kind {
  /** Texts, booleans: nothing more. */
  Plain,
  /** Amounts and counts (`montant`, `nombre`…): min, max, total. */
  Amount,
  /** Other numbers (coordinates, rates, house numbers, a council's size), years: min, max. */
  Ordinal,
  /** ISO dates and months: min, max in text order (their order). */
  Calendar,
  /** Date-times: min, max by the instant (their zones may differ). */
  Instant,
}

/** Words of a column's name that make its total mean something: amounts and counts. */
const SUMMABLE_WORDS = new Set(['montant', 'montants', 'mt', 'total', 'budget', 'depense', 'depenses', 'recette', 'recettes', 'somme', 'nombre', 'nb', 'quantite', 'amount', 'count']);
/**
 * Words that make it something else: a rate or a per-unit figure (`prixUnitaire`,
 * `montantMoyen`), a year (`annee_budget`), a code, or a count taken again on each row
 * (`nombre_votants` of each deliberation: the same voters every time).
 */
const UNSUMMABLE_WORDS = new Set([
  'unitaire', 'moyen', 'moyenne', 'taux', 'pourcentage', 'part', 'ratio', 'prix',
  'annee', 'annees', 'an', 'year', 'exercice', 'mois', 'date', 'code', 'numero', 'id',
  'vote', 'votes', 'votant', 'votants', 'voix', 'membres', 'elus', 'conseillers', 'presents',
]);

/** The words of a column's name, folded: `montantTTC` → montant, ttc; `VOTE_EFFECTIF` → vote, effectif. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z\u00e0-\u00ff])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .map((w) => foldName(w));
}

/** Whether the total of a number column means something, by the words of its name (`montantTTC`, `NOMBRE`, `nb_places`; not `VOTE_EFFECTIF`, `prixUnitaire`). */
export function summable(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => SUMMABLE_WORDS.has(w)) && !words.some((w) => UNSUMMABLE_WORDS.has(w));
}

function kindOf(type: FieldDescriptor['type'] | undefined, name: string): Kind {
  switch (type) {
    case 'number':
    case 'integer':
      return summable(name) ? Kind.Amount : Kind.Ordinal;
    case 'year':
      return Kind.Ordinal;
    case 'date':
    case 'yearmonth':
      return Kind.Calendar;
    case 'datetime':
      return Kind.Instant;
    default:
      return Kind.Plain;
  }
}

export interface ColumnStats {
  name: string;
  /** The schema's title of the column. */
  title?: string;
  /** The schema's type of the column (absent without a schema: texts). */
  type?: FieldDescriptor['type'];
  /** Where the file has it: its letter, as a spreadsheet shows it, and its own heading when not the name. */
  column?: string;
  heading?: string;
  /** The file has no such column (published empty). */
  absent?: true;
  /** The schema requires a value in every row. */
  required?: true;
  /** Cells holding a value (not empty). */
  filled: number;
  /**
   * Distinct values among them, when counted; else `distinctOver` (more than that many:
   * 1,000, fewer for a schema of over 100 columns) or `longText` (a text over 200 characters:
   * free text, whose values are not counted).
   */
  distinct?: number;
  distinctOver?: number;
  longText?: true;
  /**
   * The values seen more than once, most frequent first (then in natural order: P2 before
   * P10), five at most, for a column of 50 distinct values at most. Absent when every value
   * is seen as often as every other: `sameCount` says how often.
   */
  top?: { value: string | number | boolean; count: number }[];
  sameCount?: number;
  min?: number | string;
  max?: number | string;
  /** A number left out of `min`/`max` because it stands for « none » (a BAL's `numero` 99999, a place without address). */
  rangeLeavesOut?: number;
  /** A share the schema bounds by 1 (0.05 is 5 %): shown in per cents. */
  proportion?: true;
  /** Amounts and counts (a number column whose name says so: `montant`, `nombre`, `total`…; see `summable`): their total. */
  sum?: number;
}

/** How many times a column holds `value`. */
interface Counter {
  value: Value;
  n: number;
}

export interface TableStats {
  rows: number;
  columns: ColumnStats[];
  /** Columns whose statistics were left out to keep them small (boundedStats): the last ones. */
  columnsLeftOut?: number;
}

export interface StatsOptions {
  /** Per column, a number that stands for « none » and is left out of the range (a BAL's `numero` 99999: a place without address). */
  placeholders?: readonly (number | undefined)[];
  /** Columns of text whose values are numbers (a BAL's coordinates, text in its schema): ranged as numbers. */
  numericText?: readonly boolean[];
}

/** What a segment sends back to be merged: counts, ranges, and the values still counted. */
export interface StatsState {
  rows: number;
  filled: Float64Array;
  /** Numbers: least and greatest (±Infinity when none was seen). */
  low: Float64Array;
  high: Float64Array;
  sum: Float64Array;
  /** Compensation of each sum (Neumaier), so that the total does not depend on how rows were split. */
  carry: Float64Array;
  /** Dates: earliest and latest (null when none was seen). */
  first: (string | null)[];
  last: (string | null)[];
  /** Whether a text over MAX_COUNTED_LENGTH was seen, and how many cells held the placeholder, per column. */
  longSeen: Uint8Array;
  placeheld: Float64Array;
  /** Per column: its values and their counts; null once not counted (past the cap, a long text, or `skip`). */
  counts: (Map<Value, Counter> | null)[];
}

const isCell = (v: Value | undefined): v is string | number | boolean => v !== null && v !== undefined && v !== '';

export class StatsCollector {
  rows = 0;
  private readonly n: number;
  private readonly types: readonly (FieldDescriptor['type'] | undefined)[];
  private readonly kinds: Kind[];
  readonly cap: number;
  private readonly filled: Float64Array;
  /** Columns of numbers (amounts first: `amountCount` of them), of dates, and still counted. */
  private readonly numberColumns: Int32Array;
  private readonly amountCount: number;
  private readonly dateColumns: Int32Array;
  private counted: Int32Array;
  /** NaN: none (NaN equals nothing). */
  private readonly placeholder: Float64Array;
  /** Cells holding the placeholder, per column (`rangeLeavesOut` only when some did). */
  private readonly placeheld: Float64Array;
  private readonly numericText: Uint8Array;
  /** Whether a text over MAX_COUNTED_LENGTH was seen (any row, counted or not: the reason a column is not counted is the same on any number of threads). */
  private readonly longSeen: Uint8Array;
  /** Text columns (the length of their values is looked at). */
  private readonly textColumns: Int32Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly sum: Float64Array;
  private readonly carry: Float64Array;
  private readonly first: (string | null)[];
  private readonly last: (string | null)[];
  private readonly counts: (Map<Value, Counter> | null)[];
  /** SLOTS per column: counters of texts seen lately, by a signature of the text (see `add`). */
  private readonly slots: (Counter | null)[];

  /** `names`, `types`: the published columns (types absent without a schema). */
  constructor(
    readonly names: readonly string[],
    types: readonly (FieldDescriptor['type'] | undefined)[],
    /** Columns whose distinct values another thread already found past the cap: not counted here. */
    skip?: readonly boolean[],
    opts: StatsOptions = {},
  ) {
    const { placeholders, numericText } = opts;
    const n = names.length;
    this.n = n;
    this.types = types;
    const kinds = names.map((name, i) => (numericText?.[i] ? Kind.Ordinal : kindOf(types[i], name)));
    this.kinds = kinds;
    this.cap = Math.max(10, Math.min(DISTINCT_CAP, Math.floor(DISTINCT_BUDGET / Math.max(1, n))));
    const of = (...wanted: Kind[]) => Int32Array.from(kinds.keys()).filter((i) => wanted.includes(kinds[i]));
    const amounts = of(Kind.Amount);
    this.amountCount = amounts.length;
    this.numberColumns = Int32Array.from([...amounts, ...of(Kind.Ordinal)]);
    this.dateColumns = of(Kind.Calendar, Kind.Instant);
    this.filled = new Float64Array(n);
    this.placeholder = Float64Array.from(names, (_, i) => placeholders?.[i] ?? NaN);
    this.placeheld = new Float64Array(n);
    this.numericText = Uint8Array.from(names, (_, i) => (numericText?.[i] ? 1 : 0));
    this.longSeen = new Uint8Array(n);
    this.textColumns = of(Kind.Plain);
    this.low = new Float64Array(n).fill(Infinity);
    this.high = new Float64Array(n).fill(-Infinity);
    this.sum = new Float64Array(n);
    this.carry = new Float64Array(n);
    this.first = new Array<string | null>(n).fill(null);
    this.last = new Array<string | null>(n).fill(null);
    this.counts = names.map((_, i) => (skip?.[i] ? null : new Map<Value, Counter>()));
    this.slots = new Array<Counter | null>(n * SLOTS).fill(null);
    this.counted = Int32Array.from(names.keys()).filter((i) => this.counts[i] !== null);
  }

  /** Counts one published row (`values` in the order of `names`). */
  add(values: readonly Value[]): void {
    this.rows++;
    const { n, filled } = this;
    for (let i = 0; i < n; i++) if (isCell(values[i])) filled[i]++;
    const { numberColumns, amountCount, low, high, sum, carry } = this;
    for (let k = 0; k < numberColumns.length; k++) {
      const i = numberColumns[k];
      let v = values[i];
      // A number written as text (StatsOptions.numericText): its value, when written as a plain decimal.
      if (typeof v === 'string' && this.numericText[i] === 1 && PLAIN_DECIMAL.test(v)) v = Number(v);
      // Finite numbers only (x - x is NaN for ±Infinity and NaN).
      if (typeof v !== 'number' || v - v !== 0) continue;
      if (v === this.placeholder[i]) {
        this.placeheld[i]++;
        continue;
      }
      if (v < low[i]) low[i] = v;
      if (v > high[i]) high[i] = v;
      if (k < amountCount) addCompensated(sum, carry, i, v);
    }
    const { textColumns, longSeen } = this;
    for (let k = 0; k < textColumns.length; k++) {
      const i = textColumns[k];
      const v = values[i];
      if (typeof v === 'string' && v.length > MAX_COUNTED_LENGTH) longSeen[i] = 1;
    }
    const { dateColumns } = this;
    for (let k = 0; k < dateColumns.length; k++) {
      const i = dateColumns[k];
      const v = values[i];
      if (typeof v === 'string' && v !== '') this.date(i, v);
    }
    const { counted, counts, slots } = this;
    for (let k = 0; k < counted.length; k++) {
      const i = counted[k];
      const v = values[i];
      if (!isCell(v) || (typeof v === 'number' && v - v !== 0)) continue;
      // A text is looked for first in a few slots chosen by its length and three of its characters:
      // one comparison, where the map would hash every character of a string the parser just made.
      let slot = -1;
      if (typeof v === 'string') {
        const len = v.length;
        slot = i * SLOTS + ((len * 7 + v.charCodeAt(0) * 31 + v.charCodeAt(len >> 1) * 131 + v.charCodeAt(len - 1)) & (SLOTS - 1));
        const cached = slots[slot];
        if (cached !== null && cached.value === v) {
          cached.n++;
          continue;
        }
      }
      const seen = counts[i]!;
      const counter = seen.get(v);
      if (counter !== undefined) {
        counter.n++;
        if (slot >= 0) slots[slot] = counter;
      } else if (seen.size >= this.cap || (typeof v === 'string' && v.length > MAX_COUNTED_LENGTH)) {
        // From the next row on, `counted` is without it (this loop goes on through the list it started with).
        this.stopCounting(i);
      } else {
        const fresh = { value: v, n: 1 };
        seen.set(v, fresh);
        if (slot >= 0) slots[slot] = fresh;
      }
    }
  }

  private date(i: number, v: string): void {
    const kind = this.kinds[i];
    const lo = this.first[i];
    if (lo === null || before(kind, v, lo)) this.first[i] = v;
    const hi = this.last[i];
    if (hi === null || before(kind, hi, v)) this.last[i] = v;
  }

  /** Column i is no longer counted (past the cap, a long text). */
  private stopCounting(i: number): void {
    this.counts[i] = null;
    this.slots.fill(null, i * SLOTS, (i + 1) * SLOTS);
    this.counted = this.counted.filter((c) => c !== i);
  }

  /** Which columns are no longer counted (a segment dispatched now need not count them). */
  get over(): boolean[] {
    return this.counts.map((c) => c === null);
  }

  state(): StatsState {
    const { rows, filled, low, high, sum, carry, first, last, longSeen, placeheld, counts } = this;
    return { rows, filled, low, high, sum, carry, first, last, longSeen, placeheld, counts };
  }

  /** Adds the rows another collector of the same columns counted. */
  merge(other: StatsState): void {
    this.rows += other.rows;
    for (let i = 0; i < this.n; i++) {
      this.filled[i] += other.filled[i];
      this.longSeen[i] |= other.longSeen[i];
      this.placeheld[i] += other.placeheld[i];
      if (other.low[i] < this.low[i]) this.low[i] = other.low[i];
      if (other.high[i] > this.high[i]) this.high[i] = other.high[i];
      if (this.kinds[i] === Kind.Amount) {
        addCompensated(this.sum, this.carry, i, other.sum[i]);
        this.carry[i] += other.carry[i];
      }
      if (other.first[i] !== null) this.date(i, other.first[i]!);
      if (other.last[i] !== null) this.date(i, other.last[i]!);
      const mine = this.counts[i];
      if (mine === null) continue;
      const theirs = other.counts[i];
      if (theirs === null) {
        this.stopCounting(i);
        continue;
      }
      for (const [v, c] of theirs) {
        const had = mine.get(v);
        if (had !== undefined) had.n += c.n;
        else if (mine.size >= this.cap) {
          this.stopCounting(i);
          break;
        } else mine.set(v, { value: v, n: c.n });
      }
    }
  }

  result(): TableStats {
    const columns = this.names.map((name, i): ColumnStats => {
      const type = this.types[i];
      const out: ColumnStats = type === undefined ? { name, filled: this.filled[i] } : { name, type, filled: this.filled[i] };
      const seen = this.counts[i];
      if (this.longSeen[i]) out.longText = true;
      else if (seen === null) out.distinctOver = this.cap;
      else {
        out.distinct = seen.size;
        if (seen.size <= TOP_MAX_DISTINCT && seen.size < this.filled[i]) Object.assign(out, topValues(seen));
      }
      const numbers = this.low[i] <= this.high[i];
      if (numbers) {
        out.min = this.low[i];
        out.max = this.high[i];
        if (this.placeheld[i] > 0) out.rangeLeavesOut = this.placeholder[i];
      } else if (this.first[i] !== null) {
        out.min = this.first[i]!;
        out.max = this.last[i]!;
      }
      if (this.kinds[i] === Kind.Amount && numbers) {
        const sum = total(this.sum[i] + this.carry[i]);
        // Past the largest double (two amounts of 1e308): no total.
        if (Number.isFinite(sum)) out.sum = sum;
      }
      return out;
    });
    return { rows: this.rows, columns };
  }
}

/**
 * Adds `v` to the sum of column i, keeping what rounding loses in `carry` (Neumaier): the
 * total of amounts to the cent, whatever their number, and whatever the rows' split.
 */
function addCompensated(sum: Float64Array, carry: Float64Array, i: number, v: number): void {
  const s = sum[i];
  const t = s + v;
  carry[i] += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
  sum[i] = t;
}

/** A total without the binary noise of decimal amounts (`0.1 + 0.2`): 15 significant digits, as they were typed. */
function total(x: number): number {
  return Number(x.toPrecision(15));
}

/** Whether `a` comes strictly before `b` in a column of this kind (date-times: by instant, then by text). */
function before(kind: Kind, a: number | string, b: number | string): boolean {
  if (kind === Kind.Instant) {
    const ta = Date.parse(a as string);
    const tb = Date.parse(b as string);
    if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta < tb;
  }
  return a < b;
}

/** Value order for ties: numbers as numbers, texts in natural order (`P2` before `P10`). */
function order(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return naturalOrder(a, b);
  if (typeof a === typeof b) return a! < b! ? -1 : a! > b! ? 1 : 0;
  return typeof a < typeof b ? -1 : 1;
}

/** Texts compared with their runs of digits as numbers (`P2` < `P10`), then as written. */
export function naturalOrder(a: string, b: string): number {
  const parts = /(\d+)|(\D+)/g;
  const pa = a.match(parts) ?? [];
  const pb = b.match(parts) ?? [];
  for (let k = 0; k < Math.min(pa.length, pb.length); k++) {
    const x = pa[k];
    const y = pb[k];
    if (x === y) continue;
    const dx = x.charCodeAt(0) <= 57 && x.charCodeAt(0) >= 48;
    const dy = y.charCodeAt(0) <= 57 && y.charCodeAt(0) >= 48;
    if (dx && dy && x.length !== y.length) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      // Same digits once the zeros are left aside (`002`, `2`): by value, then as written.
      if (nx !== ny) return nx < ny ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The values seen more than once, most frequent first; or, when all are seen as often, how often. */
function topValues(seen: Map<Value, Counter>): Pick<ColumnStats, 'top' | 'sameCount'> {
  const counters = [...seen.values()];
  const n = counters[0].n;
  if (counters.length > 1 && counters.every((c) => c.n === n)) return { sameCount: n };
  const top = counters
    .filter((c) => c.n > 1)
    .sort((a, b) => b.n - a.n || order(a.value, b.value))
    .slice(0, TOP)
    .map(({ value, n: count }) => ({ value: typeof value === 'string' ? clip(value) : value!, count }));
  return top.length ? { top } : {};
}

/** A text cut to QUOTED_LENGTH characters, never inside a character written with two UTF-16 units (an emoji). */
function clip(s: string): string {
  if (s.length <= QUOTED_LENGTH) return s;
  let end = QUOTED_LENGTH - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}

/** Bytes of JSON the statistics of a version take at most (an item of their own in DynamoDB, beside the version's: 400 KB at most). */
export const MAX_STATS_BYTES = 32 * 1024;

/**
 * `stats` within `maxBytes` of JSON: the most frequent values are left out, from the last
 * column back, then the last columns (`columnsLeftOut` says how many) — only a schema of
 * hundreds of columns gets there.
 */
export function boundedStats(stats: TableStats, maxBytes = MAX_STATS_BYTES): TableStats {
  const size = (s: TableStats) => Buffer.byteLength(JSON.stringify(s), 'utf8');
  if (size(stats) <= maxBytes) return stats;
  const columns = stats.columns.map((c) => ({ ...c }));
  const out: TableStats = { rows: stats.rows, columns };
  // Room for `columnsLeftOut`.
  const room = maxBytes - 32;
  let bytes = size(out);
  for (let i = columns.length - 1; i >= 0 && bytes > room; i--) {
    if (!columns[i].top) continue;
    bytes -= Buffer.byteLength(JSON.stringify(columns[i].top), 'utf8') + ',"top":'.length;
    delete columns[i].top;
  }
  while (bytes > room && columns.length > 0) {
    bytes -= Buffer.byteLength(JSON.stringify(columns.pop()), 'utf8') + 1;
    out.columnsLeftOut = stats.columns.length - columns.length;
  }
  return out;
}
