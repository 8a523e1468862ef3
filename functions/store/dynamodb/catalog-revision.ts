import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CATALOG_REVISION_KEY } from '../keys';
import { documentClient } from './client';

/**
 * The catalogue revision: a counter bumped AFTER each write that changes the public
 * catalogue (a dataset published, restored, unpublished or edited, a tenant created or
 * renamed, a consolidated file listed). A reader reads it BEFORE loading the catalogue, so a
 * snapshot cached under revision r never hides a write whose bump made r + 1.
 */
export async function bumpCatalogRevision(table: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table,
      Key: CATALOG_REVISION_KEY,
      UpdateExpression: 'ADD revision :one',
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
}

export async function readCatalogRevision(table: string): Promise<number> {
  const out = await documentClient().send(new GetCommand({ TableName: table, Key: CATALOG_REVISION_KEY, ConsistentRead: true }));
  return Number(out.Item?.revision ?? 0);
}
