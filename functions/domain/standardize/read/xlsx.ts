/**
 * The data sheet of an .xlsx workbook as rows of text, the way a CSV export would write
 * them: shared and inline strings, numbers in shortest form (`1234.56`, 15 significant
 * digits like Excel), integers in a zeros-only format (`00000`) padded as displayed
 * (`01000`), booleans as `true`/`false`, serial dates in a date-formatted cell as ISO
 * (`2024-12-31`, `2024-12-31T08:30:00`, `08:30:00`), error cells as their text (`#N/A`).
 * Blank rows are skipped; row numbers are the sheet's own (1-based).
 *
 * The data sheet is the tab shown when the workbook was saved (`activeTab`) if it holds the
 * table, else the first visible sheet with a non-empty cell: a hidden sheet of drop-down
 * lists or an empty first tab is passed over; given the schema's header score, a sheet
 * that does not name its columns (a notice) gives way to one that does. When no visible
 * sheet has data, the first sheet is read, as before. When other visible sheets hold data,
 * a `sheet-chosen` warning names the sheet read and them: their first rows are peeked at,
 * outside the budget, within PEEK_TOTAL_BYTES, for MAX_SHEETS_JUDGED sheets at most (the
 * others are counted, not examined), a score kept of each (sheet-choice.ts). The tab shown
 * is peeked at the same way before it is read: missing or damaged, it means no preference.
 * Element names are compared without their prefix, as the .NET OpenXML SDK writes
 * `<x:row><x:c>`.
 *
 * Cells merged down one column are filled on each row they cover (merged-cells.ts), and a
 * cell that is a hyperlink gives its address beside its label (`SheetRow.links`,
 * hyperlinks.ts). `<mergeCells>` and `<hyperlinks>` come after `<sheetData>`: the data sheet
 * is inflated once more before its rows, within a budget of its own, its bytes only searched
 * up to there (scanTail). A `HYPERLINK("…";…)` formula gives its address as its cell is read.
 *
 * Rows and columns hidden in the sheet (`<row hidden="1">`, `<col hidden="1">` before the
 * rows) are read all the same, as a CSV export writes them: a row says it is hidden
 * (`SheetRow.hidden`), the columns go to `hiddenColumns` (the pipeline warns: hidden-cells.ts).
 *
 * Sheet XML is inflated and scanned incrementally (an empty sheet is scanned through, a
 * data sheet streamed); shared strings and styles are read whole (they are needed by
 * index), within the same inflation budget. The inflation budget bounds bytes, not cells: a
 * row of one cell at column XFD is 16 384 cells from 40 bytes, so the text is scanned a few
 * kB at a time (the rows held at once stay a few MB) and a sheet yields at most
 * MAX_SHEET_CELLS cells.
 */
import { ValidationIssue } from '../../schema/types';
import { TableReadError, isTableReadError } from './errors';
import { columnIndex } from './cell-ref';
import { MAX_MERGES, Merge, MergedCells, verticalMerge } from './merged-cells';
import { MAX_LINKED_CELLS, SheetLinks, hyperlinkFormulaTarget, parseHyperlinkTargets } from './hyperlinks';
import { HEAD_CELLS, MAX_SHEETS_JUDGED, chooseSheet, headScore } from './sheet-choice';
import { XmlScanner, attr, decodeEntities } from './xml-scanner';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  InflateBudget,
  ZipEntry,
  checkZipBudget,
  inflateEntry,
  readEntryText,
  readZipDirectory,
} from './zip';

export interface SheetRow {
  cells: string[];
  row: number;
  /** Cells that are hyperlinks (their label in `cells`): the address each opens, by column (hyperlinks.ts). */
  links?: Map<number, string>;
  /** The row is hidden in the workbook (masked, or filtered out): its data is read all the same, as a CSV export writes it. */
  hidden?: true;
  /**
   * Columns whose cell is text, not a number the sheet shows formatted: a `12.500` there was
   * typed so, and may be a French amount grouped by thousands (decimal-point-ambiguous).
   */
  texts?: number[];
}

