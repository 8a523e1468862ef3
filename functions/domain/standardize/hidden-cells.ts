/**
 * Rows and columns hidden in a workbook (Masquer, a filter) are data all the same: a CSV
 * export writes them, and they are published like the others. An employee who hid them not
 * to publish them must be told:
 * - one `hidden-rows` warning names the records hidden (not a total line, which is skipped);
 * - one `hidden-columns` warning names the hidden columns of the schema that hold values.
 *   Hidden columns the schema does not know are dropped anyway (their `extra-column` says so).
 */
import type { Cell, ValidationIssue } from '../schema/types';
import { frenchList, ListedRows } from '../french-list';
import { columnLetters } from './read/cell-ref';

/** The records hidden in the sheet read, as the pipeline keeps them (readers mark them: `TableRow.hidden`). */
export class HiddenRows {
  private readonly seen = new ListedRows();

  add(row: number): void {
    this.seen.add(row);
  }

  issues(): ValidationIssue[] {
    const { rows, count } = this.seen;
    if (count === 0) return [];
    const list = this.seen.text();
    return [
      {
        code: 'hidden-rows',
        severity: 'warning',
        row: rows[0],
        message:
          count === 1
            ? `La ligne ${list} est masquée dans le classeur (ou cachée par un filtre) : elle est lue comme les autres, et publiée avec elles. Masquer une ligne ne la retire pas du fichier : si elle ne doit pas être publiée, supprimez-la avant de déposer le fichier.`
            : `Les lignes ${list} sont masquées dans le classeur (ou cachées par un filtre) : elles sont lues comme les autres, et publiées avec elles. Masquer une ligne ne la retire pas du fichier : si elles ne doivent pas être publiées, supprimez-les avant de déposer le fichier.`,
      },
    ];
  }
}

interface Watched {
  /** Where the field is read in each record. */
  column: number;
  /** The field's name, as the other messages name a column. */
  name: string;
  values: number;
}

export class HiddenColumns {
  private watched: Watched[] | undefined;

  /**
   * `hidden`: the reader's list (filled in before the first row of the sheet read, so read at
   * the first record); `columns[i]`: where field i is read (-1: absent).
   */
  constructor(
    private readonly hidden: readonly number[],
    private readonly columns: Int32Array,
    private readonly fields: readonly string[],
  ) {}

  /** Counts the values of the hidden schema columns in a record. */
  count(cells: readonly Cell[]): void {
    const watched = (this.watched ??= this.watchedColumns());
    for (let i = 0; i < watched.length; i++) {
      const v = cells[watched[i].column];
      if (v !== null && v !== undefined && v.trim() !== '') watched[i].values++;
    }
  }

  private watchedColumns(): Watched[] {
    if (this.hidden.length === 0) return [];
    const hidden = new Set(this.hidden);
    const out: Watched[] = [];
    this.columns.forEach((column, i) => {
      if (column >= 0 && hidden.has(column)) out.push({ column, name: this.fields[i], values: 0 });
    });
    return out.sort((a, b) => a.column - b.column);
  }

  issues(): ValidationIssue[] {
    const filled = (this.watched ?? []).filter((w) => w.values > 0);
    if (filled.length === 0) return [];
    const one = filled.length === 1;
    const list = frenchList(filled.map((w) => `« ${w.name} » (colonne ${columnLetters(w.column)})`), 0);
    // No row: it is the column's, under whatever title rows (the report lists it with the file's issues).
    return [
      {
        code: 'hidden-columns',
        severity: 'warning',
        column: filled[0].name,
        message: one
          ? `La colonne ${list} est masquée dans le classeur, mais elle fait partie du schéma : ses valeurs sont lues et publiées comme les autres. Masquer une colonne ne la retire pas du fichier : vérifiez que ses valeurs peuvent être publiées.`
          : `Les colonnes ${list} sont masquées dans le classeur, mais elles font partie du schéma : leurs valeurs sont lues et publiées comme les autres. Masquer une colonne ne la retire pas du fichier : vérifiez que leurs valeurs peuvent être publiées.`,
      },
    ];
  }
}
