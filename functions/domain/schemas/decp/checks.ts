import { isValidSiret } from '../../schema/luhn';
import type { Value, ValidationIssue } from '../../schema/types';
import { CONCESSION_NATURES, CONCESSION_PROCEDURES, CONSIDERATIONS_SOCIALES, DECP_LIST_SEPARATOR, MARCHE_NATURES, MARCHE_PROCEDURES } from '../builtin/decp';
import { JSON_TEXT_ITEMS, PROPERTIES, type DecpKind } from './flatten';
import { clipped, historyProblem } from './histories';

/*
 * What the flat `decp` Table Schema cannot say because marchés and concessions share one
 * table: columns required by one kind only, the kind's own natures and procedures, columns
 * of the other kind left filled (they would be in data.csv and not in decp.json), the
 * histories kept as JSON text, titulaire / concessionnaire columns that must list as many ids
 * as identifier types, and a contract given twice.
 *
 * Judged on each row's validated values (`RowPipeline`), as the schema engine normalised
 * them: a `_type` typed `marché`, a header `Acheteur.Id`, an apostrophe ’ are read as the
 * other checks read them, and rows are numbered as the reader numbers them.
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

const BY_KIND: Record<DecpKind, { nature: readonly string[]; procedure: readonly string[]; considerationsSociales: readonly string[] }> = {
  Marché: { nature: MARCHE_NATURES, procedure: MARCHE_PROCEDURES, considerationsSociales: CONSIDERATIONS_SOCIALES.filter((c) => c !== 'Concession réservée') },
  'Contrat de concession': {
    nature: CONCESSION_NATURES,
    procedure: CONCESSION_PROCEDURES,
    considerationsSociales: CONSIDERATIONS_SOCIALES.filter((c) => c !== 'Marché réservé'),
  },
};

const LABEL: Record<DecpKind, string> = { Marché: 'un marché', 'Contrat de concession': 'un contrat de concession' };
const OTHER: Record<DecpKind, string> = { Marché: 'aux contrats de concession', 'Contrat de concession': 'aux marchés' };
/** Who buys or grants, by kind: with the contract's id, what names it once. */
const BUYER: Record<DecpKind, string> = { Marché: 'acheteur.id', 'Contrat de concession': 'autoriteConcedante.id' };

/** Values quoted in a message, at most this long. */
const QUOTED = 80;
const quoted = (s: string): string => clipped(s, QUOTED);

/** The DECP rules of one file's rows, given its fields (the schema's columns, in the order of each row's values). */
export class DecpRowsCheck {
  private readonly at: Map<string, number>;
  /** Contracts seen: kind, buyer and id → the row that gave it first. */
  private readonly seen = new Map<string, number>();

  constructor(fields: readonly string[]) {
    this.at = new Map(fields.map((name, i) => [name, i]));
  }

