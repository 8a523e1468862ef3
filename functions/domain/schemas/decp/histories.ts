/**
 * The histories of a DECP contract (modifications, sub-contracting acts and their
 * modifications, a concession's yearly execution data) are published in decp.json as they
 * are given, as JSON: each item must be what the national format 2.0 describes, or the
 * published decp.json would not be valid. Written from the format's description of each
 * item: its required properties and what each holds (an id from 1, months from 1, days as the
 * format's own unanchored pattern takes them, amounts, a party, the price variation), lists
 * with one item at least and, where the format says so, none twice. No stricter than the format.
 */
import { TYPES_IDENTIFIANT } from '../builtin/decp';
import type { DecpKind } from './flatten';

type Rule =
  | { kind: 'integer'; min: number }
  | { kind: 'number'; min: number }
  | { kind: 'day' }
  | { kind: 'text'; maxLength?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'object'; shape: Shape }
  | { kind: 'list'; item: string; shape: Shape; minItems: number; unique: boolean };

interface Shape {
  required: readonly string[];
  properties: Readonly<Record<string, Rule>>;
}

const ID: Rule = { kind: 'integer', min: 1 };
const MONTHS: Rule = { kind: 'integer', min: 1 };
const DAY: Rule = { kind: 'day' };
const AMOUNT: Rule = { kind: 'number', min: 1 };
const PARTY: Shape = { required: ['typeIdentifiant', 'id'], properties: { typeIdentifiant: { kind: 'enum', values: TYPES_IDENTIFIANT }, id: { kind: 'text' } } };

const MARCHE_MODIFICATION: Shape = {
  required: ['id', 'datePublicationDonneesModification', 'dateNotificationModification'],
  properties: {
    id: ID,
    dateNotificationModification: DAY,
    datePublicationDonneesModification: DAY,
    dureeMois: MONTHS,
    montant: AMOUNT,
    titulaires: { kind: 'list', item: 'titulaire', shape: PARTY, minItems: 1, unique: true },
  },
};

const ACTE_SOUS_TRAITANCE: Shape = {
  required: ['id', 'sousTraitant', 'dureeMois', 'dateNotification', 'datePublicationDonnees', 'montant', 'variationPrix'],
  properties: {
    id: ID,
    sousTraitant: { kind: 'object', shape: PARTY },
    dureeMois: MONTHS,
    dateNotification: DAY,
    datePublicationDonnees: DAY,
    montant: AMOUNT,
    variationPrix: { kind: 'enum', values: ['Ferme', 'Actualisable', 'Révisable'] },
  },
};

const MODIFICATION_ACTE_SOUS_TRAITANCE: Shape = {
  required: ['id', 'dateNotificationModificationSousTraitance', 'datePublicationDonnees'],
  properties: { id: ID, dureeMois: MONTHS, dateNotificationModificationSousTraitance: DAY, montant: AMOUNT, datePublicationDonnees: DAY },
};

const CONCESSION_MODIFICATION: Shape = {
  required: ['id', 'datePublicationDonneesModification', 'dateSignatureModification'],
  properties: { id: ID, dateSignatureModification: DAY, datePublicationDonneesModification: DAY, dureeMois: MONTHS, valeurGlobale: AMOUNT },
};

const DONNEES_ANNUELLES: Shape = {
  required: ['datePublicationDonneesExecution', 'depensesInvestissement', 'tarifs'],
  properties: {
    datePublicationDonneesExecution: DAY,
    depensesInvestissement: { kind: 'number', min: 0 },
    tarifs: {
      kind: 'list',
      item: 'tarif',
      shape: { required: ['intituleTarif', 'tarif'], properties: { intituleTarif: { kind: 'text', maxLength: 256 }, tarif: { kind: 'number', min: 0 } } },
      minItems: 1,
      unique: false,
    },
  },
};

/** Each history column of each kind: its items' key and shape (the other kind's columns are refused elsewhere). */
const HISTORIES: Record<DecpKind, Readonly<Record<string, { item: string; shape: Shape }>>> = {
  Marché: {
    modifications: { item: 'modification', shape: MARCHE_MODIFICATION },
    actesSousTraitance: { item: 'acteSousTraitance', shape: ACTE_SOUS_TRAITANCE },
    modificationsActesSousTraitance: { item: 'modificationActeSousTraitance', shape: MODIFICATION_ACTE_SOUS_TRAITANCE },
  },
  'Contrat de concession': {
    modifications: { item: 'modification', shape: CONCESSION_MODIFICATION },
    donneesExecution: { item: 'donneesAnnuelles', shape: DONNEES_ANNUELLES },
  },
};

/** The format's pattern for a day, as it writes it: not anchored (`2022-10-18+02:00`, `2022-10-20T10:00:00Z` pass). */
const DAY_IN = /\d{4}-\d{2}-\d{2}/;

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
/** Characters of a value quoted in a history's message, at most. */
const SHOWN = 60;

/** `s` cut to `max` characters, `…` marking the cut. */
export const clipped = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const shown = (x: unknown): string => clipped(JSON.stringify(x) ?? String(x), SHOWN);

