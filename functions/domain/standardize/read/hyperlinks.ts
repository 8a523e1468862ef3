/**
 * Hyperlinks in workbooks. A cell that is a link shows a label (« Délibération 2024-003
 * (PDF) ») and opens an address: the readers keep the label as the cell's text, as a CSV
 * export does, and the address beside it (`SheetRow.links`), so that a column whose schema
 * wants an address (`format: uri`) publishes the address (row-pipeline.ts › LinkedCells).
 *
 * Where the address is:
 * - .xlsx: `<hyperlinks><hyperlink ref="Q2" r:id="rId1"/>` after the sheet data, the
 *   address in the sheet's relationships (`xl/worksheets/_rels/sheet1.xml.rels`,
 *   `TargetMode="External"`), its `#fragment` in `location` (Excel splits
 *   `https://…/page.html#section2` so); a link inside the workbook (`location="Feuil2!A1"`
 *   alone) is no address and is left out. Or a formula `=HYPERLINK("https://…";"Voir")`.
 *
 * The readers give every link; which replace a label is linked-cells.ts's business (web
 * addresses only).
 * - .ods: `<text:a xlink:href="https://…">label</text:a>` in the cell's text, or the
 *   formula `of:=HYPERLINK("https://…";"Voir")`.
 */
import { columnIndex } from './cell-ref';
import { XmlScanner, attr } from './xml-scanner';

/** Cells given an address per sheet, a range counting each of its cells (Excel allows 65,530 hyperlinks a sheet; a range over a whole column would be a million cells). */
export const MAX_LINKED_CELLS = 100_000;

/**
 * The address a `HYPERLINK` formula opens, when its first argument is a plain string
 * (`HYPERLINK("https://…";"Voir")`, `of:=HYPERLINK(…)`, `LIEN_HYPERTEXTE(…)` as a French
 * Calc may store it); undefined for any other formula, or an address computed from cells
 * (`"https://…/"&A2`), which only the file's cached value could give.
 */
export function hyperlinkFormulaTarget(formula: string): string | undefined {
  const m = /^\s*(?:of:)?=?\s*(?:_xlfn\.)?(?:HYPERLINK|LIEN_HYPERTEXTE|LIEN\.HYPERTEXTE)\s*\(\s*"((?:[^"]|"")*)"\s*(?:[;,)])/i.exec(formula);
  if (!m) return undefined;
  const target = m[1].replace(/""/g, '"').trim();
  return target === '' ? undefined : target;
}

/** External addresses by relationship id, from a sheet's relationships part. */
export function parseHyperlinkTargets(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  new XmlScanner({
    open(qname, attrs) {
      if (qname.slice(qname.indexOf(':') + 1) !== 'Relationship') return;
      if (!/\/hyperlink$/.test(attr(attrs, 'Type') ?? '')) return;
      const id = attr(attrs, 'Id');
      const target = attr(attrs, 'Target');
      if (id !== undefined && target !== undefined && target.trim() !== '') out.set(id, target.trim());
    },
    close() {},
    text() {},
  }).push(xml);
  return out;
}

/** `Q2` or `Q2:R5` (`$` allowed): rows 1-based, columns 0-based; undefined for anything else. */
export function cellRange(ref: string): { top: number; bottom: number; left: number; right: number } | undefined {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/.exec(ref.trim().toUpperCase());
  if (!m) return undefined;
  const [a, b] = [Number(m[2]), Number(m[4] ?? m[2])];
  const [l, r] = [columnIndex(m[1]), columnIndex(m[3] ?? m[1])];
  if (!(a >= 1 && b >= 1)) return undefined;
  return { top: Math.min(a, b), bottom: Math.max(a, b), left: Math.min(l, r), right: Math.max(l, r) };
}

/**
 * The addresses of a sheet's linked cells, by row then column; the first link given a cell
 * wins. MAX_LINKED_CELLS bounds the cells visited, not only those kept: ten thousand links
 * over the same 90,000 cells (a 13 kB file) cost 100,000 steps, not 900 million.
 */
export class SheetLinks {
  private readonly byRow = new Map<number, Map<number, string>>();
  private cells = 0;
  private visited = 0;

  get size(): number {
    return this.cells;
  }

  /** Links the cells of `ref` (`Q2`, `Q2:Q9`) to `target`; false once the cap is reached. */
  add(ref: string, target: string): boolean {
    const range = cellRange(ref);
    if (!range) return true;
    for (let row = range.top; row <= range.bottom; row++) {
      let cols = this.byRow.get(row);
      for (let col = range.left; col <= range.right; col++) {
        if (this.visited++ >= MAX_LINKED_CELLS) return false;
        if (!cols) this.byRow.set(row, (cols = new Map()));
        if (cols.has(col)) continue;
        cols.set(col, target);
        this.cells++;
      }
    }
    return true;
  }

  /** Sets `row.links` from the links of its row (a formula's link, already there, wins). */
  apply(row: { row: number; links?: Map<number, string> }): void {
    const cols = this.byRow.get(row.row);
    if (!cols) return;
    if (!row.links) row.links = new Map(cols);
    else for (const [col, target] of cols) if (!row.links.has(col)) row.links.set(col, target);
  }
}
