/**
 * The data sheet of an Excel 97-2003 workbook (.xls: BIFF8 records in the `Workbook` stream
 * of an OLE2 compound file, cfb.ts) as the rows the .xlsx reader gives for the same sheet
 * (xlsx.ts): the same sheet chosen (the tab shown at the save when it holds the table, else
 * the first visible sheet with data, a `sheet-chosen` warning), the same cell text (shared
 * strings, numbers in shortest form, dates as ISO, the decimals and zeros the format shows,
 * booleans, error codes, formulas' cached results), merged cells copied down a column,
 * hidden rows and columns, hyperlinks (HLINK records and `HYPERLINK("…";…)` formulas).
 *
 * The workbook globals are read first: BOUNDSHEET (each sheet's name, state and the offset of
 * its records), WINDOW1 (the tab shown), DATEMODE (1904), FORMAT and XF (each cell style's
 * number format), SST (the shared strings, continued in CONTINUE records whose first byte
 * says again whether the characters go on in one or two bytes). FILEPASS means the workbook
 * is encrypted with a password: refused as an encrypted file. Excel 5.0/95 (BIFF5/7, a
 * `Book` stream) is refused.
 *
 * A sheet is walked twice, both walks linear in its records: a survey (hidden rows and
 * columns, merges and hyperlinks, which BIFF writes after the cells, and whether the cells
 * come row after row, as Excel and LibreOffice write them), then the rows, yielded as they
 * end. A writer free to put cells in any order (old Perl or PHP libraries put them as the
 * program wrote them) gets its cell records sorted by row first, their offsets only held.
 * An embedded chart's records (a BOF…EOF inside the sheet's) are passed over. The sheets
 * not read are judged by their first rows, in their first PEEK_BYTES of records.
 *
 * A formula's tokens are read only to find a `HYPERLINK` call whose first argument is a
 * string (filled down too: SHRFMLA); one whose other argument calls a function of fixed
 * arity (`UPPER(…)`) gives no address, its arity table not being kept here. A damaged HLINK
 * loses its address, not the sheet.
 *
 * A malformed file is `invalid-spreadsheet`: every length and index read is checked against
 * the record or stream holding it; strings are read from the bytes of their records; a sheet
 * yields at most `maxCells` cells (tooManyCells).
 */
import { CompoundFile } from './cfb';
import { columnLetters } from './cell-ref';
import { ENCRYPTED_FILE_MESSAGE, TableReadError, isTableReadError } from './errors';
import { MAX_LINKED_CELLS, SheetLinks, hyperlinkFormulaTarget } from './hyperlinks';
import { MAX_MERGES, Merge, MergedCells } from './merged-cells';
import { HEAD_CELLS, MAX_SHEETS_JUDGED, chooseSheet } from './sheet-choice';
import {
  MAX_COLUMNS,
  MAX_SHEET_CELLS,
  NumberStyle,
  PEEK_BYTES,
  PEEK_TOTAL_BYTES,
  Peeked,
  SheetReadOptions,
  SheetRow,
  judgedRows,
  peekedScore,
  formatNumber,
  hideColumns,
  numberStyle,
  serialToIso,
  tooManyCells,
} from './xlsx';

function fail(detail: string): TableReadError {
  return new TableReadError('invalid-spreadsheet', `Le classeur est illisible : ${detail}.`);
}

/**
 * FILEPASS: the .xls is encrypted, with a password to open it, or with Excel's built-in one
 * when only the workbook's structure is protected (it then opens without a prompt, but its
 * records are encrypted all the same, and not decrypted here).
 */
const FILEPASS_MESSAGE =
  'Le classeur .xls est protégé, et son contenu chiffré : par un mot de passe, ou par la protection de sa structure (Excel et LibreOffice chiffrent alors le fichier, même s’il s’ouvre sans mot de passe). Il ne peut pas être lu : enregistrez-le en .xlsx, ou retirez la protection (Révision › Protéger le classeur, et le mot de passe dans les options d’enregistrement), puis déposez-le à nouveau.';

const EXCEL_95_MESSAGE =
  'Le format Excel 5.0/95 (.xls) n’est pas pris en charge : ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le en .xlsx ou en CSV.';

