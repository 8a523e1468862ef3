import { z } from 'zod';
import { defineCheck, issue } from './check';

const INTERVAL = /^(\d{4})\/(\d{4})$/;
const YEAR = /^\d{4}$/;

/**
 * A period `AAAA/AAAA` whose second year is after the first; a single `AAAA` too when
 * `allow-year-only` is `yes`.
 */
export const yearIntervalValue = defineCheck({
  name: 'year-interval-value',
  code: 'year-interval',
  params: z.object({ column: z.string().min(1), 'allow-year-only': z.enum(['yes', 'no']).optional() }),
  columns: (p) => [p.column],
  create(p, ctx) {
    const i = ctx.index(p.column);
    const yearOnly = p['allow-year-only'] === 'yes';
    const expected = yearOnly ? 'AAAA ou AAAA/AAAA' : 'AAAA/AAAA';
    return (values, row, issues) => {
      const v = values[i];
      if (v === null) return;
      const s = String(v);
      if (yearOnly && YEAR.test(s)) return;
      const m = INTERVAL.exec(s);
      let message: string | null = null;
      if (m === null) message = `La valeur « ${s} » n’a pas le format attendu pour une période (${expected}).`;
      else if (m[1] === m[2]) message = `Période « ${s} » invalide : les deux années doivent être différentes.`;
      else if (m[2] < m[1]) message = `Période « ${s} » invalide : la deuxième année doit être postérieure à la première (${m[2]}/${m[1]}).`;
      if (message !== null) issues.push(issue('year-interval', row, p.column, s, message));
    };
  },
});
