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

  it('says that a field left out is missing when a union checks it, not « Entrée invalide »', () => {
    const union = z.object({ schema: z.union([z.literal('none'), z.string().regex(/^[a-z]+\/[a-z]+$/)]) }).strict();
    expect(thrown(() => parseWith(union, {}, 'body')).details).toEqual({ fields: [{ field: 'schema', message: 'champ obligatoire manquant' }] });
  });

  it('says lengths and bounds in plain French, not as a formula (« Trop petit : … >=1 caractères »)', () => {
    const bounded = z
      .object({ version: z.string().min(1).max(4).optional(), code: z.string().min(3).optional(), tags: z.array(z.string()).min(1).max(2).optional(), n: z.number().min(1).max(9).optional() })
      .strict();
    const messages = (input: unknown) => (thrown(() => parseWith(bounded, input, 'query')).details as { fields: { field: string; message: string }[] }).fields;
    expect(messages({ version: '' })).toEqual([{ field: 'version', message: 'ne doit pas être vide' }]);
    expect(messages({ version: '12345', code: 'ab' })).toEqual([
      { field: 'version', message: 'au plus 4 caractères' },
      { field: 'code', message: 'au moins 3 caractères' },
    ]);
    expect(messages({ tags: [] })).toEqual([{ field: 'tags', message: 'la liste ne doit pas être vide' }]);
    expect(messages({ tags: ['a', 'b', 'c'], n: 0 })).toEqual([
      { field: 'tags', message: 'au plus 2 éléments' },
      { field: 'n', message: 'doit être au moins 1' },
    ]);
  });

  it('keeps a message the schema gives', () => {
    const own = z.object({ title: z.string().min(3, 'au moins 3 caractères pour un titre') }).strict();
    expect(thrown(() => parseWith(own, { title: '' }, 'body')).message).toBe('Corps de la requête invalide — « title » : au moins 3 caractères pour un titre');
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

  it('passes every query parameter as API Gateway does, those named like Object’s own properties too', () => {
    const req = { ...request('application/json'), url: '/v1/x?constructor=y&toString=z&__proto__=x&hasOwnProperty=w&a=1&a=2' } as unknown as IncomingMessage;
    const query = toApiGatewayEvent(req, Buffer.alloc(0), route).queryStringParameters ?? {};
    expect(Object.entries(query)).toEqual([
      ['constructor', 'y'],
      ['toString', 'z'],
      ['__proto__', 'x'],
      ['hasOwnProperty', 'w'],
      ['a', '1,2'],
    ]);
  });

  it('passes UTF-8 JSON as text, a byte order mark kept as sent', () => {
    const event = toApiGatewayEvent(request('application/json'), Buffer.from('\uFEFF{"title":"é"}'), route);
    expect({ body: event.body, isBase64Encoded: event.isBase64Encoded }).toEqual({ body: '\uFEFF{"title":"é"}', isBase64Encoded: false });
  });
});
