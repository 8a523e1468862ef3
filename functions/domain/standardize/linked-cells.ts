/**
 * Spreadsheet cells that are hyperlinks, in the columns whose schema wants an address. An
 * employee who types the list of délibérations in a workbook pastes a link under a label
 * (« Délibération 2024-003 (PDF) »): the sheet shows the label, the link opens the document.
 * What the column must publish is the address, so the address replaces the label (the
 * readers give both: read/hyperlinks.ts), with one warning per column naming the rows. In
 * an email column a `mailto:` link gives its address. Other columns keep the text shown.
 */
import type { FieldDescriptor, ValidationIssue } from '../schema/types';
import { frenchList } from '../french-list';
import type { TableRow } from './read/open-table';

/** Rows named in a column's warning; the others are counted. */
const LISTED_ROWS = 5;

interface LinkedColumn {
  /** Where the field is read in each record. */
  column: number;
  name: string;
  email: boolean;
  rows: number[];
  count: number;
  first?: { label: string; address: string };
}

/**
 * A link's address as a URI: characters a URI may not hold (accents, spaces), which office
 * software keeps as typed in a link (`…?type=délib`), percent-encoded as a browser sends them.
 */
function uriOf(target: string): string {
  return target.replace(/[^\x21-\x7e]+/g, (s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return s; // a lone surrogate: left for the validator to refuse
    }
  });
}

/** `mailto:mairie@commune.fr?subject=…` → `mairie@commune.fr`; undefined for another link. */
function mailAddress(target: string): string | undefined {
  if (!/^mailto:/i.test(target)) return undefined;
  const address = target.slice(7).split('?')[0];
  try {
    return decodeURIComponent(address).trim() || undefined;
  } catch {
    return address.trim() || undefined;
  }
}

export class LinkedCells {
  private readonly columns: LinkedColumn[];

  /** `fields[i]` is read from column `columns[i]` of each record (-1: absent). */
  constructor(fields: readonly FieldDescriptor[], columns: Int32Array) {
    this.columns = fields.flatMap((f, i) =>
      f.type === 'string' && (f.format === 'uri' || f.format === 'email') && columns[i] >= 0
        ? [{ column: columns[i], name: f.name, email: f.format === 'email', rows: [], count: 0 }]
        : [],
    );
  }

  /** Whether any column takes a link's address. */
  get wanted(): boolean {
    return this.columns.length > 0;
  }

  /** Puts in `record.cells` the address of each linked cell of an address column, in place of its label. */
  follow(record: TableRow): void {
    const links = record.links;
    if (!links) return;
    for (const c of this.columns) {
      const target = links.get(c.column);
      if (target === undefined) continue;
      const address = c.email ? mailAddress(target) : uriOf(target.trim());
      if (address === undefined) continue;
      const label = record.cells[c.column] ?? '';
      if (label.trim() === address) continue;
      record.cells[c.column] = address;
      if (c.count++ < LISTED_ROWS) c.rows.push(record.row);
      c.first ??= { label, address };
    }
  }

  /** One `hyperlink-target` warning per column whose labels gave way to addresses. */
  issues(): ValidationIssue[] {
    return this.columns
      .filter((c) => c.count > 0)
      .map(({ name, rows, count, first }) => {
        const { label, address } = first!;
        const what = count === 1 ? `La cellule de la ligne ${rows[0]} affiche` : `${count} cellules (lignes ${frenchList(rows.map(String), count - rows.length)}) affichent un texte et non une adresse, par exemple ligne ${rows[0]}`;
        return {
          code: 'hyperlink-target',
          severity: 'warning' as const,
          row: rows[0],
          column: name,
          value: label,
          message: `${what} « ${label} », qui est un lien vers ${address} : ${count === 1 ? 'c’est l’adresse du lien' : 'c’est l’adresse de chaque lien'} qui est publiée dans ${name}.`,
        };
      });
  }
}
