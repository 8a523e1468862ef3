/**
 * One entry point for every upload: detect the format from the bytes, decode, parse, and
 * hand back the header and a lazy row iterator.
 *
 * Contract:
 * - `openTable` reads the header AND the first data row before resolving, so `empty-file`
 *   and `header-only` are thrown here, never from the iterator.
 * - Errors that stop reading later (`row-too-large`, `unterminated-quote`,
 *   `invalid-encoding`, `zip-too-large`, `invalid-spreadsheet`) are thrown by the `rows`
 *   iterator, with `row` when known. All are `TableReadError` (stable English code,
 *   French message).
 * - Every yielded row has exactly `header.length` cells. CSV follows Frictionless: a short
 *   record is padded with `null` and carries one `missing-cell` error per absent cell; a long
 *   one is cut and carries one `extra-cell` error per extra cell (a `;` left unquoted in a
 *   value shifts the cells after it). Spreadsheets do not store trailing empty cells, so short
 *   rows are padded with `''` silently; a value past the header's last column is a note typed
 *   beside the table: its column is ignored with one warning, as a CSV column without a name.
 * - Rows are numbered as the spreadsheet (or a spreadsheet opening the CSV) shows them: a
 *   line break inside a quoted CSV cell does not start a row, a blank line is one.
 * - `issues` holds file-level warnings; it grows while rows are read (`blank-row`,
 *   `extra-column` past a spreadsheet's header).
 * - `encoding` may change from `utf-8` to `windows-1252` while reading (see decode.ts).
 *
 * Memory: CSV streams (bounded by `maxRecordBytes` + one chunk); ZIP spreadsheets and JSON
 * are buffered whole, bounded by `maxBufferedBytes` (the upload limit).
 */
import { Cell, ValidationIssue } from '../../schema/types';
import { CsvDelimiter, DEFAULT_MAX_RECORD_BYTES } from './csv';
import { csvRowAt, readCsvBytes, type CsvRest, type RawCells } from './csv-bytes';
import { ENCODING_SNIFF_BYTES, InvalidEncodingError, TextEncoding, decodeBytes, decodeStream, utf16ToUtf8, type DecodedStream, type Utf16 } from './decode';
import { ENCRYPTED_FILE_MESSAGE, TableReadError, formatBytes, isTableReadError } from './errors';
import { readHtml } from './html';
import { JsonFlattener, MAX_JSON_BYTES, openJsonTable } from './json';
import { frenchList, ListedRows } from '../../french-list';
import { columnLetters } from './cell-ref';
import { readOds } from './ods';
import { sniffFormat } from './sniff';
import { readXls } from './xls';
import { SheetRow, readXlsx } from './xlsx';
import { DEFAULT_MAX_INFLATED_BYTES } from './zip';

export type TableFormat = 'csv' | 'xlsx' | 'xls' | 'ods' | 'json' | 'html';

export interface TableRow {
  cells: Cell[];
  /** Sheet row (spreadsheets; CSV: as a spreadsheet shows the file) or element index + 1 (JSON); header = 1. */
  row: number;
  /** Structural errors of this row (`missing-cell`, `extra-cell`). */
  issues?: ValidationIssue[];
  /** CSV: where the cells are in the source bytes (absent when the row was refitted to the header). */
  raw?: RawCells;
  /** Spreadsheets: the cells that are hyperlinks, the address each opens by column (`cells` holds the label shown). */
  links?: Map<number, string>;
  /** Spreadsheets: the row is hidden in the workbook (masked, filtered out), read all the same (hidden-cells.ts). */
  hidden?: true;
  /** Workbooks and JSON: the columns whose cell is text, not a number (SheetRow.texts). */
  texts?: number[];
}

