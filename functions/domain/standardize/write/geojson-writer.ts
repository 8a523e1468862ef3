/**
 * GeoJSON FeatureCollection of Points (RFC 7946: WGS 84, `[longitude, latitude]`). The
 * coordinate columns become the geometry; the other fields are the properties. Rows whose
 * coordinates are missing, not numbers, or out of range are skipped and counted in
 * `skipped` (the report says how many rows the map lacks).
 */
import { Value } from '../../schema/types';
import { ByteBuffer } from './byte-buffer';
import { writeJsonField } from './json-writer';
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
    const props = this.props;
    for (let i = 0; i < props.length; i++) {
      out.bytes(props[i].key);
      writeJsonField(this, props[i].index, values[props[i].index], out, source);
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
