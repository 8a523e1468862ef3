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

export function decodeCursor(cursor: string | undefined, expectedKeys: string[]): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      expectedKeys.every((k) => typeof (value as Record<string, unknown>)[k] === 'string') &&
      Object.keys(value).length === expectedKeys.length
    ) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through: a cursor that does not decode is a client error
  }
  throw new InvalidCursorError();
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
