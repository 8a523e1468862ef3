import { z } from 'zod';
import { foldName } from '../normalize-fr';
import { defineCheck, issue } from './check';

/** Level-1 subjects of the ACTES nomenclature (contrôle de légalité), the part before `/`. */
export const ACTES_SUBJECTS = [
  'Commande publique',
  'Urbanisme',
  'Domaine et patrimoine',
  'Fonction publique',
  'Institutions et vie politique',
  'Libertés publiques et pouvoirs de police',
  'Finances locales',
  'Domaines de compétences par thèmes',
  'Autres domaines de compétences',
];

const FOLDED = new Set(ACTES_SUBJECTS.map(foldName));

/**
 * `matière/sous-matière` whose first part is an ACTES level-1 subject, in any case and
 * with or without accents (as the SCDL asks).
 */
export const nomenclatureActesValue = defineCheck({
  name: 'nomenclature-actes-value',
  code: 'nomenclature-actes',
  params: z.object({ column: z.string().min(1) }),
  columns: (p) => [p.column],
  create(p, ctx) {
    const i = ctx.index(p.column);
    return (values, row, issues) => {
      const v = values[i];
      if (v === null) return;
      const s = String(v);
      const slash = s.indexOf('/');
      if (slash < 0) {
        issues.push(
          issue('nomenclature-actes', row, p.column, s, `La valeur « ${s} » doit être de la forme « matière/sous-matière » (nomenclature ACTES).`),
        );
      } else if (!FOLDED.has(foldName(s.slice(0, slash)))) {
        issues.push(
          issue(
            'nomenclature-actes',
            row,
            p.column,
            s,
            `« ${s.slice(0, slash)} » n'est pas une matière de la nomenclature ACTES (attendu : ${ACTES_SUBJECTS.join(', ')}).`,
          ),
        );
      }
    };
  },
});