/** BIFF8 record types read ([MS-XLS] 2.3). */
const R = {
  BOF: 0x0809,
  EOF: 0x000a,
  FILEPASS: 0x002f,
  CODEPAGE: 0x0042,
  DATEMODE: 0x0022,
  WINDOW1: 0x003d,
  BOUNDSHEET: 0x0085,
  FORMAT: 0x041e,
  XF: 0x00e0,
  SST: 0x00fc,
  CONTINUE: 0x003c,
  ROW: 0x0208,
  COLINFO: 0x007d,
  MERGEDCELLS: 0x00e5,
  HLINK: 0x01b8,
  LABELSST: 0x00fd,
  LABEL: 0x0204,
  RSTRING: 0x00d6,
  NUMBER: 0x0203,
  RK: 0x027e,
  MULRK: 0x00bd,
  BOOLERR: 0x0205,
  FORMULA: 0x0006,
  STRING: 0x0207,
  SHRFMLA: 0x04bc,
  ARRAY: 0x0221,
  TABLE: 0x0236,
} as const;

/** Records that hold a cell's value (BLANK and MULBLANK hold none). */
const VALUE_RECORDS = new Set<number>([R.LABELSST, R.LABEL, R.RSTRING, R.NUMBER, R.RK, R.MULRK, R.BOOLERR, R.FORMULA]);

const BIFF8 = 0x0600;
const BOF_GLOBALS = 0x0005;
const BOF_WORKSHEET = 0x0010;

/** Error codes of BOOLERR and of formula results, as the .xlsx reader gives them (the file's text). */
const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
};
const errorText = (code: number): string => ERRORS[code] ?? '#N/A';

// --- Records ---

/**
 * The record at `p` of a BIFF stream: its type, the offset and length of its data, where the
 * next one starts. A length past the stream is refused.
 */
class Records {
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Whether a record starts at `p` (a record header fits). */
  has(p: number): boolean {
    return p + 4 <= this.bytes.length;
  }

  type(p: number): number {
    return this.view.getUint16(p, true);
  }

  /** Length of the record's data, checked against the stream. */
  size(p: number): number {
    const n = this.view.getUint16(p + 2, true);
    if (p + 4 + n > this.bytes.length) throw fail(`enregistrement tronqué à l’octet ${p}`);
    return n;
  }

  next(p: number): number {
    return p + 4 + this.size(p);
  }

  data(p: number): Uint8Array {
    return this.bytes.subarray(p + 4, p + 4 + this.size(p));
  }

  /** The data of the record at `p` and of the CONTINUE records after it, and where the next record starts. */
  continued(p: number): { parts: Uint8Array[]; next: number } {
    const parts = [this.data(p)];
    let q = this.next(p);
    while (this.has(q) && this.type(q) === R.CONTINUE) {
      parts.push(this.data(q));
      q = this.next(q);
    }
    return { parts, next: q };
  }
}

/** Reads little-endian values and strings across a record and its CONTINUE records. */
class Pieces {
  private i = 0;
  private pos = 0;

  constructor(private readonly parts: Uint8Array[]) {}

  /** Moves past exhausted parts; false at the end of the last. */
  private ready(): boolean {
    while (this.i < this.parts.length && this.pos >= this.parts[this.i].length) {
      this.i++;
      this.pos = 0;
    }
    return this.i < this.parts.length;
  }

  atEnd(): boolean {
    return !this.ready();
  }

  u8(): number {
    if (!this.ready()) throw fail('chaîne de caractères tronquée');
    return this.parts[this.i][this.pos++];
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  /** Skips `n` bytes, or to the end if fewer are left (a phonetic block cut short ends the strings). */
  skip(n: number): void {
    while (n > 0 && this.ready()) {
      const step = Math.min(n, this.parts[this.i].length - this.pos);
      this.pos += step;
      n -= step;
    }
  }

  /**
   * `count` characters, one byte each (Latin-1: the low byte of UTF-16) or two (UTF-16LE).
   * A record ends within the characters: the next one starts with a byte saying how the rest
   * is stored ([MS-XLS] 2.5.293: Excel may store a string's first part in two bytes a
   * character and the rest in one).
   */
  chars(count: number, wide: boolean): string {
    const out: string[] = [];
    let need = count;
    for (;;) {
      const part = this.parts[this.i] as Uint8Array | undefined;
      if (part) {
        const n = Math.min(Math.floor((part.length - this.pos) / (wide ? 2 : 1)), need);
        if (n > 0) {
          const bytes = Buffer.from(part.buffer, part.byteOffset + this.pos, wide ? n * 2 : n);
          out.push(bytes.toString(wide ? 'utf16le' : 'latin1'));
          this.pos += wide ? n * 2 : n;
          need -= n;
        }
      }
      if (need === 0) return out.join('');
      // The characters go on in the next record, after its flag byte (an odd byte left here is padding).
      this.i++;
      this.pos = 0;
      if (this.i >= this.parts.length || this.parts[this.i].length === 0) throw fail('chaîne de caractères tronquée');
      wide = (this.parts[this.i][this.pos++] & 0x01) !== 0;
    }
  }

  /**
   * A BIFF8 Unicode string: its length (`lengthBytes` 1 or 2), a flag byte, rich-text and
   * phonetic counts when flagged, the characters; the runs and phonetic data skipped.
   */
  unicode(lengthBytes: 1 | 2): string {
    const count = lengthBytes === 1 ? this.u8() : this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const phonetic = flags & 0x04 ? this.u32() : 0;
    const text = this.chars(count, (flags & 0x01) !== 0);
    this.skip(runs * 4 + phonetic);
    return text;
  }
}

const u16 = (d: Uint8Array, p: number): number => (p + 2 <= d.length ? d[p] | (d[p + 1] << 8) : fieldMissing());
const u32 = (d: Uint8Array, p: number): number => (p + 4 <= d.length ? (d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)) >>> 0 : fieldMissing());
const f64 = (d: Uint8Array, p: number): number =>
  p + 8 <= d.length ? new DataView(d.buffer, d.byteOffset + p, 8).getFloat64(0, true) : fieldMissing();

