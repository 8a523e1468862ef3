/**
 * A version's files are immutable once recorded: a delivery of the same upload again (a
 * retry after a crash that came after the version was recorded) completes the publication
 * from the record, it never standardizes again and rewrites `v<n>/` with other bytes (a
 * later `created`, metadata PATCHed meanwhile). Faults and the PATCH are injected into the
 * very code the platform of this process runs; the interleaving is deterministic.
 */
import { createHash } from 'node:crypto';
import type { SQSBatchResponse } from 'aws-lambda';
import type { SqsLambda } from '../../lib/local/event-queue';
import { UPLOAD_BUCKET } from '../../lib/local/platform';
import { DynamoDatasetStore } from '../../functions/store/dynamodb/dataset-store';
import { listKeys } from '../../functions/store/s3/objects';
import { inProcessPlatform, type TestDataset } from './support/in-process';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Dist {
  format: string;
  key: string;
  bytes: number;
  sha256: string;
}

describe('a version recorded by a delivery that then crashed', () => {
  const { platform, call, newDataset, upload, send, settled, publicFile, fixture } = inProcessPlatform('immuable');

  const bytesOf = async (d: TestDataset, dir: string, name: string) => {
    const res = await publicFile(d.tenant, dir, name);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const versionRecord = async (d: TestDataset, n: number): Promise<{ distributions: Dist[]; createdAt: string }> => {
    const items = (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv/versions`, d.key)).body.items as { version: number; distributions: Dist[]; createdAt: string }[];
    const record = items.find((v) => v.version === n);
    expect(record).toBeDefined();
    return record!;
  };
  /** Every file of `v<n>/` is the one its record describes, and the dataset's distributions are the record's. */
  const expectFilesAsRecorded = async (d: TestDataset, n: number) => {
    const record = await versionRecord(d, n);
    for (const dist of record.distributions) {
      const body = await bytesOf(d, `v${n}`, dist.key.slice(dist.key.lastIndexOf('/') + 1));
      expect({ key: dist.key, bytes: body.length, sha256: sha256(body) }).toEqual({ key: dist.key, bytes: dist.bytes, sha256: dist.sha256 });
    }
    const dataset = (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).body as { currentVersion: number; distributions: Dist[] };
    expect(dataset.currentVersion).toBe(n);
    const strip = (x: Dist[]) => x.map(({ format, key, bytes, sha256: s }) => ({ format, key, bytes, sha256: s }));
    expect(strip(dataset.distributions)).toEqual(strip(record.distributions));
    return record;
  };

  /**
   * Publishes v1, then sends another file whose first delivery records and publishes v2,
   * sees the title PATCHed, then crashes (setLastReport, after publishInUploadOrder). Returns
   * `v2/datapackage.json` as it was when v2 was recorded and made current.
   */
  async function publishV2WithPatchAndCrash(d: TestDataset, later: (call: number) => Promise<void> = async () => undefined) {
    expect(await upload(d, fixture('subventions.csv'))).toMatchObject({ status: 'published', version: 1 });
    const setLastReport = DynamoDatasetStore.prototype.setLastReport;
    let first: Buffer | undefined;
    let calls = 0;
    jest.spyOn(DynamoDatasetStore.prototype, 'setLastReport').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      calls++;
      if (calls === 1) {
        first = await bytesOf(d, 'v2', 'datapackage.json');
        expect((await call('PATCH', `/v1/tenants/${d.tenant}/datasets/subv`, d.key, { title: 'Subventions versées' })).status).toBe(200);
        throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
      }
      await later(calls);
      return setLastReport.apply(this, args);
    });
    const state = await upload(d, fixture('subventions-cp1252.csv'));
    return { state, first: first! };
  }

  it('retried after a PATCH: v2 keeps the bytes it was recorded and made current with; latest/ says the new title', async () => {
    const d = await newDataset();
    const { state, first } = await publishV2WithPatchAndCrash(d);
    expect(state).toMatchObject({ status: 'published', version: 2 });
    expect(first).toBeDefined();

    const now = await bytesOf(d, 'v2', 'datapackage.json');
    expect(JSON.parse(now.toString('utf8'))).toMatchObject({ title: 'Subventions', version: '2' });
    expect(now.equals(first)).toBe(true);
    const record = await expectFilesAsRecorded(d, 2);
    expect(JSON.parse(now.toString('utf8')).created).toBe(record.createdAt);
    expect(JSON.parse((await bytesOf(d, 'latest', 'datapackage.json')).toString('utf8'))).toMatchObject({ title: 'Subventions versées', version: '2' });
  });

  it('retries that fail too, then settled: the version record, its files and the dataset agree', async () => {
    const d = await newDataset();
    const putVersion = DynamoDatasetStore.prototype.putVersion;
    let recorded = 0;
    // The first delivery records v2; the retries' writes of a version record fail.
    jest.spyOn(DynamoDatasetStore.prototype, 'putVersion').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      if (args[0].version === 2 && ++recorded > 1) throw Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' });
      return putVersion.apply(this, args);
    });
    const { state, first } = await publishV2WithPatchAndCrash(d);
    expect(state).toMatchObject({ status: 'published', version: 2 });
    expect((await bytesOf(d, 'v2', 'datapackage.json')).equals(first)).toBe(true);
    await expectFilesAsRecorded(d, 2);
  });

  it('recorded, then the tenant suspended before the retry: the retry is refused and takes the version back (no public, restorable orphan)', async () => {
    const d = await newDataset();
    expect(await upload(d, fixture('subventions.csv'))).toMatchObject({ status: 'published', version: 1 });
    const admin = platform().adminToken;
    const claim = DynamoDatasetStore.prototype.claimSource;
    let calls = 0;
    // The first delivery records v2 and copies its files, then fails at its source claim, the tenant suspended meanwhile.
    jest.spyOn(DynamoDatasetStore.prototype, 'claimSource').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      if (++calls === 1) {
        expect((await call('POST', `/v1/admin/tenants/${d.tenant}/suspend`, admin)).status).toBe(200);
        throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
      }
      return claim.apply(this, args);
    });
    const id = await send(d, fixture('subventions-cp1252.csv'));
    await platform().queue.idle();
    // The publisher's key reads again once the tenant is reactivated.
    expect((await call('POST', `/v1/admin/tenants/${d.tenant}/reactivate`, admin)).status).toBe(200);
    expect(await settled(d, id)).toMatchObject({ status: 'failed' });
    const versions = (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv/versions`, d.key)).body.items as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect(await publicFile(d.tenant, 'v2', 'data.csv')).toMatchObject({ status: 404 });
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/2/restore`, d.key)).status).toBe(404);
    // The same bytes again are a new version, not a duplicate of a version taken back.
    expect(await upload(d, fixture('subventions-cp1252.csv'))).toMatchObject({ status: 'published', version: 3 });
  });

  it('after an unpublish and a restore, v2 comes back from the archive with the bytes it was recorded with', async () => {
    const d = await newDataset();
    const { state, first } = await publishV2WithPatchAndCrash(d);
    expect(state).toMatchObject({ status: 'published', version: 2 });
    expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/2/restore`, d.key)).status).toBe(200);
    expect((await bytesOf(d, 'v2', 'datapackage.json')).equals(first)).toBe(true);
    await expectFilesAsRecorded(d, 2);
  });

  it('the same message delivered twice at once (SQS at-least-once), the title PATCHed between them: the first record stands, files and all', async () => {
    const d = await newDataset();
    expect(await upload(d, fixture('subventions.csv'))).toMatchObject({ status: 'published', version: 1 });
    // Each delivery of the uploads queue is handed to two consumers at once: same message id, so the lease lets both in.
    const queue = platform().queue as unknown as { opts: { handler: SqsLambda } };
    const inner = queue.opts.handler;
    queue.opts.handler = async (event, context) => {
      const results = await Promise.all([inner(event, context), inner(event, context)]);
      return { batchItemFailures: results.flatMap((r) => (r as SQSBatchResponse | undefined)?.batchItemFailures ?? []) };
    };
    // A reads the dataset, standardizes and waits before recording; the title is PATCHed; then B
    // starts (it reads the new title) and comes to record too; A records first, then B.
    let goB!: () => void;
    const bMayStart = new Promise<void>((resolve) => (goB = resolve));
    let bArrived!: () => void;
    const bAtRecord = new Promise<void>((resolve) => (bArrived = resolve));
    let aRecorded!: () => void;
    const aDone = new Promise<void>((resolve) => (aRecorded = resolve));
    const start = DynamoDatasetStore.prototype.startProcessing;
    let starts = 0;
    jest.spyOn(DynamoDatasetStore.prototype, 'startProcessing').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      if (++starts === 2) await bMayStart;
      return start.apply(this, args);
    });
    const putVersion = DynamoDatasetStore.prototype.putVersion;
    let puts = 0;
    jest.spyOn(DynamoDatasetStore.prototype, 'putVersion').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      if (++puts === 1) {
        expect((await call('PATCH', `/v1/tenants/${d.tenant}/datasets/subv`, d.key, { title: 'Subventions versées' })).status).toBe(200);
        goB();
        await bAtRecord;
        try {
          return await putVersion.apply(this, args);
        } finally {
          aRecorded();
        }
      }
      bArrived();
      await aDone;
      return putVersion.apply(this, args);
    });
    let state;
    try {
      state = await upload(d, fixture('subventions-cp1252.csv'));
    } finally {
      queue.opts.handler = inner;
    }
    expect(puts).toBe(2);
    expect(state).toMatchObject({ status: 'published', version: 2 });
    const record = await expectFilesAsRecorded(d, 2);
    const pkg = JSON.parse((await bytesOf(d, 'v2', 'datapackage.json')).toString('utf8'));
    expect(pkg).toMatchObject({ title: 'Subventions', version: '2', created: record.createdAt });
    expect(JSON.parse((await bytesOf(d, 'latest', 'datapackage.json')).toString('utf8'))).toMatchObject({ title: 'Subventions versées', version: '2' });
    // One archive kept for the version: the other delivery's was removed.
    const { uploadId } = record as unknown as { uploadId: string };
    const archived = await listKeys(UPLOAD_BUCKET, `archive/${d.tenant}/subv/${uploadId}/`);
    expect(new Set(archived.map((k) => k.split('/').slice(0, -1).join('/'))).size).toBe(1);
  });
});
