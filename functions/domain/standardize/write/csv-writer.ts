/**
 * RFC 4180 CSV: UTF-8 without BOM, `,` by default, CRLF line ends (what the RFC specifies,
 * and what Excel and data.gouv.fr's validators expect), fields quoted only when they
 * contain the delimiter, a quote, CR or LF.
 *
 * Formula injection (CSV injection, OWASP): a text cell starting with `=`, `+`, `-`, `@`,
 * tab or CR is prefixed with `'` so a spreadsheet shows it as text. Exception: plain
 * numbers (`-12.5`, `+3`, `-1,5`, `1e-3`) are left alone — they are not formulas, and
 * prefixing them would make numeric columns invalid against their schema. Typed numbers
 * and booleans never need it.
 */
import { Value } from '../../schema/types';
import { TableWriter } from './table-writer';

const PLAIN_NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/;

export function neutraliseFormula(s: string): string {
  const c = s.charCodeAt(0);
  if (c === 61 || c === 64 || c === 9 || c === 13) return "'" + s;
  if ((c === 43 || c === 45) && !PLAIN_NUMBER.test(s)) return "'" + s;
  return s;
}

export interface CsvWriterOptions {
  delimiter?: string;
  newline?: '\r\n' | '\n';
}

export class CsvWriter implements TableWriter {
  readonly contentType = 'text/csv; charset=utf-8';
  private readonly delimiter: string;
  private readonly newline: string;
  private readonly needsQuote: RegExp;

  constructor(
    private readonly fields: readonly string[],
    opts: CsvWriterOptions = {},
  ) {
    this.delimiter = opts.delimiter ?? ',';
    this.newline = opts.newline ?? '\r\n';
    this.needsQuote = new RegExp(`["\\r\\n${this.delimiter.replace(/[\\^\]-]/g, '\\$&')}]`);
  }

  private text(s: string): string {
    const safe = neutraliseFormula(s);
    return this.needsQuote.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe;
  }

  private cell(v: Value): string {
    if (v === null) return '';
    if (typeof v === 'string') return v === '' ? '' : this.text(v);
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    return v ? 'true' : 'false';
  }

  header(): string {
    return this.fields.map((f) => (f === '' ? '' : this.text(f))).join(this.delimiter) + this.newline;
  }

  row(values: readonly Value[]): string {
    let out = '';
    for (let i = 0; i < this.fields.length; i++) {
      if (i > 0) out += this.delimiter;
      const v = values[i];
      if (v !== undefined) out += this.cell(v);
    }
    return out + this.newline;
  }

  footer(): string {
    return '';
  }
}
