/**
 * A dataset's life through the publish API, over HTTP against the emulators: what an upload's
 * file name may be, request bodies in another charset than UTF-8, PATCH and restore (what
 * they refuse, what they change, what a restore of the version online leaves alone), the
 * département's token on a suspended tenant, the report of an unpublished version, and
 * DELETE and re-creation of a slug.
 */
import { createHash } from 'node:crypto';
import { handlerEnvironment } from '../../lib/local/platform';
import { admin, api, eventually, platform } from './support/api';
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

const SLUG = 'subventions';
const base = (p: Publisher, slug = SLUG) => `/v1/tenants/${p.tenantId}/datasets/${slug}`;

/** A publisher with `subventions` published once (version 1). */
async function publishedOnce(prefix: string): Promise<Publisher> {
  const p = await newPublisher(prefix);
  await createDataset(p, SLUG, 'scdl/subventions');
  expect(await publish(p, SLUG, 'subventions.csv', fixture('subventions.csv'))).toBe(1);
  return p;
}

describe('the file name of an upload', () => {
  it.each(['..', '.', ' . ', '...', '\u2024\u2024'])('400 for %j: only dots would make a key segment a URL resolves elsewhere', async (filename) => {
    const p = await newPublisher('nom-points');
    await createDataset(p, SLUG, 'scdl/subventions');
    const res = await api('POST', `${base(p)}/uploads`, { token: p.token, body: { filename, contentType: 'text/csv', size: 10 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.details.fields).toEqual([
      { field: 'filename', message: 'le nom de fichier doit contenir autre chose que des points et des espaces (par exemple « subventions.csv »)' },
    ]);
    expect((await api('GET', `${base(p)}/uploads`, { token: p.token })).body.items).toEqual([]);
  });
});

describe('a request body that is not UTF-8', () => {
  it.each(['application/json', 'application/json; charset=iso-8859-1'])('400 invalid_encoding with %s, and nothing is created', async (contentType) => {
    const p = await newPublisher('latin1');
    const body = Buffer.from('{"slug":"deliberations","title":"Délibérations du conseil","schema":"none"}', 'latin1');
    const res = await fetch(`${platform().apiUrl}/v1/tenants/${p.tenantId}/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.token}`, 'content-type': contentType },
      body,
    });
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(400);
    expect(json.error.code).toBe('invalid_encoding');
    expect(json.error.message).toContain('UTF-8');
    expect((await api('GET', `/v1/tenants/${p.tenantId}/datasets/deliberations`, { token: p.token })).status).toBe(404);
  });
});

describe('a request body over 10 MB', () => {
  it('413 payload_too_large in French, every time (never a reset connection)', async () => {
    const p = await newPublisher('trop-gros');
    const body = JSON.stringify({ slug: 'gros', title: 'x'.repeat(11 * 1024 * 1024), schema: 'none' });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${platform().apiUrl}/v1/tenants/${p.tenantId}/datasets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
        code: 'payload_too_large',
        message: 'Corps de requête trop volumineux (10 Mo au plus).',
      });
    }
    expect((await api('GET', `/v1/tenants/${p.tenantId}/datasets/gros`, { token: p.token })).status).toBe(404);
  });
});

