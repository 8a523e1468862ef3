/**
 * The data sheet of an .ods (OpenDocument) as rows of text. Typed cells use their typed
 * attribute (`office:value` for float/percentage/currency, `office:date-value`,
 * `office:boolean-value`, `office:time-value`); other cells their `text:p` paragraphs joined
 * with `\n` as shown (an empty `<text:p/>` is an empty line, a cell of one empty paragraph is
 * empty), `text:s` expanded to spaces. Comments (`office:annotation`) are ignored. An
 * integer displayed with leading zeros (`01000`, a `number:min-integer-digits` style) keeps
 * them; an error cell (`calcext:value-type="error"`) is its displayed text (`#N/A`, `Err:502`).
 *
 * The data sheet is chosen as in xlsx.ts: the table shown when the document was saved
 * (`ActiveTable` in settings.xml) if it holds the table, else the first table that is not
 * hidden (`table:display="false"` in its automatic style) and has a non-empty cell; given
 * the schema's header score, a table whose first rows name fewer than 2 of its columns (a
 * notice) gives way to the first one that names 2, or else to the one that names the most
 * (the earliest on a tie). When no visible table has data, the first table is read, as
 * before. content.xml holds every table: the others are scanned through, not kept (their
 * first rows tell whether they hold data, for the `sheet-chosen` warning, pushed once the
 * scan is over); a table chosen only at the end of the scan is read in a second pass. At
 * most MAX_SHEETS_JUDGED tables with data are judged (sheet-choice.ts): past them, tables
 * are not examined, and the scan stops once the table read is over.
 *
 * A cell merged down one column (`table:number-rows-spanned`, `table:covered-table-cell`
 * below) has its value copied on each row it covers (merged-cells.ts). A cell holding a
 * hyperlink (`<text:a xlink:href>`, or a `HYPERLINK` formula) gives the address beside its
 * text (`SheetRow.links`, hyperlinks.ts): the first link of the cell. Rows and columns hidden in the
 * table (`table:visibility="collapse"` or `"filter"`) are read all the same, as a CSV export
 * writes them: a row says it is hidden, the columns go to `hiddenColumns` (hidden-cells.ts).
 *
 * Repetition without blow-up: empty rows (even `number-rows-repeated="1048000"`) are
 * skipped without materialising them; empty repeated cells are only written out when a
 * non-empty cell follows them on the row; widths are capped at 16384 columns and row
 * counts at 1 048 576. A repeated non-empty row (LibreOffice writes identical consecutive
 * rows once) is held once and copied as it is yielded, and its cells count, repetitions
 * included, towards the table's MAX_SHEET_CELLS: a 500-byte file whose row of 16 384 cells
 * is repeated to the last row is refused, not expanded.
 */
import { TableReadError, isTableReadError } from './errors';
import { hyperlinkFormulaTarget } from './hyperlinks';
import { MergedCells } from './merged-cells';
import { HEAD_CELLS, MAX_SHEETS_JUDGED, headScore, sheetChosenIssue } from './sheet-choice';
import { XmlScanner, attr } from './xml-scanner';
import {
  MAX_COLUMNS,
  MAX_ROWS,
  MAX_SHEET_CELLS,
  MIN_HEADER_SCORE,
  SHEET_HEAD_ROWS,
  SheetRow,
  type SheetReadOptions,
  formatNumber,
  hideColumns,
  textSteps,
  tooManyCells,
} from './xlsx';
import { DEFAULT_MAX_INFLATED_BYTES, InflateBudget, ZipEntry, checkZipBudget, readEntryText, readZipDirectory } from './zip';

/** Hyperlinks kept per row: a row holding more is no table's (a link repeated across the width). */
const MAX_ROW_LINKS = 1024;

function fail(detail: string): TableReadError {
  return new TableReadError('invalid-spreadsheet', `Le classeur est illisible : ${detail}.`);
}

/** A `number-rows-repeated` or `number-columns-repeated` count: a whole number from 1 (anything else is 1). */
function repeatCount(v: string | undefined): number {
  const n = Math.floor(Number(v ?? 1));
  return n >= 1 ? n : 1;
}

/** `PT08H30M00S` → `08:30:00`. */
function isoDuration(v: string): string {
  const m = /^-?PT?(\d+)H(\d+)M(\d+(?:\.\d+)?)S$/.exec(v);
  if (!m) return v;
  const pad = (s: string): string => s.split('.')[0].padStart(2, '0');
  return `${pad(m[1])}:${pad(m[2])}:${pad(m[3])}`;
}

