import * as jsonld from 'jsonld';
import { buildDcatCatalog } from '../../../functions/domain/catalog/dcat';
import { BASE, item, PUBLISHERS } from './fixtures';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

/** No network: any remote context would fail the test. */
const documentLoader = async (url: string): Promise<never> => {
  throw new Error(`remote document refused: ${url}`);
};

type Node = Record<string, unknown[]> & { '@id'?: string; '@type'?: string[] };

const items = [
  item('roques', 'deliberations', { title: 'Délibérations', keywords: ['actes'], frequency: 'monthly', modified: '2999-01-01T00:00:00.000Z' }),
  item('sicoval', 'equipements', {
    title: 'Équipements',
    description: 'Équipements sportifs',
    schemaId: 'scdl/equipements',
    schemaVersion: '0.1.5',
    licence: 'odbl-1.0',
    distributions: [
      { format: 'geojson', key: 'datasets/sicoval/equipements/v1/data.geojson', mediaType: 'application/geo+json; charset=utf-8', bytes: 10, sha256: 'd'.repeat(64) },
    ],
  }),
  item('roques', 'brut', { schemaId: 'none' }),
];
const schemaUrl = (id: string, version?: string) => (id.startsWith('scdl/') ? `https://schema.data.gouv.fr/schemas/${id}/${version}/schema.json` : undefined);
const NOW = '2025-06-01T12:00:00.000Z';
const info = { id: `${BASE}/catalog`, title: 'Catalogue', description: 'Les données du territoire', publisher: PUBLISHERS['haute-garonne'] };

async function expand(doc: object): Promise<Node[]> {
  return (await jsonld.expand(doc as jsonld.JsonLdDocument, { documentLoader: documentLoader as never })) as unknown as Node[];
}

function nodesOfType(nodes: unknown, type: string, out: Node[] = []): Node[] {
  if (Array.isArray(nodes)) nodes.forEach((n) => nodesOfType(n, type, out));
  else if (nodes && typeof nodes === 'object') {
    const n = nodes as Node;
    if (n['@type']?.includes(type)) out.push(n);
    Object.values(n).forEach((v) => nodesOfType(v, type, out));
  }
  return out;
}

const ids = (n: Node, p: string) => (n[p] ?? []).map((v) => (v as { '@id': string })['@id']);
const values = (n: Node, p: string) => (n[p] ?? []).map((v) => (v as { '@value': unknown })['@value']);

