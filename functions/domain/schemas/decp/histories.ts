/**
 * The histories of a DECP contract (modifications, sub-contracting acts and their
 * modifications, a concession's yearly execution data) are published in decp.json as they
 * are given, as JSON: each item must be what the national format 2.0 describes, or the
 * published decp.json would not be valid. Written from the format's description of each
 * item: its required properties and what each holds (an id from 1, months from 1, ISO days,
 * amounts, a party, the price variation), lists with one item at least and none twice.
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
  | { kind: 'list'; item: string; shape: Shape; minItems: number };

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
    titulaires: { kind: 'list', item: 'titulaire', shape: PARTY, minItems: 1 },
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

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDay(s: string): boolean {
  const m = ISO_DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const shown = (x: unknown): string => {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

/** What is wrong with `value` at `path` (French), or null. */
function problem(value: unknown, rule: Rule, path: string): string | null {
  switch (rule.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min ? null : `« ${path} » doit être un nombre entier à partir de ${rule.min}, sans guillemets (${shown(value)} donné)`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= rule.min
        ? null
        : `« ${path} » doit être un nombre${rule.min > 0 ? ` d’au moins ${rule.min}` : ' positif ou nul'}, écrit avec un point décimal et sans guillemets (${shown(value)} donné)`;
    case 'day':
      return typeof value === 'string' && isDay(value) ? null : `« ${path} » doit être une date AAAA-MM-JJ, par exemple "2024-12-31" (${shown(value)} donné)`;
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') return `« ${path} » doit être un texte non vide (${shown(value)} donné)`;
      return rule.maxLength !== undefined && [...value].length > rule.maxLength ? `« ${path} » fait plus de ${rule.maxLength} caractères` : null;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? null : `« ${path} » doit valoir ${rule.values.map((v) => `"${v}"`).join(', ')} (${shown(value)} donné)`;
    case 'object':
      return isObject(value) ? shapeProblem(value, rule.shape, path) : `« ${path} » doit être un objet JSON { … } (${shown(value)} donné)`;
    case 'list':
      return listProblem(value, rule.item, rule.shape, rule.minItems, path);
  }
}

function shapeProblem(value: Record<string, unknown>, shape: Shape, path: string): string | null {
  for (const key of shape.required) if (value[key] === undefined || value[key] === null) return `« ${path}.${key} » est obligatoire`;
  for (const [key, rule] of Object.entries(shape.properties)) {
    if (value[key] === undefined) continue;
    const found = problem(value[key], rule, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/** A list of `{item: {…}}`: at least `minItems`, none twice (the format's `uniqueItems`), each item of `shape`. */
function listProblem(value: unknown, item: string, shape: Shape, minItems: number, path: string): string | null {
  if (!Array.isArray(value)) return `« ${path} » doit être une liste JSON [ … ]`;
  if (value.length < minItems) return `« ${path} » doit compter au moins ${minItems} élément${minItems > 1 ? 's' : ''}`;
  const seen = new Set<string>();
  for (let k = 0; k < value.length; k++) {
    const wrapper = value[k] as unknown;
    const at = `${path}[${k + 1}]`;
    if (!isObject(wrapper) || Object.keys(wrapper).length !== 1 || !isObject(wrapper[item])) return `chaque élément de « ${path} » s’écrit {"${item}": {…}} (l’élément ${k + 1} ne l’est pas)`;
    const found = shapeProblem(wrapper[item], shape, `${at}.${item}`);
    if (found) return found;
    const key = JSON.stringify(wrapper);
    if (seen.has(key)) return `l’élément ${k + 1} de « ${path} » figure deux fois : chaque élément n’y figure qu’une fois`;
    seen.add(key);
  }
  return null;
}

/**
 * What is wrong with the JSON text of history column `column` of a contract of kind `kind`,
 * in French; null when it is a list the national format takes (`[]`, an empty history, too).
 */
export function historyProblem(text: string, column: string, kind: DecpKind): string | null {
  const spec = HISTORIES[kind][column];
  if (spec === undefined) return null; // another kind's column: refused as such
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `« ${text.length > 60 ? `${text.slice(0, 59)}…` : text} » n’est pas du JSON`;
  }
  if (Array.isArray(parsed) && parsed.length === 0) return null;
  return listProblem(parsed, spec.item, spec.shape, 1, column);
}
