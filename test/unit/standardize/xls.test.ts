/**
 * Excel 97-2003 workbooks (.xls, BIFF8 in an OLE2 compound file). Sheets typed into
 * LibreOffice Calc and saved by it as .xls and as .xlsx (test/fixtures/xls/README.md) give the
 * same rows, warnings and hidden columns through readXls as through readXlsx; records Calc
 * does not write (a string going on in a CONTINUE record stored otherwise, cells out of row
 * order, an embedded chart, Excel's hyperlinks) are built by hand, and so are damaged and
 * hostile files, which are refused as unreadable without hanging.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import { CompoundFile, isCompoundFile } from '../../../functions/domain/standardize/read/cfb';
import { TableReadError } from '../../../functions/domain/standardize/read/errors';
import { readXls } from '../../../functions/domain/standardize/read/xls';
import { SheetReadOptions, SheetRow, readXlsx } from '../../../functions/domain/standardize/read/xlsx';
import { readAll, withoutTexts } from './helpers';

import { compoundFile } from '../../fixtures/cfb-builder';

const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, '../../fixtures/xls', name));

const FIELDS = new Set(subventions.fields.map((f) => f.name.toLowerCase()));
/** How many subventions columns a row names (what the pipeline's header score does, simplified). */
const subventionsScore = (cells: readonly string[]): number => cells.filter((c) => FIELDS.has(c.trim().toLowerCase())).length;

interface Read {
  rows: SheetRow[];
  issues: ValidationIssue[];
  hiddenColumns: number[];
}

function read(reader: (bytes: Uint8Array, opts?: SheetReadOptions) => Generator<SheetRow>, bytes: Uint8Array, opts: SheetReadOptions = {}): Read {
  const issues: ValidationIssue[] = [];
  const hiddenColumns: number[] = [];
  const rows = withoutTexts(reader(bytes, { ...opts, issues, hiddenColumns }));
  return { rows, issues, hiddenColumns };
}

const xls = (bytes: Uint8Array, opts: SheetReadOptions = {}): SheetRow[] => withoutTexts(readXls(bytes, opts));

function thrown(run: () => unknown): TableReadError {
  try {
    run();
  } catch (e) {
    if (e instanceof TableReadError) return e;
    throw e;
  }
  throw new Error('nothing thrown');
}

