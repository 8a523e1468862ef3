/**
 * Standardizing a large CSV on several cores. The main thread reads and hashes the bytes,
 * cuts them into segments at record boundaries (read/csv-boundaries.ts: the readers' exact
 * quoting rules, with the row number where each segment starts), and hands the segments
 * to worker threads, or standardizes a segment itself while the workers have enough queued
 * (n threads = n - 1 workers and this one: no core is left to a thread that only waits).
 * Each segment is parsed, validated and written with the same RowPipeline as the
 * single-threaded path, into output memory that comes back once written out (no fresh
 * memory per segment), with its first issues and its counts. The main thread merges the
 * results in file order, so the outputs and the report are byte for byte those of the
 * single-threaded path (tested).
 *
 * Only for checks without state across rows (no `unique`, no primary key, no DECP); the
 * BAL checks across rows carry a mergeable state. Workers are started once per process and
 * kept (unref'd: they never keep a Lambda or a test alive).
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Cell, TableSchemaDescriptor, ValidationIssue } from '../schema/types';
import type { BalRowsState } from '../schemas/bal/checks';
import type { StatsState } from './column-stats';
import { RecordBoundaryScanner } from './read/csv-boundaries';
import { ByteCsvParser, sliceEnd, type ByteCsvRecord, type CsvRest } from './read/csv-bytes';
import { InvalidEncodingError, type BytePiece, type TextEncoding } from './read/decode';
import { isTableReadError, TableReadError, type TableReadErrorCode } from './read/errors';
import { fitRecords } from './read/open-table';
import type { RowPipeline, RowSink } from './row-pipeline';
import { RowPipeline as Pipeline } from './row-pipeline';
import { ByteBuffer } from './write/byte-buffer';
import type { RowSource } from './write/table-writer';

const WORKER_ROLE = 'socle-standardize-segment';
/** Bytes per segment: large enough to amortise a message, small enough to keep memory flat. */
export const SEGMENT_BYTES = 1024 * 1024;
/** Segments in flight per worker (one being processed, one queued). */
const IN_FLIGHT_PER_WORKER = 2;
/** Segments standardized and not merged yet beyond the workers' (memory stays bounded). */
const WAITING_MERGE = 2;

/** Memory that buys Lambda one full vCPU (AWS: 1,769 MB = 1 vCPU, CPU grows with memory). */
const LAMBDA_MB_PER_VCPU = 1769;
const MAX_THREADS = 4;

/**
 * Threads for a large CSV, this one included: SOCLE_STANDARDIZE_THREADS (a number; 0 or 1:
 * this thread only), else the cores there are, at most 4. On Lambda, the cores the memory
 * size pays for: `os.availableParallelism()` shows 2 even for a 512 MB function, which has
 * a fraction of one vCPU, where a worker would only add its memory.
 */
export function standardizeThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const configured = env.SOCLE_STANDARDIZE_THREADS;
  if (configured !== undefined && configured !== '' && configured !== 'auto') {
    const n = Number(configured);
    return Number.isInteger(n) && n >= 0 ? n : 1;
  }
  const lambdaMB = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  const paid = lambdaMB > 0 ? Math.floor(lambdaMB / LAMBDA_MB_PER_VCPU) : cores;
  return Math.max(1, Math.min(MAX_THREADS, cores, paid));
}

// ------------------------------------------------------------------ messages

interface SegmentConfig {
  schema: TableSchemaDescriptor | null;
  header: Cell[];
  /** See read/open-table.ts › fitWidth. */
  padWidth: number;
  delimiter: string;
  maxRecordBytes: number;
  now: number;
}

