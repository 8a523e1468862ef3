import { monotonicFactory } from 'ulid';
import { z } from 'zod';
import {
  createDatasetSchema,
  IMMUTABLE_FIELDS,
  publicPrefix,
  updateDatasetSchema,
  uploadFileSegment,
  uploadObjectKey,
  UPLOAD_STATUSES,
  type Dataset,
  type DatasetVersion,
  type Upload,
} from '../domain/datasets/dataset';
import { CONTROL_CHARACTERS } from '../domain/control-characters';
import { resolveSchema, schemaEnabled } from '../domain/datasets/schemas';
import { slugSchema, type Tenant } from '../domain/tenants/tenant';
import { env } from '../env';
import { apiHandler, jsonBody, type RequestContext } from '../http/api-handler';
import { coreDeps } from '../http/deps';
import { AppError, badRequest, conflict, forbidden, notFound, tooLarge } from '../http/errors';
import { paginationSchema } from '../http/pagination';
import { parseJsonValue, parseWith } from '../http/validation';
import { AlreadyExistsError } from '../store/ports';
import { deletePrefix, getObjectText, presignPut } from '../store/s3/objects';
import { reportKey } from '../standardize/process-upload';
import { renderReportHtml } from '../domain/standardize/report-html';
import { apiBase } from '../http/api-base';
import type { Report } from '../domain/standardize/report';
import { fileName, makeCurrent, publicBucket, publicUrl, refreshLatestPackage, unpublishFiles, uploadBucket } from './publication';
import { fileTooLargeMessage } from './upload-limit';

/**
 * Upload ids are ULIDs: they order uploads by the time they were requested (the file started
 * last is the one online, dataset-store.ts › setCurrent), strictly within this process even
 * in the same millisecond.
 */
const nextUploadId = monotonicFactory();

/** Signed upload URLs live this long (the issue's bound: at most 15 minutes). */
const UPLOAD_URL_SECONDS = 15 * 60;

/** Accepted declared types; the standardizer still sniffs the real format from the bytes. */
const CONTENT_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'text/tab-separated-values',
  // Also what a web application's « export Excel » (an HTML table named .xls) is sent as.
  'application/vnd.ms-excel',
  'text/html',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/json',
  // What a browser or a client sends for a file whose type it does not know: the format is sniffed from the bytes anyway.
  'application/octet-stream',
] as const;

/** `type/subtype`, then optional parameters (`; charset=windows-1252`): RFC 9110 § 8.3.1. */
const MEDIA_TYPE = /^([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)(\s*;\s*[a-z0-9!#$&^_.+-]+=(?:[a-z0-9!#$&^_.+-]+|"[^"\\]*"))*$/i;

function acceptedContentType(value: string): boolean {
  const m = MEDIA_TYPE.exec(value.trim());
  return m !== null && (CONTENT_TYPES as readonly string[]).includes(m[1].toLowerCase());
}

const noQuery = z.object({}).strict();
const tenantPath = z.object({ tenantId: slugSchema }).strict();
const datasetPath = z.object({ tenantId: slugSchema, slug: slugSchema }).strict();
const uploadPath = datasetPath.extend({ uploadId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'identifiant de dépôt invalide') });
const versionPath = datasetPath.extend({
  version: z
    .string()
    .regex(/^\d+$/, 'numéro de version attendu (un nombre entier, par exemple 3)')
    .transform(Number)
    .pipe(z.number().min(1, 'le numéro de version doit être au moins 1')),
});

/** Version numbers are kept on six digits (keys.ts › version): a higher one is well formed, and absent. */
const MAX_VERSION = 999_999;

const uploadListQuery = paginationSchema(100, 20).extend({
  status: z.enum(UPLOAD_STATUSES, { message: `statut attendu : ${UPLOAD_STATUSES.join(', ')}` }).optional(),
});

const uploadRequestSchema = z
  .object({
    filename: z
      .string()
      .trim()
      .min(1, 'nom de fichier requis')
      .max(200, 'au plus 200 caractères')
      .refine((f) => !/[\\/]/.test(f) && !CONTROL_CHARACTERS.test(f), 'le nom de fichier ne doit contenir ni « / », ni « \\ », ni caractère de contrôle')
      // « . » and « .. » would be resolved by the client's URL normalisation: the file would be sent elsewhere.
      .refine((f) => !/^[.\s]*$/.test(f.normalize('NFKD')), 'le nom de fichier doit contenir autre chose que des points et des espaces (par exemple « subventions.csv »)'),
    contentType: z
      .string()
      .max(200)
      .refine(acceptedContentType, `type attendu : ${CONTENT_TYPES.join(', ')} (paramètres admis, par exemple « text/csv; charset=windows-1252 »)`),
    size: z
      .number()
      .int({ error: 'la taille doit être un nombre entier positif d’octets (celle du fichier à envoyer)', abort: true })
      .nonnegative({ error: 'la taille doit être un nombre entier positif d’octets (celle du fichier à envoyer)', abort: true })
      .positive('le fichier ne peut pas être vide'),
  })
  .strict();

async function tenantOf(tenantId: string): Promise<Tenant> {
  const tenant = await coreDeps().tenants.get(tenantId);
  if (!tenant) throw notFound('tenant_not_found', `La collectivité « ${tenantId} » n’existe pas.`);
  return tenant;
}

async function datasetOf(ctx: RequestContext): Promise<Dataset> {
  const { tenantId, slug } = parseWith(datasetPath, pick(ctx.params, ['tenantId', 'slug']), 'path');
  const dataset = await coreDeps().datasets.getDataset(tenantId, slug);
  if (!dataset) throw notFound('dataset_not_found', `Le jeu de données « ${slug} » n’existe pas pour cette collectivité.`);
  return dataset;
}

function pick(params: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => n in params).map((n) => [n, params[n]]));
}

