import { readdirSync } from 'node:fs';
import { getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { DecpRowsCheck, REQUIRED_BY_KIND } from '../../../functions/domain/schemas/decp/checks';
import { flattenDecp, unflattenDecp } from '../../../functions/domain/schemas/decp/flatten';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import type { Report } from '../../../functions/domain/standardize/report';
import { chunked } from '../standardize/helpers';
import { validateJsonSchema } from './json-schema-lite';
import { describeWithReference, readReferenceJson, referencePath } from './reference';

const DECP = ['marches-publics', 'decp'];
const decp = getBuiltinSchema('decp')!;
const columns = decp.fields.map((f) => f.name);

type Doc = { marches: Record<string, Record<string, unknown>[]> };
const examples = (): string[] => readdirSync(referencePath(...DECP, 'examples', 'json')).filter((f) => f.endsWith('.json'));
const cellsOf = (rows: Record<string, unknown>[]) => rows.map((row) => columns.map((c) => (row[c] ?? null) as string | null));
/** The DECP rules over flat rows, numbered from line 2. */
const checkDecpRows = (rows: (string | null)[][]) => {
  const check = new DecpRowsCheck(columns);
  return rows.flatMap((values, i) => check.check(values, i + 2, []));
};

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
      marcheInnovant: false,
      tauxAvance: 0,
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
    const codes = checkDecpRows(cellsOf([row])).map((i) => `${i.code}:${i.column}`);
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
      expect(checkDecpRows(cellsOf(rows))).toEqual([]);
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

/** A complete marché and concession (invented), in the national 2.0.3 shape. */
const MARCHE = {
  id: '2024-M-001',
  acheteur: { id: '21310555400017' },
  nature: 'Marché',
  objet: 'Réfection de la toiture de l’école',
  codeCPV: '45261210-9',
  techniques: { technique: ['Sans objet'] },
  modalitesExecution: { modaliteExecution: ['Tranches'] },
  marcheInnovant: false,
  ccag: 'Travaux',
  offresRecues: 3,
  attributionAvance: true,
  tauxAvance: 0.05,
  typeGroupementOperateurs: 'Pas de groupement',
  sousTraitanceDeclaree: false,
  procedure: 'Procédure adaptée',
  lieuExecution: { code: '31555', typeCode: 'Code commune' },
  dureeMois: 6,
  dateNotification: '2024-03-01',
  datePublicationDonnees: '2024-03-05',
  montant: 84250.5,
  typesPrix: { typePrix: ['Définitif ferme'] },
  formePrix: 'Forfaitaire',
  titulaires: [{ titulaire: { id: '55204599900869', typeIdentifiant: 'SIRET' } }],
  considerationsSociales: { considerationSociale: ['Pas de considération sociale'] },
  considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] },
};
const CONCESSION = {
  id: '2024-C-001',
  autoriteConcedante: { id: '21310555400017' },
  nature: 'Délégation de service public',
  objet: 'Gestion du centre aquatique',
  procedure: 'Procédure négociée ouverte',
  dureeMois: 60,
  dateSignature: '2024-01-10',
  datePublicationDonnees: '2024-01-20',
  dateDebutExecution: '2024-02-01',
  valeurGlobale: 1200000,
  montantSubventionPublique: 0,
  concessionnaires: [{ concessionnaire: { id: '38103128500491', typeIdentifiant: 'SIRET' } }],
  considerationsSociales: { considerationSociale: ['Pas de considération sociale'] },
  considerationsEnvironnementales: { considerationEnvironnementale: ['Pas de considération environnementale'] },
};

async function standardizeDecp(input: string | Buffer): Promise<{ report: Report; outputs: Record<string, string> }> {
  const chunks: Record<string, Buffer[]> = {};
  const { report } = await standardizeTable(chunked(Buffer.from(input)), {
    schema: decp,
    sinks: (name) => ({ write: async (c) => void (chunks[name] ??= []).push(Buffer.from(c)), end: async () => undefined, abort: async () => undefined }),
  });
  return { report, outputs: Object.fromEntries(Object.entries(chunks).map(([k, v]) => [k, Buffer.concat(v).toString('utf8')])) };
}

