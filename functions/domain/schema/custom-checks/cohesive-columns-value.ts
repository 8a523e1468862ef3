import { z } from 'zod';
import { defineCheck, issue } from './check';
import { frenchList } from '../../french-list';

/** `column` and `othercolumns` are either all filled or all empty on a row. */
export const cohesiveColumnsValue = defineCheck({
  name: 'cohesive-columns-value',
  code: 'cohesive-columns',
  params: z.object({ column: z.string().min(1), othercolumns: z.array(z.string().min(1)).min(1) }),
  columns: (p) => [p.column, ...p.othercolumns],
  create(p, ctx) {
    const names = [p.column, ...p.othercolumns];
    const idx = names.map((c) => ctx.index(c));
    const all = frenchList(names.map((n) => `« ${n} »`));
    const together = names.length === 2 ? 'toutes les deux' : 'toutes';
    return (values, row, issues) => {
      let filled = 0;
      for (let k = 0; k < idx.length; k++) if (values[idx[k]] !== null) filled++;
      if (filled === 0 || filled === idx.length) return;
      const empty = names.filter((_, k) => values[idx[k]] === null).map((n) => `« ${n} »`);
      issues.push(
        issue(
          'cohesive-columns',
          row,
          p.column,
          values[idx[0]],
          `Les colonnes ${all} doivent être ${together} renseignées ou ${together} vides ; ${empty.length > 1 ? 'vides ici' : 'vide ici'} : ${frenchList(empty)}.`,
        ),
      );
    };
  },
});
