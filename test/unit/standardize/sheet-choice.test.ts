import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { readOds } from '../../../functions/domain/standardize/read/ods';
import { HEAD_CELLS, MAX_SHEETS_JUDGED, sheetChosenIssue } from '../../../functions/domain/standardize/read/sheet-choice';
import { SHEET_HEAD_ROWS, readXlsx } from '../../../functions/domain/standardize/read/xlsx';
import * as zip from '../../../functions/domain/standardize/read/zip';
import { OdsTable, XlsxCell, XlsxSheet, ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { buildZip } from '../../fixtures/zip-builder';
import { readAll } from './helpers';

const score = (cells: readonly unknown[]): number => cells.filter((c) => c === 'nom' || c === 'montant').length;
const HEADER = ['nom', 'montant'];
const Y2023: XlsxCell[][] = [HEADER, ['Comité des fêtes', 2023], ['Club de foot', 2023]];
const Y2024: XlsxCell[][] = [HEADER, ...Array.from({ length: 5 }, (_, i) => [`Association ${i + 1}`, 2024])];
const NOTICE: XlsxCell[][] = [['Mode d’emploi'], ['Remplissez l’onglet Données, une ligne par subvention.']];
const LISTS: XlsxCell[][] = [['aide en numéraire'], ['aide en nature']];

/** The same workbook as .xlsx (sheets by index) and .ods (tables by name). */
const books = {
  xlsx: (sheets: XlsxSheet[], active?: number): Buffer => xlsxBook(sheets, { activeTab: active }),
  ods: (sheets: XlsxSheet[], active?: number): Buffer => {
    const tables: OdsTable[] = sheets.map((s) => ({
      name: s.name,
      hidden: s.hidden,
      rows: s.rows.map((r) => ods.row(r.map((v) => (v == null ? ods.empty() : ods.text(String(v)))).join(''))).join(''),
    }));
    return odsBook(tables, { active: active === undefined ? undefined : sheets[active].name });
  },
};

const chosen = (issues: readonly ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.code === 'sheet-chosen');

describe.each(['xlsx', 'ods'] as const)('%s: which sheet is read', (format) => {
  const book = books[format];
  const years = [
    { name: '2023', rows: Y2023 },
    { name: '2024', rows: Y2024 },
  ];

  it('reads the tab shown at the save when it holds the table, and names the others', async () => {
    for (const opts of [{ headerScore: score }, {}]) {
      const { rows, issues, codes } = await readAll(book(years, 1), opts);
      expect(codes).toEqual([]);
      expect(rows.map((r) => r.cells[0])).toEqual(['Association 1', 'Association 2', 'Association 3', 'Association 4', 'Association 5']);
      expect(chosen(issues)).toEqual([
        {
          code: 'sheet-chosen',
          severity: 'warning',
          message:
            'Le classeur a plusieurs onglets remplis : seul l’onglet « 2024 » (celui qui était ouvert à l’enregistrement) a été lu. Onglet ignoré : « 2023 ». ' +
            'Un dépôt publie un seul onglet : pour publier aussi « 2023 », déposez-le dans un fichier à part.',
        },
      ]);
    }
  });

  it('reads the first table when the workbook does not say which tab was shown, and says so', async () => {
    // As the LibreOffice corpus's sub-years files, saved without a view: activeTab="0", no ActiveTable.
    for (const active of [undefined, 0]) {
      const { rows, issues } = await readAll(book(years, active), { headerScore: score });
      expect(rows.map((r) => r.cells)).toEqual([
        ['Comité des fêtes', '2023'],
        ['Club de foot', '2023'],
      ]);
      expect(chosen(issues).map((i) => i.message)).toEqual([
        'Le classeur a plusieurs onglets remplis : seul l’onglet « 2023 » a été lu. Onglet ignoré : « 2024 ». Un dépôt publie un seul onglet : pour publier aussi « 2024 », déposez-le dans un fichier à part.',
      ]);
    }
  });

  it('passes over a shown tab that holds no table: a notice, an empty or a hidden tab', async () => {
    const cases: [XlsxSheet[], number][] = [
      [[{ name: 'Données', rows: Y2023 }, { name: 'Notice', rows: NOTICE }], 1],
      [[{ name: 'Données', rows: Y2023 }, { name: 'Vide', rows: [] }], 1],
      [[{ name: 'Données', rows: Y2023 }, { name: 'Listes', rows: LISTS, hidden: true }], 1],
    ];
    for (const [sheets, active] of cases) {
      const { rows, header } = await readAll(book(sheets, active), { headerScore: score });
      expect(header).toEqual(HEADER);
      expect(rows.map((r) => r.cells[0])).toEqual(['Comité des fêtes', 'Club de foot']);
    }
  });

  it('still lets a notice give way when the notice is the tab shown, and says nothing of the notice (a template’s, no news)', async () => {
    const { rows, issues } = await readAll(book([{ name: 'Notice', rows: NOTICE }, { name: 'Données', rows: Y2024 }], 0), { headerScore: score });
    expect(rows).toHaveLength(5);
    expect(chosen(issues)).toEqual([]);
  });

  it('names every other tab with data, and only those: not empty or hidden tabs', async () => {
    const sheets: XlsxSheet[] = [
      { name: 'Listes', rows: LISTS, hidden: true },
      { name: 'Notice', rows: NOTICE },
      { name: '2022', rows: Y2023 },
      { name: 'Vide', rows: [] },
      { name: '2023', rows: Y2023 },
      { name: '2024', rows: Y2024 },
    ];
    const { rows, issues } = await readAll(book(sheets, 5), { headerScore: score });
    expect(rows).toHaveLength(5);
    expect(chosen(issues).map((i) => i.message)).toEqual([
      'Le classeur a plusieurs onglets remplis : seul l’onglet « 2024 » (celui qui était ouvert à l’enregistrement) a été lu. Onglets ignorés : « 2022 » et « 2023 ». ' +
        'Un dépôt publie un seul onglet : pour publier aussi « 2022 » et « 2023 », déposez chacun dans un fichier à part.',
    ]);
  });

  it('says nothing when one sheet holds data', async () => {
    const sheets: XlsxSheet[] = [
      { name: 'Listes', rows: LISTS, hidden: true },
      { name: 'Vide', rows: [] },
      { name: 'Données', rows: Y2024 },
      { name: 'Feuille3', rows: [[null, null]] },
    ];
    for (const active of [undefined, 1, 2, 3]) {
      const { rows, issues, codes } = await readAll(book(sheets, active), { headerScore: score });
      expect(codes).toEqual([]);
      expect(rows).toHaveLength(5);
      expect(chosen(issues)).toEqual([]);
    }
  });
});

describe('ods: the shown table after the whole scan', () => {
  it('reads an earlier table in a second pass when the shown one gives way', async () => {
    const table = (name: string, rows: XlsxCell[][]): OdsTable => ({
      name,
      rows: rows.map((r) => ods.row(r.map((v) => ods.text(String(v))).join(''))).join(''),
    });
    const bytes = odsBook([table('2023', Y2023), table('Notice', NOTICE), table('2024', Y2024)], { active: 'Notice' });
    const { rows, issues } = await readAll(bytes, { headerScore: score, maxInflatedBytes: 8 * 1024 });
    // The first table that holds the table, as without a shown tab.
    expect(rows.map((r) => r.cells)).toEqual([
      ['Comité des fêtes', '2023'],
      ['Club de foot', '2023'],
    ]);
    expect(chosen(issues).map((i) => i.message)).toEqual([
      'Le classeur a plusieurs onglets remplis : seul l’onglet « 2023 » a été lu. Onglet ignoré : « 2024 ». Un dépôt publie un seul onglet : pour publier aussi « 2024 », déposez-le dans un fichier à part.',
    ]);
  });
});

describe('xlsx: looking at the sheets not read', () => {
  it('inflates only the first rows of a later sheet, outside the budget, to name it', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => [`ligne ${i} `.repeat(20)]);
    const bytes = xlsxBook([
      { name: 'Subventions', rows: Y2024 },
      { name: 'Archives', rows: big },
    ]);
    const { codes, rows, issues } = await readAll(bytes, { maxInflatedBytes: 64 * 1024 });
    expect(codes).toEqual([]);
    expect(rows).toHaveLength(5);
    expect(chosen(issues).map((i) => i.message)).toEqual([expect.stringContaining('Onglet ignoré : « Archives ».')]);
  });

  it('does not fail on a sheet it does not read: its part missing or damaged', async () => {
    const good = xlsxBook([{ name: 'Subventions', rows: Y2024 }]);
    const workbook =
      '<workbook xmlns:r="r"><sheets><sheet name="Subventions" r:id="rId1"/><sheet name="Absente" r:id="rId2"/><sheet name="Abîmée" r:id="rId3"/></sheets></workbook>';
    const rels =
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/absente.xml"/>' +
      '<Relationship Id="rId3" Target="worksheets/abimee.xml"/></Relationships>';
    const sheet1 = [...readXlsx(good)].length;
    expect(sheet1).toBe(6);
    const { unzipSync } = await import('fflate');
    const parts = unzipSync(good);
    const bytes = buildZip([
      { name: 'xl/workbook.xml', data: workbook },
      { name: 'xl/_rels/workbook.xml.rels', data: rels },
      { name: 'xl/worksheets/sheet1.xml', data: parts['xl/worksheets/sheet1.xml'] },
      { name: 'xl/worksheets/abimee.xml', deflated: new Uint8Array([0xff, 0xff, 0xff, 0xff]), declaredSize: 100 },
    ]);
    const issues: ValidationIssue[] = [];
    expect([...readXlsx(bytes, { issues })]).toHaveLength(6);
    expect(issues).toEqual([]);
  });
});

