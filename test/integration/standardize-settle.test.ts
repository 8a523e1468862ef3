/**
 * Faults after the public copy, and deliveries that never return, on a platform of this
 * process (its queues, its handlers: the faults are injected into the very code they run).
 * A file of its own: the AWS clients of a module registry keep the endpoints they were made with.
 */
import type { SqsLambda } from '../../lib/local/event-queue';
import { DynamoDatasetStore } from '../../functions/store/dynamodb/dataset-store';
import { inProcessPlatform } from './support/in-process';

describe('an upload whose processing does not finish', () => {
  const { platform, call, newDataset, upload, publicStatus, fixture } = inProcessPlatform('reglee');
  const bytes = () => fixture('subventions.csv');

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
    const queue = platform().queue as unknown as { opts: { handler: SqsLambda } };
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
