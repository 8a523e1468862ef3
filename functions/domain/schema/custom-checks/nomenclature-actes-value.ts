import { z } from 'zod';
import { foldName } from '../normalize-fr';
import { defineCheck, issue } from './check';

/**
 * Level-1 subjects of the ACTES nomenclature (contrôle de légalité), the part before `/`, in
 * the nomenclature's order: the subject at position k (from 1) has the codes `k.x`, as the
 * SCDL délibérations schema lists them (« '1.1' à '1.7' … '9.1' à '9.4' ») and its example
 * shows (8.4, « domaines de compétences par thèmes/aménagement du territoire »).
 */
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

/** Folded subject → its level-1 code (1 to 9). */
const LEVEL_OF = new Map(ACTES_SUBJECTS.map((s, k) => [foldName(s), k + 1]));

/** The ACTES code column the SCDL pairs with the name column (« sa valeur doit correspondre au nom de matière de DELIB_MATIERE_NOM »). */
const CODE_COLUMN_OF: Readonly<Record<string, string>> = { DELIB_MATIERE_NOM: 'DELIB_MATIERE_CODE' };

const ACTES_CODE = /^([1-9])\.\d{1,2}$/;

/**
 * `matière/sous-matière` whose first part is an ACTES level-1 subject, in any case and
 * with or without accents (as the SCDL asks): `nomenclature-actes` errors. A subject read
 * through other spacing or dashes (`Finances  locales / …`, `Finances-locales/…`) is
 * published in the nomenclature's spelling with no space around `/`: Validata accepts only
 * case and accents as variants.
 *
 * When the schema also has the paired code column, a code whose first digit is not the
 * subject's (8.4 beside « Finances locales/… ») is a `matiere-mismatch` warning: Validata does
 * not compare them, so the file stays valid for the official validator. Only the level-1
 * subjects are known here: a code that changed within its subject (7.10 read as 7.1 by a
 * spreadsheet, beside « Finances locales/Divers ») passes; catching it needs the level-2
 * names of the nomenclature (7.1 décisions budgétaires, 7.10 divers…) from an official source.
 */
export const nomenclatureActesValue = defineCheck({
  name: 'nomenclature-actes-value',
  code: 'nomenclature-actes',
  params: z.object({ column: z.string().min(1) }),
  columns: (p) => [p.column],
  create(p, ctx) {
    const i = ctx.index(p.column);
    const codeColumn = CODE_COLUMN_OF[p.column];
    const j = codeColumn !== undefined && ctx.has(codeColumn) ? ctx.index(codeColumn) : -1;
    return (values, row, issues) => {
      const v = values[i];
      if (v === null) return;
      const s = String(v);
      const slash = s.indexOf('/');
      if (slash < 0) {
        // `Finances locales - Subventions`, `Finances locales\Subventions`: the separator typed otherwise.
        const other = /\s[-–]\s|\\/.exec(s)?.[0].trim();
        issues.push(
          issue(
            'nomenclature-actes',
            row,
            p.column,
            s,
            `La valeur « ${s} » doit être de la forme « matière/sous-matière » (nomenclature ACTES)${other ? ` : remplacez « ${other} » par « / »` : ''}.`,
          ),
        );
        return;
      }
      const subject = s.slice(0, slash).trim();
      const level = LEVEL_OF.get(foldName(subject));
      if (level === undefined) {
        // `7.1 Finances locales/…`: the code typed before the subject.
        const coded = /^(\d{1,2}(?:\.\d{1,2})?)\s+(.+)$/.exec(subject);
        const named = coded ? LEVEL_OF.get(foldName(coded[2])) : undefined;
        issues.push(
          issue(
            'nomenclature-actes',
            row,
            p.column,
            s,
            named !== undefined
              ? `« ${subject} » commence par un code : écrivez « ${ACTES_SUBJECTS[named - 1]}/${s.slice(slash + 1).trim()} »${codeColumn !== undefined ? ` et mettez le code ${coded![1]} dans la colonne « ${codeColumn} »` : ''}.`
              : `« ${subject} » n’est pas une matière de la nomenclature ACTES (attendu : ${ACTES_SUBJECTS.join(', ')}).`,
          ),
        );
        return;
      }
      // Published as Validata reads it: the subject as the nomenclature spells it (`Finances-locales`,
      // two spaces: it refuses them), no space around `/`.
      const canonical = `${ACTES_SUBJECTS[level - 1]}/${s.slice(slash + 1).trim()}`;
      if (canonical !== s) values[i] = canonical;
      const code = j < 0 ? null : values[j];
      const m = typeof code === 'string' ? ACTES_CODE.exec(code) : null;
      if (m === null || Number(m[1]) === level) return;
      const codeLevel = Number(m[1]);
      issues.push(
        issue(
          'matiere-mismatch',
          row,
          codeColumn!,
          code,
          `Le code de matière « ${code} » ne correspond pas au nom de matière « ${s} » : les codes ${codeLevel}.x sont ceux de « ${ACTES_SUBJECTS[codeLevel - 1]} », ` +
            `ceux de « ${subject} » commencent par ${level}. L’un des deux vient sans doute d’une autre ligne (colonne triée ou collée à part dans le tableur) : ` +
            `corrigez le code ou le nom.`,
          'warning',
        ),
      );
    };
  },
});
