/**
 * Rows hidden in a workbook (masked, or filtered out) are read as a CSV export writes them,
 * with one `hidden-rows` warning naming the data rows hidden. Calc's own files are in
 * office-files.test.ts; these are the cases it does not make headless: Excel's `hidden="1"`,
 * a filter in .ods, a repeated hidden row, a hidden row above the header.
 */
import { ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { readAll } from './helpers';

const hiddenRows = (issues: { code: string }[]) => issues.filter((i) => i.code === 'hidden-rows');

describe('rows hidden in a workbook', () => {
  it('xlsx: a hidden row is read, and named; a hidden row above the header is not', async () => {
    const bytes = xlsxBook([{ name: 'F', rows: [['Liste des subventions'], [], ['nom', 'montant'], ['A', 1], ['B', 2], ['C', 3]], hiddenRows: [1, 5] }]);
    const { rows, issues } = await readAll(bytes);
    expect(rows.map((r) => r.cells)).toEqual([['A', '1'], ['B', '2'], ['C', '3']]);
    expect(hiddenRows(issues)).toEqual([
      {
        code: 'hidden-rows',
        severity: 'warning',
        row: 5,
        message:
          'La ligne 5 est masquée dans le classeur (ou cachée par un filtre) : elle est lue comme les autres, et publiée avec elles. Masquer une ligne ne la retire pas du fichier : si elle ne doit pas être publiée, supprimez-la avant de déposer le fichier.',
      },
    ]);
  });

  it('ods: rows filtered out, one of them repeated, are each counted; five are named, the others counted', async () => {
    const row = (cells: string, visibility?: string, repeat = 1): string =>
      `<table:table-row${visibility ? ` table:visibility="${visibility}"` : ''}${repeat > 1 ? ` table:number-rows-repeated="${repeat}"` : ''}>${cells}</table:table-row>`;
    const rows =
      row(ods.text('nom') + ods.text('montant')) +
      row(ods.text('A') + ods.text('1'), 'filter', 6) +
      row(ods.text('B') + ods.text('2')) +
      row(ods.text('C') + ods.text('3'), 'collapse');
    const { rows: read, issues } = await readAll(odsBook([{ name: 'F', rows }]));
    expect(read).toHaveLength(8);
    expect(hiddenRows(issues)).toMatchObject([{ row: 2, message: expect.stringMatching(/^Les lignes 2, 3, 4, 5, 6 et 2 autres sont masquées/) }]);
  });

  it('says nothing when no row is hidden', async () => {
    const { issues } = await readAll(xlsxBook([{ name: 'F', rows: [['nom'], ['A']] }]));
    expect(hiddenRows(issues)).toEqual([]);
  });
});
