/**
 * One benchmark contender per child process, so `maxRSS` is its own:
 *   node --import tsx bench/contenders.ts <contender> '<json args>'
 * Prints one `BENCH_RESULT {json}` line on stdout. Time is measured from just before the
 * file is opened to the last row, module loading excluded (the peers' too: BEFORE_CLOCK).
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isMainThread } from 'node:worker_threads';
import { decodeStream } from '../functions/domain/standardize/read/decode';
import { openTable } from '../functions/domain/standardize/read/open-table';
import { PARALLEL_MIN_BYTES, standardizeTable, type ByteSink, type OutputName, type StandardizeResult } from '../functions/domain/standardize/standardize-table';
import { bal14 } from '../functions/domain/schemas/builtin/bal';
import { subventions } from '../functions/domain/schemas/builtin/subventions';
import type { TableSchemaDescriptor } from '../functions/domain/schema/types';

/** Read size for every contender: large, as the floor's definition asks. */
export const HIGH_WATER_MARK = 1024 * 1024;

export interface ContenderArgs {
  file: string;
  /** `ours`: which schema. */
  schema?: 'subventions' | 'bal';
  /** `ours`: read the file this many times in a row (header skipped after the first): a larger file without the disk. */
  times?: number;
  /** `ours`: where data.csv/json/geojson go. */
  outDir?: string;
  /** `ours`: threads, this one included (default: standardizeThreads(); 0 or 1: this thread only). */
  threads?: number;
  /** `ours`: split the file across `threads` even under PARALLEL_MIN_BYTES (the BAL file). */
  forceParallel?: boolean;
  /**
   * `ours`: standardize the same file once before the clock starts, as a reused Lambda
   * container has done for its previous upload; the clock times the second file.
   */
  warm?: boolean;
  /** `tableschema`: stop after this many rows. */
  limit?: number;
  /** `tableschema`: rows in the file, to count the bytes of the rows read when stopped early. */
  fileRows?: number;
  /** `ours-s3`: where the source is and the outputs go, and the environment that reaches S3 (the local s3rver). */
  s3?: { env: Record<string, string>; bucket: string; key: string; outPrefix: string };
}

export interface ContenderResult {
  rows: number;
  /** Source bytes consumed. */
  bytes: number;
  ms: number;
  maxRssMB: number;
  valid?: boolean;
  issues?: unknown[];
  note?: string;
}

type Run = (a: ContenderArgs) => Promise<Omit<ContenderResult, 'ms' | 'maxRssMB'>>;

function fileSource(file: string, times = 1): AsyncIterable<Uint8Array> {
  if (times === 1) return createReadStream(file, { highWaterMark: HIGH_WATER_MARK });
  return (async function* () {
    let headerBytes = 0;
    for (let k = 0; k < times; k++) {
      for await (const chunk of createReadStream(file, { highWaterMark: HIGH_WATER_MARK, start: headerBytes }) as AsyncIterable<Buffer>) {
        if (k === 0 && headerBytes === 0) headerBytes = chunk.indexOf(10) + 1;
        yield chunk;
      }
    }
  })();
}

async function newlines(file: string): Promise<{ rows: number; bytes: number }> {
  let n = 0;
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: HIGH_WATER_MARK }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  }
  return { rows: n - 1, bytes };
}

/** Frictionless Table Schema equivalent to ours (custom checks have no equivalent). */
function tableSchemaOf(d: TableSchemaDescriptor): object {
  return {
    fields: d.fields.map((f) => ({
      name: f.name,
      type: f.type,
      ...(f.format ? { format: f.format } : {}),
      ...(f.trueValues ? { trueValues: f.trueValues } : {}),
      ...(f.falseValues ? { falseValues: f.falseValues } : {}),
      ...(f.constraints
        ? {
            constraints: {
              ...f.constraints,
              // tableschema-js does not anchor patterns; the Table Schema spec does.
              ...(f.constraints.pattern ? { pattern: `^(?:${f.constraints.pattern})$` } : {}),
            },
          }
        : {}),
    })),
  };
}

function fileSink(dir: string) {
  mkdirSync(dir, { recursive: true });
  return (name: OutputName): ByteSink => {
    const ws = createWriteStream(path.join(dir, name));
    return {
      // Done with the chunk once it is written (the caller bounds how many it hands over at once).
      write: (chunk) => new Promise<void>((resolve, reject) => ws.write(chunk, (e) => (e ? reject(e) : resolve()))),
      end: () => new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve()))),
      abort: async () => {
        ws.destroy();
      },
    };
  };
}

interface Papa {
  parse(input: NodeJS.ReadableStream, config: object): void;
}
interface TableSchemaTable {
  iter(opts: { cast: boolean }): Promise<AsyncIterable<unknown[]>>;
}
interface TableSchemaModule {
  Table: { load(source: string, opts: object): Promise<TableSchemaTable> };
}
interface ValidateurBal {
  validate(file: Buffer, options: { profile: string }): Promise<{ rows?: unknown[]; profilesValidation?: Record<string, { isValid: boolean }> }>;
}

/**
 * Modules loaded before the clock starts, as the rest of our code is (it comes with this
 * bundle): loading validateur-bal alone takes about a second, tableschema 0.2 s, which is
 * not validation work. The AWS SDK is left out of the bundle (bench/run.ts) and loaded here
 * only for `ours-s3`.
 */
