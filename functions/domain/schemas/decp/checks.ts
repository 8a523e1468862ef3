import type { Cell, ValidationIssue } from '../../schema/types';
import { CONCESSION_NATURES, CONCESSION_PROCEDURES, DECP_LIST_SEPARATOR, MARCHE_NATURES, MARCHE_PROCEDURES } from '../builtin/decp';
import type { DecpKind } from './flatten';

/*
 * What the flat `decp` Table Schema cannot say because marchés and concessions share one
 * table: columns required by one kind only, the kind's own natures and procedures, and
 * titulaire / concessionnaire columns that must list as many ids as identifier types.
 */

/** Flat columns that a contract of each kind must fill (the official JSON Schema `required`). */
export const REQUIRED_BY_KIND: Record<DecpKind, readonly string[]> = {
  Marché: [
    'id', 'acheteur.id', 'nature', 'objet', 'codeCPV', 'techniques', 'modalitesExecution', 'marcheInnovant', 'ccag',
    'offresRecues', 'attributionAvance', 'typeGroupementOperateurs', 'procedure', 'lieuExecution.code',
    'lieuExecution.typeCode', 'dureeMois', 'dateNotification', 'datePublicationDonnees', 'montant', 'typesPrix',
    'formePrix', 'sousTraitanceDeclaree', 'titulaires.id', 'titulaires.typeIdentifiant', 'considerationsSociales',
    'considerationsEnvironnementales',
  ],
  'Contrat de concession': [
    'id', 'autoriteConcedante.id', 'nature', 'objet', 'procedure', 'dureeMois', 'dateSignature',
    'datePublicationDonnees', 'dateDebutExecution', 'valeurGlobale', 'montantSubventionPublique',
    'concessionnaires.id', 'concessionnaires.typeIdentifiant', 'considerationsSociales',
    'considerationsEnvironnementales',
  ],
};

const BY_KIND: Record<DecpKind, { nature: readonly string[]; procedure: readonly string[] }> = {
  Marché: { nature: MARCHE_NATURES, procedure: MARCHE_PROCEDURES },
  'Contrat de concession': { nature: CONCESSION_NATURES, procedure: CONCESSION_PROCEDURES },
};

const LABEL: Record<DecpKind, string> = { Marché: 'un marché', 'Contrat de concession': 'un contrat de concession' };

/** Row-level DECP rules over the source table (`rows[i]` is line i + 2, the header being line 1). */
export function checkDecpRows(header: readonly string[], rows: readonly (readonly Cell[])[]): ValidationIssue[] {
  const position = new Map(header.map((name, i) => [name, i]));
  const issues: ValidationIssue[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    const get = (column: string): string | null => {
      const at = position.get(column);
      const value = at === undefined ? null : cells[at];
      return value === null || value === undefined || value.trim() === '' ? null : value.trim();
    };
    const type = get('_type');
    if (type !== 'Marché' && type !== 'Contrat de concession') return; // the schema's enum reports it
    for (const column of REQUIRED_BY_KIND[type]) {
      if (get(column) === null) {
        issues.push({
          code: 'decp-required-for-kind',
          severity: 'error',
          row: line,
          column,
          message: `La colonne « ${column} » est obligatoire pour ${LABEL[type]}.`,
        });
      }
    }
    for (const column of ['nature', 'procedure'] as const) {
      const value = get(column);
      if (value !== null && !BY_KIND[type][column].includes(value)) {
        issues.push({
          code: 'decp-kind-value',
          severity: 'error',
          row: line,
          column,
          value,
          message: `« ${value} » n’est pas une valeur de « ${column} » admise pour ${LABEL[type]}.`,
        });
      }
    }
    for (const parties of ['titulaires', 'concessionnaires']) {
      const ids = get(`${parties}.id`);
      const types = get(`${parties}.typeIdentifiant`);
      if (ids !== null && types !== null && ids.split(DECP_LIST_SEPARATOR).length !== types.split(DECP_LIST_SEPARATOR).length) {
        issues.push({
          code: 'decp-parties-mismatch',
          severity: 'error',
          row: line,
          column: `${parties}.typeIdentifiant`,
          value: types,
          message: `« ${parties}.id » et « ${parties}.typeIdentifiant » doivent lister autant d’éléments, séparés par « ${DECP_LIST_SEPARATOR} ».`,
        });
      }
    }
  });
  return issues;
}
