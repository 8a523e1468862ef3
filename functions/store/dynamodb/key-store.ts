import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys, TABLE_INDEXES } from '../keys';
import type { ApiKey, KeyStore } from '../ports';
import { documentClient, isConditionalCheckFailed, queryAll } from './client';

const TOUCH_INTERVAL_MS = 60_000;

function toKey(item: Record<string, unknown>): ApiKey {
  const { id, tokenHash, role, tenantId, createdAt, lastUsedAt, revokedAt } = item as unknown as ApiKey;
  return { id, tokenHash, role, tenantId, createdAt, lastUsedAt, revokedAt };
}

export class DynamoKeyStore implements KeyStore {
  constructor(private readonly table: string) {}

  async create(key: ApiKey): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.apiKey(key.tokenHash), ...keys.apiKeyList(key.tenantId, key.id), entity: 'apiKey', ...key },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async findByHash(tokenHash: string): Promise<ApiKey | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.apiKey(tokenHash) }));
    return out.Item ? toKey(out.Item) : undefined;
  }

  async listByTenant(tenantId: string): Promise<ApiKey[]> {
    const { gsi1 } = TABLE_INDEXES;
    const items = await queryAll({
      TableName: this.table,
      IndexName: gsi1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': gsi1.pk },
      ExpressionAttributeValues: { ':pk': keys.apiKeyListPk(tenantId) },
    });
    return items.map(toKey);
  }

  async revoke(tenantId: string, keyId: string, now: string): Promise<boolean> {
    const { gsi1 } = TABLE_INDEXES;
    const found = await documentClient().send(
      new QueryCommand({
        TableName: this.table,
        IndexName: gsi1.name,
        KeyConditionExpression: '#pk = :pk AND #sk = :sk',
        ExpressionAttributeNames: { '#pk': gsi1.pk, '#sk': gsi1.sk },
        ExpressionAttributeValues: { ':pk': keys.apiKeyListPk(tenantId), ':sk': keyId },
      }),
    );
    const item = found.Items?.[0];
    if (!item) return false;
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.apiKey(String(item.tokenHash)),
          UpdateExpression: 'SET revokedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return true;
  }

  async touch(tokenHash: string, now: string): Promise<void> {
    const before = new Date(Date.parse(now) - TOUCH_INTERVAL_MS).toISOString();
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.apiKey(tokenHash),
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :before)',
          ExpressionAttributeValues: { ':now': now, ':before': before },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
