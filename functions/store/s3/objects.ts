import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
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
/**
 * A URL to PUT one object: content type and length signed (S3 refuses a PUT whose headers
 * differ), and `If-None-Match: *` signed too, so that the URL writes the object once: a
 * second PUT (a corrected file sent to the link of the first, after it was judged) gets 412
 * from S3 instead of replacing, unread, the raw file the report is about. s3rver does not
 * check it (nor signatures): the URL says it, and S3 enforces it.
 */
export async function presignPut(bucket: string, key: string, contentType: string, size: number, expiresIn: number) {
  const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: size, IfNoneMatch: '*' });
  const url = await getSignedUrl(s3Presigner(), command, {
    expiresIn,
    signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
  });
  return { url, headers: { 'content-type': contentType, 'content-length': String(size), 'if-none-match': '*' } };
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
  await deleteKeys(bucket, found);
  return found.length;
}

/** Deletes these objects, one DeleteObject per key (see deletePrefix). */
export async function deleteKeys(bucket: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/**
 * Bytes per part of a multipart upload: the least S3 takes (every part but the last). Larger
 * parts only hold more memory: 8 MiB parts took the same CPU time and ~25 MB more peak RSS
 * standardizing a 100,000-row BAL from and to s3rver (README › Performance).
 */
export const PART_BYTES = 5 * 1024 * 1024;
/** Parts one output holds at most: the one being filled and those uploading (all three when none is filling). */
const PARTS_HELD = 3;
/** Spare part memory kept per part size: what one file's three outputs hold at full flow. */
const MAX_SPARE_PARTS = 3 * PARTS_HELD;

/**
 * Part memory no output holds, kept for the next parts and the next files of this process:
 * a reused Lambda container writes its outputs into memory it has already touched.
 */
const spareParts = new Map<number, Buffer[]>();

function takePartMemory(size: number): Buffer {
  return spareParts.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
}

function giveBackPartMemory(memory: Buffer): void {
  let list = spareParts.get(memory.length);
  if (!list) spareParts.set(memory.length, (list = []));
  if (list.length < MAX_SPARE_PARTS) list.push(memory);
}

/**
 * A streaming sink into S3: the bytes are copied into part-sized memory, and each full part
 * goes up as an UploadPart while the next fills; an output that fits in one part is a single
 * PutObject. Memory stays bounded (PARTS_HELD parts per output) whatever the size.
 *
 * Why not lib-storage's Upload: fed by a stream, it needs its own copy of every chunk (the
 * caller reuses its chunks) and concatenates the chunks of each part into a new buffer: two
 * copies into fresh memory per byte. Here, one copy into part memory that is used again for
 * the next parts and files (fresh memory costs page faults, the dear part on a microVM).
 */
export function s3Sink(bucket: string, key: string, h: ObjectHeaders, partBytes = PART_BYTES): ByteSink {
  const client = s3Client();
  /** Parts this output holds: the one being filled and those uploading. */
  let held = 0;
  let part: Buffer | undefined;
  let filled = 0;
  let sent = 0;
  let uploadId: Promise<string> | undefined;
  const completed: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let aborted = false;
  let ending: Promise<void> | undefined;

  const release = (memory: Buffer) => {
    held--;
    giveBackPartMemory(memory);
  };

  const start = () =>
    client
      // CRC32 checksums, as the SDK sends them with each part by default (S3 refuses parts whose algorithm the upload did not declare).
      .send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'CRC32', ...headers(h) }))
      .then((out) => out.UploadId!);

  /** Uploads the part being filled; its memory is given back once S3 has it. After a failure or an abort, nothing goes up. */
  const send = (): void => {
    const memory = part!;
    const length = filled;
    part = undefined;
    filled = 0;
    if (failure !== undefined || aborted) return release(memory);
    const number = ++sent;
    const upload = (async () => {
      const id = await (uploadId ??= start());
      const body = memory.subarray(0, length);
      const out = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: id, PartNumber: number, Body: body, ContentLength: length, ChecksumAlgorithm: 'CRC32' }));
      completed[number - 1] = { PartNumber: number, ETag: out.ETag, ...(out.ChecksumCRC32 ? { ChecksumCRC32: out.ChecksumCRC32 } : {}) };
    })().then(
      () => release(memory),
      (error: unknown) => {
        failure ??= error;
        release(memory);
      },
    );
    const tracked = upload.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  /** Copies `chunk` from `at` into part memory while there is some; returns how far it got. */
  const copyIn = (chunk: Uint8Array, at: number): number => {
    while (at < chunk.length) {
      if (part === undefined) {
        if (held >= PARTS_HELD) return at;
        held++;
        part = takePartMemory(partBytes);
      }
      const n = Math.min(chunk.length - at, partBytes - filled);
      part.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === partBytes) send();
    }
    return at;
  };

  const settled = async () => {
    while (inFlight.size > 0) await Promise.race(inFlight);
  };

  /** Completes the object: one PutObject when no part went up, else the last part and CompleteMultipartUpload. */
  const finish = async (): Promise<void> => {
    if (sent === 0) {
      const memory = part;
      part = undefined;
      const body = memory ? memory.subarray(0, filled) : Buffer.alloc(0);
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ...headers(h) }));
      } finally {
        if (memory) release(memory);
      }
      return;
    }
    if (filled > 0) send();
    await settled();
    if (failure !== undefined) throw failure;
    if (aborted) throw new Error(`s3Sink ${key}: the output was abandoned`);
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: await uploadId!, MultipartUpload: { Parts: completed } }));
  };

  return {
    write(chunk) {
      // Abandoned: nothing more goes up (no part, no new multipart upload).
      if (aborted) return;
      if (failure !== undefined) return Promise.reject(failure);
      const at = copyIn(chunk, 0);
      if (at === chunk.length) return;
      // Every part is uploading: the chunk is kept until they let go of enough memory.
      return (async () => {
        for (let done = at; done < chunk.length; done = copyIn(chunk, done)) {
          if (inFlight.size === 0 && failure === undefined) throw new Error(`s3Sink ${key}: no part memory free and no part uploading`);
          await Promise.race(inFlight);
          if (aborted) return;
          if (failure !== undefined) throw failure;
        }
      })();
    },
    end() {
      if (aborted) return Promise.reject(new Error(`s3Sink ${key}: the output was abandoned`));
      return (ending ??= finish());
    },
    async abort() {
      if (aborted) return;
      aborted = true;
      if (part) release(part);
      part = undefined;
      filled = 0;
      // An end() under way finishes first: what it writes is then deleted below, never after.
      await ending?.catch(() => undefined);
      await settled();
      const id = await uploadId?.catch(() => undefined);
      if (id) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id })).catch(() => undefined);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    },
  };
}
