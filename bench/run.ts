/**
 * `npm run bench [-- --repeat 3] [-- --tableschema-rows N] [-- --no-catalog] [-- --no-s3]`: standardization throughput
 * (then the catalogue API under load, bench/catalog.ts)
 * against a raw-read floor and peers, on the same generated files, in one run. Not a test:
 * it prints figures and fails only when our path does not find the file VALID (then the
 * figures would measure an early rejection, not the work).
 *
 * Each contender runs in its own child process (bench/contenders.ts bundled with esbuild and
 * run by plain `node`, so peak RSS is the contender's own and not the TypeScript loader's;
 * ours with the standardize function's Node.js options, functions/standardize/node-options.ts).
 * With --repeat N, times are medians of N runs (taken round after round: every contender once,
 * then again) and peak RSS the highest seen.
 */
import { runCatalogBench } from './catalog';
import { describeMachine, measureMachine, type MachineFigures } from './machine';
import { fork, spawnSync } from 'node:child_process';
import type { S3EmulatorReady } from './s3-emulator';
import { cpus } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { HIGH_WATER_MARK, type ContenderArgs, type ContenderResult } from './contenders';
import { DATA_DIR, ensureBal, ensureSubventions } from './generate';
import { statSync } from 'node:fs';
import { standardizeThreads } from '../functions/domain/standardize/parallel';
import { PARALLEL_MIN_BYTES } from '../functions/domain/standardize/standardize-table';
import { STANDARDIZE_NODE_OPTIONS } from '../functions/standardize/node-options';

const SUBVENTIONS_ROWS = 1_000_000;
const BAL_ROWS = 100_000;
const TARGETS = { tableschema: 5, validateurBal: 20, rssMB: 256 };

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const repeat = option('repeat', 1);
/** Without it, our path also runs from and to S3 (s3rver in a child process), as deployed. */
const noS3 = process.argv.includes('--no-s3');
/**
 * Rows tableschema reads (0: the whole file, as ours does). Its first rows are its slowest
 * (measured: 48–53k rows/s over 200,000 rows, 53–60k over the 1M): a prefix flatters our ratio.
 */
const tableschemaRows = option('tableschema-rows', 0);

interface Measure extends ContenderResult {
  label: string;
  file: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function bundle(): string {
  const out = path.join(DATA_DIR, 'contenders.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'contenders.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: out,
    sourcemap: true,
    // The AWS SDK too: only `ours-s3` loads it (from node_modules, before its clock), so that the
    // other contenders, and the standardization workers that load this bundle, do not parse it.
    external: ['tableschema', 'papaparse', '@ban-team/validateur-bal', '@aws-sdk/*'],
    logLevel: 'warning',
  });
  return out;
}

function runOnce(script: string, contender: string, args: ContenderArgs): ContenderResult {
  // Our path runs with the standardize function's Node.js options, as deployed.
  const options = contender.startsWith('ours') ? STANDARDIZE_NODE_OPTIONS : [];
  const child = spawnSync(process.execPath, [...options, script, contender, JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = child.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`${contender} failed (exit ${child.status}):\n${child.stderr.slice(-2000)}`);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as ContenderResult;
}

interface Job {
  label: string;
  contender: string;
  args: ContenderArgs;
}

/**
 * Runs every job `repeat` times, round after round rather than one job's runs in a row: when
 * the machine's speed drifts (a shared VM), it drifts for every contender alike, and the
 * ratios hold. Stops at once when our path rejects its file.
 */
function measureAll<K extends string>(script: string, jobs: Record<K, Job>): Record<K, Measure> {
  const keys = Object.keys(jobs) as K[];
  const runs = new Map<K, ContenderResult[]>(keys.map((k) => [k, []]));
  for (let round = 0; round < repeat; round++) {
    if (repeat > 1) console.error(`  round ${round + 1} of ${repeat}…`);
    for (const k of keys) {
      const { contender, args } = jobs[k];
      const result = runOnce(script, contender, args);
      if (contender.startsWith('ours') && !result.valid) {
        console.error(`\nOur standardization rejected ${path.basename(args.file)}: the benchmark would measure an early stop. First issues:`);
        console.error(JSON.stringify(result.issues, null, 2));
        process.exit(1);
      }
      runs.get(k)!.push(result);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, summary(jobs[k], runs.get(k)!)])) as Record<K, Measure>;
}

