import { z } from 'zod';

/** `?limit=&cursor=` shared by every listing. */
export function paginationSchema(maxLimit: number, defaultLimit: number) {
  return z
    .object({
      limit: z.coerce
        .number()
        .int('limit doit être un entier')
        .min(1, 'limit doit être au moins 1')
        .max(maxLimit, `limit doit être au plus ${maxLimit}`)
        .default(defaultLimit),
      cursor: z.string().min(1).max(2048).optional(),
    })
    .strict();
}
