/**
 * The RFC 4180 reader of csv.ts, over validated bytes instead of decoded text: same records,
 * same row numbers, same leniency and guard rails (see csv.ts), but nothing is decoded
 * before a record is cut, and each record is decoded in one native call.
 *
 * Why: decoding whole chunks to UTF-16 and then cutting strings cost more than the rest of
 * reading (Windows-1252 text with a `€` or a `’` decodes to two-byte strings). Scanning
 * bytes is one monomorphic loop; each record then becomes one string (Latin-1 or UTF-8
 * slice) and its cells substrings of it.
 *
 * Each record also carries where its cells are in the source bytes (`raw`): a writer can
 * copy a cell that standardization left unchanged straight from the source bytes instead of
 * encoding its string again (see write/byte-buffer.ts).
 */
import { rowAfter } from './csv-boundaries';
import { CsvDelimiter, sniffDelimiter, tooLarge } from './csv';
import { asBuffer, concat, InvalidEncodingError, WINDOWS_1252_TABLE, type BytePiece, type FastBuffer as NativeBuffer, type TextEncoding } from './decode';
import { TableReadError } from './errors';

const QUOTE = 34;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;

/** Where a record's cells are in its source bytes. */
export interface RawCells {
  bytes: Uint8Array;
  encoding: TextEncoding;
  /**
   * Cell k's bytes are `spans[at + 2k]` to `spans[at + 2k + 1]`; start -1 when its text is
   * not a verbatim range (quotes were doubled, or text followed the closing quote). `spans`
   * is shared by many records.
   */
  spans: Int32Array;
  at: number;
  /**
   * No byte a writer escapes or quotes in the record: no `"` but those around quoted cells,
   * no `\`, no control character (a quoted line break included). A verbatim cell of a clean
   * UTF-8 record is copied without looking at its bytes (write/byte-buffer.ts).
   */
  clean: boolean;
  /** The delimiter's byte: between two cells that were not quoted, the one byte there is. */
  delimiter: number;
}

export interface ByteCsvRecord {
  cells: string[];
  /**
   * The record's row as a spreadsheet opening the file shows it (header = 1): records are
   * counted, blank lines included; a line break inside quotes does not start a row.
   */
  row: number;
  raw: RawCells;
}

/** UTF-16 code units of a cell being fixed (fixC1), as bytes for one native decode. */
let wide = Buffer.allocUnsafe(2048) as NativeBuffer;

/**
 * A cell read as Latin-1 (every unit ≤ 0xFF) that holds a Windows-1252 byte of 0x80–0x9F
 * (`€`, `’`…): its characters, mapped by table into UTF-16 and decoded in one native call
 * (half the time of a regex replace with a callback; every amount in euros goes through here).
 */
