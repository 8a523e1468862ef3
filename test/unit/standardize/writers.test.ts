import { Value } from '../../../functions/domain/schema/types';
import { ByteBuffer } from '../../../functions/domain/standardize/write/byte-buffer';
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
    expect(neutraliseFormula("@cmd|' /C calc'!A0")).toBe("'@cmd|' /C calc'!A0");
    // A BAL 1.3 uid_adresse starts with @ and can call nothing: as its pattern wants it.
    expect(neutraliseFormula('@c:0246e48c-f33d @v:8a3bab10-f329')).toBe('@c:0246e48c-f33d @v:8a3bab10-f329');
    // A phone number or an amount names nothing a spreadsheet could run: kept as the official schemas write it.
    expect(neutraliseFormula('+33 6 12 34 56 78')).toBe('+33 6 12 34 56 78');
    expect(neutraliseFormula('+33 (0)5 61 72 00 00')).toBe('+33 (0)5 61 72 00 00');
    expect(neutraliseFormula('- 5 %')).toBe('- 5 %');
    expect(neutraliseFormula("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(neutraliseFormula('-HYPERLINK("http://evil")')).toBe('\'-HYPERLINK("http://evil")');
    expect(neutraliseFormula('- texte')).toBe("'- texte");
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

  it.each([
    ['coordinates last', ['nom', 'code', 'long', 'lat']],
    ['coordinates first, in the other order', ['lat', 'long', 'nom', 'code']],
    ['coordinates apart', ['nom', 'long', 'code', 'lat', 'note']],
    ['coordinates in the middle', ['a', 'b', 'long', 'lat', 'c', 'd']],
  ])('copies properties from the JSON row just written, with the same bytes as writing them (%s)', (_, fields) => {
    const values = (i: number): Value[] =>
      fields.map((f) => (f === 'long' ? 2 + i / 1000 : f === 'lat' ? 45 + i / 7 : i % 5 === 0 ? null : i % 3 === 0 ? `« ${f} " ${i} »\n` : i % 2 ? i * 1.5 : `${f}${i}`));
    const geo = { longitude: 'long', latitude: 'lat' };
    const alone = new GeoJsonWriter(fields, geo);
    const json = new JsonWriter(fields);
    const copying = new GeoJsonWriter(fields, geo).propertiesFrom(json);
    // Small buffers: they grow while a row is written, and the JSON row then lives in new memory.
    const [a, j, c] = [new ByteBuffer(8), new ByteBuffer(8), new ByteBuffer(8)];
    for (let i = 0; i < 200; i++) {
      const row = values(i);
      alone.writeRow(row, a);
      json.writeRow(row, j);
      copying.writeRow(row, c);
      // Values the JSON writer did not just write: written, not copied.
      if (i % 50 === 0) {
        copying.writeRow([...row], c);
        alone.writeRow(row, a);
      }
    }
    expect(c.toString()).toBe(a.toString());
    // Row 0 was written twice: feature 2 is row 1.
    expect(JSON.parse(`{"f":[${a.toString().slice(1)}]}`).f[2].properties).toEqual(Object.fromEntries(fields.filter((f) => f !== 'long' && f !== 'lat').map((f) => [f, values(1)[fields.indexOf(f)]])));
  });
});