/** Widest sheet Excel and LibreOffice allow; a wider row is cut (with a clear error). */
export const MAX_COLUMNS = 16384;
export const MAX_ROWS = 1048576;
/**
 * Cells a sheet may yield, the empty ones written out before a value included: a full-height
 * sheet of 50 columns, about what a CSV within the 100 MB upload limit holds (a character and
 * its delimiter per cell). Sparse or repeated rows reach it from a few kB of XML.
 */
export const MAX_SHEET_CELLS = 50 * MAX_ROWS;

function fail(detail: string): TableReadError {
  return new TableReadError('invalid-spreadsheet', `Le classeur est illisible : ${detail}.`);
}

/** `zip-too-large`, as for an archive that inflates past the budget: the sheet's cells do. */
export function tooManyCells(max: number, row: number): TableReadError {
  return new TableReadError(
    'zip-too-large',
    `Le classeur est refusé : une fois ses lignes et cellules répétées ou vides développées, la feuille dépasserait la taille autorisée (plus de ${max} cellules, atteint ligne ${row}). Supprimez les lignes et colonnes inutilisées au-delà du tableau.`,
    row,
  );
}

/** Characters of XML scanned before the rows they complete are yielded. */
const SCAN_STEP = 4096;

/**
 * The text of a part as it is inflated, in pieces of about SCAN_STEP characters. A piece
 * ends before a `<`, so that a text run is rarely cut; a construct cut anyway (a long comment
 * or attribute) is searched piece by piece for its end, in one pass (xml-scanner.ts).
 */
export function* textSteps(bytes: Uint8Array, entry: ZipEntry, budget: InflateBudget, inflateStep?: number): Generator<string> {
  const decoder = new TextDecoder();
  for (const chunk of inflateEntry(bytes, entry, budget, inflateStep)) {
    const text = decoder.decode(chunk, { stream: true });
    let p = 0;
    for (let lt = text.indexOf('<', p + SCAN_STEP); lt > 0; lt = text.indexOf('<', p + SCAN_STEP)) {
      yield text.slice(p, lt);
      p = lt;
    }
    yield p === 0 ? text : text.slice(p);
  }
  yield decoder.decode();
}

/** `x:row` → `row`: SpreadsheetML may be written with any prefix for its namespace. */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** Texts of `<t>` elements under each `<si>` (phonetic runs `<rPh>` excluded). */
function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  let cur: string[] | null = null;
  let inT = false;
  let inPh = 0;
  new XmlScanner({
    open(qname) {
      const name = localName(qname);
      if (name === 'si') cur = [];
      else if (name === 't') inT = true;
      else if (name === 'rPh') inPh++;
    },
    close(qname) {
      const name = localName(qname);
      if (name === 'si' && cur) {
        out.push(cur.join(''));
        cur = null;
      } else if (name === 't') inT = false;
      else if (name === 'rPh') inPh--;
    },
    text(t) {
      if (inT && cur && inPh === 0) cur.push(t);
    },
  }).push(xml);
  return out;
}

const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57,
  58,
]);

export function isDateFormatCode(code: string): boolean {
  const stripped = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .replace(/_.|\*./g, '');
  if (/general/i.test(stripped)) return false;
  return /[dmyhs]/i.test(stripped);
}

/** What a cell style's number format changes in the text we read. */
export interface NumberStyle {
  date: boolean;
  /** Digits an integer is padded to: the length of a zeros-only format like `00000`. */
  zeroPad: number;
  /** Decimals a number with a fractional part is shown with at least (`0.00`: 7.1 is shown 7.10); for a negative number, its own section's. */
  decimals: number;
  negativeDecimals: number;
}

/** Built-in number formats that show two decimals (`0.00`, `#,##0.00` and the currency and accounting ones). */
const BUILTIN_TWO_DECIMALS = new Set([2, 4, 7, 8, 39, 40, 43, 44]);

/**
 * The decimals a custom number format always shows: the zeros after the point of its first
 * section (`#,##0.00 €` → 2), or of its second for a negative number (`0.00;-0` shows -7 as
 * `-7`); 0 for a percentage or a scientific format, whose text is not the value's.
 */
export function formatDecimals(code: string, negative = false): number {
  // Literals first: a `;` inside `"…"` or after `\` does not separate sections.
  const sections = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '')
    .split(';');
  const section = negative && sections.length > 1 ? sections[1] : sections[0];
  if (/[%Ee]/.test(section)) return 0;
  return /\.(0+)/.exec(section)?.[1].length ?? 0;
}