function fixC1(s: string): string {
  const n = s.length;
  if (2 * n > wide.length) wide = Buffer.allocUnsafe(4 * n) as NativeBuffer;
  const out = wide;
  for (let i = 0; i < n; i++) {
    const c = WINDOWS_1252_TABLE[s.charCodeAt(i)];
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out.ucs2Slice(0, 2 * n);
}

/** Spans of this many records' cells share one array (a small typed array per record costs more than its cells). */
const SPAN_POOL = 64 * 1024;

/** Slots per cell in ByteCsvParser.bounds. */
const SLOTS = 6;
const RAW_START = 0;
const RAW_END = 1;
const TEXT_START = 2;
const TEXT_END = 3;
/** Bits: 1 quoted, 2 doubled quotes inside, 4 (Windows-1252) a byte 0x80–0x9F, read as Latin-1 then fixed. */
const FLAGS = 4;
/** Quoted: text offset of the closing quote. */
const CLOSE = 5;

/** Push-style parser over BytePieces; collects complete records. */
export class ByteCsvParser {
  /** Row of the next record. */
  row = 1;
  blankRows = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private encoding: TextEncoding = 'utf-8';
  private readonly d: number;
  /** Cell boundaries of the record being read, SLOTS per cell, offsets relative to the record. */
  private bounds = new Int32Array(SLOTS * 64);

  constructor(
    delimiter: string,
    private readonly maxRecord: number,
  ) {
    this.d = delimiter.charCodeAt(0);
    for (const t of [this.utf8Classes, this.win1252Classes]) {
      t.fill(3, 0, 0x20);
      t[QUOTE] = 3;
      t[BACKSLASH] = 3;
      for (const c of [this.d, LF, CR]) t[c] = 1;
    }
    this.utf8Classes.fill(2, 0x80, 0x100);
    this.win1252Classes.fill(2, 0x80, 0xa0);
  }

  /**
   * Byte classes for the unquoted-field scan: 1 ends the field; 2 is not ASCII (UTF-8) or
   * 0x80–0x9F (Windows-1252); 3 makes the record not `clean` (a quote, a backslash, a control character).
   */
  private readonly utf8Classes = new Uint8Array(256);
  private readonly win1252Classes = new Uint8Array(256);

  push(piece: BytePiece, out: ByteCsvRecord[]): void {
    this.encoding = piece.encoding;
    const buf = concat(this.carry, piece.bytes);
    const used = this.parse(asBuffer(buf), false, out);
    // Copied: the source may reuse its chunk.
    this.carry = used === buf.length ? new Uint8Array(0) : Uint8Array.prototype.slice.call(buf, used);
    if (this.carry.length > this.maxRecord) throw tooLarge(this.row, this.maxRecord);
  }

  end(out: ByteCsvRecord[]): void {
    const buf = this.carry;
    this.carry = new Uint8Array(0);
    if (buf.length) this.parse(asBuffer(buf), true, out);
  }

  /**
   * The bytes pushed end where a record ends (a segment cut by read/csv-boundaries.ts, which
   * saw the byte after them): a CR last ends its record, not being the first half of a CRLF.
   * Anything else left over means a segment cut inside a record: an internal error, thrown
   * rather than losing the record.
   */
  endAtRecordEnd(out: ByteCsvRecord[]): void {
    const buf = this.carry;
    if (buf.length === 0) return;
    this.carry = new Uint8Array(0);
    const used = this.parse(asBuffer(buf), false, out, true);
    if (used !== buf.length) throw new Error(`CSV segment cut inside a record (row ${this.row}, ${buf.length - used} bytes left)`);
  }

  /** Encoding of the last piece pushed. */
  get lastEncoding(): TextEncoding {
    return this.encoding;
  }

  /** Hands over the bytes of the incomplete record (the parser then holds none). */
  takeCarry(): Uint8Array {
    const carry = this.carry;
    this.carry = new Uint8Array(0);
    return carry;
  }

  /** Row of the byte after those pushed (for errors raised by the source). */
  pendingRow(): number {
    return rowAfter(this.carry, this.d, this.row);
  }

  private grow(): Int32Array {
    const bigger = new Int32Array(this.bounds.length * 2);
    bigger.set(this.bounds);
    this.bounds = bigger;
    return bigger;
  }

  /**
   * Parses whole records from `buf`; returns the offset of the first byte not consumed.
   * `recordEnd`: a CR last in `buf` ends its record (see endAtRecordEnd).
   */
  private parse(buf: NativeBuffer, final: boolean, out: ByteCsvRecord[], recordEnd = final): number {
    const d = this.d;
    const n = buf.length;
    const max = this.maxRecord;
    const utf8 = this.encoding === 'utf-8';
    const cls = utf8 ? this.utf8Classes : this.win1252Classes;
    let pos = 0;
    while (pos < n) {
      const recStart = pos;
      let quoted = false;
      let k = 0;
      // UTF-8: whether a byte is not ASCII, and `shift` = bytes − UTF-16 units so far (continuation
      // bytes add no unit, a 4-byte sequence two). Windows-1252: the record is read as Latin-1 and
      // cells holding a byte 0x80–0x9F (`€`, `’`…) are fixed afterwards (flag 4).
      let special = false;
      /** UTF-8: a lead byte of U+0300–U+037F, combining accents (text from a Mac: `e` then U+0301). */
      let combining = false;
      let dirty = false;
      let c1 = 0;
      let shift = 0;
      let b: Int32Array = this.bounds;
      let end: number;
      for (;;) {
        if ((k + 1) * SLOTS > b.length) b = this.grow();
        const o = k * SLOTS;
        b[o + TEXT_START] = pos - recStart - shift;
        if (pos < n && buf[pos] === QUOTE) {
          quoted = true;
          let p = pos + 1;
          let doubled = false;
          let close: number;
          for (;;) {
            const q = buf.indexOf(QUOTE, p);
            if (q < 0 || (q + 1 >= n && !final)) {
              if (final) {
                throw new TableReadError('unterminated-quote', `Un guillemet (") ouvert à la ligne ${this.row} n’est jamais refermé : ajoutez le guillemet fermant, ou supprimez celui-ci.`, this.row);
              }
              if (n - recStart > max) throw tooLarge(this.row, max);
              return recStart;
            }
            if (q - recStart > max) throw tooLarge(this.row, max);
            if (buf[q + 1] === QUOTE) {
              doubled = true;
              p = q + 2;
              continue;
            }
            close = q;
            break;
          }
          end = close + 1;
          while (end < n) {
            const c = buf[end];
            if (c === d || c === LF || c === CR) break;
            end++;
          }
          c1 = 0;
          for (let i = pos; i < end; i++) {
            const c = buf[i];
            if (i === close) b[o + CLOSE] = close - recStart - shift;
            if (c >= 0x80) {
              if (utf8) {
                special = true;
                if (c < 0xc0) shift++;
                else if (c >= 0xf0) shift--;
                else if (c === 0xcc || c === 0xcd) combining = true;
              } else if (c < 0xa0) c1 = 4;
            } else if (c < 0x20) dirty = true;
            else if (c === BACKSLASH || (c === QUOTE && i !== pos && i !== close)) dirty = true;
          }
          const verbatim = !doubled && end === close + 1;
          b[o + RAW_START] = verbatim ? pos + 1 : -1;
          b[o + RAW_END] = close;
          b[o + FLAGS] = (doubled ? 3 : 1) | c1;
        } else {
          end = pos;
          c1 = 0;
          // One table load per byte: 0 text, 1 field end, 2 a byte the decoding must know about, 3 one a writer escapes.
          while (end < n) {
            const c = buf[end];
            const kind = cls[c];
            if (kind !== 0) {
              if (kind === 1) break;
              if (kind === 3) dirty = true;
              else if (utf8) {
                special = true;
                if (c < 0xc0) shift++;
                else if (c >= 0xf0) shift--;
                else if (c === 0xcc || c === 0xcd) combining = true;
              } else c1 = 4;
            }
            end++;
          }
          b[o + RAW_START] = pos;
          b[o + RAW_END] = end;
          b[o + FLAGS] = c1;
        }
        b[o + TEXT_END] = end - recStart - shift;
        k++;
        pos = end;
        if (pos >= n) {
          if (final) break;
          if (n - recStart > max) throw tooLarge(this.row, max);
          return recStart;
        }
        const c = buf[pos];
        if (c === d) {
          pos++;
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= n && !recordEnd) return recStart;
          pos += buf[pos + 1] === LF ? 2 : 1;
        } else pos++;
        break;
      }
      if (pos - recStart > max) throw tooLarge(this.row, max);
      const row = this.row++;
      // A blank line, or a line of bare delimiters (`;;;;`: a spreadsheet's formatted empty rows).
      if (!quoted && end - recStart === k - 1) {
        this.blankRows++;
        continue;
      }
      out.push(this.record(buf, recStart, end, k, special, utf8, row, !dirty, combining));
    }
    return pos;
  }

  /** Decodes the record's bytes [start, end) once and cuts its `k` cells (bounds in this.bounds). */
  private record(buf: NativeBuffer, start: number, end: number, k: number, special: boolean, utf8: boolean, row: number, clean: boolean, combining: boolean): ByteCsvRecord {
    const b = this.bounds;
    const text = special ? buf.utf8Slice(start, end) : buf.latin1Slice(start, end);
    const cells = new Array<string>(k);
    if (this.spanUsed + 2 * k > this.spans.length) {
      this.spans = new Int32Array(Math.max(SPAN_POOL, 2 * k));
      this.spanUsed = 0;
    }
    const spans = this.spans;
    const at = this.spanUsed;
    this.spanUsed += 2 * k;
    for (let i = 0; i < k; i++) {
      const o = i * SLOTS;
      spans[at + 2 * i] = b[o + RAW_START];
      spans[at + 2 * i + 1] = b[o + RAW_END];
      const flags = b[o + FLAGS];
      let value: string;
      if ((flags & 1) === 0) value = text.slice(b[o + TEXT_START], b[o + TEXT_END]);
      else {
        // Quoted: the content between the quotes (doubled quotes undone), then any text after the closing quote.
        const close = b[o + CLOSE];
        value = text.slice(b[o + TEXT_START] + 1, close);
        if (flags & 2) value = value.replaceAll('""', '"');
        if (b[o + TEXT_END] > close + 1) value += text.slice(close + 1, b[o + TEXT_END]);
      }
      cells[i] = flags & 4 ? fixC1(value) : value;
      // Accents as a letter and its combining mark: composed (lengths, searches, patterns count
      // them once), and then no longer the source bytes, which the writers must not copy.
      if (combining) {
        const composed = cells[i].normalize('NFC');
        if (composed !== cells[i]) {
          cells[i] = composed;
          spans[at + 2 * i] = -1;
        }
      }
    }
    return { cells, row, raw: { bytes: buf, encoding: utf8 ? 'utf-8' : 'windows-1252', spans, at, clean, delimiter: this.d } };
  }

  private spans = new Int32Array(0);
  private spanUsed = 0;
}

