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
