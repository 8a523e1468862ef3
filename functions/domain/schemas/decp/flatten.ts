import type { Cell } from '../../schema/types';
import { decp, DECP_LIST_SEPARATOR } from '../builtin/decp';
import { TableReadError } from '../../standardize/read/errors';

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

/** Histories kept as JSON text in their flat column, and the key wrapping each of their items in the national format. */
export const JSON_TEXT_ITEMS: Record<string, string> = {
  actesSousTraitance: 'acteSousTraitance',
  modificationsActesSousTraitance: 'modificationActeSousTraitance',
  modifications: 'modification',
  donneesExecution: 'donneesAnnuelles',
};
export const JSON_TEXT = new Set(Object.keys(JSON_TEXT_ITEMS));

/** Properties of each kind, in the order of the official JSON Schema. */
export const PROPERTIES: Record<DecpKind, string[]> = {
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
/** The properties of each object the flat columns name (`acheteur` → id; `titulaires` → id, typeIdentifiant). */
const TAILS = new Map<string, Set<string>>();
for (const column of COLUMNS) {
  const [head, tail] = column.split('.');
  if (tail !== undefined) TAILS.set(head, (TAILS.get(head) ?? new Set()).add(tail));
}
const FIELD_TYPES = new Map(decp.fields.map((f) => [f.name, f.type]));

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

function cell(value: unknown): Cell {
  const v = scalar(value);
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

/**
 * A value of one column: a JSON number or boolean stays one (the JSON reader reads it as the
 * number it is, not as text typed: no `decimal-point-ambiguous` for `999.125`).
 */
function scalar(value: unknown): Cell | number | boolean {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function kindOf(item: Json, fallback?: DecpKind): DecpKind {
  if (item._type === 'Marché' || item._type === 'Contrat de concession') return item._type;
  if (fallback) return fallback;
  return 'autoriteConcedante' in item || 'concessionnaires' in item ? 'Contrat de concession' : 'Marché';
}

function flattenContract(item: Json, kind: DecpKind): Record<string, Cell | number | boolean> {
  const row: Record<string, Cell | number | boolean> = Object.fromEntries(COLUMNS.map((c) => [c, null]));
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
      row[column] = isObject(value) ? scalar(value[tail]) : null;
    } else if (JSON_TEXT.has(column)) {
      row[column] = asArray(value).length ? JSON.stringify(value) : null;
    } else {
      row[column] = scalar(value);
    }
  }
  return row;
}

/** Lists of contracts in the 2.0.3 `marches` object, by the kind they hold. */
const LISTS: Record<string, DecpKind> = { marche: 'Marché', 'contrat-concession': 'Contrat de concession' };

/** Problems named in the refusal of a document; the others are counted. */
const LISTED_PROBLEMS = 5;

/**
 * What a document holds that the national format does not, and would be lost: a list of
 * contracts under an unknown name, an item that is not a contract, a property of no contract
 * (a misspelt `idAccordCadr`) or of the other kind. The official JSON Schema refuses them
 * all (`additionalProperties: false`); so do we, naming them, rather than publish less than
 * the file holds.
 */
class Unknown {
  private readonly problems = new Map<string, string>();
  private count = 0;

  add(key: string, text: string): void {
    if (this.problems.has(key)) return;
    this.count++;
    if (this.problems.size < LISTED_PROBLEMS) this.problems.set(key, text);
  }

  /** The items of `list` that are contracts; the others are problems. */
  contracts(items: unknown[], where: string): Json[] {
    items.forEach((item, i) => {
      if (!isObject(item)) this.add(`item ${where} ${i}`, `l’élément n° ${i + 1} de « ${where} » n’est pas un objet (un contrat)`);
    });
    return items.filter(isObject);
  }

  properties(item: Json, kind: DecpKind, n: number, where: string): void {
    const unknownIn = (key: string, sub: string) =>
      this.add(`property ${kind} ${key}.${sub}`, `la propriété « ${key}.${sub} » (contrat n° ${n} de « ${where} ») n’existe pas dans le format DECP`);
    for (const key of Object.keys(item)) {
      if (key === '_type') continue;
      if (PROPERTIES[kind].includes(key)) {
        // Inside an object (acheteur, lieuExecution) or a list of parties: only what the format names.
        const value = item[key];
        const tails = TAILS.get(key);
        if (tails && PARTIES[key]) {
          for (const party of asArray(value)) {
            const inner = isObject(party) && isObject(party[PARTIES[key]]) ? (party[PARTIES[key]] as Json) : isObject(party) ? party : undefined;
            for (const sub of Object.keys(inner ?? {})) if (!tails.has(sub)) unknownIn(key, `${PARTIES[key]}.${sub}`);
          }
        } else if (tails && isObject(value)) {
          for (const sub of Object.keys(value)) if (!tails.has(sub)) unknownIn(key, sub);
        } else if (CODE_LISTS[key] && isObject(value)) {
          for (const sub of Object.keys(value)) if (sub !== CODE_LISTS[key][1]) unknownIn(key, sub);
        }
        continue;
      }
      const other = PROPERTIES[kind === 'Marché' ? 'Contrat de concession' : 'Marché'].includes(key);
      this.add(
        `property ${kind} ${key}`,
        other
          ? `la propriété « ${key} » (contrat n° ${n} de « ${where} ») est propre ${kind === 'Marché' ? 'aux contrats de concession, pas aux marchés' : 'aux marchés, pas aux contrats de concession'}`
          : `la propriété « ${key} » (contrat n° ${n} de « ${where} ») n’existe pas dans le format DECP`,
      );
    }
  }

  check(): void {
    if (this.count === 0) return;
    const listed = [...this.problems.values()];
    const more = this.count - listed.length;
    throw new TableReadError(
      'invalid-json-shape',
      `Le fichier contient des données que le format national DECP ne connaît pas, et qui seraient perdues : ${listed.join(' ; ')}${more > 0 ? ` ; et ${more} autre${more > 1 ? 's' : ''}` : ''}. Corrigez ces noms (voir le schéma DECP) ou retirez ces données, puis déposez le fichier à nouveau.`,
    );
  }
}

/** A row already flat (Socle's own data.json of DECP, a flat export): no value is an object or a list. */
const isFlat = (item: Json): boolean => Object.values(item).every((v) => v === null || typeof v !== 'object');

/**
 * Official DECP JSON (2.0.2 or 2.0.3, either shape) -> one flat row per contract; an array of
 * contracts, nested or already flat (what Socle publishes as data.json), is read too.
 * Throws `invalid-json-shape` naming what the national format does not hold (Unknown).
 */
export function flattenDecp(doc: unknown): Record<string, unknown>[] {
  const unknown = new Unknown();
  const each = (items: Json[], where: string, fallback?: DecpKind) =>
    items.map((item, i) => {
      const kind = kindOf(item, fallback);
      unknown.properties(item, kind, i + 1, where);
      return flattenContract(item, kind);
    });
  let rows: Record<string, unknown>[];
  if (Array.isArray(doc)) {
    const items = unknown.contracts(doc, 'tableau');
    if (items.length > 0 && items.every(isFlat) && items.some((item) => Object.keys(item).some((k) => k.includes('.')))) rows = items;
    else rows = each(items, 'tableau');
  } else {
    const marches = isObject(doc) ? doc.marches : undefined;
    for (const key of isObject(doc) && marches !== undefined ? Object.keys(doc) : []) {
      if (key !== 'marches') unknown.add(`top ${key}`, `« ${key} » est hors de « marches » : ce qu’il contient ne serait pas lu`);
    }
    if (Array.isArray(marches)) rows = each(unknown.contracts(marches, 'marches'), 'marches');
    else if (!isObject(marches)) throw new TypeError('Document DECP invalide : propriété « marches » absente.');
    else {
      for (const key of Object.keys(marches)) {
        if (!(key in LISTS)) unknown.add(`list ${key}`, `la liste « ${key} » de « marches » (attendues : « marche » et « contrat-concession ») ne serait pas lue`);
      }
      rows = Object.entries(LISTS).flatMap(([list, kind]) => each(unknown.contracts(asArray(marches[list]), list), list, kind));
    }
  }
  unknown.check();
  return rows;
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

function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function unflattenContract(row: Record<string, unknown>, kind: DecpKind): Json {
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
      // Refused unless a JSON list (checks.ts); kept as text if it comes here all the same. An empty list is no history.
      const history = typeof raw === 'string' ? parsedOr(raw) : raw;
      if (Array.isArray(history) && history.length === 0) continue;
      nested[column] = history;
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