function fieldMissing(): never {
  throw fail('enregistrement trop court');
}

/** An RK number ([MS-XLS] 2.5.217): a 30-bit integer or the high 30 bits of a double, divided by 100 when flagged. */
function rkNumber(rk: number): number {
  let n: number;
  if (rk & 0x02) n = (rk | 0) >> 2;
  else {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setUint32(4, (rk & 0xfffffffc) >>> 0, true);
    n = dv.getFloat64(0, true);
  }
  return rk & 0x01 ? n / 100 : n;
}

// --- Workbook globals ---

interface XlsSheet {
  name: string;
  hidden: boolean;
  /** Offset of the sheet's BOF in the Workbook stream. */
  offset: number;
  /** A worksheet (0); macro sheets, charts and VB modules hold no table. */
  worksheet: boolean;
}

interface Book {
  records: Records;
  sheets: XlsSheet[];
  activeTab: number;
  date1904: boolean;
  styles: NumberStyle[];
  strings: string[];
}

/** The Workbook stream of the compound file; an encrypted .xlsx or an Excel 95 workbook is told as such. */
function workbookStream(bytes: Uint8Array): Uint8Array {
  const file = new CompoundFile(bytes);
  const stream = file.stream('Workbook');
  if (stream) return stream;
  if (file.has('EncryptedPackage') || file.has('EncryptionInfo')) throw new TableReadError('encrypted-file', ENCRYPTED_FILE_MESSAGE);
  if (file.has('Book')) throw new TableReadError('unknown-format', EXCEL_95_MESSAGE);
  throw fail('le fichier ne contient pas de classeur Excel');
}

/** Checks the BOF at `p`: BIFF8 of the kind wanted; Excel 95 refused. */
function biffVersion(records: Records, p: number): { version: number; kind: number } {
  if (!records.has(p) || records.type(p) !== R.BOF) {
    if (records.has(p) && [0x0009, 0x0209, 0x0409].includes(records.type(p))) throw new TableReadError('unknown-format', EXCEL_95_MESSAGE);
    throw fail('début de classeur introuvable');
  }
  const d = records.data(p);
  return { version: u16(d, 0), kind: u16(d, 2) };
}

function readGlobals(bytes: Uint8Array): Book {
  const records = new Records(workbookStream(bytes));
  const bof = biffVersion(records, 0);
  // BIFF5/7 (Excel 5.0 and 95) say 0x0500 here, and store strings in the workbook's code page.
  if (bof.version < BIFF8) throw new TableReadError('unknown-format', EXCEL_95_MESSAGE);
  if (bof.version !== BIFF8 || bof.kind !== BOF_GLOBALS) throw fail(`version BIFF inconnue (${bof.version.toString(16)})`);
  const sheets: XlsSheet[] = [];
  const formats = new Map<number, string>();
  const xfs: number[] = [];
  let activeTab: number | undefined;
  let date1904 = false;
  let strings: string[] = [];
  let p = records.next(0);
  while (records.has(p)) {
    const type = records.type(p);
    if (type === R.EOF) break;
    if (type === R.FILEPASS) throw new TableReadError('encrypted-file', FILEPASS_MESSAGE);
    if (type === R.SST) {
      const { parts, next } = records.continued(p);
      strings = readSst(parts);
      p = next;
      continue;
    }
    const d = records.data(p);
    if (type === R.BOUNDSHEET) {
      const name = new Pieces([d.subarray(6)]).unicode(1);
      sheets.push({ name: name || `Feuille ${sheets.length + 1}`, hidden: (d[4] & 0x03) !== 0, offset: u32(d, 0), worksheet: d[5] === 0 });
    } else if (type === R.WINDOW1 && activeTab === undefined) activeTab = u16(d, 10);
    else if (type === R.DATEMODE) date1904 = u16(d, 0) === 1;
    else if (type === R.FORMAT) formats.set(u16(d, 0), new Pieces([d.subarray(2)]).unicode(2));
    else if (type === R.XF) xfs.push(u16(d, 2));
    // CODEPAGE names the code page of BIFF5 strings; BIFF8 strings are UTF-16, or its low bytes (Latin-1).
    p = records.next(p);
  }
  return { records, sheets, activeTab: activeTab ?? 0, date1904, styles: xfs.map((id) => numberStyle(id, formats.get(id))), strings };
}

