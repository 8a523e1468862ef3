import { z } from 'zod';
import { badRequest } from './errors';

import { fr } from 'zod/locales';

// French messages for every zod issue a request can produce (only this locale is bundled);
// a field left out says so, rather than « chaîne de caractères attendu, indéfini reçu ».
z.config(fr());
z.config({ customError: plainFrench });

/**
 * Messages for what the locale says as a formula (« Trop petit : chaîne de caractères doit
 * avoir >=1 caractères ») or too vaguely (« Entrée invalide » for a missing field checked by
 * a union), when the schema gives none of its own.
 */
function plainFrench(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'champ obligatoire manquant';
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return undefined;
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const exact = issue.exact === true;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && bound <= 1 && !exact) return 'ne doit pas être vide';
      return `${exact ? 'exactement' : small ? 'au moins' : 'au plus'} ${bound} caractère${bound > 1 ? 's' : ''}`;
    case 'array':
    case 'set':
      if (small && bound <= 1 && !exact) return 'la liste ne doit pas être vide';
      return `${exact ? 'exactement' : small ? 'au moins' : 'au plus'} ${bound} élément${bound > 1 ? 's' : ''}`;
    case 'number':
    case 'int':
    case 'bigint':
      if (inclusive) return `doit être ${small ? 'au moins' : 'au plus'} ${bound}`;
      return `doit être ${small ? 'supérieur' : 'inférieur'} à ${bound}`;
    default:
      return undefined;
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

function problems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    // One problem per unknown key: `status` and `currentVersion`, not « status.currentVersion ».
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
      return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'clé non reconnue' }));
    }
    return [{ field: path || '(corps)', message: issue.message }];
  });
}

function describe(where: string, list: FieldProblem[]): string {
  const text = list.map((p) => `« ${p.field} » : ${p.message}`).join(' ; ');
  return `${where} — ${text}`;
}

export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  where: 'body' | 'query' | 'path',
): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const list = problems(result.error);
  const label = { body: 'Corps de la requête invalide', query: 'Paramètres de requête invalides', path: 'Chemin invalide' }[where];
  throw badRequest(`invalid_${where}`, describe(label, list), { fields: list });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a request body. JSON is UTF-8 (RFC 8259 § 8.1), whatever charset the request
 * declares: bytes that are not are refused rather than stored as « D�lib�rations ». A body
 * API Gateway passed as text already holds U+FFFD where its bytes were not UTF-8.
 */
export function bodyText(body: string, isBase64: boolean): string {
  let text: string;
  try {
    text = isBase64 ? utf8.decode(Buffer.from(body, 'base64')) : body;
  } catch {
    text = '\uFFFD';
  }
  if (text.includes('\uFFFD')) {
    throw badRequest(
      'invalid_encoding',
      'Le corps de la requête n’est pas encodé en UTF-8 : un JSON doit l’être (les accents en Latin-1 ou Windows-1252 ne sont pas lus). Envoyez-le en UTF-8.',
    );
  }
  return text;
}

/** The JSON value of the raw body of an API Gateway v2 event (400 when absent, not UTF-8 or not JSON). */
export function parseJsonValue(body: string | undefined, isBase64: boolean): unknown {
  let data: unknown = undefined;
  if (body !== undefined && body !== '') {
    const text = bodyText(body, isBase64);
    try {
      data = JSON.parse(text);
    } catch {
      throw badRequest('invalid_json', 'Le corps de la requête n’est pas un JSON valide.');
    }
  }
  if (data === undefined) throw badRequest('invalid_body', 'Le corps de la requête est vide : un objet JSON est attendu.');
  return data;
}

/** Parses the raw body of an API Gateway v2 event as JSON, then with the schema. */
export function parseJsonBody<T extends z.ZodType>(schema: T, body: string | undefined, isBase64: boolean): z.infer<T> {
  return parseWith(schema, parseJsonValue(body, isBase64), 'body');
}