describe('an .xls saved by LibreOffice Calc gives the rows its .xlsx gives', () => {
  const cases: [string, string, (r: Read, scored: boolean) => void][] = [
    [
      'sub-plain',
      'the subventions sheet: dates, currency, percentages, formulas, a boolean, a line break in a cell',
      ({ rows }) => {
        expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(rows[1].cells.slice(0, 9)).toEqual([
          'Commune de Saint-Ébréché-sur-Loire',
          '21350238800019',
          '2024-03-15',
          'DEL-2024-015',
          'Association Les Amis de l’Œuvre',
          '38047555800058',
          '',
          'Organisation du festival d’été « Les Estivales »\n2e édition',
          '1234.50',
        ]);
        expect(rows[1].cells[14]).toBe('0.45');
        expect(rows[2].cells[8]).toBe('3000');
        expect(rows[3].cells[13]).toBe('false');
        expect(rows[4].cells[14]).toBe('0.333333333333333');
      },
    ],
    [
      'sub-merged',
      'the attribuant merged down its five rows: copied on each, with the merged-cells warning',
      ({ rows, issues }) => {
        expect(rows.slice(1).map((r) => r.cells[0])).toEqual(Array(5).fill('Commune de Saint-Ébréché-sur-Loire'));
        expect(issues.map((i) => `${i.code}@${i.row}`)).toEqual(['merged-cells@2']);
      },
    ],
    [
      'sub-notes',
      'a notice tab first and the data tab shown at the save: the data tab, its hidden comment column',
      ({ rows, issues, hiddenColumns }, scored) => {
        expect(rows[0]).toEqual({ cells: ['Subventions attribuées en 2024 – Commune de Saint-Ébréché-sur-Loire'], row: 1 });
        expect(rows[1].cells).toEqual(['Mis à jour le', '2025-01-15']);
        expect(rows[2].cells[8]).toBe('Commentaire interne');
        // Without a schema, the notice is a tab with data like any other.
        expect(issues.map((i) => i.message)).toEqual(scored ? [] : [expect.stringContaining('Onglet ignoré : « Notice »')]);
        expect(hiddenColumns).toEqual([8]);
      },
    ],
    [
      'sub-years',
      'a tab per year, the 2024 one shown at the save: it is read, the sheet-chosen warning names 2023',
      ({ rows, issues }) => {
        expect(rows).toHaveLength(6);
        expect(issues.map((i) => i.code)).toEqual(['sheet-chosen']);
        expect(issues[0].message).toContain('« 2023 »');
      },
    ],
    [
      'sub-hidden',
      'rows 3 and 5 and column G hidden: read, and said to be hidden',
      ({ rows, hiddenColumns }) => {
        expect(rows.filter((r) => r.hidden).map((r) => r.row)).toEqual([3, 5]);
        expect(hiddenColumns).toEqual([6]);
      },
    ],
    [
      'sub-lists',
      'a hidden tab of drop-down lists first, an empty tab shown: the table on the third tab',
      ({ rows }) => {
        expect(rows[0].cells[0]).toBe('nomAttribuant');
        expect(rows).toHaveLength(6);
      },
    ],
    [
      'long-text',
      'texts longer than a record (the shared strings go on in CONTINUE records), accents, ’, Œ and emoji',
      ({ rows }) => {
        expect(rows).toHaveLength(401);
        const [latin, wide] = [rows[1].cells[1], rows[2].cells[1]];
        expect(latin.length).toBe(12000);
        expect(latin.startsWith('Été à Noël, façade crème brûlée ; ')).toBe(true);
        // Over 8224 bytes as UTF-16: split across records.
        expect(wide.length * 2).toBeGreaterThan(8224 * 3);
        expect(wide.endsWith('Fin 🎉 ✅')).toBe(true);
        expect(rows[2].cells[2]).toBe('🎉 fête');
        expect(rows[400].cells[2]).toBe(latin.split('').reverse().join(''));
      },
    ],
    [
      'formats',
      'number formats, formula results of every type, error codes, RK and MULRK numbers',
      ({ rows }) => {
        const byCase = new Map(rows.map((r) => [r.cells[0], r.cells.slice(1)]));
        expect(Object.fromEntries([...byCase].map(([k, v]) => [k, v.join('|')]))).toMatchObject({
          entier: '2024',
          'plus de 15 chiffres': '12345678901234600',
          '0.1+0.2': '0.3',
          '0.00 avec 7.1': '7.10',
          '0.00 avec 2024': '2024',
          monnaie: '1234.50',
          'date et heure': '2024-01-29T14:32:00',
          heure: '13:30:00',
          'date 1900': '1900-01-01',
          'booléen format': 'true',
          'VRAI()': 'true',
          'FAUX()': 'false',
          'texte formule': 'Saint-Ébréché',
          'texte vide formule': '',
          '#DIV/0!': '#DIV/0!',
          '#N/A': '#N/A',
          'nombre en texte': '01000',
          'négatif RK': '-536870912',
          centièmes: '12.34',
          plusieurs: '1|2|3.5|0.25|100',
        });
      },
    ],
    [
      'date1904',
      'a workbook counting its dates from 1904 (DATEMODE)',
      ({ rows }) => {
        expect(rows.slice(1).map((r) => r.cells[1])).toEqual(['2024-03-15', '1999-12-31', '1904-01-02', '2024-12-31']);
      },
    ],
    [
      'links',
      'hyperlinks (HLINK: a label, an address as label, a #fragment, a file, a place in the workbook), a HYPERLINK formula, one filled down (SHRFMLA)',
      ({ rows }) => {
        const links = Object.fromEntries(rows.filter((r) => r.links).map((r) => [r.row, Object.fromEntries(r.links ?? [])]));
        expect(links).toEqual({
          2: { 1: 'https://example.org/rapport.pdf', 2: 'https://www.bourg-les-valence.fr/deliberations/2024-001.pdf' },
          3: { 2: 'https://www.bourg-les-valence.fr/deliberations/2024-002.pdf' },
          4: { 2: 'https://www.bourg-les-valence.fr/deliberations/2024-003.pdf' },
          7: { 2: 'https://www.bourg-les-valence.fr/actes?id=2024-006&type=délib' },
          8: { 2: '../../../../../C:/Users/mairie/Documents/2024-007.pdf' },
          9: { 2: 'https://www.example.org/page.html#section2' },
          11: { 2: 'https://www.example.org/annexe.pdf' },
          12: { 2: 'https://www.example.org/annexe.pdf' },
          13: { 2: 'https://www.example.org/annexe.pdf' },
        });
        expect(rows[3].cells[2]).toBe('Voir la délibération');
      },
    ],
  ];

  it.each(cases)('%s: %s', (name, _what, check) => {
    const xlsBytes = fixture(`${name}.xls`);
    const xlsxBytes = fixture(`${name}.xlsx`);
    for (const scored of [false, true]) {
      const opts = scored ? { headerScore: subventionsScore } : {};
      const fromXls = read(readXls, xlsBytes, opts);
      expect(fromXls).toStrictEqual(read(readXlsx, xlsxBytes, opts));
      check(fromXls, scored);
    }
  });

  it('reads a stream of the mini stream (under 4096 bytes): the summary information', () => {
    const file = new CompoundFile(fixture('sub-plain.xls'));
    expect(file.streamNames()).toContain('Workbook');
    const summary = file.stream('\u0005SummaryInformation');
    expect(summary && summary.length < 4096 && [summary[0], summary[1]]).toEqual([0xfe, 0xff]);
    expect(file.stream('workbook')).toEqual(file.stream('Workbook'));
    expect(file.stream('EncryptionInfo')).toBeUndefined();
  });

  it('stops at maxCells with the error of an .xlsx too large', () => {
    const e = thrown(() => xls(fixture('sub-plain.xls'), { maxCells: 40 }));
    expect(e.code).toBe('zip-too-large');
    expect(e.message).toBe(thrown(() => [...readXlsx(fixture('sub-plain.xlsx'), { maxCells: 40 })]).message);
  });
});

