import type { Cell, ValidationIssue } from '../../schema/types';
import { balBanIds, balHeaderIndex, balRuleLevel, checkBalRow, type BalBanIds, type BalHeaderIndex, type BalProfile } from './policy';

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
 * Language-suffixed columns (`voie_nom_bre`…) are checked cell by cell (checkBalRow).
 */

export interface BalRowsCheck {
  /**
   * Feed each record, in order. Keeps counters and the set of commune ids, not rows.
   * `ids`: the record's balBanIds, when the caller has them already.
   */
  add(cells: readonly Cell[], ids?: BalBanIds): void;
  /**
   * checkBalRow(cells, index, row, engineIssues) then add(cells), reading the record once:
   * the call for a caller that runs both on every record.
   */
  check(cells: readonly Cell[], row: number, engineIssues?: readonly ValidationIssue[]): ValidationIssue[];
  /** What this check has counted, to merge into another (records checked in segments, see standardize/parallel.ts). */
  state(): BalRowsState;
  /** Adds the counts of records checked elsewhere. */
  merge(other: BalRowsState): void;
  finish(): ValidationIssue[];
}

export interface BalRowsState {
  rows: number;
  complete: number;
  communes: string[];
}

export const TOPONYME_SANS_ADRESSE = 99999;

export function createBalRowsCheck(index: BalHeaderIndex): BalRowsCheck {
  let rows = 0;
  let complete = 0;
  const communes = new Set<string>();
  const count = (ids: BalBanIds) => {
    rows++;
    if (ids.commune && ids.toponyme && (ids.adresse || ids.numero === TOPONYME_SANS_ADRESSE)) {
      complete++;
      communes.add(ids.commune);
    }
  };
  // check()'s ids, filled by checkBalRow on each record: one object for the whole file.
  const ids: BalBanIds = { commune: null, toponyme: null, adresse: null, numero: null };
  return {
    add(cells, given) {
      count(given ?? balBanIds(cells, index));
    },
    check(cells, row, engineIssues) {
      const found = checkBalRow(cells, index, row, engineIssues, ids);
      count(ids);
      return found;
    },
    state: () => ({ rows, complete, communes: [...communes] }),
    merge(other) {
      rows += other.rows;
      complete += other.complete;
      for (const c of other.communes) communes.add(c);
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
          message: `Les identifiants BAN figurent sur ${complete} ligne${complete > 1 ? 's' : ''} sur ${rows} : ils doivent être sur toutes les lignes ou sur aucune.`,
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
 * A caller that runs checkBalRow on every record should use createBalRowsCheck's `check` instead.
 */
export function checkBalRows(header: readonly Cell[], rows: readonly (readonly Cell[])[], profile?: BalProfile): ValidationIssue[] {
  const index = balHeaderIndex(header, profile ? { profile } : {});
  const check = createBalRowsCheck(index);
  const issues: ValidationIssue[] = [];
  rows.forEach((cells, i) => {
    issues.push(...check.check(cells, i + 2).filter((issue) => issue.code === 'bal-ban-ids-incomplete'));
  });
  return [...issues, ...check.finish()];
}
