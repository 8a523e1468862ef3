/**
 * The publish flow as a commune drives it, over HTTP only: a tenant and its publisher key,
 * a dataset, an upload URL, the PUT of the bytes to the signed URL, polling the upload until
 * it settles, and reading the public files back.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, createKey, createTenant, platform, uniqueId } from './api';

export interface Publisher {
  tenantId: string;
  token: string;
  keyId: string;
}

/** A new tenant (commune) and one publisher key for it. */
export async function newPublisher(prefix: string, tenant: Record<string, unknown> = {}): Promise<Publisher> {
  const tenantId = uniqueId(prefix);
  await createTenant(tenantId, tenant);
  const key = await createKey(tenantId);
  return { tenantId, token: key.token, keyId: key.id };
}

export async function createDataset(p: Publisher, slug: string, schema: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', `/v1/tenants/${p.tenantId}/datasets`, {
    token: p.token,
    body: { slug, title: `Jeu ${slug}`, schema, ...extra },
  });
  if (res.status !== 201) throw new Error(`createDataset ${slug}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface UploadTicket {
  uploadId: string;
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

export const CONTENT_TYPES = {
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
} as const;

export function contentTypeOf(filename: string): string {
  const ext = filename.slice(filename.lastIndexOf('.') + 1) as keyof typeof CONTENT_TYPES;
  return CONTENT_TYPES[ext] ?? 'text/csv';
}

/** `POST …/uploads`: the signed URL for one file of `size` bytes. Throws unless 201. */
export async function requestUpload(p: Publisher, slug: string, filename: string, size: number, contentType = contentTypeOf(filename)) {
  const res = await api<UploadTicket>('POST', `/v1/tenants/${p.tenantId}/datasets/${slug}/uploads`, {
    token: p.token,
    body: { filename, contentType, size },
  });
  if (res.status !== 201) throw new Error(`requestUpload ${slug}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** PUT the bytes to the signed URL with exactly the headers it was signed with. */
export async function putBytes(ticket: UploadTicket, bytes: Buffer): Promise<Response> {
  const res = await fetch(ticket.url, { method: ticket.method, headers: ticket.headers, body: bytes });
  await res.arrayBuffer();
  return res;
}

export const TERMINAL = ['published', 'rejected', 'failed', 'duplicate'] as const;
export type Terminal = (typeof TERMINAL)[number];

export interface Report {
  valid: boolean;
  rowCount: number;
  errorCount: number;
  warningCount: number;
  codes: Record<string, number>;
  issues: { code: string; severity: string; row?: number; column?: string; value?: string; message: string }[];
  truncated: boolean;
  summary: string;
}

export interface UploadState {
  uploadId: string;
  status: 'awaiting-file' | 'processing' | Terminal;
  version?: number;
  reason?: string;
  report?: Report;
}

export function getUpload(p: Publisher, slug: string, uploadId: string) {
  return api<UploadState>('GET', `/v1/tenants/${p.tenantId}/datasets/${slug}/uploads/${uploadId}`, { token: p.token });
}

/** Polls every 100 ms (up to 60 s) until the upload is published, rejected, failed or a duplicate. */
export async function waitForUpload(p: Publisher, slug: string, uploadId: string, timeoutMs = 60_000): Promise<UploadState> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await getUpload(p, slug, uploadId);
    last = res.body;
    if (res.status === 200 && (TERMINAL as readonly string[]).includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`upload ${uploadId} did not settle in ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}

/** The whole flow for one file: request a URL, PUT, wait for the outcome. */
export async function uploadFile(p: Publisher, slug: string, filename: string, bytes: Buffer, contentType = contentTypeOf(filename)) {
  const ticket = await requestUpload(p, slug, filename, bytes.length, contentType);
  const put = await putBytes(ticket, bytes);
  if (put.status !== 200) throw new Error(`PUT ${filename}: ${put.status}`);
  const state = await waitForUpload(p, slug, ticket.uploadId);
  return { ticket, state };
}

/** Uploads a file that must publish, and returns its version number. */
export async function publish(p: Publisher, slug: string, filename: string, bytes: Buffer, contentType?: string): Promise<number> {
  const { state } = await uploadFile(p, slug, filename, bytes, contentType);
  if (state.status !== 'published' || state.version === undefined) {
    throw new Error(`${filename} was not published: ${JSON.stringify(state, null, 1).slice(0, 4000)}`);
  }
  return state.version;
}

export interface PublicFile {
  status: number;
  bytes: Buffer;
  headers: Headers;
  text(): string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A public file of a dataset: `datasets/<tenant>/<slug>/<v<n>|latest>/<name>`, as a reuser downloads it. */
export async function publicFile(p: Publisher | string, slug: string, version: number | 'latest', name: string): Promise<PublicFile> {
  const tenantId = typeof p === 'string' ? p : p.tenantId;
  const dir = version === 'latest' ? 'latest' : `v${version}`;
  const res = await fetch(`${platform().publicUrl}/datasets/${tenantId}/${slug}/${dir}/${name}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    bytes,
    headers: res.headers,
    text: () => bytes.toString('utf8'),
    json: () => JSON.parse(bytes.toString('utf8')),
  };
}

export function getDataset(p: Publisher, slug: string) {
  return api('GET', `/v1/tenants/${p.tenantId}/datasets/${slug}`, { token: p.token });
}

export function listVersions(p: Publisher, slug: string) {
  return api<{ currentVersion: number | null; items: { version: number; current: boolean; uploadId: string }[] }>(
    'GET',
    `/v1/tenants/${p.tenantId}/datasets/${slug}/versions`,
    { token: p.token },
  );
}

const FIXTURES = path.resolve(__dirname, '../../fixtures/publish');

/** A hand-written fixture of test/fixtures/publish. */
export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

/** The official SCDL reference files beside the checkout (`../shared/reference`), when present. */
export const REFERENCE_DIR = path.resolve(__dirname, '../../../../shared/reference');

export function referenceFile(relative: string): Buffer | undefined {
  const file = path.join(REFERENCE_DIR, relative);
  return existsSync(file) ? readFileSync(file) : undefined;
}
