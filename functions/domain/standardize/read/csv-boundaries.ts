/**
 * Where records end, without cutting cells: the quoting rules of the CSV readers (csv.ts,
 * csv-bytes.ts) as a byte state machine carried across chunks. Used to split a large file
 * into segments that workers parse on their own (parallel.ts): a segment always starts at a
 * record start, and the row number there is known.
 *
 * Rules (same as the readers): a quote opens a quoted field only at the start of a field;
 * inside, `""` is a quote; after the closing quote, text runs to the delimiter or line
 * break. Line breaks: LF, CRLF, or a lone CR. Rows are numbered as a spreadsheet shows the
 * file: one per record, a blank line included; a line break inside quotes stays in its row.
 */
const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the closing one, or the first of `""`. */
  QuoteInQuoted,
  AfterClose,
  /** A CR ended a record; an LF right after it belongs to it. */
  AfterCr,
}

export interface Boundary {
  /** Offset in the scanned buffer just after the last record end known as such (a CR last waits for the next byte; -1: none in it). */
  offset: number;
  /** Row of the record that starts there. */
  row: number;
}

export class RecordBoundaryScanner {
  private state = State.FieldStart;
  /** Records ended so far (by a CR, or an LF not preceded by CR, outside quotes), counted from row 1. */
  private records = 0;
  private prev = 0;

  /** `firstRow`: the row of the first byte scanned (a record start). */
  constructor(
    private readonly delimiter: number,
    firstRow = 1,
  ) {
    this.records = firstRow - 1;
  }

  /** Row of the byte after the last one scanned. */
  get row(): number {
    return this.records + 1;
  }

  /** Whether the bytes so far end inside a quoted field (an unterminated quote at end of file). */
  get inQuotes(): boolean {
    return this.state === State.Quoted;
  }

  /** Scans `buf`, continuing the previous call. */
  scan(buf: Uint8Array): Boundary {
    return this.scanRegular(buf) ?? this.scanBytes(buf);
  }

  /**
   * The common case, with native searches instead of a loop over every byte: outside a
   * quoted field at the start, every quote opens a field (right after a delimiter or a line
   * break) and every closing quote ends one (right before a delimiter or a line break).
   * Then the boundary is after the last record end outside the quoted fields: a line feed,
   * or a lone CR (a CR-only file, as Excel for Mac's "CSV (Macintosh)" writes) with a byte
   * after it in `buf` that is not a line feed; a CR last in `buf` may be the first half of a
   * CRLF, and waits for the next chunk. Anything else (a quoted field running past the end,
   * a quote the readers take literally) returns null: the byte loop decides, and no state
   * was changed.
   */
  private scanRegular(buf: Uint8Array): Boundary | null {
    const state = this.state;
    if (state !== State.FieldStart && state !== State.Unquoted && state !== State.AfterClose) return null;
    const d = this.delimiter;
    const n = buf.length;
    if (n === 0) return { offset: -1, row: 0 };
    const quoted: number[] = [];
    for (let q = buf.indexOf(QUOTE); q >= 0; ) {
      const before = q > 0 ? buf[q - 1] : this.prev;
      const atFieldStart = q > 0 || state === State.FieldStart ? before === d || before === LF || before === CR : false;
      if (!atFieldStart && !(q === 0 && state === State.FieldStart)) return null;
      let close = -1;
      for (let p = q + 1; ; ) {
        const c = buf.indexOf(QUOTE, p);
        if (c < 0 || c + 1 >= n) return null;
        if (buf[c + 1] === QUOTE) {
          p = c + 2;
          continue;
        }
        const after = buf[c + 1];
        if (after !== d && after !== LF && after !== CR) return null;
        close = c;
        break;
      }
      quoted.push(q, close);
      q = buf.indexOf(QUOTE, close + 1);
    }
    const lf = lastOutside(buf, LF, n - 1, quoted);
    // A CR outside quoted fields after the last such LF is not followed by an LF (that LF would be outside too).
    const cr = n >= 2 ? lastOutside(buf, CR, n - 2, quoted) : -1;
    const boundary = Math.max(lf, cr) + 1;
    // Record ends: a CR, or an LF not right after a CR, outside quoted fields (one found inside jumps past the field).
    let records = this.records;
    let recordsAtBoundary = records;
    for (let i = buf.indexOf(LF), k = 0; i >= 0; i = buf.indexOf(LF, i + 1)) {
      while (k < quoted.length && quoted[k + 1] < i) k += 2;
      if (k < quoted.length && quoted[k] < i) {
        i = quoted[k + 1];
        continue;
      }
      if ((i > 0 ? buf[i - 1] : this.prev) !== CR) {
        records++;
        if (i < boundary) recordsAtBoundary++;
      }
    }
    for (let i = buf.indexOf(CR), k = 0; i >= 0; i = buf.indexOf(CR, i + 1)) {
      while (k < quoted.length && quoted[k + 1] < i) k += 2;
      if (k < quoted.length && quoted[k] < i) {
        i = quoted[k + 1];
        continue;
      }
      records++;
      if (i < boundary) recordsAtBoundary++;
    }
    const last = buf[n - 1];
    this.state = last === CR ? State.AfterCr : last === LF || last === d ? State.FieldStart : State.Unquoted;
    this.prev = last;
    this.records = records;
    return boundary === 0 ? { offset: -1, row: 0 } : { offset: boundary, row: recordsAtBoundary + 1 };
  }

  private scanBytes(buf: Uint8Array): Boundary {
    const d = this.delimiter;
    const n = buf.length;
    let state = this.state;
    let records = this.records;
    let prev = this.prev;
    let offset = -1;
    let row = 0;
    for (let i = 0; i < n; i++) {
      const c = buf[i];
      prev = c;
      if (state === State.AfterCr) {
        // The CR ended a record (counted); an LF right after it belongs to it.
        offset = c === LF ? i + 1 : i;
        row = records + 1;
        state = State.FieldStart;
        if (c === LF) continue;
      }
      if (state === State.Quoted) {
        if (c === QUOTE) state = State.QuoteInQuoted;
        continue;
      }
      if (state === State.QuoteInQuoted) {
        if (c === QUOTE) {
          state = State.Quoted;
          continue;
        }
        state = State.AfterClose;
      } else if (state === State.FieldStart && c === QUOTE) {
        state = State.Quoted;
        continue;
      }
      // Field start, unquoted text, or text after a closing quote.
      if (c === d) state = State.FieldStart;
      else if (c === LF) {
        records++;
        offset = i + 1;
        row = records + 1;
        state = State.FieldStart;
      } else if (c === CR) {
        records++;
        state = State.AfterCr;
      } else if (state === State.FieldStart) state = State.Unquoted;
    }
    this.state = state;
    this.records = records;
    this.prev = prev;
    return { offset, row };
  }
}

/** The last `byte` at or before `from` outside the quoted fields (`quoted`: opening and closing quote offsets, in order); -1: none. */
function lastOutside(buf: Uint8Array, byte: number, from: number, quoted: readonly number[]): number {
  let i = buf.lastIndexOf(byte, from);
  for (let k = quoted.length - 2; k >= 0 && i >= 0; k -= 2) {
    if (i > quoted[k + 1]) break;
    if (i > quoted[k]) i = buf.lastIndexOf(byte, quoted[k]);
  }
  return i;
}

/** The row of the byte right after `bytes`, which start a record on row `firstRow` (see RecordBoundaryScanner). */
export function rowAfter(bytes: Uint8Array, delimiter: number, firstRow = 1): number {
  const scanner = new RecordBoundaryScanner(delimiter, firstRow);
  scanner.scan(bytes);
  return scanner.row;
}
