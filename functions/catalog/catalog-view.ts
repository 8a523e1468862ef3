/**
 * The catalogue as reusers see it, assembled from the store: shared by the catalog function
 * (HTTP) and the consolidate function (files written to the public bucket).
 */
import { buildDcatCatalog, type DcatPaging } from '../domain/catalog/dcat';
import { toCatalogItem, unknownPublisher, type CatalogItem, type Publisher } from '../domain/catalog/catalog-item';
import type { CatalogReader } from '../domain/catalog/ports';
import { SCDL_CATALOGUE_FIELDS, scdlCatalogueRow } from '../domain/catalog/scdl-catalogue';
import type { Dataset } from '../domain/datasets/dataset';
import type { TableSchemaDescriptor } from '../domain/schema/types';
import { builtinSchemas, getBuiltinSchema } from '../domain/schemas/registry';
import { CsvWriter } from '../domain/standardize/write/csv-writer';
import type { Tenant } from '../domain/tenants/tenant';

export function toPublisher(tenant: Tenant | undefined, id: string): Publisher {
  if (!tenant) return unknownPublisher(id);
  const p: Publisher = { id: tenant.id, name: tenant.name, kind: tenant.kind, siren: tenant.siren };
  const siret = (tenant as Tenant & { siret?: unknown }).siret;
  if (typeof siret === 'string') p.siret = siret;
  return p;
}

export interface CatalogSnapshot {
  items: CatalogItem[];
  tenants: Map<string, Tenant>;
}

interface CachedSnapshot {
  revision: number;
  publicBaseUrl: string;
  snapshot: CatalogSnapshot;
}

const snapshots = new WeakMap<CatalogReader, CachedSnapshot>();

/**
 * Every published dataset with its publisher. A warm function keeps the last snapshot and
 * reuses it while the catalogue revision (one GetItem) has not moved; otherwise two
 * paginated Queries (tenants, GSI1 CATALOG) rebuild it. Snapshots are shared: never mutate.
 */
export async function loadCatalog(reader: CatalogReader, publicBaseUrl: string): Promise<CatalogSnapshot> {
  const revision = await reader.catalogRevision();
  const hit = snapshots.get(reader);
  if (hit && hit.revision === revision && hit.publicBaseUrl === publicBaseUrl) return hit.snapshot;
  const snapshot = await fetchCatalog(reader, publicBaseUrl);
  snapshots.set(reader, { revision, publicBaseUrl, snapshot });
  return snapshot;
}

async function fetchCatalog(reader: CatalogReader, publicBaseUrl: string): Promise<CatalogSnapshot> {
  const [tenantList, datasets] = await Promise.all([reader.listTenants(), reader.listPublished()]);
  const tenants = new Map(tenantList.map((t) => [t.id, t]));
  const items = datasets
    .filter((d: Dataset) => d.status === 'published')
    .map((d) => toCatalogItem(d, toPublisher(tenants.get(d.tenantId), d.tenantId), publicBaseUrl));
  return { items, tenants };
}

/** The département that runs the platform: the first tenant of kind `departement`. */
export function operatorOf(tenants: Iterable<Tenant>): Tenant | undefined {
  for (const t of tenants) if (t.kind === 'departement') return t;
  return undefined;
}

/** Built-in and registered schemas, by id then version (current first). */
export async function loadSchemas(reader: CatalogReader): Promise<TableSchemaDescriptor[]> {
  const custom = await reader.listCustomSchemas();
  const builtinIds = new Set(builtinSchemas.map((s) => s.id));
  return [...builtinSchemas, ...custom.filter((s) => !builtinIds.has(s.id))];
}

/**
 * The official URL of a schema version (`dct:conformsTo`): the built-in's, else the
 * schema.data.gouv.fr URL for SCDL ids, else the registered schema's.
 */
export function schemaUrlResolver(custom: readonly TableSchemaDescriptor[]) {
  return (id: string, version?: string): string | undefined => {
    const exact = version === undefined ? getBuiltinSchema(id) : getBuiltinSchema(id, version);
    if (exact?.url) return exact.url;
    if (id.startsWith('scdl/') && version) return `https://schema.data.gouv.fr/schemas/${id}/${version}/schema.json`;
    const current = getBuiltinSchema(id);
    if (current?.url) return current.url;
    return custom.find((s) => s.id === id)?.url;
  };
}

/** A schema descriptor by id (and version): built-in first, else registered. */
export async function findSchema(reader: CatalogReader, id: string, version?: string): Promise<TableSchemaDescriptor | undefined> {
  const builtin = getBuiltinSchema(id, version) ?? getBuiltinSchema(id);
  if (builtin) return builtin;
  return (version !== undefined ? await reader.getCustomSchema(id, version) : undefined) ?? reader.getCustomSchema(id);
}

export function catalogInfo(snapshot: CatalogSnapshot, publicBaseUrl: string) {
  const operator = operatorOf(snapshot.tenants.values());
  const publisher = operator ? toPublisher(operator, operator.id) : { id: 'socle', name: 'Socle', kind: 'other' as const, siren: '' };
  return {
    id: `${publicBaseUrl.replace(/\/+$/, '')}/catalog`,
    title: operator ? `Catalogue des données ouvertes — ${operator.name}` : 'Catalogue des données ouvertes',
    description:
      'Jeux de données publiés par les collectivités du territoire (département, communes, intercommunalités) ' +
      'au format du Socle Commun des Données Locales, sous Licence Ouverte sauf mention contraire.',
    publisher,
  };
}

export function dcatDocument(snapshot: CatalogSnapshot, publicBaseUrl: string, custom: readonly TableSchemaDescriptor[], now: string, paging?: DcatPaging) {
  return buildDcatCatalog(catalogInfo(snapshot, publicBaseUrl), snapshot.items, {
    base: publicBaseUrl,
    now,
    schemaUrl: schemaUrlResolver(custom),
    paging,
  });
}

/** The SCDL catalogue CSV (RFC 4180, formula-neutralised by the shared writer). */
export function scdlCatalogueCsv(snapshot: CatalogSnapshot): string {
  const operator = operatorOf(snapshot.tenants.values());
  const writer = new CsvWriter(SCDL_CATALOGUE_FIELDS);
  let out = writer.header();
  const sorted = [...snapshot.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const item of sorted) {
    const coll = operator ? toPublisher(operator, operator.id) : item.publisher;
    out += writer.row(scdlCatalogueRow(item, coll));
  }
  return out + writer.footer();
}
