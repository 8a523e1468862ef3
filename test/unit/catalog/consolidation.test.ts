/**
 * The territory file of a schema (functions/consolidate/rebuild.ts › rebuildSchema), built in
 * memory from files standardized here as the platform standardizes an upload: each tenant's
 * rows are written as its own data.csv writes them (delimiter, the schema's true/false
 * values, formats), rows of BAL 1.4 are read in 1.5, and the reference BAL validator judges
 * the result as it judges the communes' own files, except for the rules that hold for one
 * commune's file only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rebuildSchema, type RebuildDeps } from '../../../functions/consolidate/rebuild';
import { consolidatedPrefix, upgradeRow, versionUpgrade } from '../../../functions/domain/catalog/consolidation';
import type { CatalogReader, PublicFiles } from '../../../functions/domain/catalog/ports';
import type { Dataset } from '../../../functions/domain/datasets/dataset';
import { builtinSchemas, getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { standardizeTable, type ByteSink } from '../../../functions/domain/standardize/standardize-table';
import type { Tenant } from '../../../functions/domain/tenants/tenant';
import { chunked } from '../standardize/helpers';
import { parseCsv } from '../schemas/read-table';
import { describeWithReference, readReferenceJson, referencePath, type OfficialSchema } from '../schemas/reference';
import { dataset } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../fixtures/publish');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

interface Published {
  tenantId: string;
  siren: string;
  schemaId: string;
  version: string;
  csv: string;
  json: Buffer;
}

/** Standardizes `bytes` as the platform does for a dataset of `schemaId` (the header picks the version). */
async function published(tenantId: string, siren: string, schemaId: string, bytes: Buffer): Promise<Published> {
  const schema = getBuiltinSchema(schemaId)!;
  const files: Record<string, Buffer[]> = {};
  const sink = (name: string): ByteSink => {
    files[name] = [];
    return { write: (c) => void files[name].push(Buffer.from(c)), end: async () => undefined, abort: async () => void delete files[name] };
  };
  const { report } = await standardizeTable(chunked(bytes), { schema, otherVersions: builtinSchemas.filter((d) => d.id === schemaId && d !== schema), sinks: sink });
  expect([tenantId, report.errorCount]).toEqual([tenantId, 0]);
  return { tenantId, siren, schemaId, version: report.schema!.version!, csv: Buffer.concat(files['data.csv']).toString('utf8'), json: Buffer.concat(files['data.json']) };
}

const OPERATOR: Tenant = { id: 'haute-garonne', name: 'Département de la Haute-Garonne', kind: 'departement', siren: '223100017' } as Tenant;

/** rebuildSchema over in-memory ports; returns the files written and the département's dataset. */
async function consolidate(schemaId: string, tenants: readonly Published[]) {
  const stored = new Map<string, Buffer>();
  const datasets: Dataset[] = tenants.map((t) => {
    const key = `datasets/${t.tenantId}/jeu/v1/data.json`;
    stored.set(key, t.json);
    return dataset(t.tenantId, 'jeu', {
      schemaId,
      schemaVersion: t.version,
      distributions: [{ format: 'json', key, mediaType: 'application/json; charset=utf-8', bytes: t.json.length, sha256: '0'.repeat(64) }],
    });
  });
  const tenantOf = (id: string) => (id === OPERATOR.id ? OPERATOR : ({ id, kind: 'commune', siren: tenants.find((t) => t.tenantId === id)?.siren } as Tenant));
  const reader = {
    datasetsOfSchema: async () => datasets,
    getTenant: async (id: string) => tenantOf(id),
    listTenants: async () => [OPERATOR],
    getDataset: async () => undefined,
    getCustomSchema: async () => undefined,
  } as unknown as CatalogReader;
  const files: PublicFiles = {
    get: async (key) => stored.get(key),
    put: async (key, body) => void stored.set(key, Buffer.from(body)),
    delete: async (key) => void stored.delete(key),
  };
  const listed: Dataset[] = [];
  const jobs = { putConsolidatedDataset: async (d: Dataset) => void listed.push(d) };
  const deps = { reader, files, jobs, publicBaseUrl: 'https://donnees.example.fr', now: () => '2024-06-01T00:00:00.000Z' } as unknown as RebuildDeps;
  await rebuildSchema(deps, schemaId, 1);
  const prefix = consolidatedPrefix(schemaId);
  return {
    csv: stored.get(prefix + 'data.csv')!.toString('utf8'),
    json: JSON.parse(stored.get(prefix + 'data.json')!.toString('utf8')) as Record<string, unknown>[],
    listed: listed[0],
  };
}

