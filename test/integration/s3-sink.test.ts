/**
 * The S3 sink that standardization writes its outputs through (functions/store/s3/objects.ts),
 * against the platform's s3rver with the real SDK client: small outputs as one PutObject,
 * large ones as multipart uploads whose part memory is reused, aborts that leave nothing.
 */
import { createHash } from 'node:crypto';
import { handlerEnvironment, UPLOAD_BUCKET } from '../../lib/local/platform';
import { platform, uniqueId } from './support/api';

type Objects = typeof import('../../functions/store/s3/objects');
type Client = typeof import('../../functions/store/s3/client');

/** 5 MiB: the smallest part S3 takes (but for the last). */
const PART = 5 * 1024 * 1024;

describe('s3Sink', () => {
  let objects: Objects;
  /** The S3 commands sent, by name. */
  let sent: string[] = [];
  beforeAll(() => {
    Object.assign(process.env, handlerEnvironment(platform()));
    /* eslint-disable @typescript-eslint/no-require-imports */
    objects = require('../../functions/store/s3/objects') as Objects;
    const client = (require('../../functions/store/s3/client') as Client).s3Client();
    /* eslint-enable @typescript-eslint/no-require-imports */
    const send = client.send.bind(client) as (command: object) => Promise<unknown>;
    jest.spyOn(client, 'send').mockImplementation(((command: object) => {
      sent.push(command.constructor.name);
      return send(command);
    }) as typeof client.send);
  });
  beforeEach(() => (sent = []));
  const count = (name: string) => sent.filter((n) => n === name).length;

  async function download(key: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of await objects.getObjectStream(UPLOAD_BUCKET, key)) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  }

  /**
   * Writes `total` bytes of a deterministic pattern as the standardization outputs do: chunks
   * of varying size, written into the same memory again once the sink lets go of it.
   */
  async function writePattern(sink: ReturnType<Objects['s3Sink']>, total: number): Promise<string> {
    const hash = createHash('sha256');
    const memory = Buffer.alloc(300_001);
    // Each output its own bytes (outputs written at once must not mix).
    const seed = total % 239;
    let written = 0;
    for (let k = 0; written < total; k++) {
      const size = Math.min(total - written, 1 + ((k * 7919) % memory.length));
      for (let i = 0; i < size; i++) memory[i] = (seed + written + i) % 251;
      const chunk = memory.subarray(0, size);
      hash.update(chunk);
      await sink.write(chunk);
      written += size;
    }
    return hash.digest('hex');
  }

  it('writes a small output as one object, with its content type', async () => {
    const key = `${uniqueId('sink')}/data.json`;
    const sink = objects.s3Sink(UPLOAD_BUCKET, key, { contentType: 'application/json; charset=utf-8' }, PART);
    const digest = await writePattern(sink, 123_457);
    await sink.end();
    const bytes = await download(key);
    expect(bytes.length).toBe(123_457);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(digest);
    expect((await objects.headObject(UPLOAD_BUCKET, key))?.contentType).toBe('application/json; charset=utf-8');
    expect(count('PutObjectCommand')).toBe(1);
    expect(count('CreateMultipartUploadCommand')).toBe(0);
  });

  it('writes an empty output as an empty object', async () => {
    const key = `${uniqueId('sink')}/empty.csv`;
    const sink = objects.s3Sink(UPLOAD_BUCKET, key, { contentType: 'text/csv; charset=utf-8' }, PART);
    await sink.end();
    expect((await objects.headObject(UPLOAD_BUCKET, key))?.size).toBe(0);
  });

  it.each([
    ['several parts and a shorter last one', 3 * PART + 654_321],
    ['a whole number of parts', 2 * PART],
  ])('writes a large output in parts, byte for byte: %s', async (_label, total) => {
    const key = `${uniqueId('sink')}/data.csv`;
    const sink = objects.s3Sink(UPLOAD_BUCKET, key, { contentType: 'text/csv; charset=utf-8' }, PART);
    const digest = await writePattern(sink, total);
    await sink.end();
    expect(count('CreateMultipartUploadCommand')).toBe(1);
    expect(count('UploadPartCommand')).toBe(Math.ceil(total / PART));
    expect(count('CompleteMultipartUploadCommand')).toBe(1);
    expect(count('PutObjectCommand')).toBe(0);
    const bytes = await download(key);
    expect(bytes.length).toBe(total);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(digest);
    expect((await objects.headObject(UPLOAD_BUCKET, key))?.contentType).toBe('text/csv; charset=utf-8');
  });

  it('keeps outputs written at the same time apart (their part memory comes from one pool)', async () => {
    const keys = ['data.csv', 'data.json', 'data.geojson'].map((name) => `${uniqueId('sink')}/${name}`);
    const sinks = keys.map((key) => objects.s3Sink(UPLOAD_BUCKET, key, {}, PART));
    const sizes = [2 * PART + 17, 3 * PART + 5, PART - 3];
    const digests = await Promise.all(sinks.map((sink, k) => writePattern(sink, sizes[k])));
    await Promise.all(sinks.map((sink) => sink.end()));
    for (let k = 0; k < keys.length; k++) {
      const bytes = await download(keys[k]);
      expect(bytes.length).toBe(sizes[k]);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(digests[k]);
    }
  });

  it('leaves no object behind when aborted, in the middle of a multipart upload or before any part', async () => {
    const started = `${uniqueId('sink')}/data.geojson`;
    const sink = objects.s3Sink(UPLOAD_BUCKET, started, {}, PART);
    await writePattern(sink, 2 * PART + 10);
    await sink.abort();
    expect(count('AbortMultipartUploadCommand')).toBe(1);
    expect(await objects.headObject(UPLOAD_BUCKET, started)).toBeUndefined();

    // A write still waiting for part memory when the output is abandoned sends nothing more.
    const waiting = `${uniqueId('sink')}/data.csv`;
    const racing = objects.s3Sink(UPLOAD_BUCKET, waiting, {}, PART);
    const pending = racing.write(Buffer.alloc(4 * PART, 1));
    expect(pending).toBeInstanceOf(Promise);
    const aborting = racing.abort();
    await pending;
    await aborting;
    await expect(Promise.resolve(racing.write(Buffer.alloc(PART, 2)))).resolves.toBeUndefined();
    expect(count('CreateMultipartUploadCommand')).toBe(2);
    expect(count('UploadPartCommand')).toBe(2 + 3);
    expect(count('AbortMultipartUploadCommand')).toBe(2);
    expect(await objects.headObject(UPLOAD_BUCKET, waiting)).toBeUndefined();

    const small = `${uniqueId('sink')}/data.json`;
    const early = objects.s3Sink(UPLOAD_BUCKET, small, {}, PART);
    await writePattern(early, 1000);
    await early.abort();
    expect(await objects.headObject(UPLOAD_BUCKET, small)).toBeUndefined();
  });

  it('never publishes an abandoned output: end() after abort() fails, abort() during end() deletes what end() wrote', async () => {
    const late = `${uniqueId('sink')}/data.csv`;
    const abandoned = objects.s3Sink(UPLOAD_BUCKET, late, {}, PART);
    await writePattern(abandoned, PART + 10);
    await abandoned.abort();
    await expect(abandoned.end()).rejects.toThrow(/abandoned/);
    expect(await objects.headObject(UPLOAD_BUCKET, late)).toBeUndefined();

    for (const size of [1000, 2 * PART + 5]) {
      const key = `${uniqueId('sink')}/data.json`;
      const sink = objects.s3Sink(UPLOAD_BUCKET, key, {}, PART);
      await writePattern(sink, size);
      const ending = Promise.resolve(sink.end()).catch(() => 'failed');
      await sink.abort();
      await ending;
      expect(await objects.headObject(UPLOAD_BUCKET, key)).toBeUndefined();
    }
  });

  it('fails the output when S3 refuses a part, and says so on the next write or at the end', async () => {
    const key = `${uniqueId('sink')}/data.csv`;
    // No such bucket: the multipart upload cannot start.
    const sink = objects.s3Sink('socle-local-no-such-bucket', key, {}, PART);
    await expect(writePattern(sink, 4 * PART).then(() => sink.end())).rejects.toThrow();
    await sink.abort();
  });
});
