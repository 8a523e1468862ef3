/**
 * The public catalogue's operations (no authentication). Thin: parse the query with zod,
 * read through the catalogue view, shape with the domain builders, answer cacheable.
 */
import { z } from 'zod';
import { CATALOG_SORTS, decodeCatalogCursor, searchCatalog } from '../domain/catalog/search';
import { recordTable, selectRecords, type Row } from '../domain/catalog/records';
import { tenantDataPackage } from '../domain/catalog/datapackage';
import { toCatalogItem } from '../domain/catalog/catalog-item';
import { LICENCES, type Dataset } from '../domain/datasets/dataset';
import { TEMPLATE_CONTENT_TYPES, templateCsv, templateFileName, templateXlsx, type TemplateFormat } from '../domain/schema/template';
import type { TableSchemaDescriptor } from '../domain/schema/types';
import { getBuiltinSchema } from '../domain/schemas/registry';
import { schemaIdSchema, slugSchema } from '../domain/tenants/tenant';
import type { Operation, RequestContext } from '../http/api-handler';
import { apiBase } from '../http/api-base';
import { badRequest, notFound } from '../http/errors';
import { paginationSchema } from '../http/pagination';
import { parseWith } from '../http/validation';
import { catalogDeps } from './catalog-deps';
import { dcatDocument, findSchema, loadCatalog, loadSchemas, schemaUrlResolver, scdlCatalogueCsv, toPublisher } from './catalog-view';
import { cacheable, MAX_AGE } from './http-cache';

const isoDateOrDateTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(s) && !Number.isNaN(Date.parse(s)), 'date ISO 8601 attendue (AAAA-MM-JJ ou date-heure)')
  .transform((s) => (s.length === 10 ? s : new Date(s).toISOString()));

const listQuery = paginationSchema(100, 20).extend({
  tenant: slugSchema.optional(),
  schema: z.union([z.literal('none'), schemaIdSchema]).optional(),
  theme: z.string().trim().min(1).max(60).optional(),
  keyword: z.string().trim().min(1).max(60).optional(),
  licence: z.enum(LICENCES).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  modifiedSince: isoDateOrDateTime.optional(),
  sort: z.enum(CATALOG_SORTS).default('modified'),
});

const noQuery = z.object({}).strict();
const datasetPath = z.object({ tenantId: slugSchema, slug: slugSchema }).strict();
const tenantPath = z.object({ tenantId: slugSchema }).strict();

async function publishedDataset(ctx: RequestContext): Promise<Dataset> {
  const { tenantId, slug } = parseWith(datasetPath, ctx.params, 'path');
  const dataset = await catalogDeps().reader.getDataset(tenantId, slug);
  if (!dataset || dataset.status !== 'published') {
    throw notFound('dataset_not_found', `Aucun jeu de données publié « ${slug} » pour « ${tenantId} ».`);
  }
  return dataset;
}

const listDatasets: Operation = async (ctx) => {
  const query = parseWith(listQuery, ctx.query, 'query');
  const after = query.cursor === undefined ? undefined : decodeCatalogCursor(query.cursor, query.sort);
  if (query.cursor !== undefined && after === undefined) {
    throw badRequest('invalid_cursor', 'Curseur de pagination invalide (ou obtenu avec un autre tri).');
  }
  const { reader, publicBaseUrl } = catalogDeps();
  const snapshot = await loadCatalog(reader, publicBaseUrl);
  const page = searchCatalog(snapshot.items, { ...query, after });
  return cacheable(ctx, { json: page }, MAX_AGE.list);
};

