/**
 * An HTML table saved under a spreadsheet's name: what the « Exporter vers Excel » button of
 * many web applications gives (a page holding a `<table>`, named `.xls`; Excel opens it after
 * a warning, so the employee takes it for a workbook). Its table is read as a sheet: one row
 * per `<tr>`, one cell per `<td>`/`<th>` with its text as a browser shows it (tags dropped,
 * spaces collapsed, `<br>` and paragraphs as line breaks, entities decoded), `colspan` as
 * empty cells after it, and a `rowspan` shown on each row it covers copied down as a merged
 * cell is (merged-cells.ts, with its warning). A link (`<a href>`) is the cell's hyperlink,
 * as in a workbook (hyperlinks.ts); a row hidden by `display:none` is a hidden row.
 *
 * The page may hold several tables (a title table, a layout table around the data): the one
 * whose first rows name the most of the schema's columns is read, then the one with the
 * most rows. A table inside a cell is a table of its own; its text is not its cell's.
 *
 * Two passes over the text, each linear: one surveys the tables (their first rows and how
 * many rows each has), one reads the chosen table's rows as they are consumed.
 */
import { decodeWindows1252 } from './decode';
import { TableReadError } from './errors';
import { Merge, MergedCells } from './merged-cells';
import { HEAD_CELLS, headScore } from './sheet-choice';
import { MAX_COLUMNS, MAX_SHEET_CELLS, SheetRow, tooManyCells } from './xlsx';
import { ValidationIssue } from '../../schema/types';
import { isUtf8 } from 'buffer';

/** The Latin-1 entities of HTML 4, U+00A0 to U+00FF in order. */
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const NAMED: Record<string, number> = {
  amp: 38, lt: 60, gt: 62, quot: 34, apos: 39,
  OElig: 338, oelig: 339, Yuml: 376, circ: 710, tilde: 732,
  ensp: 8194, emsp: 8195, thinsp: 8201, zwnj: 8204, zwj: 8205, lrm: 8206, rlm: 8207,
  ndash: 8211, mdash: 8212, lsquo: 8216, rsquo: 8217, sbquo: 8218, ldquo: 8220, rdquo: 8221, bdquo: 8222,
  dagger: 8224, Dagger: 8225, bull: 8226, hellip: 8230, permil: 8240, lsaquo: 8249, rsaquo: 8250, euro: 8364, trade: 8482,
};
LATIN1_NAMES.split(' ').forEach((name, i) => (NAMED[name] = 0xa0 + i));

const ENTITY = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,7});/g;

/** Character references as a browser reads them; an unknown name stays as written. */
export function decodeHtmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (whole, e: string) => {
    if (e[0] !== '#') return NAMED[e] !== undefined ? String.fromCharCode(NAMED[e]) : whole;
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    // Browsers read the C1 range as Windows-1252 (&#146; is ’), and an impossible code point as U+FFFD.
    if (n >= 0x80 && n <= 0x9f) return decodeWindows1252(Uint8Array.of(n));
    return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '\ufffd';
  });
}

/** Whether the first bytes are an HTML page or fragment holding a table (what an « export Excel » of a web application writes). */
export function looksLikeHtml(head: string): boolean {
  const start = head.replace(/^(?:\ufeff)?\s*/, '');
  if (start[0] !== '<') return false;
  const lower = start.slice(0, 8192).toLowerCase();
  return /^<(?:!doctype html|html|table|meta|head|body|style|!--)/.test(lower) && (lower.includes('<table') || lower.includes('<html'));
}

/**
 * The page's text: UTF-8 when its bytes are (a BOM, or valid UTF-8), else Windows-1252, as for
 * a CSV (decode.ts). Its `<meta charset>` is not trusted: applications declare one and write
 * another, and valid UTF-8 is never Windows-1252 text by chance.
 */
