/**
 * First sheet of an .xlsx workbook as rows of text, the way a CSV export would write them:
 * shared and inline strings, numbers in shortest form (`1234.56`, 15 significant digits
 * like Excel), booleans as `true`/`false`, serial dates in a date-formatted cell as ISO
 * (`2024-12-31`, `2024-12-31T08:30:00`, `08:30:00`). Blank rows are skipped; row numbers
 * are the sheet's own (1-based).
 *
 * The sheet XML is inflated and scanned incrementally; shared strings and styles are read
 * whole (they are needed by index), within the same inflation budget.
 */
import { TableReadError } from './errors';
import { XmlScanner, attr } from './xml-scanner';
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
}

/** Widest sheet Excel and LibreOffice allow; a wider row is cut (with a clear error). */
export const MAX_COLUMNS = 16384;
export const MAX_ROWS = 1048576;

function fail(detail: string): TableReadError {
  return new TableReadError('invalid-spreadsheet', `Le classeur est illisible : ${detail}.`);
}

/** Texts of `<t>` elements under each `<si>` (phonetic runs `<rPh>` excluded). */
function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  let cur: string[] | null = null;
  let inT = false;
  let inPh = 0;
  new XmlScanner({
    open(name) {
      if (name === 'si') cur = [];
      else if (name === 't') inT = true;
      else if (name === 'rPh') inPh++;
    },
    close(name) {
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

/** For each cell style index: is it a date format? */
function parseDateStyles(xml: string): boolean[] {
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  new XmlScanner({
    open(name, attrs) {
      if (name === 'numFmt') custom.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(attr(attrs, 'numFmtId') ?? 0);
        const code = custom.get(id);
        styles.push(code !== undefined ? isDateFormatCode(code) : BUILTIN_DATE_FORMATS.has(id));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  }).push(xml);
  return styles;
}

/** Column index (0-based) from a cell reference like `AB12`. */
export function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** A spreadsheet number as a CSV export would print it. */
export function formatNumber(v: string): string {
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) return v;
  const s = String(n);
  return s.replace(/[eE].*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length > 15 ? String(Number(n.toPrecision(15))) : s;
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

/** Rows of the first sheet. Throws `zip-too-large` / `invalid-spreadsheet`. */
export function* readXlsx(
  bytes: Uint8Array,
  opts: { maxInflatedBytes?: number; entries?: Map<string, ZipEntry> } = {},
): Generator<SheetRow> {
  const entries = opts.entries ?? readZipDirectory(bytes);
  const limit = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const budget: InflateBudget = { remaining: limit, limit };
  const workbook = entries.get('xl/workbook.xml');
  if (!workbook) throw fail('xl/workbook.xml manquant');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  const shared = entries.get('xl/sharedStrings.xml');
  const stylesEntry = entries.get('xl/styles.xml');
  checkZipBudget([workbook, rels, shared, stylesEntry].filter((e): e is ZipEntry => !!e), limit);

  const wbXml = readEntryText(bytes, workbook, budget);
  const date1904 = /date1904\s*=\s*["'](1|true)["']/.test(wbXml);
  const firstSheet = /<(?:\w+:)?sheet\s[^>]*>/.exec(wbXml);
  const rid = firstSheet ? attr(firstSheet[0].slice(1), 'r:id') : undefined;
  let sheetPath = 'xl/worksheets/sheet1.xml';
  if (rid && rels) {
    const relsXml = readEntryText(bytes, rels, budget);
    const re = /<Relationship\s[^>]*>/g;
    for (let m = re.exec(relsXml); m; m = re.exec(relsXml)) {
      if (attr(m[0], 'Id') === rid) sheetPath = resolveTarget(attr(m[0], 'Target') ?? '');
    }
  }
  const sheet = entries.get(sheetPath);
  if (!sheet) throw fail(`feuille ${sheetPath} manquante`);
  checkZipBudget([workbook, rels, shared, stylesEntry, sheet].filter((e): e is ZipEntry => !!e), limit);

  const strings = shared ? parseSharedStrings(readEntryText(bytes, shared, budget)) : [];
  const dateStyles = stylesEntry ? parseDateStyles(readEntryText(bytes, stylesEntry, budget)) : [];

  const ready: SheetRow[] = [];
  let rowNum = 0;
  let cells: string[] = [];
  let nonEmpty = false;
  let col = 0;
  let type = 'n';
  let style = 0;
  let value = '';
  let inValue = false;
  let inCell = false;
  const scanner = new XmlScanner({
    open(name, attrs, selfClosing) {
      if (name === 'c') {
        const r = attr(attrs, 'r');
        col = r ? columnIndex(r) : cells.length;
        type = attr(attrs, 't') ?? 'n';
        style = Number(attr(attrs, 's') ?? 0);
        value = '';
        inCell = !selfClosing;
      } else if (inCell && (name === 'v' || name === 't')) inValue = true;
      else if (name === 'row') {
        const r = attr(attrs, 'r');
        rowNum = r ? Number(r) : rowNum + 1;
        cells = [];
        nonEmpty = false;
      }
    },
    close(name) {
      if (name === 'v' || name === 't') inValue = false;
      else if (name === 'c' && inCell) {
        inCell = false;
        let text: string;
        if (type === 's') text = strings[Number(value)] ?? '';
        else if (type === 'b') text = value === '1' ? 'true' : value === '0' ? 'false' : value;
        else if (type === 'n' && value !== '') {
          text = dateStyles[style] && Number.isFinite(Number(value)) ? serialToIso(Number(value), date1904) : formatNumber(value);
        } else text = value;
        if (text === '') return;
        if (col >= MAX_COLUMNS) throw fail(`plus de ${MAX_COLUMNS} colonnes ligne ${rowNum}`);
        while (cells.length < col) cells.push('');
        cells[col] = text;
        nonEmpty = true;
      } else if (name === 'row') {
        if (nonEmpty) ready.push({ cells, row: rowNum });
        if (rowNum > MAX_ROWS) throw fail(`plus de ${MAX_ROWS} lignes`);
      }
    },
    text(t) {
      if (inValue) value += t;
    },
  });
  const decoder = new TextDecoder();
  for (const chunk of inflateEntry(bytes, sheet, budget)) {
    scanner.push(decoder.decode(chunk, { stream: true }));
    for (const r of ready) yield r;
    ready.length = 0;
  }
  scanner.push(decoder.decode());
  for (const r of ready) yield r;
}
