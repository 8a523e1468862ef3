/**
 * The bad-input corpus through the real pipeline: each file is uploaded to a
 * `scdl/subventions` dataset that already has a published version 1; it must be rejected
 * with the expected codes in its report, and version 1 must stay current and online.
 */
import { badInputs } from '../fixtures/bad-inputs';
import { api } from './support/api';
import {
  createDataset,
  fixture,
  getDataset,
  listVersions,
  newPublisher,
  publicFile,
  publish,
  uploadFile,
  type Publisher,
  type Report,
} from './support/publish';

/** The corpus entries the issue lists, by name, with the file name a commune would give them. */
const CORPUS: [string, string][] = [
  ['binary garbage', 'export.csv'],
  ['only blank lines', 'vide.csv'],
  ['header only', 'entete.csv'],
  ['2 MB single line', 'ligne.csv'],
  ['inconsistent column counts', 'colonnes.csv'],
  ['invalid UTF-8 late in a UTF-8 file', 'encodage.csv'],
  ['xlsx zip bomb (declared 300 MB)', 'bombe.xlsx'],
  ['xlsx zip bomb (lies: declares 1 KB, inflates 300 MB)', 'bombe-menteuse.xlsx'],
  ['ods repetition bomb (a row of 16,384 cells repeated 1,048,575 times)', 'bombe-repetitions.ods'],
];

function corpusEntry(name: string) {
  const entry = badInputs.find((b) => b.name === name);
  if (!entry) throw new Error(`no bad input named ${name}`);
  return entry;
}

