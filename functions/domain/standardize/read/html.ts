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
import { MAX_COLUMNS, MAX_SHEET_CELLS, MIN_HEADER_SCORE, SheetRow, tooManyCells } from './xlsx';
import { frenchList } from '../../french-list';
import { ValidationIssue } from '../../schema/types';

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
  // An XHTML page starts with its XML declaration; comments may come first.
  const start = head.replace(/^(?:\ufeff)?(?:\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*/, '');
  if (start[0] !== '<') return false;
  const lower = start.slice(0, 8192).toLowerCase();
  return /^<(?:!doctype\s+html|[a-z][a-z0-9]*[\s/>])/.test(lower) && /<(?:html|table)[\s/>]/.test(lower);
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

/** An element whose content a browser does not show: `display:none`, `visibility:hidden`, or the `hidden` attribute. */
const hiddenElement = (attrs: string): boolean => /(?:^|\s)hidden(?:\s|=|\/|$)/i.test(attrs) || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(htmlAttr(attrs, 'style') ?? '');

/** Elements with no content nor closing tag. */
const VOID = new Set(['br', 'img', 'input', 'hr', 'wbr', 'col', 'meta', 'link', 'source', 'area', 'base', 'embed', 'param', 'track']);

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
  /** The table whose cell holds it, if any. */
  parent?: TableSurvey;
  /** Its first rows (cells cut at HEAD_CELLS), to judge it. */
  head: string[][];
  rows: number;
}

const HEAD_ROWS = 11;
/** Tables surveyed: a page of more is a layout, judged on its first. */
const MAX_TABLES = 200;
/** Characters of a table read to survey its first rows: all of them for any real table, a bound for tables nested in each other. */
const SURVEY_CHARS = 256 * 1024;

const ROW_GROUPS = new Set(['thead', 'tbody', 'tfoot']);

/** Characters of a cell's source text: a cell of a table is never megabytes (a CSV line has the same bound). */
const MAX_CELL_CHARS = 1024 * 1024;

function cellTooLong(row: number): TableReadError {
  return new TableReadError(
    'row-too-large',
    `Une cellule de la ligne ${row} du tableau dépasse ${MAX_CELL_CHARS.toLocaleString('fr-FR')} caractères : ce n’est pas une donnée de tableau. Vérifiez le fichier exporté.`,
    row,
  );
}

/** A rowspan reaching below its row: until which row, and what each row it covers shows. */
interface Span {
  until: number;
  value: string;
  link?: string;
  merge: Merge;
  copied: boolean;
}

/**
 * The rows of the table that starts at `start` (its `<table` tag), its nested tables skipped,
 * numbered from `rowBase` + 1; past `chars` characters of the table, no more rows (a survey's
 * budget). A rowspan's value is copied into each row it covers within its row group, as a
 * browser shows it, and counted in `merges` for the `merged-cells` warning.
 */
