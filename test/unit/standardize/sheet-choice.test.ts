import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { readXlsx } from '../../../functions/domain/standardize/read/xlsx';
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
