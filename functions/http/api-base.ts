import type { RequestContext } from './api-handler';

/** Absolute URL of this API as the caller reached it (for links in answers: Hydra pages, templates). */
export function apiBase(ctx: RequestContext): string {
  const host = ctx.headers.host ?? ctx.event.requestContext.domainName;
  const proto = ctx.headers['x-forwarded-proto'] ?? (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
}