/** The shared strings; a count larger than the strings there stops at the last one. */
function readSst(parts: Uint8Array[]): string[] {
  const r = new Pieces(parts);
  r.u32();
  const count = r.u32();
  const out: string[] = [];
  while (out.length < count && !r.atEnd()) out.push(r.unicode(2));
  return out;
}

// --- Sheets ---

/** What the survey of a sheet's records found. */
interface SheetSurvey {
  /** Where the sheet's records end (its EOF, or the walk's limit). */
  end: number;
  /** Value cells come row after row: read in one pass. */
  ordered: boolean;
  /** Records holding values (the sorted reading's size). */
  valueRecords: number;
  hiddenRows: Set<number>;
  hiddenColumns: number[];
  merges: Merge[];
  links?: SheetLinks;
}

/**
 * The records of a sheet from its BOF at `start`, at most `limit` bytes of them, the
 * records of a substream inside it (an embedded chart) passed over: `visit` is called with
 * each record's offset and type.
 */
function walkSheet(records: Records, start: number, limit: number, visit: (p: number, type: number) => void): number {
  const stop = Math.min(records.length, start + limit);
  let depth = 0;
  let p = start;
  while (p + 4 <= stop) {
    const type = records.type(p);
    if (type === R.BOF) depth++;
    else if (type === R.EOF) {
      depth--;
      if (depth === 0) return records.next(p);
    } else if (depth === 1) visit(p, type);
    p = records.next(p);
  }
  return Math.min(p, stop);
}

function surveySheet(records: Records, start: number, limit: number): SheetSurvey {
  const survey: SheetSurvey = { end: start, ordered: true, valueRecords: 0, hiddenRows: new Set(), hiddenColumns: [], merges: [] };
  let lastRow = -1;
  survey.end = walkSheet(records, start, limit, (p, type) => {
    if (VALUE_RECORDS.has(type)) {
      const row = u16(records.data(p), 0);
      if (row < lastRow) survey.ordered = false;
      lastRow = row;
      survey.valueRecords++;
      return;
    }
    const d = type === R.ROW || type === R.COLINFO || type === R.MERGEDCELLS || type === R.HLINK ? records.data(p) : undefined;
    if (!d) return;
    if (type === R.ROW) {
      if (u16(d, 12) & 0x20) survey.hiddenRows.add(u16(d, 0) + 1);
    } else if (type === R.COLINFO) {
      const first = u16(d, 0);
      const last = u16(d, 2);
      if (u16(d, 8) & 0x01 && last >= first) hideColumns(survey.hiddenColumns, first, last - first + 1);
    } else if (type === R.MERGEDCELLS) {
      const count = Math.min(u16(d, 0), Math.floor((d.length - 2) / 8));
      for (let i = 0; i < count && survey.merges.length < MAX_MERGES; i++) {
        const q = 2 + i * 8;
        const [top, bottom, left, right] = [u16(d, q), u16(d, q + 2), u16(d, q + 4), u16(d, q + 6)];
        if (left === right && bottom > top) survey.merges.push({ col: left, top: top + 1, bottom: bottom + 1 });
      }
    } else {
      const link = optionalLink(d);
      if (link && (survey.links ??= new SheetLinks()).size < MAX_LINKED_CELLS) {
        const ref = `${columnLetters(link.left)}${link.top + 1}:${columnLetters(link.right)}${link.bottom + 1}`;
        survey.links.add(ref, link.target);
      }
    }
  });
  survey.merges.sort((a, b) => a.top - b.top || a.col - b.col);
  return survey;
}