// --- Files built by hand ---

const u16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const f64 = (n: number): number[] => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n);
  return [...b];
};
const utf16 = (s: string): number[] => [...Buffer.from(s, 'utf16le')];
const latin1 = (s: string): number[] => [...Buffer.from(s, 'latin1')];
/** A BIFF8 string with a 16-bit length: one byte a character when all fit, else UTF-16. */
const str16 = (s: string): number[] => (/[^\x00-\xff]/.test(s) ? [...u16(s.length), 1, ...utf16(s)] : [...u16(s.length), 0, ...latin1(s)]);

const record = (type: number, data: number[]): Buffer => Buffer.from([...u16(type), ...u16(data.length), ...data]);
const rk = (row: number, col: number, n: number, xf = 0): Buffer => record(0x027e, [...u16(row), ...u16(col), ...u16(xf), ...u32(((n << 2) | 2) >>> 0)]);
const labelsst = (row: number, col: number, index: number): Buffer => record(0x00fd, [...u16(row), ...u16(col), ...u16(0), ...u32(index)]);
const label = (row: number, col: number, s: string): Buffer => record(0x0204, [...u16(row), ...u16(col), ...u16(0), ...str16(s)]);
const number = (row: number, col: number, n: number, xf = 0): Buffer => record(0x0203, [...u16(row), ...u16(col), ...u16(xf), ...f64(n)]);
const bof = (kind: number, version = 0x0600): Buffer => record(0x0809, [...u16(version), ...u16(kind), ...u16(0), ...u16(0), ...u32(0), ...u32(0)]);
const EOF = record(0x000a, []);

interface SheetSpec {
  name: string;
  hidden?: boolean;
  records: Buffer[];
}

/** A Workbook stream: globals (BOF, `globals`, BOUNDSHEETs, EOF), then each sheet's BOF, records, EOF. */
function workbook(sheets: SheetSpec[], globals: Buffer[] = []): Buffer {
  const boundsheet = (s: SheetSpec, offset: number): Buffer => record(0x0085, [...u32(offset), s.hidden ? 1 : 0, 0, s.name.length, 0, ...latin1(s.name)]);
  const head = [bof(0x0005), ...globals];
  const size = (bs: Buffer[]): number => bs.reduce((n, b) => n + b.length, 0);
  let offset = size(head) + size(sheets.map((s) => boundsheet(s, 0))) + EOF.length;
  const bodies = sheets.map((s) => Buffer.concat([bof(0x0010), ...s.records, EOF]));
  const bounds = sheets.map((s, i) => {
    const b = boundsheet(s, offset);
    offset += bodies[i].length;
    return b;
  });
  return Buffer.concat([...head, ...bounds, EOF, ...bodies]);
}

