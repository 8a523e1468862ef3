/**
 * The data package of a version describes every column of its data.csv, and only those: the
 * schema's that are published, then those published after them (a BAL's language variants),
 * so that a Frictionless validator reading the CSV with it finds no column it does not know.
 */
import { bal14, bal15 } from '../../../functions/domain/schemas/builtin/bal';
import { datapackage } from '../../../functions/domain/standardize/datapackage';

describe('datapackage', () => {
  const dataset = { tenantId: 'roques', slug: 'adresses', title: 'Adresses', licence: 'etalab-2.0' as const, keywords: [] };
  const csv = { format: 'csv' as const, key: 'datasets/roques/adresses/v1/data.csv', mediaType: 'text/csv; charset=utf-8', bytes: 10, sha256: 'ab' };

  it('lists the columns published after the schema’s, as text, in their order', () => {
    const fields = [...bal15.fields.map((f) => f.name), 'voie_nom_oci', 'lieudit_complement_nom_bre'];
    const pkg = datapackage({ dataset, version: 1, schema: bal15, fields, distributions: [csv], createdAt: '2026-01-01T00:00:00Z' });
    const described = (pkg.resources[0] as { schema: { fields: { name: string; type: string }[] } }).schema.fields;
    expect(described.map((f) => f.name)).toEqual(fields);
    expect(described.slice(-2)).toEqual([
      { name: 'voie_nom_oci', type: 'string' },
      { name: 'lieudit_complement_nom_bre', type: 'string' },
    ]);
  });

  it('adds nothing when the CSV has the schema’s columns only', () => {
    const pkg = datapackage({ dataset, version: 1, schema: bal15, fields: bal15.fields.map((f) => f.name), distributions: [csv], createdAt: '2026-01-01T00:00:00Z' });
    expect((pkg.resources[0] as { schema: { fields: unknown[] } }).schema.fields).toHaveLength(bal15.fields.length);
  });

  it('leaves out a schema column the CSV does not have (a BAL 1.4 without cle_interop)', () => {
    const fields = bal14.fields.map((f) => f.name).filter((name) => name !== 'cle_interop');
    const pkg = datapackage({ dataset, version: 1, schema: bal14, fields, distributions: [csv], createdAt: '2026-01-01T00:00:00Z' });
    const described = (pkg.resources[0] as { schema: { fields: { name: string }[] } }).schema.fields;
    expect(described.map((f) => f.name)).toEqual(fields);
  });
});
