/**
 * The public side of a dataset: where its files live, their cache policy, and keeping
 * `latest/` equal to the current version. Shared by the standardizer (publish) and the
 * publish API (restore, unpublish).
 */
import { createHash } from 'node:crypto';
import { publicPrefix, type Dataset, type DatasetVersion, type Distribution, type LatestPackage } from '../domain/datasets/dataset';
import { datapackage } from '../domain/standardize/datapackage';
import { env } from '../env';
import type { DynamoDatasetStore } from '../store/dynamodb/dataset-store';
import { copyObject, deletePrefix, getObjectText, headObject, putObject, type ObjectHeaders } from '../store/s3/objects';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const LATEST = 'public, max-age=60, must-revalidate';

export function publicBucket(): string {
  const bucket = env().PUBLIC_BUCKET;
  if (!bucket) throw new Error('PUBLIC_BUCKET is not configured');
  return bucket;
}

export function uploadBucket(): string {
  const bucket = env().UPLOAD_BUCKET;
  if (!bucket) throw new Error('UPLOAD_BUCKET is not configured');
  return bucket;
}

export function publicUrl(key: string): string {
  return `${env().PUBLIC_BASE_URL ?? ''}/${key}`;
}

export function fileName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Headers of a public file: type, download name `<tenant>-<slug>-v<n>.<ext>`, cache policy. */
export function publicHeaders(d: Distribution, tenantId: string, slug: string, version: number, cacheControl: string): ObjectHeaders {
  const name = fileName(d.key);
  const ext = name.slice(name.indexOf('.'));
  const base = name.slice(0, name.indexOf('.'));
  const download = `${tenantId}-${slug}-v${version}${base === 'data' ? '' : `-${base}`}${ext}`;
  return { contentType: d.mediaType, cacheControl, contentDisposition: `attachment; filename="${download}"` };
}

/**
 * Copies a version's files into `latest/` (datapackage last: it signals a complete set).
 * Returns what `latest/datapackage.json` holds when it is not the version's copy.
 */
async function copyToLatest(version: DatasetVersion, dataset: Dataset): Promise<LatestPackage | undefined> {
  const bucket = publicBucket();
  const latest = publicPrefix(version.tenantId, version.slug, 'latest');
  const ordered = [...version.distributions].sort((a, b) => Number(a.format === 'datapackage') - Number(b.format === 'datapackage'));
  let written: LatestPackage | undefined;
  for (const d of ordered) {
    if (d.format === 'datapackage') written = await writeLatestPackage(d, version, dataset);
    else await copyObject(bucket, d.key, bucket, latest + fileName(d.key), publicHeaders(d, version.tenantId, version.slug, version.version, LATEST));
  }
  return written;
}

/** Records what `latest/datapackage.json` holds, for the catalogue's size and checksum; no write when the record says it already. */
async function recordLatestPackage(store: DynamoDatasetStore, dataset: Dataset, version: number, written: LatestPackage | undefined): Promise<void> {
  if (!recordSays(dataset.latestPackage, version, written)) await store.setLatestPackage(dataset.tenantId, dataset.slug, version, written);
}

/**
 * Whether the dataset's record says what `latest/datapackage.json` of `version` holds: the
 * package written anew, or (undefined) the version's copy, which a record of another version
 * does not contradict (the catalogue reads a record only for its version).
 */
function recordSays(r: LatestPackage | undefined, version: number, written: LatestPackage | undefined): boolean {
  return written ? r?.version === written.version && r.sha256 === written.sha256 : r === undefined || r.version !== version;
}

/** Size and checksum of a package's bytes, undefined when they are the version's own (`d`). */
function packageFacts(body: Buffer, d: Distribution, version: number): LatestPackage | undefined {
  const sha256 = createHash('sha256').update(body).digest('hex');
  return sha256 === d.sha256 ? undefined : { version, bytes: body.length, sha256 };
}

type PackageMetadata = Pick<ReturnType<typeof datapackage>, 'title' | 'description' | 'keywords' | 'licenses'>;

/** What a data package says of its dataset (title, description, keywords, licence), as datapackage() writes it. */
function packageMetadata(dataset: Dataset): PackageMetadata {
  const { title, description, keywords, licenses } = datapackage({ dataset, version: 0, schema: null, fields: [], distributions: [], createdAt: '' });
  return { title, description, keywords, licenses };
}

function sameMetadata(a: Partial<PackageMetadata>, b: Partial<PackageMetadata>): boolean {
  const key = (m: Partial<PackageMetadata>) => JSON.stringify([m.title, m.description ?? null, m.keywords, m.licenses]);
  return key(a) === key(b);
}

/**
 * `latest/datapackage.json`: the version's package with the dataset's metadata as it is now
 * (changed by a PATCH since the version was published); copied as is when they agree. The
 * `v<n>/` copy stays as it was published. Returns the size and checksum of a package written
 * anew (undefined for a copy, whose are the version's).
 */
