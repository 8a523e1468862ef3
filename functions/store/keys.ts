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
} as const;

export const TENANT_LIST_PK = 'TENANTS';
