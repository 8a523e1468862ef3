import { z } from 'zod';
import { defineCheck, issue } from './check';

/**
 * `column` holds the sum of `columns`. Skipped when the total or every term is empty (an
 * empty term counts as 0 otherwise); cohesive-columns-value is the check for "all or none".
 * Compared to the cent so that decimal terms do not fail on float rounding.
 */
export const sumColumnsValue = defineCheck({
  name: 'sum-columns-value',
  code: 'sum-columns',
  params: z.object({ column: z.string().min(1), columns: z.array(z.string().min(1)).min(1) }),
  columns: (p) => [p.column, ...p.columns],
  create(p, ctx) {
    const total = ctx.index(p.column);
    const terms = p.columns.map((c) => ctx.index(c));
    const list = p.columns.map((c) => `« ${c} »`).join(' + ');
    return (values, row, issues) => {
      const t = values[total];
      if (typeof t !== 'number') return;
      let sum = 0;
      let filled = 0;
      for (let k = 0; k < terms.length; k++) {
        const v = values[terms[k]];
        if (v === null) continue;
        if (typeof v !== 'number') return;
        sum += v;
        filled++;
      }
      if (filled === 0) return;
      if (Math.abs(sum - t) > 0.005) {
        issues.push(
          issue('sum-columns', row, p.column, t, `« ${p.column} » (${t}) doit être égal à la somme ${list} (${sum}) : vérifiez ces nombres.`),
        );
      }
    };
  },
});
