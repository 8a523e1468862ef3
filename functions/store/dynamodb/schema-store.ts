import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableSchemaDescriptor } from '../../domain/schema/types';
import { keys, TABLE_INDEXES } from '../keys';
import { AlreadyExistsError } from '../ports';
import { documentClient, isConditionalCheckFailed, queryAll } from './client';

export interface RegisteredSchema {
  descriptor: TableSchemaDescriptor;
  registeredAt: string;
}

/** Custom Table Schemas registered by the département. */
export class DynamoSchemaStore {
  constructor(private readonly table: string) {}

  async register(descriptor: TableSchemaDescriptor, now: string): Promise<void> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.customSchema(descriptor.id),
            ...keys.customSchemaList(descriptor.id),
            entity: 'schema',
            descriptor,
            registeredAt: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new AlreadyExistsError(`schema ${descriptor.id}`);
      throw error;
    }
  }

  async get(id: string): Promise<RegisteredSchema | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.customSchema(id) }));
    return out.Item ? { descriptor: out.Item.descriptor as TableSchemaDescriptor, registeredAt: String(out.Item.registeredAt) } : undefined;
  }

  async list(): Promise<RegisteredSchema[]> {
    const { gsi1 } = TABLE_INDEXES;
    const items = await queryAll({
      TableName: this.table,
      IndexName: gsi1.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': gsi1.pk },
      ExpressionAttributeValues: { ':pk': 'SCHEMAS' },
    });
    return items.map((i) => ({ descriptor: i.descriptor as TableSchemaDescriptor, registeredAt: String(i.registeredAt) }));
  }
}
