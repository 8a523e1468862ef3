/**
 * `npx tsx bench/catalog.ts [--seconds 5] [--connections 10]`: latency and throughput of the
 * public catalogue API on the local platform, and the DynamoDB commands each call costs.
 * Not a test: it prints figures and stops by itself (loopback only, bounded in time).
 *
 * Three processes, so the load generator never shares an event loop with the server:
 * - this one: orchestrates, prints the table;
 * - bench/catalog-platform.ts: the platform (as `npm start` runs it) in a temporary folder,
 *   seeded with 100 collectivités × 10 datasets, three of them published through the upload
 *   path (one of 50,000 rows); it counts DynamoDB commands per request;
 * - bench/catalog-load.ts: autocannon, one run per scenario.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import type { LoadArgs, LoadResult } from './catalog-load';
import type { ChildMessage, ParentMessage, SeedStats } from './catalog-platform';
import { BIG_ROWS, REAL_PUBLISHES } from './catalog-seed';

const ROOT = path.resolve(__dirname, '..');
const READY_TIMEOUT_MS = 300_000;
const CALL_TIMEOUT_MS = 60_000;

export interface CatalogBenchOptions {
  /** Seconds of load per scenario (5). */
  seconds?: number;
  /** Concurrent connections (10). */
  connections?: number;
}

interface Scenario {
  name: string;
  /** Cycled through by the load generator; the first is the one whose commands are counted. */
  paths: string[];
}

function scenarios(): Scenario[] {
  const big = REAL_PUBLISHES[0];
  const records = `/v1/catalog/datasets/${big.tenantId}/${big.slug}/records`;
  // 50 page offsets spread over `rows` matching rows, visited out of order.
  const pages = (rows: number) => {
    const step = Math.max(1, Math.floor((rows - 100) / 50 / 100)) * 100;
    return Array.from({ length: 50 }, (_, i) => ((i * 17) % 50) * step);
  };
  // demoSubventionsCsv cycles six beneficiaries: one in six rows matches.
  const rugby = Math.floor(BIG_ROWS / 6);
  return [
    { name: 'list', paths: ['/v1/catalog/datasets?limit=20'] },
    { name: 'search q=deliberation', paths: ['/v1/catalog/datasets?q=deliberation'] },
    { name: 'filtered schema+theme', paths: ['/v1/catalog/datasets?schema=scdl/subventions&theme=finances'] },
    { name: 'dataset detail', paths: ['/v1/catalog/datasets/toulouse/deliberations-2024'] },
    { name: `records (${BIG_ROWS / 1000}k rows)`, paths: pages(BIG_ROWS).map((o) => `${records}?limit=100&offset=${o}`) },
    { name: 'records + field filter', paths: pages(rugby).map((o) => `${records}?limit=100&offset=${o}&nomBeneficiaire=Club%20de%20rugby`) },
  ];
}

function option(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

/** The platform child, and a request/answer helper over its IPC channel. */
class PlatformChild {
  private output = '';
  private readonly waiting: ((m: ChildMessage) => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcess) {
    const keep = (c: Buffer) => (this.output = (this.output + c.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (m: ChildMessage) => this.waiting.shift()?.(m));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  next(timeoutMs: number, what: string): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no answer in ${timeoutMs / 1000} s\n${this.output}`)), timeoutMs);
      const done = (m: ChildMessage) => {
        clearTimeout(timer);
        if (m.type === 'failed') reject(new Error(`${what}: ${m.error}\n${this.output}`));
        else resolve(m);
      };
      this.waiting.push(done);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${what}: platform exited (${code})\n${this.output}`));
      });
    });
  }

  send(m: ParentMessage): void {
    this.child.send(m);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.send({ type: 'stop' });
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(killer);
  }
}

function runLoad(args: LoadArgs): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'catalog-load.ts'), JSON.stringify(args)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), (args.seconds + 30) * 1000);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      clearTimeout(killer);
      const line = out.split('\n').find((l) => l.startsWith('CATALOG_LOAD '));
      if (code !== 0 || !line) return reject(new Error(`load generator failed (exit ${code}):\n${out.slice(-2000)}`));
      resolve(JSON.parse(line.slice('CATALOG_LOAD '.length)) as LoadResult);
    });
  });
}

interface Row {
  scenario: Scenario;
  counted: Extract<ChildMessage, { type: 'counted' }>;
  warm: Extract<ChildMessage, { type: 'counted' }>;
  load: LoadResult;
}

const fmtCommands = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([name, n]) => `${n} ${name.replace(/Command$/, '')}`)
    .join(' + ') || '0';

