import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { routeKey, routesOf, type HandlerName, type Route } from '../../lib/routes';
import { InvalidCursorError } from '../store/dynamodb/client';
import { authorize, type AuthDeps, type Identity } from './auth';
import type { z } from 'zod';
import { AppError, badRequest, notFound } from './errors';
import { parseJsonBody } from './validation';

export interface RequestContext {
  event: APIGatewayProxyEventV2;
  route: Route;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  identity: Identity | null;
}

export interface Reply {
  status?: number;
  /** Serialized as JSON unless `text` or `bytes` is given. */
  body?: unknown;
  text?: string;
  /** A binary body (a workbook), sent base64-encoded as API Gateway wants it. */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
}

export type Operation = (ctx: RequestContext) => Promise<Reply>;

/** The request's JSON body, parsed with the schema (400 with field-named French messages otherwise). */
export function jsonBody<T extends z.ZodType>(schema: T, ctx: RequestContext): z.infer<T> {
  return parseJsonBody(schema, ctx.event.body, ctx.event.isBase64Encoded);
}

type Result = APIGatewayProxyStructuredResultV2;

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode: status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** The one error shape: `{ error: { code, message } }`, never a stack trace. */
export function errorResponse(error: unknown, log: (entry: Record<string, unknown>) => void = defaultLog): Result {
  if (error instanceof AppError) {
    const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return jsonResponse(error.status, { error: body });
  }
  if (error instanceof InvalidCursorError) {
    return errorResponse(badRequest('invalid_cursor', 'Curseur de pagination invalide ou expiré.'), log);
  }
  log({ level: 'error', message: 'unhandled error', error: error instanceof Error ? error.stack : String(error) });
  return jsonResponse(500, { error: { code: 'internal_error', message: 'Erreur interne du serveur. L’incident a été journalisé.' } });
}

function defaultLog(entry: Record<string, unknown>): void {
  console.error(JSON.stringify(entry));
}

function lowerHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

/**
 * A Lambda handler for one bounded context: dispatches on the API Gateway route key to the
 * operation named in the route table, after authentication. Every route of the context
 * must have an operation: a missing one fails at cold start, not at request time.
 */
export function apiHandler(name: HandlerName, operations: Record<string, Operation>, deps: () => AuthDeps) {
  const table = new Map<string, Route>();
  for (const route of routesOf(name)) {
    if (!operations[route.operation]) throw new Error(`handler ${name}: no operation for ${route.operation}`);
    table.set(routeKey(route), route);
  }

  const core = async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const route = table.get(event.routeKey);
    if (!route) throw notFound('route_not_found', 'Aucune ressource ne correspond à cette adresse.');
    const params = event.pathParameters ?? {};
    const headers = lowerHeaders(event.headers);
    const clean = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
    const identity = await authorize(route, clean, headers.authorization, deps());
    const query = Object.fromEntries(
      Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const reply = await operations[route.operation]({ event, route, params: clean, query, headers, identity });
    const status = reply.status ?? 200;
    if (reply.text !== undefined) {
      return { statusCode: status, headers: { ...reply.headers }, body: reply.text };
    }
    if (reply.bytes !== undefined) {
      return { statusCode: status, headers: { ...reply.headers }, body: Buffer.from(reply.bytes).toString('base64'), isBase64Encoded: true };
    }
    if (reply.body === undefined) return { statusCode: status, headers: { 'cache-control': 'no-store', ...reply.headers } };
    return jsonResponse(status, reply.body, reply.headers);
  };

  return middy<APIGatewayProxyEventV2, Result, Error, Context>(core).use({
    onError: async (request) => {
      request.response = errorResponse(request.error);
    },
  });
}