export interface OpenedTable {
  format: TableFormat;
  /** Text formats only: what the file was written in (UTF-16 is decoded to UTF-8 first). */
  readonly encoding?: TextEncoding | Utf16;
  /** CSV only. */
  delimiter?: CsvDelimiter;
  header: Cell[];
  /** CSV only: the width a line may have with empty cells past the header (see fitWidth). */
  padWidth?: number;
  rows: AsyncIterable<TableRow>;
  /**
   * CSV only: the same rows in arrays (never empty; the caller may keep them), for loops
   * that would otherwise pay one `await` per row. Consume this or `rows`, not both.
   */
  batches?: AsyncIterable<TableRow[]>;
  /** File-level warnings so far. */
  issues: ValidationIssue[];
  /** Spreadsheets: the columns (0-based) hidden in the sheet read, filled in as its rows are read (hidden-columns.ts). */
  hiddenColumns?: readonly number[];
  /** The header's row number in the file (1 but under title rows; JSON: 1). */
  headerRow: number;
  /**
   * CSV only: stops `batches` (call it between two batches) and hands over the bytes not
   * parsed yet, from a record start, to parse them elsewhere (standardize/parallel.ts).
   */
  rest?: () => CsvRest;
}

/** The warning for blank lines skipped. */
export function blankRowsIssue(count: number): ValidationIssue {
  return { code: 'blank-row', severity: 'warning', message: count > 1 ? `${count} lignes vides ignorées.` : '1 ligne vide ignorée.' };
}

export interface OpenTableOptions {
  maxRecordBytes?: number;
  maxInflatedBytes?: number;
  /** Upload limit for formats read whole (xlsx, ods, json). */
  maxBufferedBytes?: number;
  flattenJson?: JsonFlattener;
  /**
   * How many of the schema's columns a record names. Given, the header is the first of the
   * first records that names the most (a title row or two above it are skipped, with a
   * warning); without it, the first record with two cells or more after single-cell lines.
   */
  headerScore?: (cells: readonly Cell[]) => number;
  /** The schema's field one heading names: a header on two rows is read as one (« Votes » over « Pour »). */
  headingField?: (heading: string) => string | undefined;
  /**
   * The header is the first record: no title rows above it, and no empty cells past its width
   * (a BAL: its reference validator reads line 1 as the header, and no line may be wider).
   */
  headerOnFirstRow?: boolean;
  /** How many columns the schema has: a record naming most of them is the header under a title block of any width (see headerIndex). */
  schemaColumns?: number;
}

/** Records looked at for the header: a title, a subtitle, a date, blank lines… */
const HEADER_LOOKAHEAD = 10;

/** Cells of a record that hold something other than spaces. */
export const filledCells = (cells: readonly Cell[]): number => {
  let n = 0;
  for (const c of cells) if (c !== null && c.trim() !== '') n++;
  return n;
};

/**
 * Where the header is among the first records: 0 unless the records before a later one look
 * like a title above a table, and that record names two of the schema's columns or more, and
 * more than the first record does (without a schema: it fills two cells or more, after
 * records of a single cell). A title fills at most two cells; a title block of more
 * (`Collectivité : | Commune de … | Exercice : | 2024`) only above a record that names most of
 * the schema's columns (`schemaColumns`), each of its records filling fewer cells than that
 * record names: a first row as full as the table is its header, whatever comes after.
 */
export function headerIndex(head: readonly { cells: readonly Cell[] }[], score?: (cells: readonly Cell[]) => number, schemaColumns?: number): number {
  const n = Math.min(head.length, HEADER_LOOKAHEAD);
  let best = 0;
  let bestScore = 0;
  if (score) {
    bestScore = score(head[0].cells);
    for (let i = 1; i < n; i++) {
      const s = score(head[i].cells);
      if (s > bestScore && s >= 2) {
        best = i;
        bestScore = s;
      }
    }
  } else if (head[0].cells.length === 1) {
    // Without a schema, only lines of a single cell (no delimiter at all) read as a title:
    // `commune;` is a header whose second column has no name.
    while (best < n && head[best].cells.length === 1) best++;
    if (best === n || filledCells(head[best].cells) < 2) best = 0;
  }
  const namesMost = schemaColumns !== undefined && 2 * bestScore > schemaColumns;
  for (let i = 0; i < best; i++) {
    const filled = filledCells(head[i].cells);
    if (filled > 2 && !(namesMost && filled < bestScore)) return 0;
  }
  return best;
}

