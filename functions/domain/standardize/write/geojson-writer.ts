/**
 * GeoJSON FeatureCollection of Points (RFC 7946: WGS 84, `[longitude, latitude]`). The
 * coordinate columns become the geometry; the other fields are the properties. Rows whose
 * coordinates are missing, not numbers, or out of range are skipped and counted in
 * `skipped` (the report says how many rows the map lacks).
 */
import { Value } from '../../schema/types';
import { jsonValue } from './json-writer';
import { TableWriter } from './table-writer';

function coordinate(v: Value | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v.trim().replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

export class GeoJsonWriter implements TableWriter {
  readonly contentType = 'application/geo+json; charset=utf-8';
  skipped = 0;
  written = 0;
  private readonly lon: number;
  private readonly lat: number;
  private readonly props: { index: number; key: string }[];

  constructor(fields: readonly string[], geo: { longitude: string; latitude: string }) {
    this.lon = fields.indexOf(geo.longitude);
    this.lat = fields.indexOf(geo.latitude);
    if (this.lon < 0 || this.lat < 0) throw new Error(`GeoJsonWriter: colonnes ${geo.longitude}/${geo.latitude} absentes`);
    this.props = fields
      .map((f, index) => ({ index, key: JSON.stringify(f) + ':' }))
      .filter((p) => p.index !== this.lon && p.index !== this.lat);
  }

  header(): string {
    return '{"type":"FeatureCollection","features":[';
  }

  row(values: readonly Value[]): string {
    const x = coordinate(values[this.lon]);
    const y = coordinate(values[this.lat]);
    if (x === null || y === null || x < -180 || x > 180 || y < -90 || y > 90) {
      this.skipped++;
      return '';
    }
    let props = '';
    for (let i = 0; i < this.props.length; i++) {
      props += (i ? ',' : '') + this.props[i].key + jsonValue(values[this.props[i].index]);
    }
    return (
      (this.written++ === 0 ? '\n' : ',\n') +
      `{"type":"Feature","geometry":{"type":"Point","coordinates":[${x},${y}]},"properties":{${props}}}`
    );
  }

  footer(): string {
    return this.written ? '\n]}\n' : ']}\n';
  }
}
