import type { Cell, ValidationIssue } from '../../schema/types';

/*
 * BAL rules that span rows, which a Table Schema cannot express, as the reference
 * validator (@ban-team/validateur-bal) applies them:
 * - a BAL must have at least one address (`rows.empty`);
 * - BAN ids come as a set: a line with some of them must have the commune and toponyme
 *   ids, and the address id unless `numero` is 99999 (`row.lack_of_id_ban`);
 * - either every line carries its BAN ids or none does (`rows.every_line_required_id_ban`);
 * - a BAL is the file of one commune: one `id_ban_commune` (`rows.multi_id_ban_commune`).
 * Language-suffixed columns (`voie_nom_bre`…) are extra columns the engine ignores.
 */

const TOPONYME_SANS_ADRESSE = '99999';

function issue(code: string, message: string, row?: number, column?: string): ValidationIssue {
  return { code, severity: 'error', message, ...(row !== undefined ? { row } : {}), ...(column ? { column } : {}) };
}

/** `rows[i]` is the record on line i + 2 (header = line 1). */
export function checkBalRows(header: readonly Cell[], rows: readonly (readonly Cell[])[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (rows.length === 0) {
    return [issue('bal-empty', "Le fichier ne contient aucune adresse : une Base Adresse Locale en compte au moins une.")];
  }
  const position = new Map(header.map((name, i) => [(name ?? '').replace(/^\uFEFF/, '').trim().toLowerCase(), i]));
  const get = (cells: readonly Cell[], column: string): string | null => {
    const at = position.get(column);
    const value = at === undefined ? null : cells[at];
    return value === null || value === undefined || value.trim() === '' ? null : value.trim();
  };

  let complete = 0;
  const communes = new Set<string>();
  rows.forEach((cells, i) => {
    const commune = get(cells, 'id_ban_commune');
    const toponyme = get(cells, 'id_ban_toponyme');
    const adresse = get(cells, 'id_ban_adresse');
    const needsAdresse = get(cells, 'numero') !== TOPONYME_SANS_ADRESSE;
    if (commune && toponyme && (adresse || !needsAdresse)) {
      complete++;
      communes.add(commune.toLowerCase());
    } else if (commune || toponyme || adresse) {
      const missing = [
        commune ? null : 'id_ban_commune',
        toponyme ? null : 'id_ban_toponyme',
        adresse || !needsAdresse ? null : 'id_ban_adresse',
      ].filter((c): c is string => c !== null);
      issues.push(
        issue(
          'bal-ban-ids-incomplete',
          `Identifiants BAN incomplets : ${missing.join(', ')} manquant(s) alors que la ligne en porte d'autres.`,
          i + 2,
          missing[0],
        ),
      );
    }
  });
  if (complete > 0 && complete < rows.length) {
    issues.push(
      issue(
        'bal-ban-ids-partial',
        `Les identifiants BAN figurent sur ${complete} ligne(s) sur ${rows.length} : ils doivent être sur toutes les lignes ou sur aucune.`,
      ),
    );
  }
  if (complete === rows.length && communes.size > 1) {
    issues.push(
      issue(
        'bal-multiple-communes',
        `Le fichier porte ${communes.size} identifiants BAN de commune différents : une Base Adresse Locale décrit une seule commune.`,
        undefined,
        'id_ban_commune',
      ),
    );
  }
  return issues;
}