describe('rejected files leave the published version in place', () => {
  let p: Publisher;
  const slug = 'subventions';
  let v1: Buffer;

  beforeAll(async () => {
    p = await newPublisher('rejets');
    await createDataset(p, slug, 'scdl/subventions');
    expect(await publish(p, slug, 'subventions.csv', fixture('subventions.csv'))).toBe(1);
    v1 = (await publicFile(p, slug, 'latest', 'data.csv')).bytes;
    expect(v1.equals(fixture('subventions.expected.csv'))).toBe(true);
  });

  async function expectVersion1StillCurrent() {
    const dataset = await getDataset(p, slug);
    expect(dataset.status).toBe(200);
    expect(dataset.body).toMatchObject({ status: 'published', currentVersion: 1 });
    const versions = await listVersions(p, slug);
    expect(versions.body.items.map((v) => v.version)).toEqual([1]);
    const latest = await publicFile(p, slug, 'latest', 'data.csv');
    expect(latest.status).toBe(200);
    expect(latest.bytes.equals(v1)).toBe(true);
  }

  async function expectRejected(filename: string, bytes: Buffer, codes: string[]): Promise<Report> {
    const { state } = await uploadFile(p, slug, filename, bytes);
    expect({ filename, status: state.status }).toEqual({ filename, status: 'rejected' });
    expect(state.version).toBeUndefined();
    const report = state.report!;
    expect(report).toMatchObject({ valid: false });
    expect(report.errorCount).toBeGreaterThan(0);
    expect({ filename, codes: Object.keys(report.codes) }).toEqual({ filename, codes: expect.arrayContaining(codes) });
    expect(report.summary).toMatch(/refusé/);
    for (const issue of report.issues) expect(issue.message).toEqual(expect.any(String));
    await expectVersion1StillCurrent();
    return report;
  }

  it.each(CORPUS)('%s is rejected with its codes', async (name, filename) => {
    const entry = corpusEntry(name);
    await expectRejected(filename, entry.bytes(), entry.expectedCodes);
  });

  it('an xlsx zip bomb is refused by its size, without inflating it: the report says so at once', async () => {
    const report = await expectRejected('bombe.xlsx', corpusEntry('xlsx zip bomb (declared 300 MB)').bytes(), ['zip-too-large']);
    expect(report.rowCount).toBe(0);
  });

  it('an empty file cannot even be announced: 400 with a French message, nothing uploaded', async () => {
    const res = await api('POST', `/v1/tenants/${p.tenantId}/datasets/${slug}/uploads`, {
      token: p.token,
      body: { filename: 'vide.csv', contentType: 'text/csv', size: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.message).toContain('vide');
    await expectVersion1StillCurrent();
  });

  it('wrong types in every column: each cell is reported with its row, column and value', async () => {
    const report = await expectRejected('types.csv', fixture('subventions-wrong-types.csv'), [
      'pattern',
      'type-error',
      'siret',
      'max-length',
      'enum',
      'maximum',
    ]);
    expect(report.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'pattern', severity: 'error', row: 2, column: 'idAttribuant', value: 'ABC' }),
        expect.objectContaining({ code: 'type-error', row: 2, column: 'dateConvention', value: '32/13/2024' }),
        expect.objectContaining({ code: 'type-error', row: 2, column: 'montant', value: 'beaucoup' }),
        expect.objectContaining({ code: 'enum', row: 2, column: 'nature', value: 'aide' }),
        expect.objectContaining({ code: 'pattern', row: 2, column: 'datesPeriodeVersement', value: 'demain' }),
        expect.objectContaining({ code: 'pattern', row: 2, column: 'rnaBeneficiaire', value: 'X123' }),
        expect.objectContaining({ code: 'max-length', row: 2, column: 'objet' }),
        expect.objectContaining({ code: 'max-length', row: 2, column: 'idRAE', value: '1234567' }),
        expect.objectContaining({ code: 'type-error', row: 2, column: 'notificationUE', value: 'peut-être' }),
        expect.objectContaining({ code: 'type-error', row: 2, column: 'pourcentageSubvention', value: 'deux' }),
        expect.objectContaining({ code: 'siret', row: 2, column: 'idBeneficiaire' }),
        expect.objectContaining({ code: 'maximum', row: 3, column: 'pourcentageSubvention', value: '2' }),
      ]),
    );
    expect(report.rowCount).toBe(2);
  });

  it('a missing required column is named in the report', async () => {
    const report = await expectRejected('sans-montant.csv', fixture('subventions-missing-column.csv'), ['missing-column']);
    expect(report.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'missing-column', row: 1, column: 'montant' })]));
  });

  it('the rejection report stays readable; the dataset keeps the current version’s report and the last upload’s', async () => {
    const { ticket } = await uploadFile(p, slug, 'entete.csv', corpusEntry('header only').bytes());
    const again = await api('GET', `/v1/tenants/${p.tenantId}/datasets/${slug}/uploads/${ticket.uploadId}`, { token: p.token });
    expect(again.status).toBe(200);
    expect(again.body.report.codes).toHaveProperty('header-only');
    const dataset = await getDataset(p, slug);
    expect(dataset.body.lastReport).toMatchObject({ valid: true, rowCount: 3 });
    expect(dataset.body.lastUploadReport).toMatchObject({ valid: false, codes: { 'header-only': 1 } });
    expect(dataset.body.currentVersion).toBe(1);
  });
});

describe('a formula-injection cell is not an error', () => {
  it('publishes, and the CSV cells that would start a formula are prefixed with a quote', async () => {
    const p = await newPublisher('formule');
    await createDataset(p, 'brut', 'none');
    const entry = corpusEntry('formula injection cell (reads fine, neutralised on write)');
    const v = await publish(p, 'brut', 'formules.csv', entry.bytes());
    const csv = await publicFile(p, 'brut', v, 'data.csv');
    expect(csv.text()).toBe(fixture('formula.expected.csv').toString('utf8'));
    // The typed JSON keeps the values as they were.
    const json = (await publicFile(p, 'brut', v, 'data.json')).json();
    expect(JSON.stringify(json)).toContain('"=HYPERLINK(\\"http://evil\\",\\"x\\")"');
  });
});
