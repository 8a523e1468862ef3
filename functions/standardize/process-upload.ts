/**
 * One uploaded file, from ObjectCreated to a published version, a rejection report, or a
 * duplicate. Every step is a single-item conditional write or an idempotent overwrite, so
 * the same event delivered twice — or a retry after a crash at any point — publishes at
 * most once and never half-publishes:
 *
 *   lease the upload → a version recorded by an earlier delivery? complete it from its record
 *   → stream: hash + standardize into this delivery's folder of the private archive
 *   → rejected? report, drop archive │ same bytes as a version? duplicate
 *   → allocate version n (recorded on the upload, reused by retries)
 *   → version item, written once (the first delivery to record it wins) → copy its archive
 *   → public v<n> (missing files only) → claim source hash → move `current` forward
 *   (conditional) → sync latest → upload published.
 * `v<n>/` only ever holds the bytes its record describes: a later delivery never
 * standardizes again (a new `created`, a title PATCHed meanwhile would change them).
 */
import { createHash, randomUUID } from 'node:crypto';
import { publicPrefix, type Dataset, type DatasetVersion, type Distribution, type ReportSummary, type Upload } from '../domain/datasets/dataset';
import { isBuiltinId, resolveSchema } from '../domain/datasets/schemas';
import { patternHazards } from '../domain/schema/descriptor';
import { builtinSchemas } from '../domain/schemas/registry';
import { otherPublisherIssue } from '../domain/datasets/publisher-identity';
import type { ValidationIssue } from '../domain/schema/types';
import { openTable } from '../domain/standardize/read/open-table';
import { summarize, type Report } from '../domain/standardize/report';
import { standardizeTable, type OutputInfo, type OutputName } from '../domain/standardize/standardize-table';
import { datapackage } from '../domain/standardize/datapackage';
import type { CoreDeps } from '../http/deps';
import { ensureVersionFiles, publicBucket, publishInUploadOrder, uploadBucket } from '../publish/publication';
import { deleteKeys, deletePrefix, getObjectStream, headObject, listKeys, putObject, s3Sink } from '../store/s3/objects';

const LEASE_MS = 15 * 60 * 1000;

const FORMAT_OF: Record<OutputName | 'datapackage.json' | 'report.json', Distribution['format']> = {
  'data.csv': 'csv',
  'data.json': 'json',
  'data.geojson': 'geojson',
  'decp.json': 'json',
  'datapackage.json': 'datapackage',
  'report.json': 'report',
};

export function summaryOf(report: Report): ReportSummary {
  return { valid: report.valid, rowCount: report.rowCount, errorCount: report.errorCount, warningCount: report.warningCount, codes: report.codes };
}

function archivePrefix(upload: Upload): string {
  return `archive/${upload.tenantId}/${upload.slug}/${upload.id}/`;
}

export function reportKey(uploadId: string): string {
  return `reports/${uploadId}.json`;
}

export type Outcome = 'published' | 'rejected' | 'duplicate' | 'skipped';

