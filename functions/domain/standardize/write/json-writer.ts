/**
 * A JSON array of objects (schema field name → typed value), one object per line so the
 * output streams and diffs well. Non-finite numbers become `null` (JSON has no NaN).
 */
import { Value } from '../../schema/types';
import { TableWriter } from './table-writer';

/** What JSON.stringify escapes in a string: `"`, `\\`, controls, and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function jsonValue(v: Value | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // Most cells need no escaping: quoting them directly is ~3× JSON.stringify.
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : '"' + v + '"';
}

export class JsonWriter implements TableWriter {
  readonly contentType = 'application/json; charset=utf-8';
  private readonly keys: string[];
  private count = 0;

  constructor(fields: readonly string[]) {
    this.keys = fields.map((f, i) => (i === 0 ? '{' : ',') + JSON.stringify(f) + ':');
  }

  header(): string {
    return '[';
  }

  row(values: readonly Value[]): string {
    let out = this.count++ === 0 ? '\n' : ',\n';
    for (let i = 0; i < this.keys.length; i++) out += this.keys[i] + jsonValue(values[i]);
    return out + (this.keys.length ? '}' : '{}');
  }

  footer(): string {
    return this.count ? '\n]\n' : ']\n';
  }
}
