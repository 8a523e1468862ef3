import * as XLSX from 'xlsx';
import { sniffFormat } from '../../../functions/domain/standardize/read/sniff';
import { formatNumber, isDateFormatCode, serialToIso } from '../../../functions/domain/standardize/read/xlsx';
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

  it('pads integers with leading zeros to a given width', () => {
    expect(formatNumber('1000', 5)).toBe('01000');
    expect(formatNumber('-42', 5)).toBe('-00042');
    expect(formatNumber('123456', 5)).toBe('123456');
    expect(formatNumber('12.5', 5)).toBe('12.5');
    expect(formatNumber('1000')).toBe('1000');
  });

  it('converts serial dates', () => {
    expect(serialToIso(45657)).toBe('2024-12-31');
    expect(serialToIso(45657.5)).toBe('2024-12-31T12:00:00');
    expect(serialToIso(0.25)).toBe('06:00:00');
    expect(serialToIso(0, true)).toBe('00:00:00');
  });
});

describe('xlsx as office software writes it', () => {
  type Sheet = { name: string; rows: unknown[][]; hidden?: 0 | 1 | 2 };
  const book = (sheets: Sheet[]): Buffer => {
    const wb = XLSX.utils.book_new();
    for (const sh of sheets) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(sh.rows), sh.name);
    wb.Workbook = { Sheets: sheets.map((sh) => ({ Hidden: sh.hidden ?? 0 })) };
    return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  };
  const DATA = [['nom', 'montant'], ['Comité des fêtes', 1500]];
  const LISTS = [['aide en numéraire'], ['aide en nature']];
  const cellsOf = async (bytes: Buffer): Promise<unknown[][]> => {
    const { header, rows, codes } = await readAll(bytes);
    expect(codes).toEqual([]);
    return [header ?? [], ...rows.map((r) => r.cells)];
  };

  it.each([
    ['hidden', 1],
    ['veryHidden', 2],
  ] as const)('passes over a %s first sheet of drop-down lists', async (_, hidden) => {
    expect(await cellsOf(book([{ name: 'Listes', rows: LISTS, hidden }, { name: 'Subventions', rows: DATA }]))).toEqual([
      ['nom', 'montant'],
      ['Comité des fêtes', '1500'],
    ]);
  });

  it('passes over empty sheets before the data: no row, or a row without a value', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), 'Feuil1');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[{ t: 'z', z: '0.00' }]]), 'Feuil2');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(DATA), 'Subventions');
    const { header, rows } = await readAll(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    expect(header).toEqual(['nom', 'montant']);
    expect(rows).toEqual([{ cells: ['Comité des fêtes', '1500'], row: 2 }]);
  });

  it('keeps the first sheet when no visible sheet has data', async () => {
    expect(await cellsOf(book([{ name: 'Données', rows: DATA, hidden: 1 }, { name: 'Feuil1', rows: [] }]))).toEqual([
      ['nom', 'montant'],
      ['Comité des fêtes', '1500'],
    ]);
    expect((await readAll(book([{ name: 'Feuil1', rows: [] }, { name: 'Listes', rows: LISTS, hidden: 1 }]))).codes).toEqual([
      'empty-file',
    ]);
  });

  it('does not inflate the sheets after the data sheet', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => [`ligne ${i} `.repeat(20)]);
    const bytes = book([{ name: 'Subventions', rows: DATA }, { name: 'Archives', rows: big }]);
    expect((await readAll(bytes, { maxInflatedBytes: 64 * 1024 })).codes).toEqual([]);
  });

  it('keeps the leading zeros of integers in a zeros-only format (postal code, phone number)', async () => {
    const rows = [
      ['codePostal', 'telephone', 'quantite', 'montant'],
      [
        { t: 'n', v: 1000, z: '00000' },
        { t: 'n', v: 612345678, z: '0000000000' },
        { t: 'n', v: 7, z: '0' },
        { t: 'n', v: 1000, z: '#,##0' },
      ],
    ];
    expect((await cellsOf(book([{ name: 'F', rows }])))[1]).toEqual(['01000', '0612345678', '7', '1000']);
  });

  it('gives error cells as their text', async () => {
    const rows = [
      ['a', 'b', 'c', 'd'],
      [{ t: 'e', v: 0x2a }, { t: 'e', v: 0x17 }, { t: 'e', v: 0x07, f: '1/0' }, 'ok'],
    ];
    expect((await cellsOf(book([{ name: 'F', rows }])))[1]).toEqual(['#N/A', '#REF!', '#DIV/0!', 'ok']);
  });

  it('reads parts whose elements carry a namespace prefix (.NET OpenXML SDK)', async () => {
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const type = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';
    const bytes = buildZip([
      {
        name: 'xl/workbook.xml',
        data: `<?xml version="1.0"?><x:workbook ${ns} ${rel}><x:sheets><x:sheet name="Listes" sheetId="1" state="hidden" r:id="R1"/><x:sheet name="Données" sheetId="2" r:id="R2"/></x:sheets></x:workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data:
          '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="R1" Type="${type}worksheet" Target="/xl/worksheets/sheet.xml"/>` +
          `<Relationship Id="R2" Type="${type}worksheet" Target="worksheets/sheet2.xml"/>` +
          `<Relationship Id="R3" Type="${type}sharedStrings" Target="sharedStringTable.xml"/>` +
          `<Relationship Id="R4" Type="${type}styles" Target="styles.xml"/></Relationships>`,
      },
      {
        name: 'xl/sharedStringTable.xml',
        data: `<?xml version="1.0"?><x:sst ${ns}><x:si><x:t>codePostal</x:t></x:si><x:si><x:r><x:t>nom</x:t></x:r></x:si><x:si><x:t>Mairie</x:t></x:si></x:sst>`,
      },
      {
        name: 'xl/styles.xml',
        data: `<?xml version="1.0"?><x:styleSheet ${ns}><x:numFmts><x:numFmt numFmtId="164" formatCode="00000"/></x:numFmts><x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="164"/></x:cellXfs></x:styleSheet>`,
      },
      {
        name: 'xl/worksheets/sheet.xml',
        data: `<?xml version="1.0"?><x:worksheet ${ns}><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>liste</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
      },
      {
        name: 'xl/worksheets/sheet2.xml',
        data:
          `<?xml version="1.0"?><x:worksheet ${ns}><x:sheetData>` +
          '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c></x:row>' +
          '<x:row r="2"><x:c r="A2" s="1"><x:v>1000</x:v></x:c><x:c r="B2" t="s"><x:v>2</x:v></x:c></x:row>' +
          '</x:sheetData></x:worksheet>',
      },
    ]);
    const { header, rows, format } = await readAll(bytes);
    expect(format).toBe('xlsx');
    expect(header).toEqual(['codePostal', 'nom']);
    expect(rows).toEqual([{ cells: ['01000', 'Mairie'], row: 2 }]);
  });
});

describe('ods as office software writes it', () => {
  const HIDDEN_STYLE =
    '<office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>' +
    '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles>';
  const row = (...cells: string[]): string => `<table:table-row>${cells.join('')}</table:table-row>`;
  const text = (t: string): string => `<table:table-cell office:value-type="string"><text:p>${t}</text:p></table:table-cell>`;
  const table = (name: string, rows: string, hidden = false): string =>
    `<table:table table:name="${name}" table:style-name="${hidden ? 'ta2' : 'ta1'}">${rows}</table:table>`;
  const ods = (...tables: string[]): Buffer =>
    buildZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true },
      {
        name: 'content.xml',
        data:
          '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:style="s" xmlns:table="t" xmlns:text="x" xmlns:calcext="c">' +
          `${HIDDEN_STYLE}<office:body><office:spreadsheet>${tables.join('')}</office:spreadsheet></office:body></office:document-content>`,
      },
    ]);
  const DATA = row(text('nom'), text('code')) + row(text('Mairie'), text('A1'));
  const LISTS = row(text('aide en numéraire')) + row(text('aide en nature'));
  const EMPTY =
    '<table:table-row table:number-rows-repeated="1048577">' +
    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>';

  it('passes over a hidden first table and empty tables', async () => {
    const hiddenFirst = ods(table('Listes', LISTS, true), table('Données', DATA));
    const emptyFirst = ods(table('Feuille1', EMPTY), table('Vide', ''), table('Données', DATA));
    for (const bytes of [hiddenFirst, emptyFirst]) {
      const { header, rows } = await readAll(bytes);
      expect(header).toEqual(['nom', 'code']);
      expect(rows).toEqual([{ cells: ['Mairie', 'A1'], row: 2 }]);
    }
  });

  it('keeps the first table when no visible table has data', async () => {
    const { header, rows } = await readAll(ods(table('Données', DATA, true), table('Feuille1', EMPTY)));
    expect(header).toEqual(['nom', 'code']);
    expect(rows).toEqual([{ cells: ['Mairie', 'A1'], row: 2 }]);
  });

  it('keeps the leading zeros an integer is displayed with', async () => {
    const float = (v: string, shown: string): string =>
      `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${shown}</text:p></table:table-cell>`;
    const values = row(float('1000', '01000'), float('612345678', '0612345678'), float('1000', '1 000'), float('0.5', '0,50'));
    const { rows } = await readAll(ods(table('F', row(text('cp'), text('tel'), text('n'), text('m')) + values)));
    expect(rows[0].cells).toEqual(['01000', '0612345678', '1000', '0.5']);
  });

  it('gives error cells as their displayed text', async () => {
    const error = (attrs: string, shown: string): string =>
      `<table:table-cell table:formula="of:=1/0" ${attrs} calcext:value-type="error"><text:p>${shown}</text:p></table:table-cell>`;
    // LibreOffice writes errors as strings; older writers as a float 0: the display wins either way.
    const values = row(
      error('office:value-type="string" office:string-value=""', '#N/A'),
      error('office:value-type="float" office:value="0"', 'Err:502'),
    );
    const { rows } = await readAll(ods(table('F', row(text('a'), text('b')) + values)));
    expect(rows[0].cells).toEqual(['#N/A', 'Err:502']);
  });
});

describe('xlsx: a notice sheet before the data', () => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Mode d’emploi'], ['Remplissez l’onglet Données, une ligne par subvention.'], ['Contact', 'sig@departement.fr']]), 'Notice');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['nom', 'montant'], ['Asso', 12]]), 'Données');
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  const score = (cells: readonly unknown[]) => cells.filter((c) => c === 'nom' || c === 'montant').length;

  it("gives way to the sheet that names the schema's columns", async () => {
    const { header, rows } = await readAll(bytes, { headerScore: score });
    expect(header).toEqual(['nom', 'montant']);
    expect(rows.map((r) => r.cells)).toEqual([['Asso', '12']]);
  });

  it('is read, as the first sheet with data, when no schema judges the sheets', async () => {
    // Its title lines skipped, « Contact » is its header, and nothing follows.
    const { error } = await readAll(bytes);
    expect(error?.code).toBe('header-only');
  });
});
