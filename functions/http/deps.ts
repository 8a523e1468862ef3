import { env } from '../env';
import { DynamoKeyStore } from '../store/dynamodb/key-store';
import { DynamoTenantStore } from '../store/dynamodb/tenant-store';
import { adminTokenHash } from './admin-token';
import type { AuthDeps } from './auth';

/** Adapters wired from the environment, created once per process on first use. */
export interface CoreDeps extends AuthDeps {
  table: string;
}

let deps: CoreDeps | undefined;

export function coreDeps(): CoreDeps {
  if (!deps) {
    const table = env().TABLE_NAME;
    deps = {
      table,
      tenants: new DynamoTenantStore(table),
      keys: new DynamoKeyStore(table),
      adminTokenHash,
      now: () => new Date().toISOString(),
    };
  }
  return deps;
}
