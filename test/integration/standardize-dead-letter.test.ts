/**
 * A file whose processing keeps crashing is retried, then dead-lettered with its upload
 * marked `failed` — never a crash loop, never a half publication. Runs the real standardize
 * handler and the real local queue in this process against the platform's emulators, with
 * one fault injected: S3 answers every HEAD of the raw file with a server error.
 */
import type { Context } from 'aws-lambda';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalQueue } from '../../lib/local/event-queue';
import { handlerEnvironment, UPLOAD_BUCKET } from '../../lib/local/platform';
import { api, platform } from './support/api';
import { createDataset, newPublisher } from './support/publish';

describe('a crashing file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'socle-dlq-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is delivered 3 times, then dead-lettered with the upload failed and a French reason', async () => {
    Object.assign(process.env, handlerEnvironment(platform()));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const objects = require('../../functions/store/s3/objects') as typeof import('../../functions/store/s3/objects');
    const { handler } = require('../../functions/standardize/handler') as typeof import('../../functions/standardize/handler');
    /* eslint-enable @typescript-eslint/no-require-imports */
    let heads = 0;
    const fault = jest.spyOn(objects, 'headObject').mockImplementation(async () => {
      heads++;
      throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError' });
    });
    try {
      const p = await newPublisher('panne');
      await createDataset(p, 'subventions', 'scdl/subventions');
      const ticket = await api('POST', `/v1/tenants/${p.tenantId}/datasets/subventions/uploads`, {
        token: p.token,
        body: { filename: 'export.csv', contentType: 'text/csv', size: 10 },
      });
      expect(ticket.status).toBe(201);
      const key = new URL(ticket.body.url).pathname.split('/').slice(2).join('/');

      const deadLetterFile = path.join(dir, 'dead-letters.jsonl');
      const queue = new LocalQueue({
        name: 'test-uploads',
        handler,
        context: () => ({}) as Context,
        maxReceiveCount: 3,
        retryDelayMs: 20,
        deadLetterFile,
      });
      // The notification S3 sends for the uploaded object (the object itself is never read: HEAD fails first).
      queue.send(JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: UPLOAD_BUCKET }, object: { key, size: 10 } } }] }));
      await queue.idle();
      await queue.close();

      expect(heads).toBe(3);
      expect(queue.deadLetters).toHaveLength(1);
      expect(queue.deadLetters[0].receiveCount).toBe(3);
      expect(readFileSync(deadLetterFile, 'utf8').trim().split('\n')).toHaveLength(1);

      const state = await api('GET', `/v1/tenants/${p.tenantId}/datasets/subventions/uploads/${ticket.body.uploadId}`, { token: p.token });
      expect(state.body.status).toBe('failed');
      expect(state.body.reason).toContain('3 fois');
      expect(state.body.reason).not.toMatch(/internal error|at \w+ \(/i);
      const dataset = await api('GET', `/v1/tenants/${p.tenantId}/datasets/subventions`, { token: p.token });
      expect(dataset.body.status).toBe('draft');
      expect(dataset.body.currentVersion).toBeUndefined();
    } finally {
      fault.mockRestore();
    }
  });
});