describe('DCAT-AP 3 JSON-LD', () => {
  it('expands offline and every node has the mandatory DCAT-AP properties', async () => {
    const expanded = await expand(buildDcatCatalog(info, items, { base: BASE, now: NOW, schemaUrl }));
    const [catalog] = nodesOfType(expanded, DCAT + 'Catalog');
    expect(values(catalog, DCT + 'title')).toEqual(['Catalogue']);
    expect(values(catalog, DCT + 'description')).toEqual(['Les données du territoire']);
    expect(catalog[DCT + 'publisher']).toHaveLength(1);

    const datasets = nodesOfType(expanded, DCAT + 'Dataset');
    expect(datasets).toHaveLength(3);
    for (const d of datasets) {
      expect(d['@id']).toMatch(/^https:\/\//);
      expect(values(d, DCT + 'identifier')).toHaveLength(1);
      expect(values(d, DCT + 'title')).toHaveLength(1);
      expect(values(d, DCT + 'description')).toHaveLength(1);
      const [publisher] = d[DCT + 'publisher'] as Node[];
      expect(publisher['@type']).toContain(FOAF + 'Agent');
      expect(values(publisher, FOAF + 'name')[0]).toEqual(expect.any(String));
      expect(ids(d, DCT + 'license')[0]).toMatch(/^https?:\/\//);
      expect(ids(d, DCT + 'accrualPeriodicity')[0]).toMatch(/^http:\/\/publications\.europa\.eu\/resource\/authority\/frequency\/[A-Z_0-9]+$/);
      const modified = values(d, DCT + 'modified')[0] as string;
      expect(modified <= NOW).toBe(true);
      expect((d[DCT + 'modified'][0] as { '@type': string })['@type']).toBe('http://www.w3.org/2001/XMLSchema#dateTime');
      const dists = d[DCAT + 'distribution'] as Node[];
      expect(dists.length).toBeGreaterThan(0);
      for (const dist of dists) {
        expect(dist['@type']).toContain(DCAT + 'Distribution');
        expect(ids(dist, DCAT + 'accessURL')[0]).toMatch(/^https:\/\//);
        expect(ids(dist, DCAT + 'downloadURL')[0]).toMatch(/^https:\/\//);
        expect(ids(dist, DCT + 'format')[0]).toMatch(/^http:\/\/publications\.europa\.eu\/resource\/authority\/file-type\/[A-Z]+$/);
        expect(ids(dist, DCAT + 'mediaType')[0]).toMatch(/^https:\/\/www\.iana\.org\/assignments\/media-types\/[a-z]+\/[a-z0-9.+-]+$/);
        expect(Number(values(dist, DCAT + 'byteSize')[0])).toBeGreaterThan(0);
      }
    }
    const byId = new Map(datasets.map((d) => [values(d, DCT + 'identifier')[0], d]));
    expect(values(byId.get('roques/deliberations')!, DCT + 'modified')).toEqual([NOW]);
    expect(ids(byId.get('roques/deliberations')!, DCT + 'accrualPeriodicity')).toEqual(['http://publications.europa.eu/resource/authority/frequency/MONTHLY']);
    expect(ids(byId.get('roques/deliberations')!, DCT + 'license')).toEqual(['https://www.etalab.gouv.fr/licence-ouverte-open-licence/']);
    expect(ids(byId.get('sicoval/equipements')!, DCT + 'license')).toEqual(['http://spdx.org/licenses/ODbL-1.0']);
    expect(ids(byId.get('sicoval/equipements')!, DCT + 'conformsTo')).toEqual(['https://schema.data.gouv.fr/schemas/scdl/equipements/0.1.5/schema.json']);
    expect(byId.get('roques/brut')![DCT + 'conformsTo']).toBeUndefined();
    const geo = (byId.get('sicoval/equipements')![DCAT + 'distribution'] as Node[])[0];
    expect(ids(geo, DCT + 'format')).toEqual(['http://publications.europa.eu/resource/authority/file-type/GEOJSON']);
    expect(ids(geo, DCAT + 'mediaType')).toEqual(['https://www.iana.org/assignments/media-types/application/geo+json']);
  });

  it('pages with a Hydra PartialCollectionView when large', async () => {
    const many = Array.from({ length: 25 }, (_, i) => item('roques', `d${String(i).padStart(2, '0')}`));
    const urlOf = (p: number) => `https://api.example.fr/v1/catalog/dcat.jsonld?page=${p}`;
    const doc = buildDcatCatalog(info, many, { base: BASE, now: NOW, schemaUrl, paging: { page: 2, pageSize: 10, total: 25, urlOf } });
    const expanded = await expand(doc);
    const [catalog] = nodesOfType(expanded, DCAT + 'Catalog');
    expect(catalog[DCAT + 'dataset']).toHaveLength(10);
    const [view] = nodesOfType(expanded, HYDRA + 'PartialCollectionView');
    expect(view['@id']).toBe(urlOf(2));
    expect(ids(view, HYDRA + 'first')).toEqual([urlOf(1)]);
    expect(ids(view, HYDRA + 'next')).toEqual([urlOf(3)]);
    expect(ids(view, HYDRA + 'last')).toEqual([urlOf(3)]);
    const small = buildDcatCatalog(info, many.slice(0, 5), { base: BASE, now: NOW, schemaUrl, paging: { page: 1, pageSize: 10, total: 5, urlOf } });
    expect(small['hydra:view']).toBeUndefined();
  });
});
