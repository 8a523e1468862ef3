/**
 * The point of a row, for a schema with coordinates other than the BAL (which has its own
 * rules): a collectivité publishes what is on its territory, so a point outside France is
 * said, and when latitude and longitude were typed the wrong way round (a spreadsheet's
 * columns swapped: 5.36 / 45.96 for Ambérieu-en-Bugey, a point off Somalia), the warning says
 * so. The file stays valid: the schema allows any point, and only the publisher knows.
 */
import { frenchTerritory } from '../schema/french-territories';
import type { TableSchemaDescriptor, ValidationIssue, Value } from '../schema/types';

type GeoColumns = NonNullable<TableSchemaDescriptor['geo']>;

export class PointCheck {
  private readonly long: number;
  private readonly lat: number;

  constructor(
    fields: readonly string[],
    private readonly geo: GeoColumns,
  ) {
    this.long = fields.indexOf(geo.longitude);
    this.lat = fields.indexOf(geo.latitude);
  }

  /** A warning for the row's point, or undefined (in France, or no point). */
  check(values: readonly Value[], row: number): ValidationIssue | undefined {
    const long = this.long >= 0 ? values[this.long] : null;
    const lat = this.lat >= 0 ? values[this.lat] : null;
    if (typeof long !== 'number' || typeof lat !== 'number' || frenchTerritory(long, lat) !== null) return undefined;
    const { longitude, latitude } = this.geo;
    const point = `${latitude} ${lat}, ${longitude} ${long}`;
    if (frenchTerritory(lat, long) !== null) {
      return {
        code: 'coordinates-swapped',
        severity: 'warning',
        row,
        column: latitude,
        value: String(lat),
        message: `La latitude et la longitude semblent inversées (${point}) : ainsi le point est hors de France, inversées il y serait. Vérifiez les deux colonnes : la latitude est la valeur entre 41 et 51 en métropole.`,
      };
    }
    return {
      code: 'point-outside-france',
      severity: 'warning',
      row,
      column: latitude,
      value: String(lat),
      message: `Le point (${point}) n’est pas en France. Vérifiez les coordonnées : en degrés décimaux WGS 84 (par exemple latitude 43.6045, longitude 1.4440), et non en Lambert 93 ni en degrés-minutes-secondes.`,
    };
  }
}