/** `rows`: the records above the header (blank lines between them are counted apart, in `blank-row`). */
function titleRowsIssue(rows: readonly number[], header: number): ValidationIssue {
  const n = rows.length;
  const first = rows[0];
  const last = rows[n - 1];
  const lines = n === 1 ? `La ligne ${first}` : last - first === n - 1 ? `Les lignes ${first} ${n === 2 ? 'et' : 'à'} ${last}` : `Les lignes ${frenchList(rows.map(String))}`;
  return {
    code: 'title-rows',
    severity: 'warning',
    row: first,
    message: `${lines} ${n === 1 ? 'est ignorée' : 'sont ignorées'} : elle${n === 1 ? '' : 's'} précède${n === 1 ? '' : 'nt'} la ligne des noms de colonnes (ligne ${header}), comme un titre.`,
  };
}

export const DEFAULT_MAX_BUFFERED_BYTES = 100 * 1024 * 1024;
const SNIFF_BYTES = 8192;

const UNKNOWN_MESSAGES: Record<string, string> = {
  pdf: 'Le fichier est un PDF : déposez le tableau au format CSV, Excel (.xlsx) ou OpenDocument (.ods).',
  ole: 'Le fichier Office est illisible (conteneur endommagé) : ouvrez-le dans Excel ou LibreOffice et enregistrez-le en .xlsx ou en CSV.',
  'ole-other': 'Le fichier est un document Office qui n’est pas un classeur (Word, Outlook…) : déposez le tableau au format CSV, Excel (.xlsx, .xls) ou OpenDocument (.ods).',
  zip: 'Archive ZIP non reconnue : seuls les classeurs .xlsx et .ods sont acceptés.',
  spreadsheetml:
    'Le fichier est une « Feuille de calcul XML 2003 » d’Excel, un format qui n’est pas pris en charge : ouvrez-le dans Excel ou LibreOffice et enregistrez-le en .xlsx ou en CSV.',
};

/** A JSON document or a web page over MAX_JSON_BYTES: parsed whole, it would take more memory than the function has. */
function textTooLarge(format: 'json' | 'html'): TableReadError {
  const what = format === 'json' ? 'un JSON' : 'une page web (HTML)';
  return new TableReadError(
    format === 'json' ? 'invalid-json' : 'invalid-spreadsheet',
    `Le fichier dépasse la taille maximale acceptée pour ${what} (${formatBytes(MAX_JSON_BYTES)}), qui est lu en entier d’un coup. Déposez les mêmes données en CSV, qui est lu au fil de l’eau et n’a pas cette limite.`,
  );
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

async function* prepend(head: Uint8Array, it: AsyncIterator<Uint8Array>, done: boolean): AsyncGenerator<Uint8Array> {
  if (head.length) yield head;
  if (done) return;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

function columnName(header: Cell[], i: number): string {
  return header[i] || `colonne ${i + 1}`;
}

/**
 * Values past a spreadsheet header's last column, by column: a note typed beside the table.
 * Each such column is ignored with one warning, as a CSV column without a name is (the
 * export of the same sheet has the empty header cell), naming it by its letter and the rows
 * it has values on.
 */
class BesideTable {
  private readonly columns = new Map<number, ListedRows>();

  add(column: number, row: number): void {
    let seen = this.columns.get(column);
    if (!seen) this.columns.set(column, (seen = new ListedRows()));
    seen.add(row);
  }

  /**
   * One warning per column. Its values are not quoted: they are not published, and the report
   * of a published version is (a note beside the table may be a private phone number).
   */
  issues(): ValidationIssue[] {
    return [...this.columns.entries()]
      .sort(([a], [b]) => a - b)
      .map(([column, seen]) => {
        const letter = columnLetters(column);
        const { rows, count } = seen;
        const where = count === 1 ? `sa valeur en ligne ${rows[0]}, qui ne sera pas publiée` : `ses valeurs en lignes ${seen.text()}, qui ne seront pas publiées`;
        return {
          code: 'extra-column',
          severity: 'warning',
          row: rows[0],
          column: `colonne ${letter}`,
          message: `La colonne ${letter} n’a pas de nom : elle sera ignorée, avec ${where}.`,
        };
      });
  }
}

/** Combining diacritical marks: « é » typed on a Mac, or copied from a PDF, is « e » and U+0301. */
const COMBINING_MARK = /[\u0300-\u036f]/;

/**
 * Accents written as a letter and its combining mark, composed (what the CSV reader does as it
 * scans the bytes): lengths, searches and patterns count them once, and they are published so.
 */
export function composeCells(cells: Cell[]): Cell[] {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c !== null && c.length > 1 && COMBINING_MARK.test(c)) cells[i] = c.normalize('NFC');
  }
  return cells;
}