/** What the sheet reader needs of the workbook. */
interface SheetContext {
  book: Book;
  maxCells: number;
}

/** Merges and hyperlinks applied once the sheet is chosen; what the survey found (hidden columns among it), once the first row is asked for. */
interface SheetFill {
  merges?: MergedCells;
  links?: SheetLinks;
  hidden?: number[];
  survey?: SheetSurvey;
}

interface SheetReading {
  fill?: SheetFill;
  /** Cells kept of each row: past them a value only tells that the row has data. */
  width?: number;
  /** Bytes of the sheet's records looked at (a peek). */
  limit?: number;
}

/** Rows of one worksheet (see above). */
function* readSheet(sheet: XlsSheet, ctx: SheetContext, reading: SheetReading = {}): Generator<SheetRow> {
  if (!sheet.worksheet) return;
  const { book, maxCells } = ctx;
  const { records, strings, styles, date1904 } = book;
  const { fill = {}, width = MAX_COLUMNS, limit = Infinity } = reading;
  const bof = biffVersion(records, sheet.offset);
  if (bof.version !== BIFF8) throw fail(`feuille « ${sheet.name} » d’une version BIFF inconnue`);
  if (bof.kind !== BOF_WORKSHEET) return;
  const survey = surveySheet(records, sheet.offset, limit);
  fill.survey = survey;
  if (survey.hiddenColumns.length > 0) fill.hidden = survey.hiddenColumns;

  let sheetCells = 0;
  let rowNum = 0;
  let cells: string[] = [];
  let nonEmpty = false;
  let links: Map<number, string> | undefined;
  /** Columns of the row whose cell is text (SheetRow.texts). */
  let texts: number[] | undefined;
  /** HYPERLINK targets of shared formulas, by their first cell. */
  const sharedLinks = new Map<number, string>();

  const finish = (): SheetRow | undefined => {
    if (!nonEmpty) return undefined;
    sheetCells += cells.length;
    if (sheetCells > maxCells) throw tooManyCells(maxCells, rowNum);
    const read: SheetRow = links ? { cells, row: rowNum, links } : { cells, row: rowNum };
    if (survey.hiddenRows.has(rowNum)) read.hidden = true;
    if (texts) read.texts = texts;
    fill.links?.apply(read);
    if (fill.merges) {
      sheetCells += fill.merges.apply(read);
      if (sheetCells > maxCells) throw tooManyCells(maxCells, read.row);
    }
    return read;
  };
  const put = (col: number, text: string, isText = false): void => {
    if (text === '') return;
    if (col >= MAX_COLUMNS) throw fail(`plus de ${MAX_COLUMNS} colonnes ligne ${rowNum}`);
    nonEmpty = true;
    if (col >= width) return;
    while (cells.length < col) cells.push('');
    cells[col] = text;
    if (isText) (texts ??= []).push(col);
  };
  const numberText = (n: number, xf: number): string => {
    if (!Number.isFinite(n)) return '#NUM!';
    const format = styles[xf] as NumberStyle | undefined;
    if (format?.date) return serialToIso(n, date1904);
    const v = String(n);
    return formatNumber(v, format?.zeroPad, v.startsWith('-') ? format?.negativeDecimals : format?.decimals);
  };

  /** The cells of the value record at `p`, put in the current row. */
  const cell = (p: number, type: number): void => {
    const d = records.data(p);
    const col = u16(d, 2);
    switch (type) {
      case R.LABELSST:
        put(col, strings[u32(d, 6)] ?? '', true);
        break;
      case R.LABEL:
      case R.RSTRING:
        put(col, new Pieces([d.subarray(6)]).unicode(2), true);
        break;
      case R.NUMBER:
        put(col, numberText(f64(d, 6), u16(d, 4)));
        break;
      case R.RK:
        put(col, numberText(rkNumber(u32(d, 6)), u16(d, 4)));
        break;
      case R.MULRK: {
        const count = Math.floor((d.length - 6) / 6);
        for (let i = 0; i < count; i++) put(col + i, numberText(rkNumber(u32(d, 6 + i * 6)), u16(d, 4 + i * 6)));
        break;
      }
      case R.BOOLERR: {
        const value = d[6];
        if (d.length < 8) fieldMissing();
        put(col, d[7] ? errorText(value) : value ? 'true' : 'false');
        break;
      }
      case R.FORMULA:
        formula(p, d, col);
        break;
    }
  };

  /** A formula's cached result, and the address of a `HYPERLINK("…";…)`. */
  const formula = (p: number, d: Uint8Array, col: number): void => {
    if (d.length < 22) fieldMissing();
    // Records that may follow a formula: its shared formula, then the text of a string result.
    let text: string | undefined;
    for (let q = records.next(p), n = 0; n < 3 && records.has(q); n++, q = records.next(q)) {
      const type = records.type(q);
      if (type === R.SHRFMLA) {
        const s = records.data(q);
        if (s.length >= 10) {
          const target = formulaLink(s.subarray(10, 10 + u16(s, 8)));
          if (target !== undefined) sharedLinks.set(u16(s, 0) * 0x10000 + s[4], target);
        }
      } else if (type === R.STRING) {
        text = new Pieces(records.continued(q).parts).unicode(2);
        break;
      } else if (type !== R.ARRAY && type !== R.TABLE) break;
    }
    if (u16(d, 12) !== 0xffff) put(col, numberText(f64(d, 6), u16(d, 4)));
    else if (d[6] === 0) put(col, text ?? '', true);
    else if (d[6] === 1) put(col, d[8] ? 'true' : 'false');
    else if (d[6] === 2) put(col, errorText(d[8]));
    const rgce = d.subarray(22, 22 + u16(d, 20));
    // A formula filled down refers to its group's first cell (ptgExp), whose SHRFMLA holds the tokens.
    const target = rgce[0] === 0x01 && rgce.length >= 5 ? sharedLinks.get(u16(rgce, 1) * 0x10000 + u16(rgce, 3)) : formulaLink(rgce);
    if (target !== undefined && col < width) (links ??= new Map()).set(col, target);
  };

  const records$ = survey.ordered ? inOrder(records, sheet.offset, survey.end) : byRow(records, sheet.offset, survey);
  for (const p of records$) {
    const type = records.type(p);
    const row = u16(records.data(p), 0) + 1;
    if (row !== rowNum) {
      const done = finish();
      if (done) yield done;
      rowNum = row;
      cells = [];
      nonEmpty = false;
      links = undefined;
      texts = undefined;
    }
    cell(p, type);
  }
  const done = finish();
  if (done) yield done;
}

