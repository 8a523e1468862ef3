/**
 * Rows of a dataset version for previews: exact-match filters on any field, one sort
 * field, bounded pages. Values are the typed JSON values the pipeline wrote (numbers,
 * booleans, ISO dates as strings, null).
 */
import type { Value } from '../schema/types';

export type Row = Record<string, Value>;

export interface RecordsQuery {
  limit: number;
  offset: number;
  /** Field name, `-field` for descending. */
  sort?: string;
  /** Field → expected value as written in the query string. */
  filters: Record<string, string>;
}

/** A parsed version, with the sort orders computed so far (each costs one sort, then is reused). */
export interface RecordTable {
  fields: string[];
  rows: Row[];
  sorted: Map<string, Uint32Array>;
}

export function recordTable(fields: string[], rows: Row[]): RecordTable {
  return { fields, rows, sorted: new Map() };
}

/** Does a typed cell equal the query text? `""` matches empty cells; numbers compare as numbers. */
function equals(v: Value | undefined, text: string): boolean {
  if (v === null || v === undefined) return text === '';
  if (typeof v === 'number') return text.trim() !== '' && Number(text) === v;
  if (typeof v === 'boolean') return text === String(v);
  return v === text;
}

function compareValues(a: Value | undefined, b: Value | undefined): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1; // empty cells last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function order(table: RecordTable, field: string): Uint32Array {
  let idx = table.sorted.get(field);
  if (!idx) {
    const arr = Array.from({ length: table.rows.length }, (_, i) => i);
    arr.sort((i, j) => compareValues(table.rows[i][field], table.rows[j][field]) || i - j);
    idx = Uint32Array.from(arr);
    table.sorted.set(field, idx);
  }
  return idx;
}

export function selectRecords(table: RecordTable, q: RecordsQuery): { total: number; items: Row[] } {
  const filters = Object.entries(q.filters);
  const keep = (row: Row) => filters.every(([f, text]) => equals(row[f], text));
  const out: Row[] = [];
  let total = 0;
  const take = (row: Row) => {
    if (filters.length > 0 && !keep(row)) return;
    if (total >= q.offset && out.length < q.limit) out.push(row);
    total++;
  };
  if (q.sort) {
    const desc = q.sort.startsWith('-');
    const idx = order(table, desc ? q.sort.slice(1) : q.sort);
    if (desc) {
      // Descending keeps empty cells last too: walk the non-empty block backwards, then the empties.
      const field = q.sort.slice(1);
      let firstEmpty = idx.length;
      while (firstEmpty > 0) {
        const v = table.rows[idx[firstEmpty - 1]][field];
        if (v !== null && v !== undefined) break;
        firstEmpty--;
      }
      for (let i = firstEmpty - 1; i >= 0; i--) take(table.rows[idx[i]]);
      for (let i = firstEmpty; i < idx.length; i++) take(table.rows[idx[i]]);
    } else {
      for (let i = 0; i < idx.length; i++) take(table.rows[idx[i]]);
    }
  } else {
    for (const row of table.rows) take(row);
  }
  return { total, items: out };
}
