/**
 * The territory-wide file of one schema: the rows of every tenant's current version, after
 * two columns naming the publisher. Keys and names live here so the consolidate function,
 * the catalogue and the tests agree.
 */
export const PUBLISHER_COLUMNS = ['publisher_id', 'publisher_siren'] as const;

/** Job name of the catalogue-level exports (DCAT, SCDL catalogue): no schema id can contain `*`. */
export const EXPORTS_JOB = '*exports';

export function consolidatedPrefix(schemaId: string): string {
  return `consolidated/${schemaId}/latest/`;
}

/** Slug of the département's dataset that lists the consolidated file (reserved prefix `consolidation-`). */
export function consolidationSlug(schemaId: string): string {
  return `consolidation-${schemaId.replace(/\//g, '-')}`;
}

export const EXPORT_KEYS = {
  dcat: 'catalog/dcat.jsonld',
  scdlCatalogue: 'catalog/catalogue.csv',
} as const;

/** `datasets/<tenant>/<slug>/latest/datapackage.json` → the dataset it announces. */
export function parseLatestDatapackageKey(key: string): { tenantId: string; slug: string } | undefined {
  const m = /^datasets\/([a-z0-9-]+)\/([a-z0-9-]+)\/latest\/datapackage\.json$/.exec(key);
  return m ? { tenantId: m[1], slug: m[2] } : undefined;
}

/** Output columns: publisher columns, the schema's fields, then any other field met in the rows. */
export function consolidatedFields(schemaFields: readonly string[], seen: Iterable<string>): string[] {
  const out: string[] = [...PUBLISHER_COLUMNS, ...schemaFields];
  const have = new Set(out);
  for (const f of seen) {
    if (!have.has(f)) {
      have.add(f);
      out.push(f);
    }
  }
  return out;
}
