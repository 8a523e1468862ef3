import { Value } from '../../../functions/domain/schema/types';
import { CsvWriter, neutraliseFormula } from '../../../functions/domain/standardize/write/csv-writer';
import { GeoJsonWriter } from '../../../functions/domain/standardize/write/geojson-writer';
import { JsonWriter } from '../../../functions/domain/standardize/write/json-writer';
import { TableWriter, writeTable } from '../../../functions/domain/standardize/write/table-writer';
import { collect } from './helpers';

// An independent parser to check round trips (papaparse ships no types; @types/papaparse is not installed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Papa = require('papaparse') as { parse(s: string, o: { newline: string }): { data: string[][] } };

async function render(writer: TableWriter, rows: Value[][], chunk?: number): Promise<string> {
  return (await collect(writeTable(writer, rows, chunk))).join('');
}

describe('CsvWriter', () => {
  it('writes RFC 4180 with CRLF, quoting only when needed', async () => {
    const out = await render(new CsvWriter(['nom', 'montant', 'ok']), [
      ['Dupont, Jean', 1234.56, true],
      ['dit "bonjour"', null, false],
      ['ligne 1\nligne 2', 0, null],
      ['simple', -12.5, null],
    ]);
    expect(out).toBe(
      'nom,montant,ok\r\n"Dupont, Jean",1234.56,true\r\n"dit ""bonjour""",,false\r\n"ligne 1\nligne 2",0,\r\nsimple,-12.5,\r\n',
    );
    expect(Papa.parse(out.trimEnd(), { newline: '\r\n' }).data[1]).toEqual(['Dupont, Jean', '1234.56', 'true']);
  });

  it('neutralises formulas but not plain numbers', () => {
    expect(neutraliseFormula('=HYPERLINK("http://evil")')).toBe('\'=HYPERLINK("http://evil")');
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('+33 6 12 34 56 78')).toBe("'+33 6 12 34 56 78");
    expect(neutraliseFormula('-1+1')).toBe("'-1+1");
    expect(neutraliseFormula('\tx')).toBe("'\tx");
    expect(neutraliseFormula('-12.5')).toBe('-12.5');
    expect(neutraliseFormula('-12,5')).toBe('-12,5');
    expect(neutraliseFormula('+3')).toBe('+3');
    expect(neutraliseFormula('1e-3')).toBe('1e-3');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });

  it('quotes a neutralised cell that also needs quoting, and honours the delimiter', async () => {
    const out = await render(new CsvWriter(['a', 'b'], { delimiter: ';', newline: '\n' }), [['=1;2', '\r=x']]);
    expect(out).toBe('a;b\n"\'=1;2";"\'\r=x"\n');
  });

  it('streams in bounded chunks', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`ligne ${i}`, i] as Value[]);
    const chunks = await collect(writeTable(new CsvWriter(['a', 'b']), rows, 1024));
    expect(chunks.length).toBeGreaterThan(50);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1100);
  });
});

describe('JsonWriter', () => {
  it('writes a parseable array of typed objects', async () => {
    const out = await render(new JsonWriter(['nom', 'montant', 'ok', 'vide']), [
      ['A "b"', 1.5, true, null],
      ['é', Number.NaN, false, null],
    ]);
    expect(JSON.parse(out)).toEqual([
      { nom: 'A "b"', montant: 1.5, ok: true, vide: null },
      { nom: 'é', montant: null, ok: false, vide: null },
    ]);
    expect(JSON.parse(await render(new JsonWriter(['a']), []))).toEqual([]);
  });
});

describe('GeoJsonWriter', () => {
  it('writes points, keeps other fields as properties and counts skipped rows', async () => {
    const w = new GeoJsonWriter(['nom', 'long', 'lat'], { longitude: 'long', latitude: 'lat' });
    const out = await render(w, [
      ['Mairie', 2.35, 48.85],
      ['Texte', '5,7245', '45.1885'],
      ['Sans', null, 45],
      ['Hors', 200, 45],
      ['Mot', 'abc', 45],
    ]);
    const fc = JSON.parse(out);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toEqual([
      { type: 'Feature', geometry: { type: 'Point', coordinates: [2.35, 48.85] }, properties: { nom: 'Mairie' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [5.7245, 45.1885] }, properties: { nom: 'Texte' } },
    ]);
    expect(w.skipped).toBe(3);
    expect(w.written).toBe(2);
  });
});
