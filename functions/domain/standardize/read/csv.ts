/**
 * Streaming RFC 4180 reader over decoded text chunks. Uploads are read by its byte twin
 * (csv-bytes.ts, same rules); this one stays as the reference that reader is tested against
 * (test/unit/standardize/csv-bytes.test.ts), and holds what both share (delimiter sniffing,
 * `row-too-large`).
 *
 * - Delimiter sniffed among `;` `,` tab `|` on the first 64 KB (counted outside quotes,
 *   the candidate whose count per record is the most consistent with the header wins).
 * - Quoted fields with embedded newlines and doubled quotes; CRLF, LF or CR line ends.
 *   Lenient like Excel/Python: a quote inside an unquoted field is literal, text after a
 *   closing quote is appended to the field.
 * - Rows are numbered as a spreadsheet opening the file shows them (header = 1): one per
 *   record, a blank line included; a line break inside quotes stays in its row. Every
 *   message about a row (« ligne N ») means that row, read errors included.
 * - Blank lines, and lines of bare delimiters (`;;;;`), are skipped (counted in `blankRows`):
 *   office software leaves them at the end, or where rows were formatted and left empty.
 * - Guard rails: a record longer than `maxRecordBytes` (counted in UTF-16 units, ≈ bytes for
 *   Latin text) is refused with `row-too-large` while it is being read, so memory stays
 *   bounded by that limit plus one chunk; an open quote at end of file is
 *   `unterminated-quote`.
 *
 * Speed: fields are scanned with charCodeAt and cut with slice; quoted fields jump from
 * quote to quote with indexOf. No per-char string building.
 */
import { rowAfter } from './csv-boundaries';
import { InvalidEncodingError } from './decode';
import { TableReadError, formatBytes } from './errors';

