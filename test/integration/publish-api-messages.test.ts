/**
 * What the publish API answers to a request it refuses, over HTTP through the local server: a
 * 4xx with a stable code and a French message that names the problem and does not contradict
 * itself (sizes, control characters, empty values, versions and datasets that do not exist,
 * another authorization scheme), and query parameters named like Object's own properties
 * passed as API Gateway passes them.
 */
import { api } from './support/api';
import { createDataset, newPublisher, publish, type Publisher } from './support/publish';

const base = (p: Publisher, slug: string) => `/v1/tenants/${p.tenantId}/datasets/${slug}`;

let p: Publisher;

beforeAll(async () => {
  p = await newPublisher('messages');
  await createDataset(p, 'subventions', 'scdl/subventions');
});

describe('POST …/uploads', () => {
  it('413 file_too_large one byte over the 100 MB limit, with exact byte counts rather than « 100,0 Mo pour une limite de 100,0 Mo »', async () => {
    const res = await api('POST', `${base(p, 'subventions')}/uploads`, {
      token: p.token,
      body: { filename: 'gros.csv', contentType: 'text/csv', size: 104857601 },
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      code: 'file_too_large',
      message: 'Fichier trop volumineux : 104\u202f857\u202f601 octets pour une limite de 104\u202f857\u202f600 octets.',
    });
  });

  it.each([
    [-5, 'la taille doit être un nombre entier positif d’octets (celle du fichier à envoyer)'],
    [1.5, 'la taille doit être un nombre entier positif d’octets (celle du fichier à envoyer)'],
    [0, 'le fichier ne peut pas être vide'],
  ])('400 for a size of %d: %s', async (size, message) => {
    const res = await api('POST', `${base(p, 'subventions')}/uploads`, { token: p.token, body: { filename: 'x.csv', contentType: 'text/csv', size } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.details.fields).toEqual([{ field: 'size', message }]);
  });
});

describe('dataset metadata', () => {
  it('400 for control characters in a title, on PATCH and on POST, and nothing stored', async () => {
    const title = 'Libre\u0000\u001b[31m rouge\u2028ligne';
    const patch = await api('PATCH', base(p, 'subventions'), { token: p.token, body: { title } });
    expect(patch.status).toBe(400);
    expect(patch.body.error.code).toBe('invalid_body');
    expect(patch.body.error.message).toMatch(/^Corps de la requête invalide — « title » : caractère de contrôle U\+0000 \(position 6\) refusé/);
    const created = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, { token: p.token, body: { slug: 'libre', title, schema: 'none' } });
    expect(created.status).toBe(400);
    expect(created.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['title']);
    expect((await api('GET', base(p, 'subventions'), { token: p.token })).body.title).toBe('Jeu subventions');
    expect((await api('GET', base(p, 'libre'), { token: p.token })).status).toBe(404);
  });

  it('400 for an escape in a keyword or a description; a description keeps its line breaks', async () => {
    const keyword = await api('PATCH', base(p, 'subventions'), { token: p.token, body: { keywords: ['ok', 'rouge\u001b[31m'] } });
    expect(keyword.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['keywords.1']);
    const description = await api('PATCH', base(p, 'subventions'), { token: p.token, body: { description: 'a\u0007b' } });
    expect(description.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['description']);
    const lines = await api('PATCH', base(p, 'subventions'), { token: p.token, body: { description: 'Ligne 1\r\nLigne 2\n\tretrait' } });
    expect(lines.status).toBe(200);
    expect(lines.body.description).toBe('Ligne 1\nLigne 2\n\tretrait');
  });

  it('says an empty keyword is empty and a missing schema is required', async () => {
    const keyword = await api('PATCH', base(p, 'subventions'), { token: p.token, body: { keywords: [''] } });
    expect(keyword.body.error.message).toBe('Corps de la requête invalide — « keywords.0 » : ne doit pas être vide');
    const noSchema = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, { token: p.token, body: { slug: 'sans-schema', title: 'Sans schéma' } });
    expect(noSchema.status).toBe(400);
    expect(noSchema.body.error.message).toBe('Corps de la requête invalide — « schema » : champ obligatoire manquant');
  });

  it('400 for a temporalCoverage without a date or with the year 0', async () => {
    const empty = await api('PATCH', base(p, 'subventions'), { token: p.token, body: { temporalCoverage: {} } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.fields).toEqual([
      { field: 'temporalCoverage', message: 'au moins une date est attendue : « start », « end » ou les deux (null retire la couverture)' },
    ]);
    const year0 = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, {
      token: p.token,
      body: { slug: 'an-zero', title: 'An zéro', schema: 'none', temporalCoverage: { start: '0000-01-01' } },
    });
    expect(year0.status).toBe(400);
    expect(year0.body.error.details.fields).toEqual([{ field: 'temporalCoverage.start', message: '« 0000-01-01 » : année invraisemblable (1000 au plus tôt)' }]);
  });
});

