import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateToken, hashToken } from '../../functions/domain/auth/token';
import { resetEnvCache } from '../../functions/env';
import { ensureResources, LOCAL_CREDENTIALS, LOCAL_REGION, startEmulators } from './emulators';
import { LocalQueue, type SqsLambda } from './event-queue';
import { createApiServer, type HttpLambda } from './http-server';
import { seedDemo } from './seed';

export const TABLE_NAME = 'socle-local';
export const UPLOAD_BUCKET = 'socle-local-uploads';
export const PUBLIC_BUCKET = 'socle-local-public';

export interface PlatformOptions {
  dataDir: string;
  port?: number;
  s3Port?: number;
  dynamoPort?: number;
  adminToken?: string;
  reset?: boolean;
  seed?: boolean;
  log?: (line: string) => void;
}

export interface Platform {
  apiUrl: string;
  publicUrl: string;
  s3Endpoint: string;
  dynamoEndpoint: string;
  adminToken: string;
  queue: LocalQueue;
  /** Public bucket events → consolidate (territory files, catalogue exports). */
  consolidation: LocalQueue;
  close(): Promise<void>;
}

/** The admin token: the one given, else the one kept in the data folder, else a new one kept there. */
function resolveAdminToken(dataDir: string, given: string | undefined): string {
  if (given) return given;
  const file = path.join(dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = generateToken();
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

/** The consolidation's trigger (the stack's notification filter: prefix `datasets/`, this suffix). */
function isLatestDatapackage(key: string): boolean {
  return key.startsWith('datasets/') && key.endsWith('/latest/datapackage.json');
}

function sqsContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'socle-local-standardize',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:socle-local-standardize',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/socle-local-standardize',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 300_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * What the handlers need to reach the emulators: only endpoints, names and local
 * credentials — the code paths are those of AWS. Also used by tests that run a handler
 * in-process against a running platform.
 */
export function handlerEnvironment(endpoints: { dynamoEndpoint: string; s3Endpoint: string; publicUrl: string }): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: endpoints.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    TABLE_NAME,
    UPLOAD_BUCKET,
    PUBLIC_BUCKET,
    PUBLIC_BASE_URL: endpoints.publicUrl,
  };
}

/**
 * Starts the whole platform in this process: emulators persisted under `dataDir`, the table
 * and buckets, the API server calling the Lambda handlers, and the S3 → queue → standardize
 * path. Handlers only learn the emulators' endpoints through the environment.
 */
export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const log = opts.log ?? ((line: string) => console.log(line));
  if (opts.reset) rmSync(opts.dataDir, { recursive: true, force: true });
  mkdirSync(opts.dataDir, { recursive: true });
  const adminToken = resolveAdminToken(opts.dataDir, opts.adminToken);

  const emulators = await startEmulators({
    dataDir: opts.dataDir,
    dynamoPort: opts.dynamoPort,
    s3Port: opts.s3Port,
    uploadBucket: UPLOAD_BUCKET,
    publicBucket: PUBLIC_BUCKET,
    corsOrigin: '*',
  });
  await ensureResources({
    dynamoEndpoint: emulators.dynamoEndpoint,
    s3Endpoint: emulators.s3Endpoint,
    table: TABLE_NAME,
    buckets: [UPLOAD_BUCKET, PUBLIC_BUCKET],
  });

  const publicUrl = `${emulators.s3Endpoint}/${PUBLIC_BUCKET}`;
  Object.assign(process.env, handlerEnvironment({ ...emulators, publicUrl }), { ADMIN_TOKEN_SHA256: hashToken(adminToken) });
  delete process.env.ADMIN_TOKEN_SECRET_ARN;
  resetEnvCache();

  // Imported after the environment is set, as a Lambda cold start would see it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const handlers = {
    admin: require('../../functions/admin/handler').handler as HttpLambda,
    publish: require('../../functions/publish/handler').handler as HttpLambda,
    catalog: require('../../functions/catalog/handler').handler as HttpLambda,
  };
  const standardize = require('../../functions/standardize/handler').handler as SqsLambda;
  const standardizeDeadLetters = require('../../functions/standardize/dead-letter').handler as SqsLambda;
  const consolidate = require('../../functions/consolidate/handler').handler as SqsLambda;
  /* eslint-enable @typescript-eslint/no-require-imports */

  // The standardize dead-letter queue and its consumer (functions/standardize/dead-letter.ts).
  const uploadDeadLetters = new LocalQueue({
    name: 'socle-local-uploads-dead-letters',
    handler: standardizeDeadLetters,
    context: sqsContext,
    maxReceiveCount: 3,
    deadLetterFile: path.join(opts.dataDir, 'dead-letters.jsonl'),
  });
  const queue = new LocalQueue({
    name: 'socle-local-uploads',
    handler: standardize,
    context: sqsContext,
    maxReceiveCount: 3,
    deadLetterFile: path.join(opts.dataDir, 'dead-letters.jsonl'),
    deadLetterQueue: uploadDeadLetters,
  });
  // The stack's second notification: public bucket, `datasets/…/latest/datapackage.json`
  // created or removed → consolidation queue (one message per S3 event, as S3 sends them).
  const consolidation = new LocalQueue({
    name: 'socle-local-consolidation',
    handler: consolidate,
    context: sqsContext,
    maxReceiveCount: 3,
    deadLetterFile: path.join(opts.dataDir, 'dead-letters.jsonl'),
  });
  emulators.s3rver.on('event', (event) => {
    const records = event.Records.filter((r) => r.s3.bucket.name === UPLOAD_BUCKET && r.s3.object.key.startsWith('uploads/'));
    if (records.length > 0) queue.send(JSON.stringify({ Records: records }));
    const published = event.Records.filter(
      (r) => r.eventName.startsWith('ObjectCreated') && r.s3.bucket.name === PUBLIC_BUCKET && isLatestDatapackage(r.s3.object.key),
    );
    if (published.length > 0) consolidation.send(JSON.stringify({ Records: published }));
  });
  // S3 sends ObjectRemoved for every object of a DeleteObjects call; s3rver sends none for
  // those (and one for DeleteObject). Every removal goes through its store, so removals are
  // reported from there, once each, whichever API call made them.
  const store = (emulators.s3rver as unknown as { store: { deleteObject(bucket: string, key: string): Promise<unknown> } }).store;
  const deleteObject = store.deleteObject.bind(store);
  store.deleteObject = async (bucket: string, key: string) => {
    const result = await deleteObject(bucket, key);
    if (bucket === PUBLIC_BUCKET && isLatestDatapackage(key)) {
      const record = { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 0 } } };
      consolidation.send(JSON.stringify({ Records: [record] }));
    }
    return result;
  };

  const server = createApiServer(handlers);
  // Longer than clients' idle keep-alive (undici: 4 s), so a client never reuses a socket the
  // server is closing at that instant (ECONNRESET / "other side closed" under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3000, '127.0.0.1', () => resolve());
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  if (opts.seed ?? true) await seedDemo({ apiUrl, adminToken, log });

  return {
    apiUrl,
    publicUrl,
    s3Endpoint: emulators.s3Endpoint,
    dynamoEndpoint: emulators.dynamoEndpoint,
    adminToken,
    queue,
    consolidation,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue.close();
      await uploadDeadLetters.close();
      await consolidation.close();
      await emulators.close();
    },
  };
}
