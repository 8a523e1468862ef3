/**
 * The one route table. The CDK stack builds its API Gateway integrations from it and the
 * local HTTP server routes with it, so the two cannot drift. Plain data: no imports of
 * handlers or infrastructure here.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** The Lambda (bounded context) that serves a route. */
export type HandlerName = 'admin' | 'publish' | 'catalog';

/**
 * Who may call a route:
 * - public: anyone, no token;
 * - admin: a département (admin) token;
 * - publisher: a publisher token of the tenant named by `{tenantId}` in the path, or an admin token.
 */
export type Auth = 'public' | 'admin' | 'publisher';

export interface Route {
  method: HttpMethod;
  /** API Gateway v2 path syntax: `{name}` for one segment, `{name+}` for the greedy rest. */
  path: string;
  handler: HandlerName;
  auth: Auth;
  /** Stable operation name, used in logs and by the handler's dispatch. */
  operation: string;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/v1/health', handler: 'catalog', auth: 'public', operation: 'health' },
  { method: 'GET', path: '/v1/catalog/datasets', handler: 'catalog', auth: 'public', operation: 'listDatasets' },
  { method: 'GET', path: '/v1/catalog/datasets/{tenantId}/{slug}', handler: 'catalog', auth: 'public', operation: 'getDataset' },
  { method: 'GET', path: '/v1/catalog/datasets/{tenantId}/{slug}/records', handler: 'catalog', auth: 'public', operation: 'listRecords' },
  { method: 'GET', path: '/v1/catalog/tenants', handler: 'catalog', auth: 'public', operation: 'listPublishers' },
  { method: 'GET', path: '/v1/catalog/tenants/{tenantId}/datapackage.json', handler: 'catalog', auth: 'public', operation: 'tenantDatapackage' },
  { method: 'GET', path: '/v1/catalog/schemas', handler: 'catalog', auth: 'public', operation: 'listSchemas' },
  { method: 'GET', path: '/v1/catalog/schemas/{schemaId+}', handler: 'catalog', auth: 'public', operation: 'getSchema' },
  { method: 'GET', path: '/v1/catalog/templates/{schemaFile+}', handler: 'catalog', auth: 'public', operation: 'schemaTemplate' },
  { method: 'GET', path: '/v1/catalog/dcat.jsonld', handler: 'catalog', auth: 'public', operation: 'dcat' },
  { method: 'GET', path: '/v1/catalog/catalogue.csv', handler: 'catalog', auth: 'public', operation: 'scdlCatalogue' },

  { method: 'POST', path: '/v1/admin/tenants', handler: 'admin', auth: 'admin', operation: 'createTenant' },
  { method: 'GET', path: '/v1/admin/tenants', handler: 'admin', auth: 'admin', operation: 'listTenants' },
  { method: 'GET', path: '/v1/admin/tenants/{tenantId}', handler: 'admin', auth: 'admin', operation: 'getTenant' },
  { method: 'PATCH', path: '/v1/admin/tenants/{tenantId}', handler: 'admin', auth: 'admin', operation: 'updateTenant' },
  { method: 'POST', path: '/v1/admin/tenants/{tenantId}/suspend', handler: 'admin', auth: 'admin', operation: 'suspendTenant' },
  { method: 'POST', path: '/v1/admin/tenants/{tenantId}/reactivate', handler: 'admin', auth: 'admin', operation: 'reactivateTenant' },
  { method: 'POST', path: '/v1/admin/tenants/{tenantId}/keys', handler: 'admin', auth: 'admin', operation: 'createKey' },
  { method: 'GET', path: '/v1/admin/tenants/{tenantId}/keys', handler: 'admin', auth: 'admin', operation: 'listKeys' },
  { method: 'DELETE', path: '/v1/admin/tenants/{tenantId}/keys/{keyId}', handler: 'admin', auth: 'admin', operation: 'revokeKey' },
  { method: 'POST', path: '/v1/admin/schemas', handler: 'admin', auth: 'admin', operation: 'registerSchema' },

  { method: 'POST', path: '/v1/tenants/{tenantId}/datasets', handler: 'publish', auth: 'publisher', operation: 'createDataset' },
  { method: 'GET', path: '/v1/tenants/{tenantId}/datasets', handler: 'publish', auth: 'publisher', operation: 'listDatasets' },
  { method: 'GET', path: '/v1/tenants/{tenantId}/datasets/{slug}', handler: 'publish', auth: 'publisher', operation: 'getDataset' },
  { method: 'PATCH', path: '/v1/tenants/{tenantId}/datasets/{slug}', handler: 'publish', auth: 'publisher', operation: 'updateDataset' },
  { method: 'DELETE', path: '/v1/tenants/{tenantId}/datasets/{slug}', handler: 'publish', auth: 'publisher', operation: 'unpublishDataset' },
  { method: 'POST', path: '/v1/tenants/{tenantId}/datasets/{slug}/uploads', handler: 'publish', auth: 'publisher', operation: 'createUpload' },
  { method: 'GET', path: '/v1/tenants/{tenantId}/datasets/{slug}/uploads', handler: 'publish', auth: 'publisher', operation: 'listUploads' },
  { method: 'GET', path: '/v1/tenants/{tenantId}/datasets/{slug}/uploads/{uploadId}', handler: 'publish', auth: 'publisher', operation: 'getUpload' },
  { method: 'GET', path: '/v1/tenants/{tenantId}/datasets/{slug}/uploads/{uploadId}/report', handler: 'publish', auth: 'publisher', operation: 'getUploadReport' },
  { method: 'GET', path: '/v1/tenants/{tenantId}/datasets/{slug}/versions', handler: 'publish', auth: 'publisher', operation: 'listVersions' },
  { method: 'POST', path: '/v1/tenants/{tenantId}/datasets/{slug}/versions/{version}/restore', handler: 'publish', auth: 'publisher', operation: 'restoreVersion' },
];

/** `GET /v1/admin/tenants/{tenantId}`: the API Gateway v2 route key of a route. */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function routesOf(handler: HandlerName): Route[] {
  return routes.filter((r) => r.handler === handler);
}

export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = routes.map((route) => {
  const names: string[] = [];
  const pattern = route.path
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return m[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${pattern}$`), names };
});

/**
 * Finds the route for a method and a raw path (percent-encoded as received). Literal
 * segments win over parameters because routes are tried literal-first.
 * Returns `{ allowed }` when the path exists with other methods (→ 405).
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | { allowed: string[] } | undefined {
  const candidates = compiled
    .map((c) => ({ c, m: c.regex.exec(rawPath) }))
    .filter((x): x is { c: CompiledRoute; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => a.c.names.length - b.c.names.length);
  if (candidates.length === 0) return undefined;
  const hit = candidates.find((x) => x.c.route.method === method);
  if (!hit) return { allowed: [...new Set(candidates.map((x) => x.c.route.method))] };
  const pathParameters: Record<string, string> = {};
  hit.c.names.forEach((name, i) => {
    pathParameters[name] = hit.m[i + 1];
  });
  return { route: hit.c.route, pathParameters };
}
