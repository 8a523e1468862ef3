/**
 * The report a publisher reads: each problem once per column and value, with the rows it
 * occurs on, under what the schema says of the column and a valid example.
 */
import { compileSchema } from '../../../functions/domain/schema/compile';
import { builtinSchemas } from '../../../functions/domain/schemas/registry';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import { CODE_HELP, renderReportHtml, rowRanges } from '../../../functions/domain/standardize/report-html';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { schemaOf } from '../schema/helpers';
import { chunked } from './helpers';

/** The page's text, one table row or heading per line. */
function text(html: string): string {
  return html
    .replace(/<style.*?<\/style>/s, '')
    .replace(/<\/(tr|h\d|p)>/g, '\n')
    .replace(/<\/t[dh]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function reportOf(csv: string): Promise<Report> {
  const { report } = await standardizeTable(chunked(Buffer.from(csv, 'utf8')), {
    schema: subventions,
    sinks: () => ({ write: () => undefined, end: async () => undefined, abort: async () => undefined }),
  });
  return report;
}

const HEADER =
  'nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;rnaBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;notificationUE;pourcentageSubvention;dispositifAide';
const row = (siret: string, rna: string, pct: string) =>
  `Ville;${siret};2024-01-15;D-1;Asso;;${rna};Objet;1000;aide en numéraire;unique;2024-02-01;;non;${pct};`;

describe('rowRanges', () => {
  it('writes runs of rows as ranges, and how many more past the cap', () => {
    expect(rowRanges([7])).toBe('7');
    expect(rowRanges([2, 3])).toBe('2, 3');
    expect(rowRanges([5, 2, 3, 4, 9, 12, 13, 14, 4])).toBe('2 à 5, 9, 12 à 14');
    expect(rowRanges([1, 3, 5, 7, 9, 10], 3)).toBe('1, 3, 5 et 3 autres');
    expect(rowRanges([1, 3, 5, 7], 3)).toBe('1, 3, 5 et 1 autre');
  });
});

describe('validation report page', () => {
  it('groups the same problem with the same value down a column, under the column help', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 30; i++) lines.push(row('21860194600000', i === 4 ? 'W3222' : 'W751212517', i < 3 ? '80' : '0.5'));
    const report = await reportOf(lines.join('\n'));
    expect(report.valid).toBe(false);
    expect(report.codes).toEqual({ siret: 30, pattern: 1, maximum: 3 });
    // Help for the columns named in the detail, with examples that pass their own checks.
    expect(Object.keys(report.columns ?? {}).sort()).toEqual(['idAttribuant', 'pourcentageSubvention', 'rnaBeneficiaire']);
    expect(report.columns?.rnaBeneficiaire).toMatchObject({ title: expect.any(String), example: expect.stringMatching(/^W\d{9}$/) });

    const page = text(renderReportHtml(report, 'subventions.csv'));
    const siretLines = page.split('\n').filter((l) => l.includes('21860194600000'));
    expect(siretLines).toHaveLength(1);
    expect(siretLines[0]).toContain('lignes 2 à 31 (30 lignes)');
    expect(page).toMatch(/lignes 2 à 4 \(3 lignes\) \| maximum/);
    expect(page).toMatch(/À corriger \| W3222 \| .*par exemple « W\d{9} »\. \| ligne 6 \| pattern/);
    expect(page).toContain(`Exemple de valeur attendue : ${report.columns!.idAttribuant.example}`);
    // Every code present has a meaning.
    for (const code of Object.keys(report.codes)) expect(page).toMatch(new RegExp(`\\n?${code} \\| \\S+`));
  });

  it('says where the employee finds each column: the file’s own heading and its letter', async () => {
    const header = HEADER.replace('idAttribuant', 'SIRET collectivité').replace('pourcentageSubvention', 'Taux');
    const report = await reportOf([header, row('21860194600000', 'W751212517', '0.5')].join('\n'));
    expect(report.columns?.idAttribuant).toMatchObject({ column: 'B', heading: 'SIRET collectivité' });
    const page = text(renderReportHtml(report, 'subventions.csv'));
    expect(page).toContain('Dans le fichier : « SIRET collectivité », colonne B.');
  });

  it('points a rejected file to the schema’s template, a valid one not', async () => {
    const rejected = await reportOf([HEADER, row('21860194600000', 'W751212517', '0.5')].join('\n'));
    expect(renderReportHtml(rejected, 'subventions.csv')).toContain(
      '<a href="/v1/catalog/templates/scdl/subventions.xlsx?version=2.1.1">téléchargez le modèle à remplir (.xlsx)</a>',
    );
    const valid = await reportOf([HEADER, row('21310458100011', 'W751212517', '0.5')].join('\n'));
    expect(valid.valid).toBe(true);
    expect(renderReportHtml(valid, 'subventions.csv')).not.toContain('modèle à remplir');
  });

  it('gives the template link absolute when the API’s address is known, and none for an empty or header-only file', async () => {
    const rejected = await reportOf([HEADER, row('21860194600000', 'W751212517', '0.5')].join('\n'));
    expect(renderReportHtml(rejected, 'subventions.csv', { apiBase: 'https://api.socle.example' })).toContain(
      'href="https://api.socle.example/v1/catalog/templates/scdl/subventions.xlsx?version=2.1.1"',
    );
    const headerOnly = await reportOf(HEADER);
    expect(headerOnly.codes).toEqual({ 'header-only': 1 });
    expect(renderReportHtml(headerOnly, 'modele.csv')).not.toContain('modèle à remplir');
  });

  it('says which version the upload is and whether it is online: a duplicate publishes nothing new', async () => {
    const valid = await reportOf([HEADER, row('21310458100011', 'W751212517', '0.5')].join('\n'));
    expect(text(renderReportHtml(valid, 's.csv', { upload: { status: 'published', version: 3, current: true } }))).toContain('Publié comme version 3, en ligne.');
    expect(text(renderReportHtml(valid, 's.csv', { upload: { status: 'duplicate', version: 1, current: true } }))).toContain(
      'Ce fichier est identique à la version 1, déjà publiée et en ligne : aucune nouvelle version n’a été créée.',
    );
    const notice = 'Ce fichier est identique à la version 1, déjà publiée : aucune nouvelle version n’a été créée, et la version en ligne reste la version 4.';
    expect(text(renderReportHtml(valid, 's.csv', { upload: { status: 'duplicate', version: 1, current: false, notice } }))).toContain(notice);
  });

  it('shows « (vide) » for an empty cell only, not for an issue that has no value (coordinates that disagree)', () => {
    const report = {
      valid: true,
      summary: 'Fichier conforme.',
      schema: null,
      file: { format: 'csv', bytes: 1 },
      rowCount: 2,
      errorCount: 0,
      warningCount: 2,
      truncated: false,
      codes: { 'bal-longlat-xy-mismatch': 1, required: 1 },
      issues: [
        { code: 'bal-longlat-xy-mismatch', severity: 'warning', row: 2, column: 'x', message: 'Les coordonnées x/y et long/lat désignent des points distants.' },
        { code: 'required', severity: 'warning', row: 3, column: 'x', message: 'Cellule vide.' },
      ],
    } as unknown as Report;
    const page = text(renderReportHtml(report, 'bal.csv'));
    expect(page).toMatch(/Pour information \|  \| Les coordonnées/);
    expect(page).toMatch(/Pour information \| \(vide\) \| Cellule vide\./);
  });

  it('says what its row numbers count: the lines of a CSV, the items of a JSON, the contracts of a DECP document', () => {
    const report = (format: string, schema: string | null) =>
      ({
        valid: false,
        summary: '',
        schema: schema ? { id: schema } : null,
        file: { format, bytes: 1 },
        rowCount: 1,
        errorCount: 1,
        warningCount: 0,
        truncated: false,
        codes: { required: 1 },
        issues: [{ code: 'required', severity: 'error', row: 2, column: 'objet', message: 'Cellule vide.' }],
      }) as unknown as Report;
    expect(text(renderReportHtml(report('csv', null), 'a.csv'))).toContain('tels qu’un tableur les affiche');
    expect(text(renderReportHtml(report('json', null), 'a.json'))).toContain('la « ligne » 2 est le premier élément de son tableau');
    expect(text(renderReportHtml(report('json', 'decp'), 'decp.json'))).toContain('la « ligne » 2 est son premier contrat');
  });

  it('lists file-level and header problems apart, and explains an unknown code by its first message', () => {
    const report: Report = {
      valid: false,
      schema: { id: 'bal', version: '1.4' },
      file: { format: 'csv', encoding: 'utf-8', delimiter: ';', bytes: 10 },
      rowCount: 2,
      errorCount: 2,
      warningCount: 1,
      codes: { 'missing-column': 1, 'custom-check': 1, 'extra-column': 1 },
      issues: [
        { code: 'missing-column', severity: 'error', row: 1, column: 'voie_nom', message: 'La colonne obligatoire « voie_nom » est absente.' },
        { code: 'extra-column', severity: 'warning', row: 1, column: 'note', message: 'La colonne « note » ne fait pas partie du schéma : elle sera ignorée.' },
        { code: 'custom-check', severity: 'error', message: 'Le fichier contient les adresses de 2 communes.' },
      ],
      truncated: false,
      summary: 'Fichier refusé : 2 erreurs à corriger sur 2 lignes.',
    };
    const page = text(renderReportHtml(report, 'bal.csv'));
    expect(page).toContain('Problèmes sur l’ensemble du fichier');
    expect(page).not.toContain('colonne par colonne');
    expect(page).toContain('custom-check | par exemple : Le fichier contient les adresses de 2 communes. | 1');
    expect(page).toContain('missing-column | colonne du schéma absente (obligatoire : à ajouter ; recommandée : le fichier est accepté sans elle) | 1');
  });

  it('says when the detail is cut', () => {
    const issues = Array.from({ length: 3 }, (_, i) => ({ code: 'required', severity: 'error' as const, row: i + 2, column: 'montant', message: 'manquant' }));
    const report: Report = {
      valid: false,
      schema: null,
      file: { bytes: 1 },
      rowCount: 5000,
      errorCount: 5000,
      warningCount: 0,
      codes: { required: 5000 },
      issues,
      truncated: true,
      summary: '…',
    };
    const page = text(renderReportHtml(report, 'x.csv'));
    expect(page).toContain('les 3 premiers problèmes sur 5\u202f000');
    expect(page).toContain('lignes 2 à 4 (3 lignes)');
    // The column's count is the detail's, and says so.
    expect(page).toContain('(3 erreurs dans le détail)');
  });
});

