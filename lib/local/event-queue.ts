import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export type SqsLambda = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  visibleAt: number;
}

export interface LocalQueueOptions {
  name: string;
  handler: SqsLambda;
  context: () => Context;
  /** Deliveries before a message moves to the dead-letter queue (the stack's redrive policy). */
  maxReceiveCount?: number;
  batchSize?: number;
  /** Parallel batches, as Lambda's SQS poller runs several. */
  concurrency?: number;
  /** Delay before a failed message becomes visible again (the visibility timeout, shortened). */
  retryDelayMs?: number;
  /** Dead-lettered messages are appended here, one JSON line each. */
  deadLetterFile?: string;
  /** Where dead-lettered messages go, as SQS moves them to the redrive policy's queue. */
  deadLetterQueue?: LocalQueue;
}

/**
 * An in-process SQS stand-in with the semantics the stack relies on: at-least-once
 * delivery in batches, partial batch failures (`batchItemFailures`), a whole batch retried
 * when the handler throws, and a dead-letter queue after `maxReceiveCount` receives.
 */
export class LocalQueue {
  private readonly ready: Message[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private waiters: (() => void)[] = [];
  readonly deadLetters: { body: string; receiveCount: number }[] = [];

  constructor(private readonly opts: LocalQueueOptions) {}

  send(body: string): void {
    if (this.closed) return;
    const now = Date.now();
    this.ready.push({ id: randomUUID(), body, receiveCount: 0, sentAt: now, visibleAt: now });
    this.schedule(0);
  }

  /** Resolves once nothing is queued or being processed. */
  idle(): Promise<void> {
    if (this.ready.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private schedule(delay: number): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, delay);
  }

  private pump(): void {
    const concurrency = this.opts.concurrency ?? 2;
    const batchSize = this.opts.batchSize ?? 5;
    while (this.inFlight < concurrency) {
      const now = Date.now();
      const batch: Message[] = [];
      for (let i = 0; i < this.ready.length && batch.length < batchSize; ) {
        if (this.ready[i].visibleAt <= now) batch.push(...this.ready.splice(i, 1));
        else i++;
      }
      if (batch.length === 0) break;
      this.inFlight++;
      void this.deliver(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (this.ready.length > 0) {
      const next = Math.min(...this.ready.map((m) => m.visibleAt));
      this.schedule(Math.max(0, next - Date.now()));
    } else if (this.inFlight === 0) {
      this.waiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private async deliver(batch: Message[]): Promise<void> {
    for (const m of batch) m.receiveCount++;
    const event: SQSEvent = { Records: batch.map((m) => this.record(m)) };
    let failed: Set<string>;
    try {
      const result = await this.opts.handler(event, this.opts.context());
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', queue: this.opts.name, message: 'batch failed', error: String(error) }));
      failed = new Set(batch.map((m) => m.id));
    }
    for (const m of batch) {
      if (!failed.has(m.id)) continue;
      if (m.receiveCount >= (this.opts.maxReceiveCount ?? 3)) {
        this.deadLetters.push({ body: m.body, receiveCount: m.receiveCount });
        if (this.opts.deadLetterFile) {
          appendFileSync(this.opts.deadLetterFile, JSON.stringify({ at: new Date().toISOString(), ...m }) + '\n');
        }
        this.opts.deadLetterQueue?.send(m.body);
      } else {
        m.visibleAt = Date.now() + (this.opts.retryDelayMs ?? 250) * m.receiveCount;
        this.ready.push(m);
      }
    }
  }

  private record(m: Message): SQSRecord {
    return {
      messageId: m.id,
      receiptHandle: `${m.id}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.opts.name}`,
      awsRegion: 'local',
    };
  }
}
