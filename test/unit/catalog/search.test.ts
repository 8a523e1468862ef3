import type { CatalogItem } from '../../../functions/domain/catalog/catalog-item';
import { decodeCatalogCursor, encodeCatalogCursor, searchCatalog, type CatalogQuery } from '../../../functions/domain/catalog/search';
import { item } from './fixtures';

const at = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString();

const catalogue: CatalogItem[] = [
  item('roques', 'deliberations-2024', { title: 'Délibérations du conseil municipal', keywords: ['Conseil', 'actes'], theme: 'administration', modified: at(5) }),
  item('roques', 'subventions', { title: 'Subventions aux associations', schemaId: 'scdl/subventions', theme: 'finances', modified: at(3) }),
  item('sicoval', 'equipements', { title: 'Équipements sportifs', description: 'Gymnases, stades et piscines', schemaId: 'scdl/equipements', licence: 'odbl-1.0', modified: at(9) }),
  item('sicoval', 'brut', { title: 'Fichier brut', schemaId: 'none', keywords: ['Écoles'], modified: at(1) }),
];

const q = (extra: Partial<CatalogQuery> = {}): CatalogQuery => ({ sort: 'modified', limit: 20, ...extra });

describe('catalogue search', () => {
  it('sorts by modified (newest first) by default, or by title', () => {
    expect(searchCatalog(catalogue, q()).items.map((i) => i.slug)).toEqual(['equipements', 'deliberations-2024', 'subventions', 'brut']);
    expect(searchCatalog(catalogue, q({ sort: 'title' })).items.map((i) => i.slug)).toEqual(['deliberations-2024', 'equipements', 'brut', 'subventions']);
  });

  it('full text ignores case and accents, over title, description, keywords and publisher name', () => {
    const slugs = (text: string) => searchCatalog(catalogue, q({ q: text })).items.map((i) => i.slug).sort();
    expect(slugs('deliberation')).toEqual(['deliberations-2024']);
    expect(slugs('DÉLIBÉRATIONS conseil')).toEqual(['deliberations-2024']);
    expect(slugs('piscine')).toEqual(['equipements']);
    expect(slugs('ecoles')).toEqual(['brut']);
    expect(slugs('sicoval')).toEqual(['brut', 'equipements']);
    expect(slugs('piscine deliberation')).toEqual([]);
  });

  it('filters by tenant, schema (none included), theme, keyword, licence and modifiedSince; facets follow the query', () => {
    const page = searchCatalog(catalogue, q({ tenant: 'roques' }));
    expect(page.total).toBe(2);
    expect(page.facets).toEqual({
      tenant: { roques: 2 },
      schema: { 'scdl/deliberations': 1, 'scdl/subventions': 1 },
      theme: { administration: 1, finances: 1 },
      licence: { 'etalab-2.0': 2 },
    });
    expect(searchCatalog(catalogue, q({ schema: 'none' })).items.map((i) => i.slug)).toEqual(['brut']);
    expect(searchCatalog(catalogue, q({ theme: 'finances' })).items.map((i) => i.slug)).toEqual(['subventions']);
    expect(searchCatalog(catalogue, q({ keyword: 'conseil' })).items.map((i) => i.slug)).toEqual(['deliberations-2024']);
    expect(searchCatalog(catalogue, q({ licence: 'odbl-1.0' })).items.map((i) => i.slug)).toEqual(['equipements']);
    expect(searchCatalog(catalogue, q({ modifiedSince: at(4) })).items.map((i) => i.slug)).toEqual(['equipements', 'deliberations-2024']);
    expect(searchCatalog(catalogue, q({ modifiedSince: '2024-01-01' })).total).toBe(4);
  });

  it('items carry the publisher, schema, licence and absolute latest + versioned URLs', () => {
    const first = searchCatalog(catalogue, q({ tenant: 'roques', schema: 'scdl/subventions' })).items[0];
    expect(first.publisher).toMatchObject({ id: 'roques', name: 'Commune de Roques', siren: '213104581' });
    expect(first.schema).toEqual({ id: 'scdl/subventions', version: '2.1.5' });
    expect(first.distributions[0]).toMatchObject({
      format: 'csv',
      url: 'https://donnees.example.fr/datasets/roques/subventions/latest/data.csv',
      versionUrl: 'https://donnees.example.fr/datasets/roques/subventions/v1/data.csv',
      bytes: 120,
    });
  });

  it('cursors are bound to their sort and reject garbage', () => {
    const c = encodeCatalogCursor('modified', ['2024', 'a', 'b']);
    expect(decodeCatalogCursor(c, 'modified')).toEqual(['2024', 'a', 'b']);
    expect(decodeCatalogCursor(c, 'title')).toBeUndefined();
    expect(decodeCatalogCursor('not-a-cursor', 'modified')).toBeUndefined();
    expect(decodeCatalogCursor(Buffer.from('{"s":"modified","k":[1,2,3]}').toString('base64url'), 'modified')).toBeUndefined();
  });

  it.each(['modified', 'title'] as const)('paging by %s never skips nor repeats an unchanged item while the catalogue changes', (sort) => {
    // Deterministic pseudo-random churn between pages: inserts, updates (new modified/title), removals.
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let live = new Map<string, CatalogItem>();
    for (let i = 0; i < 60; i++) {
      const it = item(`t${i % 7}`, `d${i}`, { title: `Titre ${Math.floor(rnd() * 20)}`, modified: at(Math.floor(rnd() * 30)) });
      live.set(it.id, it);
    }
    const original = new Map(live);
    const changed = new Set<string>();
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 100;
    do {
      const after = cursor === null ? undefined : decodeCatalogCursor(cursor, sort);
      const page = searchCatalog([...live.values()], { sort, limit: 7, after });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      // churn
      live = new Map(live);
      for (let k = 0; k < 3; k++) {
        const r = rnd();
        const ids = [...live.keys()];
        const victim = ids[Math.floor(rnd() * ids.length)];
        if (r < 0.4) {
          const fresh = item(`t${k}`, `new-${n++}`, { title: `Titre ${Math.floor(rnd() * 20)}`, modified: at(Math.floor(rnd() * 40)) });
          live.set(fresh.id, fresh);
        } else if (r < 0.8) {
          const old = live.get(victim)!;
          live.set(victim, { ...old, title: `Titre ${Math.floor(rnd() * 20)}`, modified: at(40 + Math.floor(rnd() * 10)) });
          changed.add(victim);
        } else {
          live.delete(victim);
          changed.add(victim);
        }
      }
    } while (cursor !== null);
    const unchanged = [...original.keys()].filter((id) => !changed.has(id));
    for (const id of unchanged) expect(seen.filter((s) => s === id)).toHaveLength(1);
  });
});