/**
 * A float shown with leading zeros (`1000` as `01000`) keeps them, and one with a fractional
 * part the trailing zeros of its decimals (7.1 shown `7,10`, 1234.5 shown `1 234,50 €`), as
 * the display does (see formatNumber: never rounded, an integer stays an integer).
 */
function zeroPadded(value: string, shown: string): string {
  const dot = value.indexOf('.');
  if (dot < 0) {
    // Most cells: an integer, shown without leading zeros.
    const m = shown.charCodeAt(0) === 48 || shown.charCodeAt(1) === 48 ? /^-?(0\d+)$/.exec(shown) : null;
    return m && /^-?\d+$/.test(value) && Number(shown) === Number(value) ? formatNumber(value, m[1].length) : value;
  }
  // `value` is formatNumber's text already.
  const fraction = value.slice(dot + 1);
  const shownDecimals = /[.,](\d+)\D*$/.exec(shown)?.[1];
  // The display's decimals are the value's followed by zeros only.
  if (shownDecimals === undefined || shownDecimals.length <= fraction.length || !shownDecimals.startsWith(fraction) || !/^0+$/.test(shownDecimals.slice(fraction.length))) {
    return value;
  }
  return formatNumber(value, 0, shownDecimals.length);
}

export function* readOds(bytes: Uint8Array, opts: SheetReadOptions = {}): Generator<SheetRow> {
  const entries = opts.entries ?? readZipDirectory(bytes);
  const limit = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const content = entries.get('content.xml');
  if (!content) throw fail('content.xml manquant');
  checkZipBudget([content], limit);

  const budget: InflateBudget = { remaining: limit, limit };
  const active = activeTable(bytes, entries.get('settings.xml'), budget);
  const seen: Seen = { tables: [], judged: 0, unexamined: 0, stopped: false };
  const maxCells = opts.maxCells ?? MAX_SHEET_CELLS;
  const merged = new MergedCells();
  // The columns hidden in the table read, filled in before its first row is yielded.
  const hidden = opts.hiddenColumns ?? [];
  yield* readTables(bytes, content, budget, { score: opts.headerScore, active }, seen, maxCells, merged, hidden);
  const tell = (read: number): void => {
    const visible = seen.tables.filter((t, i) => i !== read && !t.hidden && t.rows > 0);
    const first = seen.tables.findIndex((t) => !t.hidden && t.rows > 0);
    const byActive = seen.tables[read].name === active && first >= 0 && first < read;
    const ignored = visible.map((t) => ({ name: t.name, table: t.score >= MIN_HEADER_SCORE }));
    const told = sheetChosenIssue(seen.tables[read].name, byActive, ignored, seen.stopped ? 'some' : seen.unexamined);
    if (told) opts.issues?.push(told);
  };
  if (seen.read !== undefined) tell(seen.read);
  else {
    // A second pass over content.xml, within its own budget: for the table the active one
    // gave way to, the best of the tables that gave way, or (rare: LibreOffice keeps one
    // sheet visible) a hidden first table.
    const table = firstHolding(seen.tables, seen.tables.length) ?? bestOf(seen.tables) ?? (seen.tables[0]?.hidden ? 0 : undefined);
    if (table === undefined) return;
    tell(table);
    yield* readTables(bytes, content, { remaining: limit, limit }, { table }, seen, maxCells, merged, hidden);
  }
  const told = merged.issue();
  if (told) opts.issues?.push(told);
}

/** settings.xml past this size is not read: it only tells which table was shown. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

/** The name of the table shown when the document was saved (the first view's `ActiveTable`), if settings.xml says. */
function activeTable(bytes: Uint8Array, settings: ZipEntry | undefined, budget: InflateBudget): string | undefined {
  if (!settings || settings.uncompressedSize > MAX_SETTINGS_BYTES) return undefined;
  let xml: string;
  try {
    xml = readEntryText(bytes, settings, budget);
  } catch (e) {
    // Damaged settings do not make the table unreadable; a bomb inflating past the budget does.
    if (isTableReadError(e) && e.code !== 'zip-too-large') return undefined;
    throw e;
  }
  let name: string | undefined;
  let text: string[] | null = null;
  new XmlScanner({
    open(qname, attrs) {
      if (qname === 'config:config-item' && name === undefined && attr(attrs, 'config:name') === 'ActiveTable') text = [];
    },
    close(qname) {
      if (qname !== 'config:config-item' || text === null) return;
      name = text.join('');
      text = null;
    },
    text(t) {
      text?.push(t);
    },
  }).push(xml);
  return name;
}