interface SegmentTask {
  seq: number;
  config: SegmentConfig;
  /** The segment's bytes, in order (memory moved to the worker, not copied). */
  parts: { buffer: ArrayBuffer; offset: number; length: number }[];
  encoding: TextEncoding;
  /** Row of the first record (read/csv-boundaries.ts: the row a spreadsheet shows). */
  row: number;
  /** The end of the file: a last record without a line break is complete. */
  final: boolean;
  /** Whether outputs are still wanted (false once the file is known to be rejected). */
  writing: boolean;
  /** Published columns whose distinct values are no longer counted (column-stats.ts). */
  statsSkip?: boolean[];
}

export interface SegmentResult {
  seq: number;
  rowCount: number;
  blankRows: number;
  issues: ValidationIssue[];
  codes: Record<string, number>;
  errorCount: number;
  warningCount: number;
  /** Output bytes per writer, in RowPipeline.writers order, and the items each holds (JSON objects, features). */
  outputs: { bytes: Uint8Array; items: number }[];
  /** False when the segment stopped writing (an error): its outputs are incomplete. */
  writing: boolean;
  bal?: BalRowsState;
  /** The statistics of the rows written (column-stats.ts). */
  stats: StatsState;
  /** A read error (`row-too-large`, `unterminated-quote`) that ends the file here. */
  readError?: { code: TableReadErrorCode; message: string; row?: number };
}

// ------------------------------------------------------------------ worker side

/** Processes one segment (in a worker; also callable in-process). */
export async function processSegment(task: SegmentTask): Promise<SegmentResult> {
  const { config } = task;
  const pipeline = new Pipeline(config.schema, config.header, { now: config.now, ...(task.statsSkip ? { statsSkip: task.statsSkip } : {}) });
  pipeline.writing = task.writing;
  const size = task.parts.reduce((n, p) => n + p.length, 0);
  const buffers = pipeline.writers.map((_, k) => {
    const capacity = Math.max(64 * 1024, Math.ceil(size * (outputRatio[k] ?? 1.5)));
    // New memory with room to spare: the next segments, a little larger, can write into it again.
    return new ByteBuffer(capacity, spareMemory(k, capacity) ?? Buffer.allocUnsafeSlow(Math.ceil(capacity * 1.25)));
  });
  const sinks: RowSink[] = pipeline.writers.map(({ writer }, k) => ({
    row: (values, source?: RowSource) => writer.writeRow(values, buffers[k], source),
  }));
  const parser = new ByteCsvParser(config.delimiter, config.maxRecordBytes);
  parser.row = task.row;
  let readError: SegmentResult['readError'];
  try {
    for (const part of task.parts) {
      const bytes = Buffer.from(part.buffer, part.offset, part.length);
      for (let at = 0; at < bytes.length; ) {
        const end = sliceEnd(bytes, at);
        const records: ByteCsvRecord[] = [];
        parser.push({ bytes: bytes.subarray(at, end), encoding: task.encoding }, records);
        at = end;
        await pipeline.batch(fitRecords(records, config.header, config.padWidth), sinks);
      }
    }
    // A segment ends where a record ends: a lone CR last is its end, and nothing is left over (else an internal error).
    const records: ByteCsvRecord[] = [];
    if (task.final) parser.end(records);
    else parser.endAtRecordEnd(records);
    await pipeline.batch(fitRecords(records, config.header, config.padWidth), sinks);
  } catch (error) {
    if (!isTableReadError(error)) throw error;
    readError = { code: error.code, message: error.message, ...(error.row ? { row: error.row } : {}) };
  }
  pipeline.issues.addAll(pipeline.tailIssues(false));
  buffers.forEach((b, k) => {
    if (size > 0) outputRatio[k] = Math.max(outputRatio[k] ?? 0, (b.pos / size) * 1.05);
  });
  const { issues } = pipeline;
  return {
    seq: task.seq,
    rowCount: pipeline.rowCount,
    blankRows: parser.blankRows,
    issues: issues.issues,
    codes: issues.codes,
    errorCount: issues.errorCount,
    warningCount: issues.warningCount,
    outputs: pipeline.writers.map(({ writer }, k) => ({ bytes: buffers[k].buf.subarray(0, buffers[k].pos), items: writer.items })),
    writing: pipeline.writing,
    stats: pipeline.stats.state(),
    ...(pipeline.balRows ? { bal: pipeline.balRows.state() } : {}),
    ...(readError ? { readError } : {}),
  };
}