/** Fits a spreadsheet row to the header's width: a short one is padded with `''` (trailing empty cells are not stored), values past it go to `beside`. */
function fitSheetRow({ cells, row, links, hidden, texts }: SheetRow, width: number, beside: BesideTable): TableRow {
  if (cells.length < width) for (let i = cells.length; i < width; i++) cells.push('');
  else if (cells.length > width) {
    for (let i = width; i < cells.length; i++) {
      const value = cells[i];
      if (value && value.trim() !== '') beside.add(i, row);
    }
    cells.length = width;
  }
  composeCells(cells);
  const fitted: TableRow = links ? { cells, row, links } : { cells, row };
  if (hidden) fitted.hidden = true;
  if (texts) fitted.texts = texts;
  return fitted;
}

/**
 * Fits a CSV record to the header's width: a missing cell is an error, a cell past the
 * header is an error unless it is empty and within `padWidth` — the width the first record
 * showed with empty cells past the header (an export that ends every line with `;`). A row
 * of another width with an empty extra cell is a row shifted by a stray delimiter.
 */
export function fitWidth(cells: Cell[], row: number, header: Cell[], padWidth = header.length): TableRow {
  const width = header.length;
  const issues: ValidationIssue[] = [];
  if (cells.length < width) {
    const have = cells.length;
    const first = columnName(header, have);
    const missing = width - have === 1 ? `la cellule de « ${first} »` : `les cellules de « ${first} » à « ${columnName(header, width - 1)} »`;
    issues.push({
      code: 'missing-cell',
      severity: 'error',
      row,
      column: first,
      message: `La ligne n’a que ${have} valeur${have > 1 ? 's' : ''} pour ${width} colonnes : il manque ${missing}. Un séparateur a-t-il été effacé, ou la ligne coupée en deux ?`,
    });
    for (let i = have; i < width; i++) cells.push(null);
  } else {
    for (let i = width; i < cells.length; i++) {
      const value = cells[i];
      if (!value && i < padWidth) continue;
      // The line in the message is the issue's row (no number in the text: the report groups lines alike).
      issues.push({
        code: 'extra-cell',
        severity: 'error',
        row,
        column: columnLetters(i),
        value: value ?? '',
        message: value
          ? `Valeur en trop, après la dernière colonne de l’en-tête (la ligne a ${cells.length} valeurs pour ${width} colonnes d’en-tête).`
          : `Cellule vide en trop, après la dernière colonne de l’en-tête (la ligne a ${cells.length} cellules pour ${width} colonnes d’en-tête) : la ligne finit par un séparateur de trop, invisible dans un tableur. ` +
            'Enregistrez de nouveau le fichier depuis le tableur, ou retirez le séparateur en fin de ligne dans un éditeur de texte (Bloc-notes).',
      });
    }
    cells.length = width;
  }
  return issues.length ? { cells, row, issues } : { cells, row };
}

/** CSV records fitted in place to the header width (see fitWidth); a record of that width stays as it is. */
export function fitRecords(records: { cells: Cell[]; row: number }[], header: Cell[], padWidth = header.length): TableRow[] {
  const rows: TableRow[] = records;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.cells.length !== header.length) rows[i] = fitWidth(r.cells, r.row, header, padWidth);
  }
  return rows;
}

/** The width of an export that ends every line with empty cells, as its first record shows it (see fitWidth). */
function paddedWidth(first: { cells: Cell[] } | undefined, header: Cell[]): number {
  if (!first || first.cells.length <= header.length) return header.length;
  for (let i = header.length; i < first.cells.length; i++) if (first.cells[i]) return header.length;
  return first.cells.length;
}

function emptyFile(): TableReadError {
  return new TableReadError('empty-file', 'Le fichier est vide.');
}

