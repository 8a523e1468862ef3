/**
 * The boxes of the French territories in WGS 84, as the BAN's reference validator projects
 * points (@etalab/project-legal): a point outside them all is not in France. Used by the BAL
 * rules and by the point check of the other schemas with coordinates (équipements).
 */

const TERRITORIES: readonly [name: string, minLon: number, minLat: number, maxLon: number, maxLat: number][] = [
  ['metropole', -9.86, 41.15, 10.38, 51.56],
  ['antilles', -63.66, 14.08, -57.52, 18.54],
  ['guyane', -54.6, 2.11, -49.46, 8.88],
  ['reunion', 51.83, -24.72, 58.24, -18.28],
  ['mayotte', 43.68, -14.49, 46.7, -11.33],
  ['saint-pierre-et-miquelon', -57.1, 43.41, -55.9, 47.37],
  ['nouvelle-caledonie', 163.55, -22.75, 168.2, -19.54],
  ['polynesie-5s', -155, -24, -150, -9],
  ['polynesie-6s', -150, -29, -144, -13],
  ['polynesie-7s', -144, -29, -138, -7],
  ['polynesie-8s', -138, -25, -132, -18],
  ['wallis', -177, -14, -176, -13],
];

/** The territory whose box holds the point, or null. */
export function frenchTerritory(long: number, lat: number): string | null {
  for (let i = 0; i < TERRITORIES.length; i++) {
    const box = TERRITORIES[i];
    if (long >= box[1] && long <= box[3] && lat >= box[2] && lat <= box[4]) return box[0];
  }
  return null;
}
