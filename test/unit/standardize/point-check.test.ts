/**
 * A point of a schema with coordinates (équipements) outside France: said, with the swap when
 * latitude and longitude were typed the wrong way round; the file stays valid (the schema
 * allows any point). Not for the BAL, whose rules are the reference validator's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { equipements } from '../../../functions/domain/schemas/builtin/equipements';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from './helpers';

const [header, roques, gymnase] = readFileSync(path.join(__dirname, '../../fixtures/publish/equipements.csv'), 'utf8').split(/\r?\n/);

async function reportOf(...rows: string[]): Promise<{ report: Report; geojson: string }> {
  const out: Buffer[] = [];
  const { report } = await standardizeTable(chunked(Buffer.from([header, ...rows].join('\r\n'), 'utf8')), {
    schema: equipements,
    sinks: (name) => ({ write: (c) => void (name === 'data.geojson' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
  });
  return { report, geojson: Buffer.concat(out).toString('utf8') };
}

describe('a point outside France', () => {
  it('latitude and longitude swapped: a coordinates-swapped warning on its row; published as typed', async () => {
    const swapped = roques.replace(';43,5083;1,3561;', ';1,3561;43,5083;');
    const { report, geojson } = await reportOf(swapped, gymnase);
    expect(report).toMatchObject({ valid: true, errorCount: 0, rowCount: 2 });
    expect(report.issues).toEqual([
      {
        code: 'coordinates-swapped',
        severity: 'warning',
        row: 2,
        column: 'EQUIP_LAT',
        value: '1.3561',
        message:
          'La latitude et la longitude semblent inversées (EQUIP_LAT 1.3561, EQUIP_LONG 43.5083) : ainsi le point est hors de France, inversées il y serait. Vérifiez les deux colonnes : la latitude est la valeur entre 41 et 51 en métropole.',
      },
    ]);
    expect(geojson).toContain('"coordinates":[43.5083,1.3561]');
  });

  it('nowhere in France either way (Lambert 93 metres, a point at sea): point-outside-france', async () => {
    const lambert = gymnase.replace(';43,5101;1,3502;', ';6272000;572000;');
    const { report } = await reportOf(roques, lambert);
    expect(report.issues.map((i) => [i.code, i.row])).toEqual([['point-outside-france', 3]]);
    expect(report.issues[0].message).toContain('et non en Lambert 93');
  });

  it('says nothing of points in France, overseas included (La Réunion), nor of a row without a point', async () => {
    const reunion = gymnase.replace(';43,5101;1,3502;', ';-21,1151;55,5364;');
    expect((await reportOf(roques, reunion)).report.issues).toEqual([]);
  });
});
