import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { slugSchema, type Tenant, type TenantStatus, type UpdateTenantInput } from '../../domain/tenants/tenant';
import { keys, TABLE_INDEXES, TENANT_LIST_PK } from '../keys';
import { AlreadyExistsError, type Page, type TenantStore } from '../ports';
import { conditionalUpdate, decodeKeyCursor, documentClient, encodeCursor, isConditionalCheckFailed } from './client';
import { bumpCatalogRevision } from './catalog-revision';
import { entityOf } from './item';
import { updateExpression } from './update-expression';

const toTenant = (item: Record<string, unknown>) => entityOf<Tenant>(item);

export class DynamoTenantStore implements TenantStore {
  constructor(private readonly table: string) {}

  async create(tenant: Tenant): Promise<void> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.tenant(tenant.id), ...keys.tenantList(tenant.id), entity: 'tenant', ...tenant },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new AlreadyExistsError(`tenant ${tenant.id}`);
      throw error;
    }
    await bumpCatalogRevision(this.table);
  }

  async get(id: string): Promise<Tenant | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.tenant(id) }));
    return out.Item ? toTenant(out.Item) : undefined;
  }

  async list(limit: number, cursor?: string): Promise<Page<Tenant>> {
    const { gsi1 } = TABLE_INDEXES;
    const out = await documentClient().send(
      new QueryCommand({
        TableName: this.table,
        IndexName: gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': gsi1.pk },
        ExpressionAttributeValues: { ':pk': TENANT_LIST_PK },
        Limit: limit,
        // The key of a tenant of the list, whole (a forged cursor is refused, not sent to DynamoDB).
        ExclusiveStartKey: decodeKeyCursor(cursor, gsi1.sk, (id) => (slugSchema.safeParse(id).success ? { ...keys.tenant(id), ...keys.tenantList(id) } : undefined)),
      }),
    );
    return { items: (out.Items ?? []).map(toTenant), nextCursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async update(id: string, patch: UpdateTenantInput, now: string): Promise<Tenant | undefined> {
    return this.conditionalUpdate(id, { ...patch, updatedAt: now });
  }

  async setStatus(id: string, status: TenantStatus, now: string): Promise<Tenant | undefined> {
    return this.conditionalUpdate(id, { status, updatedAt: now });
  }

  private async conditionalUpdate(id: string, patch: Record<string, unknown>): Promise<Tenant | undefined> {
    const item = await conditionalUpdate({
      TableName: this.table,
      Key: keys.tenant(id),
      ...updateExpression(patch, { expression: 'attribute_exists(pk)' }),
    });
    if (item) await bumpCatalogRevision(this.table);
    return item ? toTenant(item) : undefined;
  }
}