export const CSV_DELIMITERS = [';', ',', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
const SNIFF_CHARS = 64 * 1024;
const SNIFF_RECORDS = 50;
/** Title lines (no delimiter) the sniffer looks past to find the header. */
const SNIFF_TITLE_LINES = 10;
/**
 * Text is parsed this many UTF-16 units at a time: every record of a slice is alive until it
 * is consumed, and with 1 MB slices (~4,000 rows) each young-generation GC copied them.
 */
const PARSE_SLICE_CHARS = 64 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface CsvRecord {
  cells: string[];
  /** The record's row (see module doc; header = 1). */
  row: number;
}

/** Pick the delimiter whose per-record count (outside quotes) best matches the header's (the first record with one). */
export function sniffDelimiter(sample: string): CsvDelimiter {
  const counts: number[][] = [];
  let current = [0, 0, 0, 0];
  let inQuotes = false;
  let nonBlank = false;
  const end = Math.min(sample.length, SNIFF_CHARS);
  for (let i = 0; i < end && counts.length < SNIFF_RECORDS; i++) {
    const c = sample.charCodeAt(i);
    if (c === QUOTE) {
      inQuotes = !inQuotes;
      nonBlank = true;
    } else if (inQuotes) continue;
    else if (c === LF || c === CR) {
      if (nonBlank) counts.push(current);
      current = [0, 0, 0, 0];
      nonBlank = false;
    } else {
      nonBlank = true;
      if (c === 59) current[0]++;
      else if (c === 44) current[1]++;
      else if (c === 9) current[2]++;
      else if (c === 124) current[3]++;
    }
  }
  if (nonBlank && (counts.length === 0 || end === sample.length)) counts.push(current);
  if (counts.length === 0) return ',';
  // The header is the first record with a delimiter: a title line above it has none.
  let first = 0;
  while (first < Math.min(counts.length - 1, SNIFF_TITLE_LINES) && counts[first].every((n) => n === 0)) first++;
  let best = 1;
  let bestScore = -1;
  let bestWidth = 0;
  for (let k = 0; k < 4; k++) {
    const h = counts[first][k];
    if (h === 0) continue;
    let same = 0;
    for (let r = first + 1; r < counts.length; r++) if (counts[r][k] === h) same++;
    const score = counts.length === first + 1 ? 1 : same / (counts.length - first - 1);
    if (score > bestScore || (score === bestScore && h > bestWidth)) {
      best = k;
      bestScore = score;
      bestWidth = h;
    }
  }
  return CSV_DELIMITERS[best];
}

/** The row of the character after `text`, which starts a record on row `firstRow`. */
function rowAfterText(text: string, delimiter: string, firstRow = 1): number {
  // UTF-8: no byte of a multi-byte character reads as a quote, a delimiter or a line break.
  return rowAfter(Buffer.from(text, 'utf8'), delimiter.charCodeAt(0), firstRow);
}

/** `row-too-large`, for both readers. */
export function tooLarge(row: number, max: number): TableReadError {
  return new TableReadError(
    'row-too-large',
    `La ligne ${row} est anormalement longue (plus de ${formatBytes(max)}) : un guillemet mal fermé fait sans doute lire plusieurs lignes comme une seule ; vérifiez les guillemets à partir de la ligne ${row}. Le fichier est-il bien un tableau CSV ?`,
    row,
  );
}

/** Push-style parser: feed text, collect complete records. */
export class CsvParser {
  /** Row of the next record. */
  row = 1;
  blankRows = 0;
  private carry = '';
  private readonly d: number;
  private readonly delim: string;

  constructor(
    delimiter: string,
    private readonly maxRecord = DEFAULT_MAX_RECORD_BYTES,
  ) {
    // The constant string (not a computed one): V8's indexOf is markedly faster with it.
    this.delim = CSV_DELIMITERS.find((c) => c === delimiter) ?? delimiter;
    this.d = delimiter.charCodeAt(0);
  }

  push(text: string, out: CsvRecord[]): void {
    let buf = this.carry ? this.carry + text : text;
    // Fast path: complete lines before the first quote are split natively (≈3× the
    // state machine); a lone CR in them sends the chunk to the general parser.
    const firstQuote = buf.indexOf('"');
    const fastEnd = firstQuote < 0 ? buf.lastIndexOf('\n') : buf.lastIndexOf('\n', firstQuote);
    if (fastEnd > 0 && this.splitLines(buf.slice(0, fastEnd), out)) buf = buf.slice(fastEnd + 1);
    const used = this.parse(buf, false, out);
    this.carry = used === buf.length ? '' : buf.slice(used);
    if (this.carry.length > this.maxRecord) throw tooLarge(this.row, this.maxRecord);
  }

  /** Quote-free complete lines; false (nothing emitted) when a lone CR is found. */
  private splitLines(region: string, out: CsvRecord[]): boolean {
    const lines = region.split('\n');
    const max = this.maxRecord;
    const delim = this.delim;
    const start = out.length;
    let row = this.row;
    let blank = 0;
    for (let i = 0; i < lines.length; i++) {
      let l = lines[i];
      if (l.charCodeAt(l.length - 1) === CR) l = l.slice(0, -1);
      if (l.length > max) {
        if (l.indexOf('\r') >= 0) break;
        out.length = start;
        throw tooLarge(row, max);
      }
      if (l.indexOf('\r') >= 0) {
        out.length = start;
        return false;
      }
      if (l === '' || isBareDelimiters(l, delim)) blank++;
      else out.push({ cells: l.split(delim), row });
      row++;
    }
    this.row = row;
    this.blankRows += blank;
    return true;
  }

  end(out: CsvRecord[]): void {
    const buf = this.carry;
    this.carry = '';
    if (buf) this.parse(buf, true, out);
  }

  /** Row of the character after those pushed (for errors raised by the source). */
  pendingRow(): number {
    return rowAfterText(this.carry, this.delim, this.row);
  }

  private parse(buf: string, final: boolean, out: CsvRecord[]): number {
    const d = this.d;
    const delim = this.delim;
    const n = buf.length;
    const max = this.maxRecord;
    // Next delimiter / LF / CR at or after the scan position, found with indexOf and cached:
    // each is searched once per occurrence, so the scan stays linear (n when absent).
    let nextD = -1;
    let nextLF = -1;
    let nextCR = -1;
    let pos = 0;
    while (pos < n) {
      const recStart = pos;
      const cells: string[] = [];
      let quoted = false;
      for (;;) {
        let end: number;
        if (pos < n && buf.charCodeAt(pos) === QUOTE) {
          quoted = true;
          let p = pos + 1;
          let seg = p;
          let value = '';
          for (;;) {
            const q = buf.indexOf('"', p);
            if (q < 0 || (q + 1 >= n && !final)) {
              if (final) {
                throw new TableReadError(
                  'unterminated-quote',
                  `Un guillemet (") ouvert à la ligne ${this.row} n’est jamais refermé : ajoutez le guillemet fermant, ou supprimez celui-ci.`,
                  this.row,
                );
              }
              if (n - recStart > max) throw tooLarge(this.row, max);
              return recStart;
            }
            if (q - recStart > max) throw tooLarge(this.row, max);
            if (buf.charCodeAt(q + 1) === QUOTE) {
              value += buf.slice(seg, q + 1);
              p = q + 2;
              seg = p;
              continue;
            }
            value += buf.slice(seg, q);
            p = q + 1;
            break;
          }
          end = p;
          while (end < n) {
            const c = buf.charCodeAt(end);
            if (c === d || c === LF || c === CR) break;
            end++;
          }
          if (end > p) value += buf.slice(p, end);
          cells.push(value);
        } else {
          if (nextD !== n && nextD < pos) {
            nextD = buf.indexOf(delim, pos);
            if (nextD < 0) nextD = n;
          }
          if (nextLF !== n && nextLF < pos) {
            nextLF = buf.indexOf('\n', pos);
            if (nextLF < 0) nextLF = n;
          }
          if (nextCR !== n && nextCR < pos) {
            nextCR = buf.indexOf('\r', pos);
            if (nextCR < 0) nextCR = n;
          }
          end = nextD < nextLF ? nextD : nextLF;
          if (nextCR < end) end = nextCR;
          cells.push(buf.slice(pos, end));
        }
        pos = end;
        if (pos >= n) {
          if (final) break;
          if (n - recStart > max) throw tooLarge(this.row, max);
          return recStart;
        }
        const c = buf.charCodeAt(pos);
        if (c === d) {
          pos++;
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= n && !final) return recStart;
          pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
        } else pos++;
        break;
      }
      if (pos - recStart > max) throw tooLarge(this.row, max);
      const row = this.row++;
      // A blank line, or a line of bare delimiters (`;;;;`: a spreadsheet's formatted empty rows).
      if (!quoted && cells.every((c) => c === '')) this.blankRows++;
      else out.push({ cells, row });
    }
    return pos;
  }
}

