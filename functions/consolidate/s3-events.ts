import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { parseLatestDatapackageKey } from '../domain/catalog/consolidation';

const s3EventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
      }),
    )
    .default([]),
});

/**
 * The datasets whose `latest/datapackage.json` was written or removed, from one SQS message
 * holding an S3 notification (ObjectCreated on publish/restore, ObjectRemoved on unpublish).
 * S3's `s3:TestEvent` has no Records and yields nothing.
 */
export function changedDatasets(record: SQSRecord): { tenantId: string; slug: string }[] {
  const parsed = s3EventSchema.parse(JSON.parse(record.body));
  return parsed.Records.filter((r) => /^Object(Created|Removed)/.test(r.eventName)).flatMap((r) => {
    const ref = parseLatestDatapackageKey(decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')));
    return ref ? [ref] : [];
  });
}