async function writeLatestPackage(d: Distribution, version: DatasetVersion, dataset: Dataset): Promise<LatestPackage | undefined> {
  const bucket = publicBucket();
  const target = publicPrefix(version.tenantId, version.slug, 'latest') + fileName(d.key);
  const headers = publicHeaders(d, version.tenantId, version.slug, version.version, LATEST);
  const text = await getObjectText(bucket, d.key);
  const published = text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown> & Partial<PackageMetadata>);
  const current = packageMetadata(dataset);
  if (!published || sameMetadata(published, current)) {
    await copyObject(bucket, d.key, bucket, target, headers);
    return undefined;
  }
  const { description: _published, ...rest } = published;
  const body = Buffer.from(JSON.stringify({ ...rest, ...current }, null, 1), 'utf8');
  await putObject(bucket, target, body, headers);
  return packageFacts(body, d, version.version);
}

/** Whether `latest/` written from `before` still stands for `after`: same current version, same metadata. */
function latestStillFor(before: Dataset, after: Dataset | undefined): boolean {
  return (
    after?.status === 'published' &&
    after.currentVersion === before.currentVersion &&
    sameMetadata(packageMetadata(before), packageMetadata(after))
  );
}

/**
 * Converges `latest/` to the current version. Concurrent writers (publications, restores,
 * metadata changes) may each copy; every one re-reads the dataset after copying and copies
 * again if its current version or its metadata moved, so the last copy to finish is always
 * of the dataset as it is.
 */
export async function syncLatest(store: DynamoDatasetStore, tenantId: string, slug: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = await store.getDataset(tenantId, slug);
    if (!before || before.status !== 'published' || before.currentVersion === undefined) {
      await deletePrefix(publicBucket(), publicPrefix(tenantId, slug, 'latest'));
      return;
    }
    const version = await store.getVersion(tenantId, slug, before.currentVersion);
    if (!version) return;
    await recordLatestPackage(store, before, version.version, await copyToLatest(version, before));
    if (latestStillFor(before, await store.getDataset(tenantId, slug))) return;
  }
  throw new Error(`latest of ${tenantId}/${slug} did not settle`);
}

/**
 * After a change of the dataset's metadata: `latest/datapackage.json` says it (the other
 * files do not change). Converges as syncLatest does, and never leaves the file behind an
 * unpublish that came meanwhile.
 */
export async function refreshLatestPackage(store: DynamoDatasetStore, tenantId: string, slug: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = await store.getDataset(tenantId, slug);
    if (!before || before.status !== 'published' || before.currentVersion === undefined) return;
    const version = await store.getVersion(tenantId, slug, before.currentVersion);
    const d = version?.distributions.find((x) => x.format === 'datapackage');
    if (!version || !d) return;
    const latest = await getObjectText(publicBucket(), publicPrefix(tenantId, slug, 'latest') + fileName(d.key));
    const online = latest === undefined ? undefined : (JSON.parse(latest) as Partial<PackageMetadata> & { version?: string });
    // Said already (a PATCH of the theme, or of a title to the same): no write, no event, unless
    // the record is behind the file (a package rewritten before records were kept): then it is
    // put right and the same bytes written again, for the catalogue's exports rebuilt on that event.
    if (latest !== undefined && online?.version === String(version.version) && sameMetadata(online, packageMetadata(before))) {
      const facts = packageFacts(Buffer.from(latest, 'utf8'), d, version.version);
      if (!recordSays(before.latestPackage, version.version, facts)) {
        // The record first: the exports rebuilt on the file's event read it.
        await recordLatestPackage(store, before, version.version, facts);
        await writeLatestPackage(d, version, before);
      }
      return;
    }
    await recordLatestPackage(store, before, version.version, await writeLatestPackage(d, version, before));
    const after = await store.getDataset(tenantId, slug);
    if (latestStillFor(before, after)) return;
    if (after?.status !== 'published') {
      await deletePrefix(publicBucket(), publicPrefix(tenantId, slug, 'latest') + fileName(d.key));
      await filesBackIfOnline(store, { tenantId, slug });
      return;
    }
  }
  throw new Error(`latest package of ${tenantId}/${slug} did not settle`);
}

/** Puts a version's public files back from the private archive when they were removed (unpublish). */
export async function ensureVersionFiles(version: DatasetVersion): Promise<void> {
  const bucket = publicBucket();
  for (const d of version.distributions) {
    if (await headObject(bucket, d.key)) continue;
    if (!version.archivePrefix) throw new Error(`no archive for ${d.key}`);
    await copyObject(uploadBucket(), version.archivePrefix + fileName(d.key), bucket, d.key, publicHeaders(d, version.tenantId, version.slug, version.version, IMMUTABLE));
  }
}

/**
 * Makes `target` the current version again (a restore) and `latest/` follow it. After an
 * unpublish every version's files come back from the private archive, not only the target's:
 * the catalogue lists each version's immutable URLs. Optimistic: when an unpublish, an upload
 * or another restore moved the dataset meanwhile, the restore starts again from what it is
 * now (files put back for an unpublish that came in between are taken out again first).
 */
