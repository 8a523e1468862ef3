/**
 * The blank files to fill in, as a commune gets them: downloaded from the public catalogue,
 * filled in, uploaded to its dataset, published with no warning of its own.
 */
import { api, platform } from './support/api';
import { createDataset, fixture, newPublisher, publicFile, uploadFile } from './support/publish';
import { fillTemplate } from '../fixtures/workbooks';

async function download(path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(platform().apiUrl + path);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

describe('GET /v1/catalog/templates/{schemaFile+}', () => {
  it('gives the workbook of a schema, cacheable, as a file to save', async () => {
    const res = await download('/v1/catalog/templates/scdl/subventions.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="modele-scdl-subventions-2.1.1.xlsx"');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(res.bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    const again = await fetch(platform().apiUrl + '/v1/catalog/templates/scdl/subventions.xlsx', { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('is named by the schema listing and the schema itself, for the version asked', async () => {
    const list = await api('GET', '/v1/catalog/schemas');
    const bal = list.body.items.find((i: { id: string }) => i.id === 'bal');
    expect(bal.templates).toEqual({ xlsx: `${platform().apiUrl}/v1/catalog/templates/bal.xlsx`, csv: `${platform().apiUrl}/v1/catalog/templates/bal.csv` });
    const one = await api('GET', '/v1/catalog/schemas/bal?version=1.4');
    expect(one.body.templates.csv).toBe(`${platform().apiUrl}/v1/catalog/templates/bal.csv?version=1.4`);
    const csv = Buffer.from(await (await fetch(one.body.templates.csv)).arrayBuffer()).toString('utf8');
    expect(csv.startsWith('\ufeffid_ban_commune;')).toBe(true);
  });

  it('gives the CSV header line, and an older version on request', async () => {
    const csv = await download('/v1/catalog/templates/bal.csv?version=1.4');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="modele-bal-1.4.csv"');
    expect(csv.bytes.toString('utf8')).toMatch(/^\ufeffid_ban_commune;id_ban_toponyme;id_ban_adresse;cle_interop;commune_insee;/);
  });

  it('refuses another extension (400) and an unknown schema or version (404), in French with a stable code', async () => {
    const pdf = await api('GET', '/v1/catalog/templates/scdl/subventions.pdf');
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.code).toBe('invalid_path');
    expect(pdf.body.error.message).toContain('.xlsx ou .csv');
    const unknown = await api('GET', '/v1/catalog/templates/scdl/nope.xlsx');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('schema_not_found');
    expect((await api('GET', '/v1/catalog/templates/scdl/subventions.xlsx?version=9.9')).status).toBe(404);
  });

  it('filled in and uploaded, publishes the rows with no warning', async () => {
    const p = await newPublisher('tpl');
    await createDataset(p, 'subventions', 'scdl/subventions');
    const template = await download('/v1/catalog/templates/scdl/subventions.xlsx');
    const expected = fixture('subventions.expected.csv').toString('utf8');
    // The expected rows, typed into the « Données » tab as they read.
    const rows = expected
      .trimEnd()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, 16).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')));
    const { state } = await uploadFile(p, 'subventions', 'modele-scdl-subventions-2.1.1.xlsx', fillTemplate(template.bytes, rows));
    expect(state).toMatchObject({ status: 'published', version: 1 });
    expect(state.report?.issues ?? []).toEqual([]);
    expect((await publicFile(p, 'subventions', 1, 'data.csv')).text()).toBe(expected);
  });
});

describe('a file of another collectivité', () => {
  it('is published with an other-publisher warning: a BAL of commune 31458 on Castanet’s account (31113); none on its own', async () => {
    const castanet = await newPublisher('castanet', { name: 'Commune de Castanet-Tolosan', inseeCode: '31113' });
    await createDataset(castanet, 'adresses', 'bal');
    const { state } = await uploadFile(castanet, 'adresses', 'bal.csv', fixture('bal.csv'));
    expect(state.status).toBe('published');
    expect(state.report!.codes['other-publisher']).toBe(1);
    // The report, public with the version, says whose file it seems to be.
    const report = (await publicFile(castanet, 'adresses', 1, 'report.json')).json();
    expect(report.issues.filter((i: { code: string }) => i.code === 'other-publisher')).toEqual([
      expect.objectContaining({ severity: 'warning', column: 'commune_insee', value: '31458' }),
    ]);
    expect(report.summary).toMatch(/avertissement/);

    const roques = await newPublisher('roques', { name: 'Commune de Roques', inseeCode: '31458' });
    await createDataset(roques, 'adresses', 'bal');
    const own = await uploadFile(roques, 'adresses', 'bal.csv', fixture('bal.csv'));
    expect(own.state.status).toBe('published');
    expect(own.state.report!.codes['other-publisher']).toBeUndefined();
  });
});
