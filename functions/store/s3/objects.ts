import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PassThrough, type Readable } from 'node:stream';
import type { ByteSink } from '../../domain/standardize/standardize-table';
import { s3Client, s3Presigner } from './client';

export interface ObjectHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
}

function headers(h: ObjectHeaders): Pick<PutObjectCommandInput, 'ContentType' | 'CacheControl' | 'ContentDisposition'> {
  return { ContentType: h.contentType, CacheControl: h.cacheControl, ContentDisposition: h.contentDisposition };
}

/** A presigned PUT for exactly one key, content type and length, valid `expiresIn` seconds. */
export async function presignPut(bucket: string, key: string, contentType: string, size: number, expiresIn: number) {
  const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: size });
  const url = await getSignedUrl(s3Presigner(), command, {
    expiresIn,
    // Content type and length are signed: S3 refuses a PUT whose headers differ.
    signableHeaders: new Set(['content-type', 'content-length']),
  });
  return { url, headers: { 'content-type': contentType, 'content-length': String(size) } };
}

export async function headObject(bucket: string, key: string): Promise<{ size: number; contentType?: string } | undefined> {
  try {
    const out = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: out.ContentLength ?? 0, contentType: out.ContentType };
  } catch (error) {
    if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return undefined;
    throw error;
  }
}

export async function getObjectStream(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body as Readable;
}

export async function getObjectText(bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body!.transformToString('utf-8');
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function putObject(bucket: string, key: string, body: string | Buffer, h: ObjectHeaders): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...headers(h) }));
}

/** Server-side copy, replacing the headers (cache policy differs between a version and `latest`). */
export async function copyObject(bucket: string, from: string, toBucket: string, to: string, h: ObjectHeaders): Promise<void> {
  await s3Client().send(
    new CopyObjectCommand({
      Bucket: toBucket,
      Key: to,
      CopySource: `${bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
      MetadataDirective: 'REPLACE',
      ...headers(h),
    }),
  );
}

export async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/**
 * Deletes every object under a prefix, one DeleteObject per key: a dataset has a handful of
 * files per version, and single deletes emit an ObjectRemoved event per key on S3 and on
 * s3rver alike (s3rver emits none for the batch DeleteObjects), which consolidation relies on.
 */
export async function deletePrefix(bucket: string, prefix: string): Promise<number> {
  const found = await listKeys(bucket, prefix);
  for (const key of found) await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return found.length;
}

/**
 * A streaming sink into S3 (multipart upload through lib-storage): memory stays bounded by
 * the part size times the queue size, whatever the output size.
 */
export function s3Sink(bucket: string, key: string, h: ObjectHeaders): ByteSink {
  const body = new PassThrough({ highWaterMark: 1024 * 1024 });
  const upload = new Upload({
    client: s3Client(),
    params: { Bucket: bucket, Key: key, Body: body, ...headers(h) },
    partSize: 8 * 1024 * 1024,
    queueSize: 2,
  });
  const done = upload.done();
  done.catch(() => undefined); // observed in end()/abort()
  return {
    write(chunk) {
      // lib-storage keeps what it is given until a part is complete: a copy, so the caller may reuse its chunk.
      if (body.write(Buffer.from(chunk))) return;
      // Full: wait for lib-storage to take more, or for the upload to fail (then nothing drains any more).
      return new Promise<void>((resolve, reject) => {
        body.once('drain', () => resolve());
        done.catch(reject);
      });
    },
    async end() {
      body.end();
      await done;
    },
    async abort() {
      body.destroy();
      await upload.abort().catch(() => undefined);
      await done.catch(() => undefined);
      await s3Client()
        .send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
        .catch(() => undefined);
    },
  };
}
