import { S3Client } from '@aws-sdk/client-s3';
import { env } from '../../env';

let client: S3Client | undefined;
let presigner: S3Client | undefined;

/**
 * One S3 client per process. The endpoint comes from `AWS_ENDPOINT_URL_S3` (local
 * platform, with path-style addressing), else the regional AWS endpoint.
 */
export function s3Client(): S3Client {
  if (!client) client = new S3Client({ forcePathStyle: env().S3_FORCE_PATH_STYLE });
  return client;
}

/**
 * The client that signs upload URLs. By default the SDK adds a CRC32 of the (empty) body
 * to a presigned PutObject URL (`x-amz-checksum-crc32=AAAAAA==`), and S3 then refuses the
 * browser's real bytes with BadDigest; s3rver ignores it, so only this setting prevents it.
 */
export function s3Presigner(): S3Client {
  if (!presigner) {
    presigner = new S3Client({ forcePathStyle: env().S3_FORCE_PATH_STYLE, requestChecksumCalculation: 'WHEN_REQUIRED' });
  }
  return presigner;
}