/** What a scan learnt of a table. */
interface TableSeen {
  name: string;
  hidden: boolean;
  /** Non-empty rows seen among its first ones (0: no data). */
  rows: number;
  /** How many of the schema's columns its first rows name at most; Infinity without a schema, -1 without data. */
  score: number;
}

/** What a scan learnt: every table, and the one read if it was. */
interface Seen {
  tables: TableSeen[];
  read?: number;
  /** Tables with data whose first rows were judged (looked at, or read until they gave way): at most MAX_SHEETS_JUDGED. */
  judged: number;
  /** Visible tables passed over once MAX_SHEETS_JUDGED were judged, not examined. */
  unexamined: number;
  /** The scan stopped after the table read, MAX_SHEETS_JUDGED judged: others may follow, not counted. */
  stopped: boolean;
}

/** The first visible table before `end` whose first rows hold the table (name 2 of the schema's columns; any data without a schema). */
function firstHolding(tables: readonly TableSeen[], end: number): number | undefined {
  for (let i = 0; i < end; i++) if (!tables[i].hidden && tables[i].rows > 0 && tables[i].score >= MIN_HEADER_SCORE) return i;
  return undefined;
}

/** The visible table with data whose first rows name the most columns, the first on a tie. */
function bestOf(tables: readonly TableSeen[]): number | undefined {
  let best: number | undefined;
  tables.forEach((t, i) => {
    if (!t.hidden && t.rows > 0 && (best === undefined || t.score > tables[best].score)) best = i;
  });
  return best;
}

/** A row and its `count - 1` repetitions, numbered from `row`. */
interface RowRun {
  cells: string[];
  row: number;
  count: number;
  links?: Map<number, string>;
  hidden?: true;
  texts?: number[];
}

/** The rows of each run, one at a time: a copy each, the run's own array last (consumers fit rows in place). */
function* expandRuns(runs: readonly RowRun[]): Generator<SheetRow> {
  for (const { cells, row, count, links, hidden, texts } of runs) {
    if (links || hidden || texts) {
      const copy = (r: number, c: string[], l: Map<number, string> | undefined): SheetRow => {
        const out: SheetRow = l ? { cells: c, row: r, links: l } : { cells: c, row: r };
        if (hidden) out.hidden = true;
        // One array for the run's rows, as the links: nothing changes it.
        if (texts) out.texts = texts;
        return out;
      };
      // One map for the run's rows: nothing changes a row's map in place (merged-cells.ts copies it).
      for (let k = 0; k < count - 1; k++) yield copy(row + k, cells.slice(), links);
      yield copy(row + count - 1, cells, links);
      continue;
    }
    for (let k = 0; k < count - 1; k++) yield { cells: cells.slice(), row: row + k };
    yield { cells, row: row + count - 1 };
  }
}

/**
 * What a scan does with a table: `read` its rows (held while its first rows are judged, and
 * dropped if it gives way); `look` at its first rows only (their first HEAD_CELLS cells), to
 * judge it or name it in the warning (a table before the active one, or any after the one
 * read); `skip` it (hidden, judged already, or past MAX_SHEETS_JUDGED judged: not examined).
 */
type Role = 'read' | 'look' | 'skip';

/**
 * Rows of the table `pick` chooses: the active one when its first rows hold the table, else
 * the first visible one with a non-empty cell whose first rows `score` judges to hold the
 * table (any, without a score); or the one at index `table`. The others are looked at
 * (their first rows only, never materialised) so that `seen` knows every table. An active
 * table giving way to an earlier one leaves it to a second pass (`seen.read` unset). Once
 * MAX_SHEETS_JUDGED tables with data are judged, the others are not examined (`seen.unexamined`),
 * and the scan stops after the table read (`seen.stopped`), as it did before tables were named.
 */
