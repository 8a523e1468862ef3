/**
 * GeoJSON FeatureCollection of Points (RFC 7946: WGS 84, `[longitude, latitude]`). The
 * coordinate columns become the geometry; the other fields are the properties. Rows whose
 * coordinates are missing, not numbers, or out of range are skipped and counted in
 * `skipped` (the report says how many rows the map lacks).
 */
import { Value } from '../../schema/types';
import { ByteBuffer } from './byte-buffer';
import { type JsonWriter, writeJsonField } from './json-writer';
import { BaseTableWriter, type RowSource, utf8Bytes } from './table-writer';

const FIRST = utf8Bytes('\n{"type":"Feature","geometry":{"type":"Point","coordinates":[');
const NEXT = utf8Bytes(',\n{"type":"Feature","geometry":{"type":"Point","coordinates":[');
const PROPERTIES = utf8Bytes(']},"properties":{');
const END = utf8Bytes('}}');
const COMMA = 44;

function coordinate(v: Value | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.length === 0) return null;
  // Number() ignores surrounding white space as trim() does; a decimal comma becomes a point.
  const n = Number(v.includes(',') ? v.replace(',', '.') : v);
  if (!Number.isFinite(n) || (n === 0 && v.trim() === '')) return null;
  return n;
}

export class GeoJsonWriter extends BaseTableWriter {
  readonly contentType = 'application/geo+json; charset=utf-8';
  skipped = 0;
  protected override readonly itemSeparator = utf8Bytes(',');
  private readonly lon: number;
  private readonly lat: number;
  private readonly props: { index: number; key: Uint8Array }[];
  /** See propertiesFrom: the JSON writer, and the runs of consecutive property fields [first, last]. */
  private json: JsonWriter | undefined;
  private runs: Int32Array = new Int32Array(0);

  constructor(fields: readonly string[], geo: { longitude: string; latitude: string }) {
    super();
    this.lon = fields.indexOf(geo.longitude);
    this.lat = fields.indexOf(geo.latitude);
    if (this.lon < 0 || this.lat < 0) throw new Error(`GeoJsonWriter: colonnes ${geo.longitude}/${geo.latitude} absentes`);
    this.props = fields
      .map((f, index) => ({ index, key: f }))
      .filter((p) => p.index !== this.lon && p.index !== this.lat)
      .map((p, i) => ({ index: p.index, key: utf8Bytes((i ? ',' : '') + JSON.stringify(p.key) + ':') }));
  }

  /**
   * Copies each row's properties from the bytes `json` has just written for the same values
   * (the pipeline writes JSON first): the same key/value pairs without the coordinates, one
   * copy per run of fields instead of a second encoding.
   */
  propertiesFrom(json: JsonWriter): this {
    this.json = json;
    const runs: number[] = [];
    for (const { index } of this.props) {
      if (runs.length && runs[runs.length - 1] === index - 1) runs[runs.length - 1] = index;
      else runs.push(index, index);
    }
    this.runs = Int32Array.from(runs);
    return this;
  }

  header(): string {
    return '{"type":"FeatureCollection","features":[';
  }

  writeRow(values: readonly Value[], out: ByteBuffer, source?: RowSource): void {
    const x = coordinate(values[this.lon]);
    const y = coordinate(values[this.lat]);
    if (x === null || y === null || x < -180 || x > 180 || y < -90 || y > 90) {
      this.skipped++;
      return;
    }
    out.bytes(this.itemCount++ === 0 ? FIRST : NEXT);
    out.number(x);
    out.byte(COMMA);
    out.number(y);
    out.bytes(PROPERTIES);
    const json = this.json;
    if (json !== undefined && json.lastValues === values && json.lastBytes !== null) {
      const { runs } = this;
      const at = json.fieldAt;
      for (let r = 0; r < runs.length; r += 2) {
        // A run starts with its first field's `{` or `,`: the first property has neither.
        out.copy(json.lastBytes, at[runs[r]] + (r === 0 ? 1 : 0), at[runs[r + 1] + 1]);
      }
    } else {
      const props = this.props;
      for (let i = 0; i < props.length; i++) {
        out.bytes(props[i].key);
        writeJsonField(this, props[i].index, values[props[i].index], out, source);
      }
    }
    out.bytes(END);
  }

  /** Features written. */
  get written(): number {
    return this.itemCount;
  }

  footer(): string {
    return this.itemCount ? '\n]}\n' : ']}\n';
  }
}
