import { z } from 'zod';
import { defineCheck, issue } from './check';

/** At least one of two columns is filled on every row. */
export const oneOfRequired = defineCheck({
  name: 'one-of-required',
  code: 'one-of-required',
  params: z.object({ column1: z.string().min(1), column2: z.string().min(1) }),
  columns: (p) => [p.column1, p.column2],
  create(p, ctx) {
    const a = ctx.index(p.column1);
    const b = ctx.index(p.column2);
    return (values, row, issues) => {
      if (values[a] === null && values[b] === null) {
        issues.push(
          issue('one-of-required', row, p.column1, null, `Au moins l’une des colonnes « ${p.column1} » ou « ${p.column2} » doit être renseignée.`),
        );
      }
    };
  },
});
