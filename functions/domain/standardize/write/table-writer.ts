/**
 * Writers turn typed rows into text, one row at a time: `header()`, then `row(values)` per
 * row, then `footer()`, each returning a string to append. `writeTable` batches those into
 * ~64 KB chunks as an async generator, which pipes into a file stream
 * (`Readable.from(...)`) or an S3 multipart upload (`Body: Readable.from(...)`) with flat
 * memory.
 */
import { Value } from '../../schema/types';

export interface TableWriter {
  readonly contentType: string;
  header(): string;
  row(values: readonly Value[]): string;
  footer(): string;
}

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