export async function processUpload(
  deps: CoreDeps,
  ids: { tenantId: string; slug: string; uploadId: string },
  owner: string,
): Promise<Outcome> {
  const store = deps.datasets;
  const now = deps.now;
  const existing = await store.getUpload(ids.uploadId);
  if (!existing || existing.tenantId !== ids.tenantId || existing.slug !== ids.slug) return 'skipped';
  const upload = await store.startProcessing(ids.uploadId, owner, now(), LEASE_MS);
  if (!upload) return 'skipped'; // finished already, or another delivery holds a live lease

  const reject = async (report: Report): Promise<Outcome> => {
    await putObject(uploadBucket(), reportKey(upload.id), JSON.stringify(report), { contentType: 'application/json; charset=utf-8' });
    await store.setLastReport(upload.tenantId, upload.slug, summaryOf(report), now());
    await store.finishUpload(upload.id, 'rejected', { report: summaryOf(report) }, now());
    return 'rejected';
  };

  const [tenant, dataset, head] = await Promise.all([
    deps.tenants.get(upload.tenantId),
    store.getDataset(upload.tenantId, upload.slug),
    headObject(uploadBucket(), upload.objectKey),
  ]);
  // Suspension blocks publishing, also through an upload URL issued before it.
  const refusal = !tenant
    ? 'La collectivité n’existe plus.'
    : tenant.status !== 'active'
      ? `La collectivité est suspendue : le fichier n’a pas été publié. ${stillOnline(dataset)}`
      : !dataset
        ? 'Le jeu de données a été supprimé.'
        : undefined;
  if (refusal || !dataset) {
    // What earlier deliveries left, unless a version of this upload is complete (recorded and
    // its source claimed: it stays in the history, restorable): a recorded version not claimed
    // is taken back, as settleUnfinishedUpload does, never left public and restorable.
    const recorded = upload.version === undefined ? undefined : await store.getVersion(upload.tenantId, upload.slug, upload.version);
    const complete = recorded?.uploadId === upload.id && (await store.sourceVersion(upload.tenantId, upload.slug, recorded.sourceSha256)) === upload.version;
    if (!complete) {
      if (upload.version !== undefined && recorded?.uploadId === upload.id) await takeBackVersion(store, upload, upload.version, recorded);
      await deletePrefix(uploadBucket(), archivePrefix(upload));
    }
    await store.finishUpload(upload.id, 'failed', { reason: refusal }, now());
    return 'rejected';
  }
  // An earlier delivery recorded this upload's version (then crashed, or still runs): its
  // files are the ones recorded. It is completed from that record, never standardized again:
  // a new `created`, metadata PATCHed since, would give `v<n>/` other bytes than recorded. The
  // raw upload is not needed for it (its lifecycle may have ended).
  if (upload.version !== undefined) {
    const recorded = await store.getVersion(upload.tenantId, upload.slug, upload.version);
    if (recorded?.uploadId === upload.id) return publishRecorded(deps, upload, recorded);
  }
  if (!head) {
    await store.finishUpload(upload.id, 'failed', { reason: 'Le fichier déposé est introuvable.' }, now());
    return 'rejected';
  }
  const resolved =
    dataset.schemaId === 'none'
      ? null
      : await resolveSchema(dataset.schemaId, async (id) => (await deps.schemas.get(id))?.descriptor, dataset.schemaVersion);
  if (resolved === undefined) throw new Error(`schema ${dataset.schemaId} not found`);
  const schema = resolved;
  // A custom schema registered before a rule got stricter (a pattern only backtracking runs,
  // which could hold the function for hours on one cell): not run, the file not checked.
  const outdated = schema && !isBuiltinId(schema.id) ? patternHazards(schema) : null;
  if (outdated !== null) {
    return reject(
      fileLevelReport(
        schema,
        head.size,
        'schema-outdated',
        `Le schéma « ${schema!.id} » (version ${schema!.version}), enregistré avant que ses règles ne deviennent plus strictes, n’est plus accepté : ${outdated}. ` +
          'Le fichier n’a pas pu être vérifié ; l’administrateur du département doit enregistrer une version corrigée du schéma, puis le fichier être déposé de nouveau.',
      ),
    );
  }

  const limit = upload.size;
  if (head.size > limit) {
    return reject(fileLevelReport(schema, head.size, 'file-too-large', `Le fichier (${head.size} octets) dépasse la taille annoncée lors de la demande de dépôt (${limit} octets).`));
  }

  // This delivery's own folder: another delivery of the upload running at the same time never
  // writes over the files a record points to.
  const archive = `${archivePrefix(upload)}${randomUUID()}/`;
  const written: OutputInfo[] = [];
  const result = await standardizeTable(await getObjectStream(uploadBucket(), upload.objectKey), {
    schema,
    // A built-in schema with several versions (BAL 1.4 and 1.5): the file's header says which one it is written in.
    otherVersions: schema ? builtinSchemas.filter((d) => d.id === schema.id && d !== schema) : undefined,
    sinks: (name, contentType) => s3Sink(uploadBucket(), archive + name, { contentType }),
    // A large CSV is split across the cores the function has (parallel.ts › standardizeThreads).
    sizeHint: head.size,
  });
  written.push(...result.outputs);
  const { report } = result;
  const used = result.schema;
  if (!report.valid) {
    await deletePrefix(uploadBucket(), archivePrefix(upload));
    return reject(report);
  }
  // A file of another collectivité (a neighbour's BAL, the wrong account): said, not refused.
  const other = otherPublisherIssue(used, result.fields, await sampleRows(archive + 'data.csv'), tenant!);
  if (other) addWarning(report, other);

  const previous = await store.sourceVersion(upload.tenantId, upload.slug, result.sourceSha256);
  if (previous !== undefined && previous !== upload.version) {
    await deletePrefix(uploadBucket(), archivePrefix(upload));
    // Unpublished since: uploading the same file again means « publish it », as a restore
    // would, unless an upload requested after this one, or another unpublish, came since.
    // Again on a retry that finds the dataset at this upload already (a crash came after).
    if (dataset.status === 'unpublished' || dataset.currentOrder === upload.id) {
      const record = await store.getVersion(upload.tenantId, upload.slug, previous);
      if (record) await publishInUploadOrder(store, record, now(), upload.id);
    }
    await store.finishUpload(upload.id, 'duplicate', { version: previous, report: summaryOf(report) }, now());
    return 'duplicate';
  }

  const version = upload.version ?? (await store.recordUploadVersion(upload.id, await store.allocateVersion(upload.tenantId, upload.slug)));
  const prefix = publicPrefix(upload.tenantId, upload.slug, version);
  const distributions: Distribution[] = written.map((o) => ({
    format: FORMAT_OF[o.name],
    key: prefix + o.name,
    mediaType: o.contentType,
    bytes: o.bytes,
    sha256: o.sha256,
  }));
  const createdAt = now();
  const reportBody = Buffer.from(JSON.stringify(report, null, 1), 'utf8');
  const reportDist = await putJson(archive + 'report.json', prefix + 'report.json', reportBody);
  distributions.push(reportDist);
  const packageBody = Buffer.from(
    JSON.stringify(datapackage({ dataset, version, schema: used, fields: result.fields, distributions, createdAt }), null, 1),
    'utf8',
  );
  const packageDist = await putJson(archive + 'datapackage.json', prefix + 'datapackage.json', packageBody);
  distributions.push(packageDist);

  // Recorded before any file goes public, once: the record says what `v<n>/` holds for good.
  const record = await store.putVersion({
    tenantId: upload.tenantId,
    slug: upload.slug,
    version,
    uploadId: upload.id,
    sourceSha256: result.sourceSha256,
    sourceFilename: upload.filename,
    archivePrefix: archive,
    schemaId: dataset.schemaId,
    schemaVersion: used?.version,
    rowCount: report.rowCount,
    distributions,
    report: summaryOf(report),
    createdAt,
  });
  if (record.uploadId !== upload.id) throw new Error(`version ${version} of ${upload.tenantId}/${upload.slug} is recorded for upload ${record.uploadId}`);
  // Another delivery of this upload recorded it first: its files are the version's, not ours.
  if (record.archivePrefix !== archive) await deletePrefix(uploadBucket(), archive);
  // The statistics of what this delivery standardized, when its files are the version's (a crash
  // before this line leaves the version without them: the catalogue then says null).
  else if (report.stats) await store.putVersionStats(upload.tenantId, upload.slug, version, report.stats);
  return publishRecorded(deps, upload, record);
}

