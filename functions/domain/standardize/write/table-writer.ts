/**
 * Writers turn typed rows into bytes, one row at a time: `header()`, then `writeRow(values,
 * out)` per row straight into a ByteBuffer (the standardization hot path), then `footer()`.
 * `row(values)` renders the same bytes as text for small in-memory outputs, and
 * `writeTable` batches rows into ~64 KB text chunks as an async generator.
 */
import { Value } from '../../schema/types';
import { ByteBuffer } from './byte-buffer';

export interface TableWriter {
  readonly contentType: string;
  header(): string;
  /** Appends one row's UTF-8 bytes to `out`. */
  writeRow(values: readonly Value[], out: ByteBuffer): void;
  /** One row as text (the bytes writeRow appends). */
  row(values: readonly Value[]): string;
  footer(): string;
}

/** `row()` for every writer: writeRow into a scratch buffer, read back as text. */
export abstract class BaseTableWriter implements TableWriter {
  abstract readonly contentType: string;
  private scratch: ByteBuffer | undefined;

  abstract header(): string;
  abstract writeRow(values: readonly Value[], out: ByteBuffer): void;
  abstract footer(): string;

  row(values: readonly Value[]): string {
    const b = (this.scratch ??= new ByteBuffer(4096));
    b.pos = 0;
    this.writeRow(values, b);
    return b.toString();
  }
}

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
