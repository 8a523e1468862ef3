import { env } from '../env';
import { DynamoDatasetStore } from '../store/dynamodb/dataset-store';
import { DynamoKeyStore } from '../store/dynamodb/key-store';
import { DynamoSchemaStore } from '../store/dynamodb/schema-store';
import { DynamoTenantStore } from '../store/dynamodb/tenant-store';
import { adminTokenHash } from './admin-token';
import type { AuthDeps } from './auth';

/** Adapters wired from the environment, created once per process on first use. */
export interface CoreDeps extends AuthDeps {
  table: string;
  datasets: DynamoDatasetStore;
  schemas: DynamoSchemaStore;
}

let deps: CoreDeps | undefined;

export function coreDeps(): CoreDeps {
  if (!deps) {
    const table = env().TABLE_NAME;
    deps = {
      table,
      tenants: new DynamoTenantStore(table),
      keys: new DynamoKeyStore(table),
      datasets: new DynamoDatasetStore(table),
      schemas: new DynamoSchemaStore(table),
      adminTokenHash,
      now: () => new Date().toISOString(),
    };
  }
  return deps;
}