/** Offsets of the value records of a sheet, in the order written, found as the rows are read. */
function* inOrder(records: Records, start: number, end: number): Generator<number> {
  let depth = 0;
  for (let p = start; p + 4 <= end; p = records.next(p)) {
    const type = records.type(p);
    if (type === R.BOF) depth++;
    else if (type === R.EOF) {
      if (--depth === 0) return;
    } else if (depth === 1 && VALUE_RECORDS.has(type)) yield p;
  }
}

/** Offsets of the value records of a sheet whose cells are not in row order, sorted by row (then as written). */
function* byRow(records: Records, start: number, survey: SheetSurvey): Generator<number> {
  const keys = new Float64Array(survey.valueRecords);
  let k = 0;
  walkSheet(records, start, survey.end - start, (p, type) => {
    if (VALUE_RECORDS.has(type) && k < keys.length) keys[k++] = u16(records.data(p), 0) * 2 ** 32 + p;
  });
  keys.subarray(0, k).sort();
  for (let i = 0; i < k; i++) yield keys[i] % 2 ** 32;
}

/** A hyperlink is extra: a damaged HLINK loses its address, not the sheet. */
function optionalLink(d: Uint8Array): ReturnType<typeof readHyperlink> {
  try {
    return readHyperlink(d);
  } catch (e) {
    if (isTableReadError(e) || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** The HLINK record's cells and address ([MS-XLS] 2.4.140, [MS-OSHARED] 2.3.7.1); undefined for a link into the workbook. */
function readHyperlink(d: Uint8Array): { top: number; bottom: number; left: number; right: number; target: string } | undefined {
  if (d.length < 32) return undefined;
  const [top, bottom, left, right] = [u16(d, 0), u16(d, 2), u16(d, 4), u16(d, 6)];
  const flags = u32(d, 28);
  let p = 32;
  /** A HyperlinkString: a count of UTF-16 characters, the last a zero. */
  const string = (): string => {
    const count = u32(d, p);
    p += 4;
    if (count > (d.length - p) / 2) throw fail('lien hypertexte tronqué');
    const text = Buffer.from(d.buffer, d.byteOffset + p, count * 2).toString('utf16le');
    p += count * 2;
    return text.replace(/\0.*$/s, '');
  };
  if (flags & 0x10) string(); // display name
  if (flags & 0x80) string(); // target frame
  let target: string | undefined;
  if (flags & 0x01) {
    if (flags & 0x100) target = string();
    else {
      const clsid = Buffer.from(d.buffer, d.byteOffset + p, Math.min(16, d.length - p)).toString('hex');
      p += 16;
      if (clsid === URL_MONIKER) {
        const size = u32(d, p);
        p += 4;
        if (size > d.length - p) throw fail('lien hypertexte tronqué');
        target = Buffer.from(d.buffer, d.byteOffset + p, size & ~1).toString('utf16le').replace(/\0.*$/s, '');
        p += size;
      } else if (clsid === FILE_MONIKER) {
        const up = u16(d, p);
        const ansiLength = u32(d, p + 2);
        p += 6;
        if (ansiLength > d.length - p) throw fail('lien hypertexte tronqué');
        const ansi = Buffer.from(d.buffer, d.byteOffset + p, ansiLength).toString('latin1').replace(/\0.*$/s, '');
        p += ansiLength + 24;
        const unicodeSize = u32(d, p);
        p += 4;
        let path = ansi;
        if (unicodeSize > 0) {
          const bytes = u32(d, p);
          p += 6;
          if (bytes > d.length - p) throw fail('lien hypertexte tronqué');
          path = Buffer.from(d.buffer, d.byteOffset + p, bytes & ~1).toString('utf16le');
          p += bytes;
        }
        target = '../'.repeat(Math.min(up, 64)) + path;
      } else return undefined;
    }
  }
  const location = flags & 0x08 ? string() : undefined;
  if (target === undefined || target.trim() === '') return undefined;
  if (location && !target.includes('#')) target = `${target}#${location}`;
  return { top, bottom, left, right, target: target.trim() };
}

/** CLSIDs as stored (little-endian fields): URL moniker {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B}, file moniker {00000303-0000-0000-C000-000000000046}. */
const URL_MONIKER = 'e0c9ea79f9bace118c8200aa004ba90b';
const FILE_MONIKER = '0303000000000000c000000000000046';

/** Function number of HYPERLINK in BIFF8 (ptgFuncVar). */
const HYPERLINK_FUNCTION = 359;

/**
 * The address of a formula that is a call to HYPERLINK whose first argument is a string
 * (`HYPERLINK("https://…";"Voir")`), from its parsed tokens ([MS-XLS] 2.5.198): the tokens
 * are walked as a stack of operands, strings kept; any token not known here means no address.
 */
function formulaLink(rgce: Uint8Array): string | undefined {
  const stack: (string | null)[] = [];
  let p = 0;
  let last: string | undefined;
  while (p < rgce.length) {
    const ptg = rgce[p];
    last = undefined;
    const base = ptg >= 0x20 ? (ptg & 0x1f) | 0x20 : ptg;
    if (ptg >= 0x03 && ptg <= 0x11) {
      // Binary operators.
      if (stack.length < 2) return undefined;
      stack.length -= 2;
      stack.push(null);
      p += 1;
    } else if (ptg >= 0x12 && ptg <= 0x15) p += 1; // unary +, -, %, parentheses
    else if (ptg === 0x16) {
      stack.push(null);
      p += 1;
    } else if (ptg === 0x17) {
      if (p + 3 > rgce.length) return undefined;
      const count = rgce[p + 1];
      const wide = (rgce[p + 2] & 0x01) !== 0;
      const size = wide ? count * 2 : count;
      if (p + 3 + size > rgce.length) return undefined;
      stack.push(Buffer.from(rgce.buffer, rgce.byteOffset + p + 3, size).toString(wide ? 'utf16le' : 'latin1'));
      p += 3 + size;
    } else if (ptg === 0x19) {
      // ptgAttr: spaces, volatile, IF and CHOOSE jumps change no operand; SUM of one argument neither.
      if (p + 4 > rgce.length) return undefined;
      p += rgce[p + 1] & 0x04 ? 4 + 2 * (u16(rgce, p + 2) + 1) : 4;
    } else if (ptg === 0x1c || ptg === 0x1d) {
      stack.push(null);
      p += 2;
    } else if (ptg === 0x1e) {
      stack.push(null);
      p += 3;
    } else if (ptg === 0x1f) {
      stack.push(null);
      p += 9;
    } else if (base === 0x22) {
      // ptgFuncVar: argument count, function number.
      if (p + 4 > rgce.length) return undefined;
      const argc = rgce[p + 1] & 0x7f;
      const fn = u16(rgce, p + 2) & 0x7fff;
      if (stack.length < argc) return undefined;
      const args = stack.splice(stack.length - argc, argc);
      stack.push(null);
      if (fn === HYPERLINK_FUNCTION && typeof args[0] === 'string') last = args[0];
      p += 4;
    } else if (base in OPERAND_SIZES) {
      stack.push(null);
      p += OPERAND_SIZES[base];
    } else return undefined;
  }
  if (last === undefined || stack.length !== 1) return undefined;
  return hyperlinkFormulaTarget(`HYPERLINK("${last.replace(/"/g, '""')}")`);
}

/** Sizes of the operand tokens (their reference class bits cleared to 0x20): array, name, references and areas, 3-D ones. */
const OPERAND_SIZES: Record<number, number> = { 0x20: 8, 0x23: 5, 0x24: 5, 0x25: 9, 0x2a: 5, 0x2b: 9, 0x2c: 5, 0x2d: 9, 0x39: 7, 0x3a: 7, 0x3b: 11, 0x3c: 7, 0x3d: 11 };

// --- Choosing the sheet (as xlsx.ts's readXlsx) ---

interface SheetHead {
  index: number;
  rows: SheetRow[];
  rest: Generator<SheetRow>;
  score: number;
  fill: SheetFill;
}

/** Rows of the data sheet of an .xls workbook (see above). Throws `invalid-spreadsheet`, `encrypted-file`, `unknown-format` (Excel 95), `zip-too-large` (tooManyCells). */
export function* readXls(bytes: Uint8Array, opts: SheetReadOptions = {}): Generator<SheetRow> {
  const book = guard(() => readGlobals(bytes));
  const { sheets, activeTab } = book;
  if (sheets.length === 0) throw fail('aucune feuille');
  const ctx: SheetContext = { book, maxCells: opts.maxCells ?? MAX_SHEET_CELLS };
  const visible = sheets.flatMap((s, i) => (s.hidden ? [] : [i]));
  const score = opts.headerScore;
  const scores = new Map<number, number>();
  let peekBytes = PEEK_TOTAL_BYTES;
  let peeks = 0;

  const open = (index: number): SheetHead => {
    const fill: SheetFill = {};
    const rest = guarded(readSheet(sheets[index], ctx, { fill }));
    const head = { index, rest, fill, ...judgedRows(rest, score) };
    scores.set(index, head.score);
    return head;
  };

  function peek(index: number): Peeked {
    if (peeks === MAX_SHEETS_JUDGED || peekBytes <= 0) return 'not-peeked';
    peeks++;
    const fill: SheetFill = {};
    const limit = Math.min(PEEK_BYTES, peekBytes);
    const seen = peekedScore(guarded(readSheet(sheets[index], ctx, { fill, width: HEAD_CELLS, limit })), score);
    peekBytes -= fill.survey ? Math.max(fill.survey.end - sheets[index].offset, 1) : 1;
    if (typeof seen === 'number') scores.set(index, seen);
    return seen;
  }

  const chosen = chooseSheet({
    names: sheets.map((s) => s.name),
    visible,
    activeTab,
    open,
    peek,
    scores,
    // Two BOUNDSHEETs at the same records (a hostile file) are one sheet.
    same: (index) => sheets[index].offset,
    issues: opts.issues,
  });
  if (!chosen) {
    if (sheets[0].hidden) yield* guarded(readSheet(sheets[0], ctx));
    return;
  }

  const survey = chosen.fill.survey;
  // Links first: a merge copies its first cell's link with its value.
  if (survey?.links) {
    for (const r of chosen.rows) survey.links.apply(r);
    chosen.fill.links = survey.links;
  }
  if (survey && survey.merges.length > 0) {
    const fill = new MergedCells();
    for (const m of survey.merges) fill.add(m);
    for (const r of chosen.rows) fill.apply(r);
    chosen.fill.merges = fill;
  }
  if (chosen.fill.hidden) opts.hiddenColumns?.push(...chosen.fill.hidden);
  yield* chosen.rows;
  for (let r = chosen.rest.next(); !r.done; r = chosen.rest.next()) yield r.value;
  const merged = chosen.fill.merges?.issue();
  if (merged) opts.issues?.push(merged);
}

/** A damaged file read past its checks (an index no check foresaw) is still `invalid-spreadsheet`, never a RangeError. */
function guard<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw asReadError(e);
  }
}

function* guarded(rows: Generator<SheetRow>): Generator<SheetRow> {
  try {
    yield* rows;
  } catch (e) {
    throw asReadError(e);
  }
}

function asReadError(e: unknown): unknown {
  return e instanceof RangeError || e instanceof TypeError ? fail('structure inattendue') : e;
}