const lines = (csv: string) => csv.split('\r\n').filter((l) => l !== '');

interface BalVerdict {
  profile: string;
  profilesValidation: Record<string, { isValid: boolean }>;
  profilErrors: { code: string; level: string }[];
  fileValidation: { delimiter: { value: string; isValid: boolean } };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validateur = require('@ban-team/validateur-bal') as { validate(file: Buffer, options?: { profile?: string }): Promise<BalVerdict> };

/** validateur-bal offline (as bench/contenders.ts runs it): its BAN look-ups fail at once, and it says so on the console. */
async function validateBal(csv: string): Promise<{ profile: string; valid: boolean; errors: string[]; delimiter: string; codes: string[] }> {
  const fetch = globalThis.fetch;
  globalThis.fetch = () => Promise.reject(new Error('network disabled in tests'));
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const v = await validateur.validate(Buffer.from(csv, 'utf8'));
    return {
      profile: v.profile,
      valid: v.profilesValidation[v.profile].isValid,
      errors: v.profilErrors.filter((e) => e.level === 'E').map((e) => e.code),
      delimiter: v.fileValidation.delimiter.value,
      codes: v.profilErrors.map((e) => e.code),
    };
  } finally {
    globalThis.fetch = fetch;
    quiet.mockRestore();
  }
}

/** Another commune's BAL: its own INSEE code, name and BAN ids. */
function otherCommune(bal: Buffer): Buffer {
  return Buffer.from(
    bal
      .toString('utf8')
      .replace(/31458/g, '31113')
      .replace(/Roques/g, 'Castanet-Tolosan')
      .replace(/\b[0-9a-f]{8}-/g, (id) => `ab${id.slice(2)}`),
    'utf8',
  );
}

/** The 1.4 fixture with its BAN id cells emptied (allowed in 1.4: `1.4-ids-ban-empty.csv`). */
function withoutBanIds(bal14: Buffer): Buffer {
  const [header, ...rows] = bal14.toString('utf8').split(/\r?\n/);
  const ids = header.split(';').flatMap((h, i) => (h.startsWith('id_ban_') ? [i] : []));
  return Buffer.from([header, ...rows.map((r) => (r === '' ? r : r.split(';').map((c, i) => (ids.includes(i) ? '' : c)).join(';')))].join('\n'), 'utf8');
}

const SIREN = '213104581';

describe('consolidated data.csv: each tenant row as its own data.csv writes it', () => {
  it.each([
    ['scdl/subventions', 'subventions.csv', ','],
    ['scdl/deliberations', 'deliberations.csv', ','],
    ['scdl/equipements', 'equipements.csv', ','],
    ['scdl/prenoms', 'prenoms.csv', ','],
    ['decp', 'decp.csv', ','],
    ['bal', 'bal.csv', ';'],
  ])('%s (%s): the schema delimiter, its own true/false values and formats', async (schemaId, file, d) => {
    const own = await published('roques', SIREN, schemaId, fixture(file));
    const { csv } = await consolidate(schemaId, [own]);
    const mine = parseCsv(own.csv, d);
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(parseCsv(csv, d)).toEqual({ header: ['publisher_id', 'publisher_siren', ...mine.header], rows: mine.rows.map((r) => ['roques', SIREN, ...r]) });
    // The header line, byte for byte, and CRLF line ends as the tenant's file has them.
    expect(csv.slice(0, csv.indexOf('\r\n'))).toBe(`publisher_id${d}publisher_siren${d}${own.csv.slice(0, own.csv.indexOf('\r\n'))}`);
  });

  it('subventions: notificationUE is written oui/non, as the schema says (not true/false)', async () => {
    const { csv } = await consolidate('scdl/subventions', [await published('roques', SIREN, 'scdl/subventions', fixture('subventions.csv'))]);
    const { header, rows } = parseCsv(csv, ',');
    const at = header.indexOf('notificationUE');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(['oui', 'non']).toContain(r[at]);
  });
});

