/**
 * The public catalogue over HTTP, fed by the real publish path (tenant, key, dataset, upload,
 * PUT to the signed URL, standardization). The suite shares the platform with other tests:
 * every assertion is scoped to this file's own tenants.
 */
import { api, platform } from './support/api';
import { createDataset, fixture, newPublisher, publish, type Publisher } from './support/publish';

const SUBVENTIONS = fixture('subventions.csv').toString('utf8');
/** The fixture with the first amount changed: a different file, hence a new version. */
const subventions = (k: number) => Buffer.from(SUBVENTIONS.replace('1500.50', `${1500 + k}.50`), 'utf8');

let roques: Publisher;
let sicoval: Publisher;

beforeAll(async () => {
  roques = await newPublisher('cat-roques', { name: 'Commune de Roquès-sur-Garonne' });
  sicoval = await newPublisher('cat-sicoval', { kind: 'epci', name: 'Sicoval' });
  await createDataset(roques, 'deliberations', 'scdl/deliberations', {
    title: 'Délibérations du conseil municipal',
    keywords: ['Conseil municipal', 'actes'],
    theme: 'administration',
  });
  await publish(roques, 'deliberations', 'deliberations.csv', fixture('deliberations.csv'));
  await createDataset(roques, 'subventions', 'scdl/subventions', { title: 'Subventions aux associations', theme: 'finances', licence: 'odbl-1.0' });
  await publish(roques, 'subventions', 'subventions.csv', subventions(1));
  await publish(roques, 'subventions', 'subventions.csv', subventions(2));
  await createDataset(sicoval, 'equipements', 'scdl/equipements', { title: 'Équipements sportifs', description: 'Gymnases et piscines' });
  await publish(sicoval, 'equipements', 'equipements.csv', fixture('equipements.csv'));
});

const list = (query: string) => api('GET', `/v1/catalog/datasets?${query}`);

describe('GET /v1/catalog/datasets', () => {
  it('lists published datasets with publisher, schema, licence, rows and absolute file URLs', async () => {
    const res = await list(`tenant=${roques.tenantId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.body.total).toBe(2);
    const sub = res.body.items.find((i: { slug: string }) => i.slug === 'subventions');
    expect(sub).toMatchObject({
      id: `${roques.tenantId}/subventions`,
      publisher: { id: roques.tenantId, name: 'Commune de Roquès-sur-Garonne', siren: expect.stringMatching(/^\d{9}$/) },
      schema: { id: 'scdl/subventions', version: expect.any(String) },
      licence: 'odbl-1.0',
      rowCount: 3,
      currentVersion: 2,
    });
    const csv = sub.distributions.find((d: { format: string }) => d.format === 'csv');
    expect(csv.url).toBe(`${platform().publicUrl}/datasets/${roques.tenantId}/subventions/latest/data.csv`);
    expect(csv).toMatchObject({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const file = await fetch(csv.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('charset=utf-8');
    expect(res.body.facets.schema).toEqual({ 'scdl/deliberations': 1, 'scdl/subventions': 1 });
  });

  it('full text is case- and accent-insensitive; filters combine', async () => {
    const hit = await list(`q=deliberation&tenant=${roques.tenantId}`);
    expect(hit.body.items.map((i: { slug: string }) => i.slug)).toEqual(['deliberations']);
    const byPublisher = await list(`q=${encodeURIComponent('roques-sur-garonne')}&schema=scdl/subventions`);
    expect(byPublisher.body.items.map((i: { id: string }) => i.id)).toContain(`${roques.tenantId}/subventions`);
    expect((await list(`keyword=conseil%20municipal&tenant=${roques.tenantId}`)).body.total).toBe(1);
    expect((await list(`theme=finances&tenant=${roques.tenantId}`)).body.total).toBe(1);
    expect((await list(`licence=odbl-1.0&tenant=${roques.tenantId}`)).body.total).toBe(1);
    expect((await list(`modifiedSince=2999-01-01&tenant=${roques.tenantId}`)).body.total).toBe(0);
  });

  it('pages with an opaque cursor, exactly once each', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`limit=1&sort=title&tenant=${roques.tenantId}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { slug: string }) => i.slug));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['deliberations', 'subventions']);
  });

  it.each([
    ['an unknown filter', 'colour=red'],
    ['a bad cursor', 'cursor=abc'],
    ['a cursor of another sort', `sort=title&cursor=${Buffer.from('{"s":"modified","k":["a","b","c"]}').toString('base64url')}`],
    ['limit over 100', 'limit=101'],
    ['limit 0', 'limit=0'],
    ['a bad date', 'modifiedSince=hier'],
  ])('answers 400 with the error shape for %s', async (_what, query) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(res.body.error).toMatchObject({ code: expect.stringMatching(/^invalid_/), message: expect.any(String) });
  });

  it('sends ETag and Cache-Control, and 304 on If-None-Match', async () => {
    const first = await list(`tenant=${roques.tenantId}`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const again = await fetch(`${platform().apiUrl}/v1/catalog/datasets?tenant=${roques.tenantId}`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
  });
});

