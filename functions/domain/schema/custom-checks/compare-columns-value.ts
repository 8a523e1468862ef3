import { z } from 'zod';
import type { Value } from '../types';
import { isIsoDate } from '../normalize-fr';
import { defineCheck, issue } from './check';

const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
type Op = (typeof OPS)[number];

const OP_FR: Record<Op, string> = {
  '<': 'strictement inférieure à',
  '<=': 'inférieure ou égale à',
  '>': 'strictement supérieure à',
  '>=': 'supérieure ou égale à',
  '==': 'égale à',
  '!=': 'différente de',
};

/** The same comparisons said of dates. */
const DATE_OP_FR: Record<Op, string> = {
  '<': 'antérieure à',
  '<=': 'antérieure ou égale à',
  '>': 'postérieure à',
  '>=': 'postérieure ou égale à',
  '==': 'la même que',
  '!=': 'différente de',
};

const COMPARE: Record<Op, (a: number | string, b: number | string) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/**
 * `column op column2` on one row. Numbers compare as numbers; dates are ISO strings after
 * validation, so they compare as text. Skipped when either cell is empty or the two cells
 * are not of the same kind (their type errors are already reported).
 */
export const compareColumnsValue = defineCheck({
  name: 'compare-columns-value',
  code: 'compare-columns',
  params: z.object({ column: z.string().min(1), column2: z.string().min(1), op: z.enum(OPS) }),
  columns: (p) => [p.column, p.column2],
  create(p, ctx) {
    const a = ctx.index(p.column);
    const b = ctx.index(p.column2);
    const cmp = COMPARE[p.op];
    return (values, row, issues) => {
      const x: Value = values[a];
      const y: Value = values[b];
      if (x === null || y === null || typeof x !== typeof y || typeof x === 'boolean' || typeof y === 'boolean') return;
      if (!cmp(x, y)) {
        issues.push(
          issue(
            'compare-columns',
            row,
            p.column,
            x,
            typeof x === 'string' && isIsoDate(x.slice(0, 10)) && typeof y === 'string' && isIsoDate(y.slice(0, 10))
              ? `La date de « ${p.column} » (${x}) doit être ${DATE_OP_FR[p.op]} celle de « ${p.column2} » (${y}) : vérifiez les deux dates.`
              : `La valeur de « ${p.column} » (${x}) doit être ${OP_FR[p.op]} celle de « ${p.column2} » (${y}).`,
          ),
        );
      }
    };
  },
});