/** A cell style's number format: its code when the workbook defines one, else a built-in format (xlsx and xls alike). */
export function numberStyle(id: number, code: string | undefined): NumberStyle {
  if (code !== undefined) {
    return { date: isDateFormatCode(code), zeroPad: /^0+$/.test(code) ? code.length : 0, decimals: formatDecimals(code), negativeDecimals: formatDecimals(code, true) };
  }
  const two = BUILTIN_TWO_DECIMALS.has(id) ? 2 : 0;
  return { date: BUILTIN_DATE_FORMATS.has(id), zeroPad: 0, decimals: two, negativeDecimals: two };
}

/** For each cell style index: is it a date format, does it pad integers with zeros? */
function parseNumberStyles(xml: string): NumberStyle[] {
  const custom = new Map<number, string>();
  const styles: NumberStyle[] = [];
  let inCellXfs = false;
  new XmlScanner({
    open(qname, attrs) {
      const name = localName(qname);
      if (name === 'numFmt') custom.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(attr(attrs, 'numFmtId') ?? 0);
        styles.push(numberStyle(id, custom.get(id)));
      }
    },
    close(qname) {
      if (localName(qname) === 'cellXfs') inCellXfs = false;
    },
    text() {},
  }).push(xml);
  return styles;
}

/**
 * A spreadsheet number as a CSV export would print it; an integer padded with leading
 * zeros to `minDigits` (a postal code `1000` in a `00000` cell is `01000`); a number with a
 * fractional part gets trailing zeros up to `minDecimals` (a code 7.1 in a `0.00` cell is
 * `7.10`, as shown). Never rounded: a value with more decimals than its format shows keeps
 * them all; an integer stays an integer (2024 in a `0.00` cell is a year, not `2024.00`).
 */