const getDataset: Operation = async (ctx) => {
  const dataset = await publishedDataset(ctx);
  const { reader, publicBaseUrl } = catalogDeps();
  const [tenant, versions, stats] = await Promise.all([
    reader.getTenant(dataset.tenantId),
    reader.listVersions(dataset.tenantId, dataset.slug, 100),
    dataset.currentVersion === undefined ? undefined : reader.getVersionStats(dataset.tenantId, dataset.slug, dataset.currentVersion),
  ]);
  const item = toCatalogItem(dataset, toPublisher(tenant, dataset.tenantId), publicBaseUrl);
  const body = {
    ...item,
    status: dataset.status,
    lastReport: dataset.lastReport ?? null,
    // The current version's columns: filled cells, distinct values, most frequent values, ranges, totals.
    stats: stats ? { version: dataset.currentVersion, ...stats } : null,
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      rowCount: v.rowCount,
      schema: v.schemaId && v.schemaId !== 'none' ? { id: v.schemaId, version: v.schemaVersion } : null,
      current: v.version === dataset.currentVersion,
      report: v.report,
      distributions: v.distributions.map((d) => ({
        format: d.format,
        url: `${publicBaseUrl.replace(/\/+$/, '')}/${d.key}`,
        mediaType: d.mediaType,
        bytes: d.bytes,
        sha256: d.sha256,
      })),
    })),
  };
  return cacheable(ctx, { json: body }, MAX_AGE.detail);
};

const RESERVED_RECORD_PARAMS = new Set(['limit', 'offset', 'sort']);
const recordsPaging = z
  .object({
    limit: z.coerce.number().int('limit doit être un entier').min(1, 'limit doit être au moins 1').max(1000, 'limit doit être au plus 1000').default(100),
    offset: z.coerce.number().int('offset doit être un entier').min(0, 'offset doit être positif').max(10_000_000).default(0),
    sort: z.string().min(1).max(200).optional(),
  })
  .strict();

const listRecords: Operation = async (ctx) => {
  const dataset = await publishedDataset(ctx);
  const paging = parseWith(
    recordsPaging,
    Object.fromEntries(Object.entries(ctx.query).filter(([k]) => RESERVED_RECORD_PARAMS.has(k))),
    'query',
  );
  const { reader, files, records } = catalogDeps();
  const json = (dataset.distributions ?? []).find((d) => d.format === 'json');
  if (!json) throw notFound('records_not_available', 'Ce jeu de données n’a pas de version JSON à prévisualiser.');
  const cacheKey = `${dataset.tenantId}/${dataset.slug}/${dataset.currentVersion ?? 0}/${json.sha256}`;
  const table = await records.get(cacheKey, async () => {
    const bytes = await files.get(json.key);
    if (!bytes) throw notFound('records_not_available', 'Le fichier de données de la version courante est introuvable.');
    const rows = JSON.parse(bytes.toString('utf8')) as Row[];
    const schema = dataset.schemaId && dataset.schemaId !== 'none' ? await findSchema(reader, dataset.schemaId, dataset.schemaVersion) : undefined;
    const fields = [...new Set([...(rows.length > 0 ? Object.keys(rows[0]) : []), ...(schema?.fields.map((f) => f.name) ?? [])])];
    return { table: recordTable(fields, rows), bytes: bytes.length };
  });
  const known = new Set(table.fields);
  const filters: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(ctx.query)) {
    if (RESERVED_RECORD_PARAMS.has(k)) continue;
    if (known.has(k)) filters[k] = v;
    else unknown.push(k);
  }
  const sortField = paging.sort?.replace(/^-/, '');
  if (sortField !== undefined && !known.has(sortField)) unknown.push(`sort=${paging.sort}`);
  if (unknown.length > 0) {
    throw badRequest(
      'invalid_query',
      `Paramètres de requête invalides — champs inconnus : ${unknown.map((u) => `« ${u} »`).join(', ')}. Champs disponibles : ${table.fields.join(', ')}.`,
      { fields: unknown.map((field) => ({ field, message: 'champ inconnu' })) },
    );
  }
  const { total, items } = selectRecords(table, { ...paging, filters });
  const body = { fields: table.fields, version: dataset.currentVersion ?? null, total, offset: paging.offset, limit: paging.limit, items };
  return cacheable(ctx, { json: body }, MAX_AGE.records);
};

