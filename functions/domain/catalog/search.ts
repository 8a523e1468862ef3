/**
 * Search, facets and cursor pagination over the published catalogue, in memory: a
 * département has at most a few thousand datasets, read with one paginated Query of GSI1.
 *
 * Cursor semantics: the cursor holds the sort key of the last item returned plus its
 * tie-breaker (tenant, slug); the next page starts strictly after that key in the same
 * order. So an item that does not change between two calls is returned exactly once, however
 * many datasets are published, updated or removed meanwhile; an item updated meanwhile moves
 * (sort=modified: to the top) and is seen again only if it moves past the cursor.
 */
import type { CatalogItem } from './catalog-item';
import { searchText } from './catalog-item';
import { foldText, searchTerms } from './text';

export const CATALOG_SORTS = ['modified', 'title'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

export interface CatalogQuery {
  tenant?: string;
  schema?: string;
  theme?: string;
  keyword?: string;
  licence?: string;
  q?: string;
  /** ISO date or date-time: datasets modified at or after it. */
  modifiedSince?: string;
  sort: CatalogSort;
  limit: number;
  /** Decoded cursor (see decodeCatalogCursor). */
  after?: CursorKey;
}

/** [sort value, tenant, slug]. */
export type CursorKey = [string, string, string];

export type FacetName = 'tenant' | 'schema' | 'theme' | 'licence';
export type Facets = Record<FacetName, Record<string, number>>;

export interface CatalogPage {
  items: CatalogItem[];
  /** Items matching the filters, all pages together. */
  total: number;
  nextCursor: string | null;
  facets: Facets;
}

function sortKey(item: CatalogItem, sort: CatalogSort): CursorKey {
  return [sort === 'modified' ? item.modified : foldText(item.title), item.tenantId, item.slug];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Order of two keys: modified newest first, title A→Z; ties by tenant then slug. */
function compareKeys(a: CursorKey, b: CursorKey, sort: CatalogSort): number {
  const first = sort === 'modified' ? cmp(b[0], a[0]) : cmp(a[0], b[0]);
  return first || cmp(a[1], b[1]) || cmp(a[2], b[2]);
}

export function encodeCatalogCursor(sort: CatalogSort, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key }), 'utf8').toString('base64url');
}

/** The key a cursor holds, or undefined when it is not one of ours for this sort. */
export function decodeCatalogCursor(cursor: string, sort: CatalogSort): CursorKey | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown };
    if (v.s !== sort || !Array.isArray(v.k) || v.k.length !== 3 || !v.k.every((x) => typeof x === 'string')) return undefined;
    return v.k as CursorKey;
  } catch {
    return undefined;
  }
}

/** Every item's folded search text, computed once per item object. */
const textCache = new WeakMap<CatalogItem, string>();
function textOf(item: CatalogItem): string {
  let t = textCache.get(item);
  if (t === undefined) {
    t = searchText(item);
    textCache.set(item, t);
  }
  return t;
}

export function matches(item: CatalogItem, q: Omit<CatalogQuery, 'sort' | 'limit' | 'after'>): boolean {
  if (q.tenant !== undefined && item.tenantId !== q.tenant) return false;
  if (q.schema !== undefined && (item.schema?.id ?? 'none') !== q.schema) return false;
  if (q.theme !== undefined && item.theme !== q.theme) return false;
  if (q.licence !== undefined && item.licence !== q.licence) return false;
  if (q.keyword !== undefined) {
    const k = foldText(q.keyword.trim());
    if (!item.keywords.some((w) => foldText(w) === k)) return false;
  }
  if (q.modifiedSince !== undefined && item.modified < q.modifiedSince) return false;
  if (q.q !== undefined) {
    const text = textOf(item);
    if (!searchTerms(q.q).every((term) => text.includes(term))) return false;
  }
  return true;
}

function facetsOf(items: CatalogItem[]): Facets {
  const facets: Facets = { tenant: {}, schema: {}, theme: {}, licence: {} };
  const add = (name: FacetName, value: string | undefined) => {
    if (value === undefined) return;
    facets[name][value] = (facets[name][value] ?? 0) + 1;
  };
  for (const item of items) {
    add('tenant', item.tenantId);
    add('schema', item.schema?.id ?? 'none');
    add('theme', item.theme);
    add('licence', item.licence);
  }
  return facets;
}

export function searchCatalog(all: readonly CatalogItem[], query: CatalogQuery): CatalogPage {
  const hits = all.filter((item) => matches(item, query));
  const keyed = hits.map((item) => ({ item, key: sortKey(item, query.sort) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, query.sort));
  const after = query.after;
  const start = after === undefined ? 0 : keyed.findIndex((x) => compareKeys(x.key, after, query.sort) > 0);
  const page = start < 0 ? [] : keyed.slice(start, start + query.limit);
  const more = start >= 0 && start + query.limit < keyed.length;
  return {
    items: page.map((x) => x.item),
    total: hits.length,
    nextCursor: more && page.length > 0 ? encodeCatalogCursor(query.sort, page[page.length - 1].key) : null,
    facets: facetsOf(hits),
  };
}