const sheet = (...records: Buffer[]): Buffer => workbook([{ name: 'Feuille1', records }]);

/** An .xls of one Workbook stream, padded past the mini stream's cutoff as real files are. */
const xlsFile = (stream: Buffer): Buffer => compoundFile([{ name: 'Workbook', data: Buffer.concat([stream, Buffer.alloc(Math.max(0, 4096 - stream.length))]) }]);

describe('BIFF8 records LibreOffice does not write, built by hand', () => {
  it('reads the compound file and workbook written by these tests’ own builder', () => {
    const file = xlsFile(sheet(label(0, 0, 'nom'), rk(0, 1, 42)));
    expect(isCompoundFile(file)).toBe(true);
    expect(new CompoundFile(file).streamNames()).toEqual(['Workbook']);
    expect(xls(file)).toEqual([{ cells: ['nom', '42'], row: 1 }]);
  });

  it('re-reads the flag byte of each CONTINUE record inside a shared string; skips rich-text runs and phonetic data across records', () => {
    // String 0: 6 characters, « Élé » in one byte each, then the record ends; the CONTINUE
    // says « 🎉! » goes on in UTF-16. String 1: rich text (2 runs) and phonetic data (6
    // bytes), its characters and runs split across records. String 2 starts a record: no flag byte.
    const first = [...u32(3), ...u32(3), ...u16(6), 0x00, ...latin1('Élé')];
    const second = [0x01, ...utf16('🎉!'), ...u16(4), 0x0c, ...u16(2), ...u32(6), ...latin1('ab')];
    const third = [0x01, ...utf16('cd'), 1, 0, 2, 0, 3, 0];
    const fourth = [4, 0, 5, 6, 7, 8, 9, 10];
    const fifth = [...u16(3), 0x00, ...latin1('fin')];
    const records = [record(0x00fc, first), ...[second, third, fourth, fifth].map((d) => record(0x003c, d))];
    // The fourth cell's index is past the strings: an empty cell, as in an .xlsx.
    const stream = workbook([{ name: 'Textes', records: [labelsst(0, 0, 0), labelsst(0, 1, 1), labelsst(0, 2, 2), labelsst(0, 3, 7)] }], records);
    expect(xls(xlsFile(stream))).toEqual([{ cells: ['Élé🎉!', 'abcd', 'fin'], row: 1 }]);
  });

  it('reads LABEL, RSTRING, NUMBER, RK (integer, hundredths, double), MULRK, BOOLERR, FORMULA results, and no value for BLANK and MULBLANK', () => {
    const formula = (row: number, col: number, result: number[]): Buffer => record(0x0006, [...u16(row), ...u16(col), ...u16(0), ...result, ...u16(0), ...u32(0), ...u16(0)]);
    const rkRaw = (row: number, col: number, raw: number): Buffer => record(0x027e, [...u16(row), ...u16(col), ...u16(0), ...u32(raw)]);
    const rkDouble = ((): number => Buffer.from(f64(1.5)).readUInt32LE(4))();
    const records = [
      label(0, 0, 'Œuvre'),
      record(0x00d6, [...u16(0), ...u16(1), ...u16(0), ...str16('riche'), ...u16(1), 0, 0, 1, 0]),
      number(0, 2, -0.5),
      record(0x0201, [...u16(0), ...u16(3), ...u16(0)]),
      record(0x00be, [...u16(0), ...u16(4), ...u16(0), ...u16(0), ...u16(5)]),
      rkRaw(1, 0, ((4513 << 2) | 3) >>> 0),
      rkRaw(1, 1, rkDouble),
      rk(1, 2, -7),
      record(0x00bd, [...u16(2), ...u16(1), ...u16(0), ...u32((1 << 2) | 2), ...u16(0), ...u32((25 << 2) | 3), ...u16(2)]),
      record(0x0205, [...u16(3), ...u16(0), ...u16(0), 1, 0]),
      record(0x0205, [...u16(3), ...u16(1), ...u16(0), 0x2a, 1]),
      formula(4, 0, [0, 0, 0, 0, 0, 0, 0xff, 0xff]),
      record(0x0207, str16('résultat')),
      formula(4, 1, [1, 0, 0, 0, 0, 0, 0xff, 0xff]),
      formula(4, 2, [2, 0, 0x07, 0, 0, 0, 0xff, 0xff]),
      formula(4, 3, [3, 0, 0, 0, 0, 0, 0xff, 0xff]),
      formula(4, 4, f64(2.25)),
    ];
    expect(xls(xlsFile(sheet(...records)))).toEqual([
      { cells: ['Œuvre', 'riche', '-0.5'], row: 1 },
      { cells: ['45.13', '1.5', '-7'], row: 2 },
      { cells: ['', '1', '0.25'], row: 3 },
      { cells: ['true', '#N/A'], row: 4 },
      { cells: ['résultat', 'false', '#DIV/0!', '', '2.25'], row: 5 },
    ]);
  });

  it('gives a number the text of its cell style’s format (FORMAT, XF): a date, 1904 dates, two decimals, a built-in date format', () => {
    const xf = (format: number): Buffer => record(0x00e0, [...u16(0), ...u16(format), ...Array(16).fill(0)]);
    const globals = [record(0x0022, u16(1)), record(0x041e, [...u16(164), ...str16('dd/mm/yyyy')]), record(0x041e, [...u16(165), ...str16('0.00')]), xf(0), xf(164), xf(165), xf(14)];
    const stream = workbook([{ name: 'Dates', records: [number(0, 0, 43904, 1), number(0, 1, 7.1, 2), number(0, 2, 43904.5, 3), number(0, 3, 7.1, 0)] }], globals);
    expect(xls(xlsFile(stream))).toEqual([{ cells: ['2024-03-15', '7.10', '2024-03-15T12:00:00', '7.1'], row: 1 }]);
  });

  it('sorts by row the cells of a writer that puts them in any order', () => {
    const records = [label(2, 1, 'c2'), label(0, 0, 'a1'), label(2, 0, 'c1'), label(1, 1, 'b2'), label(0, 1, 'a2'), label(1, 0, 'b1')];
    expect(xls(xlsFile(sheet(...records)))).toEqual([
      { cells: ['a1', 'a2'], row: 1 },
      { cells: ['b1', 'b2'], row: 2 },
      { cells: ['c1', 'c2'], row: 3 },
    ]);
  });

  it('passes over the records of a chart embedded in the sheet', () => {
    const chart = [bof(0x0020), number(0, 0, 99), label(5, 5, 'série'), EOF];
    expect(xls(xlsFile(sheet(label(0, 0, 'nom'), ...chart, label(1, 0, 'Dupont'))))).toEqual([
      { cells: ['nom'], row: 1 },
      { cells: ['Dupont'], row: 2 },
    ]);
  });

  it('reads the tab shown (WINDOW1), passes over a hidden one, and warns about the other tab with data', () => {
    const window1 = (tab: number): Buffer => record(0x003d, [...Array(10).fill(0), ...u16(tab), ...u16(0), ...u16(1), ...u16(600)]);
    const sheets = [
      { name: 'Listes', hidden: true, records: [label(0, 0, 'oui'), label(1, 0, 'non')] },
      { name: '2023', records: [label(0, 0, 'nomAttribuant'), label(0, 1, 'montant'), rk(1, 1, 10)] },
      { name: '2024', records: [label(0, 0, 'nomAttribuant'), label(0, 1, 'montant'), rk(1, 1, 20)] },
    ];
    const { rows, issues } = read(readXls, xlsFile(workbook(sheets, [window1(2)])), { headerScore: subventionsScore });
    expect(rows).toEqual([
      { cells: ['nomAttribuant', 'montant'], row: 1 },
      { cells: ['', '20'], row: 2 },
    ]);
    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('seul l’onglet « 2024 » (celui qui était ouvert à l’enregistrement) a été lu. Onglet ignoré : « 2023 »')]);
    // The tab shown is the hidden one: the first visible sheet with data.
    expect(xls(xlsFile(workbook(sheets, [window1(0)])))[1].cells).toEqual(['', '10']);
  });

  it('reads ROW (hidden rows), COLINFO (hidden columns) and MERGEDCELLS (down a column only)', () => {
    const row = (r: number, flags: number): Buffer => record(0x0208, [...u16(r), ...u16(0), ...u16(2), ...u16(255), ...u16(0), ...u16(0), ...u16(flags), ...u16(15)]);
    const colinfo = (first: number, last: number, flags: number): Buffer => record(0x007d, [...u16(first), ...u16(last), ...u16(2000), ...u16(15), ...u16(flags), ...u16(0)]);
    const merges = record(0x00e5, [...u16(2), ...[0, 2, 0, 0].flatMap(u16), ...[0, 0, 1, 2].flatMap(u16)]);
    const records = [colinfo(1, 1, 1), colinfo(2, 3, 0), row(0, 0), row(1, 0x20), label(0, 0, 'Commune'), label(0, 1, 'titre'), label(1, 1, 'b'), label(2, 1, 'c'), merges];
    const { rows, issues, hiddenColumns } = read(readXls, xlsFile(sheet(...records)));
    expect(rows).toEqual([
      { cells: ['Commune', 'titre'], row: 1 },
      { cells: ['Commune', 'b'], row: 2, hidden: true },
      { cells: ['Commune', 'c'], row: 3 },
    ]);
    expect(hiddenColumns).toEqual([1]);
    expect(issues.map((i) => `${i.code}@${i.row}`)).toEqual(['merged-cells@1']);
  });

  it('reads Excel’s hyperlinks: an address and its #fragment (location), a file moniker, a path saved as text; not a place in the workbook', () => {
    const string = (s: string): number[] => [...u32(s.length + 1), ...utf16(s + '\0')];
    const URL_MONIKER = [...Buffer.from('e0c9ea79f9bace118c8200aa004ba90b', 'hex')];
    const FILE_MONIKER = [...Buffer.from('0303000000000000c000000000000046', 'hex')];
    const head = (row: number, flags: number): number[] => [...u16(row), ...u16(row), ...u16(0), ...u16(0), ...Array(16).fill(0xd0), ...u32(2), ...u32(flags)];
    const url = (address: string): number[] => [...URL_MONIKER, ...u32((address.length + 1) * 2), ...utf16(address + '\0')];
    const file = (ansi: string, up: number): number[] => [...FILE_MONIKER, ...u16(up), ...u32(ansi.length + 1), ...latin1(ansi + '\0'), ...u16(0xffff), ...u16(0xdead), ...Array(20).fill(0), ...u32(0)];
    const links = [
      record(0x01b8, [...head(0, 0x1 | 0x2 | 0x8 | 0x10 | 0x14), ...string('Voir'), ...url('https://example.org/page.html'), ...string('section2')]),
      record(0x01b8, [...head(1, 0x1 | 0x14), ...string('Poste'), ...file('Documents\\acte.pdf', 2)]),
      record(0x01b8, [...head(2, 0x1 | 0x100 | 0x2), ...string('\\\\serveur\\actes\\a.pdf')]),
      record(0x01b8, [...head(3, 0x8 | 0x10), ...string('Annexe'), ...string('Annexes!A1')]),
      // Its URL moniker says it is longer than the record: the link is dropped, the cell kept.
      record(0x01b8, [...head(4, 0x1), ...URL_MONIKER, ...u32(5000), ...utf16('https://')]),
    ];
    const cells = [0, 1, 2, 3, 4].map((r) => label(r, 0, `lien ${r}`));
    const rows = xls(xlsFile(sheet(...cells, ...links)));
    expect(rows.map((r) => r.links && Object.fromEntries(r.links))).toEqual([
      { 0: 'https://example.org/page.html#section2' },
      { 0: '../../Documents\\acte.pdf' },
      { 0: '\\\\serveur\\actes\\a.pdf' },
      undefined,
      undefined,
    ]);
  });

  it('refuses an encrypted workbook (FILEPASS: a password, or a protected structure, which encrypts an .xls too), and says so of an encrypted .xlsx in its container', async () => {
    const { error } = await readAll(compoundFile([{ name: 'EncryptionInfo', data: Buffer.alloc(4096) }, { name: 'EncryptedPackage', data: Buffer.alloc(4096) }]));
    expect(error?.code).toBe('encrypted-file');
    const filepass = workbook([{ name: 'Feuille1', records: [] }], [record(0x002f, [1, 0, ...Array(52).fill(0)])]);
    const e = thrown(() => xls(xlsFile(filepass)));
    expect(e.code).toBe('encrypted-file');
    expect(e.message).toContain('par la protection de sa structure');
    const encrypted = compoundFile([
      { name: 'EncryptionInfo', data: Buffer.alloc(600) },
      { name: 'EncryptedPackage', data: Buffer.alloc(600) },
    ]);
    expect(thrown(() => xls(encrypted)).code).toBe('encrypted-file');
  });

  it('refuses Excel 5.0/95 (BIFF5, a Book stream) with a French message', () => {
    const message = 'Le format Excel 5.0/95 (.xls) n’est pas pris en charge : ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le en .xlsx ou en CSV.';
    const biff5 = Buffer.concat([bof(0x0005, 0x0500), EOF, Buffer.alloc(4096)]);
    expect([thrown(() => xls(compoundFile([{ name: 'Book', data: biff5 }]))).message]).toEqual([message]);
    expect(thrown(() => xls(compoundFile([{ name: 'Workbook', data: biff5 }])))).toMatchObject({ code: 'unknown-format', message });
  });
});