/**
 * Publishes a recorded version of `upload`: its public files copied from the archive the
 * record names (only those missing: a file of `v<n>/` is never written twice), its source
 * bytes claimed, then current in upload order, and the upload `published`. Every step is
 * idempotent: a retry after a crash anywhere does it again from the same record.
 */
async function publishRecorded(deps: CoreDeps, upload: Upload, record: DatasetVersion): Promise<Outcome> {
  const store = deps.datasets;
  const now = deps.now;
  const { version } = record;
  await ensureVersionFiles(record);
  // What earlier deliveries that crashed before the record left in the archive.
  await dropOtherArchives(upload, record.archivePrefix);

  const holder = await store.claimSource(upload.tenantId, upload.slug, record.sourceSha256, version);
  if (holder !== version) {
    // The same bytes won a version concurrently: this one never becomes visible.
    await takeBackVersion(store, upload, version, record);
    await deletePrefix(uploadBucket(), archivePrefix(upload));
    await store.finishUpload(upload.id, 'duplicate', { version: holder, report: record.report }, now());
    return 'duplicate';
  }

  // Unless an upload requested after this one is current already, or the publisher restored
  // or unpublished since: the version then stays in the history (the upload's view says so).
  // (It syncs `latest/` when it goes current.)
  await publishInUploadOrder(store, record, now(), upload.id);
  await store.setLastReport(upload.tenantId, upload.slug, record.report, now());
  await store.finishUpload(upload.id, 'published', { version, report: record.report }, now());
  return 'published';
}

