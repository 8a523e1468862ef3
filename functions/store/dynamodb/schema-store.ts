import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableSchemaDescriptor } from '../../domain/schema/types';
import { versionOrder } from '../../domain/schema/version-order';
import { keys, TABLE_INDEXES } from '../keys';
import { AlreadyExistsError, EquivalentVersionError } from '../ports';
import { documentClient, isConditionalCheckFailed, queryAll } from './client';

export interface RegisteredSchema {
  descriptor: TableSchemaDescriptor;
  registeredAt: string;
}

/**
 * Custom Table Schemas registered by the département. Each version is an item of its own
 * (`VERSION#<v>`, written once); `META` holds the current one, the highest version number
 * (domain/schema/version-order.ts), which new uploads are checked against.
 */
/** How long a registration may take between its rank claim and its version's write (a request's timeout and then some). */
const RANK_CLAIM_MS = 5 * 60 * 1000;

export class DynamoSchemaStore {
  constructor(private readonly table: string) {}

  /**
   * Registers a version (AlreadyExistsError when that version is registered, EquivalentVersionError
   * when one of the same rank is, `1.1.0` for `1.1`) and makes it
   * current when its number is the highest: an older number (a fix to a previous line) goes
   * into the history only. A registration cut between its two writes is completed by the same
   * request again; of two registrations at once, the higher number is current. Returns
   * whether this version is current.
   */
  async register(descriptor: TableSchemaDescriptor, now: string): Promise<boolean> {
    // A schema registered before versions had items of their own keeps its first version.
    const current = await this.get(descriptor.id);
    const order = versionOrder(descriptor.version);
    const known = [...(await this.versionNumbers(descriptor.id)), ...(current ? [current.descriptor.version] : [])];
    const equivalent = known.find((v) => v !== descriptor.version && versionOrder(v) === order);
    if (equivalent !== undefined) throw new EquivalentVersionError(equivalent);
    await this.claimRank(descriptor.id, order, descriptor.version);
    if (current && current.descriptor.version !== descriptor.version) await this.putVersion(current.descriptor, current.registeredAt, false);
    let registeredAt = now;
    try {
      await this.putVersion(descriptor, now, true);
    } catch (error) {
      const stored = error instanceof AlreadyExistsError ? await this.get(descriptor.id, descriptor.version) : undefined;
      // Cut before its current-version write: stored, the same, and higher than the current one (a lower one never goes current: registered whole).
      const unfinished =
        stored &&
        (current === undefined || versionOrder(current.descriptor.version) < versionOrder(descriptor.version)) &&
        JSON.stringify(stored.descriptor) === JSON.stringify(descriptor);
      if (!unfinished) throw error;
      registeredAt = stored.registeredAt;
    }
    // Lower than the current one or one in the history (a lower one made current before versions were ordered).
    if (current && versionOrder(current.descriptor.version) > order) return false;
    if ((await this.versionNumbers(descriptor.id)).some((v) => versionOrder(v) > order)) return false;
    try {
      await documentClient().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.customSchema(descriptor.id), ...keys.customSchemaList(descriptor.id), entity: 'schema', descriptor, registeredAt, versionOrder: order },
          // Written before versions were ordered (no versionOrder): the last registered was current.
          ConditionExpression: 'attribute_not_exists(pk) OR versionOrder <= :order OR (attribute_not_exists(versionOrder) AND registeredAt <= :at)',
          ExpressionAttributeValues: { ':order': order, ':at': registeredAt },
        }),
      );
      return true;
    } catch (error) {
      // A higher version is current: this one stays in the history.
      if (!isConditionalCheckFailed(error)) throw error;
      return false;
    }
  }

  /**
   * Claims the rank of a version number, once (`1.1` and `1.1.0` registered at the same time:
   * one wins); the same version again (a retried registration) keeps its claim, and a claim
   * whose version was never written (its registration cut short) is taken over.
   */
  private async claimRank(id: string, order: string, version: string): Promise<void> {
    if (await this.putRank(id, order, version, 'attribute_not_exists(pk) OR #v = :v', version)) return;
    const claimed = await documentClient().send(new GetCommand({ TableName: this.table, Key: keys.customSchemaRank(id, order) }));
    const holder = String(claimed.Item?.version ?? '');
    // A claim left by a registration cut before its version was written names no version: taken
    // over once it is old enough not to be a registration still under way.
    const stale = Date.now() - Number(claimed.Item?.claimedAt ?? 0) > RANK_CLAIM_MS;
    if (holder !== '' && stale && (await this.get(id, holder)) === undefined && (await this.putRank(id, order, version, '#v = :v', holder))) return;
    throw new EquivalentVersionError(holder);
  }

  /** Writes the rank item of `order` for `version` if `condition` holds (`:v` is `expected`); false when it does not. */
  private async putRank(id: string, order: string, version: string, condition: string, expected: string): Promise<boolean> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.customSchemaRank(id, order), entity: 'schema-rank', version, claimedAt: Date.now() },
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expected },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return false;
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

  /** The version numbers registered for `id` (their own items). */
  private async versionNumbers(id: string): Promise<string[]> {
    const { gsi1 } = TABLE_INDEXES;
    const items = await queryAll({
      TableName: this.table,
      IndexName: gsi1.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': gsi1.pk, '#sk': gsi1.sk },
      ExpressionAttributeValues: { ':pk': keys.customSchemaVersionList(id, '').gsi1pk, ':prefix': keys.customSchemaVersionList(id, '').gsi1sk },
    });
    return items.map((i) => registered(i).descriptor.version);
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
