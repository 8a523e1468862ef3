import { createTenantSchema, inseeCodeSchema, sirenSchema } from '../../../functions/domain/tenants/tenant';

describe('SIREN', () => {
  it.each(['213104581', '243100518', '223100017', '356000000'])('accepts %s (valid Luhn key)', (s) => {
    expect(sirenSchema.safeParse(s).success).toBe(true);
  });
  it.each(['213104582', '123456789', '21310458', '2131045810', '21310458a', ' 213104581'])('rejects %s', (s) => {
    expect(sirenSchema.safeParse(s).success).toBe(false);
  });
});

describe('INSEE code', () => {
  it.each(['31458', '01004', '2A004', '2B033', '97411'])('accepts %s', (s) => {
    expect(inseeCodeSchema.safeParse(s).success).toBe(true);
  });
  it.each(['1004', '2C004', '310555', '3145A', 'ab123'])('rejects %s', (s) => {
    expect(inseeCodeSchema.safeParse(s).success).toBe(false);
  });
});

describe('tenant body', () => {
  it('requires id, name, kind and siren and rejects unknown fields', () => {
    const r = createTenantSchema.safeParse({ extra: 1 });
    expect(r.success).toBe(false);
    const fields = r.success ? [] : r.error.issues.map((i) => (i.code === 'unrecognized_keys' ? i.keys[0] : i.path.join('.')));
    expect(fields).toEqual(expect.arrayContaining(['id', 'name', 'kind', 'siren', 'extra']));
  });
});

describe('SIRET of a tenant', () => {
  const base = { id: 'roques', name: 'Roques', kind: 'commune', siren: '213104581' };
  it('is optional, 14 digits with a Luhn key, and starts with the SIREN', () => {
    expect(createTenantSchema.safeParse(base).success).toBe(true);
    expect(createTenantSchema.safeParse({ ...base, siret: '21310458100102' }).success).toBe(true);
    expect(createTenantSchema.safeParse({ ...base, siret: '21310458100103' }).success).toBe(false);
    expect(createTenantSchema.safeParse({ ...base, siret: '24310051800105' }).success).toBe(false);
  });
});
