/**
 * A request body as the handlers read it: UTF-8 or refused (never stored with « � »), from
 * API Gateway's text or base64 and from the local server alike; field-named problems, one
 * per unknown key.
 */
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { z } from 'zod';
import { AppError } from '../../../functions/http/errors';
import { parseJsonBody, parseWith } from '../../../functions/http/validation';
import { toApiGatewayEvent } from '../../../lib/local/http-server';

const schema = z.object({ title: z.string() }).strict();
const latin1 = Buffer.from('{"title":"Délibérations"}', 'latin1');

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('parseJsonBody', () => {
  it('400 invalid_encoding for Latin-1 bytes passed in base64', () => {
    const error = thrown(() => parseJsonBody(schema, latin1.toString('base64'), true));
    expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: 'invalid_encoding' });
    expect(error.message).toMatch(/n’est pas encodé en UTF-8.*Envoyez-le en UTF-8/);
  });

  it('400 invalid_encoding for a text body where a decoder already put U+FFFD', () => {
    expect(thrown(() => parseJsonBody(schema, latin1.toString('utf8'), false)).code).toBe('invalid_encoding');
  });

  it('reads UTF-8, as text or as base64', () => {
    const utf8 = '{"title":"Délibérations"}';
    expect(parseJsonBody(schema, utf8, false)).toEqual({ title: 'Délibérations' });
    expect(parseJsonBody(schema, Buffer.from(utf8).toString('base64'), true)).toEqual({ title: 'Délibérations' });
  });
});

describe('parseWith', () => {
  it('names each unknown key apart, not as one nested path', () => {
    const error = thrown(() => parseWith(schema, { title: 'x', status: 'published', currentVersion: 9 }, 'body'));
    expect(error.details).toEqual({
      fields: [
        { field: 'status', message: 'clé non reconnue' },
        { field: 'currentVersion', message: 'clé non reconnue' },
      ],
    });
    expect(error.message).toBe('Corps de la requête invalide — « status » : clé non reconnue ; « currentVersion » : clé non reconnue');
  });

  it('says that a field left out is missing', () => {
    const error = thrown(() => parseWith(schema, {}, 'body'));
    expect(error.details).toEqual({ fields: [{ field: 'title', message: 'champ obligatoire manquant' }] });
  });

  it('keeps the path of an unknown key inside an object', () => {
    const nested = z.object({ temporalCoverage: z.object({ start: z.string() }).strict() }).strict();
    const error = thrown(() => parseWith(nested, { temporalCoverage: { start: 'a', fin: 'b', debut: 'c' } }, 'body'));
    expect((error.details as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(['temporalCoverage.fin', 'temporalCoverage.debut']);
  });
});

describe('the local server’s event', () => {
  function request(contentType: string): IncomingMessage {
    return { url: '/v1/x', method: 'POST', httpVersion: '1.1', headers: { 'content-type': contentType }, socket: new Socket() } as unknown as IncomingMessage;
  }
  const route = { routeKey: 'POST /v1/x', pathParameters: {} };

  it('passes bytes that are not UTF-8 as base64, exactly, whatever the declared charset', () => {
    for (const type of ['application/json', 'application/json; charset=iso-8859-1']) {
      const event = toApiGatewayEvent(request(type), latin1, route);
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body!, 'base64').equals(latin1)).toBe(true);
    }
  });

  it('passes UTF-8 JSON as text, a byte order mark kept as sent', () => {
    const event = toApiGatewayEvent(request('application/json'), Buffer.from('\uFEFF{"title":"é"}'), route);
    expect({ body: event.body, isBase64Encoded: event.isBase64Encoded }).toEqual({ body: '\uFEFF{"title":"é"}', isBase64Encoded: false });
  });
});
