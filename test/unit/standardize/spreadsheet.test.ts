import * as XLSX from 'xlsx';
import { sniffFormat } from '../../../functions/domain/standardize/read/sniff';
import { isDateFormatCode, serialToIso } from '../../../functions/domain/standardize/read/xlsx';
import { buildZip } from '../../fixtures/zip-builder';
import { readAll } from './helpers';

function workbook(bookType: 'xlsx' | 'ods', rows: unknown[][], extraSheet = false): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), 'Subventions');
  if (extraSheet) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['autre'], ['x']]), 'Autre');
  return XLSX.write(wb, { type: 'buffer', bookType, cellDates: false }) as Buffer;
}

const ROWS: unknown[][] = [
  ['nomBeneficiaire', 'montant', 'dateConvention', 'notificationUE', 'idBeneficiaire'],
  ['Société d’économie mixte', 1234.56, new Date(Date.UTC(2024, 11, 31)), true, '21060004500392'],
  ['Œuvre  des  écoles', -12.5, new Date(Date.UTC(2025, 0, 2)), false, '00012345600018'],
];

describe.each(['xlsx', 'ods'] as const)('%s', (bookType) => {
  it('is sniffed from its bytes', () => {
    expect(sniffFormat(workbook(bookType, ROWS)).format).toBe(bookType);
  });

  it('reads the first sheet as CSV-like text: numbers, ISO dates, booleans, leading zeros', async () => {
    const { header, rows, format } = await readAll(workbook(bookType, ROWS, true));
    expect(format).toBe(bookType);
    expect(header).toEqual(ROWS[0]);
    expect(rows).toEqual([
      { cells: ['Société d’économie mixte', '1234.56', '2024-12-31', 'true', '21060004500392'], row: 2 },
      { cells: ['Œuvre  des  écoles', '-12.5', '2025-01-02', 'false', '00012345600018'], row: 3 },
    ]);
  });

  it('skips blank rows, pads short rows silently, reports non-empty extra cells', async () => {
    const { rows } = await readAll(
      workbook(bookType, [['a', 'b', 'c'], ['1'], [], [], ['2', '3', '4', 'trop']]),
    );
    expect(rows.map((r) => [r.row, r.cells])).toEqual([
      [2, ['1', '', '']],
      [5, ['2', '3', '4']],
    ]);
    expect(rows[1].issues).toEqual([expect.objectContaining({ code: 'extra-cell', value: 'trop', row: 5 })]);
  });

  it('reports header-only workbooks', async () => {
    expect((await readAll(workbook(bookType, [['a', 'b']]))).codes).toEqual(['header-only']);
  });

  it('refuses a workbook over the inflation budget', async () => {
    const big = [['a'], ...Array.from({ length: 2000 }, (_, i) => [`ligne ${i} `.repeat(20)])];
    const { codes } = await readAll(workbook(bookType, big), { maxInflatedBytes: 50 * 1024 });
    expect(codes).toEqual(['zip-too-large']);
  });
});

describe('ods specifics', () => {
  const content = (body: string): string =>
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x">' +
    `<office:body><office:spreadsheet><table:table table:name="F1">${body}</table:table>` +
    '<table:table table:name="F2"><table:table-row><table:table-cell><text:p>autre</text:p></table:table-cell></table:table-row></table:table>' +
    '</office:spreadsheet></office:body></office:document-content>';
  const ods = (body: string): Buffer =>
    buildZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true },
      { name: 'content.xml', data: content(body) },
    ]);
  const cell = (inner: string, attrs = ''): string => `<table:table-cell ${attrs}>${inner}</table:table-cell>`;

  it('expands text:s, repeated cells between values, and ignores huge trailing repeats', async () => {
    const body =
      '<table:table-row>' +
      cell('<text:p>nom</text:p>') +
      cell('<text:p>code</text:p>', 'table:number-columns-repeated="2"') +
      '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>' +
      '<table:table-row>' +
      cell('<text:p>A<text:s text:c="3"/>B<text:span> C</text:span></text:p><text:p>suite</text:p>') +
      '<table:table-cell table:number-columns-repeated="1"/>' +
      cell('<office:annotation><text:p>commentaire</text:p></office:annotation><text:p>x &amp; y</text:p>', 'office:value-type="string"') +
      '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>' +
      '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>';
    const started = Date.now();
    const { header, rows } = await readAll(ods(body));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(header).toEqual(['nom', 'code', 'code']);
    expect(rows).toEqual([{ cells: ['A   B C\nsuite', '', 'x & y'], row: 2 }]);
  });

  it('uses typed values for float, date, boolean, percentage and time cells', async () => {
    const body =
      '<table:table-row>' + ['n', 'd', 'b', 'p', 't'].map((h) => cell(`<text:p>${h}</text:p>`)).join('') + '</table:table-row>' +
      '<table:table-row>' +
      cell('<text:p>1 234,56 €</text:p>', 'office:value-type="currency" office:value="1234.56"') +
      cell('<text:p>31/12/2024</text:p>', 'office:value-type="date" office:date-value="2024-12-31"') +
      cell('<text:p>VRAI</text:p>', 'office:value-type="boolean" office:boolean-value="true"') +
      cell('<text:p>12 %</text:p>', 'office:value-type="percentage" office:value="0.12"') +
      cell('<text:p>08:30</text:p>', 'office:value-type="time" office:time-value="PT08H30M00S"') +
      '</table:table-row>';
    const { rows } = await readAll(ods(body));
    expect(rows[0].cells).toEqual(['1234.56', '2024-12-31', 'true', '0.12', '08:30:00']);
  });
});

describe('xlsx helpers', () => {
  it('recognises date formats', () => {
    expect(isDateFormatCode('dd/mm/yyyy')).toBe(true);
    expect(isDateFormatCode('[$-40C]d mmmm yyyy')).toBe(true);
    expect(isDateFormatCode('#,##0.00 "€"')).toBe(false);
    expect(isDateFormatCode('0.00%')).toBe(false);
    expect(isDateFormatCode('[Red]0.00')).toBe(false);
  });

  it('converts serial dates', () => {
    expect(serialToIso(45657)).toBe('2024-12-31');
    expect(serialToIso(45657.5)).toBe('2024-12-31T12:00:00');
    expect(serialToIso(0.25)).toBe('06:00:00');
    expect(serialToIso(0, true)).toBe('00:00:00');
  });
});