/** A line of delimiters only (`;;;;`). */
function isBareDelimiters(line: string, delim: string): boolean {
  const d = delim.charCodeAt(0);
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) !== d) return false;
  return true;
}

export interface CsvReader {
  delimiter: CsvDelimiter;
  /** The records one by one; consume this or `batches`, not both. */
  records: AsyncGenerator<CsvRecord>;
  /**
   * The same records in arrays (one per parsed slice, never empty, never reused): one
   * `await` per few hundred rows instead of per row.
   */
  batches: AsyncGenerator<CsvRecord[]>;
  /** Blank lines skipped so far. */
  readonly blankRows: number;
}

/**
 * Sniff the delimiter on the first 64 KB of text (unless given), then parse lazily.
 * Errors: `row-too-large`, `unterminated-quote`, and `invalid-encoding` from the decoder
 * with the row filled in.
 */
export async function readCsv(
  chunks: AsyncIterable<string>,
  opts: { delimiter?: CsvDelimiter; maxRecordBytes?: number } = {},
): Promise<CsvReader> {
  const it = chunks[Symbol.asyncIterator]();
  let head = '';
  let done = false;
  try {
    while (head.length < SNIFF_CHARS) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head += r.value;
    }
  } catch (e) {
    if (e instanceof InvalidEncodingError && e.row === undefined) throw e.withLine(rowAfterText(head, opts.delimiter ?? sniffDelimiter(head)));
    throw e;
  }
  const delimiter = opts.delimiter ?? sniffDelimiter(head);
  const parser = new CsvParser(delimiter, opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);

  async function* batches(): AsyncGenerator<CsvRecord[]> {
    let text = head;
    head = '';
    for (;;) {
      for (let at = 0; at < text.length; ) {
        // Cut after a line feed when there is one: the parser then carries nothing over,
        // and parses a slice of the flat chunk instead of a copy joined to the carry.
        let end = text.length;
        if (end - at > PARSE_SLICE_CHARS) {
          const lf = text.lastIndexOf('\n', at + PARSE_SLICE_CHARS - 1);
          end = lf >= at ? lf + 1 : at + PARSE_SLICE_CHARS;
        }
        const out: CsvRecord[] = [];
        parser.push(at === 0 && end === text.length ? text : text.slice(at, end), out);
        at = end;
        if (out.length) yield out;
      }
      text = '';
      if (done) break;
      let r: IteratorResult<string>;
      try {
        r = await it.next();
      } catch (e) {
        if (e instanceof InvalidEncodingError && e.row === undefined) throw e.withLine(parser.pendingRow());
        throw e;
      }
      if (r.done) done = true;
      else text = r.value;
    }
    const out: CsvRecord[] = [];
    parser.end(out);
    if (out.length) yield out;
  }

  const batched = batches();
  return {
    delimiter,
    records: (async function* () {
      for await (const batch of batched) for (let i = 0; i < batch.length; i++) yield batch[i];
    })(),
    batches: batched,
    get blankRows() {
      return parser.blankRows;
    },
  };
}
