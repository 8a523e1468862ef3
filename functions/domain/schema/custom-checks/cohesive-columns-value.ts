import { z } from 'zod';
import { defineCheck, issue } from './check';

/** `column` and `othercolumns` are either all filled or all empty on a row. */
export const cohesiveColumnsValue = defineCheck({
  name: 'cohesive-columns-value',
  code: 'cohesive-columns',
  params: z.object({ column: z.string().min(1), othercolumns: z.array(z.string().min(1)).min(1) }),
  columns: (p) => [p.column, ...p.othercolumns],
  create(p, ctx) {
    const names = [p.column, ...p.othercolumns];
    const idx = names.map((c) => ctx.index(c));
    const all = names.map((n) => `« ${n} »`).join(', ');
    return (values, row, issues) => {
      let filled = 0;
      for (let k = 0; k < idx.length; k++) if (values[idx[k]] !== null) filled++;
      if (filled === 0 || filled === idx.length) return;
      const empty = names.filter((_, k) => values[idx[k]] === null).map((n) => `« ${n} »`).join(', ');
      issues.push(
        issue('cohesive-columns', row, p.column, values[idx[0]], `Les colonnes ${all} doivent être toutes renseignées ou toutes vides ; vides ici : ${empty}.`),
      );
    };
  },
});
