/**
 * What one consolidation round writes: the territory file of a schema, or the catalogue
 * exports. Files are built in memory (a territory's current versions of one schema: tens
 * of MB at most) and written with their Content-Type, Content-Disposition and Cache-Control.
 */
import { createHash } from 'node:crypto';
import { dcatDocument, findSchema, loadCatalog, loadSchemas, operatorOf, scdlCatalogueCsv } from '../catalog/catalog-view';
import { consolidatedFields, consolidatedPrefix, consolidationSlug, EXPORT_KEYS, PUBLISHER_COLUMNS } from '../domain/catalog/consolidation';
import type { Row } from '../domain/catalog/records';
import type { CatalogReader, PublicFiles } from '../domain/catalog/ports';
import type { Dataset, Distribution, DistributionFormat } from '../domain/datasets/dataset';
import type { Value } from '../domain/schema/types';
import { CsvWriter } from '../domain/standardize/write/csv-writer';
import { GeoJsonWriter } from '../domain/standardize/write/geojson-writer';
import { JsonWriter } from '../domain/standardize/write/json-writer';
import type { TableWriter } from '../domain/standardize/write/table-writer';
import type { Tenant } from '../domain/tenants/tenant';
import type { DynamoConsolidationJobs } from '../store/dynamodb/catalog-consolidation-store';

export interface RebuildDeps {
  reader: CatalogReader;
  files: PublicFiles;
  jobs: DynamoConsolidationJobs;
  publicBaseUrl: string;
  now: () => string;
}

/** `latest` files move: caches may keep them a few minutes, not longer. */
const LATEST_CACHE = 'public, max-age=300';

function render(writer: TableWriter, rows: Iterable<readonly Value[]>): string {
  let out = writer.header();
  for (const r of rows) out += writer.row(r);
  return out + writer.footer();
}

async function writeFile(deps: RebuildDeps, key: string, format: DistributionFormat, body: string, contentType: string, filename: string): Promise<Distribution> {
  const bytes = Buffer.from(body, 'utf8');
  await deps.files.put(key, bytes, { contentType, filename, cacheControl: LATEST_CACHE });
  return { format, key, mediaType: contentType, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function rebuildSchema(deps: RebuildDeps, schemaId: string, generation: number): Promise<{ rows: number; datasets: number }> {
  const { reader, files } = deps;
  const descriptor = await findSchema(reader, schemaId);
  const datasets = (await reader.datasetsOfSchema(schemaId))
    .filter((d) => d.status === 'published' && d.currentVersion !== undefined && !(d as { consolidationOf?: string }).consolidationOf)
    .sort((a, b) => (`${a.tenantId}#${a.slug}` < `${b.tenantId}#${b.slug}` ? -1 : 1));

  const tenants = new Map<string, Tenant | undefined>();
  const parts: { dataset: Dataset; rows: Row[] }[] = [];
  const seen = new Set<string>();
  for (const dataset of datasets) {
    const json = dataset.distributions?.find((d) => d.format === 'json');
    const bytes = json ? await files.get(json.key) : undefined;
    if (!bytes) throw new Error(`consolidation ${schemaId}: data.json of ${dataset.tenantId}/${dataset.slug} v${dataset.currentVersion} missing`);
    const rows = JSON.parse(bytes.toString('utf8')) as Row[];
    if (rows.length > 0) for (const k of Object.keys(rows[0])) seen.add(k);
    parts.push({ dataset, rows });
    if (!tenants.has(dataset.tenantId)) tenants.set(dataset.tenantId, await reader.getTenant(dataset.tenantId));
  }

  const fields = consolidatedFields(descriptor?.fields.map((f) => f.name) ?? [], seen);
  const dataFields = fields.slice(PUBLISHER_COLUMNS.length);
  const values = function* (): Generator<Value[]> {
    for (const { dataset, rows } of parts) {
      const siren = tenants.get(dataset.tenantId)?.siren ?? null;
      for (const row of rows) yield [dataset.tenantId, siren, ...dataFields.map((f) => row[f] ?? null)];
    }
  };
  const rowCount = parts.reduce((n, p) => n + p.rows.length, 0);
  const prefix = consolidatedPrefix(schemaId);
  const base = `${schemaId.replace(/\//g, '-')}-consolide`;
  const distributions: Distribution[] = [
    await writeFile(deps, prefix + 'data.csv', 'csv', render(new CsvWriter(fields), values()), 'text/csv; charset=utf-8', `${base}.csv`),
    await writeFile(deps, prefix + 'data.json', 'json', render(new JsonWriter(fields), values()), 'application/json; charset=utf-8', `${base}.json`),
  ];
  if (descriptor?.geo) {
    const geo = render(new GeoJsonWriter(fields, descriptor.geo), values());
    distributions.push(await writeFile(deps, prefix + 'data.geojson', 'geojson', geo, 'application/geo+json; charset=utf-8', `${base}.geojson`));
  }

  // The file is listed in the catalogue as a dataset of the département.
  const operator = operatorOf(await reader.listTenants());
  if (operator) {
    const slug = consolidationSlug(schemaId);
    const existing = await reader.getDataset(operator.id, slug);
    const now = deps.now();
    const title = descriptor?.title ?? schemaId;
    await deps.jobs.putConsolidatedDataset(
      {
        tenantId: operator.id,
        slug,
        title: `${title} — fichier consolidé du territoire`,
        description:
          `Toutes les données « ${title} » publiées par les collectivités du territoire, en un seul fichier : ` +
          `la version courante de chaque jeu de données, précédée des colonnes publisher_id et publisher_siren ` +
          `(identifiant et SIREN de la collectivité qui publie).`,
        schemaId,
        ...(descriptor ? { schemaVersion: descriptor.version } : {}),
        licence: 'etalab-2.0',
        keywords: ['consolidation', 'territoire', schemaId],
        frequency: 'continuous',
        status: parts.length > 0 ? 'published' : 'unpublished',
        currentVersion: generation,
        latestVersion: generation,
        modified: now,
        rowCount,
        distributions,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        consolidationOf: schemaId,
      },
      parts.length > 0,
    );
  }
  return { rows: rowCount, datasets: parts.length };
}

/** DCAT (whole, unpaged) and the SCDL catalogue CSV, into `catalog/` of the public bucket. */
export async function rebuildExports(deps: RebuildDeps): Promise<void> {
  const snapshot = await loadCatalog(deps.reader, deps.publicBaseUrl);
  snapshot.items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const schemas = await loadSchemas(deps.reader);
  const dcat = JSON.stringify(dcatDocument(snapshot, deps.publicBaseUrl, schemas, deps.now()));
  await deps.files.put(EXPORT_KEYS.dcat, dcat, { contentType: 'application/ld+json; charset=utf-8', filename: 'dcat.jsonld', cacheControl: LATEST_CACHE });
  await deps.files.put(EXPORT_KEYS.scdlCatalogue, scdlCatalogueCsv(snapshot), {
    contentType: 'text/csv; charset=utf-8',
    filename: 'catalogue.csv',
    cacheControl: LATEST_CACHE,
  });
}
