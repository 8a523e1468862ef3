import { readdirSync } from 'node:fs';
import { getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { checkDecpRows, REQUIRED_BY_KIND } from '../../../functions/domain/schemas/decp/checks';
import { flattenDecp, unflattenDecp } from '../../../functions/domain/schemas/decp/flatten';
import { validateJsonSchema } from './json-schema-lite';
import { describeWithReference, readReferenceJson, referencePath } from './reference';

const DECP = ['marches-publics', 'decp'];
const decp = getBuiltinSchema('decp')!;
const columns = decp.fields.map((f) => f.name);

type Doc = { marches: Record<string, Record<string, unknown>[]> };
const examples = (): string[] => readdirSync(referencePath(...DECP, 'examples', 'json')).filter((f) => f.endsWith('.json'));
const cellsOf = (rows: Record<string, unknown>[]) => rows.map((row) => columns.map((c) => (row[c] ?? null) as string | null));

describe('flattenDecp / unflattenDecp', () => {
  const marche = {
    id: 'M-1',
    acheteur: { id: '21310555400017' },
    nature: 'Marché',
    titulaires: [
      { titulaire: { id: '55204599900869', typeIdentifiant: 'SIRET' } },
      { titulaire: { id: 'FR12345678901', typeIdentifiant: 'TVA' } },
    ],
    techniques: { technique: ['Concours', 'Accord-cadre'] },
    marcheInnovant: false,
    tauxAvance: 0,
    lieuExecution: { code: '31555', typeCode: 'Code commune' },
  };

  it('joins lists and parties with |, keeps falsy values, and rebuilds the same object', () => {
    const [row] = flattenDecp({ marches: { marche: [marche] } });
    expect(row).toMatchObject({
      _type: 'Marché',
      'acheteur.id': '21310555400017',
      'titulaires.id': '55204599900869|FR12345678901',
      'titulaires.typeIdentifiant': 'SIRET|TVA',
      techniques: 'Concours|Accord-cadre',
      marcheInnovant: 'false',
      tauxAvance: '0',
      'lieuExecution.typeCode': 'Code commune',
      montant: null,
    });
    expect(unflattenDecp([row])).toEqual({ marches: { marche: [marche] } });
  });

  it('reads the consolidated 2.0.2 shape (`marches` as an array tagged with _type)', () => {
    const concession = { id: 'C-1', autoriteConcedante: { id: '21310555400017' }, nature: 'Délégation de service public' };
    const rows = flattenDecp({ marches: [{ ...marche, _type: 'Marché' }, concession] });
    expect(rows.map((r) => [r._type, r.id])).toEqual([
      ['Marché', 'M-1'],
      ['Contrat de concession', 'C-1'],
    ]);
    expect(unflattenDecp(rows)).toEqual({ marches: { marche: [marche], 'contrat-concession': [concession] } });
  });

  it('rejects a document without `marches`', () => {
    expect(() => flattenDecp({ marche: [] })).toThrow(/marches/);
  });

  it('reports kind-specific requirements the shared table cannot express', () => {
    const [row] = flattenDecp({ marches: { marche: [{ ...marche, nature: 'Délégation de service public' }] } });
    row['titulaires.typeIdentifiant'] = 'SIRET';
    const codes = checkDecpRows(columns, cellsOf([row])).map((i) => `${i.code}:${i.column}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'decp-required-for-kind:montant',
        'decp-required-for-kind:codeCPV',
        'decp-kind-value:nature',
        'decp-parties-mismatch:titulaires.typeIdentifiant',
      ]),
    );
    expect(codes).not.toContain('decp-required-for-kind:autoriteConcedante.id');
  });
});

describeWithReference('DECP against the official JSON Schema and examples', () => {
  const schema203 = () => readReferenceJson<Record<string, unknown>>(...DECP, 'schema_decp_v2.0.3.json');
  const schema202 = () => readReferenceJson<Record<string, unknown>>(...DECP, 'schema_decp_v2.0.2.schema.data.gouv.fr.json');

  it('has a column for every required property of a marché and of a contrat de concession', () => {
    const definitions = schema203().definitions as Record<string, { required: string[] }>;
    for (const [kind, definition] of [['Marché', 'marche'], ['Contrat de concession', 'contrat-concession']] as const) {
      for (const property of definitions[definition].required) {
        const covering = columns.filter((c) => c === property || c.startsWith(`${property}.`));
        expect({ property, covered: covering.length > 0 }).toEqual({ property, covered: true });
        for (const column of covering) expect(REQUIRED_BY_KIND[kind]).toContain(column);
      }
    }
  });

  it('the official examples are valid against the oracle itself (sanity check of the checker)', () => {
    for (const file of examples()) {
      expect({ file, errors: validateJsonSchema(schema203(), readReferenceJson(...DECP, 'examples', 'json', file)) }).toEqual({ file, errors: [] });
    }
  });

  it.each(['concessions.json', 'concessions_avec_modifications.json', 'marches_avec_modifications.json', 'marches_concessions.json'])(
    '%s: flattens to one complete row per contract and unflattens to the same valid 2.0.3 document',
    (file) => {
      const doc = readReferenceJson<Doc>(...DECP, 'examples', 'json', file);
      const rows = flattenDecp(doc);
      expect(rows).toHaveLength((doc.marches.marche ?? []).length + (doc.marches['contrat-concession'] ?? []).length);
      expect(checkDecpRows(columns, cellsOf(rows))).toEqual([]);
      for (const row of rows) expect(Object.keys(row)).toEqual(columns);

      const nested = unflattenDecp(rows);
      expect(nested).toEqual(doc);
      expect(validateJsonSchema(schema203(), nested)).toEqual([]);
      expect(validateJsonSchema(schema202(), nested)).toEqual([]);

      const consolidated = {
        marches: [
          ...(doc.marches.marche ?? []).map((m) => ({ _type: 'Marché', ...m })),
          ...(doc.marches['contrat-concession'] ?? []).map((c) => ({ _type: 'Contrat de concession', ...c })),
        ],
      };
      expect(flattenDecp(consolidated)).toEqual(rows);
    },
  );

  it('flags a produced document that lost a required property (the checker has teeth)', () => {
    const doc = readReferenceJson<Doc>(...DECP, 'examples', 'json', 'marches_concessions.json');
    const rows = flattenDecp(doc);
    expect([rows[0]._type, rows[rows.length - 1]._type]).toEqual(['Marché', 'Contrat de concession']);
    rows[0].montant = null;
    rows[rows.length - 1]['autoriteConcedante.id'] = null;
    const errors = validateJsonSchema(schema203(), unflattenDecp(rows));
    expect(errors.join('\n')).toMatch(/missing required autoriteConcedante/);
    expect(errors.join('\n')).toMatch(/missing required montant/);
  });
});
