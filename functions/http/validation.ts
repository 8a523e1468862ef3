import { z } from 'zod';
import { badRequest } from './errors';

import { fr } from 'zod/locales';

// French messages for every zod issue a request can produce (only this locale is bundled).
z.config(fr());

export interface FieldProblem {
  field: string;
  message: string;
}

function problems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = issue.path.map(String).join('.');
    const field = keys.length > 0 ? [path, ...keys].filter(Boolean).join('.') : path || '(corps)';
    return { field, message: issue.message };
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

/** Parses the raw body of an API Gateway v2 event as JSON, then with the schema. */
export function parseJsonBody<T extends z.ZodType>(schema: T, body: string | undefined, isBase64: boolean): z.infer<T> {
  let data: unknown = undefined;
  if (body !== undefined && body !== '') {
    const text = isBase64 ? Buffer.from(body, 'base64').toString('utf8') : body;
    try {
      data = JSON.parse(text);
    } catch {
      throw badRequest('invalid_json', 'Le corps de la requête n’est pas un JSON valide.');
    }
  }
  if (data === undefined) throw badRequest('invalid_body', 'Le corps de la requête est vide : un objet JSON est attendu.');
  return parseWith(schema, data, 'body');
}