function printTable(rows: Row[], seed: SeedStats, opts: Required<CatalogBenchOptions>, rssMB: number, loadBefore: number): void {
  const header = ['scenario', 'DynamoDB / call', 'alone: 1st / 2nd ms', 'of which DynamoDB', 'p50 ms', 'p99 ms', 'req/s', 'non-2xx', 'errors'];
  const body = rows.map((r) => [
    r.scenario.name,
    `${Object.values(r.counted.commands).reduce((a, b) => a + b, 0)} (${fmtCommands(r.counted.commands)})`,
    `${r.counted.ms.toFixed(0)} / ${r.warm.ms.toFixed(0)}`,
    `${r.counted.dynamoMs.toFixed(0)} / ${r.warm.dynamoMs.toFixed(0)}`,
    String(r.load.p50),
    String(r.load.p99),
    r.load.rps.toFixed(0),
    String(r.load.non2xx),
    String(r.load.errors + r.load.timeouts),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log('');
  console.log(`Catalogue API — ${availableParallelism()} CPU (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}`);
  // Other work on the machine skews every figure: say how busy it was.
  console.log(`Load average (1 min) before the run ${loadBefore.toFixed(1)}, after ${loadavg()[0].toFixed(1)}`);
  console.log(
    `Seed: ${seed.tenants} tenants, ${seed.writtenDatasets} datasets written with the store (${seed.writtenVersions} versions) + ` +
      `${seed.published.length} published through the upload path (${seed.published.map((p) => `${p.id} ${p.rows} rows, data.json ${(p.jsonBytes / 1e6).toFixed(1)} MB`).join('; ')}), ${seed.seconds.toFixed(0)} s`,
  );
  console.log(`Load: autocannon, ${opts.connections} connections, ${opts.seconds} s per scenario, separate process.`);
  console.log('"alone": one call on an idle server (commands counted on it; "of which DynamoDB": wall time with a command in flight).');
  console.log('');
  console.log(line(header));
  console.log('|' + widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const b of body) console.log(line(b));
  console.log('');
  for (const r of rows) {
    console.log(`  ${r.scenario.name}: ${r.scenario.paths[0]}${r.scenario.paths.length > 1 ? ` (… ${r.scenario.paths.length} offsets)` : ''}`);
    console.log(
      `    reads ${r.warm.itemsRead} items (${(r.warm.itemBytes / 1024).toFixed(0)} KB as JSON) per call; answer ${(r.warm.bytes / 1024).toFixed(0)} KB; ` +
        `under load ${r.load.total} requests, ${r.load.mbPerSec.toFixed(1)} MB/s`,
    );
  }
  console.log(`  platform process RSS after the run: ${rssMB.toFixed(0)} MB`);
}

export async function runCatalogBench(options: CatalogBenchOptions = {}): Promise<void> {
  const opts = { seconds: options.seconds ?? 5, connections: options.connections ?? 10 };
  const loadBefore = loadavg()[0];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'socle-catalog-bench-'));
  const platform = new PlatformChild(
    fork(path.join(__dirname, 'catalog-platform.ts'), [dataDir], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }),
  );
  try {
    console.log('catalog bench: starting the platform and seeding 100 tenants × 10 datasets…');
    const ready = await platform.next(READY_TIMEOUT_MS, 'platform start and seed');
    if (ready.type !== 'ready') throw new Error(`unexpected message ${ready.type}`);
    const rows: Row[] = [];
    for (const scenario of scenarios()) {
      const path0 = scenario.paths[0];
      platform.send({ type: 'count', path: path0 });
      const counted = await platform.next(CALL_TIMEOUT_MS, `count ${path0}`);
      if (counted.type !== 'counted') throw new Error(`unexpected message ${counted.type}`);
      if (counted.status !== 200) throw new Error(`${path0} answered ${counted.status}`);
      platform.send({ type: 'count', path: path0 });
      const warm = await platform.next(CALL_TIMEOUT_MS, `count ${path0}`);
      if (warm.type !== 'counted') throw new Error(`unexpected message ${warm.type}`);
      console.log(`catalog bench: ${scenario.name}…`);
      const load = await runLoad({ origin: ready.apiUrl, paths: scenario.paths, connections: opts.connections, seconds: opts.seconds });
      rows.push({ scenario, counted, warm, load });
    }
    // The RSS once every scenario ran (the records cache holds the parsed version).
    platform.send({ type: 'count', path: '/v1/health' });
    const last = await platform.next(CALL_TIMEOUT_MS, 'health');
    printTable(rows, ready.seed, opts, last.type === 'counted' ? last.rssMB : NaN, loadBefore);
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCatalogBench({ seconds: option('seconds'), connections: option('connections') }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
