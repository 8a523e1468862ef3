/**
 * Spreadsheet cells that are hyperlinks, in the columns whose schema wants an address. An
 * employee who types the list of délibérations in a workbook pastes a link under a label
 * (« Délibération 2024-003 (PDF) »): the sheet shows the label, the link opens the document.
 * What the column must publish is the address, so the address replaces the label (the
 * readers give both: read/hyperlinks.ts), with one warning per column naming the rows. In
 * an email column a `mailto:` link to one address gives it. Other columns keep the text shown.
 *
 * Only a web address (http, https) is published: a link to a file on the employee's computer
 * (`C:\Users\…`, `file:`, `../Délibérations/…`) or to a place in the workbook (`#Annexes.A1`)
 * is no address for a reuser, and would publish a private path. Nor does a label that is an
 * address itself give way (`www.ville.fr/…`, which office software links as `http://…`): what
 * was typed is published, as from a CSV export, unless the link opens another address.
 */
import type { FieldDescriptor, ValidationIssue } from '../schema/types';
import { ListedRows } from '../french-list';
import type { TableRow } from './read/open-table';

interface LinkedColumn {
  /** Where the field is read in each record. */
  column: number;
  name: string;
  email: boolean;
  /** Rows whose label gave way to the address. */
  replaced: ListedRows;
  first?: { label: string; address: string };
  /** Rows linking to files of the employee's computer or network, which no reuser can open. */
  local: ListedRows;
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

/** `mailto:mairie@commune.fr?subject=…` → `mairie@commune.fr`; undefined for another link, or one to several addresses or a display name. */
function mailAddress(target: string): string | undefined {
  if (!/^mailto:/i.test(target)) return undefined;
  let address = target.slice(7).split('?')[0];
  try {
    address = decodeURIComponent(address);
  } catch {
    // left as written
  }
  address = address.trim();
  return /^[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>"]+$/.test(address) ? address : undefined;
}

/** A web address a reuser can open: http or https. */
const WEB_ADDRESS = /^https?:\/\/[^\s/?#]+/i;
/** A link to a file: `file:`, a drive (`C:\…`), a network share (`\\serveur\…`), or a path relative to the workbook (not `#Annexes.A1`, a place in it). */
const LOCAL_FILE = /^(?!#)(?:file:|[a-z]:[\\/]|\\\\|\.{0,2}[\\/]|[^:]*$)/i;
/** A label that is an address itself: a URI, or `www.…` as typed. */
const ADDRESS_LIKE = /^(?:[a-z][a-z\d+.-]*:\/\/\S+|www\.\S+)$/i;

/**
 * An address as compared with a label that is one: no scheme, no trailing slash, percent-encoding
 * decoded, accents composed (a label's are: read/open-table.ts › composeCells), case of the host aside.
 */
function comparable(address: string): string {
  let s = address.trim().replace(/^[a-z][a-z\d+.-]*:\/\//i, '').replace(/\/$/, '');
  try {
    s = decodeURI(s);
  } catch {
    // left as written
  }
  s = s.normalize('NFC');
  const slash = s.indexOf('/');
  return slash < 0 ? s.toLowerCase() : s.slice(0, slash).toLowerCase() + s.slice(slash);
}

export class LinkedCells {
  private readonly columns: LinkedColumn[];

  /** `fields[i]` is read from column `columns[i]` of each record (-1: absent). */
  constructor(fields: readonly FieldDescriptor[], columns: Int32Array) {
    this.columns = fields.flatMap((f, i) =>
      f.type === 'string' && (f.format === 'uri' || f.format === 'email') && columns[i] >= 0
        ? [{ column: columns[i], name: f.name, email: f.format === 'email', replaced: new ListedRows(), local: new ListedRows() }]
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
      const target = links.get(c.column)?.trim();
      if (target === undefined) continue;
      const label = record.cells[c.column] ?? '';
      // An empty cell shows nothing to replace; a label that is the address is kept.
      if (label.trim() === '') continue;
      let address: string | undefined;
      if (c.email) {
        address = mailAddress(target);
        if (address === undefined || address.toLowerCase() === label.trim().toLowerCase()) continue;
      } else {
        if (!WEB_ADDRESS.test(target)) {
          if (LOCAL_FILE.test(target)) c.local.add(record.row);
          continue;
        }
        address = uriOf(target);
        if (label.trim() === address) continue;
        if (comparable(label) === comparable(address)) {
          // The same address: as typed when it is one (`www.…`, read as https), else encoded, without a word.
          if (!ADDRESS_LIKE.test(label.trim())) record.cells[c.column] = address;
          continue;
        }
      }
      record.cells[c.column] = address;
      c.replaced.add(record.row);
      c.first ??= { label, address };
    }
  }

  /** One `hyperlink-target` warning per column whose labels gave way to addresses; one `hyperlink-local` per column linking to files of the computer. */
  issues(): ValidationIssue[] {
    const local = this.columns
      .filter((c) => c.local.count > 0)
      .map(({ name, local: seen }): ValidationIssue => {
        const { rows, count } = seen;
        const where = count === 1 ? `La cellule de la ligne ${rows[0]} de la colonne « ${name} » est un lien` : `${count} cellules de la colonne « ${name} » (lignes ${seen.text()}) sont des liens`;
        return {
          code: 'hyperlink-local',
          severity: 'warning',
          row: rows[0],
          column: name,
          message:
            count === 1
              ? `${where} vers un fichier de l’ordinateur ou du réseau de la collectivité, que personne d’autre ne peut ouvrir : mettez le document en ligne (sur le site de la collectivité) et écrivez son adresse (https://…).`
              : `${where} vers des fichiers de l’ordinateur ou du réseau de la collectivité, que personne d’autre ne peut ouvrir : mettez les documents en ligne (sur le site de la collectivité) et écrivez leur adresse (https://…).`,
        };
      });
    const replaced = this.columns
      .filter((c) => c.replaced.count > 0)
      .map(({ name, replaced: seen, first }) => {
        const { label, address } = first!;
        const { rows, count } = seen;
        const message =
          count === 1
            ? `La cellule de la ligne ${rows[0]} de la colonne « ${name} » est un lien : c’est son adresse qui est publiée, et non le texte affiché (« ${label} » ouvre ${address}).`
            : `${count} cellules de la colonne « ${name} » (lignes ${seen.text()}) sont des liens : c’est l’adresse de chaque lien qui est publiée, et non le texte affiché (par exemple, ligne ${rows[0]}, « ${label} » ouvre ${address}).`;
        return { code: 'hyperlink-target', severity: 'warning' as const, row: rows[0], column: name, value: label, message };
      });
    return [...replaced, ...local];
  }
}