describe('consolidated BAL of a 1.4 and a 1.5 commune', () => {
  let bal14: Published;
  let bal15: Published;
  let built: Awaited<ReturnType<typeof consolidate>>;

  beforeAll(async () => {
    bal14 = await published('commune-14', SIREN, 'bal', fixture('bal-1.4.csv'));
    bal15 = await published('commune-15', SIREN, 'bal', fixture('bal.csv'));
    expect([bal14.version, bal15.version]).toEqual(['1.4', '1.5']);
    built = await consolidate('bal', [bal14, bal15]);
  });

  it('is a BAL 1.5 file: `;`, the 1.5 columns in order after the publisher, certification 1/0', () => {
    const [header, ...rows] = lines(built.csv);
    expect(header).toBe(`publisher_id;publisher_siren;${getBuiltinSchema('bal', '1.5')!.fields.map((f) => f.name).join(';')}`);
    expect(rows).toHaveLength(lines(bal14.csv).length - 1 + lines(bal15.csv).length - 1);
    for (const r of rows) expect(r.split(';').at(-1)).toMatch(/^[01]$/);
    expect(built.listed).toMatchObject({ schemaId: 'bal', schemaVersion: '1.5', consolidationOf: 'bal' });
    expect(built.listed.description).toContain('version 1.4 y sont donnés en version 1.5 (voie_nom devient toponyme, cle_interop, absente de cette version, est omise)');
  });

  it('reads each 1.4 row in 1.5: voie_nom is its toponyme, cle_interop is left out, every other cell as the commune wrote it', () => {
    const [own14, ...rows14] = lines(bal14.csv).map((l) => l.split(';'));
    const names15 = lines(bal15.csv)[0].split(';');
    const want = rows14.map((cells) => {
      const byName = Object.fromEntries(own14.map((n, i) => [n, cells[i]]));
      return ['commune-14', SIREN, ...names15.map((n) => byName[n === 'toponyme' ? 'voie_nom' : n])].join(';');
    });
    expect(lines(built.csv).filter((l) => l.startsWith('commune-14;'))).toEqual(want);
    for (const r of built.json.filter((r) => r.publisher_id === 'commune-14')) {
      expect(r).toMatchObject({ toponyme: 'Place de la Mairie', certification_commune: true });
      expect(Object.keys(r).filter((k) => k === 'voie_nom' || k === 'cle_interop')).toEqual([]);
    }
  });

  it('gets from validateur-bal the verdict of the communes own files: valid, no error, `;`', async () => {
    expect(await validateBal(bal14.csv)).toMatchObject({ profile: '1.4', valid: true, errors: [] });
    expect(await validateBal(bal15.csv)).toMatchObject({ profile: '1.5', valid: true, errors: [] });
    const verdict = await validateBal(built.csv);
    expect(verdict).toMatchObject({ profile: '1.5', valid: true, errors: [], delimiter: ';' });
    expect(verdict.codes).not.toContain('certification_commune.valeur_invalide');
    expect(verdict.codes).not.toContain('row.different_voie_nom_with_same_id_ban_toponyme');
  });
});

describe('validateur-bal rules that hold for one commune file only (a BAL is one commune)', () => {
  it('two communes, each valid with its own BAN commune id: `rows.multi_id_ban_commune`, and nothing else', async () => {
    const a = await published('commune-a', SIREN, 'bal', fixture('bal.csv'));
    const b = await published('commune-b', SIREN, 'bal', otherCommune(fixture('bal.csv')));
    expect(await validateBal(a.csv)).toMatchObject({ valid: true, errors: [] });
    expect(await validateBal(b.csv)).toMatchObject({ valid: true, errors: [] });
    expect(await validateBal((await consolidate('bal', [a, b])).csv)).toMatchObject({ profile: '1.5', errors: ['rows.multi_id_ban_commune'], delimiter: ';' });
  });

  it('a 1.4 commune without BAN ids next to one with them: `rows.every_line_required_id_ban`, and nothing else (no id is made up)', async () => {
    const without = await published('commune-sans-ids', SIREN, 'bal', withoutBanIds(fixture('bal-1.4.csv')));
    const withIds = await published('commune-15', SIREN, 'bal', fixture('bal.csv'));
    expect(await validateBal(without.csv)).toMatchObject({ profile: '1.4', valid: true, errors: [] });
    const { csv } = await consolidate('bal', [without, withIds]);
    expect(lines(csv).filter((l) => l.startsWith('commune-sans-ids;')).every((l) => l.split(';').slice(2, 5).join('') === '')).toBe(true);
    expect(await validateBal(csv)).toMatchObject({ profile: '1.5', errors: ['rows.every_line_required_id_ban'] });
  });
});

