/**
 * Two uploads of one dataset in flight: the file sent last is the one online, whichever
 * finished standardizing first, and neither version is lost. The order of events is forced
 * by holding one delivery inside the platform's own code (a platform of this process).
 */
import type { DatasetVersion } from '../../functions/domain/datasets/dataset';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { env } from '../../functions/env';
import { documentClient } from '../../functions/store/dynamodb/client';
import { DynamoDatasetStore } from '../../functions/store/dynamodb/dataset-store';
import { keys } from '../../functions/store/keys';
import * as objects from '../../functions/store/s3/objects';
import { inProcessPlatform, type TestDataset, type UploadState } from './support/in-process';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('two uploads in flight on one dataset', () => {
  const { call, newDataset, requestUpload, settled, publicFile, fixture } = inProcessPlatform('ordre');
  const first = fixture('subventions.csv');
  const second = fixture('subventions-cp1252.csv');
  const dataset = async (d: { tenant: string; key: string }) => (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).body;
  const latestCsv = async (tenant: string) => Buffer.from(await (await publicFile(tenant, 'latest', 'data.csv')).arrayBuffer());

  it('the file sent first finishing last is published as the next version but does not replace the file sent after it', async () => {
    const d = await newDataset();
    const a = await requestUpload(d, first, 'export-complet.csv');
    const b = await requestUpload(d, second, 'correction.csv');
    expect(a.uploadId < b.uploadId).toBe(true);

    // A's delivery is held before it starts; B is sent, processed and published meanwhile.
    const held = gate();
    const start = DynamoDatasetStore.prototype.startProcessing;
    jest.spyOn(DynamoDatasetStore.prototype, 'startProcessing').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      if (args[0] === a.uploadId) await held.opened;
      return start.apply(this, args);
    });
    await a.put();
    await b.put();
    expect(await settled(d, b.uploadId, false)).toMatchObject({ status: 'published', version: 1 });
    held.open();
    const stateA = await settled(d, a.uploadId);

    expect(stateA).toMatchObject({ status: 'published', version: 2, current: false });
    expect(stateA.notice).toContain('publié comme version 2, mais il n’est pas en ligne : la version 1');
    expect(stateA.notice).toContain('restaurez-la');
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 1, latestVersion: 2 });
    expect((await latestCsv(d.tenant)).equals(fixture('subventions-fr.expected.csv'))).toBe(true);
    // No version is lost: A's files are published under v2 and listed, not current.
    const versions = (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv/versions`, d.key)).body;
    expect(versions.items.map((v: { version: number; current: boolean }) => [v.version, v.current]).sort()).toEqual([[1, true], [2, false]]);
    const v2 = Buffer.from(await (await publicFile(d.tenant, 'v2', 'data.csv')).arrayBuffer());
    expect(v2.equals(fixture('subventions.expected.csv'))).toBe(true);

    // The publisher can still choose it; its upload then says it is online.
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/2/restore`, d.key)).status).toBe(200);
    expect((await latestCsv(d.tenant)).equals(v2)).toBe(true);
    const restored = await settled(d, a.uploadId);
    expect(restored).toMatchObject({ status: 'published', version: 2, current: true });
    expect(restored.notice).toBeUndefined();
    expect(await settled(d, b.uploadId)).toMatchObject({ version: 1, current: false });
  });

  it('the file sent last finishing last replaces the earlier one, even when it was numbered first', async () => {
    const d = await newDataset();
    const a = await requestUpload(d, first, 'premier.csv');
    const b = await requestUpload(d, second, 'second.csv');
    // B (sent last) is standardized first and numbered 1, then held just before going current;
    // A is numbered 2 and goes current; B, released, takes its place.
    const held = gate();
    const reached = gate();
    const setCurrent = DynamoDatasetStore.prototype.setCurrent;
    jest.spyOn(DynamoDatasetStore.prototype, 'setCurrent').mockImplementation(async function (this: DynamoDatasetStore, version: DatasetVersion, ...rest) {
      if (version.uploadId === b.uploadId) {
        reached.open();
        await held.opened;
      }
      return setCurrent.call(this, version, ...rest);
    });
    await b.put();
    await reached.opened;
    await a.put();
    expect(await settled(d, a.uploadId, false)).toMatchObject({ status: 'published', version: 2 });
    expect(await dataset(d)).toMatchObject({ currentVersion: 2 });
    held.open();
    const stateB = await settled(d, b.uploadId);

    expect(stateB).toMatchObject({ status: 'published', version: 1, current: true });
    expect(stateB.notice).toBeUndefined();
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 1, latestVersion: 2 });
    expect((await latestCsv(d.tenant)).equals(fixture('subventions-fr.expected.csv'))).toBe(true);

    // A third file, sent after both, goes current as usual.
    jest.restoreAllMocks();
    const c = await requestUpload(d, Buffer.concat([first, Buffer.from('\n')]), 'troisieme.csv');
    await c.put();
    expect(await settled(d, c.uploadId)).toMatchObject({ status: 'published', version: 3 });
    expect(await dataset(d)).toMatchObject({ currentVersion: 3 });
  });

  /** A new dataset whose version 1 is `first`, published. */
  async function withVersion1(): Promise<TestDataset> {
    const d = await newDataset();
    const x = await requestUpload(d, first, 'premier.csv');
    await x.put();
    expect(await settled(d, x.uploadId)).toMatchObject({ status: 'published', version: 1 });
    return d;
  }

  /** Holds the first delivery of `uploadId` before it starts, until `release()`. */
  function holdStart(uploadId: string) {
    const held = gate();
    const start = DynamoDatasetStore.prototype.startProcessing;
    jest.spyOn(DynamoDatasetStore.prototype, 'startProcessing').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      if (args[0] === uploadId) await held.opened;
      return start.apply(this, args);
    });
    return held.open;
  }

  /** Sends `bytes`, holds its processing while the dataset is unpublished, and waits for its end. */
  async function sentThenUnpublished(d: TestDataset, bytes: Buffer): Promise<UploadState> {
    const t = await requestUpload(d, bytes, 'en-cours.csv');
    const release = holdStart(t.uploadId);
    await t.put();
    expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
    release();
    return settled(d, t.uploadId);
  }

  it('a file sent before an unpublish and finishing after it stays in the history: the dataset stays offline', async () => {
    const d = await withVersion1();
    const stateA = await sentThenUnpublished(d, second);

    expect(stateA).toMatchObject({ status: 'published', version: 2, current: false });
    expect(stateA.notice).toContain('le jeu de données est dépublié');
    expect(await dataset(d)).toMatchObject({ status: 'unpublished' });
    // Nothing of it in public view either: its files were copied out before it was refused.
    await expectFiles(d, ['latest', 'v1', 'v2'], 404);

    // A file sent after the unpublish publishes again, as before.
    jest.restoreAllMocks();
    const c = await requestUpload(d, Buffer.concat([second, Buffer.from('\n')]), 'nouveau.csv');
    await c.put();
    expect(await settled(d, c.uploadId)).toMatchObject({ status: 'published', version: 3, current: true });
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 3 });
  });

  it('a file sent before a restore and finishing after it does not undo the restore', async () => {
    const d = await newDataset();
    for (const [bytes, n] of [[first, 1], [second, 2]] as const) {
      const t = await requestUpload(d, bytes, `v${n}.csv`);
      await t.put();
      expect(await settled(d, t.uploadId)).toMatchObject({ status: 'published', version: n });
    }
    const a = await requestUpload(d, Buffer.concat([first, Buffer.from('\n')]), 'en-cours.csv');
    const release = holdStart(a.uploadId);
    await a.put();
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/1/restore`, d.key)).status).toBe(200);
    release();

    expect(await settled(d, a.uploadId)).toMatchObject({ status: 'published', version: 3, current: false });
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 1 });
  });

  it('a dataset made current before the upload order was recorded moves forward by version number', async () => {
    const d = await withVersion1();
    // As an item written by an earlier release: no currentOrder.
    await documentClient().send(
      new UpdateCommand({ TableName: env().TABLE_NAME, Key: keys.dataset(d.tenant, 'subv'), UpdateExpression: 'REMOVE currentOrder' }),
    );
    const stored = async () => documentClient().send(new GetCommand({ TableName: env().TABLE_NAME, Key: keys.dataset(d.tenant, 'subv') }));
    expect((await stored()).Item?.currentOrder).toBeUndefined();
    const y = await requestUpload(d, second, 'nouveau.csv');
    await y.put();
    expect(await settled(d, y.uploadId)).toMatchObject({ status: 'published', version: 2, current: true });
    expect((await stored()).Item?.currentOrder).toBe(y.uploadId);
    // Internal: the API does not show it.
    expect(await dataset(d)).not.toHaveProperty('currentOrder');
  });

  it('the same bytes sent again before an unpublish and ending after it do not put the dataset back online', async () => {
    const d = await withVersion1();
    const dup = await sentThenUnpublished(d, first);
    expect(dup).toMatchObject({ status: 'duplicate', version: 1, current: false });
    expect(dup.notice).toContain('Ce fichier est identique à la version 1, déjà publiée, mais le jeu de données est dépublié');
    expect(await dataset(d)).toMatchObject({ status: 'unpublished' });
    await expectFiles(d, ['latest', 'v1'], 404);
  });

  it('a new file published after an unpublish brings the other versions\' files back, as a restore does', async () => {
    const d = await withVersion1();
    expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
    expect((await publicFile(d.tenant, 'v1', 'data.csv')).status).toBe(404);

    const y = await requestUpload(d, second, 'nouveau.csv');
    await y.put();
    expect(await settled(d, y.uploadId)).toMatchObject({ status: 'published', version: 2, current: true });
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 2 });
    // The catalogue lists version 1's URLs: they answer again.
    const v1 = await publicFile(d.tenant, 'v1', 'data.csv');
    expect(v1.status).toBe(200);
    expect(Buffer.from(await v1.arrayBuffer()).equals(fixture('subventions.expected.csv'))).toBe(true);
  });

  it('settled from failed deliveries, a file sent after an unpublish goes online as processing would have put it', async () => {
    const d = await withVersion1();
    expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
    // Its three deliveries fail when they move `current`; the last one settles it.
    const calls = failFirst('setCurrent', 3);
    const y = await requestUpload(d, second, 'nouveau.csv');
    await y.put();

    expect(await settled(d, y.uploadId)).toMatchObject({ status: 'published', version: 2, current: true });
    expect(calls()).toBe(4);
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 2 });
  });

  /** Every public file of the folders `dirs` (`v1`, `latest`…) answers `status`. */
  async function expectFiles(d: TestDataset, dirs: string[], status: number): Promise<void> {
    for (const dir of dirs) for (const name of ['data.csv', 'data.json', 'datapackage.json']) {
      expect({ dir, name, status: (await publicFile(d.tenant, dir, name)).status }).toEqual({ dir, name, status });
    }
  }

  /** A dataset with versions 1 (`first`) and 2 (`second`), then unpublished. */
  async function twoVersionsUnpublished(): Promise<TestDataset> {
    const d = await withVersion1();
    const y = await requestUpload(d, second, 'second.csv');
    await y.put();
    expect(await settled(d, y.uploadId)).toMatchObject({ status: 'published', version: 2 });
    expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
    return d;
  }

  /**
   * The store's `method` fails its first `n` calls (DynamoDB unavailable), or runs `before`
   * at its first call when given; then it works. Returns the count of calls.
   */
  function failFirst(method: 'setCurrent' | 'listVersions', n: number, before?: () => Promise<void>): () => number {
    const real = DynamoDatasetStore.prototype[method] as (...args: unknown[]) => Promise<unknown>;
    let calls = 0;
    jest.spyOn(DynamoDatasetStore.prototype, method).mockImplementation(async function (this: DynamoDatasetStore, ...args: unknown[]) {
      if (++calls <= n) {
        if (!before) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
        await before();
      }
      return real.apply(this, args);
    } as never);
    return () => calls;
  }

  it('a crash after going current on an unpublished dataset is completed by the retry: every version\'s files come back', async () => {
    const d = await twoVersionsUnpublished();
    failFirst('listVersions', 1);
    const c = await requestUpload(d, Buffer.concat([first, Buffer.from('\n')]), 'nouveau.csv');
    await c.put();
    expect(await settled(d, c.uploadId)).toMatchObject({ status: 'published', version: 3, current: true });
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 3 });
    await expectFiles(d, ['v1', 'v2', 'v3', 'latest'], 200);
  });

  it('the same after a crash on the same bytes sent again after an unpublish (a duplicate)', async () => {
    const d = await twoVersionsUnpublished();
    failFirst('listVersions', 1);
    const again = await requestUpload(d, first, 'premier (1).csv');
    await again.put();
    expect(await settled(d, again.uploadId)).toMatchObject({ status: 'duplicate', version: 1, current: true });
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 1 });
    await expectFiles(d, ['v1', 'v2', 'latest'], 200);
  });

  it('an unpublish while a publication puts the files back leaves nothing public', async () => {
    const d = await twoVersionsUnpublished();
    failFirst('listVersions', 1, async () => {
      expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
    });
    const c = await requestUpload(d, Buffer.concat([first, Buffer.from('\n')]), 'nouveau.csv');
    await c.put();
    expect(await settled(d, c.uploadId)).toMatchObject({ status: 'published', version: 3, current: false });
    expect(await dataset(d)).toMatchObject({ status: 'unpublished' });
    await expectFiles(d, ['v1', 'v2', 'v3', 'latest'], 404);
  });

  it('a restore that an unpublish overtakes starts again: the dataset ends online with all its files', async () => {
    const d = await twoVersionsUnpublished();
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/2/restore`, d.key)).status).toBe(200);
    // The publisher unpublishes while the restore of version 1 is under way.
    const setCurrent = DynamoDatasetStore.prototype.setCurrent;
    let overtaken = false;
    jest.spyOn(DynamoDatasetStore.prototype, 'setCurrent').mockImplementation(async function (this: DynamoDatasetStore, ...args) {
      if (!overtaken) {
        overtaken = true;
        expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
      }
      return setCurrent.apply(this, args);
    });
    const restored = await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/1/restore`, d.key);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: 'published', currentVersion: 1 });
    await expectFiles(d, ['v1', 'v2', 'latest'], 200);
  });

  it('settled from failed deliveries, the same bytes sent again after an unpublish end as the duplicate that put them back online', async () => {
    const d = await twoVersionsUnpublished();
    // Every delivery fails where the other versions' files are put back; the settle completes it.
    const calls = failFirst('listVersions', 3);
    const again = await requestUpload(d, first, 'premier (1).csv');
    await again.put();
    expect(await settled(d, again.uploadId)).toMatchObject({ status: 'duplicate', version: 1, current: true });
    expect(calls()).toBe(4);
    await expectFiles(d, ['v1', 'v2', 'latest'], 200);
  });

  it('a duplicate of a version that is not online says so', async () => {
    const d = await withVersion1();
    const y = await requestUpload(d, second, 'second.csv');
    await y.put();
    expect(await settled(d, y.uploadId)).toMatchObject({ status: 'published', version: 2, current: true });
    const again = await requestUpload(d, first, 'premier (1).csv');
    await again.put();
    const dup = await settled(d, again.uploadId);
    expect(dup).toMatchObject({ status: 'duplicate', version: 1, current: false });
    expect(dup.notice).toBe(
      'Ce fichier est identique à la version 1, déjà publiée : aucune nouvelle version n’a été créée, et la version en ligne reste la version 2. ' +
        'La version 1 reste dans l’historique ; restaurez-la pour la remettre en ligne.',
    );
  });
  it('a restore while a refused file\'s copies are being taken back keeps every version\'s files', async () => {
    const d = await withVersion1();
    // A file sent before an unpublish is refused after it; while its v2 copies are being
    // removed, the publisher restores version 1 (which finds v2's files there).
    const reached = gate();
    const held = gate();
    const deletePrefix = objects.deletePrefix;
    jest.spyOn(objects, 'deletePrefix').mockImplementation(async (bucket, prefix) => {
      if (prefix.endsWith(`/${d.tenant}/subv/v2/`) && bucket === env().PUBLIC_BUCKET) {
        reached.open();
        await held.opened;
      }
      return deletePrefix(bucket, prefix);
    });
    const a = await requestUpload(d, second, 'en-cours.csv');
    const release = holdStart(a.uploadId);
    await a.put();
    expect((await call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key)).status).toBe(200);
    release();
    await reached.opened;
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/1/restore`, d.key)).status).toBe(200);
    held.open();

    expect(await settled(d, a.uploadId)).toMatchObject({ status: 'published', version: 2, current: false });
    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 1 });
    await expectFiles(d, ['v1', 'v2', 'latest'], 200);
  });
  it('a restore that lands while an unpublish removes the files ends online with all its files', async () => {
    const d = await twoVersionsUnpublished();
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/2/restore`, d.key)).status).toBe(200);
    // The unpublish has marked the dataset; before it removes the files, version 1 is restored.
    const reached = gate();
    const held = gate();
    const deletePrefix = objects.deletePrefix;
    jest.spyOn(objects, 'deletePrefix').mockImplementation(async (bucket, prefix) => {
      if (prefix === `datasets/${d.tenant}/subv/`) {
        reached.open();
        await held.opened;
      }
      return deletePrefix(bucket, prefix);
    });
    const unpublished = call('DELETE', `/v1/tenants/${d.tenant}/datasets/subv`, d.key);
    await reached.opened;
    expect((await call('POST', `/v1/tenants/${d.tenant}/datasets/subv/versions/1/restore`, d.key)).status).toBe(200);
    held.open();
    expect((await unpublished).status).toBe(200);

    expect(await dataset(d)).toMatchObject({ status: 'published', currentVersion: 1 });
    await expectFiles(d, ['v1', 'v2', 'latest'], 200);
  });
});
