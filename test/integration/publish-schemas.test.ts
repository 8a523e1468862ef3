/**
 * One file per built-in schema, end to end as a commune publishes it: upload URL, PUT to the
 * signed URL, poll, then download the public files and compare `data.csv` byte for byte with
 * an expected file written by hand (UTF-8, `,` — BAL keeps its `;` —, CRLF, schema column
 * order, ISO dates, `.` decimals, the schema's own booleans, formulas neutralised).
 */
import { existsSync } from 'node:fs';
import * as XLSX from 'xlsx';
import {
  createDataset,
  fixture,
  getDataset,
  newPublisher,
  uploadFile,
  publicFile,
  publish,
  REFERENCE_DIR,
  referenceFile,
  type Publisher,
} from './support/publish';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Checks a version's public `data.csv` against a hand-written fixture, and `latest/` against it. */
async function expectCsv(p: Publisher, slug: string, version: number, expectedFixture: string) {
  const csv = await publicFile(p, slug, version, 'data.csv');
  expect(csv.status).toBe(200);
  expect(csv.text()).toBe(fixture(expectedFixture).toString('utf8'));
  expect(csv.bytes.equals(fixture(expectedFixture))).toBe(true);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(csv.headers.get('cache-control')).toBe(IMMUTABLE);

  const latest = await publicFile(p, slug, 'latest', 'data.csv');
  expect(latest.status).toBe(200);
  expect(latest.bytes.equals(csv.bytes)).toBe(true);
  expect(latest.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
  expect(latest.headers.get('cache-control')).not.toContain('immutable');
  return csv;
}

/** The other files every version has: typed JSON, the data package and the report, all UTF-8 JSON. */
async function expectCompanions(p: Publisher, slug: string, version: number, rows: number) {
  const json = await publicFile(p, slug, version, 'data.json');
  expect(json.status).toBe(200);
  expect(json.headers.get('content-type')).toMatch(/^application\/json; charset=utf-8$/);
  expect(json.headers.get('cache-control')).toBe(IMMUTABLE);
  const pkg = await publicFile(p, slug, version, 'datapackage.json');
  expect(pkg.status).toBe(200);
  expect(pkg.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(pkg.headers.get('cache-control')).toBe(IMMUTABLE);
  expect(pkg.json().resources.length).toBeGreaterThan(0);
  const report = await publicFile(p, slug, version, 'report.json');
  expect(report.status).toBe(200);
  expect(report.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(report.headers.get('cache-control')).toBe(IMMUTABLE);
  expect(report.json()).toMatchObject({ valid: true, rowCount: rows, errorCount: 0 });
  return { json: json.json(), report: report.json() };
}

/** A test that needs the official reference files beside the checkout, or a visible note that they are absent. */
function withReference(name: string, run: () => Promise<void>) {
  if (existsSync(REFERENCE_DIR)) it(name, run);
  else it(`${name} — skipped because ${REFERENCE_DIR} is absent`, () => console.warn(`${REFERENCE_DIR} absent: not run: ${name}`));
}

describe('publishing each built-in schema end to end', () => {
  let p: Publisher;
  beforeAll(async () => {
    p = await newPublisher('schemas');
  });

  it('scdl/subventions: a UTF-8 CSV with a quoted comma, a doubled quote and a formula cell', async () => {
    await createDataset(p, 'subventions', 'scdl/subventions');
    const v = await publish(p, 'subventions', 'subventions.csv', fixture('subventions.csv'));
    expect(v).toBe(1);
    await expectCsv(p, 'subventions', v, 'subventions.expected.csv');
    const { json } = await expectCompanions(p, 'subventions', v, 3);
    // Typed JSON keeps the real value; only the CSV is neutralised.
    expect(JSON.stringify(json)).toContain('"=Équipement du club"');
    expect(JSON.stringify(json)).toContain('1500.5');
  });

  it('scdl/deliberations: UTF-8 with BOM, `;`, French dates, header spelled differently, a quoted line break', async () => {
    await createDataset(p, 'deliberations', 'scdl/deliberations');
    const v = await publish(p, 'deliberations', 'deliberations.csv', fixture('deliberations.csv'));
    await expectCsv(p, 'deliberations', v, 'deliberations.expected.csv');
    await expectCompanions(p, 'deliberations', v, 3);
  });

  it('scdl/equipements: decimal commas, a phone number starting with +, and the GeoJSON', async () => {
    await createDataset(p, 'equipements', 'scdl/equipements');
    const v = await publish(p, 'equipements', 'equipements.csv', fixture('equipements.csv'));
    await expectCsv(p, 'equipements', v, 'equipements.expected.csv');
    await expectCompanions(p, 'equipements', v, 3);

    const geo = await publicFile(p, 'equipements', v, 'data.geojson');
    expect(geo.status).toBe(200);
    expect(geo.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(geo.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(geo.text()).toBe(fixture('equipements.expected.geojson').toString('utf8'));
    const parsed = geo.json();
    expect(parsed.type).toBe('FeatureCollection');
    // RFC 7946: [longitude, latitude], WGS 84.
    expect(parsed.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates)).toEqual([
      [1.3561, 43.5083],
      [1.3502, 43.5101],
      [1.35977, 43.50695],
    ]);
    const latestGeo = await publicFile(p, 'equipements', 'latest', 'data.geojson');
    expect(latestGeo.bytes.equals(geo.bytes)).toBe(true);
  });

  it('scdl/prenoms: an INSEE code that lost its leading zero, a lower-case sex code', async () => {
    await createDataset(p, 'prenoms', 'scdl/prenoms');
    const v = await publish(p, 'prenoms', 'prenoms.csv', fixture('prenoms.csv'));
    await expectCsv(p, 'prenoms', v, 'prenoms.expected.csv');
    await expectCompanions(p, 'prenoms', v, 4);
  });

  it('bal 1.5: keeps the official `;`, ISO dates, certification written 1/0 as the BAL format does', async () => {
    const dataset = await createDataset(p, 'adresses', 'bal');
    expect(dataset.schemaVersion).toBe('1.5');
    const v = await publish(p, 'adresses', 'bal.csv', fixture('bal.csv'));
    await expectCsv(p, 'adresses', v, 'bal.expected.csv');
    await expectCompanions(p, 'adresses', v, 3);
    const geo = await publicFile(p, 'adresses', v, 'data.geojson');
    expect(geo.status).toBe(200);
    expect(geo.json().features).toHaveLength(3);
  });

  it('bal: a 1.4 file (voie_nom, cle_interop) in a bal dataset is published as 1.4, no column dropped; a 1.5 file after it as 1.5', async () => {
    await createDataset(p, 'adresses-14', 'bal');
    const v = await publish(p, 'adresses-14', 'bal-1.4.csv', fixture('bal-1.4.csv'));
    await expectCsv(p, 'adresses-14', v, 'bal-1.4.expected.csv');
    const { report } = await expectCompanions(p, 'adresses-14', v, 2);
    expect(report.schema).toMatchObject({ id: 'bal', version: '1.4' });
    const pkg = (await publicFile(p, 'adresses-14', v, 'datapackage.json')).json();
    expect(pkg.schema).toMatchObject({ id: 'bal', version: '1.4' });
    expect(pkg.resources.find((r: { name?: string; schema?: unknown }) => r.schema).schema.fields.map((f: { name: string }) => f.name)).toContain('voie_nom');
    expect((await getDataset(p, 'adresses-14')).body.schemaVersion).toBe('1.4');

    const next = await publish(p, 'adresses-14', 'bal.csv', fixture('bal.csv'));
    expect(next).toBe(v + 1);
    await expectCsv(p, 'adresses-14', next, 'bal.expected.csv');
    expect((await getDataset(p, 'adresses-14')).body.schemaVersion).toBe('1.5');
  });

  it('decp: a flat French CSV gives the flat data.csv and the nested national decp.json', async () => {
    await createDataset(p, 'marches', 'decp');
    const v = await publish(p, 'marches', 'decp.csv', fixture('decp.csv'));
    await expectCsv(p, 'marches', v, 'decp.expected.csv');
    await expectCompanions(p, 'marches', v, 2);
    const nested = await publicFile(p, 'marches', v, 'decp.json');
    expect(nested.status).toBe(200);
    expect(nested.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(nested.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(nested.json()).toEqual(JSON.parse(fixture('decp.expected.json').toString('utf8')));
  });

  withReference('decp: the official DECP JSON example (concessions.json) gives the flat CSV and decp.json back', async () => {
    const source = referenceFile('scdl/marches-publics/decp/examples/json/concessions.json')!;
    await createDataset(p, 'concessions', 'decp');
    const v = await publish(p, 'concessions', 'concessions.json', source, 'application/json');
    await expectCsv(p, 'concessions', v, 'decp-concessions-officiel.expected.csv');
    const nested = await publicFile(p, 'concessions', v, 'decp.json');
    expect(nested.json()).toEqual(JSON.parse(source.toString('utf8')));
  });

  withReference('decp: every official DECP JSON example publishes and round-trips to the same nested document', async () => {
    const names = ['concessions', 'concessions_avec_modifications', 'marches_avec_modifications', 'marches_concessions'];
    for (const name of names) {
      const source = referenceFile(`scdl/marches-publics/decp/examples/json/${name}.json`)!;
      const slug = `decp-${name.replace(/_/g, '-')}`;
      await createDataset(p, slug, 'decp');
      const v = await publish(p, slug, `${name}.json`, source, 'application/json');
      const nested = await publicFile(p, slug, v, 'decp.json');
      expect({ name, document: nested.json() }).toEqual({ name, document: JSON.parse(source.toString('utf8')) });
    }
  });

  // validateur-bal's fixtures are not Table Schema conformance cases (they leave out required columns): not used here.
  withReference('official examples: the valid SCDL subventions and prénoms files publish', async () => {
    const cases: [string, string, string][] = [
      ['scdl/subventions', 'officiel-subventions', 'scdl/subventions/examples/exemple_valide.csv'],
      ['scdl/prenoms', 'officiel-prenoms', 'scdl/prenoms/examples/prenoms-nouveaux-nes_exemple-valide.csv'],
    ];
    for (const [schema, slug, file] of cases) {
      await createDataset(p, slug, schema);
      const v = await publish(p, slug, file.slice(file.lastIndexOf('/') + 1), referenceFile(file)!);
      const csv = await publicFile(p, slug, v, 'data.csv');
      expect(csv.status).toBe(200);
      expect(csv.text()).toMatch(/\r\n$/);
    }
  });
});

/** The rows of `subventions-cp1252.csv`, typed as a spreadsheet holds them (real dates and numbers). */
function frenchSubventionsSheet(): unknown[][] {
  const money = (n: number) => ({ t: 'n', v: n, z: '#,##0.00 "€"' });
  return [
    [
      'Nom attribuant', 'ID attribuant', 'Date convention', 'Référence décision', 'Nom bénéficiaire', 'ID bénéficiaire',
      'RNA bénéficiaire', 'Objet', 'Montant', 'Nature', 'Conditions versement', 'Dates période versement', 'ID RAE',
      'Notification UE', 'Pourcentage subvention', 'Dispositif aide',
    ],
    [
      'Commune de Roques', '213 104 581 00011', new Date(2024, 11, 31), 'DEL-2024-120', 'Comité des fêtes', '775 672 272 00017',
      null, 'Fête de l’été - édition 2025', money(1234.56), 'aide en numéraire', 'unique', '2025-01-15', null, 'non', 1, null,
    ],
    [
      'Commune de Roques', '213 104 581 00011', new Date(2025, 1, 1), 'DEL-2025-004', 'Œuvre des écoles', null,
      'W313000789', 'Goûter de Noël…', money(12500), 'aide en nature', 'échelonné', '2025-02-01/2025-06-30', null, 'oui', 0.5, null,
    ],
    [
      'Commune de Roques', '213 104 581 00011', new Date(2025, 2, 15), null, 'Club de pétanque', '443 061 841 00013',
      null, 'Achat de boules', money(350), 'aide en numéraire', 'unique', '2025-04-01', null, 'non', 0.25, null,
    ],
  ];
}

function spreadsheet(bookType: 'xlsx' | 'ods' | 'biff8'): Buffer {
  const sheet = XLSX.utils.aoa_to_sheet(frenchSubventionsSheet(), { cellDates: true });
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Subventions 2025');
  return XLSX.write(book, { type: 'buffer', bookType, cellDates: true }) as Buffer;
}

describe('the same French data from office software gives the same data.csv bytes', () => {
  let p: Publisher;
  beforeAll(async () => {
    p = await newPublisher('formats');
  });

  it('a Windows-1252 `;` CSV with 31/12/2024, 1 234,56 €, oui/non and spaced SIRETs', async () => {
    await createDataset(p, 'depuis-csv', 'scdl/subventions');
    const v = await publish(p, 'depuis-csv', 'subventions 2025.csv', fixture('subventions-cp1252.csv'));
    await expectCsv(p, 'depuis-csv', v, 'subventions-fr.expected.csv');
    const { report } = await expectCompanions(p, 'depuis-csv', v, 3);
    expect(report.file).toMatchObject({ encoding: expect.stringMatching(/1252/), delimiter: ';' });
  });

  it('an .xlsx of the same data (typed dates and amounts)', async () => {
    await createDataset(p, 'depuis-xlsx', 'scdl/subventions');
    const v = await publish(p, 'depuis-xlsx', 'subventions 2025.xlsx', spreadsheet('xlsx'));
    await expectCsv(p, 'depuis-xlsx', v, 'subventions-fr.expected.csv');
  });

  it('an .xlsx as a département template lays it out: a notice sheet first, a title above the header, a total line', async () => {
    const rows = frenchSubventionsSheet();
    const total = rows[0].map((_, i) => (i === 0 ? 'TOTAL' : ''));
    const data = XLSX.utils.aoa_to_sheet([['Subventions versées en 2025'], [], ...rows, total], { cellDates: true });
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['Mode d’emploi'], ['Une ligne par subvention, dans l’onglet Données.']]), 'Notice');
    XLSX.utils.book_append_sheet(book, data, 'Données');
    await createDataset(p, 'depuis-modele', 'scdl/subventions');
    const { state } = await uploadFile(p, 'depuis-modele', 'modele.xlsx', XLSX.write(book, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer);
    expect(state).toMatchObject({ status: 'published' });
    await expectCsv(p, 'depuis-modele', state.version!, 'subventions-fr.expected.csv');
    const { report } = await expectCompanions(p, 'depuis-modele', state.version!, 3);
    // The template's headers (« Nom attribuant », « ID attribuant »…) are read, and named in one warning.
    expect(report.codes).toEqual({ 'title-rows': 1, 'header-renamed': 1, 'total-row': 1 });
  });

  it('an .ods of the same data', async () => {
    await createDataset(p, 'depuis-ods', 'scdl/subventions');
    const v = await publish(p, 'depuis-ods', 'subventions 2025.ods', spreadsheet('ods'));
    await expectCsv(p, 'depuis-ods', v, 'subventions-fr.expected.csv');
  });

  it('an Excel 97-2003 .xls of the same data (BIFF8, written by another library than the one the tests read with)', async () => {
    await createDataset(p, 'depuis-xls', 'scdl/subventions');
    const v = await publish(p, 'depuis-xls', 'subventions 2025.xls', spreadsheet('biff8'), 'application/vnd.ms-excel');
    await expectCsv(p, 'depuis-xls', v, 'subventions-fr.expected.csv');
  });

  it('the same data as a web application’s « export Excel »: an HTML table named .xls', async () => {
    // The page shows dates as a French application does (SheetJS's own HTML writes them m/d/yy).
    const shown = frenchSubventionsSheet().map((row) =>
      row.map((cell) => (cell instanceof Date ? `${String(cell.getDate()).padStart(2, '0')}/${String(cell.getMonth() + 1).padStart(2, '0')}/${cell.getFullYear()}` : cell)),
    );
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(shown), 'Export');
    await createDataset(p, 'depuis-html', 'scdl/subventions');
    const { state } = await uploadFile(p, 'depuis-html', 'export.xls', XLSX.write(book, { type: 'buffer', bookType: 'html' }) as Buffer, 'application/vnd.ms-excel');
    expect(state).toMatchObject({ status: 'published' });
    await expectCsv(p, 'depuis-html', state.version!, 'subventions-fr.expected.csv');
    const { report } = await expectCompanions(p, 'depuis-html', state.version!, 3);
    expect(report.file).toMatchObject({ format: 'html', encoding: 'utf-8' });
  });

  it('a JSON array (keys in any order, typed numbers and booleans) gives the same bytes as the CSV', async () => {
    await createDataset(p, 'depuis-json', 'scdl/subventions');
    const v = await publish(p, 'depuis-json', 'subventions.json', fixture('subventions.json'));
    await expectCsv(p, 'depuis-json', v, 'subventions.expected.csv');
  });
});