/**
 * Removes version `n` of an upload that never went current: its public files first, then its
 * record (a crash in between leaves a record a retry finds, never public files no record describes).
 */
async function takeBackVersion(store: CoreDeps['datasets'], upload: Upload, n: number, record: DatasetVersion | undefined): Promise<void> {
  await deletePrefix(publicBucket(), publicPrefix(upload.tenantId, upload.slug, n));
  if (record) await store.deleteVersion(upload.tenantId, upload.slug, n);
}

/** Removes the archive folders of an upload's deliveries other than `keep` (the recorded one). */
async function dropOtherArchives(upload: Upload, keep: string): Promise<void> {
  const parent = archivePrefix(upload);
  if (!keep.startsWith(parent)) return;
  const others = (await listKeys(uploadBucket(), parent)).filter((key) => !key.startsWith(keep));
  await deleteKeys(uploadBucket(), others);
}

/**
 * Ends an upload whose processing did not finish: its last delivery threw, or its message
 * reached the dead-letter queue after a timeout or a crash that no code of ours saw. What
 * the attempts left is settled first, so that nothing half-published stays in view:
 * - the version it allocated was recorded and holds the source bytes: it is published, only
 *   the steps after it failed (its public files, moving `current`, `latest/`, the upload's
 *   status) are done again, and the upload ends `published` — in the history only when an
 *   upload requested after it, a restore or an unpublish came since (publishInUploadOrder);
 * - the same bytes as a version, sent after an unpublish, that put that version back online:
 *   that is completed too, and the upload ends `duplicate`;
 * - else that version's public files, its record and the private archive are removed, and
 *   the upload ends `failed` with `reason`. The version number stays unused.
 * Does nothing to an upload already finished. Every step is idempotent: it may run twice.
 */
