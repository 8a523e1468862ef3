/**
 * GET …/datasets/{slug}/uploads: a dataset's uploads, newest first, with each one's outcome,
 * so that a publisher who kept no upload id still finds what became of a file.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { env } from '../../functions/env';
import { documentClient } from '../../functions/store/dynamodb/client';
import { keys } from '../../functions/store/keys';
import { inProcessPlatform, type TestDataset } from './support/in-process';

interface Listed {
  uploadId: string;
  status: string;
  filename: string;
  version?: number;
  current?: boolean;
  expiresAt?: string;
  expired?: boolean;
  report?: { valid: boolean; errorCount: number; codes: Record<string, number> };
}

describe('listing the uploads of a dataset', () => {
  const { call, newDataset, requestUpload, send, settled, fixture } = inProcessPlatform('depots');
  const list = (d: TestDataset, query = '') => call('GET', `/v1/tenants/${d.tenant}/datasets/subv/uploads${query}`, d.key);

  /** A dataset with four uploads: published, rejected, duplicate, and one whose file never came. */
  async function withHistory(): Promise<{ d: TestDataset; ids: string[] }> {
    const d = await newDataset();
    const published = await send(d, fixture('subventions.csv'), 'janvier.csv');
    await settled(d, published);
    const rejected = await send(d, fixture('subventions-wrong-types.csv'), 'fevrier.csv');
    await settled(d, rejected);
    const duplicate = await send(d, fixture('subventions.csv'), 'janvier-bis.csv');
    await settled(d, duplicate);
    const waiting = (await requestUpload(d, fixture('subventions.csv'), 'mars.csv')).uploadId;
    return { d, ids: [published, rejected, duplicate, waiting] };
  }

  it('lists every upload newest first, with its status, version and report summary', async () => {
    const { d, ids } = await withHistory();
    const res = await list(d);
    expect(res.status).toBe(200);
    const items = res.body.items as Listed[];
    expect(items.map((u) => u.uploadId)).toEqual([...ids].reverse());
    expect(items.map((u) => [u.filename, u.status])).toEqual([
      ['mars.csv', 'awaiting-file'],
      ['janvier-bis.csv', 'duplicate'],
      ['fevrier.csv', 'rejected'],
      ['janvier.csv', 'published'],
    ]);
    expect(res.body.nextCursor).toBeNull();

    const [waiting, duplicate, rejected, published] = items;
    expect(published).toMatchObject({ version: 1, current: true, report: { valid: true, errorCount: 0 } });
    expect(duplicate).toMatchObject({ version: 1, current: true });
    expect(rejected.version).toBeUndefined();
    expect(rejected.report?.valid).toBe(false);
    expect(rejected.report?.errorCount).toBeGreaterThan(0);
    expect(rejected.report?.codes['type-error']).toBeGreaterThan(0);
    expect(waiting).toMatchObject({ expired: false });
    expect(Date.parse(waiting.expiresAt!)).toBeGreaterThan(Date.now());
    // The listing says what the upload itself says.
    const one = (await call('GET', `/v1/tenants/${d.tenant}/datasets/subv/uploads/${published.uploadId}`, d.key)).body;
    expect(one).toMatchObject({ uploadId: published.uploadId, status: 'published', version: 1, current: true, filename: 'janvier.csv' });
  });

  it('walks the listing page by page with the cursor, and filters by status', async () => {
    const { d, ids } = await withHistory();
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await list(d, `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...(res.body.items as Listed[]).map((u) => u.uploadId));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...ids].reverse());

    const rejected = await list(d, '?status=rejected');
    expect((rejected.body.items as Listed[]).map((u) => u.uploadId)).toEqual([ids[1]]);
    expect(rejected.body.nextCursor).toBeNull();
    // Filtered and paged: the cursor goes on after the last upload kept, none skipped.
    const first = await list(d, '?status=published&limit=1');
    expect((first.body.items as Listed[]).map((u) => u.uploadId)).toEqual([ids[0]]);
    const rest = first.body.nextCursor ? await list(d, `?status=published&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`) : undefined;
    expect(rest?.body.items ?? []).toEqual([]);
  });

  it('says when the URL of a file never sent has expired', async () => {
    const d = await newDataset();
    const { uploadId } = await requestUpload(d, fixture('subventions.csv'));
    await documentClient().send(
      new UpdateCommand({
        TableName: env().TABLE_NAME,
        Key: keys.upload(uploadId),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
      }),
    );
    expect((await list(d)).body.items[0]).toMatchObject({ uploadId, status: 'awaiting-file', expired: true });
    expect((await call('GET', `/v1/tenants/${d.tenant}/datasets/subv/uploads/${uploadId}`, d.key)).body).toMatchObject({ expired: true });
  });

  it('refuses bad queries, foreign cursors and other tenants with a 4xx and a stable code', async () => {
    const a = await newDataset();
    const b = await newDataset();
    await send(a, fixture('subventions.csv'));
    await send(a, fixture('subventions-cp1252.csv'));
    await send(b, fixture('subventions.csv'));
    const aCursor = (await list(a, '?limit=1')).body.nextCursor as string;
    expect(aCursor).toEqual(expect.any(String));

    // A cursor of tenant A's listing does not page through tenant B's (nor reveal anything of A's).
    const foreign = await list(b, `?cursor=${encodeURIComponent(aCursor)}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('invalid_cursor');
    expect((await list(a, '?cursor=pas-un-curseur')).body.error.code).toBe('invalid_cursor');
    // A forged cursor naming A's listing but not one of its uploads: a 400, never a DynamoDB error (500).
    const key = JSON.parse(Buffer.from(aCursor, 'base64url').toString('utf8')) as Record<string, string>;
    for (const forged of [{ ...key, sk: '' }, { ...key, pk: '' }, { ...key, gsi1sk: '' }, { ...key, gsi1sk: 'x'.repeat(1100) }, { ...key, pk: 'UPLOAD#01AAAAAAAAAAAAAAAAAAAAAAAA' }]) {
      const res = await list(a, `?cursor=${Buffer.from(JSON.stringify(forged)).toString('base64url')}`);
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_cursor']);
    }

    const badStatus = await list(a, '?status=perdu');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.code).toBe('invalid_query');
    expect(badStatus.body.error.message).toBe(
      'Paramètres de requête invalides — « status » : statut attendu : awaiting-file, processing, published, rejected, failed, duplicate',
    );
    expect((await list(a, '?limit=0')).status).toBe(400);
    expect((await list(a, '?tri=asc')).status).toBe(400);

    // B's key never reads A's uploads; an unknown dataset is a 404.
    const other = await call('GET', `/v1/tenants/${a.tenant}/datasets/subv/uploads`, b.key);
    expect(other.status).toBe(403);
    const missing = await call('GET', `/v1/tenants/${a.tenant}/datasets/inconnu/uploads`, a.key);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('dataset_not_found');
  });
});