/** The dataset as the API shows it: absolute URLs for its current files (the upload order is internal). */
function view({ currentOrder: _order, latestPackage: _package, ...d }: Dataset) {
  return {
    ...d,
    distributions: (d.distributions ?? []).map((x) => ({ ...x, url: publicUrl(x.key) })),
    latestUrls:
      d.status === 'published'
        ? Object.fromEntries((d.distributions ?? []).map((x) => [x.format, publicUrl(publicPrefix(d.tenantId, d.slug, 'latest') + fileName(x.key))]))
        : {},
  };
}

function versionView(v: DatasetVersion, current: number | undefined) {
  const { archivePrefix: _archive, ...rest } = v;
  return { ...rest, current: v.version === current, distributions: v.distributions.map((x) => ({ ...x, url: publicUrl(x.key) })) };
}

/**
 * The upload as the API shows it. A published (or duplicate) upload says whether its version
 * is the one online, from the dataset as it is now; when it is not, a French notice says why
 * and how to put it back (an upload requested after it, a restore or an unpublish came since).
 */
function uploadView(u: Upload, dataset: Dataset | undefined, now: string) {
  const online = (u.status === 'published' || u.status === 'duplicate') && u.version !== undefined && dataset !== undefined;
  const current = online && dataset.status === 'published' && dataset.currentVersion === u.version;
  const waiting = u.status === 'awaiting-file';
  return {
    uploadId: u.id,
    status: u.status,
    filename: u.filename,
    contentType: u.contentType,
    size: u.size,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    // A file never sent: its URL's end, and whether it has passed (a new URL is then needed).
    ...(waiting ? { expiresAt: u.expiresAt, expired: Date.parse(u.expiresAt) < Date.parse(now) } : {}),
    ...(u.version !== undefined ? { version: u.version } : {}),
    ...(u.reason ? { reason: u.reason } : {}),
    ...(online ? { current } : {}),
    ...(online && !current ? { notice: notCurrentNotice(u.version!, dataset, u.status === 'duplicate') } : {}),
  };
}

function notCurrentNotice(version: number, dataset: Dataset, duplicate: boolean): string {
  const restore = `La version ${version} reste dans l’historique ; restaurez-la pour la remettre en ligne.`;
  const what = duplicate ? `Ce fichier est identique à la version ${version}, déjà publiée` : `Ce fichier a été publié comme version ${version}`;
  if (dataset.status !== 'published' || dataset.currentVersion === undefined) {
    return `${what}, mais le jeu de données est dépublié : il n’est pas en ligne. ${restore}`;
  }
  if (duplicate) {
    return `${what} : aucune nouvelle version n’a été créée, et la version en ligne reste la version ${dataset.currentVersion}. ${restore}`;
  }
  return `${what}, mais il n’est pas en ligne : la version ${dataset.currentVersion}, déposée ou restaurée après lui, est celle en ligne. ${restore}`;
}

