/**
 * What the workbook readers (xlsx.ts, ods.ts) say about the sheet they read when other
 * visible sheets hold data too: a commune that keeps one tab per year must learn that only
 * one was published, and which.
 */
import { ValidationIssue } from '../../schema/types';

/** A visible sheet with data, not read. */
export interface IgnoredSheet {
  name: string;
  /** Its first rows name the schema's columns (any sheet with data, without a schema): a table of its own, not a notice. */
  table: boolean;
}

const quoted = (names: readonly string[]): string => {
  const q = names.map((n) => `« ${n} »`);
  return q.length > 1 ? `${q.slice(0, -1).join(', ')} et ${q.at(-1)}` : q[0];
};

/**
 * `sheet-chosen`: the sheet read and the other tables ignored; none when no other sheet holds
 * a table. A notice tab (a département template's) is no news: it is not named.
 */
export function sheetChosenIssue(read: string, active: boolean, ignored: readonly IgnoredSheet[]): ValidationIssue | undefined {
  const tables = ignored.filter((s) => s.table).map((s) => s.name);
  if (tables.length === 0) return undefined;
  const several = tables.length > 1;
  const message =
    `Le classeur a plusieurs onglets remplis : seul l’onglet « ${read} »${active ? ' (celui qui était ouvert à l’enregistrement)' : ''} a été lu. ` +
    `Onglet${several ? 's' : ''} ignoré${several ? 's' : ''} : ${quoted(tables)}. ` +
    `Un dépôt publie un seul onglet : pour publier aussi ${quoted(tables)}, ${several ? 'déposez chacun' : 'déposez-le'} dans un fichier à part.`;
  return { code: 'sheet-chosen', severity: 'warning', message };
}
