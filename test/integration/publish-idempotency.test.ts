/**
 * Exactly-once publication as seen from outside: duplicates, a redelivered S3 event, two
 * uploads in flight on one dataset, restore, unpublish then restore, and a file that
 * crashes the standardizer (retried, then dead-lettered with the upload `failed`).
 */
import { api } from './support/api';
import {
  createDataset,
  fixture,
  getDataset,
  getUpload,
  listVersions,
  newPublisher,
  publicFile,
  publish,
  putBytes,
  requestUpload,
  uploadFile,
  waitForUpload,
  type Publisher,
} from './support/publish';

async function versionsOf(p: Publisher, slug: string): Promise<number[]> {
  const res = await listVersions(p, slug);
  expect(res.status).toBe(200);
  return res.body.items.map((v) => v.version).sort((x, y) => x - y);
}

describe('the same bytes publish once', () => {
  it('a second upload of the same file is a duplicate of version 1, with no new version', async () => {
    const p = await newPublisher('doublon');
    await createDataset(p, 'subventions', 'scdl/subventions');
    expect(await publish(p, 'subventions', 'subventions.csv', fixture('subventions.csv'))).toBe(1);
    const { state } = await uploadFile(p, 'subventions', 'subventions (1).csv', fixture('subventions.csv'));
    expect(state).toMatchObject({ status: 'duplicate', version: 1 });
    expect(await versionsOf(p, 'subventions')).toEqual([1]);
    expect((await getDataset(p, 'subventions')).body.currentVersion).toBe(1);
  });

  it('the event delivered twice (the same object PUT again to the same URL) still makes one version', async () => {
    const p = await newPublisher('rejeu');
    await createDataset(p, 'subventions', 'scdl/subventions');
    const bytes = fixture('subventions.csv');
    const ticket = await requestUpload(p, 'subventions', 'subventions.csv', bytes.length);
    expect((await putBytes(ticket, bytes)).status).toBe(200);
    expect(await waitForUpload(p, 'subventions', ticket.uploadId)).toMatchObject({ status: 'published', version: 1 });

    // s3rver emits a second ObjectCreated for the same key.
    expect((await putBytes(ticket, bytes)).status).toBe(200);
    // A later upload on the same dataset goes through the same queue after the redelivery.
    expect(await publish(p, 'subventions', 'suite.csv', fixture('subventions-cp1252.csv'))).toBe(2);

    expect(await versionsOf(p, 'subventions')).toEqual([1, 2]);
    const first = await getUpload(p, 'subventions', ticket.uploadId);
    expect(first.body).toMatchObject({ status: 'published', version: 1 });
    expect((await publicFile(p, 'subventions', 1, 'data.csv')).bytes.equals(fixture('subventions.expected.csv'))).toBe(true);
  });
});

