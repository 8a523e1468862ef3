import * as XLSX from 'xlsx';
import { readOds } from '../../../functions/domain/standardize/read/ods';
import { sniffFormat } from '../../../functions/domain/standardize/read/sniff';
import { SheetRow, formatDecimals, formatNumber, isDateFormatCode, readXlsx, serialToIso } from '../../../functions/domain/standardize/read/xlsx';
import { MINIMAL_RELS, MINIMAL_WORKBOOK, buildZip } from '../../fixtures/zip-builder';
import { readAll, withoutTexts } from './helpers';

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

  it('skips blank rows, pads short rows silently, ignores a value past the header with a warning about its column', async () => {
    const { rows, codes, issues } = await readAll(
      workbook(bookType, [['a', 'b', 'c'], ['1'], [], [], ['2', '3', '4', 'trop']]),
    );
    expect(rows.map((r) => [r.row, r.cells])).toEqual([
      [2, ['1', '', '']],
      [5, ['2', '3', '4']],
    ]);
    expect(codes).toEqual([]);
    expect(issues).toEqual([
      {
        code: 'extra-column',
        severity: 'warning',
        row: 5,
        column: 'colonne D',
        message: 'La colonne D n’a pas de nom : elle sera ignorée, avec sa valeur en ligne 5, qui ne sera pas publiée.',
      },
    ]);
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

  it('pads decimals with the trailing zeros a format shows, never rounding', () => {
    expect(formatNumber('7.1', 0, 2)).toBe('7.10');
    // An integer stays one: 2024 in a 0.00 cell is a year, 1 a boolean, 31120 a postal code.
    expect(formatNumber('7', 0, 2)).toBe('7');
    expect(formatNumber('2024', 0, 2)).toBe('2024');
    expect(formatNumber('-0.5', 0, 2)).toBe('-0.50');
    expect(formatNumber('7.125', 0, 2)).toBe('7.125');
    expect(formatNumber('1e21', 0, 2)).toBe('1e+21');
    expect(formatDecimals('0.00')).toBe(2);
    expect(formatDecimals('#,##0.00\\ "€"')).toBe(2);
    expect(formatDecimals('[Red]0.000;[Blue]-0.0')).toBe(3);
    expect(formatDecimals('"v."0.0')).toBe(1);
    expect(formatDecimals('0.00%')).toBe(0);
    expect(formatDecimals('0.00E+00')).toBe(0);
    expect(formatDecimals('0.00;-0', true)).toBe(0);
    expect(formatDecimals('"a;b"0.00;-0.0', true)).toBe(1);
    expect(formatDecimals('0.00', true)).toBe(2);
    expect(formatDecimals('#,##0')).toBe(0);
    expect(formatDecimals('General')).toBe(0);
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

  it('keeps the trailing zeros of a number format with decimals (an ACTES code 7.10 is not 7.1)', async () => {
    const rows = [
      ['code', 'montant', 'taux', 'brut', 'long', 'annee', 'cp', 'negatif', 'negatif2', 'fraction'],
      [
        { t: 'n', v: 7.1, z: '0.00' },
        { t: 'n', v: 1500, z: '#,##0.00 "€"' },
        { t: 'n', v: 0.5, z: '0.00%' },
        { t: 'n', v: 7.1 },
        { t: 'n', v: 2.345, z: '0.0' },
        { t: 'n', v: 2024, z: '0.00' },
        { t: 'n', v: 31120, z: '#,##0.00' },
        { t: 'n', v: -7.5, z: '0.00;-0.0' },
        { t: 'n', v: -7.1, z: '0.00' },
        { t: 'n', v: 1234.5, z: '#,##0.00 "€"' },
      ],
    ];
    // An integer stays one (a year, a postal code): only a fractional part gets the zeros shown.
    expect((await cellsOf(book([{ name: 'F', rows }])))[1]).toEqual(['7.10', '1500', '0.5', '7.1', '2.345', '2024', '31120', '-7.5', '-7.10', '1234.50']);
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

  it('keeps the leading zeros an integer is displayed with, and the trailing zeros of its decimals', async () => {
    const float = (v: string, shown: string): string =>
      `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${shown}</text:p></table:table-cell>`;
    const values = row(
      float('1000', '01000'),
      float('612345678', '0612345678'),
      float('1000', '1 000'),
      float('0.5', '0,50'),
      float('7.1', '7,10'),
      float('7.1', '7.10'),
      float('7.125', '7,13'),
      float('3', '3,0'),
      float('1234.5', '1 234,50 €'),
      float('2024', '2024,00'),
      float('-7.1', '-7,10'),
    );
    const header = row(...['cp', 'tel', 'n', 'm', 'code', 'code2', 'taux', 'q', 'montant', 'annee', 'negatif'].map((t) => text(t)));
    const { rows } = await readAll(ods(table('F', header + values)));
    const currency = `<table:table-cell office:value-type="currency" office:currency="EUR" office:value="1234.5"><text:p>1 234,50 €</text:p></table:table-cell>`;
    const money = await readAll(ods(table('F', row(text('montant')) + row(currency))));
    expect(money.rows[0].cells).toEqual(['1234.50']);
    // Never rounded: 7.125 shown 7,13 stays 7.125; an integer stays one (2024 is a year).
    expect(rows[0].cells).toEqual(['01000', '0612345678', '1000', '0.50', '7.10', '7.10', '7.125', '3', '1234.50', '2024', '-7.10']);
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

  describe('a notice table before the data (same rule as xlsx)', () => {
    const score = (cells: readonly unknown[]): number => cells.filter((c) => c === 'nom' || c === 'code').length;
    const NOTICE = row(text('Mode d’emploi')) + row(text('Remplissez l’onglet Données, une ligne par subvention.')) + row(text('Contact'), text('sig@departement.fr'));
    const cellsOf = async (bytes: Buffer, opts = { headerScore: score }): Promise<unknown[][]> => {
      const { header, rows, codes } = await readAll(bytes, opts);
      expect(codes).toEqual([]);
      return [header ?? [], ...rows.map((r) => r.cells)];
    };

    it("gives way to the table that names the schema's columns, below a title", async () => {
      const titled = row(text('Subventions 2024')) + DATA;
      expect(await cellsOf(ods(table('Notice', NOTICE), table('Données', titled)))).toEqual([['nom', 'code'], ['Mairie', 'A1']]);
    });

    it('gives way when the notice names one of the columns', async () => {
      const notice = NOTICE + row(text('nom'), text('le nom du bénéficiaire'));
      expect(await cellsOf(ods(table('Lisez-moi', notice), table('Données', DATA)))).toEqual([['nom', 'code'], ['Mairie', 'A1']]);
    });

    it('keeps a first table that names the columns, even when a later one names more', async () => {
      const more = row(text('nom'), text('code'), text('montant')) + row(text('Autre'), text('B2'), text('5'));
      const wider = (cells: readonly unknown[]): number => score(cells) + cells.filter((c) => c === 'montant').length;
      expect(await cellsOf(ods(table('Données', DATA), table('Archives', more)), { headerScore: wider })).toEqual([['nom', 'code'], ['Mairie', 'A1']]);
    });

    it('reads the table whose first rows name the most columns when none names two, the first on a tie', async () => {
      const one = row(text('nom'), text('commune')) + row(text('Mairie'), text('Lyon'));
      const other = row(text('nom'), text('ville')) + row(text('Asso'), text('Nantes'));
      expect(await cellsOf(ods(table('Notice', NOTICE), table('Données', one), table('Autre', other)))).toEqual([['nom', 'commune'], ['Mairie', 'Lyon']]);
    });

    it('reads a table chosen after the whole scan within its own inflation budget', async () => {
      // content.xml (about 45 kB) is inflated twice: each pass has the 64 kB budget.
      const many = Array.from({ length: 200 }, (_, i) => row(text(`Mairie ${i}`), text(`ligne ${i} `.repeat(3)))).join('');
      const bytes = ods(table('Notice', NOTICE), table('Données', row(text('nom'), text('commune')) + many));
      const { header, rows, codes } = await readAll(bytes, { headerScore: score, maxInflatedBytes: 64 * 1024 });
      expect(codes).toEqual([]);
      expect(header).toEqual(['nom', 'commune']);
      expect(rows).toHaveLength(200);
      expect(rows[199]).toEqual({ cells: ['Mairie 199', 'ligne 199 '.repeat(3)], row: 201 });
    });

    it('still passes over a hidden first table, even one that names the columns', async () => {
      const lists = row(text('nom'), text('code')) + row(text('liste'), text('L'));
      expect(await cellsOf(ods(table('Listes', lists, true), table('Notice', NOTICE), table('Données', DATA)))).toEqual([['nom', 'code'], ['Mairie', 'A1']]);
    });

    it('reads the first visible table with data when no schema judges the tables', async () => {
      const { error } = await readAll(ods(table('Listes', LISTS, true), table('Vide', EMPTY), table('Notice', NOTICE), table('Données', DATA)));
      // Its title lines skipped, « Contact » is its header, and nothing follows.
      expect(error?.code).toBe('header-only');
    });
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
    // The report points at the header's row, not at row 1.
    expect(error).toMatchObject({ row: 3, message: 'Le fichier ne contient qu’une ligne d’en-tête (ligne 3), sans aucune donnée.' });
  });
});

describe('repetition and sparse rows without blow-up', () => {
  const MB = 1024 * 1024;
  const odsOf = (rows: string): Buffer =>
    buildZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', store: true },
      {
        name: 'content.xml',
        data:
          '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x">' +
          `<office:body><office:spreadsheet><table:table table:name="F">${rows}</table:table></office:spreadsheet></office:body></office:document-content>`,
      },
    ]);
  const xlsxOf = (rows: string): Buffer =>
    buildZip([
      { name: 'xl/workbook.xml', data: MINIMAL_WORKBOOK },
      { name: 'xl/_rels/workbook.xml.rels', data: MINIMAL_RELS },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
      },
    ]);
  const text = (t: string, repeat = 1): string =>
    `<table:table-cell table:number-columns-repeated="${repeat}" office:value-type="string"><text:p>${t}</text:p></table:table-cell>`;
  const row = (cells: string, repeat = 1): string => `<table:table-row table:number-rows-repeated="${repeat}">${cells}</table:table-row>`;
  // The last column, after 16 383 empty ones: a few dozen bytes of XML for a 16 384-cell row.
  const farOds = '<table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="1"/>';
  const farXlsx = (r: number): string => `<row r="${r}"><c r="XFD${r}"><v>1</v></c></row>`;

  /** Heap held once the first `n` rows are out, the reader still open (a bloated reader holds the rest). */
  const heapAfterFirst = (rows: Iterator<SheetRow>, n: number): { heldMB: number; first: SheetRow[] } => {
    const before = process.memoryUsage().heapUsed;
    const first: SheetRow[] = [];
    for (let i = 0; i < n; i++) first.push(rows.next().value as SheetRow);
    const heldMB = (process.memoryUsage().heapUsed - before) / MB;
    rows.return?.(undefined);
    return { heldMB, first };
  };

  it('ods: yields a repeated row one copy at a time, each its own array', () => {
    // LibreOffice writes identical consecutive rows once, with a count: here to the sheet's last row.
    const bytes = odsOf(row(text('a') + text('b') + text('c') + text('d')) + row(text('w') + text('x') + text('y') + text('z'), 1048575));
    expect(bytes.length).toBeLessThan(1024);
    const { heldMB, first } = heapAfterFirst(readOds(bytes), 3);
    expect(first.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(heldMB).toBeLessThan(40);

    const started = Date.now();
    let count = 0;
    let shared = 0;
    let last: SheetRow | undefined;
    for (const r of readOds(bytes)) {
      count++;
      // Consumers fit rows to the header in place: no two rows may share an array.
      if (r.cells === last?.cells) shared++;
      last = r;
    }
    expect(count).toBe(1048576);
    expect(shared).toBe(0);
    expect(last).toEqual({ cells: ['w', 'x', 'y', 'z'], row: 1048576, texts: [0, 1, 2, 3] });
    expect(Date.now() - started).toBeLessThan(10000);
  });

  it('ods: every copy of a repeated row is fitted and checked on its own', async () => {
    const { rows, codes, issues } = await readAll(odsOf(row(text('a') + text('b')) + row(text('x') + text('y') + text('trop'), 3)));
    expect(rows.map((r) => [r.row, r.cells])).toEqual([
      [2, ['x', 'y']],
      [3, ['x', 'y']],
      [4, ['x', 'y']],
    ]);
    expect(codes).toEqual([]);
    expect(issues.map((i) => i.message)).toEqual(['La colonne C n’a pas de nom : elle sera ignorée, avec ses valeurs en lignes 2, 3 et 4, qui ne seront pas publiées.']);
  });

  it('ods: refuses a row of 16 384 cells repeated to the last row, without expanding it', async () => {
    // 476 bytes that would expand to 1 048 575 × 16 384 cells.
    const bomb = odsOf(row(text('a') + text('b')) + row(text('x', 16384), 1048575));
    expect(bomb.length).toBeLessThan(1024);
    const started = Date.now();
    const { error, rows } = await readAll(bomb);
    expect(error?.code).toBe('zip-too-large');
    expect(error?.row).toBe(2);
    expect(rows).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ods: refuses more cells than the cap, counted with repetition', () => {
    const bytes = odsOf(row(text('a') + text('b')) + row(text('x', 10), 50) + row(text('y', 10), 60));
    expect(() => [...readOds(bytes, { maxCells: 1000 })]).toThrow(expect.objectContaining({ code: 'zip-too-large', row: 52 }));
    expect([...readOds(bytes, { maxCells: 1102 })]).toHaveLength(111);
  });

  it('ods: keeps huge trailing and leading repeats of empty rows and cells cheap', () => {
    const bytes = odsOf(
      row('<table:table-cell table:number-columns-repeated="16384"/>', 1000) +
        row(text('a') + '<table:table-cell table:number-columns-repeated="1000000"/>') +
        row('<table:table-cell table:number-columns-repeated="3"/>' + text('b') + '<table:table-cell table:number-columns-repeated="16380"/>') +
        row('<table:table-cell table:number-columns-repeated="1024"/>', 1048000),
    );
    expect(withoutTexts(readOds(bytes, { maxCells: 5 }))).toEqual([
      { cells: ['a'], row: 1001 },
      { cells: ['', '', '', 'b'], row: 1002 },
    ]);
  });

  it('ods: ignores negative or fractional repeat counts', () => {
    const bytes = odsOf(row(text('a') + text('b', -5) + text('c', 2.5)) + row(text('x'), -3) + row(text('y')));
    expect(withoutTexts(readOds(bytes))).toEqual([
      { cells: ['a', 'b', 'c', 'c'], row: 1 },
      { cells: ['x'], row: 2 },
      { cells: ['y'], row: 3 },
    ]);
  });

  it.each([
    ['ods', (n: number) => odsOf(row(text('a')) + row(farOds).replace(/ table:number-rows-repeated="1"/, '').repeat(n))],
    ['xlsx', (n: number) => xlsxOf('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>' + Array.from({ length: n }, (_, i) => farXlsx(i + 2)).join(''))],
  ] as const)('%s: streams wide sparse rows instead of holding a whole inflated chunk of them', (format, build) => {
    // 3 000 rows of 16 384 cells (49 M, under the cap) from a few kB: held at once they take 400 MB.
    const bytes = build(3000);
    expect(bytes.length).toBeLessThan(100 * 1024);
    const read = format === 'ods' ? readOds : readXlsx;
    const { heldMB, first } = heapAfterFirst(read(bytes), 3);
    expect(first.map((r) => [r.row, r.cells.length, r.cells.at(-1)])).toEqual([
      [1, 1, 'a'],
      [2, 16384, '1'],
      [3, 16384, '1'],
    ]);
    expect(heldMB).toBeLessThan(60);
  });

  it.each([
    ['ods', (n: number) => odsOf(row(text('a')) + row(farOds).replace(/ table:number-rows-repeated="1"/, '').repeat(n))],
    ['xlsx', (n: number) => xlsxOf('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>' + Array.from({ length: n }, (_, i) => farXlsx(i + 2)).join(''))],
  ] as const)('%s: refuses literal rows beyond the cell cap', (format, build) => {
    const read = format === 'ods' ? readOds : readXlsx;
    let count = 0;
    const all = (): void => {
      for (const _ of read(build(100), { maxCells: 50 * 16384 })) count++;
    };
    expect(all).toThrow(expect.objectContaining({ code: 'zip-too-large', row: 51 }));
    expect(count).toBeLessThanOrEqual(50);
  });

  it('xlsx: a row numbered 1 048 576 right after row 1 creates no rows in between', () => {
    const bytes = xlsxOf('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="A1048576"><v>2</v></c></row>');
    const started = Date.now();
    expect(withoutTexts(readXlsx(bytes))).toEqual([
      { cells: ['a'], row: 1 },
      { cells: ['2'], row: 1048576 },
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
