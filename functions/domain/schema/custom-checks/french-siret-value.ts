import { z } from 'zod';
import { isValidSiret, siretProblem } from '../luhn';
import { defineCheck, issue } from './check';

/** The cell, when filled, is a real SIRET: 14 digits and a valid key (La Poste rule included). */
export const frenchSiretValue = defineCheck({
  name: 'french-siret-value',
  code: 'siret',
  params: z.object({ column: z.string().min(1) }),
  columns: (p) => [p.column],
  create(p, ctx) {
    const i = ctx.index(p.column);
    return (values, row, issues) => {
      const v = values[i];
      if (v === null) return;
      const s = String(v);
      if (isValidSiret(s)) return;
      // One problem per cell: a value its field already refused (pattern) is not reported twice.
      for (let k = 0; k < issues.length; k++) if (issues[k].column === p.column && issues[k].row === row && issues[k].severity === 'error') return;
      issues.push(issue('siret', row, p.column, v, `La valeur « ${s} » ${siretProblem(s)}`));
    };
  },
});
