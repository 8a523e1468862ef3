/**
 * The territory the catalogue benchmark reads: 100 collectivités of Haute-Garonne × 10
 * datasets each. Tenants go through the admin API; three subventions datasets are published
 * for real through the upload path (one of them large, for the records scenarios); the
 * other datasets and their versions are written with the store the publish pipeline uses
 * (createDataset, putVersion, setCurrent), so the items have exactly the pipeline's layout
 * without standardizing a thousand files.
 *
 * The directly written datasets point at public files that are not there: the catalogue's
 * list and detail never read them, and they are written after the consolidation of the real
 * publishes has settled, so nothing else reads them either.
 */
import { prng } from './generate';
import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { demoSubventionsCsv } from '../lib/local/demo-data';
import type { Dataset, DatasetVersion, Distribution, Frequency, Licence } from '../functions/domain/datasets/dataset';
import { publicPrefix } from '../functions/domain/datasets/dataset';
import { luhnValid } from '../functions/domain/schema/luhn';
import type { TenantKind } from '../functions/domain/tenants/tenant';
import { DynamoDatasetStore } from '../functions/store/dynamodb/dataset-store';

/** Rows of the large published dataset (its data.json is about 30 MB, under the 64 MB records cache). */
export const BIG_ROWS = 50_000;

const COMMUNES = [
  'Toulouse', 'Colomiers', 'Tournefeuille', 'Muret', 'Blagnac', 'Plaisance-du-Touch', 'Cugnaux', 'Balma',
  'L’Union', 'Ramonville-Saint-Agne', 'Saint-Orens-de-Gameville', 'Castanet-Tolosan', 'Portet-sur-Garonne',
  'Villeneuve-Tolosane', 'Saint-Jean', 'Fonsorbes', 'Saint-Gaudens', 'Fenouillet', 'Aucamville', 'Léguevin',
  'Launaguet', 'Seysses', 'Frouzins', 'Grenade', 'Fronton', 'Castelginest', 'Pibrac', 'Cornebarrieu',
  'Auzeville-Tolosane', 'Escalquens', 'Labège', 'Quint-Fonsegrives', 'Revel', 'Villefranche-de-Lauragais',
  'Carbonne', 'Auterive', 'Roques', 'Saint-Lys', 'Eaunes', 'Pins-Justaret', 'Bruguières', 'Montrabé',
  'Beauzelle', 'Aussonne', 'Mondonville', 'Saint-Alban', 'Gratentour', 'Lespinasse', 'Bouloc',
  'Villemur-sur-Tarn', 'Cazères', 'Rieumes', 'Salies-du-Salat', 'Bagnères-de-Luchon', 'Montréjeau',
  'Nailloux', 'Caraman', 'Lanta', 'Verfeil', 'Saint-Jory', 'Lherm', 'Noé', 'Longages', 'Le Fauga',
  'Lavernose-Lacasse', 'Venerque', 'Labarthe-sur-Lèze', 'Lacroix-Falgarde', 'Vieille-Toulouse', 'Pechbonnieu',
  'Saint-Loup-Cammas', 'Rouffiac-Tolosan', 'Flourens', 'Drémil-Lafage', 'Mons', 'Beaupuy', 'Pin-Balma',
  'Saint-Geniès-Bellevue', 'Cépet', 'Castelmaurou', 'L’Isle-en-Dodon', 'Boulogne-sur-Gesse', 'Aspet',
  'Martres-Tolosane', 'Le Fousseret', 'Montesquieu-Volvestre', 'Rieux-Volvestre', 'Cintegabelle',
  'Montgiscard', 'Baziège', 'Ayguesvives', 'Avignonet-Lauragais', 'Saint-Félix-Lauragais', 'Miremont',
  'Grépiac', 'Lauzerville',
];

const EPCIS = ['Toulouse Métropole', 'Communauté d’agglomération du Sicoval', 'Communauté d’agglomération Le Muretain Agglo'];

export interface BenchTenant {
  id: string;
  name: string;
  kind: TenantKind;
  siren: string;
  inseeCode?: string;
}

const slugOf = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A SIREN with its Luhn key from an 8-digit base. */
function sirenOf(base: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(base + d)) return base + d;
  throw new Error('unreachable: one key digit always fits');
}