/** Output bytes per input byte seen so far, per writer: the size a segment's buffers start at. */
const outputRatio: number[] = [];

/**
 * Output memory given back once the main thread has written it out, per writer: the next
 * segments write into it again (fresh memory costs page faults, which two busy threads pay
 * dearly on a microVM).
 */
const spare: ArrayBuffer[][] = [];
const SPARE_PER_OUTPUT = 4;

function spareMemory(k: number, capacity: number): Buffer | undefined {
  const list = spare[k];
  while (list?.length) {
    const memory = list.pop()!;
    if (memory.byteLength >= capacity) return Buffer.from(memory);
  }
  return undefined;
}

/** Keeps output memory for the next segments of this thread. */
function giveBack(k: number, memory: ArrayBuffer): void {
  const list = (spare[k] ??= []);
  if (list.length < SPARE_PER_OUTPUT) list.push(memory);
}

interface Recycle {
  recycle: number;
  memory: ArrayBuffer;
}

function startWorkerLoop(): void {
  parentPort!.on('message', (task: SegmentTask | Recycle) => {
    if ('recycle' in task) return giveBack(task.recycle, task.memory);
    processSegment(task).then(
      (result) => {
        const transfer = result.outputs.map((o) => o.bytes.buffer as ArrayBuffer);
        parentPort!.postMessage(result, transfer);
      },
      (error: unknown) => parentPort!.postMessage({ seq: task.seq, crash: String((error as Error)?.stack ?? error) }),
    );
  });
  // Loaded: segments sent from now on start at once (until then the main thread takes them).
  parentPort!.postMessage({ ready: true });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) startWorkerLoop();

// ------------------------------------------------------------------ main side

class SegmentWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(r: SegmentResult): void; reject(e: Error): void }>();
  busy = 0;
  /** Whether its code is loaded: a worker still starting would only hold segments back. */
  ready = false;
  /** Settles once it is ready, or gone. */
  readonly started: Promise<void>;
  private markStarted!: () => void;

  constructor() {
    this.started = new Promise<void>((resolve) => (this.markStarted = resolve));
    const options = { workerData: { role: WORKER_ROLE } };
    // From TypeScript sources (tests, `npm start` under tsx) the worker loads this file through tsx; bundled, the bundle itself.
    this.worker = __filename.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { ...options, eval: true })
      : new Worker(__filename, options);
    this.worker.on('message', (m: SegmentResult & { crash?: string; ready?: boolean }) => {
      if (m.ready) {
        this.ready = true;
        this.markStarted();
        return;
      }
      const w = this.waiting.get(m.seq);
      this.waiting.delete(m.seq);
      // Idle workers never keep the process alive; busy ones do (the caller awaits them).
      if (--this.busy === 0) this.worker.unref();
      if (m.crash) w?.reject(new Error(`segment worker: ${m.crash}`));
      else w?.resolve(m);
    });
    const fail = (error: Error) => {
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
      pool = pool.filter((p) => p !== this);
      this.markStarted();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`segment worker exited (${code})`)));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  /** Gives output memory back to the worker that wrote it. */
  recycle(k: number, memory: ArrayBuffer): void {
    const message: Recycle = { recycle: k, memory };
    this.worker.postMessage(message, [memory]);
  }

  run(task: SegmentTask): Promise<SegmentResult> {
    if (this.busy++ === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(task.seq, { resolve, reject });
      // The bytes are moved, not copied: the main thread is done with them.
      this.worker.postMessage(task, [...new Set(task.parts.map((p) => p.buffer))]);
    });
  }
}

