/**
 * The standardization path, independent of where bytes come from and go to: open the table
 * (sniff, decode, parse), bind the header to the schema, validate and normalize each row,
 * and stream the outputs (CSV in the official format, JSON, GeoJSON) to sinks. One pass,
 * flat memory: rows are never all held, except for the few schemas whose checks span rows
 * (BAL: one file per commune; DECP: nested output) — bounded by the upload size.
 *
 * Outputs are written while validating and abandoned as soon as an error is found (the
 * caller discards them); the report always counts every issue.
 */
import { createHash } from 'node:crypto';
import type { Cell, TableSchemaDescriptor, ValidationIssue, Value } from '../schema/types';
import { isProportion } from '../schema/field-parsers';
import { builtinSchemas } from '../schemas/registry';
import { flattenDecp } from '../schemas/decp/flatten';
import { isTableReadError } from './read/errors';
import { DEFAULT_MAX_RECORD_BYTES } from './read/csv';
import { blankRowsIssue, openTable, type OpenedTable, type OpenTableOptions, type TableFormat } from './read/open-table';
import { prepareSegmentWorkers, SEGMENT_BYTES, standardizeSegments, standardizeThreads } from './parallel';
import { columnHelp, IssueCollector, summarize, type Report } from './report';
import { headerScore, headingField, namedColumns, RowPipeline, versionForHeader, type OutputName, type RowSink } from './row-pipeline';
import { boundedStats, type ColumnStats, type TableStats } from './column-stats';
import { ByteBuffer } from './write/byte-buffer';
import type { RowSource, TableWriter } from './write/table-writer';

export type { OutputName } from './row-pipeline';

export interface OutputInfo {
  name: OutputName;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** Where one output goes: a file, an S3 multipart upload… */
export interface ByteSink {
  /**
   * Takes `chunk`. The sink may keep it until the returned promise settles; then (or at once,
   * when nothing is returned) the caller writes over it: outputs reuse a few chunks instead of
   * taking fresh memory for every 256 KB (fresh memory is the costly part on a microVM).
   */
  write(chunk: Buffer): Promise<void> | void;
  /** Completes the output. */
  end(): Promise<void>;
  /** Gives up the output (on rejection). */
  abort(): Promise<void>;
}

export type SinkFactory = (name: OutputName, contentType: string) => ByteSink;

export interface StandardizeOptions {
  /** null: no schema, the table is published as parsed. */
  schema: TableSchemaDescriptor | null;
  sinks: SinkFactory;
  open?: OpenTableOptions;
  /** Bytes of the source, when known: a large CSV is standardized on worker threads (parallel.ts). */
  sizeHint?: number;
  /** Threads for a large CSV, this one included (default: standardizeThreads()); below 2, this one only. */
  threads?: number;
  /** Bytes per segment handed to a worker (tests use small ones). */
  segmentBytes?: number;
  /**
   * Other versions of `schema` the file may be written in (BAL 1.4 next to 1.5): the header
   * picks the version it matches best, so that no column is dropped for being of another version.
   */
  otherVersions?: readonly TableSchemaDescriptor[];
}

/**
 * From this size on, a CSV is worth splitting across threads: below it, starting a worker
 * and warming its code costs about what the second core gives back (measured on 2 cores:
 * even at 50 MB, `npm run bench`, README › Performance).
 */
export const PARALLEL_MIN_BYTES = 64 * SEGMENT_BYTES;

export interface StandardizeResult {
  report: Report;
  /** Completed outputs (empty when the file is rejected). */
  outputs: OutputInfo[];
  /** SHA-256 of the source bytes. */
  sourceSha256: string;
  /** Output column names. */
  fields: string[];
  /** The schema the file was standardized against (one of `otherVersions` when its header says so). */
  schema: TableSchemaDescriptor | null;
}

const FLUSH_BYTES = 256 * 1024;
const CHUNK_BYTES = FLUSH_BYTES + 64 * 1024;
/**
 * Bytes an output lets its sink hold at once: the sink's writes overlap the next rows, memory
 * stays flat. A sink learns that a write is done only when the event loop turns, which rows
 * checked from bytes already read do not let it do: between two reads of the source (1 MiB),
 * data.json grows by ~2.5 MB. Below that, this thread would stop on every read to let the
 * writes catch up (measured: 0.3–0.4 s idle per 1M subventions rows with 1.3 MB). A segment's
 * output (parallel.ts, megabytes) may likewise be sent while the previous one is written.
 */
const HELD_BYTES = 8 * 1024 * 1024;
const heldLimit = (bytes: number): number => Math.max(HELD_BYTES, 2 * bytes);
const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Formats whose number cells hold numbers, not the text typed (RowPipelineOptions.typedNumbers). */
const TYPED_NUMBER_FORMATS: ReadonlySet<TableFormat> = new Set(['xlsx', 'xls', 'ods', 'json']);

/**
 * Feeds a sink in large chunks, hashing and counting bytes. Writers append each row's
 * UTF-8 bytes straight into the chunk (ByteBuffer): no row text is built, so nothing is
 * flattened or encoded twice (measured with `npm run bench`; see README › Performance).
 * Chunks come back from the sink and are written again.
 */
class Output implements RowSink {
  private readonly chunk = new ByteBuffer(CHUNK_BYTES);
  private readonly spare: Buffer[] = [];
  private bytes = 0;
  private readonly hash = createHash('sha256');
  /** Bytes the sink holds, and who waits for it to let go of some. */
  private held = 0;
  private waiting: (() => void) | undefined;
  private failed: unknown;

