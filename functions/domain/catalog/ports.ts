import type { Dataset, DatasetVersion } from '../datasets/dataset';
import type { TableSchemaDescriptor } from '../schema/types';
import type { TableStats } from '../standardize/column-stats';
import type { Tenant } from '../tenants/tenant';

/** Read side of the catalogue: every method is a GetItem or a Query (never a Scan). */
export interface CatalogReader {
  /** Changes after every write that changes the catalogue (one consistent GetItem). */
  catalogRevision(): Promise<number>;
  /** Every dataset on GSI1 CATALOG (published), newest first. */
  listPublished(): Promise<Dataset[]>;
  getDataset(tenantId: string, slug: string): Promise<Dataset | undefined>;
  /** Newest first, at most `limit`. */
  listVersions(tenantId: string, slug: string, limit: number): Promise<DatasetVersion[]>;
  /** A version's column statistics, when recorded. */
  getVersionStats(tenantId: string, slug: string, version: number): Promise<TableStats | undefined>;
  getTenant(id: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
  /** Registered (custom) schemas, every version: per schema the current one first. */
  listCustomSchemas(): Promise<TableSchemaDescriptor[]>;
  /** The current version, or `version`. */
  getCustomSchema(id: string, version?: string): Promise<TableSchemaDescriptor | undefined>;
  /** Every dataset bound to a schema (GSI2), published or not. */
  datasetsOfSchema(schemaId: string): Promise<Dataset[]>;
}

/** Files of the public bucket. */
export interface PublicFiles {
  /** The object's bytes, or undefined when it does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, body: Buffer | string, meta: { contentType: string; filename?: string; cacheControl: string }): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Generation counter + lease of a consolidation job (see functions/consolidate). */
export interface ConsolidationJobs {
  /** Records that the job's inputs changed; returns the new generation. */
  bump(job: string): Promise<number>;
  /** Takes the lease when free or expired; false when someone else holds it. */
  tryLease(job: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  generation(job: string): Promise<number>;
  /**
   * Releases the lease if the generation is still `built` (marking it built); false when
   * the generation moved on (rebuild) — the lease is then renewed for `ttlMs`.
   */
  releaseIfCurrent(job: string, owner: string, built: number, now: number, ttlMs: number): Promise<'released' | 'moved' | 'lost'>;
  /** Gives the lease up after a failed rebuild, so the retried message can take it at once. */
  abandon(job: string, owner: string): Promise<void>;
}