export async function makeCurrent(
  store: DynamoDatasetStore,
  target: DatasetVersion,
  now: string,
): Promise<'restored' | 'already-current' | 'not-found' | 'conflict'> {
  for (let attempt = 0; attempt < RESTORE_ATTEMPTS; attempt++) {
    const dataset = await store.getDataset(target.tenantId, target.slug);
    if (!dataset) return 'not-found';
    // Online already: nothing moves (`modified`, the catalogue's order, `latest/`, the upload order).
    if (dataset.status === 'published' && dataset.currentVersion === target.version) return 'already-current';
    await ensureVersionFiles(target);
    if (dataset.status === 'unpublished') await restoreAllVersions(store, target.tenantId, target.slug);
    if (await store.setCurrent(target, now, { restoreSeen: dataset.currentOrder })) {
      // Again once online: a publication refused meanwhile may have taken files back (takeBackIfOffline).
      if (dataset.status === 'unpublished') await restoreAllVersions(store, target.tenantId, target.slug);
      await syncLatest(store, target.tenantId, target.slug);
      return 'restored';
    }
    await takeBackIfOffline(store, target);
  }
  return 'conflict';
}

const RESTORE_ATTEMPTS = 5;

/**
 * Publishes `target` for the upload `uploadId` (a new version, or the same bytes as an older
 * one sent again after an unpublish): it goes current unless an upload requested after this
 * one is current, or the publisher restored or unpublished since (upload order,
 * dataset-store.ts › setCurrent). Going current on a dataset that was offline brings every
 * version's files back, as a restore does; staying out of an offline dataset takes its own
 * files back out of public view. A retry after a crash at any step finds the dataset already
 * at this upload and does the rest again. Returns whether it is current.
 */
export async function publishInUploadOrder(store: DynamoDatasetStore, target: DatasetVersion, now: string, uploadId: string): Promise<boolean> {
  const before = await store.getDataset(target.tenantId, target.slug);
  if (!before) return false;
  const already = before.currentOrder === uploadId && before.status === 'published';
  // Known to come too late: no write (setCurrent's condition decides in the other cases).
  const late = !already && before.currentOrder !== undefined && before.currentOrder > uploadId;
  if (!late) await ensureVersionFiles(target);
  if (already || (!late && (await store.setCurrent(target, now, { uploadId })))) {
    // After an unpublish, or again on a retry (the crash may have come before it).
    if (before.status === 'unpublished' || already) await restoreAllVersions(store, target.tenantId, target.slug);
    await syncLatest(store, target.tenantId, target.slug);
    // An unpublish that came meanwhile removed the files before some were put back.
    await takeBackIfOffline(store, target);
    return true;
  }
  await takeBackIfOffline(store, target, target.version);
  return false;
}

/**
 * When the dataset is (now) unpublished: removes its public files (only `version`'s when
 * given). Checked again after: a restore or a publication that put it online in between
 * finds its files back (they may have been removed after it had put them there).
 */
async function takeBackIfOffline(store: DynamoDatasetStore, target: DatasetVersion, version?: number): Promise<void> {
  const dataset = await store.getDataset(target.tenantId, target.slug);
  if (dataset?.status !== 'unpublished') return;
  if (version === undefined) {
    await unpublishFiles(store, dataset);
    return;
  }
  await deletePrefix(publicBucket(), publicPrefix(target.tenantId, target.slug, version));
  await filesBackIfOnline(store, dataset);
}

/** After files were removed for an offline dataset: when it is online again by now, they come back. */
async function filesBackIfOnline(store: DynamoDatasetStore, dataset: Pick<Dataset, 'tenantId' | 'slug'>): Promise<void> {
  if ((await store.getDataset(dataset.tenantId, dataset.slug))?.status !== 'published') return;
  await restoreAllVersions(store, dataset.tenantId, dataset.slug);
  await syncLatest(store, dataset.tenantId, dataset.slug);
}

/** Puts every version's files back where they are missing (HEAD first: cheap when present). */
async function restoreAllVersions(store: DynamoDatasetStore, tenantId: string, slug: string): Promise<void> {
  const versions = await store.listVersions(tenantId, slug);
  for (let i = 0; i < versions.length; i += RESTORE_PARALLEL) await Promise.all(versions.slice(i, i + RESTORE_PARALLEL).map(ensureVersionFiles));
}

/** Versions whose files are put back at once after an unpublish (S3 copies, within the API's time). */
const RESTORE_PARALLEL = 8;

/**
 * The public side of an unpublish (the dataset is already marked unpublished): every public
 * file removed, then checked again: a restore or a publication that put the dataset back
 * online meanwhile gets its files back. Returns the count of files removed.
 */
export async function unpublishFiles(store: DynamoDatasetStore, dataset: Pick<Dataset, 'tenantId' | 'slug'>): Promise<number> {
  const removed = await removePublicFiles(dataset);
  await filesBackIfOnline(store, dataset);
  return removed;
}

/** Removes every public file of a dataset (all versions and latest); the archive stays private. */
export async function removePublicFiles(dataset: Pick<Dataset, 'tenantId' | 'slug'>): Promise<number> {
  return deletePrefix(publicBucket(), `datasets/${dataset.tenantId}/${dataset.slug}/`);
}
