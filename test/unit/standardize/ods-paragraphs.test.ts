import { readOds } from '../../../functions/domain/standardize/read/ods';
import { ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { readAll } from './helpers';

const cellText = (inner: string): string => {
  const bytes = odsBook([{ name: 'F', rows: ods.row(ods.text('nom')) + ods.row(ods.raw(inner) + ods.text('fin')) }]);
  return [...readOds(bytes)][1].cells[0];
};

describe('ods: a cell’s text is what LibreOffice shows', () => {
  it('reads an empty paragraph between two as one empty line, not two', () => {
    // sub-blankline.ods: « Festival d’été 2024 », an empty line, then the two parts.
    const inner = '<text:p>Festival d’été 2024</text:p><text:p/><text:p>Volet 1 : concerts</text:p><text:p>Volet 2 : ateliers</text:p>';
    expect(cellText(inner)).toBe('Festival d’été 2024\n\nVolet 1 : concerts\nVolet 2 : ateliers');
  });

  it('reads empty paragraphs first and last as empty lines, written empty or self-closed', () => {
    expect(cellText('<text:p/><text:p>a</text:p><text:p></text:p>')).toBe('\na\n');
  });

  it('reads a cell whose only paragraph is empty as empty', () => {
    expect(cellText('<text:p/>')).toBe('');
    expect(cellText('<text:p></text:p>')).toBe('');
  });

  it('expands text:s, text:tab and text:line-break inside paragraphs', () => {
    expect(cellText('<text:p>A<text:s text:c="3"/>B<text:tab/>C<text:line-break/>D<text:s/></text:p><text:p/>')).toBe('A   B\tC\nD \n');
  });

  it('treats a row whose cells are all empty formula results as blank, as the xlsx of the same sheet', async () => {
    // delib-formulatail.ods: a helper column =SI(M2="";"";…) filled down to row 200.
    const formula = (r: number): string => `table:formula="of:=IF([.A${r}]=&quot;&quot;;&quot;&quot;;&quot;ok&quot;)"`;
    const dataRow = (r: number): string => ods.row(ods.text(`Délibération ${r}`) + ods.text('2024') + ods.raw('<text:p>ok</text:p>', formula(r)));
    const tailRow = (r: number): string => ods.row(ods.empty(2) + ods.raw('<text:p/>', formula(r)));
    const rows = ods.row(ods.text('objet') + ods.text('annee') + ods.text('controle')) + dataRow(2) + dataRow(3) + Array.from({ length: 197 }, (_, i) => tailRow(i + 4)).join('');
    const fromOds = await readAll(odsBook([{ name: 'F', rows }]));

    const xlsxRows = [
      ['objet', 'annee', 'controle'],
      ['Délibération 2', '2024', 'ok'],
      ['Délibération 3', '2024', 'ok'],
      ...Array.from({ length: 197 }, () => [undefined, undefined, null]),
    ];
    const fromXlsx = await readAll(xlsxBook([{ name: 'F', rows: xlsxRows }]));

    expect(fromOds.codes).toEqual([]);
    expect(fromOds.rows).toEqual([
      { cells: ['Délibération 2', '2024', 'ok'], row: 2 },
      { cells: ['Délibération 3', '2024', 'ok'], row: 3 },
    ]);
    expect(fromOds.rows).toEqual(fromXlsx.rows);
  });
});
