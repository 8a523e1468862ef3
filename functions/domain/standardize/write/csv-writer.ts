/**
 * RFC 4180 CSV: UTF-8 without BOM, `,` by default, CRLF line ends (what the RFC specifies,
 * and what Excel and data.gouv.fr's validators expect), fields quoted only when they
 * contain the delimiter, a quote, CR or LF.
 *
 * Formula injection (CSV injection, OWASP): a text cell starting with `=`, `+`, `-`, `@`,
 * tab or CR is prefixed with `'` so a spreadsheet shows it as text. Exception: plain
 * numbers (`-12.5`, `+3`, `-1,5`, `1e-3`) are left alone — they are not formulas, and
 * prefixing them would make numeric columns invalid against their schema. Typed numbers
 * and booleans never need it.
 */
import { Value } from '../../schema/types';
import { ByteBuffer } from './byte-buffer';
import type { RawCells } from '../read/csv-bytes';
import { BaseTableWriter, RowSource, utf8Bytes } from './table-writer';
import { isFormula } from '../../schema/formula';

export { neutraliseFormula } from '../../schema/formula';

export interface CsvWriterOptions {
  /** One character. */
  delimiter?: string;
  newline?: '\r\n' | '\n';
}

const QUOTE = 34;
const TRUE = utf8Bytes('true');
const FALSE = utf8Bytes('false');

export class CsvWriter extends BaseTableWriter {
  readonly contentType = 'text/csv; charset=utf-8';
  private readonly delimiter: string;
  private readonly d: number;
  private readonly newline: string;
  private readonly newlineBytes: Uint8Array;
  /** Output field i is source column i, for every field (see writeRuns). */
  private inOrder = false;

  constructor(
    private readonly fields: readonly string[],
    opts: CsvWriterOptions = {},
  ) {
    super();
    this.delimiter = opts.delimiter ?? ',';
    if (this.delimiter.length !== 1) throw new Error(`CsvWriter: un séparateur d’un caractère, pas « ${this.delimiter} »`);
    this.d = this.delimiter.charCodeAt(0);
    this.newline = opts.newline ?? '\r\n';
    this.newlineBytes = utf8Bytes(this.newline);
  }

  private text(s: string, out: ByteBuffer): void {
    out.csvCell(isFormula(s) ? "'" + s : s, this.d);
  }

  header(): string {
    const out = new ByteBuffer(1024);
    this.fields.forEach((f, i) => {
      if (i > 0) out.byte(this.d);
      if (f !== '') this.text(f, out);
    });
    return out.toString() + this.newline;
  }

  override copyFrom(columns: Int32Array): this {
    this.inOrder = columns.length === this.fields.length && columns.every((c, i) => c === i);
    return super.copyFrom(columns);
  }

  writeRow(values: readonly Value[], out: ByteBuffer, source?: RowSource): void {
    const n = this.fields.length;
    const raw = source?.raw;
    if (this.inOrder && raw !== undefined && raw.clean && raw.encoding === 'utf-8' && raw.delimiter === this.d && source!.cells.length === n) {
      this.writeRuns(values, out, source!, raw);
    } else {
      for (let i = 0; i < n; i++) {
        if (i > 0) out.byte(this.d);
        this.field(i, values[i], out, source);
      }
    }
    out.bytes(this.newlineBytes);
  }

  private field(i: number, v: Value | undefined, out: ByteBuffer, source: RowSource | undefined): void {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') {
      if (v === '') return;
      const at = this.verbatim(i, v, source);
      if (at >= 0) {
        const raw = source!.raw!;
        if (out.csvRaw(raw.bytes, raw.spans[at], raw.spans[at + 1], this.d, raw.encoding === 'windows-1252')) return;
      }
      this.text(v, out);
    } else if (typeof v === 'number') {
      if (Number.isFinite(v)) out.number(v);
    } else out.bytes(v ? TRUE : FALSE);
  }

  /**
   * A clean UTF-8 record read with this delimiter, its columns the output's in order (a BAL
   * file, whose data.csv is often its source byte for byte): consecutive cells whose output
   * is their source bytes are one copy, delimiters included, instead of a scan per cell.
   */
  private writeRuns(values: readonly Value[], out: ByteBuffer, source: RowSource, raw: RawCells): void {
    const n = this.fields.length;
    const { spans, at, bytes } = raw;
    for (let i = 0; i < n; ) {
      if (i > 0) out.byte(this.d);
      if (!this.asRead(i, values[i], source, raw)) {
        this.field(i, values[i], out, source);
        i++;
        continue;
      }
      const start = spans[at + 2 * i];
      let end = spans[at + 2 * i + 1];
      // The next cell follows after one byte (the delimiter): neither was quoted.
      for (i++; i < n && spans[at + 2 * i] === end + 1 && this.asRead(i, values[i], source, raw); i++) end = spans[at + 2 * i + 1];
      out.copy(bytes, start, end);
    }
  }

  /**
   * Whether output field i (of a clean record, see writeRuns) is its source bytes, as field()
   * would write them: empty for empty, or the cell as read, not quoted in the source (it may
   * hold the delimiter) and not taken for a formula.
   */
  private asRead(i: number, v: Value | undefined, source: RowSource, raw: RawCells): boolean {
    const start = raw.spans[raw.at + 2 * i];
    if (start < 0) return false;
    if (v === null || v === undefined || v === '') return raw.spans[raw.at + 2 * i + 1] === start;
    return typeof v === 'string' && source.cells[i] === v && (start === 0 || raw.bytes[start - 1] !== QUOTE) && !isFormula(v);
  }

  footer(): string {
    return '';
  }
}