describe('versions of one dataset', () => {
  let p: Publisher;
  const slug = 'subventions';
  let v1: Buffer;
  let v2: Buffer;

  beforeAll(async () => {
    p = await newPublisher('versions');
    await createDataset(p, slug, 'scdl/subventions');
  });

  it('two uploads in flight both publish: versions 1 and 2, the one sent last is current and in latest', async () => {
    const a = fixture('subventions.csv');
    const b = fixture('subventions-cp1252.csv');
    const [ta, tb] = await Promise.all([requestUpload(p, slug, 'a.csv', a.length), requestUpload(p, slug, 'b.csv', b.length)]);
    const puts = await Promise.all([putBytes(ta, a), putBytes(tb, b)]);
    expect(puts.map((r) => r.status)).toEqual([200, 200]);
    const [sa, sb] = await Promise.all([waitForUpload(p, slug, ta.uploadId), waitForUpload(p, slug, tb.uploadId)]);
    expect([sa.status, sb.status]).toEqual(['published', 'published']);
    expect([sa.version, sb.version].sort()).toEqual([1, 2]);

    expect(await versionsOf(p, slug)).toEqual([1, 2]);
    // Upload ids order the requests: the later one is online, whichever finished first.
    const sentLast = ta.uploadId > tb.uploadId ? sa : sb;
    const dataset = await getDataset(p, slug);
    expect(dataset.body).toMatchObject({ status: 'published', currentVersion: sentLast.version, latestVersion: 2 });
    v1 = (await publicFile(p, slug, 1, 'data.csv')).bytes;
    v2 = (await publicFile(p, slug, 2, 'data.csv')).bytes;
    expect(v1.equals(v2)).toBe(false);
    const latest = await publicFile(p, slug, 'latest', 'data.csv');
    expect(latest.bytes.equals(sentLast.version === 2 ? v2 : v1)).toBe(true);
    // Each version's files are its own upload's.
    const byUpload = new Map([[ta.uploadId, fixture('subventions.expected.csv')], [tb.uploadId, fixture('subventions-fr.expected.csv')]]);
    expect(v1.equals(byUpload.get(sa.version === 1 ? ta.uploadId : tb.uploadId)!)).toBe(true);
    const latestPackage = await publicFile(p, slug, 'latest', 'datapackage.json');
    expect(latestPackage.status).toBe(200);
  });

  it('restoring version 1 makes it current and copies it to latest', async () => {
    const res = await api('POST', `/v1/tenants/${p.tenantId}/datasets/${slug}/versions/1/restore`, { token: p.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'published', currentVersion: 1 });
    expect((await getDataset(p, slug)).body.currentVersion).toBe(1);
    const versions = await listVersions(p, slug);
    expect(versions.body.currentVersion).toBe(1);
    expect(versions.body.items.find((v) => v.version === 1)?.current).toBe(true);
    expect((await publicFile(p, slug, 'latest', 'data.csv')).bytes.equals(v1)).toBe(true);
    // The other version is untouched.
    expect((await publicFile(p, slug, 2, 'data.csv')).bytes.equals(v2)).toBe(true);

    const missing = await api('POST', `/v1/tenants/${p.tenantId}/datasets/${slug}/versions/9/restore`, { token: p.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('version_not_found');
    const word = await api('POST', `/v1/tenants/${p.tenantId}/datasets/${slug}/versions/abc/restore`, { token: p.token });
    expect(word.status).toBe(400);
    expect(word.body.error.message).toContain('numéro de version attendu (un nombre entier, par exemple 3)');
  });

  it('unpublishing removes the public files but keeps the versions; a restore puts the files back', async () => {
    const removed = await api('DELETE', `/v1/tenants/${p.tenantId}/datasets/${slug}`, { token: p.token });
    expect(removed.status).toBe(200);
    expect(removed.body.status).toBe('unpublished');
    expect(removed.body.removedFiles).toBeGreaterThan(0);
    for (const v of [1, 2, 'latest'] as const) {
      expect({ v, status: (await publicFile(p, slug, v, 'data.csv')).status }).toEqual({ v, status: 404 });
    }
    expect(await versionsOf(p, slug)).toEqual([1, 2]);
    const dataset = await getDataset(p, slug);
    expect(dataset.body.status).toBe('unpublished');
    expect(dataset.body.currentVersion).toBeUndefined();

    const restored = await api('POST', `/v1/tenants/${p.tenantId}/datasets/${slug}/versions/2/restore`, { token: p.token });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: 'published', currentVersion: 2 });
    const file = await publicFile(p, slug, 2, 'data.csv');
    expect(file.status).toBe(200);
    expect(file.bytes.equals(v2)).toBe(true);
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await publicFile(p, slug, 'latest', 'data.csv')).bytes.equals(v2)).toBe(true);
    expect((await publicFile(p, slug, 2, 'report.json')).status).toBe(200);
    // The other versions' files too: the catalogue lists every version's immutable URLs.
    const older = await publicFile(p, slug, 1, 'data.csv');
    expect(older.status).toBe(200);
    expect(older.bytes.equals(v1)).toBe(true);
    expect((await publicFile(p, slug, 1, 'datapackage.json')).status).toBe(200);
  });

  it('after an unpublish, uploading the same file again publishes it again (a duplicate of its version)', async () => {
    expect((await api('DELETE', `/v1/tenants/${p.tenantId}/datasets/${slug}`, { token: p.token })).status).toBe(200);
    const current = await getDataset(p, slug);
    expect(current.body.status).toBe('unpublished');
    const source = v2.equals(fixture('subventions.expected.csv')) ? fixture('subventions.csv') : fixture('subventions-cp1252.csv');
    const { state } = await uploadFile(p, slug, 'encore.csv', source);
    expect(state).toMatchObject({ status: 'duplicate', version: 2 });
    expect((await getDataset(p, slug)).body).toMatchObject({ status: 'published', currentVersion: 2 });
    expect((await publicFile(p, slug, 'latest', 'data.csv')).bytes.equals(v2)).toBe(true);
    expect((await publicFile(p, slug, 1, 'data.csv')).status).toBe(200);
    expect(await versionsOf(p, slug)).toEqual([1, 2]);
  });
});

describe('a JSON document of the wrong shape for DECP', () => {
  // It used to crash the DECP flattener; it is the file's fault, so it gets a report.
  it('is rejected with a report and the published version stays', async () => {
    const p = await newPublisher('plantage');
    await createDataset(p, 'marches', 'decp');
    expect(await publish(p, 'marches', 'decp.csv', fixture('decp.csv'))).toBe(1);
    // An array of contracts lacking most of what a marché requires; then no contract at all.
    const { state } = await uploadFile(p, 'marches', 'export.json', Buffer.from('[{"id": "2024-0044", "objet": "Tableau plat"}]'));
    expect(state.status).toBe('rejected');
    expect(state.report?.codes).toHaveProperty('decp-required-for-kind');
    const other = await uploadFile(p, 'marches', 'autre.json', Buffer.from('{"contrats": {"liste": [1, 2]}}'));
    expect(other.state.status).toBe('rejected');
    expect(other.state.report?.codes).toHaveProperty('invalid-json-shape');
    const dataset = await getDataset(p, 'marches');
    expect(dataset.body.currentVersion).toBe(1);
    expect((await publicFile(p, 'marches', 'latest', 'data.csv')).bytes.equals(fixture('decp.expected.csv'))).toBe(true);
  });
});
