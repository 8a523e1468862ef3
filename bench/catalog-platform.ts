/**
 * Child process of bench/catalog.ts: the local platform (the same in-process platform as
 * `npm start`: emulators, HTTP server, handlers, queues) in a temporary data folder, seeded
 * with the benchmark territory. It counts the DynamoDB commands its document client sends
 * (a middleware, as test/integration/catalog-consolidation.test.ts does) and answers the
 * parent over IPC:
 *   parent → { type: 'count', path }  child → { type: 'counted', path, status, ms, bytes, commands, rssMB }
 *   parent → { type: 'stop' }         child closes the platform and exits
 * It also stops when the parent goes away (IPC disconnect), so it never outlives a run.
 */
import { documentClient } from '../functions/store/dynamodb/client';
import { DynamoDatasetStore } from '../functions/store/dynamodb/dataset-store';
import { startPlatform, TABLE_NAME, type Platform } from '../lib/local/platform';
import { benchTenants, createTenants, publishSubventions, REAL_PUBLISHES, writeDatasets } from './catalog-seed';

export type ParentMessage = { type: 'count'; path: string } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; apiUrl: string; seed: SeedStats }
  | { type: 'counted'; path: string; status: number; ms: number; dynamoMs: number; itemsRead: number; itemBytes: number; bytes: number; commands: Record<string, number>; rssMB: number }
  | { type: 'failed'; error: string };

export interface SeedStats {
  tenants: number;
  writtenDatasets: number;
  writtenVersions: number;
  published: { id: string; rows: number; jsonBytes: number }[];
  seconds: number;
}

const send = (m: ChildMessage) => process.send?.(m);

async function idle(platform: Platform): Promise<void> {
  // A consolidation can enqueue nothing new, but wait for both until both are quiet.
  for (let i = 0; i < 3; i++) {
    await platform.queue.idle();
    await platform.consolidation.idle();
  }
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: catalog-platform.ts <dataDir>');
  const platform = await startPlatform({ dataDir, port: 0, s3Port: 0, dynamoPort: 0, seed: false, log: () => undefined });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await platform.close();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());

  const started = Date.now();
  const tenants = benchTenants();
  await createTenants(platform.apiUrl, platform.adminToken, tenants);
  await Promise.all(
    REAL_PUBLISHES.map((r) => publishSubventions(platform.apiUrl, platform.adminToken, tenants.find((t) => t.id === r.tenantId)!, r.slug, r.rows)),
  );
  await idle(platform);
  const store = new DynamoDatasetStore(TABLE_NAME);
  const published = await Promise.all(
    REAL_PUBLISHES.map(async (r) => {
      const dataset = await store.getDataset(r.tenantId, r.slug);
      return { id: `${r.tenantId}/${r.slug}`, rows: r.rows, jsonBytes: dataset?.distributions?.find((d) => d.format === 'json')?.bytes ?? 0 };
    }),
  );
  const written = await writeDatasets(TABLE_NAME, tenants);
  await idle(platform);

  // Commands sent, and the wall time with at least one in flight (parallel ones overlap).
  const commands: string[] = [];
  let inFlight = 0;
  let busySince = 0;
  let dynamoMs = 0;
  let itemsRead = 0;
  let itemBytes = 0;
  let lastActivity = performance.now();
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      if (inFlight++ === 0) busySince = performance.now();
      try {
        const out = await next(args);
        const { Items, Item } = out.output as { Items?: unknown[]; Item?: unknown };
        const read = Items ?? (Item === undefined ? [] : [Item]);
        itemsRead += read.length;
        for (const item of read) itemBytes += Buffer.byteLength(JSON.stringify(item));
        return out;
      } finally {
        lastActivity = performance.now();
        if (--inFlight === 0) dynamoMs += lastActivity - busySince;
      }
    },
    { step: 'initialize', name: 'benchCountCommands' },
  );
  /** Requests the load generator left in flight when it stopped finish first (else they would be counted). */
  const quiet = async () => {
    const deadline = performance.now() + 60_000;
    while ((inFlight > 0 || performance.now() - lastActivity < 500) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  };

  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stop') return void stop();
    void (async () => {
      await idle(platform);
      await quiet();
      commands.length = 0;
      dynamoMs = 0;
      itemsRead = 0;
      itemBytes = 0;
      const t0 = performance.now();
      const res = await fetch(platform.apiUrl + m.path);
      const body = Buffer.from(await res.arrayBuffer());
      const ms = performance.now() - t0;
      const tally: Record<string, number> = {};
      for (const c of commands) tally[c] = (tally[c] ?? 0) + 1;
      send({ type: 'counted', path: m.path, status: res.status, ms, dynamoMs, itemsRead, itemBytes, bytes: body.length, commands: tally, rssMB: process.memoryUsage().rss / 1048576 });
    })().catch((error: unknown) => send({ type: 'failed', error: String(error) }));
  });

  send({
    type: 'ready',
    apiUrl: platform.apiUrl,
    seed: {
      tenants: tenants.length,
      writtenDatasets: written.datasets,
      writtenVersions: written.versions,
      published,
      seconds: (Date.now() - started) / 1000,
    },
  });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