describe('BAL 1.4 rows in 1.5', () => {
  it('a language variant follows its column (voie_nom_bre → toponyme_bre); other names stay', () => {
    const upgrade = versionUpgrade('bal', '1.4', '1.5');
    const row = { voie_nom: 'Rue Haute', voie_nom_bre: 'Straed Uhel', voie_nom_oc: 'Carrièra', voie_nomination: 'x', cle_interop: '31591_xxxx_00009' };
    expect(upgradeRow(row, upgrade)).toEqual({ toponyme: 'Rue Haute', toponyme_bre: 'Straed Uhel', toponyme_oc: 'Carrièra', voie_nomination: 'x' });
  });
});

describeWithReference('BAL 1.4 → 1.5 against the official schemas', () => {
  const v14 = readReferenceJson<OfficialSchema>('bal', 'schema-v1.4.json');
  const v15 = readReferenceJson<OfficialSchema>('bal', 'schema-v1.5.json');

  it('renaming voie_nom and dropping cle_interop turns the 1.4 columns into exactly the 1.5 ones, in order', () => {
    const upgrade = versionUpgrade('bal', '1.4', '1.5');
    const row = Object.fromEntries(v14.fields.map((f) => [f.name, f.name]));
    expect(Object.keys(upgradeRow(row, upgrade))).toEqual(v15.fields.map((f) => f.name));
  });

  it('a renamed column keeps its definition (type and constraints); the others are unchanged but for the required BAN ids', () => {
    const upgrade = versionUpgrade('bal', '1.4', '1.5')!;
    const byName = new Map(v15.fields.map((f) => [f.name, f]));
    for (const f of v14.fields) {
      if (upgrade.dropped.includes(f.name)) continue;
      const g = byName.get(upgrade.renamed[f.name] ?? f.name)!;
      expect([f.name, f.type, f.format]).toEqual([f.name, g.type, g.format]);
      if (!['id_ban_commune', 'id_ban_toponyme'].includes(f.name)) expect([f.name, f.constraints]).toEqual([f.name, g.constraints]);
    }
  });

  it('the consolidated BAL, publisher columns aside, is valid against the official 1.5 schema (tableschema)', async () => {
    const rows = [await published('commune-14', SIREN, 'bal', fixture('bal-1.4.csv')), await published('commune-15', SIREN, 'bal', fixture('bal.csv'))];
    const bal = lines((await consolidate('bal', rows)).csv).map((l) => l.split(';').slice(2).join(';'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Table } = require('tableschema') as {
      Table: { load(source: unknown, opts: object): Promise<{ read(opts: { forceCast: boolean }): Promise<(unknown[] | { errors?: { message: string }[]; message: string })[]> }> };
    };
    const schema = JSON.parse(readFileSync(referencePath('bal', 'schema-v1.5.json'), 'utf8')) as OfficialSchema;
    const descriptor = { ...schema, fields: schema.fields.map((f) => (f.constraints?.pattern ? { ...f, constraints: { ...f.constraints, pattern: `^(?:${String(f.constraints.pattern)})$` } } : f)) };
    const table = await Table.load(bal.map((l) => l.split(';')), { schema: descriptor });
    const read = await table.read({ forceCast: true });
    expect(read.length).toBe(bal.length - 1);
    expect(read.flatMap((r, i) => (Array.isArray(r) ? [] : [`ligne ${i + 2}: ${(r.errors ?? [r]).map((e) => e.message).join(' | ')}`]))).toEqual([]);
  });
});
