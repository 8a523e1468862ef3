/**
 * What one consolidation round writes: the territory file of a schema, or the catalogue
 * exports. Files are built in memory (a territory's current versions of one schema: tens
 * of MB at most) and written with their Content-Type, Content-Disposition and Cache-Control.
 */
import { createHash } from 'node:crypto';
import { dcatDocument, findSchema, loadCatalog, loadSchemas, operatorOf, scdlCatalogueCsv } from '../catalog/catalog-view';
import { consolidatedFields, consolidatedPrefix, consolidationSlug, csvCells, EXPORT_KEYS, PUBLISHER_COLUMNS, upgradeRow, versionUpgrade, type VersionUpgrade } from '../domain/catalog/consolidation';
import type { Row } from '../domain/catalog/records';
import type { CatalogReader, PublicFiles } from '../domain/catalog/ports';
import type { Dataset, Distribution, DistributionFormat } from '../domain/datasets/dataset';
import { compileSchema } from '../domain/schema/compile';
import type { TableSchemaDescriptor, Value } from '../domain/schema/types';
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

/** ` (voie_nom devient toponyme, cle_interop est omise)`. */
function upgradeNote(u: VersionUpgrade): string {
  const parts = [...Object.entries(u.renamed).map(([from, to]) => `${from} devient ${to}`), ...u.dropped.map((f) => `${f}, absente de cette version, est omise`)];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
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
  /** The version each dataset was published in, by version (its formats serve fields the current version lacks). */
  const versions = new Map<string, TableSchemaDescriptor | undefined>([[descriptor?.version ?? '', descriptor]]);
  const parts: { dataset: Dataset; rows: Row[]; own: TableSchemaDescriptor | undefined }[] = [];
  const seen = new Set<string>();
  /** Earlier versions whose rows were read in the current one, for the description. */
  const upgraded = new Map<string, VersionUpgrade>();
  for (const dataset of datasets) {
    const json = dataset.distributions?.find((d) => d.format === 'json');
    const bytes = json ? await files.get(json.key) : undefined;
    if (!bytes) throw new Error(`consolidation ${schemaId}: data.json of ${dataset.tenantId}/${dataset.slug} v${dataset.currentVersion} missing`);
    // Rows of an earlier version (BAL 1.4) are read under the current version's names (BAL 1.5).
    const upgrade = versionUpgrade(schemaId, dataset.schemaVersion, descriptor?.version);
    const rows = (JSON.parse(bytes.toString('utf8')) as Row[]).map((row) => upgradeRow(row, upgrade));
    if (upgrade && dataset.schemaVersion) upgraded.set(dataset.schemaVersion, upgrade);
    if (rows.length > 0) for (const k of Object.keys(rows[0])) seen.add(k);
    const version = dataset.schemaVersion ?? descriptor?.version ?? '';
    if (!versions.has(version)) versions.set(version, await findSchema(reader, schemaId, version));
    parts.push({ dataset, rows, own: versions.get(version) });
    if (!tenants.has(dataset.tenantId)) tenants.set(dataset.tenantId, await reader.getTenant(dataset.tenantId));
  }

  const fields = consolidatedFields(descriptor?.fields.map((f) => f.name) ?? [], seen);
  const dataFields = fields.slice(PUBLISHER_COLUMNS.length);
  const typed = (row: Row): Value[] => dataFields.map((f) => row[f] ?? null);
  // The CSV is written as each tenant's own data.csv is: the schema's true/false values and formats, its delimiter (`;` for a BAL).
  const formatters = new Map<TableSchemaDescriptor | undefined, (row: Row) => Value[]>();
  const csvCellsOf = (own: TableSchemaDescriptor | undefined) => {
    let cells = formatters.get(own);
    if (!cells) {
      const schemas = [...new Set([descriptor, own])].filter((d) => d !== undefined).map(compileSchema);
      formatters.set(own, (cells = csvCells(dataFields, schemas)));
    }
    return cells;
  };
  const values = function* (csv: boolean): Generator<Value[]> {
    for (const { dataset, rows, own } of parts) {
      const siren = tenants.get(dataset.tenantId)?.siren ?? null;
      const cells = csv ? csvCellsOf(own) : typed;
      for (const row of rows) yield [dataset.tenantId, siren, ...cells(row)];
    }
  };
  const rowCount = parts.reduce((n, p) => n + p.rows.length, 0);
  const prefix = consolidatedPrefix(schemaId);
  const base = `${schemaId.replace(/\//g, '-')}-consolide`;
  const csv = new CsvWriter(fields, { delimiter: descriptor?.outputDelimiter ?? ',' });
  const distributions: Distribution[] = [
    await writeFile(deps, prefix + 'data.csv', 'csv', render(csv, values(true)), 'text/csv; charset=utf-8', `${base}.csv`),
    await writeFile(deps, prefix + 'data.json', 'json', render(new JsonWriter(fields), values(false)), 'application/json; charset=utf-8', `${base}.json`),
  ];
  if (descriptor?.geo) {
    const geo = render(new GeoJsonWriter(fields, descriptor.geo), values(false));
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
          `(identifiant et SIREN de la collectivité qui publie)` +
          [...upgraded].map(([from, u]) => ` ; les jeux publiés en version ${from} y sont donnés en version ${descriptor?.version ?? ''}${upgradeNote(u)}`).join('') +
          '.',
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
