/**
 * Cells merged down one column (`B2:B6`, an attribuant typed once for five subsidies) show
 * their value on every row of the block: the employee sees it filled. So the value is
 * copied into each row the merge covers below its first, and one warning names the merges.
 * A merge across several columns (a title over the table, a two-level header) is left as
 * it is: its value belongs to one cell, and copying it sideways would invent data.
 */
import { ValidationIssue } from '../../schema/types';
import type { SheetRow } from './xlsx';
import { frenchList } from '../../french-list';
import { columnIndex, columnLetters } from './cell-ref';

/** Rows `top` to `bottom` (1-based, the sheet's own numbers) of the column `col` (0-based). */
export interface Merge {
  col: number;
  top: number;
  bottom: number;
}

/** Merges kept per sheet; the others are left as they are (tens of thousands of merged blocks are a form, not a table). */
export const MAX_MERGES = 10000;

/** Merges named in the warning; the others are counted. */
const LISTED_MERGES = 5;

/** A merge down one column from its reference (`B2:B6`); undefined for any other range. */
export function verticalMerge(ref: string): Merge | undefined {
  const m = /^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$/.exec(ref.trim().toUpperCase());
  if (!m || m[1] !== m[3]) return undefined;
  const top = Number(m[2]);
  const bottom = Number(m[4]);
  if (!(top >= 1 && bottom > top)) return undefined;
  return { col: columnIndex(m[1]), top, bottom };
}

/** A merge whose first cell holds a value, being filled. */
interface Filling {
  merge: Merge;
  value: string;
  /** The first cell's hyperlink (hyperlinks.ts), copied with its value. */
  link?: string;
  /** Whether the first cell is text (SheetRow.texts), said of each cell it fills. */
  text: boolean;
  copied: boolean;
}

/**
 * Fills the rows of a sheet, given in order, from the merges that cover them. Merges are
 * added before the row they start on is applied, in the order of that row (xlsx: all at
 * once, sorted; ods: as their first cell is read).
 *
 * One merge at most is filled per column: a merge overlapping the one kept there is ignored
 * (Excel refuses overlapping merges; a file repeating `A2:A1048576` ten thousand times must
 * not cost ten thousand steps a row). So a row costs the merges covering it, at most one per
 * column of the filled row.
 */
export class MergedCells {
  /** Merges not reached yet, by first row; `next` is the first of them. */
  private pending: Merge[] = [];
  private next = 0;
  /** The merge filled in each column; dropped once a row past its last is applied. */
  private active = new Map<number, Filling>();
  private used: Merge[] = [];
  private usedCount = 0;

  add(merge: Merge): void {
    if (this.pending.length - this.next + this.active.size < MAX_MERGES) this.pending.push(merge);
  }

  /** Forgets the merges of a table that gave way. */
  clear(): void {
    this.pending = [];
    this.next = 0;
    this.active.clear();
    this.used = [];
    this.usedCount = 0;
  }

  /** Copies the value of each merge covering `row` into it; returns how many cells the row grew by. */
  apply(row: SheetRow): number {
    const active = this.active;
    while (this.next < this.pending.length && this.pending[this.next].top <= row.row) {
      const merge = this.pending[this.next++];
      const kept = active.get(merge.col);
      if (kept && kept.merge.bottom >= merge.top) continue;
      // A merge whose first row was blank (never given) has nothing to show.
      const value = merge.top === row.row ? (row.cells[merge.col] ?? '') : '';
      if (kept) active.delete(merge.col);
      if (value !== '') {
        const link = merge.top === row.row ? row.links?.get(merge.col) : undefined;
        active.set(merge.col, { merge, value, link, text: row.texts?.includes(merge.col) === true, copied: false });
      }
    }
    if (this.next > 1024 && this.next * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.next);
      this.next = 0;
    }
    let grown = 0;
    const cells = row.cells;
    for (const [col, a] of active) {
      if (a.merge.bottom < row.row) {
        active.delete(col);
        continue;
      }
      if (a.merge.top === row.row) continue;
      if (cells.length <= col) {
        grown += col + 1 - cells.length;
        while (cells.length < col) cells.push('');
        cells.push(a.value);
      } else cells[col] = a.value;
      // The covered cell shows the first one's value, and opens its link (a copy: rows may share their map).
      if (a.link !== undefined) row.links = new Map(row.links ?? []).set(col, a.link);
      else if (row.links?.has(col)) {
        row.links = new Map(row.links);
        row.links.delete(col);
      }
      // Text or number as the first cell is, whatever the covered cell kept (a copy: rows may share their list).
      const wasText = row.texts?.includes(col) === true;
      if (a.text && !wasText) row.texts = [...(row.texts ?? []), col];
      else if (!a.text && wasText) row.texts = row.texts!.filter((c) => c !== col);
      if (!a.copied) {
        a.copied = true;
        this.copied(a.merge);
      }
    }
    return grown;
  }

  /** Counts `merge` among those whose value was copied (for the warning); a reader that copies values itself (html.ts) says so here. */
  copied(merge: Merge): void {
    this.usedCount++;
    if (this.used.length < LISTED_MERGES) this.used.push(merge);
  }

  /** The warning naming the merges whose value was copied, if any was. */
  issue(): ValidationIssue | undefined {
    if (this.usedCount === 0) return undefined;
    const refs = this.used.map((m) => `${columnLetters(m.col)}${m.top}:${columnLetters(m.col)}${m.bottom}`);
    const more = this.usedCount - refs.length;
    const list = frenchList(refs, more);
    const one = this.usedCount === 1;
    return {
      code: 'merged-cells',
      severity: 'warning',
      row: this.used[0].top,
      message: one
        ? `La cellule fusionnée ${list} couvre plusieurs lignes : sa valeur, affichée sur chacune, a été recopiée sur chaque ligne. Vérifiez qu’elle vaut bien pour toutes ; pour l’éviter, défusionnez et remplissez chaque cellule.`
        : `Les cellules fusionnées ${list} couvrent plusieurs lignes : la valeur de chacune, affichée sur toutes ses lignes, a été recopiée sur chaque ligne. Vérifiez qu’elle vaut bien pour toutes ; pour l’éviter, défusionnez et remplissez chaque cellule.`,
    };
  }
}
