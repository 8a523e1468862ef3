/**
 * Tenant isolation and the signed upload URL: a publisher acts on its own tenant only, the
 * URL is short-lived and scoped to the tenant's prefix, an expired URL is refused, the
 * tenant's size limit holds, and a suspended tenant cannot publish until reactivated.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { admin, api, platform } from './support/api';
import {
  createDataset,
  fixture,
  getDataset,
  newPublisher,
  publicFile,
  publish,
  putBytes,
  requestUpload,
  uploadFile,
  waitForUpload,
  type Publisher,
} from './support/publish';

describe('a publisher acts on its own tenant only', () => {
  let a: Publisher;
  let b: Publisher;
  let bUpload: string;

  beforeAll(async () => {
    a = await newPublisher('tenant-a');
    b = await newPublisher('tenant-b');
    await createDataset(a, 'subventions', 'scdl/subventions');
    await createDataset(b, 'subventions', 'scdl/subventions');
    const { ticket, state } = await uploadFile(b, 'subventions', 'subventions.csv', fixture('subventions.csv'));
    expect(state.status).toBe('published');
    bUpload = ticket.uploadId;
  });

  it('403 forbidden_tenant on every publisher route of another tenant', async () => {
    const base = `/v1/tenants/${b.tenantId}/datasets`;
    const attempts: [string, string, unknown?][] = [
      ['POST', base, { slug: 'intrus', title: 'Jeu intrus', schema: 'scdl/subventions' }],
      ['GET', base],
      ['GET', `${base}/subventions`],
      ['PATCH', `${base}/subventions`, { title: 'Titre volé' }],
      ['POST', `${base}/subventions/uploads`, { filename: 'x.csv', contentType: 'text/csv', size: 10 }],
      ['GET', `${base}/subventions/uploads/${bUpload}`],
      ['GET', `${base}/subventions/versions`],
      ['POST', `${base}/subventions/versions/1/restore`],
      ['DELETE', `${base}/subventions`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api(method, path, { token: a.token, body });
      expect({ method, path, status: res.status, code: res.body?.error?.code }).toEqual({ method, path, status: 403, code: 'forbidden_tenant' });
    }
    // Nothing of B changed.
    const dataset = await getDataset(b, 'subventions');
    expect(dataset.body).toMatchObject({ status: 'published', currentVersion: 1, title: 'Jeu subventions' });
    const intrus = await api('GET', `${base}/intrus`, { token: b.token });
    expect(intrus.status).toBe(404);
  });

  it('an upload id of B read through A’s own path is not found (no report leaks)', async () => {
    const res = await api('GET', `/v1/tenants/${a.tenantId}/datasets/subventions/uploads/${bUpload}`, { token: a.token });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('upload_not_found');
    expect(JSON.stringify(res.body)).not.toContain('subventions.csv');
  });

  it('the signed URL is under uploads/<tenant>/, lives at most 900 s, and signs content-length, content-type, host and If-None-Match (it writes once)', async () => {
    const bytes = fixture('subventions.csv');
    const ticket = await requestUpload(a, 'subventions', 'subventions.csv', bytes.length);
    const url = new URL(ticket.url);
    expect(url.origin).toBe(platform().s3Endpoint);
    const [bucket, ...key] = url.pathname.slice(1).split('/');
    expect(bucket).toBe('socle-local-uploads');
    expect(key.slice(0, 4)).toEqual(['uploads', a.tenantId, 'subventions', ticket.uploadId]);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeGreaterThan(0);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match');
    // No checksum of an empty body baked into the URL: S3 would refuse the real bytes (BadDigest).
    expect([...url.searchParams.keys()].filter((k) => k.toLowerCase().startsWith('x-amz-checksum'))).toEqual([]);
    expect(ticket.headers).toEqual({ 'content-type': 'text/csv', 'content-length': String(bytes.length), 'if-none-match': '*' });
    expect(Date.parse(ticket.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
  });

  it('an expired signed URL is refused by the storage (403)', async () => {
    const s3 = new S3Client({
      endpoint: platform().s3Endpoint,
      region: 'eu-west-3',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const body = Buffer.from('nom,valeur\nx,1\n');
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: 'socle-local-uploads', Key: `uploads/${a.tenantId}/expire/01ARZ3NDEKTSV4RRFFQ69G5FAV/x.csv`, ContentType: 'text/csv', ContentLength: body.length }),
      { expiresIn: 1, signableHeaders: new Set(['content-type', 'content-length']) },
    );
    s3.destroy();
    await new Promise((r) => setTimeout(r, 2000));
    const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv', 'content-length': String(body.length) }, body });
    const text = await res.text();
    expect(res.status).toBe(403);
    expect(text).toMatch(/expired/i);
  });
});

describe('the tenant’s upload size limit', () => {
  it('413 file_too_large above maxUploadBytes, accepted at the limit', async () => {
    const p = await newPublisher('limite', { maxUploadBytes: 1000 });
    await createDataset(p, 'subventions', 'scdl/subventions');
    const path = `/v1/tenants/${p.tenantId}/datasets/subventions/uploads`;
    const over = await api('POST', path, { token: p.token, body: { filename: 'gros.csv', contentType: 'text/csv', size: 1001 } });
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe('file_too_large');
    expect(over.body.error.message).toBe('Fichier trop volumineux : 1001 octets pour une limite de 1000 octets.');
    const at = await api('POST', path, { token: p.token, body: { filename: 'juste.csv', contentType: 'text/csv', size: 1000 } });
    expect(at.status).toBe(201);
  });
});

describe('a suspended tenant', () => {
  it('gets 403 tenant_suspended on the publish routes, keeps its data online, and works again once reactivated', async () => {
    const p = await newPublisher('suspendu');
    await createDataset(p, 'subventions', 'scdl/subventions');
    expect(await publish(p, 'subventions', 'subventions.csv', fixture('subventions.csv'))).toBe(1);

    const suspended = await api('POST', `/v1/admin/tenants/${p.tenantId}/suspend`, { token: admin() });
    expect(suspended.status).toBe(200);

    const base = `/v1/tenants/${p.tenantId}/datasets`;
    const attempts: [string, string, unknown?][] = [
      ['POST', `${base}/subventions/uploads`, { filename: 'x.csv', contentType: 'text/csv', size: 10 }],
      ['POST', base, { slug: 'autre', title: 'Autre jeu', schema: 'none' }],
      ['GET', `${base}/subventions/versions`],
      ['POST', `${base}/subventions/versions/1/restore`],
      ['DELETE', `${base}/subventions`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api(method, path, { token: p.token, body });
      expect({ method, path, status: res.status, code: res.body?.error?.code }).toEqual({ method, path, status: 403, code: 'tenant_suspended' });
    }
    const online = await publicFile(p, 'subventions', 'latest', 'data.csv');
    expect(online.status).toBe(200);
    expect(online.bytes.equals(fixture('subventions.expected.csv'))).toBe(true);

    const reactivated = await api('POST', `/v1/admin/tenants/${p.tenantId}/reactivate`, { token: admin() });
    expect(reactivated.status).toBe(200);
    expect(await publish(p, 'subventions', 'subventions-cp1252.csv', fixture('subventions-cp1252.csv'))).toBe(2);
    expect((await publicFile(p, 'subventions', 'latest', 'data.csv')).bytes.equals(fixture('subventions-fr.expected.csv'))).toBe(true);
  });

  it('cannot publish through a URL obtained before the suspension', async () => {
    const p = await newPublisher('suspendu-url');
    await createDataset(p, 'subventions', 'scdl/subventions');
    expect(await publish(p, 'subventions', 'subventions.csv', fixture('subventions.csv'))).toBe(1);
    const pending = await requestUpload(p, 'subventions', 'subventions.json', fixture('subventions.json').length);
    expect((await api('POST', `/v1/admin/tenants/${p.tenantId}/suspend`, { token: admin() })).status).toBe(200);

    const put = await putBytes(pending, fixture('subventions.json'));
    // The département reads the outcome (the tenant's own key is blocked).
    const state = await waitForUpload({ tenantId: p.tenantId, token: admin(), keyId: '' }, 'subventions', pending.uploadId).catch(() => undefined);
    expect({ put: put.status, status: state?.status ?? 'never settled' }).not.toMatchObject({ status: 'published' });
    const dataset = await api('GET', `/v1/tenants/${p.tenantId}/datasets/subventions`, { token: admin() });
    expect(dataset.body.currentVersion).toBe(1);
  });
});
