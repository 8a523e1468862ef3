import type { Cell, ValidationIssue } from '../../schema/types';
import { balBanIds, balHeaderIndex, balRuleLevel, checkBalRow, type BalHeaderIndex, type BalProfile } from './policy';

/*
 * BAL rules that span rows, which a Table Schema cannot express, as the reference
 * validator (@ban-team/validateur-bal) applies them, each at its level in the profile
 * (./policy.ts; the two BAN id rules are infos, so not reported, in profile 1.3):
 * - a BAL must have at least one address (`rows.empty`);
 * - either every line carries its BAN ids or none does (`rows.every_line_required_id_ban`);
 *   a line carries them when it has valid commune and toponyme ids, and an address id
 *   unless `numero` is 99999; `uid_adresse` (1.3) supplies them too;
 * - a BAL is the file of one commune: one `id_ban_commune` (`rows.multi_id_ban_commune`,
 *   compared as written, as the reference does).
 * Language-suffixed columns (`voie_nom_bre`…) are extra columns the engine ignores.
 */

export interface BalRowsCheck {
  /** Feed each record, in order. Keeps counters and the set of commune ids, not rows. */
  add(cells: readonly Cell[]): void;
  finish(): ValidationIssue[];
}

const TOPONYME_SANS_ADRESSE = 99999;

export function createBalRowsCheck(index: BalHeaderIndex): BalRowsCheck {
  let rows = 0;
  let complete = 0;
  const communes = new Set<string>();
  return {
    add(cells) {
      rows++;
      const ids = balBanIds(cells, index);
      if (ids.commune && ids.toponyme && (ids.adresse || ids.numero === TOPONYME_SANS_ADRESSE)) {
        complete++;
        communes.add(ids.commune);
      }
    },
    finish() {
      const issues: ValidationIssue[] = [];
      const add = (rule: string, issue: Omit<ValidationIssue, 'severity'>) => {
        const level = balRuleLevel(rule, index.profile);
        if (level !== 'I') issues.push({ ...issue, severity: level === 'E' ? 'error' : 'warning' });
      };
      if (rows === 0) {
        add('rows.empty', { code: 'bal-empty', message: 'Le fichier ne contient aucune adresse : une Base Adresse Locale en compte au moins une.' });
      }
      if (complete > 0 && complete < rows) {
        add('rows.every_line_required_id_ban', {
          code: 'bal-ban-ids-partial',
          message: `Les identifiants BAN figurent sur ${complete} ligne(s) sur ${rows} : ils doivent être sur toutes les lignes ou sur aucune.`,
        });
      }
      if (rows > 0 && complete === rows && communes.size > 1) {
        add('rows.multi_id_ban_commune', {
          code: 'bal-multiple-communes',
          column: 'id_ban_commune',
          message: `Le fichier porte ${communes.size} identifiants BAN de commune différents : une Base Adresse Locale décrit une seule commune.`,
        });
      }
      return issues;
    },
  };
}

/**
 * The whole-file form kept for callers that buffer the BAN id columns (`rows[i]` is the
 * record on line i + 2): the per-line BAN id rule of checkBalRow plus createBalRowsCheck.
 * A caller that runs checkBalRow on every record should use createBalRowsCheck instead.
 */
export function checkBalRows(header: readonly Cell[], rows: readonly (readonly Cell[])[], profile?: BalProfile): ValidationIssue[] {
  const index = balHeaderIndex(header, profile ? { profile } : {});
  const check = createBalRowsCheck(index);
  const issues: ValidationIssue[] = [];
  rows.forEach((cells, i) => {
    check.add(cells);
    issues.push(...checkBalRow(cells, index, i + 2).filter((issue) => issue.code === 'bal-ban-ids-incomplete'));
  });
  return [...issues, ...check.finish()];
}
