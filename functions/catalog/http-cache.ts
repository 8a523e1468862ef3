import { createHash } from 'node:crypto';
import type { Reply, RequestContext } from '../http/api-handler';

/** How long shared caches and browsers may keep a catalogue answer. */
export const MAX_AGE = { list: 60, detail: 60, records: 300, schemas: 3600, exports: 300 } as const;

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * A cacheable answer: strong ETag over the exact bytes, `Cache-Control: public`, and a 304
 * without body when the client already holds them (`If-None-Match`).
 */
export function cacheable(
  ctx: RequestContext,
  content: { json: unknown } | { text: string; contentType: string } | { bytes: Uint8Array; contentType: string },
  maxAge: number,
): Reply {
  const body = 'json' in content ? JSON.stringify(content.json) : 'text' in content ? content.text : content.bytes;
  const contentType = 'json' in content ? 'application/json; charset=utf-8' : content.contentType;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  const headers = { etag, 'cache-control': `public, max-age=${maxAge}`, vary: 'accept-encoding' };
  if (matchesEtag(ctx.headers['if-none-match'], etag)) return { status: 304, headers };
  return typeof body === 'string' ? { text: body, headers: { ...headers, 'content-type': contentType } } : { bytes: body, headers: { ...headers, 'content-type': contentType } };
}