describe('GET /v1/catalog/datasets/{tenantId}/{slug}', () => {
  it('gives metadata, current version, history, last report and checksummed distributions', async () => {
    const res = await api('GET', `/v1/catalog/datasets/${roques.tenantId}/subventions`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ currentVersion: 2, lastReport: { valid: true, rowCount: 3 } });
    expect(res.body.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(res.body.versions[1].distributions[0].url).toMatch(/\/v1\/data\.csv$/);
    expect(res.body.distributions.every((d: { bytes: number; sha256: string }) => d.bytes > 0 && /^[0-9a-f]{64}$/.test(d.sha256))).toBe(true);
  });

  it('404 for an unknown dataset', async () => {
    const res = await api('GET', `/v1/catalog/datasets/${roques.tenantId}/nope`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('dataset_not_found');
  });
});

describe('GET /v1/catalog/datasets/{tenantId}/{slug}/records', () => {
  const records = (query: string) => api('GET', `/v1/catalog/datasets/${roques.tenantId}/subventions/records?${query}`);

  it('returns typed rows of the current version, filtered, sorted and paged', async () => {
    const all = await records('');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ version: 2, total: 3, offset: 0, limit: 100 });
    expect(all.body.items[0].montant).toBe(1502.5);
    const sorted = await records('sort=-montant&limit=1');
    expect(sorted.body.items).toHaveLength(1);
    expect(sorted.body.items[0].montant).toBe(Math.max(...all.body.items.map((r: { montant: number }) => r.montant)));
    const filtered = await records('montant=1502.5');
    expect(filtered.body.total).toBe(1);
    const byText = await records(`nomBeneficiaire=${encodeURIComponent(all.body.items[1].nomBeneficiaire)}`);
    expect(byText.body.items).toEqual([all.body.items[1]]);
  });

  it.each([['limit=1001'], ['colour=red'], ['sort=colour'], ['offset=-1']])('400 for %s', async (query) => {
    const res = await records(query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/^invalid_/);
  });
});

describe('publishers, schemas and exports', () => {
  it('GET /v1/catalog/tenants counts published datasets per publisher', async () => {
    const res = await api('GET', '/v1/catalog/tenants');
    const mine = res.body.items.find((t: { id: string }) => t.id === roques.tenantId);
    expect(mine).toMatchObject({ name: 'Commune de Roquès-sur-Garonne', kind: 'commune', datasetCount: 2 });
    expect(JSON.stringify(res.body)).not.toContain('@');
  });

  it('GET /v1/catalog/schemas and /v1/catalog/schemas/{schemaId+} (ids with /)', async () => {
    const res = await api('GET', '/v1/catalog/schemas');
    const sub = res.body.items.find((s: { id: string }) => s.id === 'scdl/subventions');
    expect(sub.versions[0].url).toMatch(/^https:\/\/schema\.data\.gouv\.fr\/schemas\/scdl\/subventions\//);
    expect(sub.datasetCount).toBeGreaterThanOrEqual(1);
    const one = await api('GET', '/v1/catalog/schemas/scdl/subventions');
    expect(one.status).toBe(200);
    expect(one.body.fields.map((f: { name: string }) => f.name)).toContain('montant');
    expect((await api('GET', '/v1/catalog/schemas/scdl/nope')).status).toBe(404);
  });

  it('GET /v1/catalog/tenants/{tenantId}/datapackage.json lists the tenant resources', async () => {
    const res = await api('GET', `/v1/catalog/tenants/${roques.tenantId}/datapackage.json`);
    expect(res.status).toBe(200);
    expect(res.body.resources.map((r: { name: string }) => r.name)).toEqual(['deliberations', 'subventions']);
    expect(res.body.resources[1]).toMatchObject({ format: 'csv', hash: expect.stringMatching(/^sha256:/), schema: expect.stringContaining('subventions') });
  });

  it('GET /v1/catalog/dcat.jsonld and /v1/catalog/catalogue.csv', async () => {
    const dcat = await fetch(`${platform().apiUrl}/v1/catalog/dcat.jsonld`);
    expect(dcat.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
    const doc = (await dcat.json()) as { 'dcat:dataset': { 'dct:identifier': string }[] };
    expect(doc['dcat:dataset'].map((d) => d['dct:identifier'])).toContain(`${roques.tenantId}/subventions`);
    const csv = await fetch(`${platform().apiUrl}/v1/catalog/catalogue.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toMatch(/^COLL_NOM,COLL_SIRET,ID,TITRE,/);
    expect(text).toContain(`${roques.tenantId}-subventions`);
  });
});
