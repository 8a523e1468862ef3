import { readFileSync } from 'node:fs';
import { decodeBytes } from '../../../functions/domain/standardize/read/decode';
import { compileSchema } from '../../../functions/domain/schema/compile';
import type { Cell, TableSchemaDescriptor, ValidationIssue, Value } from '../../../functions/domain/schema/types';

export interface Table {
  header: string[];
  /** Records in file order; record i is on line i + 2 (these small files have no multi-line cells). */
  rows: Cell[][];
}

/** Splits one CSV text on `delimiter`, honouring double quotes (small reference files only). */
export function parseCsv(text: string, delimiter: string): Table {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  const [header = [], ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
  return { header, rows: rows.map((r) => r.map((v) => (v === '' ? null : v))) };
}

export function readTable(file: string, delimiter?: string): Table {
  const { text } = decodeBytes(readFileSync(file));
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.slice(0, clean.search(/\r?\n|$/));
  const sep = delimiter ?? ([';', ',', '\t', '|'].find((d) => firstLine.includes(d)) as string);
  return parseCsv(clean, sep);
}

export interface Validation {
  issues: ValidationIssue[];
  errors: ValidationIssue[];
  values: Value[][];
}

/** Runs the schema engine over a whole table, as the standardizer will. */
export function validateTable(descriptor: TableSchemaDescriptor, table: Table): Validation {
  const { issues, validator } = compileSchema(descriptor).bind(table.header);
  const all = [...issues];
  const values: Value[][] = [];
  table.rows.forEach((cells, i) => {
    const result = validator.validate(cells, i + 2);
    all.push(...result.issues);
    values.push(result.values);
  });
  all.push(...validator.finish());
  return { issues: all, errors: all.filter((i) => i.severity === 'error'), values };
}

/** Rows built from named cells, in the order of `header`. */
export function tableOf(header: string[], ...rows: Record<string, string | null>[]): Table {
  return { header, rows: rows.map((r) => header.map((h) => r[h] ?? null)) };
}
