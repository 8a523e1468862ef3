/**
 * Writers turn typed rows into bytes, one row at a time: `header()`, then `writeRow(values,
 * out)` per row straight into a ByteBuffer (the standardization hot path), then `footer()`.
 * `row(values)` renders the same bytes as text for small in-memory outputs, and
 * `writeTable` batches rows into ~64 KB text chunks as an async generator.
 */
import { Cell, Value } from '../../schema/types';
import type { RawCells } from '../read/csv-bytes';
import { ByteBuffer } from './byte-buffer';

/** The record a row's values came from: a writer copies a cell left unchanged from its source bytes. */
export interface RowSource {
  cells: readonly Cell[];
  raw?: RawCells;
}

export interface TableWriter {
  readonly contentType: string;
  header(): string;
  /** Appends one row's UTF-8 bytes to `out`; `source`: the record, when `copyFrom` was called. */
  writeRow(values: readonly Value[], out: ByteBuffer, source?: RowSource): void;
  /** One row as text (the bytes writeRow appends). */
  row(values: readonly Value[]): string;
  footer(): string;
}

/** `row()` for every writer: writeRow into a scratch buffer, read back as text. */
export abstract class BaseTableWriter implements TableWriter {
  abstract readonly contentType: string;
  private scratch: ByteBuffer | undefined;
  /** Output field → source column (-1: none), once `copyFrom` was called. */
  protected columns: Int32Array | undefined;

  abstract header(): string;
  abstract writeRow(values: readonly Value[], out: ByteBuffer, source?: RowSource): void;
  abstract footer(): string;

  /** Items written so far (JSON objects, GeoJSON features; not counted for CSV rows). */
  protected itemCount = 0;
  /** What goes between two items when they were written by different writers (a comma for JSON); null: nothing. */
  protected readonly itemSeparator: Uint8Array | null = null;

  get items(): number {
    return this.itemCount;
  }

  /**
   * Accounts for `items` written by another writer of the same table (a worker's segment,
   * see parallel.ts), appended after this writer's; returns the bytes to put between them.
   * Items start with a line break, so a separator goes before them when some came first.
   */
  adopt(items: number): Uint8Array {
    const sep = this.itemSeparator !== null && this.itemCount > 0 && items > 0 ? this.itemSeparator : NOTHING;
    this.itemCount += items;
    return sep;
  }

  /**
   * Rows will come with their source record, and `columns[i]` is the source column of
   * output field i: a string value equal to its source cell is copied from the source bytes
   * (transcoded from Windows-1252 when needed) instead of being encoded again.
   */
  copyFrom(columns: Int32Array): this {
    this.columns = columns;
    return this;
  }

  /** Where in `source.raw.spans` the bytes holding exactly `v` (output field i) are, or -1. */
  verbatim(i: number, v: string, source: RowSource | undefined): number {
    const columns = this.columns;
    if (source === undefined || columns === undefined || source.raw === undefined) return -1;
    const col = columns[i];
    if (col < 0) return -1;
    const at = source.raw.at + 2 * col;
    return source.raw.spans[at] >= 0 && source.cells[col] === v ? at : -1;
  }

  row(values: readonly Value[]): string {
    const b = (this.scratch ??= new ByteBuffer(4096));
    b.pos = 0;
    this.writeRow(values, b);
    return b.toString();
  }
}

const NOTHING = new Uint8Array(0);

/** Bytes of a constant piece of output. */
export const utf8Bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

export const WRITE_CHUNK_CHARS = 64 * 1024;

export async function* writeTable(
  writer: TableWriter,
  rows: AsyncIterable<readonly Value[]> | Iterable<readonly Value[]>,
  chunkChars = WRITE_CHUNK_CHARS,
): AsyncGenerator<string> {
  let buf = writer.header();
  for await (const values of rows) {
    buf += writer.row(values);
    if (buf.length >= chunkChars) {
      yield buf;
      buf = '';
    }
  }
  buf += writer.footer();
  if (buf) yield buf;
}
