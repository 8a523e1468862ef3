/**
 * Every DynamoDB key of the single table, in one place. Items carry `pk`/`sk` and, when
 * listed, `gsi1pk`/`gsi1sk` (GSI1) or `gsi2pk`/`gsi2sk` (GSI2). README lists the access
 * patterns these serve.
 */
export const TABLE_INDEXES = {
  gsi1: { name: 'GSI1', pk: 'gsi1pk', sk: 'gsi1sk' },
  gsi2: { name: 'GSI2', pk: 'gsi2pk', sk: 'gsi2sk' },
} as const;

export const keys = {
  tenant: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'META' }),
  /** GSI1: all tenants, ordered by id. */
  tenantList: (tenantId: string) => ({ gsi1pk: 'TENANTS', gsi1sk: tenantId }),

  apiKey: (tokenHash: string) => ({ pk: `KEY#${tokenHash}`, sk: 'META' }),
  /** GSI1: the keys of one tenant, ordered by key id (ULID, so by creation time). */
  apiKeyList: (tenantId: string, keyId: string) => ({ gsi1pk: `TENANT#${tenantId}#KEYS`, gsi1sk: keyId }),
  apiKeyListPk: (tenantId: string) => `TENANT#${tenantId}#KEYS`,

  dataset: (tenantId: string, slug: string) => ({ pk: `TENANT#${tenantId}`, sk: `DATASET#${slug}` }),
  datasetSkPrefix: 'DATASET#',
  /** GSI1: every published dataset, ordered by `<modified>#<tenant>#<slug>` (set only while published). */
  datasetCatalog: (modified: string, tenantId: string, slug: string) => ({
    gsi1pk: CATALOG_PK,
    gsi1sk: `${modified}#${tenantId}#${slug}`,
  }),
  /** GSI2: the datasets of one schema (for consolidation), by tenant then slug. */
  datasetSchema: (schemaId: string, tenantId: string, slug: string) => ({
    gsi2pk: `SCHEMA#${schemaId}`,
    gsi2sk: `${tenantId}#${slug}`,
  }),

  version: (tenantId: string, slug: string, version: number) => ({
    pk: `DATASET#${tenantId}#${slug}`,
    sk: `V#${String(version).padStart(6, '0')}`,
  }),
  versionPk: (tenantId: string, slug: string) => `DATASET#${tenantId}#${slug}`,
  versionSkPrefix: 'V#',
  /** A version's column statistics: an item of their own, so that listing versions never reads them. */
  versionStats: (tenantId: string, slug: string, version: number) => ({
    pk: `DATASET#${tenantId}#${slug}`,
    sk: `STATS#${String(version).padStart(6, '0')}`,
  }),
  /** Same bytes uploaded again: source SHA-256 → version. */
  sourceHash: (tenantId: string, slug: string, sha256: string) => ({
    pk: `DATASET#${tenantId}#${slug}`,
    sk: `SRC#${sha256}`,
  }),

  upload: (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'META' }),
  /** GSI1: the uploads of a dataset, newest last (ULID order). */
  uploadList: (tenantId: string, slug: string, uploadId: string) => ({
    gsi1pk: `UPLOADS#${tenantId}#${slug}`,
    gsi1sk: uploadId,
  }),

  /**
   * Consolidation job of one schema (or `*exports` for the catalogue-level exports, a name
   * no schema id can take): generation counter bumped per publish event + rebuild lease.
   */
  consolidation: (job: string) => ({ pk: `CONSOLIDATION#${job}`, sk: 'META' }),

  /** The current (last registered) version of a custom schema. */
  customSchema: (schemaId: string) => ({ pk: `SCHEMA#${schemaId}`, sk: 'META' }),
  /** GSI1: every registered custom schema, at its current version. */
  customSchemaList: (schemaId: string) => ({ gsi1pk: 'SCHEMAS', gsi1sk: schemaId }),
  /** Each registered version of a custom schema. */
  customSchemaVersion: (schemaId: string, version: string) => ({ pk: `SCHEMA#${schemaId}`, sk: `VERSION#${version}` }),
  /** One per rank of version number (versionOrder): `1.1` and `1.1.0` claim the same. */
  customSchemaRank: (schemaId: string, order: string) => ({ pk: `SCHEMA#${schemaId}`, sk: `RANK#${order}` }),
  /** GSI1: every registered version of every custom schema, in registration order per schema. */
  customSchemaVersionList: (schemaId: string, registeredAt: string) => ({ gsi1pk: 'SCHEMA_VERSIONS', gsi1sk: `${schemaId}#${registeredAt}` }),
} as const;

export const CATALOG_PK = 'CATALOG';

/** Bumped after every write that changes what the public catalogue shows (warm caches key on it). */
export const CATALOG_REVISION_KEY = { pk: 'CATALOG', sk: 'REVISION' } as const;

export const TENANT_LIST_PK = 'TENANTS';
