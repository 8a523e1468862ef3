/**
 * The data sheet of an .ods (OpenDocument) as rows of text. Typed cells use their typed
 * attribute (`office:value` for float/percentage/currency, `office:date-value`,
 * `office:boolean-value`, `office:time-value`); other cells their `text:p` paragraphs joined
 * with `\n`, `text:s` expanded to spaces. Comments (`office:annotation`) are ignored. An
 * integer displayed with leading zeros (`01000`, a `number:min-integer-digits` style) keeps
 * them; an error cell (`calcext:value-type="error"`) is its displayed text (`#N/A`, `Err:502`).
 *
 * The data sheet is the first table that is not hidden (`table:display="false"` in its
 * automatic style) and has a non-empty cell; when there is none, the first table is read, as
 * before.
 *
 * Repetition without blow-up: empty rows (even `number-rows-repeated="1048000"`) are
 * skipped without materialising them; empty repeated cells are only written out when a
 * non-empty cell follows them on the row; widths are capped at 16384 columns and row
 * counts at 1 048 576.
 */
import { TableReadError } from './errors';
import { XmlScanner, attr } from './xml-scanner';
import { MAX_COLUMNS, MAX_ROWS, SheetRow, formatNumber } from './xlsx';
import { DEFAULT_MAX_INFLATED_BYTES, InflateBudget, ZipEntry, checkZipBudget, inflateEntry, readZipDirectory } from './zip';

function fail(detail: string): TableReadError {
  return new TableReadError('invalid-spreadsheet', `Le classeur est illisible : ${detail}.`);
}

/** `PT08H30M00S` → `08:30:00`. */
function isoDuration(v: string): string {
  const m = /^-?PT?(\d+)H(\d+)M(\d+(?:\.\d+)?)S$/.exec(v);
  if (!m) return v;
  const pad = (s: string): string => s.split('.')[0].padStart(2, '0');
  return `${pad(m[1])}:${pad(m[2])}:${pad(m[3])}`;
}

/** A float shown with leading zeros (`1000` as `01000`) keeps them, as the display does. */
function zeroPadded(value: string, shown: string): string {
  const m = /^-?(0\d+)$/.exec(shown);
  if (!m || !/^-?\d+$/.test(value) || Number(shown) !== Number(value)) return value;
  return formatNumber(value, m[1].length);
}

export function* readOds(
  bytes: Uint8Array,
  opts: { maxInflatedBytes?: number; entries?: Map<string, ZipEntry> } = {},
): Generator<SheetRow> {
  const entries = opts.entries ?? readZipDirectory(bytes);
  const limit = opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const content = entries.get('content.xml');
  if (!content) throw fail('content.xml manquant');
  checkZipBudget([content], limit);

  const seen = { firstHidden: false };
  let found = false;
  for (const row of readTables(bytes, content, { remaining: limit, limit }, 'visible', seen)) {
    found = true;
    yield row;
  }
  // Rare (LibreOffice keeps one sheet visible): a second pass over content.xml, within its own budget.
  if (!found && seen.firstHidden) yield* readTables(bytes, content, { remaining: limit, limit }, 'first', seen);
}

/**
 * Rows of the first table `pick` allows that has a non-empty cell: `visible` tables, or
 * only the `first` one. Tables passed over are scanned, never materialised.
 */
function* readTables(
  bytes: Uint8Array,
  content: ZipEntry,
  budget: InflateBudget,
  pick: 'visible' | 'first',
  seen: { firstHidden: boolean },
): Generator<SheetRow> {
  const ready: SheetRow[] = [];
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
        reading = pick === 'first' ? tableIndex === 0 : !hidden;
        produced = false;
        rowNum = 0;
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
        rowRepeat = Number(attr(attrs, 'table:number-rows-repeated') ?? 1) || 1;
        cells = [];
        pendingEmpty = 0;
      } else if (name === 'table:table-cell' || name === 'table:covered-table-cell') {
        cellRepeat = Math.min(MAX_COLUMNS, Number(attr(attrs, 'table:number-columns-repeated') ?? 1) || 1);
        const error = attr(attrs, 'calcext:value-type') === 'error';
        const type = name === 'table:covered-table-cell' || error ? undefined : attr(attrs, 'office:value-type');
        typed = null;
        padZeros = type === 'float';
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
        if (pick === 'first' || (reading && produced)) done = true;
        reading = false;
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
          if (produced) done = true;
          else reading = false;
          return;
        }
        if (cells.length > 0) {
          produced = true;
          for (let r = first; r <= rowNum; r++) ready.push({ cells: r === first ? cells : cells.slice(), row: r });
        }
      }
    },
    text(t) {
      if (para && annotation === 0) para.push(t);
    },
  });

  const decoder = new TextDecoder();
  for (const chunk of inflateEntry(bytes, content, budget)) {
    scanner.push(decoder.decode(chunk, { stream: true }));
    for (const r of ready) yield r;
    ready.length = 0;
    if (done) return;
  }
  scanner.push(decoder.decode());
  for (const r of ready) yield r;
}
