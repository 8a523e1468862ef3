import type { TableSchemaDescriptor, ValidationIssue } from '../../../functions/domain/schema/types';
import { getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { type Table, readTable, tableOf, validateTable } from './read-table';
import { describeWithReference, type OfficialSchema, readReferenceJson, referencePath } from './reference';

const codes = (issues: ValidationIssue[]) => issues.map((i) => `${i.code}@${i.row}:${i.column}`);
const schema = (id: string) => getBuiltinSchema(id) as TableSchemaDescriptor;

describeWithReference('official example files', () => {
  it('subventions: the valid example has no issue at all', () => {
    const result = validateTable(schema('scdl/subventions'), readTable(referencePath('subventions', 'examples', 'exemple_valide.csv')));
    expect(result.issues).toEqual([]);
  });

  // Dates written 05/12/2016 and amounts written 100000,1 are repaired by the engine (French
  // normalisation), so they are not errors here; the rest of SOURCE.md's list is.
  it.each(['exemple_invalide_erreurs_cellules.csv', 'exemple_invalide_erreurs_colonnes.csv'])('subventions: %s fails on its cells', (file) => {
    const { errors } = validateTable(schema('scdl/subventions'), readTable(referencePath('subventions', 'examples', file)));
    expect(codes(errors)).toEqual(
      expect.arrayContaining([
        'pattern@7:idAttribuant', // 218601946, a SIREN: reported once, as what it is (not also as a bad SIRET)
        'siret@2:idAttribuant', // 21860194600000 fails the Luhn key on every row
        'siret@6:idBeneficiaire', // 32402138500000.0
        'pattern@8:datesPeriodeVersement', // 2017-06-27_2018-06-27
        'enum@16:nature', // list separated by `,`
        'maximum@2:pourcentageSubvention', // 100 instead of 1.00
        'pattern@5:rnaBeneficiaire',
        'one-of-required@9:idBeneficiaire',
        'required@10:montant',
      ]),
    );
    const siren = errors.filter((e) => e.row === 7 && e.column === 'idAttribuant');
    expect(siren).toHaveLength(1);
    expect(siren[0].message).toContain("c’est un numéro SIREN");
  });

  it('subventions: the Latin-1 file with a duplicated notificationUE column is rejected at the header', () => {
    const { errors } = validateTable(schema('scdl/subventions'), readTable(referencePath('subventions', 'examples', 'exemple-duplicate-column.csv')));
    expect(codes(errors)).toEqual(['duplicate-column@1:notificationUE']);
  });

  it('prénoms: the valid example has no issue', () => {
    const result = validateTable(schema('scdl/prenoms'), readTable(referencePath('prenoms', 'examples', 'prenoms-nouveaux-nes_exemple-valide.csv')));
    expect(result.issues).toEqual([]);
  });

  // COLL_INSEE `3238` is repaired to `03238` (a code that lost its leading zero), by design.
  it('prénoms: the invalid example fails on names, commune case and sex', () => {
    const { errors } = validateTable(schema('scdl/prenoms'), readTable(referencePath('prenoms', 'examples', 'prenoms-nouveaux-nes_exemple-invalide.csv')));
    expect(codes(errors).sort()).toEqual(
      [
        'pattern@2:ENFANT_PRENOM', // Ad am
        'pattern@3:ENFANT_PRENOM', // AlexAndre
        'pattern@7:ENFANT_PRENOM', // AssiaAmélie
        'pattern@3:COMMUNE_NOM', // RENNES
        'pattern@4:COMMUNE_NOM', // rennes
        'enum@4:ENFANT_SEXE', // H
      ].sort(),
    );
  });
});

/** One row made of each official field's `example` (prose examples replaced by a value). */
function exampleTable(folder: string, fixes: Record<string, string> = {}): Table {
  const official = readReferenceJson<OfficialSchema>(folder, 'schema.json');
  const header = official.fields.map((f) => f.name);
  const row = Object.fromEntries(official.fields.map((f) => [f.name, fixes[f.name] ?? f.example ?? f.examples ?? null]));
  return tableOf(header, row);
}

function mutate(table: Table, column: string, value: string | null): Table {
  const at = table.header.indexOf(column);
  return { header: table.header, rows: table.rows.map((r) => r.map((v, i) => (i === at ? value : v))) };
}

describeWithReference('rows built from the official field examples', () => {
  // The official examples are not all valid values: SIRETs that fail the Luhn key,
  // prose in place of a value, a leading quote. Those are replaced, and said so.
  const deliberations = () =>
    exampleTable('deliberations', {
      COLL_SIRET: '21860194600013', // the official example, kept: it passes Luhn
      DELIB_MATIERE_NOM: 'Domaines de compétences par thèmes/Aménagement du territoire',
      PREF_DATE: '2017-10-20', // the official 2017-02-03 precedes DELIB_DATE 2017-10-15
    });

  it('délibérations: a row of examples is valid; each coherence rule catches its mutation', () => {
    const d = schema('scdl/deliberations');
    const ok = validateTable(d, deliberations());
    expect(codes(ok.errors)).toEqual([]);
    const cases: [string, string | null, string][] = [
      ['COLL_SIRET', '21860194600014', 'siret'],
      ['COLL_SIRET', '218601946', 'pattern'], // a SIREN: too short to be a SIRET that lost zeros
      ['DELIB_DATE', '2017-13-45', 'type-error'],
      ['PREF_DATE', '2017-01-01', 'compare-columns'],
      ['VOTE_POUR', '26', 'sum-columns'],
      ['VOTE_REEL', '44', 'compare-columns'],
      ['VOTE_EFFECTIF', null, 'cohesive-columns'],
      ['BUDGET_ANNEE', '2018/2017', 'year-interval'],
      ['BUDGET_NOM', null, 'cohesive-columns'],
      ['DELIB_MATIERE_CODE', '84', 'pattern'],
      ['DELIB_OBJET', null, 'required'],
    ];
    for (const [column, value, code] of cases) {
      const { errors } = validateTable(d, mutate(deliberations(), column, value));
      expect({ column, value, codes: errors.map((e) => e.code) }).toEqual({ column, value, codes: expect.arrayContaining([code]) });
    }
  });

  it('délibérations: a matière code of another subject than its name is a warning, the file stays valid', () => {
    const d = schema('scdl/deliberations');
    expect(validateTable(d, deliberations()).issues).toEqual([]); // 8.4 beside « Domaines de compétences par thèmes/… »
    const { errors, issues } = validateTable(d, mutate(deliberations(), 'DELIB_MATIERE_CODE', '7.1'));
    expect(errors).toEqual([]);
    expect(issues.map((i) => `${i.severity} ${i.code}@${i.row}:${i.column}=${i.value}`)).toEqual(['warning matiere-mismatch@2:DELIB_MATIERE_CODE=7.1']);
    expect(issues[0].message).toContain('« Domaines de compétences par thèmes/Aménagement du territoire »');
  });

  const equipements = () => exampleTable('equipements', { ADR_NUMERO: '36', COLL_SIRET: '22940028800010' });

  it('équipements: a row of examples is valid and located; mutations fail', () => {
    const d = schema('scdl/equipements');
    const ok = validateTable(d, equipements());
    expect(codes(ok.errors)).toEqual([]);
    const values = ok.values[0];
    expect(values[d.fields.findIndex((f) => f.name === d.geo?.latitude)]).toBeCloseTo(48.808989);
    for (const [column, value, code] of [
      ['EQUIP_THEME', 'Piscine', 'enum'],
      ['EQUIP_UID', '94059-0101-001', 'pattern'],
      ['ERP_CATEGORIE', '6', 'maximum'],
      ['EQUIP_LAT', 'nord', 'type-error'],
      ['EQUIP_EMAIL', 'pas un courriel', 'type-error'],
      ['COLL_SIRET', '22940028800011', 'siret'],
      ['EQUIP_TEL', '+44 20 7946 0958', 'max-length'], // not French: kept as typed, too long
    ] as const) {
      const { errors } = validateTable(d, mutate(equipements(), column, value));
      expect({ column, codes: errors.map((e) => e.code) }).toEqual({ column, codes: expect.arrayContaining([code]) });
    }
  });

  it('équipements: EQUIP_TEL typed the French way is written +33 561720000, the official form', () => {
    const d = schema('scdl/equipements');
    const at = d.fields.findIndex((f) => f.name === 'EQUIP_TEL');
    for (const typed of ['05 61 72 00 00', '05.61.72.00.00', '0561720000', '+33 5 61 72 00 00', '+33 (0)5 61 72 00 00', '0033561720000']) {
      const { errors, values } = validateTable(d, mutate(equipements(), 'EQUIP_TEL', typed));
      expect({ typed, codes: codes(errors), tel: values[0][at] }).toEqual({ typed, codes: [], tel: '+33 561720000' });
    }
    const { errors } = validateTable(d, mutate(equipements(), 'EQUIP_TEL', '05 61 72 00 00 / 05 61 72 00 01'));
    expect(codes(errors)).toEqual(['max-length@2:EQUIP_TEL']);
    expect(errors[0].message).toContain('par exemple « +33 140633900 »');
  });

  const catalogue = () => exampleTable('catalogue', { ID: 'prenoms-des-nouveaux-nes-a-rennes-en-2017' });

  it('catalogue: a row of examples is valid; mutations fail', () => {
    const d = schema('scdl/catalogue');
    expect(codes(validateTable(d, catalogue()).errors)).toEqual([]);
    for (const [column, value, code] of [
      ['LICENCE', 'Etalab', 'enum'],
      ['FREQ_MAJ', 'Parfois', 'enum'],
      ['NOMBRE_RESSOURCES', '0', 'minimum'],
      ['PRODUCTEUR_SIRET', '21350238800018', 'siret'],
      ['URL', null, 'required'],
    ] as const) {
      const { errors } = validateTable(d, mutate(catalogue(), column, value));
      expect({ column, codes: errors.map((e) => e.code) }).toEqual({ column, codes: expect.arrayContaining([code]) });
    }
  });
});