  constructor(
    readonly name: OutputName,
    readonly writer: TableWriter,
    private readonly sink: ByteSink,
  ) {}

  async start(): Promise<void> {
    this.chunk.utf8(this.writer.header());
  }

  /** Bytes written by a segment (parallel.ts), after what this chunk holds; `release` once the sink is done with them. */
  async append(bytes: Uint8Array, release?: () => void): Promise<void> {
    await this.flush();
    await this.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), release);
  }

  /** Returns a promise only when a chunk was handed to the sink (so callers can skip awaiting). */
  row(values: readonly Value[], source?: RowSource): Promise<void> | void {
    this.writer.writeRow(values, this.chunk, source);
    if (this.chunk.pos >= FLUSH_BYTES) return this.flush();
  }

  private async flush(): Promise<void> {
    if (this.chunk.pos === 0) return;
    // A write done by now gives its chunk back only when the event loop turns: one turn
    // before taking fresh memory (a fresh page costs ~19 µs on a microVM).
    if (this.spare.length === 0 && this.held > 0) await nextTurn();
    const memory = this.chunk.buf;
    const full = this.chunk.exchange(this.spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES));
    await this.send(full, () => this.spare.push(memory));
  }

  private async send(bytes: Buffer, release?: () => void): Promise<void> {
    while (this.held > 0 && this.held + bytes.length > heldLimit(bytes.length) && this.failed === undefined) await this.sinkLetsGo();
    if (this.failed !== undefined) throw this.failed;
    this.bytes += bytes.length;
    this.hash.update(bytes);
    const taken = this.sink.write(bytes);
    if (!taken) return release?.();
    this.held += bytes.length;
    taken.then(
      () => {
        this.held -= bytes.length;
        release?.();
        this.wake();
      },
      (error: unknown) => {
        this.failed ??= error;
        this.wake();
      },
    );
  }

  /** Settles when the sink lets go of a chunk, or fails. */
  private sinkLetsGo(): Promise<void> {
    return new Promise<void>((resolve) => (this.waiting = resolve));
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  async finish(): Promise<OutputInfo> {
    this.chunk.utf8(this.writer.footer());
    await this.flush();
    while (this.held > 0 && this.failed === undefined) await this.sinkLetsGo();
    if (this.failed !== undefined) throw this.failed;
    await this.sink.end();
    return { name: this.name, contentType: this.writer.contentType, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  abort(): Promise<void> {
    return this.sink.abort();
  }
}

/**
 * The built-in schema a header names far better than its own (most of its columns), when
 * its own required columns are missing: a `wrong-dataset` warning beside the refusal, so that
 * the file is sent where it belongs. Undefined when no other schema fits.
 */
export function otherDatasetIssue(schema: TableSchemaDescriptor, header: readonly Cell[]): ValidationIssue | undefined {
  const own = headerScore(schema)(header);
  let best: { schema: TableSchemaDescriptor; score: number } | undefined;
  const seen = new Set<string>([schema.id]);
  for (const other of builtinSchemas) {
    if (seen.has(other.id)) continue;
    seen.add(other.id);
    const score = headerScore(other)(header);
    if (!best || score > best.score) best = { schema: other, score };
  }
  if (!best || best.score <= own || best.score < Math.min(5, Math.ceil(best.schema.fields.length / 2))) return undefined;
  const { schema: other } = best;
  // The columns recognised, not the score (which counts two named by alias as one).
  const named = namedColumns(other, header);
  return {
    code: 'wrong-dataset',
    severity: 'warning',
    message: `Les colonnes de ce fichier sont celles d’un jeu « ${other.title} » (schéma ${other.id} : ${named} colonnes reconnues sur ${other.fields.length}), et non « ${schema.title} » : l’avez-vous déposé dans le bon jeu de données ?`,
  };
}

/** Wraps a byte source to hash and count it as it is consumed. */
function hashing(source: AsyncIterable<Uint8Array>) {
  const hash = createHash('sha256');
  let bytes = 0;
  let finished = false;
  return {
    stream: (async function* () {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
      finished = true;
    })(),
    /** Drains what the parser did not read, then returns the digest. */
    async digest(self: AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
      if (!finished) for await (const _ of self) void _;
      return { sha256: hash.digest('hex'), bytes };
    },
  };
}

export async function standardizeTable(source: AsyncIterable<Uint8Array>, opts: StandardizeOptions): Promise<StandardizeResult> {
  let { schema } = opts;
  const src = hashing(source);
  let table: OpenedTable | undefined;
  let pipeline: RowPipeline | undefined;
  let fields: string[] = [];
  const outputs: Output[] = [];
  let writing = true;
  const early = new IssueCollector();
  /** One clock for the whole file (BAL date rules), whichever thread checks a record. */
  const now = Date.now();

  const stopWriting = async () => {
    if (!writing) return;
    writing = false;
    await Promise.all(outputs.map((o) => o.abort()));
  };

  const threads = opts.threads ?? standardizeThreads();
  const large = threads >= 2 && (opts.sizeHint ?? 0) >= PARALLEL_MIN_BYTES;
  // Not awaited: this thread takes the segments until they are ready.
  if (large) void prepareSegmentWorkers(threads);
  try {
    const isDecp = schema?.id === 'decp';
    table = await openTable(src.stream, {
      ...opts.open,
      flattenJson: isDecp ? flattenDecp : opts.open?.flattenJson,
      // A BAL's header is its first line, as the reference validator reads it: no title rows, no header on two rows.
      ...(schema ? { headerScore: headerScore(schema), ...(schema.id === 'bal' ? { headerOnFirstRow: true } : { headingField: headingField(schema) }), schemaColumns: schema.fields.length } : {}),
    });
    if (schema && opts.otherVersions?.length) schema = versionForHeader(schema, opts.otherVersions, table.header);
    pipeline = new RowPipeline(schema, table.header, {
      now,
      typedNumbers: TYPED_NUMBER_FORMATS.has(table.format),
      ...(table.hiddenColumns ? { hiddenColumns: table.hiddenColumns } : {}),
    });
    const { issues } = pipeline;
    issues.addAll(table.issues);
    // Header issues name the header's own row, under title rows too.
    const headerRow = table.headerRow;
    const headerIssues = pipeline.headerIssues({ delimiter: table.delimiter, encoding: table.encoding });
    issues.addAll(headerRow === 1 ? headerIssues : headerIssues.map((i) => (i.row === 1 ? { ...i, row: headerRow } : i)));
    // Required columns missing: the file may be of another dataset (délibérations sent to the subventions).
    if (schema && headerIssues.some((i) => i.code === 'missing-column' && i.severity === 'error')) {
      const other = otherDatasetIssue(schema, table.header);
      if (other) issues.add({ ...other, row: headerRow });
    }
    fields = pipeline.publishedFields;
    for (const { name, writer } of pipeline.writers) outputs.push(new Output(name, writer, opts.sinks(name, writer.contentType)));
    for (const o of outputs) await o.start();
    if (issues.errorCount > 0) {
      pipeline.writing = false;
      await stopWriting();
    }

    const readIssues = table.issues.length;
    const csvRest = table.rest;
    if (table.batches && csvRest && large && pipeline.segmentable) {
      // The first records (read with the header) here, the rest in segments on worker threads.
      const first = await table.batches[Symbol.asyncIterator]().next();
      if (!first.done) await pipeline.batch(first.value, outputs, stopWriting);
      const target = { append: (k: number, bytes: Uint8Array, release?: () => void) => outputs[k].append(bytes, release), stop: stopWriting };
      const maxRecordBytes = opts.open?.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
      const { blankRows } = await standardizeSegments(csvRest(), pipeline, target, { delimiter: table.delimiter ?? ',', maxRecordBytes, threads, now, segmentBytes: opts.segmentBytes ?? SEGMENT_BYTES, padWidth: table.padWidth });
      if (blankRows > 0) table.issues.push(blankRowsIssue(blankRows));
    } else {
      for await (const batch of table.batches ?? oneByOne(table.rows)) await pipeline.batch(batch, outputs, stopWriting);
    }
    // Warnings the reader found while reading (blank lines).
    issues.addAll(table.issues.slice(readIssues));
    issues.addAll(pipeline.tailIssues());

    if (issues.errorCount > 0) await stopWriting();
    let infos: OutputInfo[] = [];
    if (writing) {
      infos = await Promise.all(outputs.map((o) => o.finish()));
    }
    const digest = await src.digest(src.stream);
    const report = buildReport(schema, table, pipeline.rowCount, issues, digest, pipeline);
    // What was published, column by column (column-stats.ts).
    if (writing) report.stats = boundedStats(describedStats(pipeline.stats.result(), pipeline, schema));
    return { report, outputs: infos, sourceSha256: digest.sha256, fields, schema };
  } catch (error) {
    await stopWriting();
    if (!isTableReadError(error)) throw error;
    const issues = pipeline?.issues ?? early;
    issues.add({ code: error.code, severity: 'error', message: error.message, ...(error.row ? { row: error.row } : {}) } as ValidationIssue);
    const digest = await src.digest(src.stream).catch(() => ({ sha256: '', bytes: 0 }));
    const read = table ?? (error.format ? { format: error.format as OpenedTable['format'] } : undefined);
    return { report: buildReport(schema, read, pipeline?.rowCount ?? 0, issues, digest, pipeline), outputs: [], sourceSha256: digest.sha256, fields, schema };
  }
}

/** The statistics with what the schema and the file say of each column: its title, where the file has it, whether it is required. */
function describedStats(stats: TableStats, pipeline: RowPipeline, schema: TableSchemaDescriptor | null): TableStats {
  if (!schema) return stats;
  const required = new Set(schema.fields.filter((f) => f.constraints?.required).map((f) => f.name));
  const shares = new Set(schema.fields.filter(isProportion).map((f) => f.name));
  const columns = stats.columns.map(({ name, ...figures }): ColumnStats => {
    const help = pipeline.help(name);
    return {
      name,
      ...(help?.title ? { title: help.title } : {}),
      ...(figures.type ? { type: figures.type } : {}),
      ...(help?.column ? { column: help.column, ...(help.heading ? { heading: help.heading } : {}) } : { absent: true as const }),
      ...(required.has(name) ? { required: true as const } : {}),
      ...figures,
      ...(shares.has(name) ? { proportion: true as const } : {}),
    };
  });
  return { ...stats, columns };
}

async function* oneByOne<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of items) yield [item];
}

function buildReport(
  schema: TableSchemaDescriptor | null,
  table: Pick<OpenedTable, 'format' | 'encoding' | 'delimiter'> | undefined,
  rowCount: number,
  issues: IssueCollector,
  source: { sha256: string; bytes: number },
  pipeline: RowPipeline | undefined,
): Report {
  const valid = issues.errorCount === 0;
  const columns = pipeline ? columnHelp(issues.issues, (name) => pipeline.help(name)) : undefined;
  return {
    valid,
    schema: schema ? { id: schema.id, version: schema.version, title: schema.title } : null,
    file: {
      format: table?.format,
      encoding: table?.encoding,
      delimiter: table?.delimiter,
      bytes: source.bytes,
      sha256: source.sha256 || undefined,
    },
    rowCount,
    errorCount: issues.errorCount,
    warningCount: issues.warningCount,
    codes: issues.codes,
    issues: issues.issues,
    truncated: issues.total > issues.issues.length,
    summary: summarize(valid, rowCount, issues.errorCount, issues.warningCount),
    ...(columns ? { columns } : {}),
  };
}
