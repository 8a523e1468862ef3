import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { OpenTableOptions, TableRow, openTable } from '../../../functions/domain/standardize/read/open-table';
import { TableReadError } from '../../../functions/domain/standardize/read/errors';
import type { SheetRow } from '../../../functions/domain/standardize/read/xlsx';
import { standardizeTable, type StandardizeOptions, type StandardizeResult } from '../../../functions/domain/standardize/standardize-table';

/** Rows as a sheet reader gives them, without which cells are text (typed-numbers.test.ts reads those of every format). */
export const withoutTexts = (rows: Iterable<SheetRow>): SheetRow[] => [...rows].map(({ texts: _texts, ...row }) => row);

/** Feed bytes as a stream of small chunks, to exercise chunk boundaries. */
export async function* chunked(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
  if (bytes.length === 0) return;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Read a whole upload; report thrown and row-level codes instead of throwing. */
export async function readAll(
  bytes: Uint8Array,
  opts: OpenTableOptions & { chunkSize?: number } = {},
): Promise<{ codes: string[]; rows: TableRow[]; header?: unknown[]; error?: TableReadError; format?: string; encoding?: string; delimiter?: string; issues: ValidationIssue[] }> {
  const codes: string[] = [];
  const rows: TableRow[] = [];
  // The table's file-level warnings, once its rows are read.
  let issues: ValidationIssue[] = [];
  let header: unknown[] | undefined;
  let format: string | undefined;
  let encoding: string | undefined;
  let delimiter: string | undefined;
  try {
    const t = await openTable(chunked(bytes, opts.chunkSize), opts);
    issues = t.issues;
    header = t.header;
    format = t.format;
    delimiter = t.delimiter;
    for await (const r of t.rows) {
      // Where the cells sit in the source bytes is the byte reader's business (csv-bytes.test.ts), which cells are text the typed-numbers tests'.
      const { raw: _raw, texts: _texts, ...row } = r;
      rows.push(row);
      for (const i of r.issues ?? []) codes.push(i.code);
    }
    encoding = t.encoding;
  } catch (e) {
    if (!(e instanceof TableReadError)) throw e;
    codes.push(e.code);
    return { codes, rows, header, error: e, format, encoding, delimiter, issues };
  }
  return { codes, rows, header, format, encoding, delimiter, issues };
}

/** Standardizes `bytes` with in-memory sinks: the result, and each output's text by name. */
export async function standardizeInMemory(
  bytes: Uint8Array,
  opts: Omit<StandardizeOptions, 'sinks'>,
): Promise<{ result: StandardizeResult; files: Record<string, string> }> {
  const chunks: Record<string, Buffer[]> = {};
  const result = await standardizeTable(chunked(bytes), {
    ...opts,
    sinks: (name) => {
      chunks[name] = [];
      return { write: (c) => void chunks[name].push(Buffer.from(c)), end: async () => undefined, abort: async () => void delete chunks[name] };
    },
  });
  const files = Object.fromEntries(Object.entries(chunks).map(([name, parts]) => [name, Buffer.concat(parts).toString('utf8')]));
  return { result, files };
}