  /** What row `row` breaks; columns the schema already refused on that row (`found`) are not judged again. */
  check(values: readonly Value[], row: number, found: readonly ValidationIssue[]): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    const refused = new Set(found.filter((i) => i.severity === 'error').map((i) => i.column));
    const get = (column: string): string | null => {
      const at = this.at.get(column);
      const value = at === undefined ? null : values[at];
      if (value === null || value === undefined) return null;
      const text = String(value).trim();
      return text === '' ? null : text;
    };
    const error = (code: string, column: string, message: string, value?: string): void => {
      issues.push({ code, severity: 'error', row, column, ...(value !== undefined ? { value } : {}), message });
    };
    const type = get('_type');
    if (type !== 'Marché' && type !== 'Contrat de concession') return issues; // the schema's enum reports it
    for (const column of REQUIRED_BY_KIND[type]) {
      if (get(column) === null && !refused.has(column)) error('decp-required-for-kind', column, `La colonne « ${column} » est obligatoire pour ${LABEL[type]}.`);
    }
    for (const column of ['nature', 'procedure'] as const) {
      const value = get(column);
      if (value !== null && !refused.has(column) && !BY_KIND[type][column].includes(value)) {
        error('decp-kind-value', column, `« ${value} » n’est pas une valeur de « ${column} » admise pour ${LABEL[type]}.`, value);
      }
    }
    // A list whose values differ by kind (« Marché réservé », « Concession réservée »).
    const socials = get('considerationsSociales');
    if (socials !== null && !refused.has('considerationsSociales')) {
      const other = socials.split(DECP_LIST_SEPARATOR).map((v) => v.trim()).find((v) => !BY_KIND[type].considerationsSociales.includes(v));
      if (other !== undefined) {
        error(
          'decp-kind-value',
          'considerationsSociales',
          `« ${other} » n’est pas une valeur de « considerationsSociales » admise pour ${LABEL[type]} (admises : ${BY_KIND[type].considerationsSociales.join(', ')}).`,
          socials,
        );
      }
    }
    for (const [column] of this.at) {
      const head = column.split('.')[0];
      if (column === '_type' || PROPERTIES[type].includes(head)) continue;
      const value = get(column);
      if (value !== null) {
        error(
          'decp-other-kind-column',
          column,
          `La colonne « ${column} » est propre ${OTHER[type]} : elle doit rester vide pour ${LABEL[type]} (elle ne figurerait pas dans le fichier national decp.json).`,
          quoted(value),
        );
      }
    }
    for (const [column, item] of Object.entries(JSON_TEXT_ITEMS)) {
      const value = get(column);
      if (value === null || refused.has(column) || !PROPERTIES[type].includes(column)) continue;
      const found = historyProblem(value, column, type);
      if (found !== null) {
        error(
          'decp-json-column',
          column,
          found.structural
            ? `La colonne « ${column} » donne un historique en JSON, comme le format national l’écrit : une liste dont chaque élément est {"${item}": {…}}, par exemple [{"${item}": {"id": 1, …}}]. Ici, ${found.message} ; laissez-la vide s’il n’y a rien à déclarer.`
            : `Dans la colonne « ${column} », publiée telle quelle dans decp.json, ${found.message}, ce que le format national n’admet pas.`,
          quoted(value),
        );
      }
    }
    // The official schema's `uniqueItems`: a code or a party listed twice.
    for (const column of LISTS) {
      const value = get(column);
      if (value === null || refused.has(column)) continue;
      const items = value.split(DECP_LIST_SEPARATOR).map((v) => v.trim());
      const parties = column.endsWith('.id') ? get(column.replace(/\.id$/, '.typeIdentifiant'))?.split(DECP_LIST_SEPARATOR) : undefined;
      const keys = items.map((v, i) => `${v}\u0000${parties?.[i]?.trim() ?? ''}`);
      const twice = items.find((_, i) => keys.indexOf(keys[i]) !== i);
      if (twice !== undefined) {
        error('decp-duplicate-item', column, `« ${quoted(twice)} » figure deux fois dans la liste « ${column} » : chaque élément n’y figure qu’une fois.`, quoted(value));
      }
    }
    for (const parties of ['titulaires', 'concessionnaires']) {
      const ids = get(`${parties}.id`);
      const types = get(`${parties}.typeIdentifiant`);
      // A party identified by its SIRET: 14 digits and their key, as everywhere else (subventions, délibérations).
      if (ids !== null && types !== null && !refused.has(`${parties}.id`)) {
        const kinds = types.split(DECP_LIST_SEPARATOR).map((t) => t.trim());
        const bad = ids.split(DECP_LIST_SEPARATOR).map((v) => v.trim()).find((v, i) => kinds[i] === 'SIRET' && !isValidSiret(v));
        if (bad !== undefined) {
          const digits = bad.replace(/[\s.]/g, '');
          error(
            'decp-party-siret',
            `${parties}.id`,
            isValidSiret(digits)
              ? `Le SIRET « ${quoted(bad)} » s’écrit sans espace ni point : ${digits}.`
              : `« ${quoted(bad)} » n’est pas un numéro SIRET valide (14 chiffres dont le dernier est une clé de contrôle) : vérifiez-le sur annuaire-entreprises.data.gouv.fr.`,
            quoted(bad),
          );
        }
      }
      // Each party has an id, whatever its type: an empty one would be published as "".
      if (ids !== null && !refused.has(`${parties}.id`) && ids.split(DECP_LIST_SEPARATOR).some((v) => v.trim() === '')) {
        error(
          'decp-party-id-missing',
          `${parties}.id`,
          `Un ${parties === 'titulaires' ? 'titulaire' : 'concessionnaire'} de « ${parties}.id » n’a pas d’identifiant : chacun en a un (son SIRET, ou son numéro de TVA…), dans l’ordre de « ${parties}.typeIdentifiant », séparés par « ${DECP_LIST_SEPARATOR} ».`,
          quoted(ids),
        );
      }
      if (ids !== null && types !== null && ids.split(DECP_LIST_SEPARATOR).length !== types.split(DECP_LIST_SEPARATOR).length) {
        error(
          'decp-parties-mismatch',
          `${parties}.typeIdentifiant`,
          `« ${parties}.id » et « ${parties}.typeIdentifiant » doivent lister autant d’éléments, séparés par « ${DECP_LIST_SEPARATOR} ».`,
          types,
        );
      }
    }
    const id = get('id');
    const buyer = get(BUYER[type]);
    if (id !== null && buyer !== null) {
      const key = `${type}\u0000${buyer}\u0000${id}`;
      const first = this.seen.get(key);
      if (first === undefined) this.seen.set(key, row);
      else {
        error(
          'decp-duplicate',
          'id',
          `Le contrat « ${quoted(id)} » de ${BUYER[type].split('.')[0] === 'acheteur' ? 'l’acheteur' : 'l’autorité concédante'} ${buyer} est déjà déclaré ligne ${first} : un contrat ne figure qu’une fois (ses modifications vont dans sa colonne « modifications »).`,
          id,
        );
      }
    }
    return issues;
  }
}

/** `|`-joined columns whose items the official schema wants unique: code lists and parties. */
const LISTS = ['techniques', 'modalitesExecution', 'typesPrix', 'considerationsSociales', 'considerationsEnvironnementales', 'titulaires.id', 'concessionnaires.id'];
