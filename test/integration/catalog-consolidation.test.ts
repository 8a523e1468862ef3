/**
 * Territory files and exports written by the consolidate function (public bucket events →
 * queue → coalesced rebuild), and the no-Scan rule of the catalogue, checked by running the
 * catalog handler in this process against the platform's emulators with a middleware that
 * records every DynamoDB command.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handlerEnvironment } from '../../lib/local/platform';
import { api, eventually, platform } from './support/api';
import { createDataset, fixture, newPublisher, publish, type Publisher } from './support/publish';

const SUBVENTIONS = fixture('subventions.csv').toString('utf8');
const LINES = SUBVENTIONS.split(/(?<=\n)/);
/** Variant k: first amount changed, and only the first 1 + (k % 3) rows — a new version each time. */
const variant = (k: number) => Buffer.from([LINES[0], ...LINES.slice(1, 2 + (k % 3))].join('').replace('1500.50', `${1500 + k}.50`), 'utf8');

type Row = Record<string, unknown>;

jest.setTimeout(120_000);

async function publicJson<T>(key: string): Promise<{ status: number; body: T | undefined; headers: Headers }> {
  const res = await fetch(`${platform().publicUrl}/${key}`);
  const text = await res.text();
  return { status: res.status, body: res.status === 200 ? (JSON.parse(text) as T) : undefined, headers: res.headers };
}

async function currentRows(p: Publisher, slug: string): Promise<Row[]> {
  return (await publicJson<Row[]>(`datasets/${p.tenantId}/${slug}/latest/data.json`)).body ?? [];
}

