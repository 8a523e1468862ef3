import { S3Client } from '@aws-sdk/client-s3';
import { env } from '../../env';

let client: S3Client | undefined;

/**
 * One S3 client per process. The endpoint comes from `AWS_ENDPOINT_URL_S3` (local
 * platform, with path-style addressing), else the regional AWS endpoint.
 */
export function s3Client(): S3Client {
  if (!client) client = new S3Client({ forcePathStyle: env().S3_FORCE_PATH_STYLE });
  return client;
}
