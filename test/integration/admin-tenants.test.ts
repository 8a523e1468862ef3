import { admin, api, createKey, createTenant, SIRENS, uniqueId } from './support/api';

const validBody = (id: string) => ({
  id,
  name: 'Commune de Test',
  kind: 'commune',
  siren: SIRENS[0],
  inseeCode: '31458',
  referent: { name: 'Jeanne Martin', email: 'jeanne.martin@example.fr' },
  enabledSchemas: ['scdl/subventions'],
});

describe('tenant lifecycle', () => {
  it('creates, reads, lists, updates a tenant and refuses a duplicate id', async () => {
    const id = uniqueId('life');
    const created = await api('POST', '/v1/admin/tenants', { token: admin(), body: validBody(id) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, status: 'active', kind: 'commune', siren: SIRENS[0] });

    const again = await api('POST', '/v1/admin/tenants', { token: admin(), body: validBody(id) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('tenant_exists');

    const got = await api('GET', `/v1/admin/tenants/${id}`, { token: admin() });
    expect(got.status).toBe(200);
    expect(got.body.referent.email).toBe('jeanne.martin@example.fr');

    const patched = await api('PATCH', `/v1/admin/tenants/${id}`, { token: admin(), body: { name: 'Nouveau nom', inseeCode: null } });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Nouveau nom');
    expect(patched.body.inseeCode).toBeUndefined();

    const missing = await api('GET', `/v1/admin/tenants/${uniqueId('nobody')}`, { token: admin() });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('tenant_not_found');
  });

  it('pages through tenants with an opaque cursor, never repeating one', async () => {
    for (let i = 0; i < 3; i++) await createTenant(uniqueId('page'));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const res = await api('GET', `/v1/admin/tenants${q}`, { token: admin() });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((t: { id: string }) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['haute-garonne', 'roques-sur-garonne', 'sicoval']));

    const bad = await api('GET', '/v1/admin/tenants?cursor=not-a-cursor', { token: admin() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
    // A forged cursor is refused before DynamoDB (which would answer a ValidationException: a 500).
    const forge = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const key of [
      { pk: '', sk: 'META', gsi1pk: 'TENANTS', gsi1sk: 'sicoval' },
      { pk: 'TENANT#sicoval', sk: 'META', gsi1pk: 'TENANTS', gsi1sk: '' },
      { pk: 'TENANT#sicoval', sk: 'META', gsi1pk: 'UPLOADS#x#y', gsi1sk: 'sicoval' },
    ]) {
      const res = await api('GET', `/v1/admin/tenants?cursor=${forge(key)}`, { token: admin() });
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_cursor']);
    }
    const tooMany = await api('GET', '/v1/admin/tenants?limit=1000', { token: admin() });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('limit');
  });

  describe('every field of the tenant body is checked', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['id', { id: 'Pas Un Slug' }],
      ['name', { name: '' }],
      ['kind', { kind: 'ville' }],
      ['siren', { siren: '123456789' }],
      ['siren', { siren: '12345' }],
      ['siret', { siret: '21310458100103' }],
      ['siret', { siret: '24310051800105' }],
      ['inseeCode', { inseeCode: '3A123' }],
      ['referent', { referent: { name: 'X' } }],
      ['referent.email', { referent: { name: 'X', email: 'pas-un-email' } }],
      ['enabledSchemas', { enabledSchemas: 'scdl/subventions' }],
      ['maxUploadBytes', { maxUploadBytes: -1 }],
      ['unknown', { unknown: true }],
    ];
    it.each(cases)('an invalid %s gives a 400 naming the field', async (field, override) => {
      const res = await api('POST', '/v1/admin/tenants', { token: admin(), body: { ...validBody(uniqueId('bad')), ...override } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_body');
      expect(res.body.error.message).toContain(`« ${field}`);
      expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules/);
    });

    it('accepts Corsican INSEE codes', async () => {
      const res = await api('POST', '/v1/admin/tenants', { token: admin(), body: { ...validBody(uniqueId('corse')), inseeCode: '2A004' } });
      expect(res.status).toBe(201);
    });

    it('rejects malformed JSON with a stable code', async () => {
      const res = await api('POST', '/v1/admin/tenants', {
        token: admin(),
        rawBody: '{"id": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_json');
    });
  });
});

describe('keys', () => {
  it('issues a key shown once, lists it without the token, and revokes it', async () => {
    const id = uniqueId('keys');
    await createTenant(id);
    const key = await createKey(id);
    expect(key.token).toMatch(/^socle_[A-Za-z0-9_-]{43}$/);

    // The key works on a publisher route of its tenant (the health of the key is shown through 404/403 semantics
    // of the admin routes: a publisher key is refused there with 403, proving it authenticated).
    const asPublisher = await api('GET', '/v1/admin/tenants', { token: key.token });
    expect(asPublisher.status).toBe(403);

    const listed = await api('GET', `/v1/admin/tenants/${id}/keys`, { token: admin() });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ id: key.id, role: 'publisher', revokedAt: null });
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(key.token);
    expect(JSON.stringify(listed.body)).not.toMatch(/tokenHash/);

    const revoked = await api('DELETE', `/v1/admin/tenants/${id}/keys/${key.id}`, { token: admin() });
    expect(revoked.status).toBe(204);
    const after = await api('GET', '/v1/admin/tenants', { token: key.token });
    expect(after.status).toBe(401);
    const relisted = await api('GET', `/v1/admin/tenants/${id}/keys`, { token: admin() });
    expect(relisted.body.items[0].revokedAt).not.toBeNull();

    const unknown = await api('DELETE', `/v1/admin/tenants/${id}/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { token: admin() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('key_not_found');
  });

  it('cannot revoke another tenant’s key through a different tenant path', async () => {
    const a = uniqueId('ka');
    const b = uniqueId('kb');
    await createTenant(a);
    await createTenant(b);
    const key = await createKey(a);
    const res = await api('DELETE', `/v1/admin/tenants/${b}/keys/${key.id}`, { token: admin() });
    expect(res.status).toBe(404);
  });
});

describe('authentication and authorization matrix', () => {
  it('401 without a token, with a malformed or unknown one; 403 for a publisher on admin routes', async () => {
    const id = uniqueId('auth');
    await createTenant(id);
    const key = await createKey(id);
    const none = await api('GET', '/v1/admin/tenants');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const malformed = await api('GET', '/v1/admin/tenants', { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
    const unknown = await api('GET', '/v1/admin/tenants', { token: 'socle_unknown' });
    expect(unknown.status).toBe(401);
    for (const [method, path] of [
      ['GET', '/v1/admin/tenants'],
      ['POST', '/v1/admin/tenants'],
      ['GET', `/v1/admin/tenants/${id}`],
      ['POST', `/v1/admin/tenants/${id}/keys`],
      ['POST', `/v1/admin/tenants/${id}/suspend`],
    ]) {
      const res = await api(method, path, { token: key.token, body: method === 'POST' ? {} : undefined });
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.error.code).toBe('admin_only');
    }
  });

  it('health is public and carries the API versions', async () => {
    const res = await api('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', apiVersions: ['v1'] });
  });

  it('unknown routes are 404 and wrong methods 405, in the error shape', async () => {
    const res = await api('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route_not_found');
    const wrong = await api('PUT', '/v1/health');
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe('method_not_allowed');
  });
});

describe('suspension', () => {
  it('suspend → 403 on publisher use → reactivate → allowed again', async () => {
    const id = uniqueId('susp');
    await createTenant(id);
    const suspended = await api('POST', `/v1/admin/tenants/${id}/suspend`, { token: admin() });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    const reactivated = await api('POST', `/v1/admin/tenants/${id}/reactivate`, { token: admin() });
    expect(reactivated.body.status).toBe('active');
    const missing = await api('POST', `/v1/admin/tenants/${uniqueId('ghost')}/suspend`, { token: admin() });
    expect(missing.status).toBe(404);
  });
});
