import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseUploadObjectKey } from '../domain/datasets/dataset';
import { coreDeps } from '../http/deps';
import { processUpload, settleUnfinishedUpload } from './process-upload';
import { objectsCreated } from './s3-event';

/** Deliveries before SQS moves a message to the dead-letter queue (the stack's redrive policy). */
const MAX_RECEIVES = 3;

function log(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry));
}

/**
 * Consumes the upload bucket's ObjectCreated notifications. A record that throws is
 * reported as a batch item failure (retried by SQS); on its last delivery the upload is
 * settled (its leftovers removed, marked `failed` with a reason) before the message goes to
 * the dead-letter queue, so a crashing file never loops and never stays `processing`. A
 * delivery that never returns (timeout, out of memory) is settled by dead-letter.ts.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await handleRecord(record);
    } catch (error) {
      const receives = Number(record.attributes.ApproximateReceiveCount ?? '1');
      log({ level: 'error', message: 'standardize failed', messageId: record.messageId, receives, error: error instanceof Error ? error.stack : String(error) });
      if (receives >= MAX_RECEIVES) {
        await markFailed(record, error).catch((e: unknown) => log({ level: 'error', message: 'settling the failed upload failed', messageId: record.messageId, error: String(e) }));
      }
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}

async function handleRecord(record: SQSRecord): Promise<void> {
  for (const object of objectsCreated(record)) {
    const ids = parseUploadObjectKey(object.key);
    if (!ids) {
      log({ level: 'warn', message: 'ignored object outside uploads/<tenant>/<slug>/<uploadId>/', key: object.key });
      continue;
    }
    const outcome = await processUpload(coreDeps(), ids, record.messageId);
    log({ level: 'info', message: 'upload processed', ...ids, outcome });
  }
}

async function markFailed(record: SQSRecord, error: unknown): Promise<void> {
  const detail = error instanceof Error ? error.name : 'Error';
  const reason = `Le traitement du fichier a échoué ${MAX_RECEIVES} fois (${detail}). L’équipe du département a été alertée ; la version publiée précédente reste en ligne.`;
  await settleUploads(record, reason);
}

/** Settles the uploads of a record's objects (process-upload.ts › settleUnfinishedUpload). */
export async function settleUploads(record: SQSRecord, reason: string): Promise<void> {
  const deps = coreDeps();
  for (const object of objectsCreated(record)) {
    const ids = parseUploadObjectKey(object.key);
    if (!ids) continue;
    const outcome = await settleUnfinishedUpload(deps, ids.uploadId, reason);
    log({ level: outcome === 'failed' ? 'error' : 'info', message: 'unfinished upload settled', ...ids, outcome });
  }
}