const SNIFF_BYTES = 64 * 1024;
/** Bytes parsed at a time: every record of a slice is alive until it is consumed (see csv.ts). */
const PARSE_SLICE_BYTES = 64 * 1024;

/**
 * Where the slice of `bytes` parsed from `at` ends: after the last line feed within
 * PARSE_SLICE_BYTES when there is one (the parser then carries nothing over), else there.
 */
export function sliceEnd(bytes: Buffer, at: number): number {
  if (bytes.length - at <= PARSE_SLICE_BYTES) return bytes.length;
  const lf = bytes.lastIndexOf(LF, at + PARSE_SLICE_BYTES - 1);
  return lf >= at ? lf + 1 : at + PARSE_SLICE_BYTES;
}

/** What readCsvBytes has not parsed: raw pieces from a record start. */
export interface CsvRest {
  /** Row of the next record. */
  row: number;
  /** Blank lines skipped before it. */
  blankRows: number;
  /** Validated bytes (an invalid UTF-8 sequence still throws `invalid-encoding`, without its row). */
  pieces: AsyncIterable<BytePiece>;
}

export interface ByteCsvReader {
  delimiter: CsvDelimiter;
  /** The records in arrays (one per parsed slice, never empty, never reused). */
  batches: AsyncGenerator<ByteCsvRecord[]>;
  /**
   * Stops `batches` (between two batches) and hands over the bytes it has not parsed, to
   * parse them elsewhere (parallel.ts): the records already yielded plus these are the file.
   */
  rest(): CsvRest;
  /** Blank lines skipped so far. */
  readonly blankRows: number;
}

