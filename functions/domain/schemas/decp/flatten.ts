import type { Cell } from '../../schema/types';
import { decp, DECP_LIST_SEPARATOR } from '../builtin/decp';

/*
 * DECP nested JSON <-> flat rows of the `decp` schema (conventions in ../builtin/decp.ts).
 *
 * Accepted input shapes:
 * - 2.0.3 / 2.0.2: `{"marches": {"marche": [...], "contrat-concession": [...]}}`;
 * - consolidated 2.0.2: `{"marches": [...]}`, each item tagged `_type: "Marché"` or
 *   `"Contrat de concession"` (untagged items are told apart by `autoriteConcedante`).
 * Output is always the 2.0.3 shape.
 */

export type DecpKind = 'Marché' | 'Contrat de concession';
type Json = Record<string, unknown>;

/** Flat column -> [list property, item property] of `{list: {item: [...]}}` code lists. */
const CODE_LISTS: Record<string, [string, string]> = {
  techniques: ['techniques', 'technique'],
  modalitesExecution: ['modalitesExecution', 'modaliteExecution'],
  typesPrix: ['typesPrix', 'typePrix'],
  considerationsSociales: ['considerationsSociales', 'considerationSociale'],
  considerationsEnvironnementales: ['considerationsEnvironnementales', 'considerationEnvironnementale'],
};

/** `[{titulaire: {id, typeIdentifiant}}]` lists, by property and item wrapper. */
const PARTIES: Record<string, string> = { titulaires: 'titulaire', concessionnaires: 'concessionnaire' };

const JSON_TEXT = new Set(['actesSousTraitance', 'modificationsActesSousTraitance', 'modifications', 'donneesExecution']);

/** Properties of each kind, in the order of the official JSON Schema. */
const PROPERTIES: Record<DecpKind, string[]> = {
  Marché: [
    'id', 'acheteur', 'nature', 'objet', 'codeCPV', 'techniques', 'modalitesExecution', 'idAccordCadre',
    'marcheInnovant', 'ccag', 'offresRecues', 'attributionAvance', 'tauxAvance', 'typeGroupementOperateurs',
    'sousTraitanceDeclaree', 'actesSousTraitance', 'procedure', 'lieuExecution', 'dureeMois', 'dateNotification',
    'datePublicationDonnees', 'montant', 'typesPrix', 'formePrix', 'origineUE', 'origineFrance', 'titulaires',
    'considerationsSociales', 'considerationsEnvironnementales', 'modificationsActesSousTraitance', 'modifications',
  ],
  'Contrat de concession': [
    'id', 'autoriteConcedante', 'nature', 'objet', 'procedure', 'dureeMois', 'dateSignature',
    'datePublicationDonnees', 'dateDebutExecution', 'valeurGlobale', 'montantSubventionPublique', 'donneesExecution',
    'concessionnaires', 'considerationsSociales', 'considerationsEnvironnementales', 'modifications',
  ],
};

const COLUMNS = decp.fields.map((f) => f.name);
const FIELD_TYPES = new Map(decp.fields.map((f) => [f.name, f.type]));

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

function cell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function kindOf(item: Json, fallback?: DecpKind): DecpKind {
  if (item._type === 'Marché' || item._type === 'Contrat de concession') return item._type;
  if (fallback) return fallback;
  return 'autoriteConcedante' in item || 'concessionnaires' in item ? 'Contrat de concession' : 'Marché';
}

