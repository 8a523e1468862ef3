import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { PublicFiles } from '../../domain/catalog/ports';
import { env } from '../../env';

let client: S3Client | undefined;

/** The endpoint comes from `AWS_ENDPOINT_URL_S3` (local platform), path-style when told. */
function s3(): S3Client {
  if (!client) client = new S3Client({ forcePathStyle: env().S3_FORCE_PATH_STYLE });
  return client;
}

/** Closes the client's sockets (tests running handlers in process). */
export function destroyPublicFilesClient(): void {
  client?.destroy();
  client = undefined;
}

/** The public bucket as the catalogue and the consolidation use it. */
export class S3PublicFiles implements PublicFiles {
  constructor(private readonly bucket: string) {}

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const out = await s3().send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return undefined;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer | string, meta: { contentType: string; filename?: string; cacheControl: string }): Promise<void> {
    await s3().send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
        ContentType: meta.contentType,
        CacheControl: meta.cacheControl,
        ContentDisposition: meta.filename ? `attachment; filename="${meta.filename}"` : undefined,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await s3().send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