/** `sep=;` (or `,`, tab, `|`) alone on the first line, as Excel writes it to say the delimiter. */
const SEP_LINE = /^sep=([;,\t|])(\r\n|\n|\r)/i;

/**
 * readCsv (csv.ts) over validated bytes: sniff the delimiter on the first 64 KB (unless
 * given), then parse lazily. Same errors: `row-too-large`, `unterminated-quote`, and
 * `invalid-encoding` from the decoder with the row filled in.
 */
export async function readCsvBytes(
  pieces: AsyncIterable<BytePiece>,
  opts: { delimiter?: CsvDelimiter; maxRecordBytes: number },
): Promise<ByteCsvReader> {
  const it = pieces[Symbol.asyncIterator]();
  const head: BytePiece[] = [];
  let headBytes = 0;
  let done = false;
  try {
    while (headBytes < SNIFF_BYTES) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      headBytes += r.value.bytes.length;
    }
  } catch (e) {
    if (e instanceof InvalidEncodingError && e.row === undefined) {
      let bytes: Uint8Array = new Uint8Array(0);
      for (const p of head) bytes = concat(bytes, p.bytes);
      throw e.withLine(csvRowAt(bytes, bytes.length));
    }
    throw e;
  }
  // Excel's `sep=;` first line names the delimiter: it is used, and the line is not the header.
  const hint = head.length > 0 ? SEP_LINE.exec(asBuffer(head[0].bytes).latin1Slice(0, Math.min(head[0].bytes.length, 8))) : null;
  if (hint) head[0] = { ...head[0], bytes: head[0].bytes.subarray(hint[0].length) };
  // Delimiters, quotes and line breaks are ASCII: a Latin-1 reading of the head is enough to sniff.
  const delimiter =
    opts.delimiter ?? (hint ? (hint[1] as CsvDelimiter) : sniffDelimiter(head.map((p) => asBuffer(p.bytes).latin1Slice(0, p.bytes.length)).join('')));
  const parser = new ByteCsvParser(delimiter, opts.maxRecordBytes);
  if (hint) parser.row = 2;

  /** The piece being parsed, and how far. */
  let current: { bytes: NativeBuffer; encoding: TextEncoding } | null = null;
  let at = 0;
  let handedOver = false;

  async function* batches(): AsyncGenerator<ByteCsvRecord[]> {
    for (;;) {
      if (handedOver) return;
      let piece = head.shift();
      if (!piece) {
        if (done) break;
        let r: IteratorResult<BytePiece>;
        try {
          r = await it.next();
        } catch (e) {
          if (e instanceof InvalidEncodingError && e.row === undefined) throw e.withLine(parser.pendingRow());
          throw e;
        }
        if (r.done) {
          done = true;
          break;
        }
        piece = r.value;
      }
      current = { bytes: asBuffer(piece.bytes), encoding: piece.encoding };
      const bytes = current.bytes;
      for (at = 0; at < bytes.length; ) {
        const end = sliceEnd(bytes, at);
        const out: ByteCsvRecord[] = [];
        parser.push({ bytes: at === 0 && end === bytes.length ? bytes : bytes.subarray(at, end), encoding: piece.encoding }, out);
        at = end;
        if (out.length) yield out;
        if (handedOver) return;
      }
      current = null;
    }
    const out: ByteCsvRecord[] = [];
    parser.end(out);
    if (out.length) yield out;
  }

  /** The bytes not parsed yet, from the start of the next record (see ByteCsvReader.rest). */
  function rest(): CsvRest {
    handedOver = true;
    const row = parser.row;
    const carry = parser.takeCarry();
    const first: BytePiece[] = [];
    if (carry.length) first.push({ bytes: carry, encoding: current?.encoding ?? parser.lastEncoding });
    if (current && at < current.bytes.length) first.push({ bytes: current.bytes.subarray(at), encoding: current.encoding });
    first.push(...head.splice(0));
    async function* pieces(): AsyncGenerator<BytePiece> {
      yield* first;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    }
    return { row, blankRows: parser.blankRows, pieces: pieces() };
  }

  return {
    delimiter,
    batches: batches(),
    rest,
    get blankRows() {
      return parser.blankRows;
    },
  };
}

/**
 * The row of the byte at `offset` of a CSV's first bytes (BOM removed), as readCsvBytes
 * numbers rows: for an invalid byte found before the reader could place it.
 */
export function csvRowAt(bytes: Uint8Array, offset: number): number {
  const head = asBuffer(bytes).latin1Slice(0, Math.min(bytes.length, SNIFF_BYTES));
  const hint = SEP_LINE.exec(head);
  const delimiter = hint ? hint[1] : sniffDelimiter(head);
  const from = hint ? hint[0].length : 0;
  return offset <= from ? 1 : rowAfter(bytes.subarray(from, offset), delimiter.charCodeAt(0), hint ? 2 : 1);
}