/** The upload in the path and its dataset: 404 `dataset_not_found` first, then `upload_not_found` (an upload of another dataset or tenant included). */
async function uploadOf(ctx: RequestContext): Promise<{ upload: Upload; dataset: Dataset }> {
  const { tenantId, slug, uploadId } = parseWith(uploadPath, ctx.params, 'path');
  parseWith(noQuery, ctx.query, 'query');
  const [upload, dataset] = await Promise.all([coreDeps().datasets.getUpload(uploadId), coreDeps().datasets.getDataset(tenantId, slug)]);
  if (!dataset) throw notFound('dataset_not_found', `Le jeu de données « ${slug} » n’existe pas pour cette collectivité.`);
  if (!upload || upload.tenantId !== tenantId || upload.slug !== slug) {
    throw notFound('upload_not_found', `Le dépôt « ${uploadId} » n’existe pas pour ce jeu de données.`);
  }
  return { upload, dataset };
}

/** 409 for a slug taken: an unpublished dataset is named as such, with how to put it back online. */
async function datasetExists(tenantId: string, slug: string): Promise<AppError> {
  const existing = await coreDeps().datasets.getDataset(tenantId, slug);
  if (existing?.status === 'unpublished') {
    const [last] = await coreDeps().datasets.listVersions(tenantId, slug);
    const versions = `/v1/tenants/${tenantId}/datasets/${slug}/versions`;
    const how = last
      ? `remettez-le en ligne avec POST ${versions}/${last.version}/restore (sa dernière version ; GET ${versions} les liste)`
      : `GET ${versions} liste ses versions`;
    return conflict('dataset_exists', `Le jeu de données « ${slug} » existe déjà : il est dépublié et ses versions sont conservées. Pour le republier, ${how}, ou déposez un nouveau fichier. Sinon, choisissez un autre identifiant.`);
  }
  return conflict('dataset_exists', `Le jeu de données « ${slug} » existe déjà.`);
}

/** A PATCH naming the schema or the slug: they cannot change (the files are validated and published under them). */
function refuseImmutable(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const named = IMMUTABLE_FIELDS.filter((f) => f in body);
  if (named.length === 0) return;
  throw badRequest(
    'immutable_field',
    `Le schéma et l’identifiant (slug) d’un jeu de données ne se modifient pas (${named.map((f) => `« ${f} »`).join(', ')}) : créez un nouveau jeu de données (POST /v1/tenants/{tenantId}/datasets) avec le schéma ou l’identifiant voulu, puis retirez celui-ci (DELETE).`,
    { fields: named.map((field) => ({ field, message: 'ne se modifie pas' })) },
  );
}

/** The full report: kept privately for rejected files, published as report.json for versions. */
async function fullReport(upload: Upload): Promise<Report | undefined> {
  if (upload.status === 'rejected') {
    const text = await getObjectText(uploadBucket(), reportKey(upload.id));
    return text ? (JSON.parse(text) as Report) : undefined;
  }
  if (upload.version !== undefined && (upload.status === 'published' || upload.status === 'duplicate')) {
    const version = await coreDeps().datasets.getVersion(upload.tenantId, upload.slug, upload.version);
    const key = version?.distributions.find((d) => d.format === 'report')?.key;
    if (!version || !key) return undefined;
    // Its public copy is gone after an unpublish; the private archive keeps it.
    const text = (await getObjectText(publicBucket(), key)) ?? (await getObjectText(uploadBucket(), version.archivePrefix + fileName(key)));
    return text ? (JSON.parse(text) as Report) : undefined;
  }
  return undefined;
}

