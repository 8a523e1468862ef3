/**
 * Child process of bench/run.ts: s3rver (with the local platform's buckets) in a folder of
 * its own, with the benchmark's input files uploaded, for the contender that standardizes
 * from and to S3 as the deployed function does. Its CPU is not the contender's.
 *   s3-emulator.ts <dataDir> <name>=<file>…
 * Sends `{ env, bucket, keys }` over IPC once the files are there; stops when the parent
 * goes away.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureResources, LOCAL_CREDENTIALS, LOCAL_REGION, startEmulators } from '../lib/local/emulators';
import { PUBLIC_BUCKET, TABLE_NAME, UPLOAD_BUCKET } from '../lib/local/platform';

export interface S3EmulatorReady {
  /** What a contender's process needs to reach this s3rver with the handlers' code. */
  env: Record<string, string>;
  bucket: string;
  /** Object key per input name. */
  keys: Record<string, string>;
}

async function main(): Promise<void> {
  const [dataDir, ...inputs] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: s3-emulator.ts <dataDir> <name>=<file>…');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const emulators = await startEmulators({ dataDir, uploadBucket: UPLOAD_BUCKET, publicBucket: PUBLIC_BUCKET, corsOrigin: '*' });
  await ensureResources({ dynamoEndpoint: emulators.dynamoEndpoint, s3Endpoint: emulators.s3Endpoint, table: TABLE_NAME, buckets: [UPLOAD_BUCKET, PUBLIC_BUCKET] });
  const client = new S3Client({ region: LOCAL_REGION, endpoint: emulators.s3Endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
  const keys: Record<string, string> = {};
  for (const input of inputs) {
    const [name, file] = input.split('=');
    keys[name] = `bench/${name}`;
    // A buffer, not a stream: a streamed body goes as aws-chunked, which s3rver stores as is.
    await client.send(new PutObjectCommand({ Bucket: UPLOAD_BUCKET, Key: keys[name], Body: readFileSync(file) }));
  }
  client.destroy();
  process.on('disconnect', () => {
    void emulators.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  const env = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    TABLE_NAME,
  };
  const ready: S3EmulatorReady = { env, bucket: UPLOAD_BUCKET, keys };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
