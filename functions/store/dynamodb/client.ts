import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand, type QueryCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';

let doc: DynamoDBDocumentClient | undefined;

/**
 * One document client per process. The endpoint comes from the standard
 * `AWS_ENDPOINT_URL_DYNAMODB` variable (local platform), else the regional AWS endpoint.
 */
export function documentClient(): DynamoDBDocumentClient {
  if (!doc) {
    doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return doc;
}

/** Opaque pagination cursor: the LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : null;
}

/**
 * A cursor that must be the whole key of an item of this listing: `rebuild` makes that key
 * from the cursor's `sortKey` (undefined when it cannot be one), and every attribute must
 * match. A cursor of another listing, or forged (empty or oversized attributes, which DynamoDB
 * would answer with a ValidationException), is refused before any query.
 */
export function decodeKeyCursor(
  cursor: string | undefined,
  sortKey: string,
  rebuild: (sortKeyValue: string) => Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCursorError();
  const given = value as Record<string, unknown>;
  const key = typeof given[sortKey] === 'string' ? rebuild(given[sortKey]) : undefined;
  if (!key || Object.keys(given).length !== Object.keys(key).length || Object.entries(key).some(([k, v]) => given[k] !== v)) {
    throw new InvalidCursorError();
  }
  return key;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
  }
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Every item of a query, following LastEvaluatedKey (for bounded sets: a tenant's keys, a dataset's versions…). */
export async function queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** An update whose condition may fail: returns the new item, or undefined when the condition did not hold. */
export async function conditionalUpdate(input: UpdateCommandInput): Promise<Record<string, unknown> | undefined> {
  try {
    const out = await documentClient().send(new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW' }));
    return out.Attributes;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}
