/**
 * Custom Table Schemas registered by the département, schemas opened per tenant, and the
 * upload request's own checks.
 */
import { DynamoSchemaStore } from '../../functions/store/dynamodb/schema-store';
import { handlerEnvironment } from '../../lib/local/platform';
import { hasReference, readReferenceJson } from '../unit/schemas/reference';
import { admin, api, platform, uniqueId } from './support/api';
import { createDataset, newPublisher, publicFile, publish, uploadFile } from './support/publish';

function schemaId(): string {
  return `cd31/${uniqueId('bornes')}`;
}

const bornes = (id: string) => ({
  id,
  version: '1.0.0',
  title: 'Bornes de recharge du département',
  fields: [
    { name: 'id_borne', type: 'string', constraints: { required: true, unique: true, pattern: 'B-[0-9]{4}' } },
    { name: 'puissance_kw', type: 'number', constraints: { required: true, minimum: 3, maximum: 350 } },
    { name: 'mise_en_service', type: 'date' },
    { name: 'gratuite', type: 'boolean', trueValues: ['oui'], falseValues: ['non'] },
  ],
  primaryKey: 'id_borne',
});

describe('custom schemas', () => {
  it('take new versions: a higher number is current, uploads are checked against it, every version stays readable', async () => {
    const id = schemaId();
    expect((await api('POST', '/v1/admin/schemas', { token: admin(), body: bornes(id) })).status).toBe(201);
    const p = await newPublisher('versions-schema');
    await createDataset(p, 'bornes', id);
    const v1File = 'id_borne;puissance_kw\r\nB-0001;22\r\n';
    expect((await uploadFile(p, 'bornes', 'v1.csv', Buffer.from(v1File))).state).toMatchObject({ status: 'published', version: 1 });

    // 1.1.0 adds a required column: the next upload is checked against it.
    const next = { ...bornes(id), version: '1.1.0', fields: [...bornes(id).fields, { name: 'operateur', type: 'string', constraints: { required: true } }] };
    expect((await api('POST', '/v1/admin/schemas', { token: admin(), body: next })).status).toBe(201);
    const same = await api('POST', '/v1/admin/schemas', { token: admin(), body: next });
    expect(same.status).toBe(409);
    expect(same.body.error.message).toContain('1.1.0');

    const old = await uploadFile(p, 'bornes', 'v1-encore.csv', Buffer.from(v1File.replace('22', '23')));
    expect(old.state.status).toBe('rejected');
    expect(old.state.report!.codes).toHaveProperty('missing-column');
    const v2 = await uploadFile(p, 'bornes', 'v2.csv', Buffer.from('id_borne;puissance_kw;operateur\r\nB-0001;22;SDEHG\r\n'));
    expect(v2.state).toMatchObject({ status: 'published', version: 2 });
    expect((await publicFile(p, 'bornes', 2, 'report.json')).json().schema).toMatchObject({ id, version: '1.1.0' });

    const listed = (await api('GET', '/v1/catalog/schemas')).body.items.find((s: { id: string }) => s.id === id);
    expect(listed).toMatchObject({ currentVersion: '1.1.0', versions: [{ version: '1.1.0' }, { version: '1.0.0' }] });
    const first = await api('GET', `/v1/catalog/schemas/${id}?version=1.0.0`);
    expect(first.status).toBe(200);
    expect(first.body.fields.map((f: { name: string }) => f.name)).not.toContain('operateur');
    expect((await api('GET', `/v1/catalog/schemas/${id}`)).body.version).toBe('1.1.0');
  });

  it('registered with a lower number than the current one (a fix to an older line), a version goes into the history only', async () => {
    const id = schemaId();
    const two = { ...bornes(id), version: '2.0.0', fields: [...bornes(id).fields, { name: 'operateur', type: 'string', constraints: { required: true } }] };
    const created = await api('POST', '/v1/admin/schemas', { token: admin(), body: two });
    expect(created).toMatchObject({ status: 201, body: { version: '2.0.0', current: true } });
    expect(created.body.notice).toBeUndefined();
    const fix = await api('POST', '/v1/admin/schemas', { token: admin(), body: { ...bornes(id), version: '1.5.0' } });
    expect(fix.status).toBe(201);
    expect(fix.body).toMatchObject({ version: '1.5.0', current: false });
    expect(fix.body.notice).toBe(`La version 1.5.0 est enregistrée dans l’historique du schéma « ${id} » : la version 2.0.0, plus élevée, reste celle contre laquelle les fichiers sont vérifiés.`);
    expect(fix.headers.get('location')).toBe(`/v1/catalog/schemas/${id}?version=1.5.0`);
    expect((await api('POST', '/v1/admin/schemas', { token: admin(), body: { ...bornes(id), version: '1.10.0' } })).body.current).toBe(false);

    expect((await api('GET', `/v1/catalog/schemas/${id}`)).body.version).toBe('2.0.0');
    expect((await api('GET', `/v1/catalog/schemas/${id}?version=1.5.0`)).body.fields.map((f: { name: string }) => f.name)).not.toContain('operateur');
    const listed = (await api('GET', '/v1/catalog/schemas')).body.items.find((s: { id: string }) => s.id === id);
    expect(listed).toMatchObject({ currentVersion: '2.0.0', versions: [{ version: '2.0.0' }, { version: '1.10.0' }, { version: '1.5.0' }] });

    // Uploads are still checked against 2.0.0: without `operateur`, refused.
    const p = await newPublisher('schema-correctif');
    await createDataset(p, 'bornes', id);
    const without = await uploadFile(p, 'bornes', 'sans.csv', Buffer.from('id_borne;puissance_kw\r\nB-0001;22\r\n'));
    expect(without.state.status).toBe('rejected');
    expect(without.state.report!.codes).toHaveProperty('missing-column');

    // A higher one than 2.0.0 is current again.
    expect((await api('POST', '/v1/admin/schemas', { token: admin(), body: { ...two, version: '2.0.1' } })).body.current).toBe(true);
    expect((await api('GET', `/v1/catalog/schemas/${id}`)).body.version).toBe('2.0.1');
  });

  it('are registered by the admin, listed publicly, and validate uploads', async () => {
    const id = schemaId();
    const created = await api('POST', '/v1/admin/schemas', { token: admin(), body: bornes(id) });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(id);
    const again = await api('POST', '/v1/admin/schemas', { token: admin(), body: bornes(id) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('schema_exists');
    // Two spellings of one rank registered at the same moment: one wins.
    const other = schemaId();
    const both = await Promise.all(['1.1', '1.1.0'].map((version) => api('POST', '/v1/admin/schemas', { token: admin(), body: { ...bornes(other), version } })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    // The same rank spelled otherwise (1.0 for 1.0.0) would replace it as current: refused too, naming it.
    const equivalent = await api('POST', '/v1/admin/schemas', { token: admin(), body: { ...bornes(id), version: bornes(id).version.replace(/\.0$/, '') } });
    expect(equivalent.status).toBe(409);
    expect(equivalent.body.error.message).toContain(`équivaut à la version ${bornes(id).version}`);

    const listed = await api('GET', '/v1/catalog/schemas');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(id);

    const p = await newPublisher('bornes');
    await createDataset(p, 'bornes', id);
    const good = 'id_borne;puissance_kw;mise_en_service;gratuite\r\nB-0001;22;01/02/2024;oui\r\nB-0002;7,4;15/03/2024;non\r\n';
    const { state } = await uploadFile(p, 'bornes', 'bornes.csv', Buffer.from(good, 'utf8'));
    expect(state).toMatchObject({ status: 'published', version: 1 });
    const csv = await publicFile(p, 'bornes', 1, 'data.csv');
    expect(csv.bytes.toString('utf8')).toBe(
      'id_borne,puissance_kw,mise_en_service,gratuite\r\nB-0001,22,2024-02-01,oui\r\nB-0002,7.4,2024-03-15,non\r\n',
    );

    const bad = 'id_borne;puissance_kw;mise_en_service;gratuite\r\nB-1;500;31/02/2024;peut-être\r\nB-0002;7;;oui\r\nB-0002;8;;non\r\n';
    const rejected = await uploadFile(p, 'bornes', 'bornes.csv', Buffer.from(bad, 'utf8'));
    expect(rejected.state.status).toBe('rejected');
    expect(Object.keys(rejected.state.report!.codes).sort()).toEqual(expect.arrayContaining(['maximum', 'pattern', 'type-error']));
    expect(rejected.state.report!.codes['unique'] ?? rejected.state.report!.codes['primary-key']).toBeGreaterThan(0);
    const page = await fetch(
      `${platform().apiUrl}/v1/tenants/${p.tenantId}/datasets/bornes/uploads/${rejected.ticket.uploadId}/report`,
      { headers: { authorization: `Bearer ${p.token}` } },
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Fichier refusé');
    expect(html).toContain('peut-être');
    expect(html).not.toContain('<td>peut-être');
    // The template of the schema, by an absolute link: the report is read saved as well as served.
    expect(html).toContain(`href="${platform().apiUrl}/v1/catalog/templates/`);
    // Another upload id (its last character changed, never to itself): no such upload.
    const otherId = rejected.ticket.uploadId.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const published = await fetch(`${platform().apiUrl}/v1/tenants/${p.tenantId}/datasets/bornes/uploads/${otherId}/report`, {
      headers: { authorization: `Bearer ${p.token}` },
    });
    expect(published.status).toBe(404);
    for (const issue of rejected.state.report!.issues) {
      expect(issue.message).toMatch(/[a-zà-ÿ]/);
      expect(issue.row).toBeGreaterThan(1);
    }
  });

  it.each([
    ['an unknown field type', { fields: [{ name: 'a', type: 'colour' }] }],
    ['a pattern that does not compile', { fields: [{ name: 'a', type: 'string', constraints: { pattern: '([' } }] }],
    ['duplicate field names', { fields: [{ name: 'a', type: 'string' }, { name: 'a', type: 'integer' }] }],
    ['a primary key naming no field', { fields: [{ name: 'a', type: 'string' }], primaryKey: 'b' }],
    ['a pattern only backtracking could run (a back-reference)', { fields: [{ name: 'a', type: 'string', constraints: { pattern: '(a+)\\1' } }] }],
    ['the id « none » (a dataset without schema)', { id: 'none' }],
    ['a blank version', { version: '   ' }],
    ['over a thousand fields', { fields: Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, type: 'string' })) }],
  ])('a schema with %s is refused with 400 invalid_schema naming the problem', async (_label, override) => {
    const res = await api('POST', '/v1/admin/schemas', { token: admin(), body: { ...bornes(schemaId()), ...override } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_schema');
    expect(res.body.error.message).toMatch(/^Schéma invalide/);
    expect(res.body.error.details.problems.length).toBeGreaterThan(0);
  });

  it('an official schema.json (SCDL budget) is registered as published, with an id added (checked when ../shared is there)', async () => {
    if (!hasReference) return console.warn('../shared/reference absent: the official budget schema.json is not registered');
    const official = readReferenceJson<{ fields: unknown[]; version: string }>('budget', 'schema.json');
    const res = await api('POST', '/v1/admin/schemas', { token: admin(), body: { ...official, id: `cd31/${uniqueId('budget')}` } });
    expect(res.status).toBe(201);
    expect(res.body.fields).toHaveLength(official.fields.length);
    expect(res.body.version).toBe(official.version.replace(/^v/, ''));
  });

  it('a schema registered before a rule got stricter (a look-ahead pattern) is not run: the upload is refused with schema-outdated, saying what to do', async () => {
    const id = schemaId();
    // Written as an older registration would have: straight to the store, past today's checks.
    Object.assign(process.env, handlerEnvironment(platform()));
    const legacy = { ...bornes(id), fields: [{ name: 'id_borne', type: 'string' as const, constraints: { pattern: '(?=(a+)+b)a+' } }], primaryKey: undefined };
    await new DynamoSchemaStore(process.env.TABLE_NAME!).register(legacy, new Date().toISOString());
    const p = await newPublisher('legacy');
    await createDataset(p, 'bornes', id);
    const { state } = await uploadFile(p, 'bornes', 'bornes.csv', Buffer.from(`id_borne\r\n${'a'.repeat(40)}!\r\n`, 'utf8'));
    expect(state.status).toBe('rejected');
    expect(state.report!.codes).toEqual({ 'schema-outdated': 1 });
  });

  it('cannot shadow a built-in schema, and needs the admin role', async () => {
    const shadow = await api('POST', '/v1/admin/schemas', { token: admin(), body: { ...bornes('scdl/subventions') } });
    expect(shadow.status).toBe(409);
    const p = await newPublisher('nonadmin');
    const res = await api('POST', '/v1/admin/schemas', { token: p.token, body: bornes(schemaId()) });
    expect(res.status).toBe(403);
  });
});

describe('schemas opened per tenant', () => {
  it('a tenant limited to some schemas cannot create a dataset of another; `none` is always possible', async () => {
    const p = await newPublisher('limite', { enabledSchemas: ['scdl/deliberations'] });
    const refused = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, {
      token: p.token,
      body: { slug: 'subventions', title: 'Subventions', schema: 'scdl/subventions' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('schema_not_enabled');
    await createDataset(p, 'deliberations', 'scdl/deliberations');
    await createDataset(p, 'divers', 'none');
    const unknown = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, {
      token: admin(),
      body: { slug: 'inconnu', title: 'Inconnu', schema: 'scdl/nexiste-pas' },
    });
    expect(unknown.status).toBe(400);
  });
});

describe('upload and dataset requests are checked', () => {
  it.each([
    ['contentType', { filename: 'a.pdf', contentType: 'application/pdf', size: 10 }],
    ['contentType', { filename: 'a.csv', contentType: 'text/csv;;', size: 10 }],
    ['contentType', { filename: 'a.csv', contentType: '', size: 10 }],
    ['size', { filename: 'a.csv', contentType: 'text/csv', size: 0 }],
    ['filename', { filename: '../../etc/passwd', contentType: 'text/csv', size: 10 }],
    ['extra', { filename: 'a.csv', contentType: 'text/csv', size: 10, extra: 1 }],
  ])('an invalid %s → 400 naming it', async (field, body) => {
    const p = await newPublisher('requete');
    await createDataset(p, 'jeu', 'none');
    const res = await api('POST', `/v1/tenants/${p.tenantId}/datasets/jeu/uploads`, { token: p.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`« ${field}`);
  });

  it('a declared type with parameters, or the generic binary type, is accepted: the format is sniffed from the bytes', async () => {
    const p = await newPublisher('types');
    await createDataset(p, 'jeu', 'none');
    const csv = Buffer.from('commune;montant\r\nRoques;12\r\n', 'latin1');
    expect(await publish(p, 'jeu', 'export.csv', csv, 'text/csv; charset=windows-1252')).toBe(1);
    const json = Buffer.from('[{"commune": "Roques", "montant": 13}]');
    expect(await publish(p, 'jeu', 'export.json', json, 'application/octet-stream')).toBe(2);
  });

  it('dataset bodies: licence, frequency, temporal coverage, slug are checked; a duplicate slug is 409', async () => {
    const p = await newPublisher('meta');
    for (const [field, override] of [
      ['licence', { licence: 'wtfpl' }],
      ['frequency', { frequency: 'sometimes' }],
      ['temporalCoverage', { temporalCoverage: { start: '2024-12-31', end: '2024-01-01' } }],
      ['slug', { slug: 'Pas Un Slug' }],
    ] as const) {
      const res = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, {
        token: p.token,
        body: { slug: 'jeu', title: 'Un jeu', schema: 'none', ...override },
      });
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.body.error.message).toContain(`« ${field}`);
    }
    const first = await createDataset(p, 'jeu', 'none', { licence: 'odbl-1.0', frequency: 'monthly' });
    expect(first).toMatchObject({ licence: 'odbl-1.0', frequency: 'monthly', status: 'draft' });
    const dup = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, { token: p.token, body: { slug: 'jeu', title: 'Un jeu', schema: 'none' } });
    expect(dup.status).toBe(409);
    const patched = await api('PATCH', `/v1/tenants/${p.tenantId}/datasets/jeu`, { token: p.token, body: { title: 'Nouveau titre', schema: 'bal' } });
    expect(patched.status).toBe(400);
    const ok = await api('PATCH', `/v1/tenants/${p.tenantId}/datasets/jeu`, { token: p.token, body: { title: 'Nouveau titre' } });
    expect(ok.body.title).toBe('Nouveau titre');
    const missing = await api('GET', `/v1/tenants/${p.tenantId}/datasets/${uniqueId('x')}`, { token: p.token });
    expect(missing.status).toBe(404);
  });
});