export function decodeHtml(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  if (!bom && !isUtf8(body)) return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  return { text: Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'), encoding: 'utf-8' };
}

/** Elements whose content is not text of the page (scripts, styles, Excel's `<xml>` islands). */
const RAW_TEXT = new Set(['script', 'style', 'xml', 'template', 'textarea', 'title']);
/** Elements that end a line of a cell's text (as a browser lays them out). */
const BLOCKS = new Set(['p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'ul', 'ol', 'pre', 'blockquote']);

type TokenKind = 'open' | 'close' | 'text' | 'end';

/** Tags and text runs of the page, one at a time (fields on the instance: no allocation per token but the strings). */
class Tokens {
  kind: TokenKind = 'end';
  /** Tag name, lower case. */
  name = '';
  attrs = '';
  text = '';
  /** Where the current token starts. */
  at = 0;

  constructor(
    private readonly s: string,
    private pos: number,
  ) {}

  next(): TokenKind {
    const s = this.s;
    for (;;) {
      const pos = this.pos;
      this.at = pos;
      if (pos >= s.length) return (this.kind = 'end');
      if (s.charCodeAt(pos) !== 60) {
        const lt = s.indexOf('<', pos);
        const end = lt < 0 ? s.length : lt;
        this.text = s.slice(pos, end);
        this.pos = end;
        return (this.kind = 'text');
      }
      if (s.startsWith('<!--', pos)) {
        const end = s.indexOf('-->', pos + 4);
        this.pos = end < 0 ? s.length : end + 3;
        continue;
      }
      const c = s.charCodeAt(pos + 1);
      if (c === 33 || c === 63) {
        // <!DOCTYPE …>, <![endif]>, <?xml …?>
        const end = s.indexOf('>', pos + 2);
        this.pos = end < 0 ? s.length : end + 1;
        continue;
      }
      const closing = c === 47;
      let i = pos + (closing ? 2 : 1);
      const nameStart = i;
      while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
      if (i === nameStart) {
        // A lone « < » is text.
        const lt = s.indexOf('<', pos + 1);
        const end = lt < 0 ? s.length : lt;
        this.text = s.slice(pos, end);
        this.pos = end;
        return (this.kind = 'text');
      }
      this.name = s.slice(nameStart, i).toLowerCase();
      const end = tagEnd(s, i);
      this.attrs = s.slice(i, end);
      this.pos = end < s.length ? end + 1 : end;
      if (closing) return (this.kind = 'close');
      if (RAW_TEXT.has(this.name) && !this.attrs.endsWith('/')) {
        const close = indexOfCloseTag(s, this.name, this.pos);
        this.pos = close < 0 ? s.length : close;
        continue;
      }
      return (this.kind = 'open');
    }
  }
}

const isNameChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 58 || c === 45;

/** The `>` that ends a tag whose attributes start at `i`, quotes respected. */
function tagEnd(s: string, i: number): number {
  let quote = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return s.length;
}

const CLOSE_TAGS = new Map([...RAW_TEXT].map((name) => [name, new RegExp(`</${name}\\s*>`, 'ig')]));

/** Where `</name>` of a raw-text element starts from `from`, any case; -1 if never. */
function indexOfCloseTag(s: string, name: string, from: number): number {
  const re = CLOSE_TAGS.get(name)!;
  re.lastIndex = from;
  return re.exec(s)?.index ?? -1;
}

const ATTRIBUTES = new Map(
  ['colspan', 'rowspan', 'href', 'style'].map((name) => [name, new RegExp(`(?:^|[\\s"'])${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i')]),
);

/** An attribute's value (any quoting, or none), entities decoded. */
function htmlAttr(attrs: string, name: 'colspan' | 'rowspan' | 'href' | 'style'): string | undefined {
  if (attrs.length === 0) return undefined;
  const m = ATTRIBUTES.get(name)!.exec(attrs);
  return m ? decodeHtmlEntities(m[1] ?? m[2] ?? m[3]) : undefined;
}

const span = (attrs: string, name: 'colspan' | 'rowspan', max: number): number => {
  const n = parseInt(htmlAttr(attrs, name) ?? '', 10);
  return n >= 1 ? Math.min(n, max) : 1;
};

const hiddenRow = (attrs: string): boolean => /display\s*:\s*none/i.test(htmlAttr(attrs, 'style') ?? '');

/** HTML's white space: a line break in the source is a space; only `<br>` and blocks break lines. */
const SPACES = /[ \t\r\n\f]+/g;

/** A cell's text as a browser shows it: runs of spaces as one (SPACES, as the text came), lines trimmed, no blank line first or last. */
function cellText(parts: string): string {
  const lines = parts.split('\n').map((l) => l.replace(/ {2,}/g, ' ').trim());
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/** A table of the page, as the survey saw it. */
interface TableSurvey {
  /** Where its `<table` tag starts. */
  start: number;
  /** Its first rows (cells cut at HEAD_CELLS), to judge it. */
  head: string[][];
  rows: number;
}

const HEAD_ROWS = 11;
/** Tables surveyed: a page of more is a layout, judged on its first. */
const MAX_TABLES = 200;
/** Characters of a table read to survey its first rows: all of them for any real table, a bound for tables nested in each other. */
const SURVEY_CHARS = 256 * 1024;

/** A row of a table, and the merges (rowspans holding a value) that start on it. */
type HtmlRow = SheetRow & { spans?: Merge[] };

/**
 * The rows of the table that starts at `start` (its `<table` tag), its nested tables skipped;
 * past `chars` characters of the table, no more rows (a survey's budget).
 */
function* tableRows(text: string, start: number, maxCells: number, chars = Infinity): Generator<HtmlRow> {
  const t = new Tokens(text, start);
  t.next(); // <table>
  let depth = 0;
  let row: string[] | null = null;
  let rowNumber = 0;
  let hidden = false;
  let links: Map<number, string> | undefined;
  let cell: string | null = null;
  let cellCol = 0;
  let cellLink: string | undefined;
  let colspan = 1;
  let rowspan = 1;
  let spans: Merge[] = [];
  /** Columns taken by a rowspan from a row above: until which row. */
  const taken = new Map<number, number>();
  let cells = 0;
  /** The next column of the row a rowspan from above does not take: those it takes are left empty, for MergedCells to fill. */
  const nextFree = (r: string[]): number => {
    while ((taken.get(r.length) ?? 0) >= rowNumber) r.push('');
    return r.length;
  };
  const endCell = (): void => {
    if (cell === null || row === null) return;
    const value = cellText(decodeHtmlEntities(cell));
    row[cellCol] = value;
    for (let k = 1; k < colspan; k++) row[cellCol + k] = '';
    if (cellLink !== undefined) (links ??= new Map()).set(cellCol, cellLink);
    if (rowspan > 1) {
      for (let k = 0; k < colspan; k++) taken.set(cellCol + k, rowNumber + rowspan - 1);
      if (value !== '') spans.push({ col: cellCol, top: rowNumber, bottom: rowNumber + rowspan - 1 });
    }
    cells += colspan;
    if (cells > maxCells) throw tooManyCells(maxCells, rowNumber);
    cell = null;
  };
  function* endRow(): Generator<HtmlRow> {
    endCell();
    if (row === null) return;
    // Empty cells at the end of a row (a colspan's) show nothing; merges put back those they fill.
    while (row.length > 0 && row[row.length - 1] === '') row.pop();
    const out: HtmlRow = { cells: row, row: rowNumber };
    if (links) out.links = links;
    if (hidden) out.hidden = true;
    if (spans.length) out.spans = spans;
    row = null;
    links = undefined;
    spans = [];
    yield out;
  }
  for (;;) {
    const kind = t.next();
    if (kind === 'end' || t.at - start > chars) break;
    if (kind === 'open') {
      if (t.name === 'table') {
        depth++;
        continue;
      }
      if (depth > 0) continue;
      if (t.name === 'tr') {
        yield* endRow();
        row = [];
        rowNumber++;
        hidden = hiddenRow(t.attrs);
      } else if (t.name === 'td' || t.name === 'th') {
        if (row === null) {
          row = [];
          rowNumber++;
          hidden = false;
        }
        endCell();
        cellCol = nextFree(row);
        if (cellCol >= MAX_COLUMNS) throw tooManyCells(maxCells, rowNumber);
        colspan = span(t.attrs, 'colspan', MAX_COLUMNS - cellCol);
        rowspan = span(t.attrs, 'rowspan', 65534);
        cell = '';
        cellLink = undefined;
      } else if (cell !== null) {
        if (t.name === 'br') cell += '\n';
        else if (BLOCKS.has(t.name)) cell += '\n';
        else if (t.name === 'a' && cellLink === undefined) {
          const href = htmlAttr(t.attrs, 'href');
          if (href !== undefined && href.trim() !== '') cellLink = href.trim();
        }
      }
    } else if (kind === 'close') {
      if (t.name === 'table') {
        if (depth === 0) break;
        depth--;
        continue;
      }
      if (depth > 0) continue;
      if (t.name === 'tr') yield* endRow();
      else if (t.name === 'td' || t.name === 'th') endCell();
      else if (cell !== null && BLOCKS.has(t.name)) cell += '\n';
    } else if (cell !== null && depth === 0) cell += t.text.replace(SPACES, ' ');
  }
  yield* endRow();
}

/** One pass over the page: every table's start, first rows and row count. */
function surveyTables(text: string): TableSurvey[] {
  const tables: TableSurvey[] = [];
  // Tables are found by their tags and their rows counted by the <tr> at their depth; then each is judged by its first rows.
  const t = new Tokens(text, 0);
  const stack: TableSurvey[] = [];
  for (;;) {
    const kind = t.next();
    if (kind === 'end') break;
    if (kind === 'open' && t.name === 'table') {
      const survey: TableSurvey = { start: t.at, head: [], rows: 0 };
      if (tables.length < MAX_TABLES) tables.push(survey);
      stack.push(survey);
    } else if (kind === 'close' && t.name === 'table') stack.pop();
    else if (kind === 'open' && t.name === 'tr' && stack.length) stack[stack.length - 1].rows++;
  }
  for (const survey of tables) {
    for (const r of tableRows(text, survey.start, MAX_SHEET_CELLS, SURVEY_CHARS)) {
      survey.head.push(r.cells.length > HEAD_CELLS ? r.cells.slice(0, HEAD_CELLS) : r.cells);
      if (survey.head.length >= HEAD_ROWS) break;
    }
    // A table written without <tr> (cells straight in it) has the rows its cells made.
    survey.rows = Math.max(survey.rows, survey.head.length);
  }
  return tables;
}

export interface HtmlReadOptions {
  headerScore?: (cells: readonly string[]) => number;
  /** Cells the table may yield (MAX_SHEET_CELLS; lower in tests). */
  maxCells?: number;
  /** Where the `merged-cells` warning goes, once the last row is read. */
  issues?: ValidationIssue[];
}

/** The rows of the page's data table; `invalid-spreadsheet` when it holds no table. */
export function* readHtml(text: string, opts: HtmlReadOptions = {}): Generator<SheetRow> {
  const tables = surveyTables(text).filter((s) => s.head.some((r) => r.some((c) => c !== '')));
  if (tables.length === 0) {
    throw new TableReadError(
      'invalid-spreadsheet',
      'Le fichier est une page web (HTML) sans tableau de données : ouvrez-le dans Excel ou LibreOffice et enregistrez-le en .xlsx ou en CSV.',
    );
  }
  let best = tables[0];
  let bestScore = headScore(best.head, opts.headerScore);
  for (const s of tables.slice(1)) {
    const score = headScore(s.head, opts.headerScore);
    if (score > bestScore || (score === bestScore && s.rows > best.rows)) {
      best = s;
      bestScore = score;
    }
  }
  const merges = new MergedCells();
  for (const r of tableRows(text, best.start, opts.maxCells ?? MAX_SHEET_CELLS)) {
    if (r.spans) for (const m of r.spans) merges.add(m);
    merges.apply(r);
    const { spans: _spans, ...row } = r;
    yield row;
  }
  const merged = merges.issue();
  if (merged) opts.issues?.push(merged);
}