let pool: SegmentWorker[] = [];

function workers(n: number): SegmentWorker[] {
  while (pool.length < n) pool.push(new SegmentWorker());
  return pool.slice(0, n);
}

/**
 * Starts the workers for `threads` threads (this one included) ahead of time: they load
 * while the file is opened. The promise settles once they are ready (tests wait for it).
 */
export function prepareSegmentWorkers(threads: number): Promise<void> {
  return Promise.all(workers(threads - 1).map((w) => w.started)).then(() => undefined);
}

/** Segments standardized by the workers and by this thread since the process started (tests, bench). */
export const segmentCounts = { workers: 0, main: 0 };

/** Where merged segments go: the main thread's outputs, in RowPipeline.writers order. */
export interface SegmentTarget {
  /** Appends a segment's bytes for output k; `release` once they are written out (their memory is reused). */
  append(k: number, bytes: Uint8Array, release?: () => void): Promise<void> | void;
  /** Called once, at the first error: outputs are abandoned. */
  stop(): Promise<void>;
}

/**
 * Standardizes the rest of a CSV (`rest`, after the records the main pipeline already
 * checked) on `threads` workers; merges their issues and counts into `pipeline` and their
 * bytes into `target`, in order. A read error is thrown after the records before it were
 * merged, as the single-threaded reader does.
 */
