import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { coalescedRebuild } from '../domain/catalog/coalesce';
import { EXPORTS_JOB } from '../domain/catalog/consolidation';
import { env } from '../env';
import { DynamoCatalogStore } from '../store/dynamodb/catalog-store';
import { DynamoConsolidationJobs } from '../store/dynamodb/catalog-consolidation-store';
import { S3PublicFiles } from '../store/s3/catalog-public-files';
import { rebuildExports, rebuildSchema, type RebuildDeps } from './rebuild';
import { changedDatasets } from './s3-events';

/** Longer than the function timeout (5 min): a dead holder's lease expires before the retry. */
export const LEASE_TTL_MS = 6 * 60 * 1000;

let deps: RebuildDeps | undefined;
function rebuildDeps(): RebuildDeps {
  if (!deps) {
    const e = env();
    if (!e.PUBLIC_BUCKET || !e.PUBLIC_BASE_URL) throw new Error('consolidate: PUBLIC_BUCKET and PUBLIC_BASE_URL are required');
    deps = {
      reader: new DynamoCatalogStore(e.TABLE_NAME),
      files: new S3PublicFiles(e.PUBLIC_BUCKET),
      jobs: new DynamoConsolidationJobs(e.TABLE_NAME),
      publicBaseUrl: e.PUBLIC_BASE_URL,
      now: () => new Date().toISOString(),
    };
  }
  return deps;
}

const log = (entry: Record<string, unknown>) => console.log(JSON.stringify({ level: 'info', ...entry }));

/**
 * Public bucket events (a dataset's `latest/datapackage.json` written or removed) → rebuild
 * the territory file of that dataset's schema, then the catalogue exports, each coalesced
 * (functions/domain/catalog/coalesce.ts). A message fails (and is retried, then
 * dead-lettered) only when a rebuild it asked for failed.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const d = rebuildDeps();
  const owner = randomUUID();
  const failed = new Set<string>();
  const bySchema = new Map<string, string[]>();
  const all: string[] = [];
  for (const record of event.Records) {
    all.push(record.messageId);
    try {
      for (const ref of changedDatasets(record)) {
        const dataset = await d.reader.getDataset(ref.tenantId, ref.slug);
        const schemaId = dataset?.schemaId;
        if (!schemaId || schemaId === 'none') continue;
        bySchema.set(schemaId, [...(bySchema.get(schemaId) ?? []), record.messageId]);
      }
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', message: 'unreadable consolidation event', error: String(error) }));
      failed.add(record.messageId);
    }
  }

  const run = async (job: string, ids: string[], rebuild: (generation: number) => Promise<unknown>) => {
    try {
      const outcome = await coalescedRebuild(
        d.jobs,
        job,
        async (generation) => {
          const result = await rebuild(generation);
          log({ message: 'consolidation rebuilt', job, generation, ...(typeof result === 'object' ? result : {}) });
        },
        { owner, ttlMs: LEASE_TTL_MS },
      );
      if (outcome.role === 'follower') log({ message: 'consolidation coalesced', job });
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', message: 'consolidation failed', job, error: String(error) }));
      ids.forEach((id) => failed.add(id));
    }
  };

  for (const [schemaId, ids] of bySchema) {
    await run(schemaId, ids, (g) => rebuildSchema(d, schemaId, g));
  }
  if (all.length > 0) await run(EXPORTS_JOB, all, () => rebuildExports(d));
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}