/** `row`: the header's, under title rows too (where the data should start). */
function headerOnly(row = 1): TableReadError {
  const where = row > 1 ? ` (ligne ${row})` : '';
  return new TableReadError('header-only', `Le fichier ne contient qu’une ligne d’en-tête${where}, sans aucune donnée.`, row);
}

/** How the header is found (headerIndex), and where file-level warnings go. */
interface HeaderSearch {
  score?: (cells: readonly Cell[]) => number;
  /** The schema's field one heading names (two-row headers: twoRowHeader). */
  field?: (heading: string) => string | undefined;
  /** See OpenTableOptions.headerOnFirstRow. */
  firstRow?: boolean;
  schemaColumns?: number;
  issues: ValidationIssue[];
}

/** Headings of a two-row header quoted in its warning. */
const LISTED_JOINED_HEADINGS = 4;

/** A column of a header on two rows: its group label (carried from the left), its own heading. */
interface TwoRowColumn {
  over: string;
  below: string;
  /** A group label over several columns, and a heading under it. */
  grouped: boolean;
}

/**
 * One heading per column from a header on two rows: a group label (« Votes » merged over
 * « Pour | Contre | Abstention », or typed once above the first) is carried right over the
 * columns it spans, until the next label above. Columns without a group keep their heading;
 * each grouped column then takes, in this order, the first whose field no other column has:
 * the two joined (« Votes Pour », « Numéro préfecture »), its own heading alone when no other
 * group has the same one under it (« Nom » under « Attribuant » and under « Bénéficiaire »
 * says neither), its group when it spans this column only; else the two joined, an extra
 * column that still says what it held. `fromBottom`: columns named from the lower row.
 */
function joinHeaderRows(
  top: readonly Cell[],
  bottom: readonly Cell[],
  fieldOf: (heading: string) => string | undefined,
): { cells: Cell[]; joined: string[]; fromBottom: number } {
  const width = Math.max(top.length, bottom.length);
  const cols: TwoRowColumn[] = [];
  let group = '';
  for (let j = 0; j < width; j++) {
    const above = (top[j] ?? '').trim();
    const below = (bottom[j] ?? '').trim();
    if (above !== '') group = above;
    else if (below === '') group = '';
    const over = above !== '' ? above : group;
    cols.push({ over, below, grouped: over !== '' && below !== '' && below !== over });
  }
  const span = new Map<string, number>();
  const groupsUnder = new Map<string, Set<string>>();
  for (const c of cols) {
    if (!c.grouped) continue;
    span.set(c.over, (span.get(c.over) ?? 0) + 1);
    const key = c.below.toLowerCase();
    groupsUnder.set(key, (groupsUnder.get(key) ?? new Set()).add(c.over));
  }
  const taken = new Set<string>();
  let fromBottom = 0;
  const cells: Cell[] = cols.map((c) => {
    if (c.grouped) return null;
    const heading = c.below !== '' && c.over === '' ? c.below : c.over;
    const field = heading === '' ? undefined : fieldOf(heading);
    if (field) {
      taken.add(field);
      if (c.over === '') fromBottom++;
    }
    return heading === '' ? null : heading;
  });
  const joined: string[] = [];
  const free = (heading: string): boolean => {
    const field = fieldOf(heading);
    if (field === undefined || taken.has(field)) return false;
    taken.add(field);
    return true;
  };
  // Joined headings first: they are the most specific, and claim their fields before a lower heading alone.
  const both = (c: TwoRowColumn) => [`${c.over} ${c.below}`, `${c.below} ${c.over}`];
  const chosen = cols.map((c) => (c.grouped ? both(c).find(free) : undefined));
  cols.forEach((c, j) => {
    if (!c.grouped) return;
    let heading = chosen[j];
    if (heading === undefined && groupsUnder.get(c.below.toLowerCase())!.size === 1 && free(c.below)) heading = c.below;
    if (heading === undefined && span.get(c.over) === 1 && free(c.over)) heading = c.over;
    if (heading !== undefined && heading !== c.over) fromBottom++;
    cells[j] = heading ?? `${c.over} ${c.below}`;
    joined.push(`« ${c.over} » au-dessus de « ${c.below} » est lu comme « ${cells[j]} »`);
  });
  return { cells, joined, fromBottom };
}