/** How the items of each list, and the sub-contractor, are named in a message. */
const NAMES: Readonly<Record<string, string>> = {
  modification: 'la modification',
  acteSousTraitance: 'l’acte de sous-traitance',
  modificationActeSousTraitance: 'la modification d’acte de sous-traitance',
  donneesAnnuelles: 'les données annuelles',
  titulaire: 'le titulaire',
  tarif: 'le tarif',
  sousTraitant: 'le sous-traitant',
};

/** What is wrong with property `key` of the item named `where` (French), or null. */
function problem(value: unknown, rule: Rule, key: string, where: string): string | null {
  const it = `« ${key} » (${where})`;
  switch (rule.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min ? null : `${it} doit être un nombre entier à partir de ${rule.min}, sans guillemets (${shown(value)} donné)`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= rule.min
        ? null
        : `${it} doit être un nombre${rule.min > 0 ? ` d’au moins ${rule.min}` : ' positif ou nul'}, écrit avec un point décimal et sans guillemets (${shown(value)} donné)`;
    case 'day':
      return typeof value === 'string' && DAY_IN.test(value) ? null : `${it} doit être une date AAAA-MM-JJ, par exemple "2024-12-31" (${shown(value)} donné)`;
    case 'text':
      if (typeof value !== 'string') return `${it} doit être un texte entre guillemets (${shown(value)} donné)`;
      return rule.maxLength !== undefined && [...value].length > rule.maxLength ? `${it} fait plus de ${rule.maxLength} caractères` : null;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? null : `${it} doit valoir ${rule.values.map((v) => `"${v}"`).join(', ')} (${shown(value)} donné)`;
    case 'object':
      return isObject(value) ? shapeProblem(value, rule.shape, `${NAMES[key] ?? `« ${key} »`} de ${where}`) : `${it} doit être un objet JSON { … } (${shown(value)} donné)`;
    case 'list':
      return listProblem(value, rule.item, rule.shape, rule.minItems, rule.unique, key, where)?.message ?? null;
  }
}

function shapeProblem(value: Record<string, unknown>, shape: Shape, where: string): string | null {
  const missing = shape.required.filter((key) => value[key] === undefined || value[key] === null);
  if (missing.length > 0) return `il manque à ${where} ${missing.length > 1 ? 'les propriétés' : 'la propriété'} ${missing.map((k) => `« ${k} »`).join(', ')}`;
  for (const [key, rule] of Object.entries(shape.properties)) {
    if (value[key] === undefined) continue;
    const found = problem(value[key], rule, key, where);
    if (found) return found;
  }
  return null;
}

/** A value as JSON with its keys sorted: two objects equal but for their keys' order are one item. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * A list `key` of `{item: {…}}` (in `parent`, when nested): at least `minItems`, none twice when
 * `unique` (the format's `uniqueItems`), each item of `shape`. `structural`: the list or an
 * item's wrapper is not of the format's shape (rather than an item's content).
 */
function listProblem(
  value: unknown,
  item: string,
  shape: Shape,
  minItems: number,
  unique: boolean,
  key: string,
  parent?: string,
): { message: string; structural: boolean } | null {
  const list = parent === undefined ? `« ${key} »` : `« ${key} » (${parent})`;
  if (!Array.isArray(value)) return { message: `${list} doit être une liste JSON [ … ]`, structural: true };
  if (value.length < minItems) return { message: `${list} doit compter au moins ${minItems} élément${minItems > 1 ? 's' : ''}`, structural: false };
  const seen = new Set<string>();
  for (let k = 0; k < value.length; k++) {
    const wrapper = value[k] as unknown;
    const where = `${NAMES[item] ?? `l’élément « ${item} »`} n° ${k + 1}${parent === undefined ? '' : ` de ${parent}`}`;
    if (!isObject(wrapper) || Object.keys(wrapper).length !== 1 || !isObject(wrapper[item])) {
      return { message: `chaque élément de ${list} s’écrit {"${item}": {…}}, et le n° ${k + 1} ne l’est pas`, structural: true };
    }
    const found = shapeProblem(wrapper[item], shape, where);
    if (found) return { message: found, structural: false };
    const same = canonical(wrapper);
    if (unique && seen.has(same)) return { message: `${where} figure deux fois dans ${list} : chaque élément n’y figure qu’une fois`, structural: false };
    seen.add(same);
  }
  return null;
}

/**
 * What is wrong with the JSON text of history column `column` of a contract of kind `kind`,
 * in French; null when it is a list the national format takes (`[]`, an empty history, too).
 */
export function historyProblem(text: string, column: string, kind: DecpKind): { message: string; structural: boolean } | null {
  const spec = HISTORIES[kind][column];
  if (spec === undefined) return null; // another kind's column: refused as such
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { message: `« ${clipped(text, SHOWN)} » n’est pas du JSON`, structural: true };
  }
  if (Array.isArray(parsed) && parsed.length === 0) return null;
  return listProblem(parsed, spec.item, spec.shape, 1, true, column);
}
