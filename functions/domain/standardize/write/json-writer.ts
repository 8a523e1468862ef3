/**
 * A JSON array of objects (schema field name → typed value), one object per line so the
 * output streams and diffs well. Non-finite numbers become `null` (JSON has no NaN).
 */
import { Value } from '../../schema/types';
import { ByteBuffer } from './byte-buffer';
import { BaseTableWriter, type RowSource, utf8Bytes } from './table-writer';

const NULL = utf8Bytes('null');
const TRUE = utf8Bytes('true');
const FALSE = utf8Bytes('false');
const FIRST_ROW = utf8Bytes('\n');
const NEXT_ROW = utf8Bytes(',\n');
const CLOSE = 125; // }

/** Appends `v` as JSON (what JSON.stringify writes, NaN and ±Infinity as null). */
export function writeJsonValue(v: Value | undefined, out: ByteBuffer): void {
  if (v === null || v === undefined) out.bytes(NULL);
  else if (typeof v === 'string') out.jsonString(v);
  else if (typeof v === 'number') {
    if (Number.isFinite(v)) out.number(v);
    else out.bytes(NULL);
  } else out.bytes(v ? TRUE : FALSE);
}

/** Output field `i` of `writer` as JSON: copied from the source bytes when it is a source cell left unchanged. */
export function writeJsonField(writer: BaseTableWriter, i: number, v: Value | undefined, out: ByteBuffer, source: RowSource | undefined): void {
  if (typeof v === 'string') {
    const at = writer.verbatim(i, v, source);
    if (at >= 0) {
      const raw = source!.raw!;
      if (raw.clean && raw.encoding === 'utf-8') return out.jsonCopy(raw.bytes, raw.spans[at], raw.spans[at + 1]);
      if (out.jsonRaw(raw.bytes, raw.spans[at], raw.spans[at + 1], raw.encoding === 'windows-1252')) return;
    }
  }
  writeJsonValue(v, out);
}

export class JsonWriter extends BaseTableWriter {
  readonly contentType = 'application/json; charset=utf-8';
  private readonly keys: Uint8Array[];
  protected override readonly itemSeparator = utf8Bytes(',');
  /**
   * The last row written: its values, the memory holding its bytes, and where each field
   * starts (its `{"key":` or `,"key":`), then where its closing brace is. GeoJsonWriter
   * copies the properties of the same row from there.
   */
  lastValues: readonly Value[] | null = null;
  lastBytes: Uint8Array | null = null;
  readonly fieldAt: Int32Array;

  constructor(fields: readonly string[]) {
    super();
    this.keys = fields.map((f, i) => utf8Bytes((i === 0 ? '{' : ',') + JSON.stringify(f) + ':'));
    this.fieldAt = new Int32Array(fields.length + 1);
  }

  header(): string {
    return '[';
  }

  writeRow(values: readonly Value[], out: ByteBuffer, source?: RowSource): void {
    out.bytes(this.itemCount++ === 0 ? FIRST_ROW : NEXT_ROW);
    const keys = this.keys;
    const at = this.fieldAt;
    if (keys.length === 0) out.byte(123); // {
    for (let i = 0; i < keys.length; i++) {
      at[i] = out.pos;
      out.bytes(keys[i]);
      writeJsonField(this, i, values[i], out, source);
    }
    at[keys.length] = out.pos;
    out.byte(CLOSE);
    // After the row: growing the buffer moves the bytes, not their positions.
    this.lastValues = values;
    this.lastBytes = out.buf;
  }

  footer(): string {
    return this.itemCount ? '\n]\n' : ']\n';
  }
}
