/**
 * DCAT-AP 3 catalogue in JSON-LD, with the context inlined (no remote fetch needed to read
 * it). Every dataset has a stable `@id` under the public files' base URL and a
 * `dct:identifier` `<tenant>/<slug>`; every distribution one IRI per file. Large catalogues
 * are paged with a Hydra `PartialCollectionView`.
 */
import type { CatalogItem, Publisher } from './catalog-item';
import { publicUrl } from './catalog-item';
import { FILE_TYPE_IRIS, FREQUENCY_IRIS, LICENCE_IRIS, mediaTypeIri } from './vocabularies';

export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  'dct:modified': { '@type': 'xsd:dateTime' },
  'dct:issued': { '@type': 'xsd:dateTime' },
  'dcat:byteSize': { '@type': 'xsd:nonNegativeInteger' },
  'dct:license': { '@type': '@id' },
  'dct:accrualPeriodicity': { '@type': '@id' },
  'dct:conformsTo': { '@type': '@id' },
  'dct:format': { '@type': '@id' },
  'dcat:mediaType': { '@type': '@id' },
  'dcat:downloadURL': { '@type': '@id' },
  'dcat:accessURL': { '@type': '@id' },
  'dcat:landingPage': { '@type': '@id' },
  'hydra:first': { '@type': '@id' },
  'hydra:next': { '@type': '@id' },
  'hydra:previous': { '@type': '@id' },
  'hydra:last': { '@type': '@id' },
} as const;

export interface DcatCatalogInfo {
  /** IRI of the catalogue itself. */
  id: string;
  title: string;
  description: string;
  publisher: Publisher;
  homepage?: string;
}

export interface DcatPaging {
  /** 1-based page shown. */
  page: number;
  pageSize: number;
  total: number;
  urlOf(page: number): string;
}

function agent(publisher: Publisher, base: string): Record<string, unknown> {
  const node: Record<string, unknown> = {
    '@id': publicUrl(base, `publishers/${publisher.id}`),
    '@type': 'foaf:Agent',
    'foaf:name': publisher.name,
  };
  if (publisher.siren) node['dct:identifier'] = publisher.siren;
  return node;
}

/** `dct:modified` never in the future: a clock ahead on the writer must not mislead harvesters. */
function notAfter(iso: string, now: string): string {
  return iso > now ? now : iso;
}

export function dcatDataset(item: CatalogItem, base: string, now: string, schemaUrl: (id: string, version?: string) => string | undefined) {
  const datasetIri = publicUrl(base, `datasets/${item.tenantId}/${item.slug}`);
  const licence = LICENCE_IRIS[item.licence];
  const node: Record<string, unknown> = {
    '@id': datasetIri,
    '@type': 'dcat:Dataset',
    'dct:identifier': item.id,
    'dct:title': { '@value': item.title, '@language': 'fr' },
    'dct:description': { '@value': item.description ?? item.title, '@language': 'fr' },
    'dct:publisher': agent(item.publisher, base),
    'dcat:keyword': item.keywords.map((k) => ({ '@value': k, '@language': 'fr' })),
    'dct:license': licence,
    'dct:issued': notAfter(item.createdAt, now),
    'dct:modified': notAfter(item.modified, now),
    'dct:accrualPeriodicity': FREQUENCY_IRIS[item.frequency ?? 'unknown'],
    'dcat:distribution': item.distributions.map((d) => {
      const dist: Record<string, unknown> = {
        '@id': `${datasetIri}#${d.format}`,
        '@type': 'dcat:Distribution',
        'dct:title': `${item.title} (${d.format})`,
        'dcat:accessURL': d.url,
        'dcat:downloadURL': d.url,
        'dct:format': FILE_TYPE_IRIS[d.format],
        'dcat:mediaType': mediaTypeIri(d.mediaType),
        'dcat:byteSize': d.bytes,
        'dct:license': licence,
        'spdx:checksum': { '@type': 'spdx:Checksum', 'spdx:algorithm': { '@id': 'spdx:checksumAlgorithm_sha256' }, 'spdx:checksumValue': d.sha256 },
      };
      return dist;
    }),
  };
  if (item.theme) node['dcat:theme'] = { '@value': item.theme, '@language': 'fr' };
  const conformsTo = item.schema ? schemaUrl(item.schema.id, item.schema.version) : undefined;
  if (conformsTo) node['dct:conformsTo'] = conformsTo;
  return node;
}

export function buildDcatCatalog(
  info: DcatCatalogInfo,
  items: readonly CatalogItem[],
  opts: { base: string; now: string; schemaUrl: (id: string, version?: string) => string | undefined; paging?: DcatPaging },
): Record<string, unknown> {
  const { paging } = opts;
  const shown = paging ? items.slice((paging.page - 1) * paging.pageSize, paging.page * paging.pageSize) : items;
  const modified = items.reduce((m, i) => (i.modified > m ? i.modified : m), '1970-01-01T00:00:00.000Z');
  const catalog: Record<string, unknown> = {
    '@id': info.id,
    '@type': ['dcat:Catalog', 'hydra:Collection'],
    'dct:title': { '@value': info.title, '@language': 'fr' },
    'dct:description': { '@value': info.description, '@language': 'fr' },
    'dct:publisher': agent(info.publisher, opts.base),
    'dct:modified': notAfter(modified, opts.now),
    'hydra:totalItems': items.length,
    'dcat:dataset': shown.map((item) => dcatDataset(item, opts.base, opts.now, opts.schemaUrl)),
  };
  if (info.homepage) catalog['foaf:homepage'] = { '@id': info.homepage };
  if (paging && paging.total > paging.pageSize) {
    const last = Math.max(1, Math.ceil(paging.total / paging.pageSize));
    const view: Record<string, unknown> = {
      '@id': paging.urlOf(paging.page),
      '@type': 'hydra:PartialCollectionView',
      'hydra:first': paging.urlOf(1),
      'hydra:last': paging.urlOf(last),
    };
    if (paging.page < last) view['hydra:next'] = paging.urlOf(paging.page + 1);
    if (paging.page > 1) view['hydra:previous'] = paging.urlOf(paging.page - 1);
    catalog['hydra:view'] = view;
  }
  return { '@context': { ...DCAT_CONTEXT, spdx: 'http://spdx.org/rdf/terms#' }, ...catalog };
}
