/**
 * Our published `data.csv` is valid against the OFFICIAL schema, as judged by another
 * implementation: tableschema (Frictionless JS) reads each end-to-end expected output
 * (test/fixtures/publish/*.expected.csv, compared byte for byte with what the platform
 * publishes) against the official schema file of ../shared/reference. It does not run the
 * SCDL custom checks; our own conformance tests do. It caught the formula prefix that made
 * `+33 561720000` fail its official pattern and length.
 */
import path from 'node:path';
import { describeWithReference, readReferenceJson, type OfficialSchema } from './reference';

interface TableSchemaRow {
  errors?: { message: string }[];
  message: string;
}
interface TableSchemaModule {
  Table: { load(source: string, opts: object): Promise<{ read(opts: { forceCast: boolean }): Promise<(unknown[] | TableSchemaRow)[]> }> };
}

const FIXTURES = path.resolve(__dirname, '../../fixtures/publish');

const CASES: [string, string[], string, string][] = [
  ['subventions.expected.csv', ['subventions', 'schema.json'], ',', 'scdl/subventions'],
  ['subventions-fr.expected.csv', ['subventions', 'schema.json'], ',', 'scdl/subventions, from the Windows-1252 French export'],
  ['deliberations.expected.csv', ['deliberations', 'schema.json'], ',', 'scdl/deliberations'],
  ['equipements.expected.csv', ['equipements', 'schema.json'], ',', 'scdl/equipements'],
  ['prenoms.expected.csv', ['prenoms', 'schema.json'], ',', 'scdl/prenoms'],
  ['bal.expected.csv', ['bal', 'schema.json'], ';', 'BAL 1.5'],
  ['bal-1.4.expected.csv', ['bal', 'schema-v1.4.json'], ';', 'BAL 1.4'],
];

describeWithReference('published data.csv against the official schema (tableschema)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Table } = require('tableschema') as TableSchemaModule;

  it.each(CASES)('%s is valid against %j', async (fixture, schemaPath, delimiter) => {
    const schema = readReferenceJson<OfficialSchema>(...schemaPath);
    const descriptor = {
      ...schema,
      custom_checks: undefined,
      // tableschema-js does not anchor patterns; the Table Schema specification does.
      fields: schema.fields.map((f) => (f.constraints?.pattern ? { ...f, constraints: { ...f.constraints, pattern: `^(?:${f.constraints.pattern})$` } } : f)),
    };
    const table = await Table.load(path.join(FIXTURES, fixture), { schema: descriptor, delimiter });
    const rows = await table.read({ forceCast: true });
    const errors = rows.flatMap((r, i) => (Array.isArray(r) ? [] : [`ligne ${i + 2}: ${(r.errors ?? [r]).map((e) => e.message).join(' | ')}`]));
    expect(rows.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
