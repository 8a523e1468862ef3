import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableSchemaDescriptor } from '../../domain/schema/types';
import { keys, TABLE_INDEXES } from '../keys';
import { AlreadyExistsError } from '../ports';
import { documentClient, isConditionalCheckFailed, queryAll } from './client';

export interface RegisteredSchema {
  descriptor: TableSchemaDescriptor;
  registeredAt: string;
}

/**
 * Custom Table Schemas registered by the département. Each version is an item of its own
 * (`VERSION#<v>`, written once); `META` holds the current one, the last registered, which
 * new uploads are checked against.
 */
export class DynamoSchemaStore {
  constructor(private readonly table: string) {}

  /**
   * Registers a version (AlreadyExistsError when that version is registered) and makes it
   * current. A registration cut between its two writes is completed by the same request
   * again; of two registrations at once, the later one is current.
   */
  async register(descriptor: TableSchemaDescriptor, now: string): Promise<void> {
    // A schema registered before versions had items of their own keeps its first version.
    const current = await this.get(descriptor.id);
    if (current && current.descriptor.version !== descriptor.version) await this.putVersion(current.descriptor, current.registeredAt, false);
    let registeredAt = now;
    try {
      await this.putVersion(descriptor, now, true);
    } catch (error) {
      const stored = error instanceof AlreadyExistsError ? await this.get(descriptor.id, descriptor.version) : undefined;
      const unfinished = stored && current?.descriptor.version !== descriptor.version && JSON.stringify(stored.descriptor) === JSON.stringify(descriptor);
      if (!unfinished) throw error;
      registeredAt = stored.registeredAt;
    }
    try {
      await documentClient().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.customSchema(descriptor.id), ...keys.customSchemaList(descriptor.id), entity: 'schema', descriptor, registeredAt },
          ConditionExpression: 'attribute_not_exists(pk) OR registeredAt <= :at',
          ExpressionAttributeValues: { ':at': registeredAt },
        }),
      );
    } catch (error) {
      // A later registration went current meanwhile: this version stays in the history.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  private async putVersion(descriptor: TableSchemaDescriptor, registeredAt: string, fresh: boolean): Promise<void> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.customSchemaVersion(descriptor.id, descriptor.version),
            ...keys.customSchemaVersionList(descriptor.id, registeredAt),
            entity: 'schema-version',
            descriptor,
            registeredAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if (fresh) throw new AlreadyExistsError(`schema ${descriptor.id} ${descriptor.version}`);
    }
  }

  /** The current version, or `version` (also a schema registered before versions had items of their own). */
  async get(id: string, version?: string): Promise<RegisteredSchema | undefined> {
    if (version !== undefined) {
      const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.customSchemaVersion(id, version) }));
      if (out.Item) return registered(out.Item);
      const current = await this.get(id);
      return current?.descriptor.version === version ? current : undefined;
    }
    const out = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.customSchema(id) }));
    return out.Item ? registered(out.Item) : undefined;
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
    return items.map(registered);
  }
}

function registered(item: Record<string, unknown>): RegisteredSchema {
  return { descriptor: item.descriptor as TableSchemaDescriptor, registeredAt: String(item.registeredAt) };
}
