/**
 * Rows hidden in a workbook (masked, or filtered out) are read as a CSV export writes them,
 * with one `hidden-rows` warning naming the data rows hidden; hidden columns of the schema
 * holding values get one `hidden-columns` warning. Calc's own files are in
 * office-files.test.ts; these are the cases it does not make headless: Excel's `hidden="1"`,
 * a filter in .ods, a repeated hidden row, a hidden row above the header, column ranges.
 */
import { ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { chunked, readAll } from './helpers';

/** What standardizing says of hidden rows (the warning comes from the pipeline, which knows a total line from a record). */
async function hiddenRows(bytes: Buffer, schema: TableSchemaDescriptor | null = null) {
  const { report } = await standardizeTable(chunked(bytes), {
    schema,
    sinks: () => ({ write: async () => undefined, end: async () => undefined, abort: async () => undefined }),
  });
  return report.issues.filter((i) => i.code === 'hidden-rows');
}

describe('rows hidden in a workbook', () => {
  it('xlsx: a hidden row is read, and named; a hidden row above the header is not', async () => {
    const bytes = xlsxBook([{ name: 'F', rows: [['Liste des subventions'], [], ['nom', 'montant'], ['A', 1], ['B', 2], ['C', 3]], hiddenRows: [1, 5] }]);
    const { rows } = await readAll(bytes);
    expect(rows.map((r) => r.cells)).toEqual([['A', '1'], ['B', '2'], ['C', '3']]);
    expect(await hiddenRows(bytes)).toEqual([
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
    const bytes = odsBook([{ name: 'F', rows }]);
    expect((await readAll(bytes)).rows).toHaveLength(8);
    expect(await hiddenRows(bytes)).toMatchObject([{ row: 2, message: expect.stringMatching(/^Les lignes 2, 3, 4, 5, 6 et 2 autres sont masquées/) }]);
  });

  it('a hidden total line is skipped as a total, not named as published', async () => {
    const schema: TableSchemaDescriptor = {
      id: 'test/total',
      version: '1.0.0',
      title: 'Total',
      fields: [
        { name: 'nom', type: 'string', constraints: { required: true } },
        { name: 'code', type: 'string', constraints: { required: true } },
        { name: 'montant', type: 'number' },
      ],
    };
    const bytes = xlsxBook([{ name: 'F', rows: [['nom', 'code', 'montant'], ['A', 'x', 1], ['B', 'y', 2], ['TOTAL', '', 3]], hiddenRows: [4] }]);
    expect(await hiddenRows(bytes, schema)).toEqual([]);
  });

  it('says nothing when no row is hidden', async () => {
    expect(await hiddenRows(xlsxBook([{ name: 'F', rows: [['nom'], ['A']] }]))).toEqual([]);
  });
});

describe('columns hidden in a workbook', () => {
  const schema: TableSchemaDescriptor = {
    id: 'test/colonnes',
    version: '1.0.0',
    title: 'Colonnes',
    fields: ['nom', 'montant', 'commentaire', 'code'].map((name) => ({ name, type: 'string' as const })),
  };
  const said = async (bytes: Buffer) => {
    const { report } = await standardizeTable(chunked(bytes), {
      schema,
      sinks: () => ({ write: async () => undefined, end: async () => undefined, abort: async () => undefined }),
    });
    return report.issues.filter((i) => i.code === 'hidden-columns').map((i) => i.message);
  };
  const rows = [['Titre'], ['nom', 'interne', 'montant', 'commentaire', 'code'], ['A', 'x', '1', 'à revoir', ''], ['B', 'y', '2', '', '']];

  it('xlsx: a range of hidden columns; only those of the schema that hold values are named', async () => {
    // B (not in the schema), C:E hidden; E (code) is empty.
    expect(await said(xlsxBook([{ name: 'F', rows, hiddenColumns: [[2, 2], [3, 5]] }]))).toEqual([
      'Les colonnes « montant » (colonne C) et « commentaire » (colonne D) sont masquées dans le classeur, mais elles font partie du schéma : leurs valeurs sont lues et publiées comme les autres. Masquer une colonne ne la retire pas du fichier : vérifiez que leurs valeurs peuvent être publiées.',
    ]);
    expect(await said(xlsxBook([{ name: 'F', rows }]))).toEqual([]);
  });

  it('ods: columns hidden by a repeated column definition', async () => {
    const table =
      '<table:table-column/><table:table-column table:visibility="collapse" table:number-columns-repeated="2"/><table:table-column/>' +
      rows.map((r) => ods.row(r.map((c) => (c ? ods.text(c) : ods.empty())).join(''))).join('');
    expect(await said(odsBook([{ name: 'F', rows: table }]))).toEqual([
      'La colonne « montant » (colonne C) est masquée dans le classeur, mais elle fait partie du schéma : ses valeurs sont lues et publiées comme les autres. Masquer une colonne ne la retire pas du fichier : vérifiez que ses valeurs peuvent être publiées.',
    ]);
  });
});