/**
 * A header typed on two rows (the row found and the one after it, or the one before it and
 * it), when the two read together name more of the schema's columns than the row alone, two
 * of them at least from the lower row: the index of its lower row, and its headings.
 */
function twoRowHeader(head: readonly { cells: Cell[]; row: number }[], h: number, found: HeaderSearch): { upper: number; lower: number; cells: Cell[]; joined: string[] } | undefined {
  const { score, field } = found;
  if (!score || !field) return undefined;
  let best: { upper: number; lower: number; cells: Cell[]; joined: string[] } | undefined;
  let bestScore = score(head[h].cells);
  for (const upper of [h - 1, h]) {
    if (upper < 0 || upper + 2 >= head.length) continue;
    const { cells, joined, fromBottom } = joinHeaderRows(head[upper].cells, head[upper + 1].cells, field);
    const s = score(cells);
    if (fromBottom >= 2 && s > bestScore && s >= score(head[upper + 1].cells)) {
      best = { upper, lower: upper + 1, cells, joined };
      bestScore = s;
    }
  }
  return best;
}

function twoRowHeaderIssue(upper: number, lower: number, joined: readonly string[]): ValidationIssue {
  const listed = joined.slice(0, LISTED_JOINED_HEADINGS).join(' ; ');
  const more = joined.length > LISTED_JOINED_HEADINGS ? ` (et ${joined.length - LISTED_JOINED_HEADINGS} autre${joined.length - LISTED_JOINED_HEADINGS > 1 ? 's' : ''})` : '';
  return {
    code: 'two-row-header',
    severity: 'warning',
    row: upper,
    message:
      `Les noms de colonnes occupent deux lignes (${upper} et ${lower}) : elles sont lues ensemble${listed ? ` (${listed}${more})` : ''}, et les données commencent après la ligne ${lower}. ` +
      'Pour ne plus voir ce message, mettez un seul nom par colonne, sur une seule ligne.',
  };
}

/** The header among the first records (headerIndex, twoRowHeader), a warning for the title rows above it; at least one record after it. */
function headerOf(head: readonly { cells: Cell[]; row: number }[], found: HeaderSearch): { h: number; header: Cell[]; headerRow: number } {
  if (head.length === 0) throw emptyFile();
  // Blank lines above are skipped, as validateur-bal skips empty ones (not `;;;;`: left as a known difference).
  if (found.firstRow) {
    if (head.length === 1) throw headerOnly(head[0].row);
    return { h: 0, header: head[0].cells, headerRow: head[0].row };
  }
  const h = headerIndex(head, found.score, found.schemaColumns);
  const two = twoRowHeader(head, h, found);
  const first = two ? two.upper : h;
  if (first > 0) found.issues.push(titleRowsIssue(head.slice(0, first).map((r) => r.row), head[first].row));
  if (!two) {
    if (head.length === h + 1) throw headerOnly(head[h].row);
    return { h, header: head[h].cells, headerRow: head[h].row };
  }
  found.issues.push(twoRowHeaderIssue(head[two.upper].row, head[two.lower].row, two.joined));
  return { h: two.lower, header: two.cells, headerRow: head[two.lower].row };
}

/** Header (headerOf) + the rows after it peeked, the rest lazily: spreadsheets. Values past the header are warned about at the end (BesideTable). */
async function fromRecords(
  records: Iterator<SheetRow>,
  found: HeaderSearch,
): Promise<{ header: Cell[]; headerRow: number; rows: AsyncIterable<TableRow> }> {
  const head: SheetRow[] = [];
  while (head.length <= HEADER_LOOKAHEAD) {
    const r = records.next();
    if (r.done) break;
    head.push(r.value);
  }
  const { h, header, headerRow } = headerOf(head, found);
  composeCells(header);
  const beside = new BesideTable();
  const width = header.length;
  const fit = (r: SheetRow): TableRow => fitSheetRow(r, width, beside);
  async function* rows(): AsyncGenerator<TableRow> {
    for (let i = h + 1; i < head.length; i++) yield fit(head[i]);
    for (;;) {
      const r = records.next();
      if (r.done) break;
      yield fit(r.value);
    }
    found.issues.push(...beside.issues());
  }
  return { header, headerRow, rows: rows() };
}

