import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsolidationJobs } from '../../domain/catalog/ports';
import type { Dataset } from '../../domain/datasets/dataset';
import { keys } from '../keys';
import { bumpCatalogRevision } from './catalog-revision';
import { documentClient, isConditionalCheckFailed } from './client';

/**
 * One item per consolidation job: `generation` (bumped on every input change), `built`
 * (the generation the files reflect), and a lease (`leaseOwner`, `leaseUntil` in ms). Every
 * transition is one conditional UpdateItem: no transactions (dynalite has none).
 */
export class DynamoConsolidationJobs implements ConsolidationJobs {
  constructor(private readonly table: string) {}

  async bump(job: string): Promise<number> {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.consolidation(job),
        UpdateExpression: 'ADD generation :one SET job = :job',
        ExpressionAttributeValues: { ':one': 1, ':job': job },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(out.Attributes?.generation ?? 0);
  }

  async tryLease(job: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.consolidation(job),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(leaseOwner) OR leaseUntil < :now)',
          ExpressionAttributeValues: { ':owner': owner, ':until': now + ttlMs, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async generation(job: string): Promise<number> {
    const out = await documentClient().send(
      new GetCommand({ TableName: this.table, Key: keys.consolidation(job), ConsistentRead: true }),
    );
    return Number(out.Item?.generation ?? 0);
  }

  async releaseIfCurrent(job: string, owner: string, built: number, now: number, ttlMs: number): Promise<'released' | 'moved' | 'lost'> {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.consolidation(job),
          UpdateExpression: 'SET built = :g, builtAt = :at REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner AND generation = :g',
          ExpressionAttributeValues: { ':owner': owner, ':g': built, ':at': new Date(now).toISOString() },
        }),
      );
      return 'released';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    // The generation moved on (or the lease was taken over): renew if still ours.
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.consolidation(job),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner, ':until': now + ttlMs },
        }),
      );
      return 'moved';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'lost';
      throw error;
    }
  }

  async abandon(job: string, owner: string): Promise<void> {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.consolidation(job),
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /**
   * The département's dataset that lists a consolidated file: on GSI1 CATALOG while it has
   * rows (so the catalogue shows it), never on GSI2 (it must not feed its own consolidation).
   */
  async putConsolidatedDataset(dataset: Dataset & { consolidationOf: string }, listed: boolean): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.dataset(dataset.tenantId, dataset.slug),
          ...(listed ? keys.datasetCatalog(dataset.modified ?? dataset.updatedAt, dataset.tenantId, dataset.slug) : {}),
          entity: 'dataset',
          ...dataset,
        },
      }),
    );
    await bumpCatalogRevision(this.table);
  }
}
