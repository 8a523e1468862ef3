import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { matchRoute, routeKey, type HandlerName } from '../routes';

export type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Request bodies above this size are refused before reaching a handler, as API Gateway does (10 MB). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type',
  'access-control-allow-methods': 'GET,POST,PATCH,DELETE',
  'access-control-max-age': '3600',
};

function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `socle-local-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:socle-local-${name}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/socle-local-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string | Buffer): void {
  res.writeHead(status, { ...CORS_HEADERS, ...headers });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}) {
  send(res, status, { 'content-type': 'application/json; charset=utf-8', ...extra }, JSON.stringify({ error: { code, message } }));
}

/** Past the limit, a body is read on and dropped up to this much, so that its sender gets the 413 and not a reset connection. */
const DRAINED_BYTES = 256 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early would destroy the socket under a client still sending: it would see a reset, not the answer.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES + DRAINED_BYTES) break;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks);
}

function isTextual(contentType: string | undefined): boolean {
  return !contentType || /^(text\/|application\/(json|x-www-form-urlencoded|xml|ld\+json))/i.test(contentType);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A textual body as text when its bytes are UTF-8; else (Latin-1 sent as JSON, a binary
 * type) the exact bytes in base64, so that the handler sees what was sent and can refuse
 * it, never a text where a decoder put U+FFFD.
 */
function eventBody(body: Buffer, contentType: string | undefined): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: undefined, isBase64Encoded: false };
  if (isTextual(contentType)) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // not UTF-8: passed on as bytes
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

/** Turns a Node request into the API Gateway v2 (payload 2.0) event the Lambda receives. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  route: { routeKey: string; pathParameters: Record<string, string> },
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  // No prototype: `?constructor=`, `?toString=` and `?__proto__=` are parameters like any other, as API Gateway passes them.
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of url.searchParams) query[k] = Object.hasOwn(query, k) ? `${query[k]},${v}` : v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: headers.cookie ? headers.cookie.split(';').map((c) => c.trim()) : undefined,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(route.pathParameters).length ? route.pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...eventBody(body, headers['content-type']),
  };
}

/**
 * The local stand-in for API Gateway: matches the route table, builds the v2 event and
 * calls the same exported handler the Lambda runs.
 */
export function createApiServer(handlers: Record<HandlerName, HttpLambda>): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'OPTIONS') return send(res, 204, {});
      const match = matchRoute(req.method ?? 'GET', url.pathname);
      if (!match) return sendError(res, 404, 'route_not_found', 'Aucune ressource ne correspond à cette adresse.');
      if ('allowed' in match) {
        return sendError(res, 405, 'method_not_allowed', 'Méthode non autorisée pour cette adresse.', {
          allow: match.allowed.join(', '),
        });
      }
      const body = await readBody(req);
      if (body === 'too-large') return sendError(res, 413, 'payload_too_large', 'Corps de requête trop volumineux (10 Mo au plus).');
      const decoded: Record<string, string> = {};
      for (const [k, v] of Object.entries(match.pathParameters)) {
        try {
          decoded[k] = decodeURIComponent(v);
        } catch {
          return sendError(res, 400, 'invalid_path', 'Chemin invalide : encodage URL incorrect.');
        }
      }
      const event = toApiGatewayEvent(req, body, { routeKey: routeKey(match.route), pathParameters: decoded });
      const result = await handlers[match.route.handler](event, lambdaContext(match.route.handler));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
      const payload = result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      send(res, result.statusCode ?? 200, headers, payload);
    })().catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'local server error', error: String(error) }));
      if (!res.headersSent) sendError(res, 500, 'internal_error', 'Erreur interne du serveur.');
      else res.end();
    });
  });
}