function summary({ label, args }: Job, runs: ContenderResult[]): Measure {
  const m: Measure = {
    ...runs[runs.length - 1],
    label,
    file: path.basename(args.file) + (args.times && args.times > 1 ? ` ×${args.times}` : ''),
    ms: median(runs.map((r) => r.ms)),
    maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)),
  };
  const spread = runs.length > 1 ? ` (runs: ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ')} s)` : '';
  console.error(`  ${label.padEnd(34)} ${(m.ms / 1000).toFixed(2).padStart(7)} s${spread}`);
  return m;
}

/** s3rver in a child process (bench/s3-emulator.ts) holding `inputs`; `stop` ends it. */
async function startS3(inputs: Record<string, string>): Promise<S3EmulatorReady & { stop(): void }> {
  const args = [path.join(DATA_DIR, 's3rver'), ...Object.entries(inputs).map(([name, file]) => `${name}=${file}`)];
  const child = fork(path.join(__dirname, 's3-emulator.ts'), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const ready = await new Promise<S3EmulatorReady>((resolve, reject) => {
    child.once('message', (m) => resolve(m as S3EmulatorReady));
    child.once('exit', (code) => reject(new Error(`bench/s3-emulator.ts exited (${code}):\n${stderr}`)));
  });
  // Not when the child is already gone: the error that says why must not be replaced by this one.
  return { ...ready, stop: () => child.connected && child.disconnect() };
}

const mbps = (m: Measure): number => m.bytes / 1e6 / (m.ms / 1000);
const rowsps = (m: Measure): number => m.rows / (m.ms / 1000);
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(machine: MachineFigures): Promise<void> {
  console.error(`Preparing files in ${path.relative(process.cwd(), DATA_DIR)}/ (reused when already there)…`);
  const sub = ensureSubventions(SUBVENTIONS_ROWS);
  const bal = ensureBal(BAL_ROWS);
  const s3 = noS3 ? undefined : await startS3({ subventions: sub.raw.path, bal: bal.path });
  try {
    report(machine, sub, bal, s3);
  } finally {
    s3?.stop();
  }
}

function report(machine: MachineFigures, sub: ReturnType<typeof ensureSubventions>, bal: ReturnType<typeof ensureBal>, s3: S3EmulatorReady | undefined): void {
  const script = bundle();
  const outSub = path.join(DATA_DIR, 'out', 'subventions');
  const outBal = path.join(DATA_DIR, 'out', 'bal');
  // What standardizeTable does by default here: the cores there are, for a CSV of 64 MB or more.
  const threads = standardizeThreads();
  const threadsLabel = `${threads} thread${threads > 1 ? 's' : ''}`;
  const balThreads = statSync(bal.path).size >= PARALLEL_MIN_BYTES ? threads : 1;
  console.error(`Running (repeat ${repeat})…`);

  const subJobs: Record<string, Job> = {
    floor: { label: 'floor: newline count', contender: 'floor', args: { file: sub.raw.path } },
    plain: { label: 'plain parse: our openTable', contender: 'plain', args: { file: sub.raw.path } },
    papa: { label: 'plain parse: papaparse', contender: 'papaparse', args: { file: sub.raw.path } },
    peer: {
      label: tableschemaRows > 0 ? `tableschema (first ${fmt(tableschemaRows)} rows)` : 'tableschema',
      contender: 'tableschema',
      args: { file: sub.canonical.path, ...(tableschemaRows > 0 ? { limit: tableschemaRows } : {}), fileRows: sub.canonical.rows },
    },
    ours: { label: `ours: standardizeTable (${threadsLabel})`, contender: 'ours', args: { file: sub.raw.path, schema: 'subventions', outDir: outSub } },
    ours2x: { label: `ours, 2× rows (${threadsLabel})`, contender: 'ours', args: { file: sub.raw.path, schema: 'subventions', outDir: outSub, times: 2 } },
    oursOne: { label: 'ours, 1 thread (512 MB Lambda)', contender: 'ours', args: { file: sub.raw.path, schema: 'subventions', outDir: outSub, threads: 1 } },
    oursWarm: { label: `ours warm (2nd file of the process, ${threadsLabel})`, contender: 'ours', args: { file: sub.raw.path, schema: 'subventions', outDir: outSub, warm: true } },
  };
  if (s3) subJobs.oursS3 = s3Job(s3, 'subventions', sub.raw.path);
  const s = measureAll(script, subJobs);
  const balJobs: Record<string, Job> = {
    floor: { label: 'floor: newline count', contender: 'floor', args: { file: bal.path } },
    plain: { label: 'plain parse: our openTable', contender: 'plain', args: { file: bal.path } },
    papa: { label: 'plain parse: papaparse', contender: 'papaparse', args: { file: bal.path } },
    peer: { label: 'validateur-bal (network stubbed)', contender: 'validateur-bal', args: { file: bal.path } },
    ours: { label: `ours: standardizeTable (${balThreads} thread${balThreads > 1 ? 's' : ''})`, contender: 'ours', args: { file: bal.path, schema: 'bal', outDir: outBal } },
    oursWarm: { label: 'ours warm (2nd file of the process, 1 thread)', contender: 'ours', args: { file: bal.path, schema: 'bal', outDir: outBal, threads: 1, warm: true } },
    oursWarm2: {
      label: `ours warm (2nd file of the process, forced onto ${threadsLabel})`,
      contender: 'ours',
      args: { file: bal.path, schema: 'bal', outDir: outBal, threads, forceParallel: true, warm: true },
    },
  };
  if (s3) balJobs.oursS3 = s3Job(s3, 'bal', bal.path);
  const b = measureAll(script, balJobs);

  const rows = [...Object.values(s), ...Object.values(b)];
  const cols = ['contender', 'file', 'rows', 'MB/s', 'rows/s', 'peak RSS (MB)'];
  const table = rows.map((m) => [m.label, m.file, fmt(m.rows), fmt(mbps(m), 1), fmt(rowsps(m)), fmt(m.maxRssMB)]);
  const widths = cols.map((c, i) => Math.max(c.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nnode ${process.version}, ${cpus().length} × ${cpu}; repeat ${repeat} (median time, highest RSS); reads of ${HIGH_WATER_MARK / 1024 / 1024} MiB`);
  console.log(`This machine (bench/machine.ts): ${describeMachine(machine)}.\n`);
  console.log(line(cols));
  console.log('|' + widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const r of table) console.log(line(r));

  const check = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const vsPeer = rowsps(s.ours) / rowsps(s.peer);
  const vsBal = rowsps(b.ours) / rowsps(b.peer);
  const sS3: Measure | undefined = s.oursS3;
  const bS3: Measure | undefined = b.oursS3;
  const rss = Math.max(s.ours.maxRssMB, s.ours2x.maxRssMB, s.oursOne.maxRssMB, b.ours.maxRssMB, sS3?.maxRssMB ?? 0, bS3?.maxRssMB ?? 0);
  console.log('\nRatios');
  console.log(`  ours / tableschema (rows/s, subventions):      ${vsPeer.toFixed(1)}×   target ≥ ${TARGETS.tableschema}×: ${check(vsPeer >= TARGETS.tableschema)}`);
  console.log(`  ours / validateur-bal (rows/s, BAL):           ${vsBal.toFixed(1)}×   target ≥ ${TARGETS.validateurBal}×: ${check(vsBal >= TARGETS.validateurBal)}`);
  console.log(`  ours / plain parse (MB/s):                     subventions ${(mbps(s.ours) / mbps(s.plain)).toFixed(2)}, BAL ${(mbps(b.ours) / mbps(b.plain)).toFixed(2)}`);
  console.log(`  ours / floor (MB/s):                           subventions ${(mbps(s.ours) / mbps(s.floor)).toFixed(3)}, BAL ${(mbps(b.ours) / mbps(b.floor)).toFixed(3)}`);
  const viaS3 = sS3 && bS3 ? `, via S3 ${fmt(sS3.maxRssMB)} MB (1M rows) and ${fmt(bS3.maxRssMB)} MB (BAL)` : '';
  console.log(
    `  ours, peak RSS: ${fmt(s.ours.maxRssMB)} MB (1M rows), ${fmt(s.ours2x.maxRssMB)} MB (2M rows), ${fmt(s.oursOne.maxRssMB)} MB (1M rows, 1 thread), ${fmt(b.ours.maxRssMB)} MB (BAL)${viaS3}   target ≤ ${TARGETS.rssMB} MB: ${check(rss <= TARGETS.rssMB)}`,
  );
  if (sS3 && bS3) {
    console.log(
      `  ours via S3 (as deployed: GetObject in, multipart uploads out, 1 thread; s3rver in another process): ${(rowsps(sS3) / rowsps(s.oursOne)).toFixed(2)}× the rows/s of 1 thread with files (subventions), ${(rowsps(bS3) / rowsps(b.ours)).toFixed(2)}× (BAL)`,
    );
  }
  console.log(
    `  ours on 1 thread (a 512 MB Lambda: a fraction of one vCPU): ${(rowsps(s.oursOne) / rowsps(s.peer)).toFixed(1)}× tableschema; ` +
      `${threadsLabel} give ${(rowsps(s.ours) / rowsps(s.oursOne)).toFixed(2)}× the one thread`,
  );
  console.log(
    `  warm (a reused Lambda container: the process has standardized the same file once, untimed, before the one timed): ` +
      `${(rowsps(s.oursWarm) / rowsps(s.peer)).toFixed(1)}× tableschema (${threadsLabel}); ` +
      `${(rowsps(b.oursWarm) / rowsps(b.peer)).toFixed(1)}× validateur-bal on 1 thread, ${(rowsps(b.oursWarm2) / rowsps(b.peer)).toFixed(1)}× forced onto ${threadsLabel}. ` +
      'The targets above are judged cold: the first file a container sees.',
  );
  console.log('\nNotes');
  console.log(`  ours runs with the standardize function's Node.js options: ${STANDARDIZE_NODE_OPTIONS.join(' ')} (functions/standardize/node-options.ts).`);
  console.log(`  subventions: ${s.ours.note}`);
  console.log(`  BAL: ${b.ours.note}`);
  console.log(`  papaparse: ${s.papa.note}`);
  console.log(
    '  tableschema reads a UTF-8 `,` copy of the same rows in canonical spelling (it cannot decode Windows-1252 nor read',
  );
  console.log('    `1 234,56 €` or `31/12/2024`), with a Table Schema built from ours; it does not run our custom checks (SIRET keys,');
  console.log(`    one-of-required): less work than ours. ${tableschemaRows > 0 ? `Rows/s over its first ${fmt(tableschemaRows)} rows (--tableschema-rows).` : 'Rows/s over the whole file, as ours (--tableschema-rows N: its first N rows, which flatters our ratio).'}`);
  console.log(`  validateur-bal: profile 1.4, whole file in memory as it requires; its BAN API look-ups (global fetch) are stubbed to fail at once; verdict ${b.peer.valid ? 'valid' : 'invalid'}.`);
  console.log('  ours ×2: the 1M-row file read twice in one stream (header skipped the second time): 2M rows, same memory bound.');
  console.log(`  threads: standardizeThreads() = ${threads} here (SOCLE_STANDARDIZE_THREADS overrides); a CSV under ${PARALLEL_MIN_BYTES / 1024 / 1024} MB stays on one thread (the BAL file: ${fmt(statSync(bal.path).size / 1e6)} MB).`);
}

function s3Job(s3: S3EmulatorReady, schema: 'subventions' | 'bal', file: string): Job {
  return {
    label: 'ours via S3 (s3rver), 1 thread',
    contender: 'ours-s3',
    args: { file, schema, threads: 1, s3: { env: s3.env, bucket: s3.bucket, key: s3.keys[schema], outPrefix: `bench/out/${schema}/` } },
  };
}

async function all(): Promise<void> {
  console.error('Measuring the machine (fresh memory, a second busy core)…');
  await main(await measureMachine());
  if (!process.argv.includes('--no-catalog')) {
    // The catalogue API under load (issue: reuse), after the standardization figures.
    console.log('\n## Catalogue API\n');
    await runCatalogBench();
  }
}

all().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