function flattenContract(item: Json, kind: DecpKind): Record<string, Cell> {
  const row: Record<string, Cell> = Object.fromEntries(COLUMNS.map((c) => [c, null]));
  row._type = kind;
  for (const column of COLUMNS) {
    if (column === '_type') continue;
    const [head, tail] = column.split('.') as [string, string | undefined];
    const value = item[head];
    if (value === undefined || value === null) continue;
    if (CODE_LISTS[column]) {
      const [, inner] = CODE_LISTS[column];
      const list = isObject(value) ? asArray(value[inner]) : asArray(value);
      row[column] = list.length ? list.map(String).join(DECP_LIST_SEPARATOR) : null;
    } else if (PARTIES[head] && tail) {
      const parties = asArray(value).map((p) => (isObject(p) && isObject(p[PARTIES[head]]) ? p[PARTIES[head]] : p));
      const cells = parties.map((p) => (isObject(p) ? cell(p[tail]) ?? '' : ''));
      row[column] = cells.length ? cells.join(DECP_LIST_SEPARATOR) : null;
    } else if (tail) {
      row[column] = isObject(value) ? cell(value[tail]) : null;
    } else if (JSON_TEXT.has(column)) {
      row[column] = asArray(value).length ? JSON.stringify(value) : null;
    } else {
      row[column] = cell(value);
    }
  }
  return row;
}

/** Official DECP JSON (2.0.2 or 2.0.3, either shape) -> one flat row per contract. */
export function flattenDecp(doc: unknown): Record<string, Cell>[] {
  const marches = isObject(doc) ? doc.marches : undefined;
  if (Array.isArray(marches)) {
    return marches.filter(isObject).map((item) => flattenContract(item, kindOf(item)));
  }
  if (!isObject(marches)) {
    throw new TypeError('Document DECP invalide : propriété « marches » absente.');
  }
  return [
    ...asArray(marches.marche).filter(isObject).map((item) => flattenContract(item, kindOf(item, 'Marché'))),
    ...asArray(marches['contrat-concession'])
      .filter(isObject)
      .map((item) => flattenContract(item, kindOf(item, 'Contrat de concession'))),
  ];
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/** A flat cell back to its JSON type (rows may hold typed values or CSV text). */
function typed(column: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (FIELD_TYPES.get(column)) {
    case 'integer':
      return Number.parseInt(value, 10);
    case 'number':
      return Number(value);
    case 'boolean':
      return /^(true|1|oui)$/i.test(value);
    default:
      return value;
  }
}

function unflattenContract(row: Record<string, unknown>, kind: DecpKind): Json {
  const nested: Json = {};
  for (const column of COLUMNS) {
    const raw = row[column];
    if (column === '_type' || text(raw) === undefined) continue;
    const [head, tail] = column.split('.') as [string, string | undefined];
    if (!PROPERTIES[kind].includes(head)) continue;
    if (CODE_LISTS[column]) {
      const [outer, inner] = CODE_LISTS[column];
      nested[outer] = { [inner]: String(raw).split(DECP_LIST_SEPARATOR).map((v) => v.trim()) };
    } else if (PARTIES[head] && tail) {
      const values = String(raw).split(DECP_LIST_SEPARATOR).map((v) => v.trim());
      const parties = (nested[head] ??= values.map(() => ({ [PARTIES[head]]: {} }))) as Json[];
      values.forEach((v, i) => {
        parties[i] ??= { [PARTIES[head]]: {} };
        (parties[i][PARTIES[head]] as Json)[tail] = v;
      });
    } else if (tail) {
      const object = (nested[head] ??= {}) as Json;
      object[tail] = typed(column, raw);
    } else if (JSON_TEXT.has(column)) {
      nested[column] = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } else {
      nested[column] = typed(column, raw);
    }
  }
  return Object.fromEntries(PROPERTIES[kind].filter((p) => p in nested).map((p) => [p, nested[p]]));
}

/** Flat rows -> the nested DECP 2.0.3 document (`{"marches": {"marche": [...], "contrat-concession": [...]}}`). */
export function unflattenDecp(rows: Record<string, unknown>[]): {
  marches: { marche?: Json[]; 'contrat-concession'?: Json[] };
} {
  const marche: Json[] = [];
  const concessions: Json[] = [];
  for (const row of rows) {
    const kind = row._type === 'Contrat de concession' ? 'Contrat de concession' : 'Marché';
    (kind === 'Marché' ? marche : concessions).push(unflattenContract(row, kind));
  }
  return {
    marches: {
      ...(marche.length || !concessions.length ? { marche } : {}),
      ...(concessions.length ? { 'contrat-concession': concessions } : {}),
    },
  };
}
