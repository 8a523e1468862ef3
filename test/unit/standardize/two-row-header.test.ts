/**
 * A header typed on two rows, as office templates group columns: « Votes » over « Pour |
 * Contre | Abstentions », « Identification » over the first columns. The two rows are read
 * together, the data starts after them, and one warning says so; a row of data under the
 * header is never taken for its second row.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { deliberations } from '../../../functions/domain/schemas/builtin/deliberations';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import { bal15 } from '../../../functions/domain/schemas/builtin/bal';
import { balExport } from '../../../bench/generate';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from './helpers';

const FIXTURES = path.join(__dirname, '../../fixtures/publish');
/** The official columns and two records, as the publish fixture has them; its expected data.csv. */
const lines = readFileSync(path.join(FIXTURES, 'deliberations.csv'), 'utf8').replace(/^\uFEFF/, '');
const expected = readFileSync(path.join(FIXTURES, 'deliberations.expected.csv'), 'utf8');
const [, ...body] = lines.split('\r\n');

async function standardize(bytes: Buffer, schema = deliberations): Promise<{ report: Report; csv: string }> {
  const out: Buffer[] = [];
  const { report } = await standardizeTable(chunked(bytes), {
    schema,
    sinks: (name) => ({ write: (c) => void (name === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
  });
  return { report, csv: Buffer.concat(out).toString('utf8') };
}

const HEADINGS = ['COLL_NOM', 'COLL_SIRET', 'DELIB_ID', 'Delib Date', 'DELIB_MATIERE_CODE', 'DELIB_MATIERE_NOM', 'delib_objet', 'BUDGET_ANNEE', 'BUDGET_NOM', 'PREF_ID', 'PREF_DATE', 'VOTE_EFFECTIF', 'VOTE_REEL'];
/** « Votes » typed once over its three columns (a merge across, as a CSV or a merged cell shows it). */
const UPPER = [...HEADINGS, 'Votes', '', '', 'DELIB_URL'];
const LOWER = [...HEADINGS.map(() => ''), 'Pour', 'Contre', 'Abstentions', ''];

const csv = (rows: string[][], rest = body): Buffer => Buffer.from([...rows.map((r) => r.join(';')), ...rest].join('\r\n'), 'utf8');
const twoRowIssues = (report: Report) => report.issues.filter((i) => i.code === 'two-row-header');

describe('a header on two rows', () => {
  it('« Votes » over « Pour | Contre | Abstentions »: read as VOTE_POUR, VOTE_CONTRE, VOTE_ABSTENTION; the data starts on row 3', async () => {
    const { report, csv: out } = await standardize(csv([UPPER, LOWER]));
    expect(report).toMatchObject({ valid: true, rowCount: 3, errorCount: 0 });
    expect(out).toBe(expected);
    expect(twoRowIssues(report)).toEqual([
      {
        code: 'two-row-header',
        severity: 'warning',
        row: 1,
        message:
          'Les noms de colonnes occupent deux lignes (1 et 2) : elles sont lues ensemble (« Votes » au-dessus de « Pour » est lu comme « Votes Pour » ; « Votes » au-dessus de « Contre » est lu comme « Votes Contre » ; « Votes » au-dessus de « Abstentions » est lu comme « Abstentions »), et les données commencent après la ligne 2. ' +
          'Pour ne plus voir ce message, mettez un seul nom par colonne, sur une seule ligne.',
      },
    ]);
  });

  it('an error in the data is reported on its row of the file (after the two header rows)', async () => {
    const bad = body[0].replace(';15/01/2024;', ';31/02/2024;');
    const { report } = await standardize(csv([UPPER, LOWER], [bad, ...body.slice(1)]));
    expect(report.valid).toBe(false);
    expect(report.issues.find((i) => i.severity === 'error')).toMatchObject({ row: 3, column: 'DELIB_DATE' });
  });

  it('a group row above headings that are the schema’s own: the lower row is the header, the groups a title', async () => {
    const groups = ['Collectivité', '', 'Acte', '', '', '', '', 'Budget', '', 'Préfecture', '', 'Votes', '', '', '', '', ''];
    const names = lines.split('\r\n')[0].split(';');
    const { report, csv: out } = await standardize(csv([groups, names]));
    expect(report).toMatchObject({ valid: true, rowCount: 3, errorCount: 0 });
    expect(out).toBe(expected);
    expect(twoRowIssues(report)).toEqual([]);
    expect(report.issues.map((i) => i.code)).toContain('title-rows');
  });

  it('under a title row: the title is skipped, the two rows read together', async () => {
    const { report, csv: out } = await standardize(csv([['Délibérations du conseil municipal 2024'], UPPER, LOWER]));
    expect(report).toMatchObject({ valid: true, rowCount: 3 });
    expect(out).toBe(expected);
    expect(report.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['title-rows', 'two-row-header']));
    expect(twoRowIssues(report)[0]).toMatchObject({ row: 2 });
  });

  it('in a workbook with « Votes » merged across its three columns and the other headings merged down', async () => {
    // The fixture's first record (one line, no quotes).
    const sheet = XLSX.utils.aoa_to_sheet([UPPER, LOWER, body[0].split(';')]);
    sheet['!merges'] = [
      { s: { r: 0, c: 13 }, e: { r: 0, c: 15 } },
      ...HEADINGS.map((_, c) => ({ s: { r: 0, c }, e: { r: 1, c } })),
    ];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, sheet, 'Délibérations');
    const { report, csv: out } = await standardize(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report).toMatchObject({ valid: true, rowCount: 1, errorCount: 0 });
    expect(out).toBe(expected.split('\r\n').slice(0, 2).join('\r\n') + '\r\n');
    expect(twoRowIssues(report)).toHaveLength(1);
  });

  it('a one-row header is left as it is: no warning, the first record is data, even when two of its values name columns', async () => {
    const header = lines.split('\r\n')[0];
    const { report, csv: out } = await standardize(Buffer.from(lines, 'utf8'));
    expect(report).toMatchObject({ valid: true, rowCount: 3, warningCount: expect.any(Number) });
    expect(out).toBe(expected);
    expect(twoRowIssues(report)).toEqual([]);
    // A record whose text cells hold headings (« Contre », « Pour »): still a record.
    const tricky = body[0].replace('Commune de Roques', 'Contre').replace('Budget principal', 'Pour');
    const result = await standardize(Buffer.from([header, tricky, ...body.slice(1)].join('\r\n'), 'utf8'));
    expect(twoRowIssues(result.report)).toEqual([]);
    expect(result.report.rowCount).toBe(3);
  });

  it('a lower heading that names a column another column has is not taken alone: « Préfecture » over « Numéro | Date » beside DELIB_ID and DELIB_DATE', async () => {
    const names = lines.split('\r\n')[0].split(';');
    const upper = names.map((h, i) => (i === 9 ? 'Préfecture' : i === 10 ? '' : i === 13 ? 'Votes' : i === 14 || i === 15 ? '' : h));
    const lower = names.map((_, i) => (i === 9 ? 'Numéro' : i === 10 ? 'Date' : i === 13 ? 'Pour' : i === 14 ? 'Contre' : i === 15 ? 'Abstentions' : ''));
    const { report, csv: out } = await standardize(csv([upper, lower]));
    expect(report).toMatchObject({ valid: true, rowCount: 3, errorCount: 0 });
    // PREF_ID and PREF_DATE published, from « Numéro préfecture » and « Date préfecture » (the two joined, either way round).
    expect(out).toBe(expected);
    expect(twoRowIssues(report)[0].message).toContain('« Préfecture » au-dessus de « Numéro » est lu comme « Numéro Préfecture »');
  });

  it('one heading under two groups (« Nom », « SIRET » under « Attribuant » and « Bénéficiaire »): each group says whose', async () => {
    const top = ['Attribuant', '', 'dateConvention', 'referenceDecision', 'Bénéficiaire', '', '', 'objet', 'montant', 'nature', 'conditionsVersement', 'datesPeriodeVersement', 'notificationUE', 'pourcentageSubvention'];
    const bottom = ['Nom', 'SIRET', '', '', 'Nom', 'SIRET', 'RNA', '', '', '', '', '', '', ''];
    const row = ['Commune de Roques', '21310458100011', '2024-03-15', 'DEL-1', 'Comité des fêtes', '77567227200017', 'W313000123', 'Fête', '1500', 'aide en numéraire', 'unique', '2024-04-01', 'non', '1'];
    const { report, csv: out } = await standardize(csv([top, bottom], [row.join(';')]), subventions);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const [header, published] = out.trimEnd().split('\r\n').map((l) => l.split(','));
    const at = (name: string) => published[header.indexOf(name)];
    expect([at('nomAttribuant'), at('idAttribuant'), at('nomBeneficiaire'), at('idBeneficiaire'), at('rnaBeneficiaire')]).toEqual(['Commune de Roques', '21310458100011', 'Comité des fêtes', '77567227200017', 'W313000123']);
    expect(report.issues.map((i) => i.code)).not.toContain('extra-column');
  });

  it('a lower heading under two groups that one joined reading does not name: never given to the other group\'s field', async () => {
    const names = lines.split('\r\n')[0].split(';');
    // « Séance » and « Préfecture » both over « Date »: « Préfecture Date » is PREF_DATE; « Séance Date » names nothing, and « Date » alone
    // (DELIB_DATE's alias) is under two groups: the column is extra, DELIB_DATE missing, said, rather than guessed.
    const upper = names.map((h, i) => (i === 3 ? 'Séance' : i === 10 ? 'Préfecture' : i === 13 ? 'Votes' : i === 14 || i === 15 ? '' : h));
    const lower = names.map((_, i) => (i === 3 || i === 10 ? 'Date' : i === 13 ? 'Pour' : i === 14 ? 'Contre' : i === 15 ? 'Abstentions' : ''));
    const { report } = await standardize(csv([upper, lower]));
    expect(twoRowIssues(report)[0].message).toContain('« Préfecture » au-dessus de « Date » est lu comme « Date Préfecture »');
    expect(twoRowIssues(report)[0].message).toContain('« Séance » au-dessus de « Date » est lu comme « Séance Date »');
    expect(report.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.column])).toEqual([['missing-column', 'DELIB_DATE']]);
  });

  it('not in a BAL: the reference validator reads one header line, and so do we (the second row is data)', async () => {
    const [h, ...rows] = balExport(3).toString('utf8').trimEnd().split('\r\n');
    const names = h.split(';');
    const top = names.map((x, i) => (i === 0 ? 'id_ban' : i < 3 ? '' : x));
    const bottom = names.map((_, i) => (i === 0 ? 'commune' : i === 1 ? 'toponyme' : i === 2 ? 'adresse' : ''));
    const { report } = await standardize(Buffer.from([top.join(';'), bottom.join(';'), ...rows].join('\r\n'), 'utf8'), bal15);
    expect(twoRowIssues(report)).toEqual([]);
    expect(report.valid).toBe(false);
    expect(report.issues.some((i) => i.severity === 'error' && i.row === 2)).toBe(true);
  });
});