/** The département, 3 EPCIs and 96 communes: 100 tenants. */
export function benchTenants(): BenchTenant[] {
  const tenants: BenchTenant[] = [{ id: 'haute-garonne', name: 'Département de la Haute-Garonne', kind: 'departement', siren: '223100017' }];
  EPCIS.forEach((name, i) => tenants.push({ id: slugOf(name.replace(/^Communauté d’agglomération (du |de )?/, '')), name, kind: 'epci', siren: sirenOf(`243100${String(10 + i)}`) }));
  COMMUNES.forEach((name, i) =>
    tenants.push({ id: slugOf(name), name: `Commune de ${name}`, kind: 'commune', siren: sirenOf(`2131${String(i + 1).padStart(4, '0')}`), inseeCode: `31${String(3 + i * 5).padStart(3, '0')}` }),
  );
  if (tenants.length !== 100 || new Set(tenants.map((t) => t.id)).size !== 100) throw new Error(`bench: expected 100 distinct tenants, got ${tenants.length}`);
  return tenants;
}

interface Template {
  slug: string;
  title: (t: BenchTenant) => string;
  description: (t: BenchTenant) => string;
  schemaId: string;
  schemaVersion?: string;
  theme: string;
  keywords: string[];
  frequency: Frequency;
  licence?: Licence;
  geo?: boolean;
  versions: number;
}

const council = (t: BenchTenant) => (t.kind === 'commune' ? 'conseil municipal' : t.kind === 'epci' ? 'conseil communautaire' : 'conseil départemental');
const deliberations = (year: number, versions: number): Template => ({
  slug: `deliberations-${year}`,
  title: (t) => `Délibérations du ${council(t)} ${year}`,
  description: (t) => `Liste des délibérations adoptées en ${year} par le ${council(t)} (${t.name}) : date, objet, thème, résultat du vote et lien vers l’acte.`,
  schemaId: 'scdl/deliberations',
  schemaVersion: '2.1.5',
  theme: 'gouvernance',
  keywords: ['délibérations', 'actes administratifs', 'vie démocratique'],
  frequency: 'monthly',
  versions,
});
const subventions = (year: number, versions: number): Template => ({
  slug: `subventions-${year}`,
  title: () => `Subventions aux associations ${year}`,
  description: (t) => `Subventions attribuées en ${year} par ${t.name} aux associations et organismes : bénéficiaire, objet, montant, nature de l’aide.`,
  schemaId: 'scdl/subventions',
  schemaVersion: '2.1.1',
  theme: 'finances',
  keywords: ['subventions', 'associations', 'vie associative'],
  frequency: 'annual',
  versions,
});

const EXTRAS: Template[] = [
  {
    slug: 'bornes-recharge',
    title: () => 'Bornes de recharge pour véhicules électriques',
    description: (t) => `Points de recharge ouverts au public sur le territoire de ${t.name}, avec puissance et horaires.`,
    schemaId: 'none',
    theme: 'mobilite',
    keywords: ['mobilité', 'IRVE', 'véhicules électriques'],
    frequency: 'quarterly',
    licence: 'odbl-1.0',
    versions: 2,
  },
  {
    slug: 'arbres-remarquables',
    title: (t) => `Arbres remarquables de ${t.name.replace(/^Commune de /, '')}`,
    description: () => 'Inventaire des arbres remarquables : essence, hauteur, circonférence, localisation.',
    schemaId: 'none',
    theme: 'environnement',
    keywords: ['arbres', 'patrimoine naturel', 'biodiversité'],
    frequency: 'irregular',
    versions: 1,
  },
  {
    slug: 'collecte-dechets',
    title: () => 'Calendrier de collecte des déchets ménagers',
    description: (t) => `Jours de collecte des ordures ménagères et du tri sélectif par secteur, ${t.name}.`,
    schemaId: 'none',
    theme: 'environnement',
    keywords: ['déchets', 'collecte', 'tri sélectif'],
    frequency: 'annual',
    versions: 1,
  },
  {
    slug: 'horaires-services',
    title: () => 'Horaires d’ouverture des services au public',
    description: (t) => `Horaires de la mairie, de la médiathèque et des services techniques de ${t.name}.`,
    schemaId: 'none',
    theme: 'services',
    keywords: ['horaires', 'services publics', 'accueil'],
    frequency: 'irregular',
    licence: 'cc-by-4.0',
    versions: 1,
  },
];

