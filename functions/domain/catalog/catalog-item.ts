import type { Dataset, DistributionFormat, Frequency, Licence } from '../datasets/dataset';
import type { TenantKind } from '../tenants/tenant';
import { foldText } from './text';

/** Who publishes a dataset, as reusers see it. */
export interface Publisher {
  id: string;
  name: string;
  kind: TenantKind | 'unknown';
  siren: string;
  /** Head-office SIRET, when the tenant item carries one (needed by the SCDL catalogue). */
  siret?: string;
}

export interface CatalogDistribution {
  format: DistributionFormat;
  /** Absolute URL of the file (the moving `latest` copy, or the consolidated file). */
  url: string;
  /** Absolute URL of this version's immutable copy, when the key is versioned. */
  versionUrl?: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

/** A published dataset as the public catalogue shows it. */
export interface CatalogItem {
  /** `<tenant>/<slug>`: stable, used as `dct:identifier`. */
  id: string;
  tenantId: string;
  slug: string;
  title: string;
  description?: string;
  publisher: Publisher;
  schema: { id: string; version?: string } | null;
  licence: Licence;
  keywords: string[];
  theme?: string;
  frequency?: Frequency;
  temporalCoverage?: { start?: string; end?: string };
  rowCount?: number;
  currentVersion?: number;
  /** When the current version was published (ISO). */
  modified: string;
  createdAt: string;
  /** Set on the territory-wide file of one schema, built by the consolidation. */
  consolidationOf?: string;
  distributions: CatalogDistribution[];
}

/** The attribute the consolidation sets on the département's dataset of a schema. */
export interface ConsolidatedMarker {
  consolidationOf?: string;
}

export function publicUrl(base: string, key: string): string {
  return `${base.replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export function unknownPublisher(tenantId: string): Publisher {
  return { id: tenantId, name: tenantId, kind: 'unknown', siren: '' };
}

/**
 * The `latest` key of a versioned distribution key: `datasets/t/s/v3/data.csv` →
 * `datasets/t/s/latest/data.csv`. Reusers get the moving URL; the checksum is the
 * current version's, which `latest` holds (but for a data package rewritten with newer
 * metadata: Dataset › latestPackage).
 */
export function latestKey(key: string): string {
  return key.replace(/^(datasets\/[^/]+\/[^/]+\/)v\d+\//, '$1latest/');
}

export function toCatalogItem(dataset: Dataset & ConsolidatedMarker, publisher: Publisher, publicBaseUrl: string): CatalogItem {
  const item: CatalogItem = {
    id: `${dataset.tenantId}/${dataset.slug}`,
    tenantId: dataset.tenantId,
    slug: dataset.slug,
    title: dataset.title,
    publisher,
    schema: dataset.schemaId && dataset.schemaId !== 'none' ? { id: dataset.schemaId, version: dataset.schemaVersion } : null,
    licence: dataset.licence ?? 'etalab-2.0',
    keywords: dataset.keywords ?? [],
    modified: dataset.modified ?? dataset.updatedAt,
    createdAt: dataset.createdAt,
    distributions: (dataset.distributions ?? []).map((d) => {
      const latest = latestKey(d.key);
      // `latest/datapackage.json` says the metadata as it is now: its own size and checksum once a PATCH changed them.
      const own = d.format === 'datapackage' && dataset.latestPackage?.version === dataset.currentVersion ? dataset.latestPackage : undefined;
      const out: CatalogDistribution = { format: d.format, url: publicUrl(publicBaseUrl, latest), mediaType: d.mediaType, bytes: own?.bytes ?? d.bytes, sha256: own?.sha256 ?? d.sha256 };
      if (latest !== d.key) out.versionUrl = publicUrl(publicBaseUrl, d.key);
      return out;
    }),
  };
  if (dataset.description) item.description = dataset.description;
  if (dataset.theme) item.theme = dataset.theme;
  if (dataset.frequency) item.frequency = dataset.frequency;
  if (dataset.temporalCoverage) item.temporalCoverage = dataset.temporalCoverage;
  if (dataset.rowCount !== undefined) item.rowCount = dataset.rowCount;
  if (dataset.currentVersion !== undefined) item.currentVersion = dataset.currentVersion;
  if (dataset.consolidationOf) item.consolidationOf = dataset.consolidationOf;
  return item;
}

/** What full-text search looks into, folded once per item. */
export function searchText(item: CatalogItem): string {
  return foldText([item.title, item.description ?? '', item.keywords.join(' '), item.publisher.name].join('\n'));
}
