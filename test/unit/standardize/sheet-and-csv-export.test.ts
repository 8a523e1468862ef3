/**
 * A sheet and its CSV export (as office software writes it: the sheet's used range, a quoted
 * line break inside its cell) get the same report: the same row numbers, the same header
 * under a title block, and a note typed beside the table ignored with a warning either way.
 */
import * as XLSX from 'xlsx';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from './helpers';

const FIELDS = subventions.fields.map((f) => f.name);
const RECORD = ['Ville', '21860194600013', '2024-01-15', 'D-1', 'Asso', '', 'W751212517', 'Objet', '1000', 'aide en numéraire', 'unique', '2024-02-01', '', 'non', '0.5', ''];
const idBeneficiaire = FIELDS.indexOf('idBeneficiaire');
const objet = FIELDS.indexOf('objet');
/** A SIRET whose key is wrong: an error on its row. */
const BAD_SIRET = '77568501900013';

type Format = 'xlsx' | 'ods' | 'csv';
const FORMATS: Format[] = ['xlsx', 'ods', 'csv'];

/** The sheet in `format`; `csv` is the sheet's export (UTF-8, `,`, every row as wide as the used range). */
function file(format: Format, rows: (string | undefined)[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Subventions');
  return XLSX.write(wb, { type: 'buffer', bookType: format }) as Buffer;
}

async function reportOf(bytes: Buffer): Promise<Report> {
  const sink = { write: () => undefined, end: async () => undefined, abort: async () => undefined };
  return (await standardizeTable(chunked(bytes), { schema: subventions, sinks: () => sink })).report;
}

const record = (changes: Record<number, string> = {}): string[] => RECORD.map((v, i) => changes[i] ?? v);

describe('a sheet and its CSV export', () => {
  it.each(FORMATS)('%s: rows are numbered as the sheet shows them, a line break inside a cell and a blank row included', async (format) => {
    const rows = [FIELDS, record({ [objet]: 'Festival\n2e édition' }), [], record(), record({ [idBeneficiaire]: BAD_SIRET }), record({ [objet]: 'a\r\nb\r\nc' }), record({ [idBeneficiaire]: BAD_SIRET })];
    const report = await reportOf(file(format, rows));
    expect(report.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.row])).toEqual([
      ['siret', 5],
      ['siret', 7],
    ]);
  });

  it.each(FORMATS)('%s: a title block of four cells above the header (« Collectivité : | Commune | Exercice : | 2024 »)', async (format) => {
    const report = await reportOf(file(format, [['Collectivité :', 'Commune de Saint-Ébréché', 'Exercice :', '2024'], [], FIELDS, record(), record()]));
    expect(report).toMatchObject({ valid: true, rowCount: 2, codes: { 'title-rows': 1 } });
    // Row 2 is empty: not a title.
    expect(report.issues.find((i) => i.code === 'title-rows')?.message).toContain('La ligne 1 est ignorée');
  });

  it.each(['xlsx', 'ods'] as const)('%s: a note typed beside the table is ignored with one warning naming its column by its letter', async (format) => {
    const rows = [FIELDS, record(), [...record(), undefined, 'à vérifier avec la trésorerie'], record()];
    const report = await reportOf(file(format, rows));
    expect(report).toMatchObject({ valid: true, rowCount: 3, errorCount: 0 });
    expect(report.issues).toEqual([
      {
        code: 'extra-column',
        severity: 'warning',
        row: 3,
        column: 'colonne R',
        message: 'La colonne R n’a pas de nom : elle sera ignorée, avec sa valeur en ligne 3, qui ne sera pas publiée.',
      },
    ]);
    // Its CSV export, whose header is as wide as the note: the same verdict.
    const exported = await reportOf(file('csv', rows));
    expect(exported).toMatchObject({ valid: true, rowCount: 3, errorCount: 0 });
    expect(exported.issues.map((i) => i.message)).toEqual(['La colonne n° 17 n’a pas de nom : elle sera ignorée.', 'La colonne n° 18 n’a pas de nom : elle sera ignorée.']);
  });

  it('xlsx: the rows a column beside the table has values on are listed up to five, the others counted', async () => {
    const rows = [FIELDS, ...Array.from({ length: 9 }, (_, i) => [...record(), i % 2 ? undefined : `note ${i}`, i === 3 ? 'vu' : undefined])];
    const report = await reportOf(file('xlsx', rows));
    expect(report.valid).toBe(true);
    expect(report.issues.map((i) => [i.column, i.row, i.message])).toEqual([
      ['colonne Q', 2, 'La colonne Q n’a pas de nom : elle sera ignorée, avec ses valeurs en lignes 2, 4, 6, 8 et 10, qui ne seront pas publiées.'],
      ['colonne R', 5, 'La colonne R n’a pas de nom : elle sera ignorée, avec sa valeur en ligne 5, qui ne sera pas publiée.'],
    ]);
    const more = await reportOf(file('xlsx', [FIELDS, ...Array.from({ length: 8 }, (_, i) => [...record(), `n${i}`])]));
    expect(more.issues.map((i) => i.message)).toEqual(['La colonne Q n’a pas de nom : elle sera ignorée, avec ses valeurs en lignes 2, 3, 4, 5, 6 et 3 autres, qui ne seront pas publiées.']);
  });

  it('CSV: a value past the header that the header does not make room for stays an error (a `;` left unquoted in a value)', async () => {
    const shifted = [FIELDS.join(';'), record().join(';'), record({ [objet]: 'Objet; suite' }).join(';')].join('\r\n');
    const report = await reportOf(Buffer.from(shifted, 'utf8'));
    expect(report.valid).toBe(false);
    expect(report.issues.filter((i) => i.code === 'extra-cell').map((i) => i.row)).toEqual([3]);
  });
});
