/**
 * A column read under another spelling than its field's name is accepted and named in one
 * `header-renamed` warning, whatever the format: the publisher learns what to rename in the
 * export template, and the file stays valid.
 */
import * as XLSX from 'xlsx';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import { renderReportHtml } from '../../../functions/domain/standardize/report-html';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from './helpers';

const FIELDS = subventions.fields.map((f) => f.name);
const RECORD = ['Ville', '21860194600013', '2024-01-15', 'D-1', 'Asso', '', 'W751212517', 'Objet', '1000', 'aide en numéraire', 'unique', '2024-02-01', '', 'non', '0.5', ''];
/** A title of the schema, as it is (another helper may reword it). */
const TITLE = subventions.fields.find((f) => f.name === 'nomBeneficiaire')!.title!;
/** The export of a commune whose template spells three columns its own way (the third by the field's title). */
const HEADER = FIELDS.map((f) => ({ nomAttribuant: 'Nom Attribuant', dateConvention: 'DATE CONVENTION', nomBeneficiaire: TITLE })[f as string] ?? f);
const EXPECTED =
  `3 colonnes ont été reconnues sous un autre nom : « Nom Attribuant » lue comme « nomAttribuant », « DATE CONVENTION » lue comme « dateConvention », « ${TITLE} » lue comme « nomBeneficiaire ». ` +
  'Ce nom est accepté ; pour que les prochains fichiers correspondent exactement au schéma, renommez-les dans votre modèle.';

async function standardize(bytes: Buffer): Promise<{ report: Report; csv: string }> {
  const out: Buffer[] = [];
  const { report } = await standardizeTable(chunked(bytes), {
    schema: subventions,
    sinks: (name) => ({ write: (c) => void (name === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
  });
  return { report, csv: Buffer.concat(out).toString('utf8') };
}

const csv = (header: readonly string[]): Buffer => Buffer.from([header.join(';'), RECORD.join(';'), RECORD.join(';')].join('\r\n'), 'utf8');

function workbook(bookType: 'xlsx' | 'ods', header: readonly string[]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[...header], RECORD, RECORD]), 'Subventions');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}

const json = (header: readonly string[]): Buffer => {
  const record = Object.fromEntries(header.map((h, i) => [h, RECORD[i]]));
  return Buffer.from(JSON.stringify([record, record]), 'utf8');
};

const renamedOf = (report: Report) => report.issues.filter((i) => i.code === 'header-renamed');

describe('columns read under another name', () => {
  it('CSV: one warning on the header naming each of them; the file stays valid and is published under the schema names', async () => {
    const { report, csv: out } = await standardize(csv(HEADER));
    expect(report).toMatchObject({ valid: true, rowCount: 2, errorCount: 0, warningCount: 1, codes: { 'header-renamed': 1 } });
    expect(report.issues).toEqual([{ code: 'header-renamed', severity: 'warning', row: 1, message: EXPECTED }]);
    expect(report.summary).toBe('Fichier conforme : 2 lignes publiées (1 avertissement).');
    expect(out.split('\r\n')[0]).toBe(FIELDS.join(','));
  });

  it('CSV: none for the exact header, with a BOM and spaces around the names or not', async () => {
    expect((await standardize(csv(FIELDS))).report).toMatchObject({ valid: true, warningCount: 0, issues: [] });
    const padded = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(FIELDS.map((f, i) => (i % 2 ? ` ${f} ` : f)))]);
    expect((await standardize(padded)).report).toMatchObject({ valid: true, warningCount: 0, issues: [] });
  });

  it.each(['xlsx', 'ods'] as const)('%s: the same warning; none for the exact header', async (bookType) => {
    const { report } = await standardize(workbook(bookType, HEADER));
    expect(report.file.format).toBe(bookType);
    expect(report).toMatchObject({ valid: true, warningCount: 1 });
    expect(renamedOf(report)).toEqual([{ code: 'header-renamed', severity: 'warning', row: 1, message: EXPECTED }]);
    expect((await standardize(workbook(bookType, FIELDS))).report).toMatchObject({ valid: true, warningCount: 0 });
  });

  it('JSON: keys are the header', async () => {
    const { report } = await standardize(json(HEADER));
    expect(report.file.format).toBe('json');
    expect(report).toMatchObject({ valid: true, warningCount: 1 });
    expect(renamedOf(report)).toEqual([{ code: 'header-renamed', severity: 'warning', row: 1, message: EXPECTED }]);
    expect((await standardize(json(FIELDS))).report).toMatchObject({ valid: true, warningCount: 0 });
  });

  it('next to the other header problems, once, in the report page among the problems of the whole file', async () => {
    const header = [...HEADER.slice(0, -1), 'commentaire'];
    const { report } = await standardize(csv(header));
    expect(report.issues.map((i) => i.code)).toEqual(['extra-column', 'header-renamed']);
    const html = renderReportHtml(report, 'subventions.csv');
    const wide = html.slice(html.indexOf('Problèmes sur l’ensemble du fichier'), html.indexOf('Problèmes par type'));
    expect(wide).toContain('<tr class="warning"><td>Pour information</td><td></td><td>3 colonnes ont été reconnues sous un autre nom');
    expect(html).not.toContain('Détail, colonne par colonne');
    expect(html).toContain('<code>header-renamed</code></td><td>colonnes reconnues sous un autre nom');
  });
  it('under title rows, header problems name the header\'s own row', async () => {
    const titled = Buffer.concat([Buffer.from('Subventions versées en 2024\r\n\r\n', 'utf8'), csv(HEADER.filter((h) => h !== 'objet'))]);
    const { report } = await standardize(titled);
    const rows = Object.fromEntries(report.issues.map((i) => [i.code, i.row]));
    expect(rows).toMatchObject({ 'title-rows': 1, 'missing-column': 3, 'header-renamed': 3 });
  });
});
