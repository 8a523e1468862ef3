/**
 * `12.500` in a CSV is text someone typed: a French amount may be grouped so (12 500), or a
 * decimal written the data-file way (12.5): refused (`decimal-point-ambiguous`). In a workbook or a JSON file the
 * cell holds a number: 12.345 is what it holds, nothing to say.
 */
import * as XLSX from 'xlsx';
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { describeWithReference, readReferenceJson } from '../schemas/reference';
import { ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { buildZip } from '../../fixtures/zip-builder';
import { standardizeInMemory } from './helpers';

const schema: TableSchemaDescriptor = {
  id: 'test/montants',
  version: '1.0.0',
  title: 'Montants',
  fields: [
    { name: 'nom', type: 'string' },
    { name: 'montant', type: 'number' },
  ],
};

async function codes(bytes: Buffer): Promise<string[]> {
  const { result } = await standardizeInMemory(bytes, { schema });
  return result.report.issues.map((i) => `${i.code}@${i.row}`);
}

function xlsx(rows: unknown[][], bookType: XLSX.BookType = 'xlsx'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Feuille1');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}

describe('a number with one dot before three digits', () => {
  it('typed in a CSV is refused, naming both readings', async () => {
    expect(await codes(Buffer.from('nom;montant\r\nClub;12.500\r\nÉcole;12.5\r\n'))).toEqual(['decimal-point-ambiguous@2']);
  });

  it('held by a workbook cell or a JSON number is not', async () => {
    expect(await codes(xlsx([['nom', 'montant'], ['Club', 12.345], ['École', 12.5]]))).toEqual([]);
    expect(await codes(Buffer.from(JSON.stringify([{ nom: 'Club', montant: 12.345 }])))).toEqual([]);
  });

  // A cell formatted as text, or a CSV pasted into a sheet as text: typed, as in a CSV.
  it.each(['xlsx', 'ods', 'biff8'] as const)('typed as text in a workbook (%s) is refused, a number beside it is not', async (bookType) => {
    expect(await codes(xlsx([['nom', 'montant'], ['Club', '12.500'], ['École', 12.345], ['Mairie', '960.000']], bookType))).toEqual(['decimal-point-ambiguous@2', 'decimal-point-ambiguous@4']);
  });

  it('written as a JSON string is refused, a JSON number is not', async () => {
    const json = JSON.stringify([{ nom: 'Club', montant: '12.500' }, { nom: 'École', montant: 12.345 }]);
    expect(await codes(Buffer.from(json))).toEqual(['decimal-point-ambiguous@2']);
  });
});

describe('merged cells: what the first cell is, text or number, goes for every cell it covers', () => {
  const float = (v: number, shown: string, attrs = '') => `<table:table-cell office:value-type="float" office:value="${v}" calcext:value-type="float"${attrs ? ' ' + attrs : ''}><text:p>${shown}</text:p></table:table-cell>`;

  it('a number merged down over a covered cell that kept text or a number of its own (LibreOffice « keep the contents of the hidden cells ») is not refused', async () => {
    const kept = (v: number) => `<table:covered-table-cell office:value-type="float" office:value="${v}" calcext:value-type="float"><text:p>${v}</text:p></table:covered-table-cell>`;
    const rows =
      ods.row(ods.text('nom') + ods.text('montant')) +
      ods.row(ods.text('Club') + float(12.345, '12,345', 'table:number-columns-spanned="1" table:number-rows-spanned="2"')) +
      ods.row(ods.text('École') + kept(100)) +
      ods.row(ods.text('Mairie') + float(7, '7'));
    expect(await codes(odsBook([{ name: 'Feuille1', rows }]))).toEqual(['merged-cells@2']);
    const sheet = { name: 'Feuille1', rows: [['nom', 'montant'], ['Club', 12.345], ['École', 'voir ci-dessus'], ['Mairie', 7]], merges: ['B2:B3'] };
    expect(await codes(xlsxBook([sheet]))).toEqual(['merged-cells@2']);
  });

  it('text merged down is text on every row it covers', async () => {
    const sheet = { name: 'Feuille1', rows: [['nom', 'montant'], ['Club', '12.500'], ['École', null], ['Mairie', 7]], merges: ['B2:B3'] };
    expect(await codes(xlsxBook([sheet]))).toEqual(['merged-cells@2', 'decimal-point-ambiguous@2', 'decimal-point-ambiguous@3']);
  });
});

describe('cells of an .xlsx written without their address (the `r` attribute is optional)', () => {
  it('an empty cell still takes its column: the next value is not moved left', async () => {
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const strings = ['nom', 'code', 'montant', 'Club', '', 'A12'];
    const xml =
      '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>' +
      '<row><c t="s"><v>3</v></c><c t="s"><v>4</v></c><c><v>12.345</v></c></row>' +
      '<row><c t="s"><v>3</v></c><c s="0"/><c><v>7</v></c></row>' +
      '<row><c t="s"><v>3</v></c><c t="s"><v>5</v></c><c><v>8</v></c></row>';
    const bytes = buildZip([
      { name: 'xl/workbook.xml', data: `<workbook ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="F" sheetId="1" r:id="rId1"/></sheets></workbook>` },
      { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://x/sharedStrings" Target="sharedStrings.xml"/></Relationships>' },
      { name: 'xl/sharedStrings.xml', data: `<sst ${ns}>${strings.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>` },
      { name: 'xl/worksheets/sheet1.xml', data: `<worksheet ${ns}><sheetData>${xml}</sheetData></worksheet>` },
    ]);
    const withCode: TableSchemaDescriptor = { ...schema, fields: [schema.fields[0], { name: 'code', type: 'string' }, schema.fields[1]] };
    const { result, files } = await standardizeInMemory(bytes, { schema: withCode });
    expect(result.report.issues).toEqual([]);
    expect(files['data.csv']).toBe('nom,code,montant\r\nClub,,12.345\r\nClub,,7\r\nClub,A12,8\r\n');
  });
});

describeWithReference('DECP in its national JSON shape', () => {
  it('a montant of three decimals is a JSON number, not text typed: not refused', async () => {
    type Doc = { marches: { marche: Record<string, unknown>[] } };
    const doc = readReferenceJson<Doc>('marches-publics', 'decp', 'examples', 'json', 'marches_concessions.json');
    doc.marches.marche[0].montant = 999.125;
    const { result } = await standardizeInMemory(Buffer.from(JSON.stringify(doc)), { schema: getBuiltinSchema('decp')! });
    expect(result.report.codes['decimal-point-ambiguous']).toBeUndefined();
    expect(result.report.valid).toBe(true);
  });
});
