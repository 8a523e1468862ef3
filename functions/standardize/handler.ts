import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { objectsCreated } from './s3-event';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      for (const object of objectsCreated(record)) {
        console.log(JSON.stringify({ level: 'info', message: 'file arrived', bucket: object.bucket, key: object.key, size: object.size }));
      }
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', message: 'unreadable event', error: String(error) }));
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