/**
 * `fromRecords` over batches (CSV): a record that already has the header's width is
 * yielded as it is (`{cells, row}`, as `fitRow` would build it).
 */
async function fromBatches(
  source: AsyncIterator<{ cells: Cell[]; row: number }[]>,
  onEnd: () => void,
  found: HeaderSearch,
): Promise<{ header: Cell[]; headerRow: number; rows: AsyncIterable<TableRow>; batches: AsyncIterable<TableRow[]>; padWidth: number }> {
  const head: { cells: Cell[]; row: number }[] = [];
  while (head.length <= HEADER_LOOKAHEAD) {
    const r = await source.next();
    if (r.done) break;
    for (let i = 0; i < r.value.length; i++) head.push(r.value[i]);
  }
  const { h, header, headerRow } = headerOf(head, found);
  // A header read as the first line (a BAL): a line wider than it is, empty cells too, as its
  // reference validator reads it (a `;` ending every line makes it refuse the file).
  const padWidth = found.firstRow ? header.length : paddedWidth(head[h + 1], header);
  async function* batches(): AsyncGenerator<TableRow[]> {
    yield fitRecords(head.slice(h + 1), header, padWidth);
    for (;;) {
      const r = await source.next();
      if (r.done) break;
      yield fitRecords(r.value, header, padWidth);
    }
    onEnd();
  }
  const batched = batches();
  async function* rows(): AsyncGenerator<TableRow> {
    for await (const batch of batched) for (let i = 0; i < batch.length; i++) yield batch[i];
  }
  return { header, headerRow, rows: rows(), batches: batched, padWidth };
}

export async function openTable(source: AsyncIterable<Uint8Array>, opts: OpenTableOptions = {}): Promise<OpenedTable> {
  const seen: Seen = {};
  try {
    return await open(source, opts, seen);
  } catch (error) {
    // The report of a file that could not be read still says what it was (« CSV », « XLSX »).
    if (isTableReadError(error) && seen.format && seen.format !== 'unknown' && seen.format !== 'empty') error.format ??= seen.format;
    throw error;
  }
}

/** What `open` found: the format (for the report of a file it cannot read), and the UTF-16 it decoded first. */
interface Seen {
  format?: string;
  decoded?: Utf16;
}

