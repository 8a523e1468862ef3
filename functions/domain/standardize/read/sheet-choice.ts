/**
 * What the workbook readers (xlsx.ts, ods.ts) say about the sheet they read when other
 * visible sheets hold data too: a commune that keeps one tab per year must learn that only
 * one was published, and which.
 *
 * Judging the other sheets costs little whatever the workbook: each is judged by its first
 * rows, and only their first HEAD_CELLS cells are scored; the readers judge at most
 * MAX_SHEETS_JUDGED of them (a workbook may list thousands of tabs, all pointing at one tiny
 * part) and count the others as not examined; the warning names a few and counts the rest.
 */
import { frenchList } from '../../french-list';
import { ValidationIssue } from '../../schema/types';

/** A visible sheet with data, not read. */
export interface IgnoredSheet {
  name: string;
  /** Its first rows name the schema's columns (any sheet with data, without a schema): a table of its own, not a notice. */
  table: boolean;
}

/**
 * Cells of a row scored when judging a sheet: a header sits in its first columns (the widest
 * built-in schema has 42), while one cell at column XFD makes a row of 16 384.
 */
export const HEAD_CELLS = 128;

/** Sheets other than the one read whose first rows a reader judges, at most (see xlsx.ts and ods.ts for which count). */
export const MAX_SHEETS_JUDGED = 20;

/** How many of the schema's columns the first rows name at most, their first HEAD_CELLS cells scored; Infinity without a schema, -1 without rows. */
export function headScore(rows: readonly (readonly string[])[], score?: (cells: readonly string[]) => number): number {
  if (rows.length === 0) return -1;
  if (!score) return Infinity;
  let best = -Infinity;
  for (const cells of rows) best = Math.max(best, score(cells.length > HEAD_CELLS ? cells.slice(0, HEAD_CELLS) : cells));
  return best;
}

/** Sheets named in the warning; the others are counted. */
const LISTED_SHEETS = 5;
/** A sheet name is quoted up to this length (Excel allows 31 characters, the XML any number). */
const NAME_CHARS = 100;

const quote = (name: string): string => `« ${name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name} »`;

/**
 * `sheet-chosen`: the sheet read and the other tables ignored; none when no other sheet holds
 * a table. A notice tab (a département template's) is no news: it is not named. Sheets not
 * examined (`unexamined`: how many, or `'some'` when the reader stopped before counting them)
 * are counted with them: they may hold tables.
 */
export function sheetChosenIssue(read: string, active: boolean, ignored: readonly IgnoredSheet[], unexamined: number | 'some' = 0): ValidationIssue | undefined {
  const tables = ignored.filter((s) => s.table).map((s) => s.name);
  if (tables.length === 0 && unexamined === 0) return undefined;
  const chosen = `seul l’onglet ${quote(read)}${active ? ' (celui qui était ouvert à l’enregistrement)' : ''} a été lu`;
  if (tables.length === 0) {
    // The sheets judged hold no table (notices): the others may.
    const others = unexamined === 'some' ? 'd’autres onglets n’ont' : unexamined > 1 ? `${unexamined} autres onglets n’ont` : '1 autre onglet n’a';
    const message =
      `Le classeur a de nombreux onglets : ${chosen} ; ${others} pas été examiné${unexamined === 1 ? '' : 's'}. ` +
      'Un dépôt publie un seul onglet : pour publier aussi un autre onglet, déposez-le dans un fichier à part.';
    return { code: 'sheet-chosen', severity: 'warning', message };
  }
  const named = tables.slice(0, LISTED_SHEETS).map(quote);
  const items = [...named];
  const more = tables.length - named.length;
  if (more > 0) items.push(`${more} autre${more > 1 ? 's' : ''}`);
  if (unexamined === 'some') items.push('d’autres onglets non examinés');
  else if (unexamined > 0) items.push(`${unexamined} onglet${unexamined > 1 ? 's' : ''} non examiné${unexamined > 1 ? 's' : ''}`);
  const several = items.length > 1;
  // Every sheet named: named twice; else the second time as « ces onglets », the list being long.
  const again = items.length === named.length ? frenchList(named) : 'ces onglets';
  const message =
    `Le classeur a plusieurs onglets remplis : ${chosen}. ` +
    `Onglet${several ? 's' : ''} ignoré${several ? 's' : ''} : ${frenchList(items)}. ` +
    `Un dépôt publie un seul onglet : pour publier aussi ${again}, ${several ? 'déposez chacun' : 'déposez-le'} dans un fichier à part.`;
  return { code: 'sheet-chosen', severity: 'warning', message };
}