describe('copying unchanged cells from the source bytes', () => {
  // Cells that can be copied and cells that cannot: output delimiter, quotes, formulas, controls, Windows-1252 specials.
  const text = 'a;b;c\r\nSaint-Étienne;1,5;€ 12\r\n=SUM(A1);"dit ""x""";-3\r\n+33 6;"a\tb";’quote’\r\n"plain";\\back;@x\r\n';

  async function renders(encoding: 'utf-8' | 'windows-1252') {
    const { ByteCsvParser } = await import('../../../functions/domain/standardize/read/csv-bytes');
    const { ByteBuffer } = await import('../../../functions/domain/standardize/write/byte-buffer');
    const bytes =
      encoding === 'utf-8'
        ? Buffer.from(text, 'utf8')
        : Buffer.from(Array.from(text, (ch) => ({ '€': 0x80, '’': 0x92 })[ch] ?? Buffer.from(ch, 'latin1')[0]));
    const parser = new ByteCsvParser(';', 1 << 20);
    const records: import('../../../functions/domain/standardize/read/csv-bytes').ByteCsvRecord[] = [];
    parser.push({ bytes, encoding }, records);
    parser.end(records);
    const columns = Int32Array.of(0, 1, 2);
    const fields = ['a', 'b', 'c'];
    const out: Record<string, [string, string]> = {};
    for (const [name, make] of [
      ['csv', () => new CsvWriter(fields)],
      ['json', () => new JsonWriter(fields)],
      ['geojson', () => new GeoJsonWriter(['a', 'long', 'lat'], { longitude: 'long', latitude: 'lat' })],
    ] as const) {
      const copying = make().copyFrom(columns);
      const plain = make();
      const a = new ByteBuffer(8);
      const b = new ByteBuffer(8);
      for (const r of records.slice(1)) {
        const values = name === 'geojson' ? [r.cells[0], 2.35, 48.85] : r.cells;
        copying.writeRow(values, a, r);
        plain.writeRow(values, b);
      }
      out[name] = [a.toString(), b.toString()];
    }
    return out;
  }

  it('CSV with the source delimiter: runs of cells copied at once write the same bytes as cell by cell', async () => {
    const { ByteCsvParser } = await import('../../../functions/domain/standardize/read/csv-bytes');
    const { ByteBuffer } = await import('../../../functions/domain/standardize/write/byte-buffer');
    // Clean records (whole runs), a quoted cell holding the delimiter, empty and quoted-empty cells,
    // formulas and plain numbers, a quote or a backslash inside a cell (not clean), accents.
    const text = [
      'a;b;c;d',
      'x;y;z;w',
      'Saint-Étienne;;1;-3',
      '"a;b";c;"";d',
      '=SUM(A1);+33 6;@x(1);-1.6000000',
      'dit "x";b;c;d',
      'back\\slash;b;c;d',
      ';;;',
      'x;"y";z;w',
      'x;y;z',
      '',
    ].join('\r\n');
    const parser = new ByteCsvParser(';', 1 << 20);
    const records: import('../../../functions/domain/standardize/read/csv-bytes').ByteCsvRecord[] = [];
    parser.push({ bytes: Buffer.from(text, 'utf8'), encoding: 'utf-8' }, records);
    parser.end(records);
    expect(records.map((r) => r.raw.clean)).toEqual([true, true, true, true, true, false, false, true, true]);
    const fields = ['a', 'b', 'c', 'd'];
    const copying = new CsvWriter(fields, { delimiter: ';' }).copyFrom(Int32Array.of(0, 1, 2, 3));
    const plain = new CsvWriter(fields, { delimiter: ';' });
    const a = new ByteBuffer(8);
    const b = new ByteBuffer(8);
    for (const r of records.slice(1)) {
      // As read; with a number, a null and a changed value in place of cells.
      for (const values of [r.cells, [r.cells[0], 12.5, null, r.cells[3] ?? null], [r.cells[0], r.cells[1], `${r.cells[2]}!`, r.cells[3] ?? null]]) {
        copying.writeRow(values, a, r);
        plain.writeRow(values, b);
      }
    }
    expect(a.toString()).toBe(b.toString());
    expect(a.toString()).toContain('x;y;z;w\r\n');
    expect(a.toString()).toContain('"a;b";c;;d\r\n');
    expect(a.toString()).toContain("'=SUM(A1);+33 6;'@x(1);-1.6000000\r\n");
  });

  it.each(['utf-8', 'windows-1252'] as const)('%s: same bytes as encoding the strings', async (encoding) => {
    const out = await renders(encoding);
    for (const [copied, encoded] of Object.values(out)) expect(copied).toBe(encoded);
    expect(out.csv[0]).toContain('Saint-Étienne,"1,5",€ 12\r\n\'=SUM(A1),"dit ""x""",-3\r\n');
    expect(out.json[0]).toContain('{"a":"+33 6","b":"a\\tb","c":"’quote’"}');
  });
});