export async function standardizeSegments(
  rest: CsvRest,
  pipeline: RowPipeline,
  target: SegmentTarget,
  opts: { delimiter: string; maxRecordBytes: number; threads: number; now: number; segmentBytes: number; padWidth?: number },
): Promise<{ blankRows: number }> {
  const config: SegmentConfig = {
    schema: pipeline.schema,
    header: pipeline.header,
    padWidth: opts.padWidth ?? pipeline.header.length,
    delimiter: opts.delimiter,
    maxRecordBytes: opts.maxRecordBytes,
    now: opts.now,
  };
  // The main thread is one of the threads: it takes a segment itself whenever the workers have enough queued.
  const pool = workers(opts.threads - 1);
  const scanner = new RecordBoundaryScanner(opts.delimiter.charCodeAt(0), rest.row);
  /** Segments dispatched and not merged yet, in order, with the worker taking each (none: this thread). */
  const inFlight: { result: Promise<SegmentResult>; worker?: SegmentWorker; done: boolean }[] = [];
  const track = (result: Promise<SegmentResult>, worker?: SegmentWorker) => {
    const entry = { result, worker, done: false };
    result.then(
      () => (entry.done = true),
      () => (entry.done = true),
    );
    inFlight.push(entry);
  };
  let seq = 0;
  let blankRows = rest.blankRows;
  let readError: TableReadError | undefined;

  const merge = async ({ result: pending, worker }: (typeof inFlight)[number]) => {
    const result = await pending;
    // Reading stopped at an earlier segment's error: what follows it is not part of the file's report.
    if (readError) return;
    blankRows += result.blankRows;
    pipeline.rowCount += result.rowCount;
    const { issues } = pipeline;
    issues.merge(result);
    if (result.bal) pipeline.balRows!.merge(result.bal);
    pipeline.stats.merge(result.stats);
    if (pipeline.writing && (issues.errorCount > 0 || !result.writing)) {
      pipeline.writing = false;
      await target.stop();
    }
    if (pipeline.writing) {
      for (let k = 0; k < result.outputs.length; k++) {
        const out = result.outputs[k];
        const sep = pipeline.writers[k].writer.adopt(out.items);
        if (sep.length) await target.append(k, sep);
        const memory = out.bytes.buffer as ArrayBuffer;
        if (out.bytes.length) await target.append(k, out.bytes, () => (worker ? worker.recycle(k, memory) : giveBack(k, memory)));
      }
    }
    if (result.readError && !readError) readError = new TableReadError(result.readError.code, result.readError.message, result.readError.row);
  };

  const dispatch = async (parts: Uint8Array[], encoding: TextEncoding, row: number, final: boolean) => {
    if (readError) return;
    const task: SegmentTask = { seq: seq++, config, parts: parts.map(movable), encoding, row, final, writing: pipeline.writing, statsSkip: pipeline.stats.over };
    const worker = pool.reduce<SegmentWorker | undefined>((best, w) => (w.ready && (!best || w.busy < best.busy) ? w : best), undefined);
    if (worker && worker.busy < IN_FLIGHT_PER_WORKER) {
      segmentCounts.workers++;
      track(worker.run(task), worker);
    } else {
      segmentCounts.main++;
      track(processSegment(task));
    }
    // Merge what is ready; wait only when too much is pending (this thread reads on and takes segments meanwhile).
    while (inFlight.length > 0 && (inFlight[0].done || final || inFlight.length > pool.length * IN_FLIGHT_PER_WORKER + WAITING_MERGE)) {
      await merge(inFlight.shift()!);
    }
  };

  // The pending segment: pieces since the last boundary dispatched, and the last boundary in them.
  let parts: Uint8Array[] = [];
  let size = 0;
  let encoding: TextEncoding = 'utf-8';
  let row = rest.row;
  let cut: { offset: number; row: number } | null = null;
  /** Everything pending up to the cut (in the last piece); what follows it stays pending, copied. */
  const take = (): Uint8Array[] => {
    if (!cut) {
      const all = parts;
      parts = [];
      size = 0;
      return all;
    }
    const last = parts[parts.length - 1];
    // Copied before `last` moves to a worker with its memory.
    const tail = Uint8Array.prototype.slice.call(last, cut.offset);
    const taken = [...parts.slice(0, -1), last.subarray(0, cut.offset)];
    parts = tail.length ? [tail] : [];
    size = tail.length;
    cut = null;
    return taken;
  };
  try {
    for await (const piece of rest.pieces as AsyncIterable<BytePiece>) {
      if (readError) break;
      encoding = piece.encoding;
      if (piece.bytes.length === 0) continue;
      // Pending parts own their memory, so that it can move to a worker.
      const own = piece.bytes.byteOffset === 0 && piece.bytes.byteLength === piece.bytes.buffer.byteLength && !(piece.bytes.buffer instanceof SharedArrayBuffer);
      parts.push(own ? piece.bytes : (Uint8Array.prototype.slice.call(piece.bytes) as Uint8Array));
      size += piece.bytes.length;
      const b = scanner.scan(parts[parts.length - 1]);
      cut = b.offset >= 0 ? { offset: b.offset, row: b.row } : null;
      if (size >= opts.segmentBytes && cut) {
        const next = cut.row;
        await dispatch(take(), encoding, row, false);
        row = next;
      } else if (!cut && size > opts.maxRecordBytes + opts.segmentBytes) {
        // A record larger than the limit (no record end since the last cut): a worker's reader refuses it, with its row.
        await dispatch(take(), encoding, row, false);
      }
    }
  } catch (error) {
    if (!(error instanceof InvalidEncodingError)) throw error;
    // Records before the bad byte are checked first, as the single-threaded reader does.
    if (cut) {
      const next = cut.row;
      await dispatch(take(), encoding, row, false);
      row = next;
    }
    await dispatch([], encoding, row, true);
    throw error.row === undefined ? error.withLine(scanner.row) : error;
  }
  cut = null;
  await dispatch(take(), encoding, row, true);
  while (inFlight.length > 0) await merge(inFlight.shift()!);
  if (readError) throw readError;
  return { blankRows };
}

/** A pending part (its own memory, or the start of it: see take) as the worker message carries it. */
function movable(part: Uint8Array): { buffer: ArrayBuffer; offset: number; length: number } {
  return { buffer: part.buffer as ArrayBuffer, offset: part.byteOffset, length: part.length };
}