/** A sheet opened to be read: its first rows (judged), the rest to come, and its score. */
export interface OpenedSheet {
  index: number;
  rows: readonly unknown[];
  rest: Generator<unknown>;
  score: number;
}

/** What a peek at a sheet's first rows says: its score, or that it was not looked at, or could not be read. */
export type PeekedSheet = number | 'not-peeked' | 'unreadable';

/** Schema columns a sheet's first rows name when it holds the table; a notice names fewer. */
export const MIN_HEADER_SCORE = 2;

/** Sheets opened to find the one with data, empty ones included: a workbook's tabs, not thousands. */
const MAX_SHEETS_OPENED = 4 * MAX_SHEETS_JUDGED;

/**
 * Which sheet of a workbook to read (xlsx.ts, xls.ts): the tab shown at the last save when it
 * holds the table (a workbook of one tab per year is saved on the year being filled in); else
 * the first visible sheet with data, unless its first rows do not name the schema's columns (a
 * notice): the first that does, or the one that names the most among the first
 * MAX_SHEETS_JUDGED with data. Empty sheets are opened too, at most MAX_SHEETS_OPENED, and a
 * sheet listed twice (`same`: the part or the records it points at) once. Then the
 * `sheet-chosen` warning, naming the visible sheets with data not read, into `issues`.
 */
export function chooseSheet<H extends OpenedSheet>(workbook: {
  names: readonly string[];
  visible: readonly number[];
  /** The tab shown at the save (a hidden one, or the first visible one, means no preference). */
  activeTab: number;
  open: (index: number) => H;
  peek: (index: number) => PeekedSheet;
  /** Scores of the sheets judged so far (by `open` and `peek`). */
  scores: ReadonlyMap<number, number>;
  same?: (index: number) => unknown;
  issues?: ValidationIssue[];
}): H | undefined {
  const { names, visible, activeTab, open, peek, scores } = workbook;
  const holdsTable = (score: number): boolean => score >= MIN_HEADER_SCORE;
  const active = activeTab !== visible[0] && visible.includes(activeTab) ? activeTab : undefined;
  let chosen: H | undefined;
  // Peeked first, as a sheet not read: a tab missing or damaged only means no preference.
  const shown = active === undefined ? undefined : peek(active);
  if (active !== undefined && typeof shown === 'number' && holdsTable(shown)) chosen = open(active);
  const byActive = chosen !== undefined;
  if (!chosen) {
    let withData = 0;
    let opened = 0;
    const seen = new Set<unknown>();
    for (const index of visible) {
      const known = scores.get(index);
      if (known !== undefined && (known < 0 || (chosen && known <= chosen.score))) continue;
      if (withData === MAX_SHEETS_JUDGED || opened === MAX_SHEETS_OPENED) break;
      const key = workbook.same?.(index) ?? index;
      if (seen.has(key)) continue;
      seen.add(key);
      opened++;
      const head = open(index);
      if (head.rows.length === 0) continue;
      withData++;
      if (!chosen || head.score > chosen.score) {
        chosen?.rest.return(undefined);
        chosen = head;
      } else head.rest.return(undefined);
      if (holdsTable(head.score)) break;
    }
  }
  if (!chosen) return undefined;
  const ignored: IgnoredSheet[] = [];
  let unexamined = 0;
  for (const index of visible) {
    if (index === chosen.index) continue;
    const seen = scores.get(index) ?? peek(index);
    if (seen === 'not-peeked') unexamined++;
    else if (typeof seen === 'number' && seen >= 0) ignored.push({ name: names[index], table: holdsTable(seen) });
  }
  const told = sheetChosenIssue(names[chosen.index], byActive, ignored, unexamined);
  if (told) workbook.issues?.push(told);
  return chosen;
}
