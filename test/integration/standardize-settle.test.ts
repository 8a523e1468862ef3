/**
 * Faults after the public copy, and deliveries that never return, on a platform of this
 * process (its queues, its handlers: the faults are injected into the very code they run).
 * A file of its own: the AWS clients of a module registry keep the endpoints they were made with.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SqsLambda } from '../../lib/local/event-queue';

describe('an upload whose processing does not finish', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { startPlatform } = require('../../lib/local/platform') as typeof import('../../lib/local/platform');
  const { DynamoDatasetStore } = require('../../functions/store/dynamodb/dataset-store') as typeof import('../../functions/store/dynamodb/dataset-store');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dir = mkdtempSync(path.join(os.tmpdir(), 'socle-settle-'));
  let local: Awaited<ReturnType<typeof startPlatform>>;
  beforeAll(async () => {
    local = await startPlatform({ dataDir: dir, port: 0, s3Port: 0, dynamoPort: 0, seed: false, log: () => undefined });
    (local.queue as unknown as { opts: { retryDelayMs: number } }).opts.retryDelayMs = 20;
  });
  afterAll(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  const call = async (method: string, route: string, token: string, body?: unknown) => {
    const res = await fetch(local.apiUrl + route, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  let n = 0;
  async function newDataset(): Promise<{ tenant: string; key: string }> {
    const tenant = `reglee-${++n}-${Date.now().toString(36)}`;
    await call('POST', '/v1/admin/tenants', local.adminToken, { id: tenant, name: 'Commune test', kind: 'commune', siren: '213104581' });
    const key = (await call('POST', `/v1/admin/tenants/${tenant}/keys`, local.adminToken)).body.token as string;
    await call('POST', `/v1/tenants/${tenant}/datasets`, key, { slug: 'subv', title: 'Subventions', schema: 'scdl/subventions' });
    return { tenant, key };
  }
  async function upload(d: { tenant: string; key: string }, bytes: Buffer): Promise<{ status: string; reason?: string; version?: number }> {
    const ticket = (await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/uploads`, d.key, { filename: 's.csv', contentType: 'text/csv', size: bytes.length })).body;
    await (await fetch(ticket.url, { method: 'PUT', headers: ticket.headers, body: bytes })).arrayBuffer();
    for (let i = 0; i < 300; i++) {
      await local.queue.idle();
      const state = (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv/uploads/${ticket.uploadId}`, d.key)).body;
      if (!['awaiting-file', 'processing'].includes(state.status)) return state;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('upload never settled');
  }
  const publicStatus = async (tenant: string, dir: string, name: string) => (await fetch(`${local.publicUrl}/datasets/${tenant}/subv/${dir}/${name}`)).status;
  const bytes = () => readFileSync(path.join(__dirname, '../fixtures/publish/subventions.csv'));

  it('failing after its files went public: they are removed, the upload fails, the same bytes publish later', async () => {
    const d = await newDataset();
    let calls = 0;
    const putVersion = jest.spyOn(DynamoDatasetStore.prototype, 'putVersion').mockImplementation(async () => {
      calls++;
      throw Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' });
    });
    const failed = await upload(d, bytes());
    expect(calls).toBe(3);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('3 fois');
    for (const name of ['data.csv', 'data.json', 'report.json', 'datapackage.json']) expect(await publicStatus(d.tenant, 'v1', name)).toBe(404);
    expect((await call('GET', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).body).toMatchObject({ status: 'draft' });

    putVersion.mockRestore();
    const again = await upload(d, bytes());
    expect(again).toMatchObject({ status: 'published', version: 2 });
    expect(await publicStatus(d.tenant, 'latest', 'data.csv')).toBe(200);
  });

  it('failing after it was recorded and held its bytes: the publication is completed, not undone', async () => {
    const d = await newDataset();
    const setCurrent = DynamoDatasetStore.prototype.setCurrent;
    let calls = 0;
    jest.spyOn(DynamoDatasetStore.prototype, 'setCurrent').mockImplementation(async function (this: InstanceType<typeof DynamoDatasetStore>, ...args) {
      if (++calls <= 3) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
      return setCurrent.apply(this, args);
    });
    const state = await upload(d, bytes());
    expect(calls).toBe(4);
    expect(state).toMatchObject({ status: 'published', version: 1 });
    expect((await call('GET', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).body).toMatchObject({ status: 'published', currentVersion: 1 });
    expect(await publicStatus(d.tenant, 'latest', 'data.csv')).toBe(200);
  });

  it('recorded, then unpublished by the publisher while its deliveries fail: settled without putting the dataset back online', async () => {
    const d = await newDataset();
    let calls = 0;
    jest.spyOn(DynamoDatasetStore.prototype, 'setCurrent').mockImplementation(async () => {
      if (++calls === 1) expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
      throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
    });
    const state = await upload(d, bytes());
    expect(state).toMatchObject({ status: 'published', version: 1 });
    expect((await call('GET', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).body).toMatchObject({ status: 'unpublished' });
    for (const name of ['data.csv', 'datapackage.json']) expect(await publicStatus(d.tenant, 'v1', name)).toBe(404);
    expect(await publicStatus(d.tenant, 'latest', 'data.csv')).toBe(404);
    jest.restoreAllMocks();
    // The version is in the history: a restore brings it back.
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/1/restore`, d.key)).status).toBe(200);
    expect(await publicStatus(d.tenant, 'latest', 'data.csv')).toBe(200);
  });

  it('whose deliveries never return (timeout, out of memory) is settled from the dead-letter queue', async () => {
    const d = await newDataset();
    // The lease is taken, then the work outlasts the function: the runtime drops the invocation, no catch of ours runs.
    const start = DynamoDatasetStore.prototype.startProcessing;
    jest.spyOn(DynamoDatasetStore.prototype, 'startProcessing').mockImplementation(async function (this: InstanceType<typeof DynamoDatasetStore>, ...args) {
      await start.apply(this, args);
      return new Promise(() => undefined);
    });
    const queue = local.queue as unknown as { opts: { handler: SqsLambda } };
    const inner = queue.opts.handler;
    queue.opts.handler = (event, context) =>
      Promise.race([inner(event, context), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Task timed out after 0.3 seconds')), 300))]);
    try {
      const state = await upload(d, bytes());
      expect(state.status).toBe('failed');
      expect(state.reason).toContain('délai dépassé ou mémoire insuffisante');
    } finally {
      queue.opts.handler = inner;
    }
  });
});