function* tableRows(text: string, start: number, maxCells: number, chars = Infinity, rowBase = 0, merges?: MergedCells): Generator<SheetRow> {
  const t = new Tokens(text, start);
  t.next(); // <table>
  let depth = 0;
  let row: string[] | null = null;
  let rowNumber = rowBase;
  let hidden = false;
  let links: Map<number, string> | undefined;
  let cell: string | null = null;
  let cellCol = 0;
  let cellLink: string | undefined;
  let colspan = 1;
  let rowspan = 1;
  /** Columns taken by a rowspan from a row above (a row group, `<tbody>`, ends them, as in a browser). */
  const taken = new Map<number, Span>();
  /** Cells laid out, the empty ones a span makes included: the work is bounded by maxCells. */
  let cells = 0;
  const count = (n: number): void => {
    cells += n;
    if (cells > maxCells) throw tooManyCells(maxCells, rowNumber);
  };
  /** Inside `<tfoot>`: a footer repeats the header or sums the columns, it holds no record. */
  let footer = false;
  /** Elements open inside a cell whose text is hidden (`display:none`, `hidden`), innermost last. */
  const hiddenText: string[] = [];
  /** Fills the columns from `r.length` on that a rowspan from above takes, up to `end` (exclusive) or the first free one. */
  const fillTaken = (r: string[], end: number): void => {
    for (let span = taken.get(r.length); r.length < end && span !== undefined && span.until >= rowNumber; span = taken.get(r.length)) {
      if (span.link !== undefined) (links ??= new Map()).set(r.length, span.link);
      if (span.value !== '' && !span.copied) {
        span.copied = true;
        merges?.copied(span.merge);
      }
      r.push(span.value);
      count(1);
    }
  };
  /** The next column of the row a rowspan from above does not take. */
  const nextFree = (r: string[]): number => {
    fillTaken(r, Infinity);
    return r.length;
  };
  /** The columns past the row's last cell that rowspans from above still take; spans that ended are forgotten. */
  const fillEnd = (r: string[]): void => {
    let last = -1;
    for (const [col, span] of taken) {
      if (span.until < rowNumber) taken.delete(col);
      else if (col > last) last = col;
    }
    while (r.length <= last) {
      if ((taken.get(r.length)?.until ?? 0) >= rowNumber) fillTaken(r, r.length + 1);
      else {
        r.push('');
        count(1);
      }
    }
  };
  const endCell = (): void => {
    if (cell === null || row === null) return;
    const value = cellText(decodeHtmlEntities(cell));
    row[cellCol] = value;
    for (let k = 1; k < colspan; k++) row[cellCol + k] = '';
    if (cellLink !== undefined) (links ??= new Map()).set(cellCol, cellLink);
    count(colspan);
    if (rowspan > 1) {
      const until = rowNumber + rowspan - 1;
      // Down its first column only: a merge across columns (a title) is left as it is (merged-cells.ts).
      const merge = { col: cellCol, top: rowNumber, bottom: until };
      taken.set(cellCol, { until, value, link: cellLink, merge, copied: false });
      for (let k = 1; k < colspan; k++) taken.set(cellCol + k, { until, value: '', merge, copied: false });
    }
    cell = null;
  };
  function* endRow(): Generator<SheetRow> {
    endCell();
    if (row === null) return;
    fillEnd(row);
    // Empty cells at the end of a row (a colspan's) show nothing.
    while (row.length > 0 && row[row.length - 1] === '') row.pop();
    const out: SheetRow = { cells: row, row: rowNumber };
    if (links) out.links = links;
    if (hidden) out.hidden = true;
    row = null;
    links = undefined;
    // A row showing nothing (Excel's hidden sizing row after its tables) is a blank row, not a record.
    if (out.cells.length > 0) yield out;
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
      if (ROW_GROUPS.has(t.name)) {
        yield* endRow();
        taken.clear();
        footer = t.name === 'tfoot';
        continue;
      }
      if (footer) continue;
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
        hiddenText.length = 0;
      } else if (cell !== null) {
        // Text a browser does not show (a sort key in a hidden span) is not the cell's.
        if (hiddenText.length > 0 || hiddenElement(t.attrs)) {
          if (!VOID.has(t.name) && !t.attrs.endsWith('/')) hiddenText.push(t.name);
          continue;
        }
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
      if (ROW_GROUPS.has(t.name)) {
        yield* endRow();
        taken.clear();
        footer = false;
      } else if (t.name === 'tr') yield* endRow();
      else if (t.name === 'td' || t.name === 'th') endCell();
      else if (hiddenText.length > 0) {
        if (hiddenText[hiddenText.length - 1] === t.name) hiddenText.pop();
      } else if (cell !== null && BLOCKS.has(t.name)) cell += '\n';
    } else if (cell !== null && depth === 0 && hiddenText.length === 0) {
      if (cell.length + t.text.length > MAX_CELL_CHARS) throw cellTooLong(rowNumber);
      cell += t.text.replace(SPACES, ' ');
    }
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
      const survey: TableSurvey = { start: t.at, head: [], rows: 0, parent: stack[stack.length - 1] };
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

/** Tables named in a warning; the others are counted. */
const LISTED_TABLES = 5;
const numbers = (list: readonly number[]): string => frenchList(list.slice(0, LISTED_TABLES).map(String), Math.max(0, list.length - LISTED_TABLES));
const tableList = (list: readonly number[]): string => (list.length === 1 ? `le tableau n° ${list[0]}` : `les tableaux n° ${numbers(list)}`);

/** `tables-joined`: tables of the same columns, read one after the other. */
function joinedIssue(numbers: readonly number[]): ValidationIssue {
  return {
    code: 'tables-joined',
    severity: 'warning',
    message: `La page contient plusieurs tableaux aux mêmes noms de colonnes (${tableList(numbers)}) : leurs lignes sont lues à la suite, comme un seul tableau, et les numéros de ligne se suivent de l’un à l’autre.`,
  };
}

/** `sheet-chosen`, for a page: tables of data not read. */
function ignoredIssue(read: readonly number[], ignored: readonly number[], total: number): ValidationIssue {
  return {
    code: 'sheet-chosen',
    severity: 'warning',
    message: `La page contient ${total} tableaux : seul${read.length > 1 ? 's' : ''} ${tableList(read)} ${read.length > 1 ? 'ont été lus' : 'a été lu'}. ${ignored.length > 1 ? `Les tableaux n° ${numbers(ignored)}, qui ont d’autres colonnes, n’ont pas été lus` : `Le tableau n° ${ignored[0]}, qui a d’autres colonnes, n’a pas été lu`} : déposez-${ignored.length > 1 ? 'les' : 'le'} dans un autre fichier s’il${ignored.length > 1 ? 's' : ''} doi${ignored.length > 1 ? 'vent' : 't'} être publié${ignored.length > 1 ? 's' : ''}.`,
  };
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
  // The tables read: the chosen one and, in the page's order, those repeating its first row (a table per page or per service).
  // A table inside another's cell is part of that cell: never read on its own beside it.
  const inside = (s: TableSurvey, outer: TableSurvey): boolean => s.parent !== undefined && (s.parent === outer || inside(s.parent, outer));
  const header = best.head[0].join('\u0000');
  const group: TableSurvey[] = [];
  for (const s of tables) {
    if (s !== best && (s.head[0].join('\u0000') !== header || inside(s, best) || inside(best, s))) continue;
    if (!group.some((g) => inside(s, g))) group.push(s);
  }
  const numberOf = (s: TableSurvey): number => tables.indexOf(s) + 1;
  if (group.length > 1) opts.issues?.push(joinedIssue(group.map(numberOf)));
  // Tables of data not read: not one inside a table read (its cell's content), not a title or a layout.
  const within = (s: TableSurvey): boolean => group.some((g) => inside(s, g));
  const holdsData = (s: TableSurvey): boolean =>
    opts.headerScore ? headScore(s.head, opts.headerScore) >= MIN_HEADER_SCORE : s.rows >= 2 && s.head.some((r) => r.filter((c) => c !== '').length >= 2);
  const ignored = tables.filter((s) => !group.includes(s) && !within(s) && holdsData(s));
  if (ignored.length) opts.issues?.push(ignoredIssue(group.map(numberOf), ignored.map(numberOf), tables.length));
  const merges = new MergedCells();
  let offset = 0;
  for (const [k, table] of group.entries()) {
    let last = offset;
    for (const r of tableRows(text, table.start, opts.maxCells ?? MAX_SHEET_CELLS, Infinity, offset, merges)) {
      const first = last === offset;
      last = r.row;
      // The header a later table repeats is not a record.
      if (k > 0 && first && r.cells.join('\u0000') === header) continue;
      yield r;
    }
    offset = last;
  }
  const merged = merges.issue();
  if (merged) opts.issues?.push(merged);
}
