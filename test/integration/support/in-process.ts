/**
 * A whole local platform in the test's own process (its queues, its handlers), so that a
 * test can inject faults or delays into the very code the platform runs (jest.spyOn on a
 * store's prototype). Each test file gets its own: the AWS clients of a module registry
 * keep the endpoints they were made with.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPlatform } from '../../../lib/local/platform';

export type InProcessPlatform = Awaited<ReturnType<typeof startPlatform>>;
export interface TestDataset {
  tenant: string;
  key: string;
}
export interface UploadState {
  status: string;
  reason?: string;
  version?: number;
  current?: boolean;
  notice?: string;
}

/** Starts the platform before the file's tests and stops it after; `prefix` names the tenants. */
export function inProcessPlatform(prefix: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `socle-${prefix}-`));
  let local: InProcessPlatform | undefined;
  beforeAll(async () => {
    local = await startPlatform({ dataDir: dir, port: 0, s3Port: 0, dynamoPort: 0, seed: false, log: () => undefined });
    (local.queue as unknown as { opts: { retryDelayMs: number } }).opts.retryDelayMs = 20;
  });
  afterAll(async () => {
    await local?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  const platform = (): InProcessPlatform => {
    if (!local) throw new Error('the platform is not started yet');
    return local;
  };
  const call = async (method: string, route: string, token: string, body?: unknown) => {
    const res = await fetch(platform().apiUrl + route, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  let n = 0;
  /** A new tenant with a publisher key and a `subv` dataset on scdl/subventions. */
  async function newDataset(): Promise<TestDataset> {
    const tenant = `${prefix}-${++n}-${Date.now().toString(36)}`;
    const { adminToken } = platform();
    await call('POST', '/v1/admin/tenants', adminToken, { id: tenant, name: 'Commune test', kind: 'commune', siren: '213104581' });
    const key = (await call('POST', `/v1/admin/tenants/${tenant}/keys`, adminToken)).body.token as string;
    await call('POST', `/v1/tenants/${tenant}/datasets`, key, { slug: 'subv', title: 'Subventions', schema: 'scdl/subventions' });
    return { tenant, key };
  }
  /** Requests an upload URL; `put` sends the bytes to it. */
  async function requestUpload(d: TestDataset, bytes: Buffer, filename = 's.csv') {
    const ticket = (await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/uploads`, d.key, { filename, contentType: 'text/csv', size: bytes.length })).body;
    return {
      uploadId: ticket.uploadId as string,
      put: async () => {
        await (await fetch(ticket.url, { method: 'PUT', headers: ticket.headers, body: bytes })).arrayBuffer();
      },
    };
  }
  /** Requests an upload URL and PUTs the bytes; returns the upload id once the PUT is done. */
  async function send(d: TestDataset, bytes: Buffer, filename = 's.csv'): Promise<string> {
    const ticket = await requestUpload(d, bytes, filename);
    await ticket.put();
    return ticket.uploadId;
  }
  /**
   * Polls an upload until it leaves `awaiting-file`/`processing`. With `waitIdle` false it
   * does not wait for the queue to be idle first (another delivery is held by the test).
   */
  async function settled(d: TestDataset, uploadId: string, waitIdle = true): Promise<UploadState> {
    for (let i = 0; i < 300; i++) {
      if (waitIdle) await platform().queue.idle();
      const state = (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv/uploads/${uploadId}`, d.key)).body;
      if (!['awaiting-file', 'processing'].includes(state.status)) return state;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('upload never settled');
  }
  const upload = async (d: TestDataset, bytes: Buffer): Promise<UploadState> => settled(d, await send(d, bytes));
  const publicFile = async (tenant: string, dir: string, name: string) => fetch(`${platform().publicUrl}/datasets/${tenant}/subv/${dir}/${name}`);
  const publicStatus = async (tenant: string, dir: string, name: string) => (await publicFile(tenant, dir, name)).status;
  const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/publish', name));
  return { platform, call, newDataset, requestUpload, send, settled, upload, publicFile, publicStatus, fixture };
}