describe('column help', () => {
  it('gives title, description and an example only when the example passes the field', () => {
    const schema = compileSchema(
      schemaOf([
        { name: 'code', title: 'Code', description: 'Le code.', type: 'string', example: 'A12', constraints: { pattern: '^[A-Z]\\d{2}$' } },
        { name: 'faux', type: 'string', example: 'abc', constraints: { pattern: '^\\d+$' } },
        { name: 'n', type: 'integer', example: 'douze' },
      ]),
    );
    expect(schema.help('code')).toEqual({ title: 'Code', description: 'Le code.', example: 'A12' });
    expect(schema.help('faux')).toEqual({});
    expect(schema.help('n')).toEqual({});
    expect(schema.help('absent')).toBeUndefined();
  });

  it('keeps every example of the built-in schemas: each passes its own field', () => {
    const dropped: string[] = [];
    let kept = 0;
    for (const d of builtinSchemas) {
      const schema = compileSchema(d);
      for (const f of d.fields) {
        if (f.example === undefined) continue;
        if (schema.help(f.name)?.example === String(f.example).trim()) kept++;
        else dropped.push(`${d.id}@${d.version} ${f.name}: ${f.example}`);
      }
    }
    expect(dropped).toEqual([]);
    expect(kept).toBeGreaterThan(150);
  });
});