describe('what does not exist', () => {
  it('404 version_not_found for a well-formed version that is absent, however large', async () => {
    for (const version of ['9999999', '12345678901234567890']) {
      const res = await api('POST', `${base(p, 'subventions')}/versions/${version}/restore`, { token: p.token });
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 404,
        error: { code: 'version_not_found', message: `La version ${version} n’existe pas pour ce jeu de données.` },
      });
    }
  });

  it('404 dataset_not_found for a restore or an upload of a dataset that does not exist', async () => {
    const restore = await api('POST', `${base(p, 'does-not-exist')}/versions/1/restore`, { token: p.token });
    expect({ status: restore.status, code: restore.body.error.code }).toEqual({ status: 404, code: 'dataset_not_found' });
    for (const suffix of ['', '/report']) {
      const upload = await api('GET', `${base(p, 'nope')}/uploads/01ARZ3NDEKTSV4RRFFQ69G5FAV${suffix}`, { token: p.token });
      expect({ suffix, status: upload.status, code: upload.body.error.code }).toEqual({ suffix, status: 404, code: 'dataset_not_found' });
    }
    const absent = await api('GET', `${base(p, 'subventions')}/uploads/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { token: p.token });
    expect(absent.body.error.code).toBe('upload_not_found');
  });
});

describe('the Authorization header', () => {
  it('401 saying that a Bearer token is expected when another scheme is sent, without echoing it', async () => {
    const res = await api('GET', base(p, 'subventions'), { headers: { authorization: `Basic ${p.token}` } });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({
      code: 'unauthorized',
      message: 'Authentification requise : un en-tête « Authorization: Bearer <jeton> » est attendu ; un en-tête « Basic » a été reçu, or seul un jeton « Bearer » est accepté.',
    });
    const bare = await api('GET', base(p, 'subventions'), { headers: { authorization: p.token } });
    expect(bare.status).toBe(401);
    expect(bare.body.error.message).toContain('écrivez « Bearer », une espace, puis le jeton');
    expect(bare.body.error.message).not.toContain(p.token);
    const none = await api('GET', base(p, 'subventions'));
    expect(none.body.error.message).toBe('Authentification requise : un en-tête « Authorization: Bearer <jeton> » est attendu, il est absent.');
  });
});

describe('query parameters named like Object’s properties (local server as API Gateway)', () => {
  it('filters records on a column named constructor, and names ?__proto__ as an unknown field', async () => {
    await createDataset(p, 'proto', 'none');
    await publish(p, 'proto', 'proto.csv', Buffer.from('constructor;nom\ny;a\nz;b\n'));
    const records = (query: string) => api('GET', `/v1/catalog/datasets/${p.tenantId}/proto/records?${query}`);
    const filtered = await records('constructor=y');
    expect(filtered.status).toBe(200);
    expect(filtered.body.items).toEqual([{ constructor: 'y', nom: 'a' }]);
    const proto = await records('__proto__=x');
    expect(proto.status).toBe(400);
    expect(proto.body.error.details.fields).toEqual([{ field: '__proto__', message: 'champ inconnu' }]);
    const toString = await records('toString=z');
    expect(toString.status).toBe(400);
    expect(toString.body.error.details.fields).toEqual([{ field: 'toString', message: 'champ inconnu' }]);
  });

  it('400 with a plain message for an empty ?version=', async () => {
    const res = await api('GET', '/v1/catalog/schemas/scdl/subventions?version=');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Paramètres de requête invalides — « version » : ne doit pas être vide');
  });
});