describe('temporalCoverage', () => {
  it('400 for a day no calendar has', async () => {
    const p = await newPublisher('dates');
    const res = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, {
      token: p.token,
      body: { slug: 'tc', title: 'Couverture', schema: 'none', temporalCoverage: { start: '2024-02-30' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([
      { field: 'temporalCoverage.start', message: '« 2024-02-30 » n’est pas une date du calendrier (mois de 01 à 12, jour qui existe dans ce mois)' },
    ]);
  });
});

describe('PATCH of a dataset', () => {
  let p: Publisher;
  beforeAll(async () => {
    p = await newPublisher('patch');
    await createDataset(p, SLUG, 'scdl/subventions', { frequency: 'annual', theme: 'finances' });
  });

  it('clears the frequency with null', async () => {
    const res = await api('PATCH', base(p), { token: p.token, body: { frequency: null } });
    expect(res.status).toBe(200);
    expect(res.body.frequency).toBeUndefined();
    expect((await getDataset(p, SLUG)).body.frequency).toBeUndefined();
  });

  it('400 invalid_query for an unknown query parameter, and nothing changes', async () => {
    const res = await api('PATCH', `${base(p)}?x=1`, { token: p.token, body: { title: 'Titre par la requête' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect((await getDataset(p, SLUG)).body.title).toBe(`Jeu ${SLUG}`);
  });

  it.each([{ schema: 'none' }, { slug: 'autre' }, { schemaId: 'none', title: 'Autre titre' }])('400 immutable_field for %j, in French', async (body) => {
    const res = await api('PATCH', base(p), { token: p.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('immutable_field');
    expect(res.body.error.message).toMatch(/^Le schéma et l’identifiant \(slug\) d’un jeu de données ne se modifient pas .*créez un nouveau jeu de données/);
    expect((await getDataset(p, SLUG)).body).toMatchObject({ schemaId: 'scdl/subventions', slug: SLUG, title: `Jeu ${SLUG}` });
  });

  it('names each unknown field apart', async () => {
    const res = await api('PATCH', base(p), { token: p.token, body: { title: 'Autre titre', status: 'draft', currentVersion: 5 } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['status', 'currentVersion']);
  });
});

describe('latest/datapackage.json after a PATCH of the metadata', () => {
  it('says the new title, description, keywords and licence; v<n>/ keeps what was published; a restore keeps the new ones', async () => {
    const p = await publishedOnce('paquet');
    expect(await publish(p, SLUG, 'subventions-cp1252.csv', fixture('subventions-cp1252.csv'))).toBe(2);
    const patch = { title: 'Subventions versées 2024', licence: 'odbl-1.0', keywords: ['subvention', 'association'], description: 'Toutes les aides' };
    expect((await api('PATCH', base(p), { token: p.token, body: patch })).status).toBe(200);

    const latest = (await publicFile(p, SLUG, 'latest', 'datapackage.json')).json();
    expect(latest).toMatchObject({ title: patch.title, description: patch.description, keywords: patch.keywords, version: '2' });
    expect(latest.licenses).toEqual([expect.objectContaining({ name: 'odbl-1.0' })]);
    const published = (await publicFile(p, SLUG, 2, 'datapackage.json')).json();
    expect(published).toMatchObject({ title: `Jeu ${SLUG}`, keywords: [], licenses: [expect.objectContaining({ name: 'etalab-2.0' })] });
    expect(published.description).toBeUndefined();
    expect(latest.resources).toEqual(published.resources);

    expect((await api('POST', `${base(p)}/versions/1/restore`, { token: p.token })).status).toBe(200);
    const restored = (await publicFile(p, SLUG, 'latest', 'datapackage.json')).json();
    expect(restored).toMatchObject({ title: patch.title, version: '1', licenses: [expect.objectContaining({ name: 'odbl-1.0' })] });

    expect((await api('PATCH', base(p), { token: p.token, body: { description: null } })).status).toBe(200);
    expect((await publicFile(p, SLUG, 'latest', 'datapackage.json')).json().description).toBeUndefined();
  });

  it('a dataset whose package was rewritten before the checksum was recorded is put right by its next PATCH, even one that changes no metadata', async () => {
    const p = await publishedOnce('paquet-ancien');
    expect((await api('PATCH', base(p), { token: p.token, body: { title: 'Aides 2024' } })).status).toBe(200);
    // As a PATCH before the record existed left it.
    Object.assign(process.env, handlerEnvironment(platform()));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { documentClient } = require('../../functions/store/dynamodb/client') as typeof import('../../functions/store/dynamodb/client');
    const { UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
    /* eslint-enable @typescript-eslint/no-require-imports */
    await documentClient().send(
      new UpdateCommand({ TableName: process.env.TABLE_NAME!, Key: { pk: `TENANT#${p.tenantId}`, sk: `DATASET#${SLUG}` }, UpdateExpression: 'REMOVE latestPackage' }),
    );
    const listed = async () => (await api('GET', `/v1/catalog/datasets/${p.tenantId}/${SLUG}`)).body.distributions.find((x: { format: string }) => x.format === 'datapackage');
    const served = await publicFile(p, SLUG, 'latest', 'datapackage.json');
    const sha = createHash('sha256').update(served.bytes).digest('hex');
    expect((await listed()).sha256).not.toBe(sha);
    expect((await api('PATCH', base(p), { token: p.token, body: { theme: 'finances' } })).status).toBe(200);
    expect(await listed()).toMatchObject({ bytes: served.bytes.length, sha256: sha });
    expect((await publicFile(p, SLUG, 'latest', 'datapackage.json')).bytes.equals(served.bytes)).toBe(true);
    // The DCAT export, rebuilt on the package's event, says it too.
    type Dcat = { 'dcat:dataset': { 'dct:identifier': string; 'dcat:distribution': { 'dcat:downloadURL': string; 'spdx:checksum': { 'spdx:checksumValue': string } }[] }[] };
    await eventually(async () => {
      const res = await fetch(`${platform().publicUrl}/catalog/dcat.jsonld`);
      const dcat = res.ok ? ((await res.json()) as Dcat) : undefined;
      const node = dcat?.['dcat:dataset'].find((d) => d['dct:identifier'] === `${p.tenantId}/${SLUG}`);
      const checksum = node?.['dcat:distribution'].find((d) => d['dcat:downloadURL'].endsWith('/latest/datapackage.json'))?.['spdx:checksum']['spdx:checksumValue'];
      expect(checksum).toBe(sha);
    }, 30_000);
  });

  it('the catalogue gives the size and checksum of the file its URL serves, after a PATCH, a restore and a new version', async () => {
    const p = await publishedOnce('paquet-somme');
    const catalogued = async () => {
      const res = await api('GET', `/v1/catalog/datasets/${p.tenantId}/${SLUG}`);
      expect(res.status).toBe(200);
      const d = (res.body.distributions as { format: string; url: string; bytes: number; sha256: string }[]).find((x) => x.format === 'datapackage')!;
      const served = Buffer.from(await (await fetch(d.url)).arrayBuffer());
      expect(d.url).toMatch(/\/latest\/datapackage\.json$/);
      return { listed: { bytes: d.bytes, sha256: d.sha256 }, served: { bytes: served.length, sha256: createHash('sha256').update(served).digest('hex') } };
    };
    const published = await catalogued();
    expect(published.listed).toEqual(published.served);

    expect((await api('PATCH', base(p), { token: p.token, body: { title: 'Aides aux associations' } })).status).toBe(200);
    const patched = await catalogued();
    expect(patched.listed).toEqual(patched.served);
    expect(patched.listed.sha256).not.toBe(published.listed.sha256);

    expect(await publish(p, SLUG, 'subventions-cp1252.csv', fixture('subventions-cp1252.csv'))).toBe(2);
    const second = await catalogued();
    expect(second.listed).toEqual(second.served);
    expect((await api('POST', `${base(p)}/versions/1/restore`, { token: p.token })).status).toBe(200);
    const restored = await catalogued();
    expect(restored.listed).toEqual(restored.served);
    expect(restored.listed).toEqual(patched.listed);

    // Back to the metadata it was published with: latest is the version's copy again.
    expect((await api('PATCH', base(p), { token: p.token, body: { title: `Jeu ${SLUG}` } })).status).toBe(200);
    const back = await catalogued();
    expect(back.listed).toEqual(back.served);
    expect(back.listed).toEqual(published.listed);
  });
});

describe('column statistics of a version', () => {
  it('in the catalogue (the version online) and the published report; a restore brings back its own; a version’s record stays small', async () => {
    const p = await publishedOnce('stats');
    const montant = (stats: { columns: { name: string }[] }) => {
      // What the schema and the file say of the column, then its figures.
      const { title, column, required, ...figures } = stats.columns.find((c) => c.name === 'montant') as Record<string, unknown>;
      expect({ title, column, required }).toEqual({ title: 'Montant total de la subvention', column: expect.stringMatching(/^[A-Z]$/), required: true });
      return figures;
    };
    const first = { name: 'montant', type: 'number', filled: 3, distinct: 3, min: 800, max: 12000, sum: 14300.5 };

    const detail = async () => (await api('GET', `/v1/catalog/datasets/${p.tenantId}/${SLUG}`)).body;
    expect((await detail()).stats).toMatchObject({ version: 1, rows: 3 });
    expect(montant((await detail()).stats)).toEqual(first);
    expect((await detail()).stats.columns.find((c: { name: string }) => c.name === 'idRAE')).toMatchObject({ name: 'idRAE', type: 'string', filled: 1, distinct: 1 });
    const report = JSON.parse((await publicFile(p, SLUG, 1, 'report.json')).bytes.toString('utf8'));
    expect(montant(report.stats)).toEqual(first);

    expect(await publish(p, SLUG, 'subventions-cp1252.csv', fixture('subventions-cp1252.csv'))).toBe(2);
    const second = montant((await detail()).stats);
    expect(second).toMatchObject({ min: 350, max: 12500 });
    expect(montant(JSON.parse((await publicFile(p, SLUG, 2, 'report.json')).bytes.toString('utf8')).stats)).toEqual(second);
    // Kept beside the version's record, not in it: listing versions never reads them.
    const versions = (await api('GET', `${base(p)}/versions`, { token: p.token })).body.items as Record<string, unknown>[];
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.some((v) => 'stats' in v)).toBe(false);

    expect((await api('POST', `${base(p)}/versions/1/restore`, { token: p.token })).status).toBe(200);
    expect(montant((await detail()).stats)).toEqual(first);

    // A SIRET typed in the amount column is a valid number, past what a DynamoDB number holds exactly: published, its figures kept.
    const siret = fixture('subventions.csv').toString('utf8').replace(',1500.50,', ',21310390500138000,').replace(',800,', ',1e200,');
    expect(await publish(p, SLUG, 'subventions.csv', Buffer.from(siret))).toBe(3);
    expect(montant((await detail()).stats)).toMatchObject({ min: 12000, max: 1e200 });
  }, 30_000);
});

describe('restore', () => {
  it('of the version online is a no-op: 200, the dataset unchanged, latest/ not rewritten', async () => {
    const p = await publishedOnce('restaure-courante');
    const before = (await getDataset(p, SLUG)).body;
    const latestBefore = await publicFile(p, SLUG, 'latest', 'datapackage.json');
    // Object dates have a one-second resolution.
    await new Promise((r) => setTimeout(r, 1100));
    const res = await api('POST', `${base(p)}/versions/1/restore`, { token: p.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
    expect((await getDataset(p, SLUG)).body).toEqual(before);
    const latestAfter = await publicFile(p, SLUG, 'latest', 'datapackage.json');
    expect(latestAfter.headers.get('last-modified')).toBe(latestBefore.headers.get('last-modified'));
  });

  it('400 with a body other than {}, as the other actions without a body', async () => {
    const p = await publishedOnce('restaure-corps');
    expect(await publish(p, SLUG, 'subventions-cp1252.csv', fixture('subventions-cp1252.csv'))).toBe(2);
    const res = await api('POST', `${base(p)}/versions/1/restore`, { token: p.token, body: { version: 2 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect((await getDataset(p, SLUG)).body.currentVersion).toBe(2);
    expect((await api('POST', `${base(p)}/versions/1/restore`, { token: p.token, body: {} })).body.currentVersion).toBe(1);
  });
});

describe('a suspended tenant', () => {
  it('403 tenant_suspended for an upload requested with the département’s token too', async () => {
    const p = await publishedOnce('suspendu-admin');
    expect((await api('POST', `/v1/admin/tenants/${p.tenantId}/suspend`, { token: admin() })).status).toBe(200);
    const res = await api('POST', `${base(p)}/uploads`, { token: admin(), body: { filename: 'x.csv', contentType: 'text/csv', size: 10 } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('tenant_suspended');
    expect(res.body.error.message).toContain('est suspendue');
  });

  it('a file sent through an earlier URL fails with a reason that says what is online', async () => {
    const p = await publishedOnce('suspendu-raison');
    await createDataset(p, 'jamais', 'scdl/subventions');
    const bytes = fixture('subventions-cp1252.csv');
    const onPublished = await requestUpload(p, SLUG, 'b.csv', bytes.length);
    const onDraft = await requestUpload(p, 'jamais', 'b.csv', bytes.length);
    expect((await api('POST', `/v1/admin/tenants/${p.tenantId}/suspend`, { token: admin() })).status).toBe(200);
    await putBytes(onPublished, bytes);
    await putBytes(onDraft, bytes);
    const asAdmin = { ...p, token: admin() };
    const published = await waitForUpload(asAdmin, SLUG, onPublished.uploadId);
    const draft = await waitForUpload(asAdmin, 'jamais', onDraft.uploadId);
    expect(published).toMatchObject({ status: 'failed', reason: 'La collectivité est suspendue : le fichier n’a pas été publié. La version 1, déjà publiée, reste en ligne.' });
    expect(draft).toMatchObject({ status: 'failed', reason: 'La collectivité est suspendue : le fichier n’a pas été publié. Le jeu de données n’a encore aucune version publiée.' });
  });
});

describe('after an unpublish', () => {
  it('the report of a version is still served, from the private archive', async () => {
    const p = await newPublisher('rapport');
    await createDataset(p, SLUG, 'scdl/subventions');
    const { ticket, state } = await uploadFile(p, SLUG, 'subventions.csv', fixture('subventions.csv'));
    expect(state.status).toBe('published');
    expect((await api('DELETE', base(p), { token: p.token })).status).toBe(200);
    expect((await publicFile(p, SLUG, 1, 'report.json')).status).toBe(404);
    const res = await api('GET', `${base(p)}/uploads/${ticket.uploadId}/report`, { token: p.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('subventions.csv');
  });

  it('re-creating the slug says it is unpublished and how to restore it', async () => {
    const p = await publishedOnce('recree');
    expect((await api('DELETE', base(p), { token: p.token })).status).toBe(200);
    const res = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, { token: p.token, body: { slug: SLUG, title: 'De nouveau', schema: 'scdl/subventions' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('dataset_exists');
    expect(res.body.error.message).toContain('il est dépublié');
    expect(res.body.error.message).toContain(`POST /v1/tenants/${p.tenantId}/datasets/${SLUG}/versions/1/restore`);
  });
});

describe('DELETE of a dataset never published', () => {
  it('deletes it (204) with its uploads: the slug can be created again, afresh', async () => {
    const p = await newPublisher('brouillon');
    await createDataset(p, SLUG, 'scdl/subventions');
    const { state } = await uploadFile(p, SLUG, 'faux.csv', fixture('subventions-wrong-types.csv'));
    expect(state.status).toBe('rejected');
    const res = await api('DELETE', base(p), { token: p.token });
    expect(res.status).toBe(204);
    expect((await getDataset(p, SLUG)).status).toBe(404);
    await createDataset(p, SLUG, 'none');
    expect((await getDataset(p, SLUG)).body).toMatchObject({ schemaId: 'none', status: 'draft' });
    expect((await api('GET', `${base(p)}/uploads`, { token: p.token })).body.items).toEqual([]);
  });
});
