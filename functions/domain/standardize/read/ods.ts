/**
 * The data sheet of an .ods (OpenDocument) as rows of text. Typed cells use their typed
 * attribute (`office:value` for float/percentage/currency, `office:date-value`,
 * `office:boolean-value`, `office:time-value`); other cells their `text:p` paragraphs joined
 * with `\n`, `text:s` expanded to spaces. Comments (`office:annotation`) are ignored. An
 * integer displayed with leading zeros (`01000`, a `number:min-integer-digits` style) keeps
 * them; an error cell (`calcext:value-type="error"`) is its displayed text (`#N/A`, `Err:502`).
 *
 * The data sheet is chosen as in xlsx.ts: the first table that is not hidden
 * (`table:display="false"` in its automatic style) and has a non-empty cell; given the
 * schema's header score, a table whose first rows name fewer than 2 of its columns (a
 * notice) gives way to the first one that names 2, or else to the one that names the most
 * (the earliest on a tie). When no visible table has data, the first table is read, as
 * before. content.xml holds every table: a table that gives way is scanned through, not
 * kept; one chosen only at the end of the scan is read in a second pass.
 *
 * Repetition without blow-up: empty rows (even `number-rows-repeated="1048000"`) are
 * skipped without materialising them; empty repeated cells are only written out when a
 * non-empty cell follows them on the row; widths are capped at 16384 columns and row
 * counts at 1 048 576. A repeated non-empty row (LibreOffice writes identical consecutive
 * rows once) is held once and copied as it is yielded, and its cells count, repetitions
 * included, towards the table's MAX_SHEET_CELLS: a 500-byte file whose row of 16 384 cells
 * is repeated to the last row is refused, not expanded.
 */
import { TableReadError } from './errors';
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
  textSteps,
  tooManyCells,
} from './xlsx';
import { DEFAULT_MAX_INFLATED_BYTES, InflateBudget, ZipEntry, checkZipBudget, readZipDirectory } from './zip';

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

  const seen: Seen = { firstHidden: false };
  const maxCells = opts.maxCells ?? MAX_SHEET_CELLS;
  let found = false;
  for (const row of readTables(bytes, content, { remaining: limit, limit }, { score: opts.headerScore }, seen, maxCells)) {
    found = true;
    yield row;
  }
  if (found) return;
  // A second pass over content.xml, within its own budget: for the best of the tables that
  // gave way, or (rare: LibreOffice keeps one sheet visible) a hidden first table.
  const table = seen.best?.table ?? (seen.firstHidden ? 0 : undefined);
  if (table !== undefined) yield* readTables(bytes, content, { remaining: limit, limit }, { table }, seen, maxCells);
}

/** What a scan learnt: is the first table hidden, which table that gave way names the most columns. */
interface Seen {
  firstHidden: boolean;
  best?: { table: number; score: number };
}

/** A row and its `count - 1` repetitions, numbered from `row`. */
interface RowRun {
  cells: string[];
  row: number;
  count: number;
}

/** The rows of each run, one at a time: a copy each, the run's own array last (consumers fit rows in place). */
function* expandRuns(runs: readonly RowRun[]): Generator<SheetRow> {
  for (const { cells, row, count } of runs) {
    for (let k = 0; k < count - 1; k++) yield { cells: cells.slice(), row: row + k };
    yield { cells, row: row + count - 1 };
  }
}

/**
 * Rows of the table `pick` chooses: the first visible one with a non-empty cell whose first
 * rows `score` judges to hold the table (any, without a score), or the one at index `table`.
 * Tables passed over are scanned, never materialised; the first rows of a table being judged
 * are held until it is.
 */