async function open(source: AsyncIterable<Uint8Array>, opts: OpenTableOptions, seen: Seen): Promise<OpenedTable> {
  const it = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  while (total < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    chunks.push(r.value);
    total += r.value.length;
  }
  let head = concat(chunks, total);
  let sniffed = sniffFormat(head);
  const maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const whole = sniffed.format === 'xlsx' || sniffed.format === 'ods' || sniffed.format === 'xls' || sniffed.detail === 'zip' || sniffed.detail === 'ole' || sniffed.detail === 'encrypted';
  if (whole || sniffed.format === 'json' || sniffed.format === 'html') {
    while (!done) {
      const r = await it.next();
      if (r.done) break;
      chunks.push(r.value);
      total += r.value.length;
      if (total > maxBuffered) {
        throw new TableReadError(
          sniffed.format === 'json' ? 'invalid-json' : sniffed.format === 'html' ? 'invalid-spreadsheet' : 'zip-too-large',
          `Le fichier dépasse la taille maximale acceptée (${formatBytes(maxBuffered)}).`,
        );
      }
      if ((sniffed.format === 'json' || sniffed.format === 'html') && total > MAX_JSON_BYTES) throw textTooLarge(sniffed.format);
    }
    done = true;
    head = concat(chunks, total);
    if (sniffed.format !== 'json' && sniffed.format !== 'html') sniffed = sniffFormat(head);
  }
  const issues: ValidationIssue[] = [];
  seen.format = sniffed.format;

  switch (sniffed.format) {
    case 'empty':
      throw emptyFile();
    case 'unknown':
      if (sniffed.detail === 'encrypted') {
        throw new TableReadError('encrypted-file', ENCRYPTED_FILE_MESSAGE);
      }
      if (sniffed.detail === 'utf-16le' || sniffed.detail === 'utf-16be') {
        // Read again once decoded (a CSV, a JSON…); zero bytes in the decoded text are not UTF-16 a second time.
        if (!seen.decoded) {
          seen.decoded = sniffed.detail;
          const table = await open(utf16ToUtf8(prepend(head, it, done), sniffed.detail), opts, seen);
          return Object.defineProperty(table, 'encoding', { value: sniffed.detail, enumerable: true });
        }
      }
      throw new TableReadError(
        'unknown-format',
        UNKNOWN_MESSAGES[sniffed.detail ?? ''] ??
          "Format de fichier non reconnu : déposez un tableau CSV, Excel (.xlsx), OpenDocument (.ods) ou JSON.",
      );
    case 'json': {
      const t = openJsonTable(head, { flatten: opts.flattenJson });
      if (t.rows.length === 0) throw t.header.length ? headerOnly() : emptyFile();
      const rows = t.rows;
      return {
        format: 'json',
        encoding: t.encoding as TextEncoding,
        header: composeCells(t.header),
        headerRow: 1,
        issues,
        rows: (async function* () {
          for (const r of rows) {
            composeCells(r.cells);
            yield r;
          }
        })(),
      };
    }
    case 'html': {
      // A web page saved under a spreadsheet's name (« Exporter vers Excel »): its table, read as a sheet.
      // Decoded as a JSON upload is: UTF-8, else Windows-1252, a mix refused. Its `<meta charset>` is not
      // trusted: applications declare one and write another, and valid UTF-8 is never Windows-1252 by chance.
      const { text, encoding } = decodeBytes(head);
      const records = readHtml(text, { headerScore: opts.headerScore, issues });
      const { header, headerRow, rows } = await fromRecords(records, { score: opts.headerScore, field: opts.headingField, firstRow: opts.headerOnFirstRow, schemaColumns: opts.schemaColumns, issues });
      return { format: 'html', encoding, header, headerRow, rows, issues };
    }
    case 'xlsx':
    case 'xls':
    case 'ods': {
      const read = sniffed.format === 'xlsx' ? readXlsx : sniffed.format === 'xls' ? readXls : readOds;
      const hiddenColumns: number[] = [];
      const records: Iterator<SheetRow> = read(head, { maxInflatedBytes: opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES, headerScore: opts.headerScore, issues, hiddenColumns });
      const { header, headerRow, rows } = await fromRecords(records, { score: opts.headerScore, field: opts.headingField, firstRow: opts.headerOnFirstRow, schemaColumns: opts.schemaColumns, issues });
      return { format: sniffed.format, header, headerRow, rows, issues, hiddenColumns };
    }
    case 'csv': {
      // Held: every byte the decoder judges the encoding on, so that an invalid one is placed by row as the reader numbers rows.
      while (!done && total < ENCODING_SNIFF_BYTES) {
        const r = await it.next();
        if (r.done) done = true;
        else {
          chunks.push(r.value);
          total += r.value.length;
        }
      }
      head = concat(chunks, total);
      let decoded: DecodedStream;
      try {
        decoded = await decodeStream(prepend(head, it, done));
      } catch (error) {
        if (error instanceof InvalidEncodingError && error.row !== undefined && error.byteOffset <= head.length) throw error.withLine(csvRowAt(head, error.byteOffset));
        throw error;
      }
      const csv = await readCsvBytes(decoded.pieces, { maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES });
      const { header, headerRow, rows, batches, padWidth } = await fromBatches(
        csv.batches,
        () => {
          if (csv.blankRows > 0) issues.push(blankRowsIssue(csv.blankRows));
        },
        { score: opts.headerScore, field: opts.headingField, firstRow: opts.headerOnFirstRow, schemaColumns: opts.schemaColumns, issues },
      );
      return {
        format: 'csv',
        get encoding() {
          return decoded.encoding;
        },
        delimiter: csv.delimiter,
        header,
        headerRow,
        padWidth,
        rows,
        batches,
        issues,
        rest: csv.rest,
      };
    }
  }
}