describe('a damaged or hostile .xls is refused as unreadable, quickly', () => {
  const good = xlsFile(sheet(label(0, 0, 'nom'), rk(1, 0, 1)));
  /** `good` with the little-endian uint32 at `offset` set to `value`. */
  const patched = (offset: number, value: number, base: Buffer = good): Buffer => {
    const b = Buffer.from(base);
    b.writeUInt32LE(value >>> 0, offset);
    return b;
  };
  // The builder's layout: FAT in sector 0 (offset 512), directory in sector 1 (offset 1024), the Workbook stream from sector 2.
  const FAT = 512;
  const DIR = 1024;
  const WORKBOOK_ENTRY = DIR + 128;
  const STREAM = 1536;

  const unreadable = (bytes: Uint8Array, detail?: string | RegExp): void => {
    const e = thrown(() => xls(bytes));
    expect(e.code).toBe('invalid-spreadsheet');
    expect(e.message).toMatch(/^Le classeur est illisible : /);
    if (detail) expect(e.message).toMatch(detail);
  };

  it.each<[string, () => Uint8Array, string | RegExp]>([
    ['not a compound file', () => Buffer.from('Bonjour, ceci n’est pas un classeur'), 'Excel 97-2003'],
    ['a header cut short', () => good.subarray(0, 300), 'tronqué'],
    ['an unknown sector size', () => Buffer.from(good).fill(20, 30, 31), 'secteur'],
    ['a FAT chain looping on itself', () => patched(FAT + 4 * 3, 2), 'en boucle'],
    ['a chain to a sector past the file', () => patched(FAT + 4 * 3, 5000), 'hors du fichier'],
    ['a stream starting past the file', () => patched(WORKBOOK_ENTRY + 116, 0x7ffffff0), 'hors du fichier'],
    ['a stream longer than the file', () => patched(WORKBOOK_ENTRY + 120, 50_000_000), /plus long|hors du fichier|fin de chaîne/],
    ['a FAT sector count larger than the file', () => patched(44, 1_000_000), 'table d’allocation'],
    ['a FAT sector past the file', () => patched(76, 999), 'hors du fichier'],
    ['a directory chain looping', () => patched(FAT + 4, 1), 'en boucle'],
    ['no Workbook stream', () => compoundFile([{ name: 'WordDocument', data: Buffer.alloc(5000) }]), 'pas de classeur'],
    ['a record longer than the stream', () => Buffer.from(good).fill(0xff, STREAM + 2, STREAM + 4), 'tronqué'],
    ['a sheet offset past the stream', () => xlsFile(Buffer.from(sheet()).fill(0x7f, 24, 28)), 'introuvable'],
    ['a BIFF version unknown', () => xlsFile(workbook([], [])).fill(7, STREAM + 4, STREAM + 5), 'version'],
    ['a workbook without sheets', () => xlsFile(workbook([])), 'aucune feuille'],
    ['a MULRK past the widest row', () => xlsFile(sheet(record(0x00bd, [...u16(0), ...u16(16380), ...[...Array(10)].flatMap(() => [...u16(0), ...u32(6)]), ...u16(16389)]))), 'plus de 16384 colonnes'],
    ['a shared string longer than its record', () => xlsFile(workbook([{ name: 'F', records: [labelsst(0, 0, 0)] }], [record(0x00fc, [...u32(1), ...u32(1), ...u16(60000), 0, ...latin1('court')])])), 'tronquée'],
    ['a cell record too short', () => xlsFile(sheet(record(0x0203, [...u16(0), ...u16(0), ...u16(0), 1, 2]))), 'trop court'],
    ['a formula too short', () => xlsFile(sheet(record(0x0006, [...u16(0), ...u16(0), ...u16(0), 1, 2, 3]))), 'trop court'],
  ])('%s', (_name, bytes, detail) => unreadable(bytes(), detail));

  it('walks a directory tree whose siblings loop without hanging', () => {
    const b = patched(WORKBOOK_ENTRY + 72, 1);
    b.writeUInt32LE(0, WORKBOOK_ENTRY + 68);
    expect(xls(b)).toEqual(xls(good));
  });

  it('reads what a lying SST count announces no further than its strings; an index past them is an empty cell', () => {
    const lying = record(0x00fc, [...u32(0x7fffffff), ...u32(0x7fffffff), ...str16('un')]);
    expect(xls(xlsFile(workbook([{ name: 'F', records: [labelsst(0, 0, 0), labelsst(0, 1, 0x7ffffff0), labelsst(0, 2, 0)] }], [lying])))).toEqual([{ cells: ['un', '', 'un'], row: 1 }]);
  });

  it('stops a sheet of one cell per row far out, or of many cells, at maxCells (tooManyCells)', () => {
    const wide = xlsFile(sheet(...[0, 1, 2, 3].map((r) => label(r, 255, 'x'))));
    const e = thrown(() => xls(wide, { maxCells: 600 }));
    expect([e.code, e.row]).toEqual(['zip-too-large', 3]);
    expect(xls(wide, { maxCells: 1024 })).toHaveLength(4);
  });

  it('refuses a DIFAT chain that loops', () => {
    // 250 FAT sectors announced: 109 in the header, the others along a DIFAT chain whose sector points to itself.
    const big = xlsFile(Buffer.concat([sheet(label(0, 0, 'nom')), Buffer.alloc(150_000)]));
    const last = Math.ceil((big.length - 512) / 512) - 1;
    const b = Buffer.from(big);
    b.writeUInt32LE(250, 44);
    b.writeUInt32LE(last, 68);
    b.writeUInt32LE(1, 72);
    const difat = 512 + last * 512;
    b.fill(0, difat, difat + 508);
    b.writeUInt32LE(last, difat + 508);
    unreadable(b, 'DIFAT en boucle');
  });

  it('never throws anything but a TableReadError, and ends, on thousands of damaged copies of a real file', () => {
    const original = fixture('sub-plain.xls');
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const outcomes = new Map<string, number>();
    const started = Date.now();
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(original);
      if (i % 10 === 0) {
        const cut = b.subarray(0, random(b.length));
        tally(cut);
        continue;
      }
      // Bytes changed where they count: the header, the FAT and directory, the Workbook stream's records.
      for (let k = 0, n = 1 + random(8); k < n; k++) b[random(b.length)] = random(256);
      tally(b);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    expect([...outcomes.keys()].every((k) => k === 'rows' || k === 'invalid-spreadsheet' || k === 'zip-too-large' || k === 'encrypted-file' || k === 'unknown-format')).toBe(true);
    expect(outcomes.get('invalid-spreadsheet')).toBeGreaterThan(0);

    function tally(bytes: Uint8Array): void {
      let key = 'rows';
      try {
        xls(bytes, { maxCells: 100_000, headerScore: subventionsScore });
      } catch (e) {
        key = e instanceof TableReadError ? e.code : `${(e as Error).name}: ${(e as Error).message}`;
      }
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  });
});