export function formatNumber(v: string, minDigits = 0, minDecimals = 0): string {
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) return v;
  let s = String(n);
  if (s.replace(/[eE].*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length > 15) s = String(Number(n.toPrecision(15)));
  if (minDecimals > 0 && /^-?\d+\.\d+$/.test(s)) {
    const have = s.length - s.indexOf('.') - 1;
    if (have < minDecimals) s += '0'.repeat(minDecimals - have);
  }
  if (minDigits <= 0 || !/^-?\d+$/.test(s)) return s;
  return s[0] === '-' ? '-' + s.slice(1).padStart(minDigits, '0') : s.padStart(minDigits, '0');
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Excel serial date → ISO date, datetime or time. */
export function serialToIso(serial: number, date1904 = false): string {
  const ms = Math.round(serial * 86400000);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (serial < 1 && serial >= 0) return time;
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return ms % 86400000 === 0 ? date : `${date}T${time}`;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ('xl/' + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

/** The relationship id of a `<sheet>`: `r:id`, whatever the prefix bound to its namespace. */
function relationshipId(attrs: string): string | undefined {
  const m = /\s[\w.-]+:id\s*=\s*(["'])(.*?)\1/.exec(' ' + attrs);
  return m ? decodeEntities(m[2]) : undefined;
}

interface SheetRef {
  rid?: string;
  hidden: boolean;
  name: string;
}

/** Sheets in tab order, the tab shown when the workbook was saved, and the date system, from `xl/workbook.xml`. */
function parseWorkbook(xml: string): { sheets: SheetRef[]; activeTab: number; date1904: boolean } {
  const sheets: SheetRef[] = [];
  let activeTab: number | undefined;
  let date1904 = false;
  new XmlScanner({
    open(qname, attrs) {
      const name = localName(qname);
      if (name === 'sheet') {
        const state = attr(attrs, 'state');
        sheets.push({ rid: relationshipId(attrs), hidden: state === 'hidden' || state === 'veryHidden', name: attr(attrs, 'name') ?? `Feuille ${sheets.length + 1}` });
      } else if (name === 'workbookView' && activeTab === undefined) {
        // An index among the <sheet> elements, hidden ones included (0 when absent).
        const n = Number(attr(attrs, 'activeTab') ?? 0);
        activeTab = Number.isInteger(n) && n >= 0 ? n : 0;
      } else if (name === 'workbookPr') {
        const v = attr(attrs, 'date1904');
        date1904 = v === '1' || v === 'true';
      }
    },
    close() {},
    text() {},
  }).push(xml);
  return { sheets, activeTab: activeTab ?? 0, date1904 };
}

/** Part paths by relationship id and by type (`sharedStrings`, `styles`), from the workbook's rels. */
function parseRelationships(xml: string): { byId: Map<string, string>; byType: Map<string, string> } {
  const byId = new Map<string, string>();
  const byType = new Map<string, string>();
  new XmlScanner({
    open(qname, attrs) {
      if (localName(qname) !== 'Relationship') return;
      const target = attr(attrs, 'Target');
      if (target === undefined || attr(attrs, 'TargetMode') === 'External') return;
      const path = resolveTarget(target);
      const id = attr(attrs, 'Id');
      if (id !== undefined) byId.set(id, path);
      const type = (attr(attrs, 'Type') ?? '').replace(/^.*\//, '');
      if (!byType.has(type)) byType.set(type, path);
    },
    close() {},
    text() {},
  }).push(xml);
  return { byId, byType };
}

interface SheetContext {
  strings: string[];
  styles: NumberStyle[];
  date1904: boolean;
  maxCells: number;
}

/** What is known of the data sheet once chosen, from past its sheet data (scanTail). */
interface SheetFill {
  merges?: MergedCells;
  links?: SheetLinks;
  /** Columns hidden (`<col hidden="1">`, before the rows), 0-based. */
  hidden?: number[];
}

/** How a sheet is read: whole (the data sheet), or its first cells only (a sheet judged and let go). */
interface SheetReading {
  /** Merges and hyperlinks set once the sheet is chosen (see readSheet). */
  fill?: SheetFill;
  /** Compressed bytes inflated at a time (see PEEK_STEP). */
  inflateStep?: number;
  /** Cells kept of each row: past them a value only tells that the row has data. */
  width?: number;
}

/**
 * Rows of one worksheet part, streamed as it is inflated. The merges in `fill` (set once the
 * sheet is chosen) are applied to each row as it is yielded, the cells they add counted.
 */
function* readSheet(bytes: Uint8Array, sheet: ZipEntry, budget: InflateBudget, ctx: SheetContext, reading: SheetReading = {}): Generator<SheetRow> {
  const { strings, styles, date1904, maxCells } = ctx;
  const { fill = {}, inflateStep, width = MAX_COLUMNS } = reading;
  const ready: SheetRow[] = [];
  let sheetCells = 0;
  let rowNum = 0;
  let cells: string[] = [];
  let nonEmpty = false;
  let col = 0;
  let type = 'n';
  let style = 0;
  let value = '';
  let inValue = false;
  let inCell = false;
  // A cell's formula: only `HYPERLINK(…)` is of use (its address), so only formulas starting with H or L are kept.
  let formula: string | null = null;
  let sharedIndex: string | undefined;
  /** HYPERLINK formulas shared down a column, by their `si`. */
  let sharedLinks: Map<string, string> | undefined;
  let links: Map<number, string> | undefined;
  let texts: number[] | undefined;
  let hiddenRow = false;
  const scanner = new XmlScanner({
    open(qname, attrs, selfClosing) {
      const name = localName(qname);
      if (name === 'c') {
        const r = attr(attrs, 'r');
        // Without its address (optional), a cell is the one after the previous, empty or not.
        col = r ? columnIndex(r) : col + 1;
        type = attr(attrs, 't') ?? 'n';
        style = Number(attr(attrs, 's') ?? 0);
        value = '';
        formula = null;
        inCell = !selfClosing;
      } else if (inCell && (name === 'v' || name === 't')) inValue = true;
      else if (inCell && name === 'f') {
        // A formula filled down is written once, `<f t="shared" si="0">`, then `<f t="shared" si="0"/>`: a literal address is the same on each cell.
        const si = attr(attrs, 't') === 'shared' ? attr(attrs, 'si') : undefined;
        if (!selfClosing) {
          formula = '';
          sharedIndex = si;
        } else if (si !== undefined && col < width) {
          const target = sharedLinks?.get(si);
          if (target !== undefined) (links ??= new Map()).set(col, target);
        }
      }
      else if (name === 'col') {
        // `<cols><col min="3" max="4" hidden="1"/>` comes before the rows.
        const h = attr(attrs, 'hidden');
        if (h === '1' || h === 'true') {
          const min = Number(attr(attrs, 'min'));
          const max = Number(attr(attrs, 'max') ?? min);
          if (Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min) hideColumns((fill.hidden ??= []), min - 1, max - min + 1);
        }
      } else if (name === 'row') {
        const r = attr(attrs, 'r');
        rowNum = r ? Number(r) : rowNum + 1;
        cells = [];
        nonEmpty = false;
        links = undefined;
        texts = undefined;
        col = -1;
        const h = attrs.length > 0 && attrs.includes('hidden') ? attr(attrs, 'hidden') : undefined;
        hiddenRow = h === '1' || h === 'true';
      }
    },
    close(qname) {
      const name = localName(qname);
      if (name === 'v' || name === 't') inValue = false;
      else if (name === 'f') {
        if (formula !== null) {
          const target = hyperlinkFormulaTarget(formula);
          if (target !== undefined && col < width) (links ??= new Map()).set(col, target);
          if (target !== undefined && sharedIndex !== undefined) (sharedLinks ??= new Map()).set(sharedIndex, target);
        }
        formula = null;
        sharedIndex = undefined;
      } else if (name === 'c' && inCell) {
        inCell = false;
        let text: string;
        if (type === 's') text = strings[Number(value)] ?? '';
        else if (type === 'b') text = value === '1' ? 'true' : value === '0' ? 'false' : value;
        else if (type === 'n' && value !== '') {
          const format = styles[style];
          text =
            format?.date && Number.isFinite(Number(value))
              ? serialToIso(Number(value), date1904)
              : formatNumber(value, format?.zeroPad, value.startsWith('-') ? format?.negativeDecimals : format?.decimals);
        } else text = value;
        if (text === '') return;
        if (col >= MAX_COLUMNS) throw fail(`plus de ${MAX_COLUMNS} colonnes ligne ${rowNum}`);
        nonEmpty = true;
        if (col >= width) return;
        while (cells.length < col) cells.push('');
        cells[col] = text;
        if (type === 's' || type === 'inlineStr' || type === 'str') (texts ??= []).push(col);
      } else if (name === 'row') {
        if (rowNum > MAX_ROWS) throw fail(`plus de ${MAX_ROWS} lignes`);
        if (!nonEmpty) return;
        sheetCells += cells.length;
        if (sheetCells > maxCells) throw tooManyCells(maxCells, rowNum);
        const read: SheetRow = links ? { cells, row: rowNum, links } : { cells, row: rowNum };
        if (hiddenRow) read.hidden = true;
        if (texts) read.texts = texts;
        ready.push(read);
      }
    },
    text(t) {
      if (inValue) value += t;
      else if (formula !== null && (formula !== '' || /^\s*(?:_xlfn\.)?[HhLl]/.test(t)) && formula.length < 4096) formula += t;
      else formula = null;
    },
  });
  for (const text of textSteps(bytes, sheet, budget, inflateStep)) {
    scanner.push(text);
    for (const r of ready) {
      fill.links?.apply(r);
      if (fill.merges) {
        sheetCells += fill.merges.apply(r);
        if (sheetCells > maxCells) throw tooManyCells(maxCells, r.row);
      }
      yield r;
    }
    ready.length = 0;
  }
}

/** Bytes searched for in a sheet part before its XML is parsed (see scanTail): the elements wanted past the sheet data. */
const TAIL_MARKS = [Buffer.from('mergeCells'), Buffer.from('hyperlinks')];
const MARK_LENGTH = 10;
/** Bytes of the previous piece kept, so that a `<x:mergeCells` cut between two pieces is found and parsed whole. */
const MERGE_TAIL = 32;

/** A `<hyperlink>` of a sheet: its cells and the relationship holding its address (none: a place in the workbook). */
interface HyperlinkRef {
  ref: string;
  rid: string;
  /** Excel writes an address's `#fragment` here, beside the relationship. */
  location?: string;
}

/**
 * What a sheet part says past its `<sheetData>`: the merges down one column
 * (merged-cells.ts), sorted by first row, and the hyperlinks (hyperlinks.ts). The part is
 * inflated once more, within its own budget, its bytes searched until `mergeCells` or
 * `hyperlinks` shows (no text decoded, no XML parsed), the XML parsed from there to
 * `</hyperlinks>` (which comes after `</mergeCells>`) or the part's end.
 */
function scanTail(bytes: Uint8Array, sheet: ZipEntry, limit: number): { merges: Merge[]; hyperlinks: HyperlinkRef[] } {
  const merges: Merge[] = [];
  const hyperlinks: HyperlinkRef[] = [];
  const decoder = new TextDecoder();
  let scanner: XmlScanner | undefined;
  let over = false;
  let tail = Buffer.alloc(0);
  const marked = (b: Buffer): boolean => b.indexOf(TAIL_MARKS[0]) >= 0 || b.indexOf(TAIL_MARKS[1]) >= 0;
  for (const chunk of inflateEntry(bytes, sheet, { remaining: limit, limit })) {
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!scanner) {
      const seam = Buffer.concat([tail.subarray(Math.max(0, tail.length - MARK_LENGTH + 1)), piece.subarray(0, MARK_LENGTH - 1)]);
      if (!marked(piece) && !marked(seam)) {
        tail = Buffer.from(piece.subarray(Math.max(0, piece.length - MERGE_TAIL)));
        continue;
      }
      scanner = new XmlScanner({
        open(qname, attrs) {
          const name = localName(qname);
          if (name === 'mergeCell' && merges.length < MAX_MERGES) {
            const merge = verticalMerge(attr(attrs, 'ref') ?? '');
            if (merge) merges.push({ ...merge, bottom: Math.min(merge.bottom, MAX_ROWS) });
          } else if (name === 'hyperlink' && hyperlinks.length < MAX_LINKED_CELLS) {
            const ref = attr(attrs, 'ref');
            const rid = relationshipId(attrs);
            const location = attr(attrs, 'location');
            if (ref !== undefined && rid !== undefined) hyperlinks.push(location ? { ref, rid, location } : { ref, rid });
          }
        },
        close(qname) {
          if (localName(qname) === 'hyperlinks') over = true;
        },
        text() {},
      });
      // Parsed from within the sheet's XML: what comes before the first `<` is text, ignored.
      scanner.push(decoder.decode(Buffer.concat([tail, piece]), { stream: true }));
    } else scanner.push(decoder.decode(piece, { stream: true }));
    if (over) break;
  }
  return { merges: merges.sort((a, b) => a.top - b.top || a.col - b.col), hyperlinks };
}

/**
 * The addresses of a sheet's hyperlinks, from its relationships part
 * (`xl/worksheets/_rels/sheet1.xml.rels` for `xl/worksheets/sheet1.xml`), read within `budget`.
 */
function sheetLinks(bytes: Uint8Array, entries: Map<string, ZipEntry>, sheetPath: string, found: readonly HyperlinkRef[], budget: InflateBudget): SheetLinks | undefined {
  const slash = sheetPath.lastIndexOf('/');
  const rels = entries.get(`${sheetPath.slice(0, slash + 1)}_rels/${sheetPath.slice(slash + 1)}.rels`);
  if (!rels) return undefined;
  const targets = parseHyperlinkTargets(readEntryText(bytes, rels, budget));
  const links = new SheetLinks();
  for (const { ref, rid, location } of found) {
    const target = targets.get(rid);
    if (target === undefined) continue;
    if (!links.add(ref, location && !target.includes('#') ? `${target}#${location}` : target)) break;
  }
  return links.size > 0 ? links : undefined;
}

/** Options of both workbook readers (xlsx and ods). */
export interface SheetReadOptions {
  maxInflatedBytes?: number;
  entries?: Map<string, ZipEntry>;
  /** How many of the schema's columns a row names: a first sheet whose first rows name fewer than 2 (a notice) gives way to the sheet whose rows name the most. */
  headerScore?: (cells: readonly string[]) => number;
  /** Cells the data sheet may yield (MAX_SHEET_CELLS; lower in tests). */
  maxCells?: number;
  /** Where the reader adds its warnings (`sheet-chosen`, `merged-cells`), some once the last row is read. */
  issues?: ValidationIssue[];
  /** Where the reader puts the columns (0-based) hidden in the sheet read, before its first row (at most MAX_HIDDEN_COLUMNS). */
  hiddenColumns?: number[];
}

/** Hidden columns told: a sheet hiding more hides its empty width, not its data. */
export const MAX_HIDDEN_COLUMNS = 1024;

/** Adds the columns `from`…`from + count - 1` to `hidden`, within MAX_HIDDEN_COLUMNS and the sheet's width. */
export function hideColumns(hidden: number[], from: number, count: number): void {
  for (let c = from; c < from + count && c < MAX_COLUMNS && hidden.length < MAX_HIDDEN_COLUMNS; c++) hidden.push(c);
}

/** The first rows of the sheet to read, and the rest to come. */
interface SheetHead {
  index: number;
  rows: SheetRow[];
  rest: Generator<SheetRow>;
  /** How many of the schema's columns its first rows name at most; Infinity without a schema, -1 without data. */
  score: number;
  fill: SheetFill;
}

/** What a peek says of a sheet: its score (as SheetHead's), or that it was not looked at, or could not be read. */
export type Peeked = number | 'not-peeked' | 'unreadable';

/** Inflated bytes spent looking at the first rows of the sheets not read, each and in all (beyond the budget: a sheet's first rows are a few kB). */
export const PEEK_BYTES = 1024 * 1024;
export const PEEK_TOTAL_BYTES = 8 * 1024 * 1024;
/** Compressed bytes inflated at a time when peeking: a step of 64 kB inflates megabytes of a repetitive sheet. */
const PEEK_STEP = 4096;

/** The rows that judge a sheet (its first SHEET_HEAD_ROWS + 1 given a score, else its first), and what they name (sheet-choice.ts › headScore). */
export function judgedRows(rest: Iterator<SheetRow>, score: SheetReadOptions['headerScore']): { rows: SheetRow[]; score: number } {
  const rows: SheetRow[] = [];
  for (let r = rest.next(); !r.done; r = rest.next()) {
    rows.push(r.value);
    if (!score || rows.length > SHEET_HEAD_ROWS) break;
  }
  return { rows, score: headScore(rows.map((r) => r.cells), score) };
}

/** Rows of the data sheet (see above). Throws `zip-too-large` / `invalid-spreadsheet`. */
export function* readXlsx(bytes: Uint8Array, opts: SheetReadOptions = {}): Generator<SheetRow> {
  const entries = opts.entries ?? readZipDirectory(bytes);
  const limit = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const budget: InflateBudget = { remaining: limit, limit };
  const workbook = entries.get('xl/workbook.xml');
  if (!workbook) throw fail('xl/workbook.xml manquant');
  const relsEntry = entries.get('xl/_rels/workbook.xml.rels');
  checkZipBudget([workbook, relsEntry].filter((e): e is ZipEntry => !!e), limit);

  const { sheets, activeTab, date1904 } = parseWorkbook(readEntryText(bytes, workbook, budget));
  const rels = relsEntry ? parseRelationships(readEntryText(bytes, relsEntry, budget)) : undefined;
  const part = (type: string, usual: string): ZipEntry | undefined =>
    entries.get(rels?.byType.get(type) ?? usual) ?? entries.get(usual);
  const shared = part('sharedStrings', 'xl/sharedStrings.xml');
  const stylesEntry = part('styles', 'xl/styles.xml');
  const parts = [workbook, relsEntry, shared, stylesEntry].filter((e): e is ZipEntry => !!e);

  if (sheets.length === 0) sheets.push({ hidden: false, name: 'Feuille 1' });
  const sheetPath = (index: number): string => {
    const rid = sheets[index].rid;
    return (rid && rels?.byId.get(rid)) || `xl/worksheets/sheet${index + 1}.xml`;
  };
  const sheetEntry = (index: number): ZipEntry => {
    const path = sheetPath(index);
    const sheet = entries.get(path);
    if (!sheet) throw fail(`feuille ${path} manquante`);
    // Declared sizes of the parts read whole plus this sheet; the running budget covers the sum.
    checkZipBudget([...parts, sheet], limit);
    return sheet;
  };

  const visible = sheets.flatMap((s, i) => (s.hidden ? [] : [i]));
  const firstEntry = sheetEntry(visible[0] ?? 0);
  const ctx: SheetContext = {
    strings: shared ? parseSharedStrings(readEntryText(bytes, shared, budget)) : [],
    styles: stylesEntry ? parseNumberStyles(readEntryText(bytes, stylesEntry, budget)) : [],
    date1904,
    maxCells: opts.maxCells ?? MAX_SHEET_CELLS,
  };
  const score = opts.headerScore;
  // What the sheets judged so far name: a score each, nothing of their rows.
  const scores = new Map<number, number>();
  const peekBudget: InflateBudget = { remaining: PEEK_TOTAL_BYTES, limit: PEEK_TOTAL_BYTES };
  let peeks = 0;
  /** A sheet's first rows, within the budget, and the rest to come if it is read. */
  const open = (index: number): SheetHead => {
    const fill: SheetFill = {};
    const rest = readSheet(bytes, index === visible[0] ? firstEntry : sheetEntry(index), budget, ctx, { fill });
    const head = { index, rest, fill, ...judgedRows(rest, score) };
    scores.set(index, head.score);
    return head;
  };

  const chosen = chooseSheet({
    names: sheets.map((s) => s.name),
    visible,
    activeTab,
    open,
    peek,
    scores,
    same: (index) => (index === visible[0] ? firstEntry : sheetEntry(index)),
    issues: opts.issues,
  });
  if (!chosen) {
    if (sheets[0].hidden) yield* readSheet(bytes, sheetEntry(0), budget, ctx);
    return;
  }

  const { merges, hyperlinks } = scanTail(bytes, sheetEntry(chosen.index), limit);
  // Links first: a merge copies its first cell's link with its value.
  if (hyperlinks.length > 0) {
    const links = sheetLinks(bytes, entries, sheetPath(chosen.index), hyperlinks, budget);
    if (links) for (const r of chosen.rows) links.apply(r);
    chosen.fill.links = links;
  }
  if (merges.length > 0) {
    const fill = new MergedCells();
    for (const m of merges) fill.add(m);
    for (const r of chosen.rows) fill.apply(r);
    chosen.fill.merges = fill;
  }
  if (chosen.fill.hidden) opts.hiddenColumns?.push(...chosen.fill.hidden);
  yield* chosen.rows;
  for (let r = chosen.rest.next(); !r.done; r = chosen.rest.next()) yield r.value;
  const merged = chosen.fill.merges?.issue();
  if (merged) opts.issues?.push(merged);

  /**
   * What the first rows of a sheet not read say (its score): inflated a few kB at a time
   * within PEEK_BYTES (its own and PEEK_TOTAL_BYTES for all), their first HEAD_CELLS cells
   * kept, nothing held once scored. At most MAX_SHEETS_JUDGED sheets are peeked: the others
   * are `not-peeked`, as are those once PEEK_TOTAL_BYTES is spent. A sheet missing or
   * unreadable within them is `unreadable` (not named).
   */
  function peek(index: number): Peeked {
    const sheet = entries.get(sheetPath(index));
    if (!sheet) return 'unreadable';
    if (peeks === MAX_SHEETS_JUDGED || peekBudget.remaining <= 0) return 'not-peeked';
    peeks++;
    const own: InflateBudget = { remaining: Math.min(PEEK_BYTES, peekBudget.remaining), limit: PEEK_BYTES };
    const before = own.remaining;
    const seen = peekedScore(readSheet(bytes, sheet, own, ctx, { inflateStep: PEEK_STEP, width: HEAD_CELLS }), score);
    peekBudget.remaining -= before - Math.max(0, own.remaining);
    if (typeof seen === 'number') scores.set(index, seen);
    return seen;
  }
}

/** A peek's score of a sheet's first rows (judgedRows), `unreadable` when they cannot be read; the rest of the sheet let go. */
export function peekedScore(rest: Generator<SheetRow>, score: SheetReadOptions['headerScore']): Peeked {
  try {
    return judgedRows(rest, score).score;
  } catch (e) {
    if (isTableReadError(e)) return 'unreadable';
    throw e;
  } finally {
    rest.return(undefined);
  }
}

/** Rows of a sheet looked at to judge whether it holds the table (a title or two, then the header). */
export const SHEET_HEAD_ROWS = 10;
/** Schema columns a sheet's first rows name when it holds the table; a notice names fewer (sheet-choice.ts). */
export { MIN_HEADER_SCORE } from './sheet-choice';
