import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { columnLetters } from '../../../functions/domain/standardize/read/cell-ref';
import { MAX_MERGES, MergedCells, verticalMerge } from '../../../functions/domain/standardize/read/merged-cells';
import { readOds } from '../../../functions/domain/standardize/read/ods';
import { readXlsx } from '../../../functions/domain/standardize/read/xlsx';
import { XlsxCell, ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { readAll } from './helpers';

const merged = (issues: readonly ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.code === 'merged-cells');

// sub-merged: the attribuant typed once, its two cells merged down the five subsidies.
const HEADER = ['nomAttribuant', 'idAttribuant', 'nomBeneficiaire', 'montant'];
const BENEFICIAIRES = ['Comité des fêtes', 'Club de foot', 'Harmonie', 'Bibliothèque', 'Chorale'];
const ATTRIBUANT = ['Commune de Saint-Lô', '21500502700013'];

const xlsxMerged = (): Buffer =>
  xlsxBook([
    {
      name: 'Subventions',
      rows: [HEADER, ...BENEFICIAIRES.map((b, i): XlsxCell[] => [...(i === 0 ? ATTRIBUANT : [null, null]), b, 100 * (i + 1)])],
      merges: ['A2:A6', 'B2:B6'],
    },
  ]);

const odsMerged = (): Buffer => {
  const spanned = 'table:number-rows-spanned="5" table:number-columns-spanned="1"';
  const rows =
    ods.row(HEADER.map((h) => ods.text(h)).join('')) +
    BENEFICIAIRES.map((b, i) =>
      ods.row((i === 0 ? ods.text(ATTRIBUANT[0], spanned) + ods.text(ATTRIBUANT[1], spanned) : ods.covered(2)) + ods.text(b) + ods.text(String(100 * (i + 1)))),
    ).join('');
  return odsBook([{ name: 'Subventions', rows }]);
};

describe.each([
  ['xlsx', xlsxMerged],
  ['ods', odsMerged],
] as const)('%s: cells merged down a column', (_, build) => {
  it('repeats the merged value on each row it covers, with one warning naming the merges', async () => {
    const { rows, issues, codes } = await readAll(build());
    expect(codes).toEqual([]);
    expect(rows.map((r) => r.cells)).toEqual(BENEFICIAIRES.map((b, i) => [...ATTRIBUANT, b, String(100 * (i + 1))]));
    expect(merged(issues)).toEqual([
      {
        code: 'merged-cells',
        severity: 'warning',
        row: 2,
        message:
          'Les cellules fusionnées A2:A6 et B2:B6 couvrent plusieurs lignes : la valeur de chacune, affichée sur toutes ses lignes, a été recopiée sur chaque ligne. ' +
          'Vérifiez qu’elle vaut bien pour toutes ; pour l’éviter, défusionnez et remplissez chaque cellule.',
      },
    ]);
  });
});

describe('merges left as they are', () => {
  it('xlsx: a title merged across, a block of several columns, a merge whose first cell is empty', async () => {
    const bytes = xlsxBook([
      {
        name: 'F',
        rows: [['Subventions 2024', null, null], ['nom', 'montant', 'objet'], ['Harmonie', 10, 'Fête'], ['Chorale', null, null], [null, 30, 'Concert'], [null, 40, 'Bal']],
        merges: ['A1:C1', 'B3:C4', 'A5:A6'],
      },
    ]);
    const { rows, issues } = await readAll(bytes);
    expect(rows.map((r) => r.cells)).toEqual([
      ['Harmonie', '10', 'Fête'],
      ['Chorale', '', ''],
      ['', '30', 'Concert'],
      ['', '40', 'Bal'],
    ]);
    expect(merged(issues)).toEqual([]);
  });

  it('ods: a title merged across and a block of several columns', async () => {
    const rows =
      ods.row(ods.text('Subventions 2024', 'table:number-columns-spanned="3" table:number-rows-spanned="1"') + ods.covered(2)) +
      ods.row(ods.text('nom') + ods.text('montant') + ods.text('objet')) +
      ods.row(ods.text('Harmonie') + ods.text('10', 'table:number-columns-spanned="2" table:number-rows-spanned="2"') + ods.covered()) +
      ods.row(ods.text('Chorale') + ods.covered(2));
    const { rows: read, issues } = await readAll(odsBook([{ name: 'F', rows }]));
    expect(read.map((r) => r.cells)).toEqual([
      ['Harmonie', '10', ''],
      ['Chorale', '', ''],
    ]);
    expect(merged(issues)).toEqual([]);
  });
});

describe('ods: merges and repeated rows', () => {
  it('fills the copies of a repeated row that the merge covers, not those below it', () => {
    const rows =
      ods.row(ods.text('nom') + ods.text('objet')) +
      ods.row(ods.text('Mairie', 'table:number-rows-spanned="3"') + ods.text('Fête')) +
      ods.row(ods.covered() + ods.text('Bal'), 5);
    expect([...readOds(odsBook([{ name: 'F', rows }]))].map((r) => [r.row, r.cells])).toEqual([
      [1, ['nom', 'objet']],
      [2, ['Mairie', 'Fête']],
      [3, ['Mairie', 'Bal']],
      [4, ['Mairie', 'Bal']],
      [5, ['', 'Bal']],
      [6, ['', 'Bal']],
      [7, ['', 'Bal']],
    ]);
  });

  it('forgets the merges of a table that gave way', async () => {
    const notice =
      ods.row(ods.text('Mode d’emploi', 'table:number-rows-spanned="4"')) + ods.row(ods.covered() + ods.text('à lire')) + ods.row(ods.covered() + ods.text('x'));
    const data = ods.row(ods.text('nom') + ods.text('objet')) + ods.row(ods.text('Mairie') + ods.text('Fête')) + ods.row(ods.empty() + ods.text('Bal'));
    const score = (cells: readonly unknown[]): number => cells.filter((c) => c === 'nom' || c === 'objet').length;
    const { rows, issues } = await readAll(odsBook([{ name: 'Notice', rows: notice }, { name: 'Données', rows: data }]), { headerScore: score });
    expect(rows.map((r) => r.cells)).toEqual([
      ['Mairie', 'Fête'],
      ['', 'Bal'],
    ]);
    expect(merged(issues)).toEqual([]);
  });
});

describe('merges without blow-up', () => {
  it('ods: counts the cells a merge far to the right adds towards the cap', () => {
    // A merge at the last column down 1 048 575 rows, over one row repeated: each copy would grow to 16 384 cells.
    const rows =
      ods.row(ods.text('a')) +
      ods.row(ods.text('b') + ods.empty(16382) + ods.text('x', 'table:number-rows-spanned="1048575"')) +
      ods.row(ods.text('c'), 1048574);
    const bytes = odsBook([{ name: 'F', rows }]);
    expect(bytes.length).toBeLessThan(2048);
    const started = Date.now();
    // Under the cap as written (1 + 16 384 + 1 048 574 cells), over it once filled.
    expect(() => [...readOds(bytes, { maxCells: 1100000 })]).toThrow(expect.objectContaining({ code: 'zip-too-large' }));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('xlsx: counts the cells a merge far to the right adds towards the cap', () => {
    const rows: XlsxCell[][] = [['a'], ['b'], ...Array.from({ length: 50 }, () => ['c'])];
    const bytes = xlsxBook([{ name: 'F', rows, merges: ['XFD1:XFD1048576'] }]);
    const far = xlsxBook([{ name: 'F', rows: [['a', ...Array.from({ length: 16382 }, () => undefined), 'x'], ...rows.slice(1)], merges: ['XFD1:XFD1048576'] }]);
    // Without a value in its first cell, the merge adds nothing.
    expect([...readXlsx(bytes, { maxCells: 100 })]).toHaveLength(52);
    expect(() => [...readXlsx(far, { maxCells: 100000 })]).toThrow(expect.objectContaining({ code: 'zip-too-large' }));
  });

  it('xlsx: finds <mergeCells> cut between two inflation steps, with a namespace prefix', () => {
    // Stored parts are inflated 64 KiB at a time: the comment moves `<x:mergeCells` across the seam.
    const rows: XlsxCell[][] = [['nom', 'objet'], ['Mairie', 'Fête'], [null, 'Bal']];
    for (let cut = 0; cut < 16; cut++) {
      const probe = xlsxBook([{ name: 'F', rows, merges: ['A2:A3'] }], { prefix: 'x', store: true });
      const sheetStart = probe.indexOf('<?xml', probe.indexOf('xl/worksheets/sheet1.xml'));
      const before = probe.indexOf('<x:mergeCells', sheetStart) - sheetStart;
      // A comment of `padding` spaces (7 bytes more) puts the word `mergeCells` at 65 538 - cut:
      // after the seam with its `<x:` before it, across it, or before it.
      const padding = 65536 - cut - 8 - before;
      const bytes = xlsxBook([{ name: 'F', rows, merges: ['A2:A3'], padding }], { prefix: 'x', store: true });
      const issues: ValidationIssue[] = [];
      expect([...readXlsx(bytes, { issues })].map((r) => r.cells)).toEqual([
        ['nom', 'objet'],
        ['Mairie', 'Fête'],
        ['Mairie', 'Bal'],
      ]);
      expect(merged(issues)).toHaveLength(1);
    }
  });
});

/** A row whose cell writes are counted. */
function counted(row: number, values: string[]): { row: { row: number; cells: string[] }; writes: () => number } {
  let writes = 0;
  const cells = new Proxy(values, {
    set(target, key, value) {
      if (key !== 'length') writes++;
      return Reflect.set(target, key, value);
    },
  });
  return { row: { row, cells }, writes: () => writes };
}

describe('merges repeated or overlapping', () => {
  it('fills a column once a row, however many times its merge is repeated', () => {
    const fill = new MergedCells();
    for (let i = 0; i < MAX_MERGES; i++) fill.add({ col: 0, top: 2, bottom: 1048576 });
    fill.apply({ row: 2, cells: ['x', '1'] });
    for (const r of [3, 4, 1000]) {
      const { row, writes } = counted(r, ['', String(r)]);
      expect(fill.apply(row)).toBe(0);
      expect(row.cells).toEqual(['x', String(r)]);
      expect(writes()).toBe(1);
    }
    expect(fill.issue()?.message).toMatch(/^La cellule fusionnée A2:A1048576 couvre plusieurs lignes/);
  });

  it('keeps the first of overlapping merges in a column (ods: one starting on each row), then the next one after it', () => {
    const fill = new MergedCells();
    const rows: string[][] = [];
    for (let r = 2; r <= 1001; r++) {
      // Merges down column B from each row to row 500 (overlapping), then B600:B700 after them.
      if (r < 500) fill.add({ col: 1, top: r, bottom: 500 });
      if (r === 600) fill.add({ col: 1, top: 600, bottom: 700 });
      const { row, writes } = counted(r, ['n', `v${r}`]);
      fill.apply(row);
      expect(writes()).toBeLessThanOrEqual(1);
      rows.push(row.cells);
    }
    /** The cells of row r. */
    const at = (r: number) => rows[r - 2];
    expect(at(2)).toEqual(['n', 'v2']);
    expect(at(500)).toEqual(['n', 'v2']);
    expect(at(501)).toEqual(['n', 'v501']);
    expect(at(601)).toEqual(['n', 'v600']);
    expect(at(700)).toEqual(['n', 'v600']);
    expect(at(701)).toEqual(['n', 'v701']);
    expect(fill.issue()?.message).toMatch(/^Les cellules fusionnées B2:B500 et B600:B700 couvrent/);
  });

  it('xlsx: ten thousand copies of one merge read as that merge', async () => {
    const rows: XlsxCell[][] = [['nom', 'n'], ['Mairie', 1], ...Array.from({ length: 20 }, (_, i): XlsxCell[] => [null, i + 2])];
    const once = await readAll(xlsxBook([{ name: 'F', rows, merges: ['A2:A22'] }]));
    const repeated = await readAll(xlsxBook([{ name: 'F', rows, merges: Array.from({ length: MAX_MERGES }, () => 'A2:A22') }]));
    expect(repeated.rows).toEqual(once.rows);
    expect(repeated.rows.every((r) => r.cells[0] === 'Mairie')).toBe(true);
    expect(merged(repeated.issues)).toEqual(merged(once.issues));
  });
});

describe('merge references', () => {
  it('reads merges down one column, not across', () => {
    expect(verticalMerge('B2:B6')).toEqual({ col: 1, top: 2, bottom: 6 });
    expect(verticalMerge('$AA$10:$AA$12')).toEqual({ col: 26, top: 10, bottom: 12 });
    expect(verticalMerge('A1:C1')).toBeUndefined();
    expect(verticalMerge('B2:C6')).toBeUndefined();
    expect(verticalMerge('B2')).toBeUndefined();
    expect(verticalMerge('B6:B2')).toBeUndefined();
  });

  it('names columns by their letters', () => {
    expect([0, 1, 25, 26, 27, 701, 702, 16383].map(columnLetters)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'ZZ', 'AAA', 'XFD']);
  });
});
