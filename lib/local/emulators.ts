import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { tableDefinition } from '../table-definition';

// Both emulators are CommonJS without type definitions.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => S3rverInstance;

export interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3NotificationEvent) => void): void;
}

export interface S3NotificationEvent {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string; size: number; eTag?: string } } }[];
}

export interface Emulators {
  dynamoEndpoint: string;
  s3Endpoint: string;
  s3rver: S3rverInstance;
  close(): Promise<void>;
}

/** Local credentials: dynalite accepts any, s3rver expects its documented pair. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LOCAL_REGION = 'eu-west-3';

/**
 * Starts dynalite and s3rver on loopback, persisted under `dataDir`. Port 0 picks free ports.
 * `corsOrigin` configures the upload bucket for browser PUTs as the stack does.
 */
export async function startEmulators(opts: {
  dataDir: string;
  dynamoPort?: number;
  s3Port?: number;
  uploadBucket: string;
  publicBucket: string;
  corsOrigin: string;
}): Promise<Emulators> {
  const dynamoDir = path.join(opts.dataDir, 'dynamodb');
  const s3Dir = path.join(opts.dataDir, 's3');
  mkdirSync(dynamoDir, { recursive: true });
  mkdirSync(s3Dir, { recursive: true });

  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(opts.dynamoPort ?? 0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamo.address() as AddressInfo).port;

  const cors = `<CORSConfiguration><CORSRule><AllowedOrigin>${opts.corsOrigin}</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
  const publicCors = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>`;
  const s3rver = new S3rver({
    port: opts.s3Port ?? 0,
    address: '127.0.0.1',
    directory: s3Dir,
    silent: true,
    configureBuckets: [
      { name: opts.uploadBucket, configs: [cors] },
      { name: opts.publicBucket, configs: [publicCors] },
    ],
  });
  const s3Address = await s3rver.run();

  return {
    dynamoEndpoint: `http://127.0.0.1:${dynamoPort}`,
    s3Endpoint: `http://127.0.0.1:${s3Address.port}`,
    s3rver,
    async close() {
      await s3rver.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}

/** Creates the table (same keys and indexes as the stack) and the buckets when missing. */
export async function ensureResources(opts: {
  dynamoEndpoint: string;
  s3Endpoint: string;
  table: string;
  buckets: string[];
}): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint: opts.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await ddb.send(new DescribeTableCommand({ TableName: opts.table }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    const attrs = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
    tableDefinition.globalSecondaryIndexes.forEach((g) => {
      attrs.add(g.partitionKey);
      attrs.add(g.sortKey);
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: opts.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((g) => ({
          IndexName: g.indexName,
          KeySchema: [
            { AttributeName: g.partitionKey, KeyType: 'HASH' },
            { AttributeName: g.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  }
  ddb.destroy();

  const s3 = new S3Client({ endpoint: opts.s3Endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  for (const bucket of opts.buckets) {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    }
  }
  s3.destroy();
}