describe('consolidated territory files', () => {
  const publishers: Publisher[] = [];

  beforeAll(async () => {
    for (const name of ['cons-a', 'cons-b', 'cons-c']) {
      const p = await newPublisher(name);
      await createDataset(p, 'subventions', 'scdl/subventions');
      publishers.push(p);
    }
  });

  async function expectConsolidatedEqualsCurrent(): Promise<void> {
    const mine = new Set(publishers.map((p) => p.tenantId));
    const file = await publicJson<Row[]>('consolidated/scdl/subventions/latest/data.json');
    expect(file.status).toBe(200);
    const got = (file.body ?? []).filter((r) => mine.has(r.publisher_id as string));
    const want: Row[] = [];
    for (const p of [...publishers].sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1))) {
      const siren = (await api('GET', `/v1/admin/tenants/${p.tenantId}`, { token: platform().adminToken })).body.siren;
      for (const row of await currentRows(p, 'subventions')) want.push({ publisher_id: p.tenantId, publisher_siren: siren, ...row });
    }
    expect(want.length).toBeGreaterThan(0);
    expect(got).toEqual(want);
  }

  it('holds every tenant current rows after a publisher column pair, in CSV and JSON', async () => {
    await Promise.all(publishers.map((p, i) => publish(p, 'subventions', 'subventions.csv', variant(i))));
    await eventually(expectConsolidatedEqualsCurrent);
    const csv = await fetch(`${platform().publicUrl}/consolidated/scdl/subventions/latest/data.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('scdl-subventions-consolide.csv');
    expect(csv.headers.get('cache-control')).toMatch(/^public, max-age=/);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^publisher_id,publisher_siren,nomAttribuant,/);
  });

  it('is exactly the current versions once a burst of concurrent publishes settles', async () => {
    await Promise.all(
      publishers.flatMap((p, i) => [publish(p, 'subventions', 'subventions.csv', variant(10 + i)).then(() => publish(p, 'subventions', 'subventions.csv', variant(20 + i)))]),
    );
    await eventually(expectConsolidatedEqualsCurrent);
  });

  it('writes each tenant row in data.csv as its own data.csv does (notificationUE oui/non, not true/false)', async () => {
    await eventually(async () => {
      const all = (await (await fetch(`${platform().publicUrl}/consolidated/scdl/subventions/latest/data.csv`)).text()).split('\r\n');
      for (const p of publishers) {
        const siren = (await api('GET', `/v1/admin/tenants/${p.tenantId}`, { token: platform().adminToken })).body.siren;
        const own = (await (await fetch(`${platform().publicUrl}/datasets/${p.tenantId}/subventions/latest/data.csv`)).text()).split('\r\n').filter((l) => l !== '');
        expect(own.slice(1).some((l) => l.includes(',non,'))).toBe(true);
        expect(all.filter((l) => l.startsWith(`${p.tenantId},`))).toEqual(own.slice(1).map((l) => `${p.tenantId},${siren},${l}`));
      }
    });
  });

  it('drops an unpublished dataset', async () => {
    const gone = publishers[2];
    const res = await api('DELETE', `/v1/tenants/${gone.tenantId}/datasets/subventions`, { token: gone.token });
    expect([200, 204]).toContain(res.status);
    await eventually(async () => {
      const file = await publicJson<Row[]>('consolidated/scdl/subventions/latest/data.json');
      expect((file.body ?? []).some((r) => r.publisher_id === gone.tenantId)).toBe(false);
      expect((file.body ?? []).some((r) => r.publisher_id === publishers[0].tenantId)).toBe(true);
    });
  });

  it('is listed in the catalogue as a dataset of the département, and exports are regenerated as files', async () => {
    await eventually(async () => {
      const res = await api('GET', '/v1/catalog/datasets?tenant=haute-garonne&schema=scdl/subventions');
      const item = res.body.items.find((i: { slug: string }) => i.slug === 'consolidation-scdl-subventions');
      expect(item).toMatchObject({ publisher: { id: 'haute-garonne' }, consolidationOf: 'scdl/subventions' });
      expect(item.distributions.map((d: { url: string }) => d.url)).toContain(`${platform().publicUrl}/consolidated/scdl/subventions/latest/data.csv`);
    });
    await eventually(async () => {
      const dcat = await publicJson<{ 'dcat:dataset': { 'dct:identifier': string }[] }>('catalog/dcat.jsonld');
      expect(dcat.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
      expect(dcat.body?.['dcat:dataset'].map((d) => d['dct:identifier'])).toContain(`${publishers[0].tenantId}/subventions`);
      const csv = await fetch(`${platform().publicUrl}/catalog/catalogue.csv`);
      expect(csv.status).toBe(200);
      expect(await csv.text()).toContain(`${publishers[0].tenantId}-subventions`);
    });
  });
});

describe('the catalogue never scans', () => {
  it('answers every catalog route with GetItem/Query only (commands recorded in process)', async () => {
    Object.assign(process.env, handlerEnvironment(platform()));
    /* eslint-disable @typescript-eslint/no-require-imports */
    require('../../functions/env').resetEnvCache();
    const { documentClient } = require('../../functions/store/dynamodb/client') as typeof import('../../functions/store/dynamodb/client');
    const { handler } = require('../../functions/catalog/handler') as typeof import('../../functions/catalog/handler');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const commands: string[] = [];
    documentClient().middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );

    const listed = (await api('GET', '/v1/catalog/datasets?limit=1')).body.items[0];
    const calls: [string, Record<string, string>, Record<string, string>][] = [
      ['GET /v1/catalog/datasets', {}, { q: 'subvention', limit: '5' }],
      ['GET /v1/catalog/datasets/{tenantId}/{slug}', { tenantId: listed.tenantId, slug: listed.slug }, {}],
      ['GET /v1/catalog/datasets/{tenantId}/{slug}/records', { tenantId: listed.tenantId, slug: listed.slug }, { limit: '5' }],
      ['GET /v1/catalog/tenants', {}, {}],
      ['GET /v1/catalog/tenants/{tenantId}/datapackage.json', { tenantId: listed.tenantId }, {}],
      ['GET /v1/catalog/schemas', {}, {}],
      ['GET /v1/catalog/schemas/{schemaId+}', { schemaId: 'scdl/subventions' }, {}],
      ['GET /v1/catalog/dcat.jsonld', {}, {}],
      ['GET /v1/catalog/catalogue.csv', {}, {}],
    ];
    for (const [routeKey, pathParameters, queryStringParameters] of calls) {
      const event = {
        routeKey,
        rawPath: '/',
        headers: { host: '127.0.0.1' },
        pathParameters,
        queryStringParameters,
        requestContext: { domainName: '127.0.0.1', http: { method: 'GET' } },
      } as unknown as APIGatewayProxyEventV2;
      const res = (await handler(event, {} as Context)) as { statusCode: number; body: string };
      expect([routeKey, res.statusCode]).toEqual([routeKey, 200]);
    }
    expect(commands.length).toBeGreaterThan(0);
    // The document client records its own names or the low-level ones, depending on the step.
    expect(commands.filter((c) => !['GetCommand', 'GetItemCommand', 'QueryCommand'].includes(c))).toEqual([]);
    expect(commands.some((c) => /Scan/.test(c))).toBe(false);
    documentClient().destroy();
    (require('../../functions/store/s3/catalog-public-files') as typeof import('../../functions/store/s3/catalog-public-files')).destroyPublicFilesClient(); // eslint-disable-line @typescript-eslint/no-require-imports
  });
});