/** Ten datasets per tenant; the tenth varies. */
function templatesFor(index: number): Template[] {
  return [
    deliberations(2024, 3),
    deliberations(2023, 1),
    subventions(2024, 2),
    subventions(2023, 1),
    {
      slug: 'marches-publics',
      title: () => 'Données essentielles des marchés publics',
      description: (t) => `Marchés publics et concessions conclus par ${t.name} (DECP) : acheteur, titulaires, montant, durée, procédure.`,
      schemaId: 'decp',
      schemaVersion: '2.0.3',
      theme: 'finances',
      keywords: ['marchés publics', 'commande publique', 'DECP'],
      frequency: 'quarterly',
      versions: 2,
    },
    {
      slug: 'equipements',
      title: (t) => `Équipements sportifs et culturels — ${t.name.replace(/^Commune de /, '')}`,
      description: () => 'Gymnases, piscines, stades, médiathèques et salles polyvalentes, avec leurs coordonnées.',
      schemaId: 'scdl/equipements',
      schemaVersion: '0.1.5',
      theme: 'equipements',
      keywords: ['équipements', 'sport', 'culture'],
      frequency: 'annual',
      geo: true,
      versions: 1,
    },
    {
      slug: 'adresses',
      title: (t) => `Base Adresse Locale — ${t.name.replace(/^Commune de /, '')}`,
      description: () => 'Adresses de la commune certifiées par la collectivité (BAL 1.5), versées à la Base Adresse Nationale.',
      schemaId: 'bal',
      schemaVersion: '1.5',
      theme: 'territoire',
      keywords: ['adresses', 'BAL', 'voies'],
      frequency: 'monthly',
      geo: true,
      versions: 2,
    },
    {
      slug: 'prenoms',
      title: () => 'Prénoms des nouveau-nés',
      description: (t) => `Prénoms déclarés à l’état civil de ${t.name}, par année et par sexe.`,
      schemaId: 'scdl/prenoms',
      schemaVersion: '1.1.6',
      theme: 'population',
      keywords: ['état civil', 'prénoms', 'naissances'],
      frequency: 'annual',
      versions: 1,
    },
    {
      slug: 'budget-primitif-2024',
      title: () => 'Budget primitif 2024',
      description: (t) => `Budget primitif 2024 de ${t.name} voté par chapitre et par article (nomenclature M57).`,
      schemaId: 'none',
      theme: 'finances',
      keywords: ['budget', 'comptes publics', 'M57'],
      frequency: 'annual',
      versions: 1,
    },
    EXTRAS[index % EXTRAS.length],
  ];
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function distributions(tenantId: string, slug: string, version: number, rows: number, geo: boolean): Distribution[] {
  const prefix = publicPrefix(tenantId, slug, version);
  const file = (name: string, format: Distribution['format'], mediaType: string, bytes: number): Distribution => ({
    format,
    key: prefix + name,
    mediaType,
    bytes,
    sha256: sha(prefix + name),
  });
  return [
    file('data.csv', 'csv', 'text/csv; charset=utf-8', 180 + rows * 210),
    file('data.json', 'json', 'application/json; charset=utf-8', 2 + rows * 480),
    ...(geo ? [file('data.geojson', 'geojson', 'application/geo+json; charset=utf-8', 60 + rows * 560)] : []),
    file('report.json', 'report', 'application/json; charset=utf-8', 420),
    file('datapackage.json', 'datapackage', 'application/json; charset=utf-8', 2600),
  ];
}

/** The datasets published for real: tenant, slug, rows (the first is the records scenarios' target). */
export const REAL_PUBLISHES = [
  { tenantId: 'toulouse', slug: 'subventions-2024', rows: BIG_ROWS },
  { tenantId: 'colomiers', slug: 'subventions-2024', rows: 1_000 },
  { tenantId: 'muret', slug: 'subventions-2024', rows: 200 },
] as const;

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function call(apiUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function createTenants(apiUrl: string, adminToken: string, tenants: BenchTenant[]): Promise<void> {
  await pool(tenants, 8, async (t) => {
    const res = await call(apiUrl, adminToken, 'POST', '/v1/admin/tenants', t);
    if (res.status !== 201) throw new Error(`bench seed: tenant ${t.id} answered ${res.status} ${JSON.stringify(res.json)}`);
  });
}

/** Create, request an upload URL, PUT the file, poll until published (as a commune does). */
export async function publishSubventions(apiUrl: string, adminToken: string, tenant: BenchTenant, slug: string, rows: number): Promise<void> {
  const base = `/v1/tenants/${tenant.id}/datasets`;
  const tpl = subventions(2024, 1);
  const created = await call(apiUrl, adminToken, 'POST', base, {
    slug,
    title: tpl.title(tenant),
    description: tpl.description(tenant),
    schema: 'scdl/subventions',
    keywords: tpl.keywords,
    theme: tpl.theme,
    frequency: tpl.frequency,
  });
  if (created.status !== 201) throw new Error(`bench seed: dataset ${tenant.id}/${slug} answered ${created.status} ${JSON.stringify(created.json)}`);
  const bytes = demoSubventionsCsv({ attribuant: tenant.name, siren: tenant.siren, year: 2024, rows });
  const ticket = await call(apiUrl, adminToken, 'POST', `${base}/${slug}/uploads`, { filename: `export-compta-2024.csv`, contentType: 'text/csv', size: bytes.length });
  if (ticket.status !== 201) throw new Error(`bench seed: upload ${tenant.id}/${slug} answered ${ticket.status} ${JSON.stringify(ticket.json)}`);
  const put = await fetch(ticket.json.url as string, { method: 'PUT', headers: ticket.json.headers as Record<string, string>, body: bytes });
  await put.arrayBuffer();
  if (!put.ok) throw new Error(`bench seed: PUT ${tenant.id}/${slug} answered ${put.status}`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const state = await call(apiUrl, adminToken, 'GET', `${base}/${slug}/uploads/${ticket.json.uploadId as string}`);
    if (state.json.status === 'published') return;
    if (['rejected', 'failed', 'duplicate'].includes(String(state.json.status)) || Date.now() > deadline) {
      throw new Error(`bench seed: ${tenant.id}/${slug} not published: ${JSON.stringify(state.json).slice(0, 2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every dataset except the really published ones, written with the pipeline's store. Returns how many. */
export async function writeDatasets(table: string, tenants: BenchTenant[]): Promise<{ datasets: number; versions: number }> {
  const store = new DynamoDatasetStore(table);
  const random = prng(31);
  const real = new Set(REAL_PUBLISHES.map((r) => `${r.tenantId}/${r.slug}`));
  const jobs: { tenant: BenchTenant; tpl: Template }[] = [];
  tenants.forEach((tenant, i) => {
    for (const tpl of templatesFor(i)) if (!real.has(`${tenant.id}/${tpl.slug}`)) jobs.push({ tenant, tpl });
  });
  // Publication dates between 2023-01-01 and 2025-06-30, versions a few weeks apart.
  const start = Date.parse('2023-01-01T08:00:00Z');
  const span = Date.parse('2025-06-30T18:00:00Z') - start;
  const plans = jobs.map(({ tenant, tpl }) => ({ tenant, tpl, at: start + random() * span * 0.85, rows: 10 + Math.floor(random() * 2_000) }));
  let versions = 0;
  await pool(plans, 16, async ({ tenant, tpl, at, rows }) => {
    const createdAt = new Date(at).toISOString();
    const dataset: Dataset = {
      tenantId: tenant.id,
      slug: tpl.slug,
      title: tpl.title(tenant),
      description: tpl.description(tenant),
      schemaId: tpl.schemaId,
      ...(tpl.schemaVersion ? { schemaVersion: tpl.schemaVersion } : {}),
      licence: tpl.licence ?? 'etalab-2.0',
      keywords: tpl.keywords,
      theme: tpl.theme,
      frequency: tpl.frequency,
      status: 'draft',
      latestVersion: tpl.versions,
      createdAt,
      updatedAt: createdAt,
    };
    await store.createDataset(dataset);
    for (let v = 1; v <= tpl.versions; v++) {
      const when = new Date(at + (v - 1) * 21 * 86_400_000).toISOString();
      const rowCount = rows + (v - 1) * 37;
      const warnings = v % 2;
      const uploadId = ulid(Date.parse(when));
      const version: DatasetVersion = {
        tenantId: tenant.id,
        slug: tpl.slug,
        version: v,
        uploadId,
        sourceSha256: sha(`${tenant.id}/${tpl.slug}/${v}`),
        sourceFilename: `${tpl.slug}-v${v}.csv`,
        archivePrefix: `archive/${tenant.id}/${tpl.slug}/${uploadId}/`,
        schemaId: tpl.schemaId,
        ...(tpl.schemaVersion ? { schemaVersion: tpl.schemaVersion } : {}),
        rowCount,
        distributions: distributions(tenant.id, tpl.slug, v, rowCount, tpl.geo ?? false),
        report: { valid: true, rowCount, errorCount: 0, warningCount: warnings, codes: warnings ? { 'blank-row': warnings } : {} },
        createdAt: when,
      };
      await store.putVersion(version);
      if (!(await store.setCurrent(version, when, { uploadId: version.uploadId }))) throw new Error(`bench seed: setCurrent ${tenant.id}/${tpl.slug} v${v} refused`);
      versions++;
    }
  });
  return { datasets: plans.length, versions };
}