function* readTables(
  bytes: Uint8Array,
  content: ZipEntry,
  budget: InflateBudget,
  pick: { score?: (cells: readonly string[]) => number } | { table: number },
  seen: Seen,
  maxCells: number,
): Generator<SheetRow> {
  const only = 'table' in pick ? pick.table : undefined;
  const score = 'score' in pick ? pick.score : undefined;
  // Rows wait here until the piece of text is scanned, or while `judging` the table's first rows.
  const ready: RowRun[] = [];
  let readyRows = 0;
  let tableCells = 0;
  let judging = false;
  const hiddenStyles = new Set<string>();
  let tableStyle: string | null = null;
  let tableDepth = 0;
  let tableIndex = -1;
  let reading = false;
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
  let annotation = 0;
  let done = false;

  /** The table's first rows name its columns: it is read; or they do not: it gives way. */
  const judge = (): void => {
    judging = false;
    if (!score || ready.length === 0) return;
    let best = 0;
    for (const r of ready) best = Math.max(best, score(r.cells));
    if (best >= MIN_HEADER_SCORE) return;
    if (!seen.best || best > seen.best.score) seen.best = { table: tableIndex, score: best };
    ready.length = 0;
    readyRows = 0;
    produced = false;
    reading = false;
  };

  const endTable = (): void => {
    if (judging) judge();
    if (only !== undefined ? tableIndex === only : reading && produced) done = true;
    reading = false;
  };

  const addCell = (text: string, repeat: number): void => {
    if (text === '') {
      pendingEmpty += repeat;
      return;
    }
    if (cells.length + pendingEmpty + repeat > MAX_COLUMNS) throw fail(`plus de ${MAX_COLUMNS} colonnes ligne ${rowNum}`);
    for (; pendingEmpty > 0; pendingEmpty--) cells.push('');
    for (let i = 0; i < repeat; i++) cells.push(text);
  };

  const scanner = new XmlScanner({
    open(name, attrs, selfClosing) {
      if (done) return;
      if (name === 'table:table') {
        if (tableDepth++ > 0) return;
        tableIndex++;
        const hidden = hiddenStyles.has(attr(attrs, 'table:style-name') ?? '');
        if (tableIndex === 0) seen.firstHidden = hidden;
        reading = only !== undefined ? tableIndex === only : !hidden;
        judging = reading && score !== undefined;
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
      if (!reading) return;
      if (name === 'table:table-row') {
        rowRepeat = repeatCount(attr(attrs, 'table:number-rows-repeated'));
        cells = [];
        pendingEmpty = 0;
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
        paragraphs = [];
        inCell = !selfClosing;
        if (selfClosing) addCell(typed ?? '', cellRepeat);
      } else if (!inCell) return;
      else if (name === 'office:annotation') annotation++;
      else if (annotation > 0) return;
      else if (name === 'text:p' || name === 'text:h') {
        para = [];
        if (selfClosing) paragraphs.push('');
      } else if (para && name === 'text:s') para.push(' '.repeat(Math.min(1000, Number(attr(attrs, 'text:c') ?? 1) || 1)));
      else if (para && name === 'text:tab') para.push('\t');
      else if (para && name === 'text:line-break') para.push('\n');
    },
    close(name) {
      if (done) return;
      if (name === 'table:table') {
        if (--tableDepth > 0) return;
        endTable();
        return;
      }
      if (tableDepth === 0) {
        if (name === 'style:style') tableStyle = null;
        return;
      }
      if (!reading) return;
      if (name === 'office:annotation') annotation--;
      else if ((name === 'text:p' || name === 'text:h') && para && annotation === 0) {
        paragraphs.push(para.join(''));
        para = null;
      } else if ((name === 'table:table-cell' || name === 'table:covered-table-cell') && inCell) {
        inCell = false;
        const shown = paragraphs.join('\n');
        addCell(typed === null ? shown : padZeros ? zeroPadded(typed, shown) : typed, cellRepeat);
      } else if (name === 'table:table-row') {
        const first = rowNum + 1;
        rowNum += rowRepeat;
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
          ready.push({ cells, row: first, count: rowRepeat });
          readyRows += rowRepeat;
          if (judging && readyRows > SHEET_HEAD_ROWS) judge();
        }
      }
    },
    text(t) {
      if (para && annotation === 0) para.push(t);
    },
  });

  for (const text of textSteps(bytes, content, budget)) {
    scanner.push(text);
    if (judging) continue;
    yield* expandRuns(ready);
    ready.length = 0;
    readyRows = 0;
    if (done) return;
  }
  if (judging) judge();
  yield* expandRuns(ready);
}