describe('xlsx: the shown tab missing or damaged', () => {
  const tables = async (): Promise<{ parts: Record<string, Uint8Array>; workbook: string; rels: string }> => {
    const { unzipSync } = await import('fflate');
    const parts = unzipSync(xlsxBook([{ name: 'Subventions', rows: Y2024 }, { name: '2023', rows: Y2023 }]));
    const workbook =
      '<workbook xmlns:r="r"><bookViews><workbookView activeTab="2"/></bookViews><sheets><sheet name="Subventions" r:id="rId1"/>' +
      '<sheet name="2023" r:id="rId2"/><sheet name="Graphique" r:id="rId3"/></sheets></workbook>';
    const rels =
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/>' +
      '<Relationship Id="rId3" Target="worksheets/sheet3.xml"/></Relationships>';
    return { parts, workbook, rels };
  };

  it('reads the first sheet as without a shown tab: its part missing, or damaged, means no preference', async () => {
    const { parts, workbook, rels } = await tables();
    const common = [
      { name: 'xl/workbook.xml', data: workbook },
      { name: 'xl/_rels/workbook.xml.rels', data: rels },
      { name: 'xl/worksheets/sheet1.xml', data: parts['xl/worksheets/sheet1.xml'] },
      { name: 'xl/worksheets/sheet2.xml', data: parts['xl/worksheets/sheet2.xml'] },
    ];
    const missing = buildZip(common);
    const damaged = buildZip([...common, { name: 'xl/worksheets/sheet3.xml', deflated: new Uint8Array([0xff, 0xff, 0xff, 0xff]), declaredSize: 100 }]);
    for (const bytes of [missing, damaged]) {
      const { codes, rows, issues } = await readAll(bytes, { headerScore: score });
      expect(codes).toEqual([]);
      expect(rows).toHaveLength(5);
      expect(chosen(issues).map((i) => i.message)).toEqual([expect.stringContaining('seul l’onglet « Subventions » a été lu. Onglet ignoré : « 2023 ».')]);
    }
  });

  it('judges the shown tab outside the budget: a large notice shown after the table does not spend it', async () => {
    const notice = Array.from({ length: 3000 }, (_, i) => [`ligne ${i} `.repeat(20)]);
    const bytes = xlsxBook([{ name: 'Subventions', rows: Y2024 }, { name: 'Notice', rows: notice }], { activeTab: 1 });
    const { codes, rows, issues } = await readAll(bytes, { headerScore: score, maxInflatedBytes: 64 * 1024 });
    expect(codes).toEqual([]);
    expect(rows).toHaveLength(5);
    expect(chosen(issues)).toEqual([]);
  });
});

