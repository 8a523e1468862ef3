/**
 * Where records end, without cutting cells: the quoting rules of the CSV readers (csv.ts,
 * csv-bytes.ts) as a byte state machine carried across chunks. Used to split a large file
 * into segments that workers parse on their own (parallel.ts): a segment always starts at a
 * record start, and the line number there is known.
 *
 * Rules (same as the readers): a quote opens a quoted field only at the start of a field;
 * inside, `""` is a quote; after the closing quote, text runs to the delimiter or line
 * break. Line breaks: LF, CRLF, or a lone CR; every one counts for line numbers, blank lines
 * and breaks inside quoted fields included.
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
  /** Offset in the scanned buffer just after the last record end (-1: none in it). */
  offset: number;
  /** Line of the record that starts there. */
  line: number;
}

export class RecordBoundaryScanner {
  private state = State.FieldStart;
  /** Line breaks so far (CR, and LF not preceded by CR). */
  private breaks = 0;
  private prev = 0;

  /** `firstLine`: the line of the first byte scanned (a record start). */
  constructor(
    private readonly delimiter: number,
    firstLine = 1,
  ) {
    this.breaks = firstLine - 1;
  }

  /** Line of the byte after the last one scanned. */
  get line(): number {
    return this.breaks + 1;
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
   * Then the last line feed outside the quoted fields is the boundary. Anything else (a
   * quoted field running past the end, a quote the readers take literally) returns null:
   * the byte loop decides, and no state was changed.
   */
  private scanRegular(buf: Uint8Array): Boundary | null {
    const state = this.state;
    if (state !== State.FieldStart && state !== State.Unquoted && state !== State.AfterClose) return null;
    const d = this.delimiter;
    const n = buf.length;
    if (n === 0) return { offset: -1, line: 0 };
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
    // The last line feed outside quoted fields.
    let lf = buf.lastIndexOf(LF);
    for (let k = quoted.length - 2; k >= 0 && lf >= 0; k -= 2) {
      if (lf > quoted[k + 1]) break;
      if (lf > quoted[k]) lf = buf.lastIndexOf(LF, quoted[k]);
    }
    // Line breaks: CR, and LF not right after a CR.
    let breaks = this.breaks;
    let breaksAtBoundary = breaks;
    for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) {
      if ((i > 0 ? buf[i - 1] : this.prev) !== CR) breaks++;
      if (i === lf) breaksAtBoundary = breaks;
    }
    for (let i = buf.indexOf(CR); i >= 0; i = buf.indexOf(CR, i + 1)) {
      breaks++;
      if (i < lf) breaksAtBoundary++;
    }
    const last = buf[n - 1];
    this.state = last === CR ? State.AfterCr : last === LF || last === d ? State.FieldStart : State.Unquoted;
    this.prev = last;
    this.breaks = breaks;
    return lf < 0 ? { offset: -1, line: 0 } : { offset: lf + 1, line: breaksAtBoundary + 1 };
  }

  private scanBytes(buf: Uint8Array): Boundary {
    const d = this.delimiter;
    const n = buf.length;
    let state = this.state;
    let breaks = this.breaks;
    let prev = this.prev;
    let offset = -1;
    let line = 0;
    for (let i = 0; i < n; i++) {
      const c = buf[i];
      if (c === CR || (c === LF && prev !== CR)) breaks++;
      prev = c;
      if (state === State.AfterCr) {
        if (c === LF) {
          offset = i + 1;
          line = breaks + 1;
          state = State.FieldStart;
          continue;
        }
        // A lone CR: the record ended before this byte, which starts the next one.
        offset = i;
        line = breaks + (c === CR ? 0 : 1);
        state = State.FieldStart;
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
        offset = i + 1;
        line = breaks + 1;
        state = State.FieldStart;
      } else if (c === CR) state = State.AfterCr;
      else if (state === State.FieldStart) state = State.Unquoted;
    }
    this.state = state;
    this.breaks = breaks;
    this.prev = prev;
    return { offset, line };
  }
}
