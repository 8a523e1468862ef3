/** Strips the storage keys from an item, leaving the entity's own attributes. */
const STORAGE_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity', 'leaseOwner', 'leaseUntil'];

export function entityOf<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...item };
  for (const k of STORAGE_KEYS) delete out[k];
  return out as T;
}
