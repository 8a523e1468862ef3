import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';

const s3EventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({ key: z.string(), size: z.number().optional(), eTag: z.string().optional() }),
        }),
      }),
    )
    .default([]),
});

export interface ObjectCreated {
  bucket: string;
  /** Decoded object key (S3 notifications URL-encode it, with `+` for spaces). */
  key: string;
  size?: number;
  eTag?: string;
}

/**
 * The ObjectCreated records carried by one SQS message. S3's `s3:TestEvent` (sent when the
 * notification is configured) has no Records and yields nothing.
 */
export function objectsCreated(record: SQSRecord): ObjectCreated[] {
  const parsed = s3EventSchema.parse(JSON.parse(record.body));
  return parsed.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    size: r.s3.object.size,
    eTag: r.s3.object.eTag,
  }));
}
