import type { PlatformInfo } from './child-platform';

/** The platform started by the global setup. */
export function platform(): PlatformInfo {
  const raw = process.env.SOCLE_TEST_PLATFORM;
  if (!raw) throw new Error('integration tests need the global setup (run them with jest --selectProjects integration)');
  return JSON.parse(raw) as PlatformInfo;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small client over `fetch`: JSON in, JSON out, with an optional bearer token. */
export async function api<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(platform().apiUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export const admin = () => platform().adminToken;

let counter = 0;
/** A fresh tenant id per test, so tests do not depend on each other. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Valid SIRENs (Luhn) to build tenants with. */
export const SIRENS = ['213104581', '243100518', '223100017', '200054781'];

export async function createTenant(id: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/v1/admin/tenants', {
    token: admin(),
    body: { id, name: `Commune ${id}`, kind: 'commune', siren: SIRENS[0], ...extra },
  });
  if (res.status !== 201) throw new Error(`createTenant ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createKey(tenantId: string): Promise<{ id: string; token: string }> {
  const res = await api<{ id: string; token: string }>('POST', `/v1/admin/tenants/${tenantId}/keys`, { token: admin() });
  if (res.status !== 201) throw new Error(`createKey ${tenantId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Polls until `check` passes (what the platform does asynchronously: consolidation, catalogue exports). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