const listPublishers: Operation = async (ctx) => {
  parseWith(noQuery, ctx.query, 'query');
  const { reader, publicBaseUrl } = catalogDeps();
  const snapshot = await loadCatalog(reader, publicBaseUrl);
  const counts = new Map<string, number>();
  for (const item of snapshot.items) counts.set(item.tenantId, (counts.get(item.tenantId) ?? 0) + 1);
  const items = [...snapshot.tenants.values()].map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind,
    siren: t.siren,
    ...(t.inseeCode ? { inseeCode: t.inseeCode } : {}),
    datasetCount: counts.get(t.id) ?? 0,
  }));
  return cacheable(ctx, { json: { items } }, MAX_AGE.list);
};

const listSchemas: Operation = async (ctx) => {
  parseWith(noQuery, ctx.query, 'query');
  const { reader, publicBaseUrl } = catalogDeps();
  const [schemas, snapshot] = await Promise.all([loadSchemas(reader), loadCatalog(reader, publicBaseUrl)]);
  const inUse = new Map<string, number>();
  for (const item of snapshot.items) if (item.schema && !item.consolidationOf) inUse.set(item.schema.id, (inUse.get(item.schema.id) ?? 0) + 1);
  const byId = new Map<string, typeof schemas>();
  for (const s of schemas) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  const items = [...byId.entries()].map(([id, versions]) => ({
    id,
    title: versions[0].title,
    ...(versions[0].description ? { description: versions[0].description } : {}),
    currentVersion: versions[0].version,
    versions: versions.map((v) => ({ version: v.version, url: v.url ?? null })),
    geographic: versions[0].geo !== undefined,
    datasetCount: inUse.get(id) ?? 0,
    templates: templateUrls(ctx, id),
  }));
  return cacheable(ctx, { json: { items } }, MAX_AGE.schemas);
};

const versionQuery = z.object({ version: z.string().min(1).max(40).optional() }).strict();

/** A schema by id, at `version` or its current one, and all its versions; 404 `schema_not_found`. */
async function schemaVersions(schemaId: string, version: string | undefined): Promise<{ descriptor: TableSchemaDescriptor; all: TableSchemaDescriptor[] }> {
  const { reader } = catalogDeps();
  const all = (await loadSchemas(reader)).filter((s) => s.id === schemaId);
  const descriptor = version === undefined ? all[0] : (getBuiltinSchema(schemaId, version) ?? all.find((d) => d.version === version));
  if (!descriptor) throw notFound('schema_not_found', `Schéma « ${schemaId}${version ? ` ${version}` : ''} » inconnu.`);
  return { descriptor, all };
}

const getSchema: Operation = async (ctx) => {
  const { version } = parseWith(versionQuery, ctx.query, 'query');
  const { schemaId } = parseWith(z.object({ schemaId: schemaIdSchema }).strict(), ctx.params, 'path');
  const { descriptor, all } = await schemaVersions(schemaId, version);
  const body = {
    ...descriptor,
    versions: all.map((v) => ({ version: v.version, url: v.url ?? null })),
    templates: templateUrls(ctx, descriptor.id, version),
  };
  return cacheable(ctx, { json: body }, MAX_AGE.schemas);
};

/** Where the blank files to fill in for a schema are (schemaTemplate), absolute. */
function templateUrls(ctx: RequestContext, id: string, version?: string): Record<TemplateFormat, string> {
  const at = (format: TemplateFormat) => `${apiBase(ctx)}/v1/catalog/templates/${id}.${format}${version ? `?version=${encodeURIComponent(version)}` : ''}`;
  return { xlsx: at('xlsx'), csv: at('csv') };
}

/** `scdl/subventions.xlsx` → the schema id and the template's format. */
const TEMPLATE_FILE = /^(.+)\.(csv|xlsx)$/;
const templatePath = z
  .object({
    schemaFile: z
      .string()
      .regex(TEMPLATE_FILE, 'le fichier doit finir par .xlsx ou .csv (ex. « scdl/subventions.xlsx »)')
      .refine((f) => schemaIdSchema.safeParse(f.replace(TEMPLATE_FILE, '$1')).success, 'identifiant de schéma invalide (ex. « scdl/subventions.xlsx »)')
      .transform((f) => ({ schemaId: f.replace(TEMPLATE_FILE, '$1'), format: f.replace(TEMPLATE_FILE, '$2') as TemplateFormat })),
  })
  .strict();

