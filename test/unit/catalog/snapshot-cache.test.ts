import { loadCatalog } from '../../../functions/catalog/catalog-view';
import type { CatalogReader } from '../../../functions/domain/catalog/ports';
import type { Dataset } from '../../../functions/domain/datasets/dataset';
import type { Tenant } from '../../../functions/domain/tenants/tenant';

const tenant: Tenant = {
  id: 'roques',
  name: 'Roques',
  kind: 'commune',
  siren: '213104581',
  status: 'active',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function dataset(slug: string): Dataset {
  return {
    tenantId: 'roques',
    slug,
    title: `Jeu ${slug}`,
    schemaId: 'none',
    licence: 'etalab-2.0',
    keywords: [],
    status: 'published',
    currentVersion: 1,
    latestVersion: 1,
    modified: '2026-02-01T00:00:00Z',
    distributions: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

/** A reader that counts full catalogue reads; only what loadCatalog calls is implemented. */
function fakeReader() {
  const state = { revision: 7, datasets: [dataset('a')], fullReads: 0 };
  const reader = {
    catalogRevision: async () => state.revision,
    listPublished: async () => {
      state.fullReads++;
      return [...state.datasets];
    },
    listTenants: async () => [tenant],
  } as unknown as CatalogReader;
  return { reader, state };
}

describe('catalogue snapshot of a warm function', () => {
  it('is reused while the revision is unchanged and rebuilt as soon as it moves', async () => {
    const { reader, state } = fakeReader();
    const first = await loadCatalog(reader, 'https://files.example.fr');
    expect(first.items.map((i) => i.slug)).toEqual(['a']);
    expect(await loadCatalog(reader, 'https://files.example.fr')).toBe(first);
    expect(state.fullReads).toBe(1);

    state.datasets.push(dataset('b'));
    // Same revision: the writer has not bumped yet, the snapshot stands.
    expect((await loadCatalog(reader, 'https://files.example.fr')).items).toHaveLength(1);
    state.revision = 8;
    const second = await loadCatalog(reader, 'https://files.example.fr');
    expect(second.items.map((i) => i.slug).sort()).toEqual(['a', 'b']);
    expect(state.fullReads).toBe(2);
  });

  it('is keyed by the public base URL as well (absolute URLs are in the items)', async () => {
    const { reader, state } = fakeReader();
    await loadCatalog(reader, 'https://a.example.fr');
    await loadCatalog(reader, 'https://b.example.fr');
    expect(state.fullReads).toBe(2);
  });
});