const issuesOf = (report: Report) => report.issues.map((i) => `${i.code}@${i.row ?? ''}:${i.column ?? ''}`);

/** The flat CSV of `contracts` (as a commune's software exports one), `;`-separated. */
function flatCsv(contracts: Record<string, unknown>[], edit: (header: string[], rows: string[][]) => void = () => undefined): string {
  const rows = flattenDecp(contracts);
  const header = [...columns];
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  edit(header, cells);
  const quote = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [header, ...cells].map((r) => r.map(quote).join(';')).join('\r\n') + '\r\n';
}

describe('DECP through the standardization', () => {
  it('publishes a nested document and its flat table, and the flat data.json read again gives the same', async () => {
    const doc = { marches: { marche: [MARCHE], 'contrat-concession': [CONCESSION] } };
    const first = await standardizeDecp(JSON.stringify(doc));
    expect(issuesOf(first.report)).toEqual([]);
    expect(JSON.parse(first.outputs['decp.json'])).toEqual(doc);
    // Socle's own data.json (a flat array), and a bare array of nested contracts.
    for (const again of [first.outputs['data.json'], JSON.stringify([MARCHE, CONCESSION])]) {
      const second = await standardizeDecp(again);
      expect(issuesOf(second.report)).toEqual([]);
      expect(second.outputs['data.csv']).toBe(first.outputs['data.csv']);
      expect(second.outputs['decp.json']).toBe(first.outputs['decp.json']);
    }
    // Concessions only: no empty list of marchés.
    const concessions = await standardizeDecp(JSON.stringify({ marches: { 'contrat-concession': [CONCESSION] } }));
    expect(JSON.parse(concessions.outputs['decp.json'])).toEqual({ marches: { 'contrat-concession': [CONCESSION] } });
  });

  it('judges the kind rules on the values as the schema read them: a `_type` typed « marché », a header « Type », rows numbered as read', async () => {
    const csv = flatCsv([MARCHE], (header, rows) => {
      header[0] = 'Type';
      rows[0][0] = 'marché';
      rows[0][columns.indexOf('montant')] = '';
    });
    // A blank line and a title above: the error is on the file's line 4.
    const { report } = await standardizeDecp(`Marchés 2024\r\n${csv.replace('\r\n', '\r\n\r\n')}`);
    expect(issuesOf(report).filter((i) => i.startsWith('decp'))).toEqual(['decp-required-for-kind@4:montant']);
    expect(report.valid).toBe(false);
  });

  it('refuses the other kind’s columns, a history that is not JSON, and a contract given twice', async () => {
    const csv = flatCsv([MARCHE, { ...MARCHE, id: '2024-M-002' }, MARCHE], (_, rows) => {
      rows[0][columns.indexOf('valeurGlobale')] = '999';
      rows[1][columns.indexOf('modifications')] = 'Avenant n°1 : prolongation de 3 mois';
    });
    const { report, outputs } = await standardizeDecp(csv);
    expect(issuesOf(report)).toEqual(['decp-other-kind-column@2:valeurGlobale', 'decp-json-column@3:modifications', 'decp-duplicate@4:id']);
    expect(report.issues.map((i) => i.message)).toEqual([
      'La colonne « valeurGlobale » est propre aux contrats de concession : elle doit rester vide pour un marché (elle ne figurerait pas dans le fichier national decp.json).',
      expect.stringContaining('« Avenant n°1 : prolongation de 3 mois » n’est pas du JSON'),
      'Le contrat « 2024-M-001 » de l’acheteur 21310555400017 est déjà déclaré ligne 2 : un contrat ne figure qu’une fois (ses modifications vont dans sa colonne « modifications »).',
    ]);
    // Nothing of the refused file is written.
    expect(outputs['decp.json'] ?? '').toBe('');
  });

  it('refuses a document holding what the national format does not, naming it, rather than publish less than it holds', async () => {
    const refused = async (doc: unknown) => (await standardizeDecp(JSON.stringify(doc))).report.issues;
    expect(await refused({ marches: { marche: [MARCHE], 'contrats-concession': [CONCESSION] } })).toEqual([
      expect.objectContaining({ code: 'invalid-json-shape', message: expect.stringContaining('la liste « contrats-concession » de « marches »') }),
    ]);
    expect((await refused({ marches: { marche: [MARCHE] }, 'contrat-concession': [CONCESSION] }))[0].message).toContain('« contrat-concession » est hors de « marches »');
    expect((await refused({ marches: { marche: [{ ...MARCHE, montantHT: 1 }, 'x'] } }))[0].message).toMatch(
      /l’élément n° 2 de « marche » n’est pas un objet \(un contrat\) ; la propriété « montantHT » \(contrat n° 1 de « marche »\) n’existe pas dans le format DECP/,
    );
    expect((await refused({ marches: { 'contrat-concession': [{ ...CONCESSION, titulaires: MARCHE.titulaires }] } }))[0].message).toContain(
      'la propriété « titulaires » (contrat n° 1 de « contrat-concession ») est propre aux marchés',
    );
  });

  it('wants each history item wrapped as the national format does, no code or party twice, and refuses what an object holds beyond the format', async () => {
    const modification = { modification: { id: 1, dureeMois: 8, dateNotificationModification: '2024-06-01', datePublicationDonneesModification: '2024-06-03' } };
    const good = await standardizeDecp(JSON.stringify({ marches: { marche: [{ ...MARCHE, modifications: [modification] }] } }));
    expect(issuesOf(good.report)).toEqual([]);
    expect(JSON.parse(good.outputs['decp.json']).marches.marche[0].modifications).toEqual([modification]);
    const bad = await standardizeDecp(
      JSON.stringify({
        marches: {
          marche: [
            { ...MARCHE, modifications: [modification.modification] },
            { ...MARCHE, id: '2024-M-002', techniques: { technique: ['Concours', 'Concours'] } },
            { ...MARCHE, id: '2024-M-003', titulaires: [MARCHE.titulaires[0], MARCHE.titulaires[0]] },
          ],
        },
      }),
    );
    expect(issuesOf(bad.report)).toEqual(['decp-json-column@2:modifications', 'decp-duplicate-item@3:techniques', 'decp-duplicate-item@4:titulaires.id']);
    // An empty history is none.
    const empty = await standardizeDecp(JSON.stringify({ marches: { marche: [{ ...MARCHE, modifications: [] }] } }));
    expect(issuesOf(empty.report)).toEqual([]);
    expect(JSON.parse(empty.outputs['decp.json']).marches.marche[0]).not.toHaveProperty('modifications');
    const nested = await standardizeDecp(JSON.stringify({ marches: { marche: [{ ...MARCHE, acheteur: { id: MARCHE.acheteur.id, nom: 'Commune' }, titulaires: [{ titulaire: { ...MARCHE.titulaires[0].titulaire, denominationSociale: 'SARL' } }] }] } }));
    expect(nested.report.issues[0].message).toContain('la propriété « acheteur.nom » (contrat n° 1 de « marche ») n’existe pas dans le format DECP ; la propriété « titulaires.titulaire.denominationSociale »');
  });

  it('checks each history item as the national format describes it (required properties, ids, ISO days, amounts, no item twice): decp.json is published as given', async () => {
    const modification = { id: 1, dateNotificationModification: '2024-06-01', datePublicationDonneesModification: '2024-06-03' };
    const marche = (modifications: unknown) => JSON.stringify({ marches: { marche: [{ ...MARCHE, modifications }] } });
    const cases: [unknown, string][] = [
      [[{ modification: { montant: 1234.56 } }], 'il manque à la modification n° 1 les propriétés « id », « datePublicationDonneesModification », « dateNotificationModification »'],
      [[{ modification: { ...modification, id: '1' } }], '« id » (la modification n° 1) doit être un nombre entier à partir de 1'],
      [[{ modification: { ...modification, dateNotificationModification: '01/06/2024' } }], 'date AAAA-MM-JJ'],
      [[{ modification: { ...modification, montant: '1 234,56' } }], 'doit être un nombre d’au moins 1'],
      [[{ modification }, { modification: { datePublicationDonneesModification: '2024-06-03', dateNotificationModification: '2024-06-01', id: 1 } }], 'la modification n° 2 figure deux fois'],
      [[{ modification: { ...modification, titulaires: [] } }], 'au moins 1 élément'],
    ];
    for (const [modifications, message] of cases) {
      const { report } = await standardizeDecp(marche(modifications));
      expect(issuesOf(report)).toEqual(['decp-json-column@2:modifications']);
      expect(report.issues[0].message).toContain(message);
    }
    const good = await standardizeDecp(marche([{ modification: { ...modification, montant: 12000, titulaires: MARCHE.titulaires } }]));
    expect(issuesOf(good.report)).toEqual([]);
    // No stricter than the format: a day with its time or zone (its pattern is not anchored), an empty text.
    const lenient = await standardizeDecp(marche([{ modification: { ...modification, dateNotificationModification: '2022-10-18+02:00', titulaires: [{ titulaire: { typeIdentifiant: 'TVA', id: '' } }] } }]));
    expect(issuesOf(lenient.report)).toEqual([]);
  });

  it('a social consideration of the other kind of contract, and a party without an id, are refused (the national format would not take them)', async () => {
    const reserved = await standardizeDecp(JSON.stringify({ marches: { marche: [{ ...MARCHE, considerationsSociales: { considerationSociale: ['Concession réservée'] } }] } }));
    expect(issuesOf(reserved.report)).toEqual(['decp-kind-value@2:considerationsSociales']);
    const noId = await standardizeDecp(
      JSON.stringify({ marches: { marche: [{ ...MARCHE, titulaires: [MARCHE.titulaires[0], { titulaire: { typeIdentifiant: 'TVA' } }] }] } }),
    );
    expect(issuesOf(noId.report)).toContain('decp-party-id-missing@2:titulaires.id');
  });

  it('reads a list typed with spaces around « | », and checks a titulaire’s SIRET', async () => {
    const csv = flatCsv([MARCHE, { ...MARCHE, id: '2024-M-002' }, { ...MARCHE, id: '2024-M-003' }], (_, rows) => {
      rows[0][columns.indexOf('considerationsSociales')] = 'Clause sociale | Critère social';
      rows[1][columns.indexOf('titulaires.id')] = '552 045 999 00869';
      rows[2][columns.indexOf('titulaires.id')] = '12345';
    });
    const { report } = await standardizeDecp(csv);
    expect(issuesOf(report)).toEqual(['decp-party-siret@3:titulaires.id', 'decp-party-siret@4:titulaires.id']);
    expect(report.issues.map((i) => i.message)).toEqual([
      'Le SIRET « 552 045 999 00869 » s’écrit sans espace ni point : 55204599900869.',
      '« 12345 » n’est pas un numéro SIRET valide (14 chiffres dont le dernier est une clé de contrôle) : vérifiez-le sur annuaire-entreprises.data.gouv.fr.',
    ]);
    const spaced = await standardizeDecp(flatCsv([MARCHE], (_, rows) => void (rows[0][columns.indexOf('considerationsSociales')] = 'Clause sociale | Critère social')));
    expect(issuesOf(spaced.report)).toEqual([]);
    expect(spaced.outputs['data.csv']).toContain(',Clause sociale|Critère social,');
  });

  it('reads a date written with its time zone (2024-03-01+01:00) as its day', async () => {
    const { report, outputs } = await standardizeDecp(JSON.stringify({ marches: { marche: [{ ...MARCHE, dateNotification: '2024-03-01+01:00', datePublicationDonnees: '2024-03-05Z' }] } }));
    expect(issuesOf(report)).toEqual([]);
    expect(JSON.parse(outputs['decp.json']).marches.marche[0]).toMatchObject({ dateNotification: '2024-03-01', datePublicationDonnees: '2024-03-05' });
  });
});
