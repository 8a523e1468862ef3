/**
 * Consumes the standardize dead-letter queue: a message lands there after 3 deliveries that
 * did not succeed. When the last one threw, handler.ts has settled the upload already; when
 * it never returned (the function timed out, or ran out of memory), nothing of ours ran, and
 * the upload would stay `processing` for good. This settles it: leftovers of the attempts
 * removed (never a half publication), the upload `failed` with a French reason. Each message
 * is logged at error level, and the stack alarms on this function's invocations.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { settleUploads } from './handler';

const REASON =
  'Le traitement du fichier n’a pas abouti après 3 essais (délai dépassé ou mémoire insuffisante). L’équipe du département a été alertée ; la version publiée précédente reste en ligne.';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    console.log(JSON.stringify({ level: 'error', message: 'upload dead-lettered', messageId: record.messageId, body: record.body }));
    try {
      await settleUploads(record, REASON);
    } catch (error) {
      console.log(JSON.stringify({ level: 'error', message: 'settling a dead-lettered upload failed', messageId: record.messageId, error: String(error) }));
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