describe('a total line at the end of a spreadsheet', () => {
  it('is skipped with a warning instead of an error per empty column; a real record named Total is kept', async () => {
    const lines = [HEADER, row('21860194600013', 'W751212517', '0.5'), row('21860194600013', 'W751212517', '0.5')];
    const total = ';;;;;;;;2000;;;;;;;';
    const report = await reportOf([...lines, 'TOTAL' + total, ';Total général;;;;;;;2000;;;;;;;'].join('\n'));
    expect(report.valid).toBe(true);
    expect(report.rowCount).toBe(2);
    expect(report.summary).toContain('2 lignes publiées');
    expect(report.issues).toEqual([
      expect.objectContaining({ code: 'total-row', severity: 'warning', row: 4, value: 'TOTAL' }),
      expect.objectContaining({ code: 'total-row', severity: 'warning', row: 5, value: 'Total général' }),
    ]);
    const named = await reportOf([HEADER, row('21860194600013', 'W751212517', '0.5').replace('Ville;', 'Total SA;')].join('\n'));
    expect(named).toMatchObject({ valid: true, warningCount: 0 });
    // A record of a company named Total, incomplete, is an error to fix, not a total line.
    const incomplete = await reportOf([HEADER, 'Total Energies' + total].join('\n'));
    expect(incomplete.valid).toBe(false);
    expect(incomplete.codes).not.toHaveProperty('total-row');
  });
});