export async function settleUnfinishedUpload(deps: CoreDeps, uploadId: string, reason: string): Promise<'published' | 'failed' | 'finished'> {
  const store = deps.datasets;
  const upload = await store.getUpload(uploadId);
  if (!upload || (upload.status !== 'processing' && upload.status !== 'awaiting-file')) return 'finished';
  const n = upload.version;
  if (n !== undefined) {
    const record = await store.getVersion(upload.tenantId, upload.slug, n);
    if (record && (await store.sourceVersion(upload.tenantId, upload.slug, record.sourceSha256)) === n) {
      // As processUpload: current unless a later upload, a restore or an unpublish came since
      // (then in the history, a restore brings it back; an offline dataset stays offline).
      await publishInUploadOrder(store, record, deps.now(), upload.id);
      await store.setLastReport(upload.tenantId, upload.slug, record.report, deps.now());
      await store.finishUpload(upload.id, 'published', { version: n, report: record.report }, deps.now());
      return 'published';
    }
    await takeBackVersion(store, upload, n, record);
  } else {
    // The same bytes as a version, sent again after an unpublish, that put it back online
    // before the crash: that publication is completed, and the upload is its duplicate.
    const dataset = await store.getDataset(upload.tenantId, upload.slug);
    const record = dataset?.currentOrder === upload.id && dataset.currentVersion !== undefined
      ? await store.getVersion(upload.tenantId, upload.slug, dataset.currentVersion)
      : undefined;
    if (record) {
      await publishInUploadOrder(store, record, deps.now(), upload.id);
      await deletePrefix(uploadBucket(), archivePrefix(upload));
      await store.finishUpload(upload.id, 'duplicate', { version: record.version, report: record.report }, deps.now());
      return 'published';
    }
  }
  await deletePrefix(uploadBucket(), archivePrefix(upload));
  await store.finishUpload(upload.id, 'failed', { reason }, deps.now());
  return 'failed';
}

/** What reusers still see of a dataset a file was not published to (said to the publisher). */
function stillOnline(dataset: Dataset | undefined): string {
  if (!dataset) return 'Le jeu de données a été supprimé.';
  if (dataset.status === 'published' && dataset.currentVersion !== undefined) return `La version ${dataset.currentVersion}, déjà publiée, reste en ligne.`;
  if (dataset.status === 'unpublished') return 'Le jeu de données est dépublié : rien n’en est en ligne.';
  return 'Le jeu de données n’a encore aucune version publiée.';
}

async function putJson(archiveKey: string, publicKey: string, body: Buffer): Promise<Distribution> {
  const contentType = 'application/json; charset=utf-8';
  await putObject(uploadBucket(), archiveKey, body, { contentType });
  return {
    format: FORMAT_OF[publicKey.slice(publicKey.lastIndexOf('/') + 1) as 'report.json'],
    key: publicKey,
    mediaType: contentType,
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

/** Bytes of `data.csv` read to know whose file it is: its first records. */
const SAMPLE_BYTES = 64 * 1024;

/** The first records of an output CSV written to the upload bucket (none when they cannot be read: the check is then skipped). */
async function sampleRows(key: string): Promise<string[][]> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = await getObjectStream(uploadBucket(), key);
  for await (const chunk of stream) {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    if (size >= SAMPLE_BYTES) break;
  }
  let bytes = Buffer.concat(chunks).subarray(0, SAMPLE_BYTES);
  // Whole lines only; a record cut inside quotes makes the reader refuse the sample, and the check is skipped.
  if (size > SAMPLE_BYTES) bytes = bytes.subarray(0, bytes.lastIndexOf(10) + 1);
  try {
    const table = await openTable((async function* () {
      yield bytes;
    })());
    const rows: string[][] = [];
    for await (const r of table.rows) rows.push(r.cells.map((c) => c ?? ''));
    return rows;
  } catch {
    return [];
  }
}

/** Adds a warning found after standardization to its report, counts and summary included. */
function addWarning(report: Report, issue: ValidationIssue): void {
  report.issues.push(issue);
  report.codes[issue.code] = (report.codes[issue.code] ?? 0) + 1;
  report.warningCount++;
  report.summary = summarize(report.valid, report.rowCount, report.errorCount, report.warningCount);
}

function fileLevelReport(schema: { id: string; version: string } | null, bytes: number, code: string, message: string): Report {
  return {
    valid: false,
    schema: schema ? { id: schema.id, version: schema.version } : null,
    file: { bytes },
    rowCount: 0,
    errorCount: 1,
    warningCount: 0,
    codes: { [code]: 1 },
    issues: [{ code, severity: 'error', message }],
    truncated: false,
    summary: `Fichier refusé : ${message}`,
  };
}
