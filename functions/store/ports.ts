import type { Tenant, UpdateTenantInput, TenantStatus } from '../domain/tenants/tenant';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TenantStore {
  /** Fails with `AlreadyExistsError` when the id is taken. */
  create(tenant: Tenant): Promise<void>;
  get(id: string): Promise<Tenant | undefined>;
  list(limit: number, cursor?: string): Promise<Page<Tenant>>;
  /** Returns the updated tenant, or undefined when it does not exist. */
  update(id: string, patch: UpdateTenantInput, now: string): Promise<Tenant | undefined>;
  setStatus(id: string, status: TenantStatus, now: string): Promise<Tenant | undefined>;
}

export type Role = 'admin' | 'publisher';

export interface ApiKey {
  id: string;
  tokenHash: string;
  role: Role;
  tenantId: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

export interface KeyStore {
  create(key: ApiKey): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiKey | undefined>;
  listByTenant(tenantId: string): Promise<ApiKey[]>;
  /** Returns false when the key does not exist for that tenant. Idempotent. */
  revoke(tenantId: string, keyId: string, now: string): Promise<boolean>;
  /** Records use; writes at most once a minute per key. */
  touch(tokenHash: string, now: string): Promise<void>;
}

export class AlreadyExistsError extends Error {
  constructor(what: string) {
    super(`${what} already exists`);
    this.name = 'AlreadyExistsError';
  }
}

/** A schema version number of the same rank as one registered (`1.1` beside `1.1.0`): the two could not be told apart as current. */
export class EquivalentVersionError extends AlreadyExistsError {
  constructor(readonly registered: string) {
    super(`schema version equivalent to ${registered}`);
    this.name = 'EquivalentVersionError';
  }
}
