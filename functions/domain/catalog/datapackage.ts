/**
 * A Frictionless Data Package per tenant: one tabular resource per published dataset (its
 * `latest` CSV, with size, SHA-256 and the official Table Schema URL when there is one).
 */
import type { CatalogItem, Publisher } from './catalog-item';
import { LICENCE_IRIS } from './vocabularies';

export function tenantDataPackage(
  publisher: Publisher,
  items: readonly CatalogItem[],
  schemaUrl: (id: string, version?: string) => string | undefined,
): Record<string, unknown> {
  const licences = [...new Set(items.map((i) => i.licence))];
  return {
    profile: 'data-package',
    name: publisher.id,
    title: `Données publiées par ${publisher.name}`,
    contributors: [{ title: publisher.name, role: 'publisher' }],
    licenses: licences.map((l) => ({ name: l, path: LICENCE_IRIS[l] })),
    resources: items.flatMap((item) => {
      const csv = item.distributions.find((d) => d.format === 'csv');
      if (!csv) return [];
      const resource: Record<string, unknown> = {
        name: item.slug,
        title: item.title,
        profile: 'tabular-data-resource',
        path: csv.url,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        bytes: csv.bytes,
        hash: `sha256:${csv.sha256}`,
        licenses: [{ name: item.licence, path: LICENCE_IRIS[item.licence] }],
      };
      if (item.description) resource.description = item.description;
      const url = item.schema ? schemaUrl(item.schema.id, item.schema.version) : undefined;
      if (url) resource.schema = url;
      return [resource];
    }),
  };
}