/** A blank file to fill in for a schema (domain/schema/template.ts): a workbook with its columns formatted and described, or the CSV header line. */
const schemaTemplate: Operation = async (ctx) => {
  const { version } = parseWith(versionQuery, ctx.query, 'query');
  const { schemaFile } = parseWith(templatePath, ctx.params, 'path');
  const { descriptor } = await schemaVersions(schemaFile.schemaId, version);
  const bytes = schemaFile.format === 'xlsx' ? templateXlsx(descriptor) : templateCsv(descriptor);
  const reply = cacheable(ctx, { bytes, contentType: TEMPLATE_CONTENT_TYPES[schemaFile.format] }, MAX_AGE.schemas);
  reply.headers = { ...reply.headers, 'content-disposition': `attachment; filename="${templateFileName(descriptor, schemaFile.format)}"` };
  return reply;
};

export const DCAT_PAGE_SIZE = 100;

const dcat: Operation = async (ctx) => {
  const { page } = parseWith(z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) }).strict(), ctx.query, 'query');
  const { reader, publicBaseUrl, now } = catalogDeps();
  const [snapshot, schemas] = await Promise.all([loadCatalog(reader, publicBaseUrl), loadSchemas(reader)]);
  const last = Math.max(1, Math.ceil(snapshot.items.length / DCAT_PAGE_SIZE));
  if (page > last) throw notFound('page_not_found', `Page ${page} inexistante : le catalogue compte ${last} page(s).`);
  // A sorted copy: the snapshot is shared with other requests of this warm function.
  const sorted = { ...snapshot, items: [...snapshot.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
  const self = `${apiBase(ctx)}/v1/catalog/dcat.jsonld`;
  const doc = dcatDocument(sorted, publicBaseUrl, schemas, now(), {
    page,
    pageSize: DCAT_PAGE_SIZE,
    total: snapshot.items.length,
    urlOf: (p) => `${self}?page=${p}`,
  });
  return cacheable(ctx, { text: JSON.stringify(doc), contentType: 'application/ld+json; charset=utf-8' }, MAX_AGE.exports);
};

const scdlCatalogue: Operation = async (ctx) => {
  parseWith(noQuery, ctx.query, 'query');
  const { reader, publicBaseUrl } = catalogDeps();
  const reply = cacheable(ctx, { text: scdlCatalogueCsv(await loadCatalog(reader, publicBaseUrl)), contentType: 'text/csv; charset=utf-8' }, MAX_AGE.exports);
  reply.headers = { ...reply.headers, 'content-disposition': 'attachment; filename="catalogue.csv"' };
  return reply;
};

const tenantDatapackage: Operation = async (ctx) => {
  parseWith(noQuery, ctx.query, 'query');
  const { tenantId } = parseWith(tenantPath, ctx.params, 'path');
  const { reader, publicBaseUrl } = catalogDeps();
  const snapshot = await loadCatalog(reader, publicBaseUrl);
  const tenant = snapshot.tenants.get(tenantId);
  if (!tenant) throw notFound('tenant_not_found', `Collectivité « ${tenantId} » inconnue.`);
  const schemas = await loadSchemas(reader);
  const items = snapshot.items.filter((i) => i.tenantId === tenantId).sort((a, b) => (a.slug < b.slug ? -1 : 1));
  const body = tenantDataPackage(toPublisher(tenant, tenantId), items, schemaUrlResolver(schemas));
  return cacheable(ctx, { json: body }, MAX_AGE.list);
};

export const catalogOperations = {
  listDatasets,
  getDataset,
  listRecords,
  listPublishers,
  listSchemas,
  getSchema,
  schemaTemplate,
  dcat,
  scdlCatalogue,
  tenantDatapackage,
};