describe('a section heading or a note among the rows', () => {
  it('is skipped with one warning naming it, instead of an error per empty column; a record missing one value still is an error', async () => {
    const record = row('21860194600013', 'W751212517', '0.5');
    const report = await reportOf([HEADER, 'ASSOCIATIONS SPORTIVES', record, ';;;;;;;;;;;;;;;', '* Montants sous réserve du vote du budget supplémentaire;;;', record].join('\n'));
    expect(report.valid).toBe(true);
    expect(report.rowCount).toBe(2);
    expect(report.issues.map((i) => `${i.code}@${i.row}`)).toEqual(['note-row@2', 'note-row@5', 'blank-row@undefined']);
    expect(report.issues[0].message).toBe(
      'La ligne 2 ne remplit qu’une cellule (« ASSOCIATIONS SPORTIVES ») : lue comme un intertitre ou une note sous le tableau, elle n’est pas publiée. Si c’est un enregistrement, complétez-la ; sinon, supprimez-la pour ne plus voir ce message.',
    );
    const missingOne = await reportOf([HEADER, record.replace(';Objet;', ';;')].join('\n'));
    expect(missingOne.valid).toBe(false);
    expect(missingOne.codes).not.toHaveProperty('note-row');
  });
});

describe('a file that cannot be read', () => {
  it('still says what it was', async () => {
    const { report } = await standardizeTable(chunked(Buffer.from('nom;montant\r\n')), {
      schema: null,
      sinks: () => ({ write: () => undefined, end: async () => undefined, abort: async () => undefined }),
    });
    expect(report.codes).toEqual({ 'header-only': 1 });
    expect(report.file.format).toBe('csv');
    expect(text(renderReportHtml(report, 'x.csv'))).toContain('Fichier : CSV, 0 ligne lue.');
  });
});

describe('a file sent to the wrong dataset', () => {
  it('is refused for its missing columns, with a warning naming the dataset its columns are of; the page lists errors first', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const delib = readFileSync(path.join(__dirname, '../../fixtures/publish/deliberations.csv'));
    const { report } = await standardizeTable(chunked(delib), {
      schema: subventions,
      sinks: () => ({ write: () => undefined, end: async () => undefined, abort: async () => undefined }),
    });
    expect(report.valid).toBe(false);
    expect(report.issues.find((i) => i.code === 'wrong-dataset')?.message).toBe(
      'Les colonnes de ce fichier sont celles d’un jeu « Délibérations » (schéma scdl/deliberations : 17 colonnes reconnues sur 17), et non « Subventions » : l’avez-vous déposé dans le bon jeu de données ?',
    );
    const page = text(renderReportHtml(report, 'deliberations.csv'));
    const fileWide = page.slice(page.indexOf('Problèmes sur l’ensemble du fichier'), page.indexOf('Problèmes par type'));
    const lines = fileWide.split('\n').filter((l) => /^(À corriger|Pour information) \|/.test(l));
    const severities = lines.map((l) => l.split(' |')[0]);
    expect(severities).toEqual([...severities].sort((a, b) => (a === b ? 0 : a === 'À corriger' ? -1 : 1)));
    expect(severities[0]).toBe('À corriger');
    expect(severities).toContain('Pour information');
  });

  it('gets no such warning when its columns are of no other dataset (a column missing from a subventions file)', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const missing = readFileSync(path.join(__dirname, '../../fixtures/publish/subventions-missing-column.csv'));
    const { report } = await standardizeTable(chunked(missing), {
      schema: subventions,
      sinks: () => ({ write: () => undefined, end: async () => undefined, abort: async () => undefined }),
    });
    expect(Object.keys(report.codes)).toEqual(['missing-column']);
  });
});

describe('the table of codes', () => {
  it('explains every BAL code in French, not by its first message', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(__dirname, '../../../functions/domain/schemas/bal');
    const codes = new Set<string>();
    for (const f of readdirSync(dir)) for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/'(bal-[a-z0-9-]+)'/g)) codes.add(m[1]);
    expect(codes.size).toBeGreaterThan(30);
    expect([...codes].filter((c) => !CODE_HELP[c])).toEqual([]);
  });
});
