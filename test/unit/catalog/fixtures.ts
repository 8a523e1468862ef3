import { toCatalogItem, type CatalogItem, type Publisher } from '../../../functions/domain/catalog/catalog-item';
import type { Dataset } from '../../../functions/domain/datasets/dataset';

export const BASE = 'https://donnees.example.fr';

export const PUBLISHERS: Record<string, Publisher> = {
  'haute-garonne': { id: 'haute-garonne', name: 'Département de la Haute-Garonne', kind: 'departement', siren: '223100017', siret: '22310001700019' },
  roques: { id: 'roques', name: 'Commune de Roques', kind: 'commune', siren: '213104581', siret: '21310458100011' },
  sicoval: { id: 'sicoval', name: 'Sicoval', kind: 'epci', siren: '243100518', siret: '24310051800014' },
};

export function dataset(tenantId: string, slug: string, extra: Partial<Dataset> = {}): Dataset {
  const v = extra.currentVersion ?? 1;
  const prefix = `datasets/${tenantId}/${slug}/v${v}/`;
  return {
    tenantId,
    slug,
    title: `Jeu ${slug}`,
    schemaId: 'scdl/deliberations',
    schemaVersion: '2.1.5',
    licence: 'etalab-2.0',
    keywords: [],
    status: 'published',
    currentVersion: v,
    latestVersion: v,
    modified: '2024-05-01T10:00:00.000Z',
    rowCount: 3,
    distributions: [
      { format: 'csv', key: prefix + 'data.csv', mediaType: 'text/csv; charset=utf-8', bytes: 120, sha256: 'a'.repeat(64) },
      { format: 'json', key: prefix + 'data.json', mediaType: 'application/json; charset=utf-8', bytes: 300, sha256: 'b'.repeat(64) },
      { format: 'datapackage', key: prefix + 'datapackage.json', mediaType: 'application/json; charset=utf-8', bytes: 900, sha256: 'c'.repeat(64) },
    ],
    createdAt: '2024-01-15T08:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    ...extra,
  };
}

export function item(tenantId: string, slug: string, extra: Partial<Dataset> = {}): CatalogItem {
  return toCatalogItem(dataset(tenantId, slug, extra), PUBLISHERS[tenantId] ?? { id: tenantId, name: tenantId, kind: 'commune', siren: '213104581' }, BASE);
}
