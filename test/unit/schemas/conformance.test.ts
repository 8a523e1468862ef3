import type { FieldDescriptor, TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { parseSchemaDescriptor } from '../../../functions/domain/schema/descriptor';
import { builtinSchemas, getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { describeWithReference, type OfficialField, type OfficialSchema, readReferenceJson } from './reference';

const CONSTRAINTS = ['required', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'unique'] as const;

/** What a field must share with the official one: name, type, format and every constraint. */
function essentials(field: FieldDescriptor | OfficialField) {
  const constraints: Record<string, unknown> = field.constraints ?? {};
  return {
    name: field.name,
    type: field.type,
    format: field.format === 'default' ? undefined : field.format,
    ...Object.fromEntries(
      CONSTRAINTS.map((key) => [key, key === 'required' ? constraints[key] === true : constraints[key]]),
    ),
  };
}

/** Validata custom-check parameters that name columns. */
const COLUMN_PARAMS = ['column', 'column1', 'column2', 'columns', 'othercolumns'];

const cases: [string, string, string[]][] = [
  ['scdl/deliberations', '', ['deliberations', 'schema.json']],
  ['scdl/subventions', '', ['subventions', 'schema.json']],
  ['scdl/equipements', '', ['equipements', 'schema.json']],
  ['scdl/prenoms', '', ['prenoms', 'schema.json']],
  ['scdl/catalogue', '', ['catalogue', 'schema.json']],
  ['bal', '1.4', ['bal', 'schema-v1.4.json']],
  ['bal', '1.5', ['bal', 'schema-v1.5.json']],
];

describe('built-in registry', () => {
  it('serves every built-in by id, current version first, and by any spelling of a version', () => {
    expect(builtinSchemas.map((s) => `${s.id}@${s.version}`)).toEqual(
      expect.arrayContaining([
        'scdl/deliberations@2.1.5',
        'scdl/subventions@2.1.1',
        'scdl/equipements@0.1.5',
        'scdl/prenoms@1.1.6',
        'scdl/catalogue@0.1.3',
        'bal@1.4',
        'bal@1.5',
        'decp@2.0.3',
        'decp@2.0.2',
      ]),
    );
    expect(getBuiltinSchema('bal')?.version).toBe('1.5');
    expect(getBuiltinSchema('bal', 'v1.5.0')?.version).toBe('1.5');
    expect(getBuiltinSchema('bal', '1.4.0')?.version).toBe('1.4');
    expect(getBuiltinSchema('scdl/prenoms', 'v1.1.6')?.id).toBe('scdl/prenoms');
    expect(getBuiltinSchema('decp')?.version).toBe('2.0.3');
    expect(getBuiltinSchema('decp', '2.0.2')?.version).toBe('2.0.2');
    expect(getBuiltinSchema('scdl/marches-publics')).toBeUndefined();
    expect(getBuiltinSchema('bal', '1.3')).toBeUndefined();
  });

  it('gives every schema a title, unique field names, and geo/aliases that name real fields', () => {
    for (const schema of builtinSchemas) {
      const names = schema.fields.map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
      expect(schema.title).toBeTruthy();
      for (const field of schema.fields) expect(field.title).toBeTruthy();
      const referenced = [
        ...Object.values(schema.geo ?? {}),
        ...Object.keys(schema.aliases ?? {}),
        ...(schema.custom_checks ?? []).flatMap((check) =>
          COLUMN_PARAMS.flatMap((key) => check.params[key] ?? []),
        ),
      ];
      for (const name of referenced) expect(names).toContain(name);
    }
  });

  it('passes the strict descriptor parser the admin API uses', () => {
    for (const schema of builtinSchemas) expect(() => parseSchemaDescriptor(schema)).not.toThrow();
  });

  // Not in Unicode mode: official patterns escape `-` and `'` outside classes, which `u` rejects.
  it('compiles every pattern as a JavaScript regular expression', () => {
    for (const schema of builtinSchemas) {
      for (const field of schema.fields) {
        if (field.constraints?.pattern) expect(() => new RegExp(`^(?:${field.constraints?.pattern})$`)).not.toThrow();
      }
    }
  });
});

describeWithReference('built-in schemas match the official Table Schemas', () => {
  it.each(cases)('%s %s', (id, version, file) => {
    const official = readReferenceJson<OfficialSchema>(...file);
    const ours = getBuiltinSchema(id, version || undefined) as TableSchemaDescriptor;
    expect(ours).toBeDefined();
    expect(ours.version.replace(/(\.0)+$/, '')).toBe(official.version.replace(/^v/, '').replace(/(\.0)+$/, ''));
    expect(ours.fields.map(essentials)).toEqual(official.fields.map(essentials));
    expect(ours.custom_checks ?? []).toEqual(official.custom_checks ?? []);
  });

  it('locates équipements and BAL by their coordinate columns', () => {
    expect(getBuiltinSchema('scdl/equipements')?.geo).toEqual({ longitude: 'EQUIP_LONG', latitude: 'EQUIP_LAT' });
    for (const version of ['1.4', '1.5']) {
      const bal = getBuiltinSchema('bal', version);
      expect(bal?.geo).toEqual({ longitude: 'long', latitude: 'lat' });
      expect(bal?.outputDelimiter).toBe(';');
    }
  });
});