export const handler = apiHandler(
  'publish',
  {
    async createDataset(ctx) {
      const { tenantId } = parseWith(tenantPath, ctx.params, 'path');
      parseWith(noQuery, ctx.query, 'query');
      const input = jsonBody(createDatasetSchema, ctx);
      const tenant = await tenantOf(tenantId);
      if (!schemaEnabled(tenant.enabledSchemas, input.schema)) {
        throw badRequest('schema_not_enabled', `Le schéma « ${input.schema} » n’est pas ouvert pour cette collectivité.`);
      }
      const deps = coreDeps();
      const schema = input.schema === 'none' ? null : await resolveSchema(input.schema, async (id) => (await deps.schemas.get(id))?.descriptor);
      if (schema === undefined) throw badRequest('unknown_schema', `Schéma inconnu : « ${input.schema} ». Voir GET /v1/catalog/schemas.`);
      const now = deps.now();
      const dataset: Dataset = {
        tenantId,
        slug: input.slug,
        title: input.title,
        description: input.description,
        schemaId: input.schema,
        schemaVersion: schema?.version,
        licence: input.licence ?? 'etalab-2.0',
        keywords: input.keywords ?? [],
        theme: input.theme,
        frequency: input.frequency,
        temporalCoverage: input.temporalCoverage,
        status: 'draft',
        latestVersion: 0,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await deps.datasets.createDataset(dataset);
      } catch (error) {
        if (error instanceof AlreadyExistsError) throw await datasetExists(tenantId, input.slug);
        throw error;
      }
      return { status: 201, body: view(dataset), headers: { location: `/v1/tenants/${tenantId}/datasets/${input.slug}` } };
    },

    async listDatasets(ctx) {
      const { tenantId } = parseWith(tenantPath, ctx.params, 'path');
      parseWith(noQuery, ctx.query, 'query');
      await tenantOf(tenantId);
      const items = await coreDeps().datasets.listDatasets(tenantId);
      return { body: { items: items.map(view) } };
    },

    async getDataset(ctx) {
      parseWith(noQuery, ctx.query, 'query');
      return { body: view(await datasetOf(ctx)) };
    },

    async updateDataset(ctx) {
      const { tenantId, slug } = parseWith(datasetPath, ctx.params, 'path');
      parseWith(noQuery, ctx.query, 'query');
      const raw = parseJsonValue(ctx.event.body, ctx.event.isBase64Encoded);
      refuseImmutable(raw);
      const patch = parseWith(updateDatasetSchema, raw, 'body');
      const deps = coreDeps();
      const updated = await deps.datasets.updateDataset(tenantId, slug, patch, deps.now());
      if (!updated) throw notFound('dataset_not_found', `Le jeu de données « ${slug} » n’existe pas pour cette collectivité.`);
      // The version files keep the metadata they were published with; `latest/` follows the dataset.
      if (updated.status === 'published') await refreshLatestPackage(deps.datasets, tenantId, slug);
      return { body: view(updated) };
    },

    async unpublishDataset(ctx) {
      parseWith(noQuery, ctx.query, 'query');
      const dataset = await datasetOf(ctx);
      // Never published (no version number allocated): nothing to keep. It goes with its uploads and their reports; the slug is free again.
      const deleted = dataset.status === 'draft' && !dataset.latestVersion ? await coreDeps().datasets.deleteDraft(dataset.tenantId, dataset.slug) : undefined;
      if (deleted) {
        for (const id of deleted) await deletePrefix(uploadBucket(), reportKey(id));
        return { status: 204 };
      }
      const updated = await coreDeps().datasets.unpublish(dataset.tenantId, dataset.slug, coreDeps().now());
      const removed = await unpublishFiles(coreDeps().datasets, dataset);
      return { body: { ...view(updated ?? dataset), removedFiles: removed } };
    },

    async createUpload(ctx) {
      parseWith(noQuery, ctx.query, 'query');
      const dataset = await datasetOf(ctx);
      const request = jsonBody(uploadRequestSchema, ctx);
      const tenant = await tenantOf(dataset.tenantId);
      // A publisher's key is refused before (auth.ts); the département's token too, rather than a URL whose file always fails.
      if (tenant.status !== 'active') {
        throw forbidden('tenant_suspended', `La collectivité « ${tenant.id} » est suspendue : aucun fichier ne peut être publié pour elle tant qu’elle n’est pas réactivée.`);
      }
      const limit = Math.min(tenant.maxUploadBytes ?? env().MAX_UPLOAD_BYTES, env().MAX_UPLOAD_BYTES);
      if (request.size > limit) {
        throw tooLarge('file_too_large', fileTooLargeMessage(request.size, limit));
      }
      const deps = coreDeps();
      const id = nextUploadId();
      const objectKey = uploadObjectKey(dataset.tenantId, dataset.slug, id, uploadFileSegment(request.filename));
      const now = deps.now();
      const expiresAt = new Date(Date.parse(now) + UPLOAD_URL_SECONDS * 1000).toISOString();
      const signed = await presignPut(uploadBucket(), objectKey, request.contentType, request.size, UPLOAD_URL_SECONDS);
      await deps.datasets.createUpload({
        id,
        tenantId: dataset.tenantId,
        slug: dataset.slug,
        status: 'awaiting-file',
        filename: request.filename,
        contentType: request.contentType,
        size: request.size,
        objectKey,
        createdAt: now,
        updatedAt: now,
        expiresAt,
      });
      return {
        status: 201,
        body: { uploadId: id, method: 'PUT', url: signed.url, headers: signed.headers, expiresAt, maxBytes: request.size },
        headers: { location: `/v1/tenants/${dataset.tenantId}/datasets/${dataset.slug}/uploads/${id}` },
      };
    },

    /** The dataset's uploads, newest first, with each one's outcome: what happened to the file sent yesterday. */
    async listUploads(ctx) {
      const { limit, cursor, status } = parseWith(uploadListQuery, ctx.query, 'query');
      const dataset = await datasetOf(ctx);
      const page = await coreDeps().datasets.listUploads(dataset.tenantId, dataset.slug, limit, cursor, status);
      return { body: { items: page.items.map((u) => ({ ...uploadView(u, dataset, coreDeps().now()), ...(u.report ? { report: u.report } : {}) })), nextCursor: page.nextCursor } };
    },

    async getUpload(ctx) {
      const { upload, dataset } = await uploadOf(ctx);
      const report = upload.status === 'rejected' ? ((await fullReport(upload)) ?? upload.report) : upload.report;
      return { body: { ...uploadView(upload, dataset, coreDeps().now()), ...(report ? { report } : {}) } };
    },

    async getUploadReport(ctx) {
      const { upload, dataset } = await uploadOf(ctx);
      const report = await fullReport(upload);
      if (!report) throw notFound('report_not_found', 'Ce dépôt n’a pas encore de rapport : le fichier n’a pas été traité.');
      return {
        text: renderReportHtml(report, upload.filename, { upload: uploadView(upload, dataset, coreDeps().now()), apiBase: apiBase(ctx) }),
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      };
    },

    async listVersions(ctx) {
      parseWith(noQuery, ctx.query, 'query');
      const dataset = await datasetOf(ctx);
      const versions = await coreDeps().datasets.listVersions(dataset.tenantId, dataset.slug);
      return { body: { currentVersion: dataset.currentVersion ?? null, items: versions.map((v) => versionView(v, dataset.currentVersion)) } };
    },

    async restoreVersion(ctx) {
      const { tenantId, slug, version } = parseWith(versionPath, ctx.params, 'path');
      parseWith(noQuery, ctx.query, 'query');
      // No body, or `{}`, as the other actions without one (keys): the version is in the path.
      if (ctx.event.body) jsonBody(z.object({}).strict(), ctx);
      const deps = coreDeps();
      await datasetOf(ctx);
      const target = version > MAX_VERSION ? undefined : await deps.datasets.getVersion(tenantId, slug, version);
      if (!target) throw notFound('version_not_found', `La version ${Number.isSafeInteger(version) ? version : ctx.params.version} n’existe pas pour ce jeu de données.`);
      const outcome = await makeCurrent(deps.datasets, target, deps.now());
      if (outcome === 'not-found') {
        throw new AppError(404, 'dataset_not_found', `Le jeu de données « ${slug} » n’existe pas pour cette collectivité.`);
      }
      if (outcome === 'conflict') {
        throw new AppError(409, 'restore_conflict', 'Le jeu de données a changé plusieurs fois pendant la restauration (dépôt, dépublication ou autre restauration) : réessayez.');
      }
      const dataset = await deps.datasets.getDataset(tenantId, slug);
      return { body: view(dataset!) };
    },
  },
  coreDeps,
);