describe('bounded whatever the workbook: sheets judged, cells scored, names listed', () => {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const dataSheet = `<worksheet ${ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>nom</t></is></c><c r="B1" t="inlineStr"><is><t>montant</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Club</t></is></c><c r="B2"><v>10</v></c></row></sheetData></worksheet>`;
  // 12 rows of one value at column XFD: 16 384 cells a row from 30 bytes of XML.
  const wideSheet = `<worksheet ${ns}><sheetData>${Array.from({ length: 12 }, (_, r) => `<row r="${r + 1}"><c r="XFD${r + 1}"><v>1</v></c></row>`).join('')}</sheetData></worksheet>`;
  /** The data sheet, then `n` sheet entries all pointing at the one wide part (or at a part each). */
  const manySheets = (n: number, partEach = false): Buffer => {
    const names = Array.from({ length: n }, (_, i) => `W${i}`);
    const workbook = `<workbook ${ns}><sheets><sheet name="Données" sheetId="1" r:id="rId1"/>${names.map((w, i) => `<sheet name="${w}" sheetId="${i + 2}" r:id="${partEach ? `rIdW${i}` : 'rIdW0'}"/>`).join('')}</sheets></workbook>`;
    const parts = partEach ? names.length : 1;
    const rels =
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>' +
      Array.from({ length: parts }, (_, i) => `<Relationship Id="rIdW${i}" Type="worksheet" Target="worksheets/wide${i}.xml"/>`).join('') +
      '</Relationships>';
    return buildZip([
      { name: 'xl/workbook.xml', data: workbook },
      { name: 'xl/_rels/workbook.xml.rels', data: rels },
      { name: 'xl/worksheets/sheet1.xml', data: dataSheet },
      ...Array.from({ length: parts }, (_, i) => ({ name: `xl/worksheets/wide${i}.xml`, data: wideSheet })),
    ]);
  };

  afterEach(() => jest.restoreAllMocks());

  it('xlsx: peeks at MAX_SHEETS_JUDGED other sheets at most, scores their first HEAD_CELLS cells, and counts the others', () => {
    for (const bytes of [manySheets(2000), manySheets(40, true)]) {
      const inflated = jest.spyOn(zip, 'inflateEntry');
      const scored: number[] = [];
      const spy = (cells: readonly string[]): number => {
        scored.push(cells.length);
        return score(cells);
      };
      const issues: ValidationIssue[] = [];
      const rows = [...readXlsx(bytes, { headerScore: spy, issues })];
      expect(rows.map((r) => r.cells)).toEqual([HEADER, ['Club', '10']]);
      const peeked = inflated.mock.calls.filter(([, entry]) => entry.name.startsWith('xl/worksheets/wide')).length;
      expect(peeked).toBe(MAX_SHEETS_JUDGED);
      expect(Math.max(...scored)).toBeLessThanOrEqual(HEAD_CELLS);
      expect(scored.length).toBeLessThanOrEqual((MAX_SHEETS_JUDGED + 1) * (SHEET_HEAD_ROWS + 1));
      inflated.mockRestore();
    }
  });

  it('xlsx: names five of the tables not read and counts the rest, whatever their number', () => {
    const issues: ValidationIssue[] = [];
    expect([...readXlsx(manySheets(2000), { issues })]).toHaveLength(2);
    expect(chosen(issues).map((i) => i.message)).toEqual([
      'Le classeur a plusieurs onglets remplis : seul l’onglet « Données » a été lu. ' +
        'Onglets ignorés : « W0 », « W1 », « W2 », « W3 », « W4 », 15 autres et 1980 onglets non examinés. ' +
        'Un dépôt publie un seul onglet : pour publier aussi ces onglets, déposez chacun dans un fichier à part.',
    ]);
  });

  it('ods: looks at MAX_SHEETS_JUDGED later tables at most, scores their first HEAD_CELLS cells, then stops', () => {
    const wideRow = ods.row(ods.empty(16383) + '<table:table-cell office:value-type="float" office:value="1"/>', 12);
    const bytes = odsBook([
      { name: 'Données', rows: ods.row(ods.text('nom') + ods.text('montant')) + ods.row(ods.text('Club') + ods.text('10')) },
      ...Array.from({ length: 400 }, (_, i) => ({ name: `W${i}`, rows: wideRow })),
    ]);
    const scored: number[] = [];
    const spy = (cells: readonly string[]): number => {
      scored.push(cells.length);
      return score(cells);
    };
    const issues: ValidationIssue[] = [];
    const rows = [...readOds(bytes, { headerScore: spy, issues })];
    expect(rows.map((r) => r.cells)).toEqual([HEADER, ['Club', '10']]);
    expect(Math.max(...scored)).toBeLessThanOrEqual(HEAD_CELLS);
    expect(scored.length).toBeLessThanOrEqual((MAX_SHEETS_JUDGED + 1) * (SHEET_HEAD_ROWS + 1));
    // Notices (no header) judged: the tables after them may hold one.
    expect(chosen(issues).map((i) => i.message)).toEqual([
      'Le classeur a de nombreux onglets : seul l’onglet « Données » a été lu ; d’autres onglets n’ont pas été examinés. ' +
        'Un dépôt publie un seul onglet : pour publier aussi un autre onglet, déposez-le dans un fichier à part.',
    ]);
  });

  it('ods: names five of the tables not read and says others were not examined', () => {
    const table = (name: string): OdsTable => ({ name, rows: ods.row(ods.text('nom') + ods.text('montant')) + ods.row(ods.text(name) + ods.text('1')) });
    const bytes = odsBook(Array.from({ length: 30 }, (_, i) => table(`${2000 + i}`)));
    const issues: ValidationIssue[] = [];
    expect([...readOds(bytes, { headerScore: score, issues })].map((r) => r.cells[0])).toEqual(['nom', '2000']);
    expect(chosen(issues).map((i) => i.message)).toEqual([
      'Le classeur a plusieurs onglets remplis : seul l’onglet « 2000 » a été lu. ' +
        'Onglets ignorés : « 2001 », « 2002 », « 2003 », « 2004 », « 2005 », 15 autres et d’autres onglets non examinés. ' +
        'Un dépôt publie un seul onglet : pour publier aussi ces onglets, déposez chacun dans un fichier à part.',
    ]);
  });

  it('quotes a long sheet name cut, and counts tables not examined', () => {
    const long = 'x'.repeat(5000);
    const told = sheetChosenIssue('Données', true, [{ name: long, table: true }, { name: 'Notice', table: false }], 3);
    expect(told?.message).toBe(
      'Le classeur a plusieurs onglets remplis : seul l’onglet « Données » (celui qui était ouvert à l’enregistrement) a été lu. ' +
        `Onglets ignorés : « ${'x'.repeat(99)}… » et 3 onglets non examinés. ` +
        'Un dépôt publie un seul onglet : pour publier aussi ces onglets, déposez chacun dans un fichier à part.',
    );
    expect(sheetChosenIssue('Données', false, [{ name: 'Notice', table: false }], 1)?.message).toBe(
      'Le classeur a de nombreux onglets : seul l’onglet « Données » a été lu ; 1 autre onglet n’a pas été examiné. ' +
        'Un dépôt publie un seul onglet : pour publier aussi un autre onglet, déposez-le dans un fichier à part.',
    );
    expect(sheetChosenIssue('Données', false, [{ name: 'Notice', table: false }])).toBeUndefined();
  });
});