const BEFORE_CLOCK: Partial<Record<string, () => unknown>> = {
  papaparse: () => load('papaparse'),
  tableschema: () => load('tableschema'),
  'validateur-bal': () => load('@ban-team/validateur-bal'),
  'ours-s3': () => import('../functions/store/s3/objects'),
};

function load<T>(module: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(module) as T;
}

const CONTENDERS: Record<string, Run> = {
  floor: async ({ file }) => newlines(file),

  plain: async ({ file }) => {
    const table = await openTable(fileSource(file));
    let rows = 0;
    for await (const r of table.rows) rows += r.cells.length > 0 ? 1 : 0;
    return { rows, bytes: 0, note: `${table.encoding}, '${table.delimiter}'` };
  },

  papaparse: async ({ file }) => {
    const papa = load<Papa>('papaparse');
    const decoded = await decodeStream(fileSource(file));
    let rows = 0;
    await new Promise<void>((resolve, reject) => {
      papa.parse(Readable.from(decoded.chunks), {
        delimiter: ';',
        skipEmptyLines: true,
        chunk: (results: { data: unknown[] }) => {
          rows += results.data.length;
        },
        complete: () => resolve(),
        error: reject,
      });
    });
    return { rows: rows - 1, bytes: 0, note: `our decoder (${decoded.encoding}) → papaparse streaming` };
  },

  tableschema: async ({ file, limit = Infinity, fileRows }) => {
    const { Table } = load<TableSchemaModule>('tableschema');
    const table = await Table.load(file, { schema: tableSchemaOf(subventions), delimiter: ',' });
    // Not `for await … break`: its return() never settles and the process would just exit.
    const it = (await table.iter({ cast: true }))[Symbol.asyncIterator]();
    let rows = 0;
    while (rows < limit && !(await it.next()).done) rows++;
    const { size } = await stat(file);
    return { rows, bytes: fileRows && rows < fileRows ? Math.round((size * rows) / fileRows) : size, valid: true };
  },

  'validateur-bal': async ({ file }) => {
    const { validate } = load<ValidateurBal>('@ban-team/validateur-bal');
    const { readFile } = await import('node:fs/promises');
    const buffer = await readFile(file);
    const result = await validate(buffer, { profile: '1.4' });
    return { rows: result.rows?.length ?? 0, bytes: buffer.length, valid: result.profilesValidation?.['1.4']?.isValid };
  },

  /**
   * As the deployed function runs: the source read from S3 (GetObject), the outputs written
   * through the S3 sink (multipart uploads), here to the local s3rver in another process.
   */
  'ours-s3': async ({ schema = 'subventions', threads, s3 }) => {
    if (!s3) throw new Error('ours-s3 needs args.s3');
    const { getObjectStream, headObject, s3Sink } = await import('../functions/store/s3/objects');
    const size = (await headObject(s3.bucket, s3.key))?.size ?? 0;
    const result = await standardizeTable(await getObjectStream(s3.bucket, s3.key), {
      schema: schema === 'bal' ? bal14 : subventions,
      sinks: (name, contentType) => s3Sink(s3.bucket, s3.outPrefix + name, { contentType }),
      sizeHint: size,
      ...(threads !== undefined ? { threads } : {}),
    });
    return summarizeOurs(result);
  },

  ours: async ({ file, schema = 'subventions', times = 1, outDir = path.join(path.dirname(file), 'out'), threads, forceParallel }) => {
    const { size } = await stat(file);
    const result = await standardizeTable(fileSource(file, times), {
      schema: schema === 'bal' ? bal14 : subventions,
      sinks: fileSink(outDir),
      sizeHint: forceParallel ? Math.max(size * times, PARALLEL_MIN_BYTES) : size * times,
      ...(threads !== undefined ? { threads } : {}),
    });
    return summarizeOurs(result);
  },
};

function summarizeOurs(result: StandardizeResult): Omit<ContenderResult, 'ms' | 'maxRssMB'> {
  const r = result.report;
  return {
    rows: r.rowCount,
    bytes: r.file.bytes,
    valid: r.valid,
    issues: r.valid ? undefined : r.issues.slice(0, 5),
    note: `${r.file.encoding}, '${r.file.delimiter}'; outputs: ${result.outputs.map((o) => `${o.name} ${(o.bytes / 1e6).toFixed(0)} MB`).join(', ')}`,
  };
}

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const run = CONTENDERS[name];
  if (!run) throw new Error(`unknown contender ${name}; one of ${Object.keys(CONTENDERS).join(', ')}`);
  const args = JSON.parse(json ?? '{}') as ContenderArgs;
  const { statSync } = await import('node:fs');
  // validateur-bal's BAN look-ups (`fetch` to plateforme.adresse.data.gouv.fr) fail at once: no network in a benchmark.
  if (name === 'validateur-bal') globalThis.fetch = () => Promise.reject(new Error('network disabled in the benchmark'));
  if (args.s3) Object.assign(process.env, args.s3.env);
  await BEFORE_CLOCK[name]?.();
  if (args.warm) await run({ ...args, ...(args.outDir ? { outDir: `${args.outDir}-warmup` } : {}) });
  const t0 = process.hrtime.bigint();
  const out = await run(args);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const bytes = out.bytes || statSync(args.file).size * (args.times ?? 1);
  const result: ContenderResult = { ...out, bytes, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  // Exit at once: a peer stopped early (tableschema's `limit`) may leave its stream open.
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
}

// Not in a worker thread: the standardization workers load this bundle too (parallel.ts).
if (require.main === module && isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