function* readTables(
  bytes: Uint8Array,
  content: ZipEntry,
  budget: InflateBudget,
  pick: { score?: (cells: readonly string[]) => number; active?: string } | { table: number },
  seen: Seen,
  maxCells: number,
  merged: MergedCells,
  hiddenColumns: number[] = [],
): Generator<SheetRow> {
  const only = 'table' in pick ? pick.table : undefined;
  const score = 'score' in pick ? pick.score : undefined;
  const active = 'active' in pick ? pick.active : undefined;
  let activeReached = false;
  // Rows wait here until the piece of text is scanned, or while `judging` the table's first rows.
  const ready: RowRun[] = [];
  let readyRows = 0;
  // First rows of a table looked at, their first HEAD_CELLS cells; `cut`: the row has data past them.
  const looked: string[][] = [];
  let cut = false;
  let tableCells = 0;
  let judging = false;
  const hiddenStyles = new Set<string>();
  let tableStyle: string | null = null;
  let tableDepth = 0;
  let tableIndex = -1;
  let role: Role = 'skip';
  let produced = false;
  let rowNum = 0;
  let rowRepeat = 1;
  let cells: string[] = [];
  let pendingEmpty = 0;
  let inCell = false;
  let cellRepeat = 1;
  let typed: string | null = null;
  let padZeros = false;
  let paragraphs: string[] = [];
  let para: string[] | null = null;
  // The address the cell opens: its first `<text:a>`, or a `HYPERLINK` formula (hyperlinks.ts); the row's, by column.
  let cellLink: string | undefined;
  let covered = false;
  let links: Map<number, string> | undefined;
  /** Columns of the row whose cell is text (SheetRow.texts). */
  let texts: number[] | undefined;
  let hiddenRow = false;
  let columnAt = 0;
  let annotation = 0;
  // The table read is over: nothing more to do (second pass), or only tables to look at.
  let done = false;

  const roleOf = (t: TableSeen): Role => {
    if (only !== undefined) return tableIndex === only ? 'read' : 'skip';
    if (t.hidden) {
      if (t.name === active) activeReached = true;
      return 'skip';
    }
    if (!done && t.name === active) {
      activeReached = true;
      return 'read';
    }
    if (seen.judged >= MAX_SHEETS_JUDGED) {
      if (done) seen.stopped = true;
      else seen.unexamined++;
      return 'skip';
    }
    if (done) return 'look';
    if (active !== undefined && !activeReached) return 'look';
    return firstHolding(seen.tables, tableIndex) === undefined ? 'read' : 'look';
  };

  /** The first rows of a table looked at are all in: what they say is noted, the rest of the table skipped. */
  const endLook = (): void => {
    const t = seen.tables[tableIndex];
    t.rows = looked.length;
    t.score = headScore(looked, score);
    if (looked.length > 0) seen.judged++;
    looked.length = 0;
    role = 'skip';
  };

  /** The table's first rows name its columns: it is read; or they do not: it gives way. */
  const judge = (): void => {
    judging = false;
    if (!score || ready.length === 0) return;
    const best = headScore(ready.map((r) => r.cells), score);
    const t = seen.tables[tableIndex];
    t.rows = Math.max(t.rows, readyRows);
    t.score = best;
    if (best >= MIN_HEADER_SCORE) return;
    seen.judged++;
    ready.length = 0;
    readyRows = 0;
    produced = false;
    role = 'skip';
    merged.clear();
    hiddenColumns.length = 0;
  };

  const endTable = (): void => {
    if (role === 'read' && judging) judge();
    if (role === 'look') endLook();
    if (role === 'read' && produced) {
      const t = seen.tables[tableIndex];
      // Without a schema, a table with data holds the table.
      if (t.rows === 0) {
        t.rows = 1;
        t.score = Infinity;
      }
      done = true;
      if (only === undefined) seen.read = tableIndex;
    }
    if (tableIndex === only) done = true;
    role = 'skip';
  };

  const addCell = (text: string, repeat: number, isText: boolean): void => {
    if (text === '') {
      pendingEmpty += repeat;
      return;
    }
    if (role === 'look' && cells.length + pendingEmpty + repeat > HEAD_CELLS) {
      // Past the cells scored: the row has data, the rest of it is not kept.
      cut = true;
      if (cells.length + pendingEmpty >= HEAD_CELLS) return;
      repeat = HEAD_CELLS - cells.length - pendingEmpty;
    }
    if (cells.length + pendingEmpty + repeat > MAX_COLUMNS) {
      if (role !== 'read') return;
      throw fail(`plus de ${MAX_COLUMNS} colonnes ligne ${rowNum}`);
    }
    for (; pendingEmpty > 0; pendingEmpty--) cells.push('');
    if (cellLink !== undefined && role === 'read') {
      links ??= new Map();
      // A link repeated across the sheet's width is no table's: the first MAX_ROW_LINKS cells of a row are enough.
      for (let i = 0; i < repeat && links.size < MAX_ROW_LINKS; i++) links.set(cells.length + i, cellLink);
    }
    if (isText && role === 'read') {
      texts ??= [];
      for (let i = 0; i < repeat && texts.length < MAX_ROW_LINKS; i++) texts.push(cells.length + i);
    }
    for (let i = 0; i < repeat; i++) cells.push(text);
  };

  const scanner = new XmlScanner({
    open(name, attrs, selfClosing) {
      if (done && only !== undefined) return;
      if (name === 'table:table') {
        if (tableDepth++ > 0) return;
        tableIndex++;
        if (only === undefined) {
          const hidden = hiddenStyles.has(attr(attrs, 'table:style-name') ?? '');
          seen.tables.push({ name: attr(attrs, 'table:name') ?? `Feuille ${tableIndex + 1}`, hidden, rows: 0, score: -1 });
        }
        role = roleOf(seen.tables[tableIndex]);
        judging = role === 'read' && score !== undefined;
        if (role === 'read') {
          merged.clear();
          hiddenColumns.length = 0;
          columnAt = 0;
        }
        produced = false;
        rowNum = 0;
        tableCells = 0;
        return;
      }
      if (tableDepth === 0) {
        // Automatic styles come before the body: note the table styles that hide their sheet.
        if (name === 'style:style') {
          tableStyle = attr(attrs, 'style:family') === 'table' ? (attr(attrs, 'style:name') ?? null) : null;
        }
        else if (name === 'style:table-properties' && tableStyle !== null && attr(attrs, 'table:display') === 'false') {
          hiddenStyles.add(tableStyle);
        }
        return;
      }
      if (role === 'skip') return;
      if (name === 'table:table-column') {
        // Before the rows: `table:visibility="collapse"` (Masquer) or `filter`.
        const repeat = Math.min(MAX_COLUMNS, repeatCount(attr(attrs, 'table:number-columns-repeated')));
        const visibility = attr(attrs, 'table:visibility');
        if (role === 'read' && (visibility === 'collapse' || visibility === 'filter')) hideColumns(hiddenColumns, columnAt, repeat);
        columnAt += repeat;
        return;
      }
      if (name === 'table:table-row') {
        rowRepeat = repeatCount(attr(attrs, 'table:number-rows-repeated'));
        // `collapse` (Masquer) or `filter` (filtered out): hidden, read all the same.
        const visibility = attr(attrs, 'table:visibility');
        hiddenRow = visibility === 'collapse' || visibility === 'filter';
        cells = [];
        pendingEmpty = 0;
        cut = false;
        links = undefined;
        texts = undefined;
      } else if (name === 'table:table-cell' || name === 'table:covered-table-cell') {
        cellRepeat = Math.min(MAX_COLUMNS, repeatCount(attr(attrs, 'table:number-columns-repeated')));
        const error = attr(attrs, 'calcext:value-type') === 'error';
        const type = name === 'table:covered-table-cell' || error ? undefined : attr(attrs, 'office:value-type');
        typed = null;
        padZeros = type === 'float' || type === 'currency';
        if (type === 'float' || type === 'percentage' || type === 'currency') {
          const v = attr(attrs, 'office:value');
          if (v !== undefined) typed = formatNumber(v);
        } else if (type === 'date') {
          const v = attr(attrs, 'office:date-value');
          if (v !== undefined) typed = v.replace(/T00:00:00(\.0+)?Z?$/, '').replace(/(T\d\d:\d\d:\d\d)(\.\d+)?Z?$/, '$1');
        } else if (type === 'boolean') {
          const v = attr(attrs, 'office:boolean-value');
          if (v !== undefined) typed = v === 'true' || v === '1' ? 'true' : 'false';
        } else if (type === 'time') {
          const v = attr(attrs, 'office:time-value');
          if (v !== undefined) typed = isoDuration(v);
        }
        if (role === 'read' && cellRepeat === 1) {
          // The first cell of a block merged down one column (see merged-cells.ts).
          const spanned = repeatCount(attr(attrs, 'table:number-rows-spanned'));
          if (spanned > 1 && repeatCount(attr(attrs, 'table:number-columns-spanned')) === 1) {
            merged.add({ col: cells.length + pendingEmpty, top: rowNum + 1, bottom: Math.min(MAX_ROWS, rowNum + spanned) });
          }
        }
        paragraphs = [];
        // A covered cell shows the merge's value: its own hidden content (kept by LibreOffice) opens nothing.
        covered = name === 'table:covered-table-cell';
        const formula = covered ? undefined : attr(attrs, 'table:formula');
        cellLink = formula === undefined ? undefined : hyperlinkFormulaTarget(formula);
        inCell = !selfClosing;
        if (selfClosing) addCell(typed ?? '', cellRepeat, false);
      } else if (!inCell) return;
      else if (name === 'office:annotation') annotation++;
      else if (annotation > 0) return;
      // An empty paragraph (`<text:p/>`) is closed at once, and pushed then.
      else if (name === 'text:p' || name === 'text:h') para = [];
      else if (para && name === 'text:s') para.push(' '.repeat(Math.min(1000, Number(attr(attrs, 'text:c') ?? 1) || 1)));
      else if (para && name === 'text:tab') para.push('\t');
      else if (para && name === 'text:line-break') para.push('\n');
      else if (para && name === 'text:a' && cellLink === undefined && !covered) {
        const href = attr(attrs, 'xlink:href')?.trim();
        if (href) cellLink = href;
      }
    },
    close(name) {
      if (done && only !== undefined) return;
      if (name === 'table:table') {
        if (--tableDepth > 0) return;
        endTable();
        return;
      }
      if (tableDepth === 0) {
        if (name === 'style:style') tableStyle = null;
        return;
      }
      if (role === 'skip') return;
      if (name === 'office:annotation') annotation--;
      else if ((name === 'text:p' || name === 'text:h') && para && annotation === 0) {
        paragraphs.push(para.join(''));
        para = null;
      } else if ((name === 'table:table-cell' || name === 'table:covered-table-cell') && inCell) {
        inCell = false;
        // One paragraph a line, as shown: a cell whose only paragraph is empty is empty.
        const shown = paragraphs.join('\n');
        // A covered cell's type is not read (its kept content is hidden): the merge says what it shows (merged-cells.ts).
        addCell(typed === null ? shown : padZeros ? zeroPadded(typed, shown) : typed, cellRepeat, typed === null && !covered);
      } else if (name === 'table:table-row') {
        const first = rowNum + 1;
        rowNum += rowRepeat;
        if (role === 'look') {
          for (let k = 0; (cells.length > 0 || cut) && k < rowRepeat && looked.length <= SHEET_HEAD_ROWS; k++) looked.push(cells);
          if (looked.length > SHEET_HEAD_ROWS) endLook();
          return;
        }
        if (rowNum > MAX_ROWS) {
          if (cells.length > 0) throw fail(`plus de ${MAX_ROWS} lignes`);
          // Trailing empty rows repeated to the sheet's end: the table is over.
          endTable();
          return;
        }
        if (cells.length > 0) {
          produced = true;
          tableCells += cells.length * rowRepeat;
          if (tableCells > maxCells) throw tooManyCells(maxCells, first);
          const run: RowRun = links ? { cells, row: first, count: rowRepeat, links } : { cells, row: first, count: rowRepeat };
          if (hiddenRow) run.hidden = true;
          if (texts) run.texts = texts;
          ready.push(run);
          readyRows += rowRepeat;
          if (judging && readyRows > SHEET_HEAD_ROWS) judge();
        }
      }
    },
    text(t) {
      if (para && annotation === 0) para.push(t);
    },
  });

  /** The rows scanned, merged cells filled (what they add counts towards the cap). */
  function* release(): Generator<SheetRow> {
    for (const r of expandRuns(ready)) {
      const grown = merged.apply(r);
      if (grown > 0) {
        tableCells += grown;
        if (tableCells > maxCells) throw tooManyCells(maxCells, r.row);
      }
      yield r;
    }
    ready.length = 0;
    readyRows = 0;
  }

  for (const text of textSteps(bytes, content, budget)) {
    scanner.push(text);
    if (judging) continue;
    yield* release();
    if (done && (only !== undefined || seen.stopped)) return;
  }
  if (judging) judge();
  yield* release();
}
