import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CatalogReader } from '../../domain/catalog/ports';
import type { Dataset, DatasetVersion } from '../../domain/datasets/dataset';
import type { TableSchemaDescriptor } from '../../domain/schema/types';
import type { TableStats } from '../../domain/standardize/column-stats';
import { compareVersions } from '../../domain/schema/version-order';
import type { Tenant } from '../../domain/tenants/tenant';
import { CATALOG_PK, keys, TABLE_INDEXES, TENANT_LIST_PK } from '../keys';
import { readCatalogRevision } from './catalog-revision';
import { documentClient, queryAll } from './client';
import { entityOf } from './item';
import { DynamoSchemaStore } from './schema-store';

const strip = <T>(item: Record<string, unknown>): T => entityOf<T>(item);

/** A registered schema item holds the descriptor, flat or under `descriptor`. */
function toDescriptor(item: Record<string, unknown>): TableSchemaDescriptor | undefined {
  const d = (item.descriptor ?? strip(item)) as Partial<TableSchemaDescriptor>;
  return typeof d.id === 'string' && Array.isArray(d.fields) ? (d as TableSchemaDescriptor) : undefined;
}

/** Catalogue reads: GetItem and Query only (the catalog function is not even granted Scan). */
export class DynamoCatalogStore implements CatalogReader {
  constructor(private readonly table: string) {}

  private queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
    return queryAll({ TableName: this.table, ...input });
  }

  private byIndex(index: 'gsi1' | 'gsi2', pk: string, forward = true) {
    const gsi = TABLE_INDEXES[index];
    return this.queryAll({
      IndexName: gsi.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': gsi.pk },
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: forward,
    });
  }

  catalogRevision(): Promise<number> {
    return readCatalogRevision(this.table);
  }

  async listPublished(): Promise<Dataset[]> {
    return (await this.byIndex('gsi1', CATALOG_PK, false)).map((i) => strip<Dataset>(i));
  }

  async getDataset(tenantId: string, slug: string): Promise<Dataset | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.dataset(tenantId, slug) }));
    return out.Item ? strip<Dataset>(out.Item) : undefined;
  }

  async listVersions(tenantId: string, slug: string, limit: number): Promise<DatasetVersion[]> {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': keys.versionPk(tenantId, slug), ':v': keys.versionSkPrefix },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => strip<DatasetVersion>(i));
  }

  async getVersionStats(tenantId: string, slug: string, version: number): Promise<TableStats | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.versionStats(tenantId, slug, version) }));
    return typeof out.Item?.stats === 'string' ? (JSON.parse(out.Item.stats) as TableStats) : undefined;
  }

  async getTenant(id: string): Promise<Tenant | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.tenant(id) }));
    return out.Item ? strip<Tenant>(out.Item) : undefined;
  }

  async listTenants(): Promise<Tenant[]> {
    return (await this.byIndex('gsi1', TENANT_LIST_PK)).map((i) => strip<Tenant>(i));
  }

  async listCustomSchemas(): Promise<TableSchemaDescriptor[]> {
    const [current, versions] = await Promise.all([
      this.byIndex('gsi1', keys.customSchemaList('').gsi1pk),
      this.byIndex('gsi1', keys.customSchemaVersionList('', '').gsi1pk, false),
    ]);
    const older = new Map<string, TableSchemaDescriptor[]>();
    for (const d of versions.map(toDescriptor)) if (d) older.set(d.id, [...(older.get(d.id) ?? []), d]);
    // Per schema: the current version, then the others, highest number first.
    return current
      .map(toDescriptor)
      .filter((d): d is TableSchemaDescriptor => d !== undefined)
      .flatMap((d) => [d, ...(older.get(d.id) ?? []).filter((v) => v.version !== d.version).sort((a, b) => compareVersions(b.version, a.version))]);
  }

  /** A registered schema, its current version or `version` (the schema store's own reads: GetItem only). */
  async getCustomSchema(id: string, version?: string): Promise<TableSchemaDescriptor | undefined> {
    return (await new DynamoSchemaStore(this.table).get(id, version))?.descriptor;
  }

  async datasetsOfSchema(schemaId: string): Promise<Dataset[]> {
    return (await this.byIndex('gsi2', keys.datasetSchema(schemaId, '', '').gsi2pk)).map((i) => strip<Dataset>(i));
  }
}
