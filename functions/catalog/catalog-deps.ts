import type { CatalogReader, PublicFiles } from '../domain/catalog/ports';
import { env } from '../env';
import { DynamoCatalogStore } from '../store/dynamodb/catalog-store';
import { S3PublicFiles } from '../store/s3/catalog-public-files';
import { RecordsCache } from './records-cache';

export interface CatalogDeps {
  reader: CatalogReader;
  files: PublicFiles;
  publicBaseUrl: string;
  records: RecordsCache;
  now: () => string;
}

/** Parsed versions kept per warm Lambda: 64 MB of source JSON (the function has 1 GB). */
const RECORDS_CACHE_BYTES = 64 * 1024 * 1024;

let deps: CatalogDeps | undefined;

export function catalogDeps(): CatalogDeps {
  if (!deps) {
    const e = env();
    if (!e.PUBLIC_BUCKET || !e.PUBLIC_BASE_URL) throw new Error('catalog: PUBLIC_BUCKET and PUBLIC_BASE_URL are required');
    deps = {
      reader: new DynamoCatalogStore(e.TABLE_NAME),
      files: new S3PublicFiles(e.PUBLIC_BUCKET),
      publicBaseUrl: e.PUBLIC_BASE_URL,
      records: new RecordsCache(RECORDS_CACHE_BYTES),
      now: () => new Date().toISOString(),
    };
  }
  return deps;
}
