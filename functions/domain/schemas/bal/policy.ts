/**
 * BAL validation policy: what makes a Base Adresse Locale invalid, as the reference validator
 * @ban-team/validateur-bal (3.5) decides it. Our engine checks the official AITF Table
 * Schema, which is both stricter (patterns, required `source`…) and weaker (no row rules)
 * than the reference; this module grades and completes the engine's findings so that only
 * what the reference calls an error counts as one. Pure: no I/O, one record at a time.
 *
 *   const index = balHeaderIndex(header);                 // profile 1.3 / 1.4 / 1.5 from the header
 *   issues.push(...checkBalFile({ delimiter, encoding, linebreak }, index.profile));
 *   const bound = compiled.bind(header);
 *   issues.push(...gradeBalIssues(bound.issues, index), ...checkBalHeader(index, bound.issues));
 *   const rows = createBalRowsCheck(index);               // ./checks.ts, constant memory
 *   for each record:
 *     const { issues: found } = bound.validator.validate(cells, line);
 *     issues.push(...gradeBalIssues(found, index), ...checkBalRow(cells, index, line, found));
 *     rows.add(cells);
 *   issues.push(...rows.finish());
 *
 * - Profiles: the reference picks 1.5 when the header has the three `id_ban_*` columns and
 *   `toponyme`, 1.4 with the three ids only, else 1.3 (`balProfileFor`). Each profile
 *   classes every rule as error, warning or info (`BAL_RULE_LEVELS`); infos are not reported.
 * - Columns count for the reference only under their exact name (`cle_intero` is not
 *   `cle_interop`), and language variants (`voie_nom_bre`) are checked as such.
 * - gradeBalIssues keeps each engine issue (code, row, column, message) and sets its
 *   severity: error only if the reference finds an error in that same cell, else warning.
 * - checkBalRow adds the reference's findings the engine cannot make (cell rules such as
 *   `numero` leading zeros or `cle_interop` case, and row rules: `cle_interop` against
 *   `numero`, missing commune, address or coordinates, coordinates outside France, x/y far
 *   from long/lat, incomplete BAN ids). A cell the engine already reported on is not
 *   reported twice: gradeBalIssues has graded it with the same rules.
 *
 * Not checked, because they need data we do not hold: INSEE codes against the COG
 * (`commune_invalide`, `commune_ancienne`, `commune_nom_invalide`, `chef_lieu_invalide`),
 * and the commune's BAN id against the BAN API (`cog_no_match_id_ban_commune`). Not checked
 * either, being warnings that need every row at once: the `different_*_with_same_*` BAN id
 * groupings, `voie_nom_have_same_lieudit_complement_nom`, `lieudit_complement_nom_not_declared`.
 */
import { frDateToIso } from '../../schema/normalize-fr';
import type { Cell, ValidationIssue } from '../../schema/types';

export type BalProfile = '1.3' | '1.4' | '1.5';
type Level = 'E' | 'W' | 'I';

/**
 * Level of each reference rule in profiles 1.3, 1.4, 1.5 (one letter each); absent = info.
 * `@@` stands for a regional-language suffix. Cross-checked against the reference in
 * test/unit/schemas/bal-policy.test.ts.
 */
export const BAL_RULE_LEVELS: Readonly<Record<string, string>> = {
  'cle_interop.valeur_manquante': 'EEE',
  'cle_interop.casse_invalide': 'EEE',
  'cle_interop.structure_invalide': 'EEE',
  'cle_interop.numero_invalide': 'EEE',
  'cle_interop.numero_prefixe_manquant': 'EEE',
  'cle_interop.voie_invalide': 'WWW',
  'cle_interop.espaces_debut_fin': 'WWW',
  'uid_adresse.type_invalide': 'WEE',
  'uid_adresse.espaces_debut_fin': 'WWW',
  'id_ban_commune.type_invalide': 'IEE',
  'id_ban_toponyme.type_invalide': 'IEE',
  'id_ban_adresse.type_invalide': 'IEE',
  'voie_nom.trop_court': 'EEE',
  'voie_nom.trop_long': 'EEE',
  'voie_nom.caractere_invalide': 'EEE',
  'voie_nom.casse_incorrecte': 'WWW',
  'voie_nom.contient_tiret_bas': 'WWW',
  'voie_nom.espaces_debut_fin': 'WWW',
  'voie_nom_@@.trop_court': 'WWW',
  'voie_nom_@@.trop_long': 'WWW',
  'voie_nom_@@.caractere_invalide': 'WWW',
  'voie_nom_@@.casse_incorrecte': 'WWW',
  'voie_nom_@@.contient_tiret_bas': 'WWW',
  'voie_nom_@@.espaces_debut_fin': 'WWW',
  'toponyme.trop_court': 'IIE',
  'toponyme.trop_long': 'IIE',
  'toponyme.caractere_invalide': 'IIE',
  'toponyme.casse_incorrecte': 'IIW',
  'toponyme.contient_tiret_bas': 'IIW',
  'toponyme_@@.trop_court': 'IIW',
  'toponyme_@@.trop_long': 'IIW',
  'toponyme_@@.caractere_invalide': 'IIW',
  'toponyme_@@.casse_incorrecte': 'IIW',
  'toponyme_@@.contient_tiret_bas': 'IIW',
  'lieudit_complement_nom.espaces_debut_fin': 'WWW',
  'lieudit_complement_nom_@@.espaces_debut_fin': 'WWW',
  'numero.valeur_manquante': 'EEE',
  'numero.type_invalide': 'EEE',
  'numero.trop_grand': 'EEE',
  'numero.contient_prefixe': 'EEE',
  'numero.not_to_be_zero': 'WWW',
  'numero.espaces_debut_fin': 'WWW',
  'suffixe.debut_invalide': 'EEE',
  'suffixe.trop_long': 'EEE',
  'suffixe.espaces_debut_fin': 'EEE',
  'suffixe.caractere_invalide': 'WWW',
  'commune_insee.valeur_manquante': 'EEE',
  'commune_insee.espaces_debut_fin': 'EEE',
  'commune_nom.espaces_debut_fin': 'WWW',
  'commune_deleguee_insee.espaces_debut_fin': 'WWW',
  'commune_deleguee_nom.espaces_debut_fin': 'WWW',
  'position.enum_fuzzy': 'WWW',
  'position.valeur_invalide': 'WWW',
  'position.espaces_debut_fin': 'WWW',
  'x.valeur_invalide': 'EEE',
  'x.separateur_decimal_invalide': 'EEE',
  'x.espaces_debut_fin': 'WWW',
  'y.valeur_invalide': 'EEE',
  'y.separateur_decimal_invalide': 'EEE',
  'y.espaces_debut_fin': 'WWW',
  'long.valeur_invalide': 'EEE',
  'long.separateur_decimal_invalide': 'EEE',
  'long.espaces_debut_fin': 'WWW',
  'lat.valeur_invalide': 'EEE',
  'lat.separateur_decimal_invalide': 'EEE',
  'lat.espaces_debut_fin': 'WWW',
  'cad_parcelles.valeur_invalide': 'WWW',
  'cad_parcelles.pipe_debut_fin': 'WWW',
  'cad_parcelles.espaces_debut_fin': 'WWW',
  'source.valeur_manquante': 'WWW',
  'source.espaces_debut_fin': 'WWW',
  'date_der_maj.valeur_manquante': 'WWW',
  'date_der_maj.date_invalide': 'EEE',
  'date_der_maj.date_ancienne': 'WWW',
  'date_der_maj.date_future': 'WWW',
  'date_der_maj.espaces_debut_fin': 'WWW',
  'certification_commune.valeur_invalide': 'WWW',
  'row.incoherence_numero': 'EEE',
  'row.commune_manquante': 'EEE',
  'row.adresse_incomplete': 'EEE',
  'row.longlat_vides': 'EEE',
  'row.longlat_invalides': 'EEE',
  'row.longlat_xy_incoherents': 'WWW',
  'row.position_manquante': 'WWW',
  'row.lack_of_id_ban': 'IEE',
  'rows.empty': 'EEE',
  'rows.every_line_required_id_ban': 'IEE',
  'rows.multi_id_ban_commune': 'IEE',
  'file.encoding.non_standard': 'EEE',
  'file.delimiter.non_standard': 'EEE',
  'file.linebreak.non_standard': 'EEE',
  'field.cle_interop.missing': 'WWW',
  'field.id_ban_commune.missing': 'IWE',
  'field.id_ban_toponyme.missing': 'IWE',
  'field.id_ban_adresse.missing': 'IWE',
  'field.voie_nom.missing': 'EEI',
  'field.toponyme.missing': 'IIE',
  'field.numero.missing': 'EEE',
  'field.suffixe.missing': 'WWW',
  'field.commune_insee.missing': 'EEE',
  'field.position.missing': 'WWW',
  'field.x.missing': 'WWW',
  'field.y.missing': 'WWW',
  'field.long.missing': 'EEE',
  'field.lat.missing': 'EEE',
  'field.source.missing': 'WWW',
  'field.date_der_maj.missing': 'WWW',
  'field.certification_commune.missing': 'WWW',
};

const PROFILE_SLOT: Record<BalProfile, number> = { '1.3': 0, '1.4': 1, '1.5': 2 };

/** The reference's level for a rule id (`numero.type_invalide`, `voie_nom_@@.trop_court`, `row.…`). */
export function balRuleLevel(rule: string, profile: BalProfile): Level {
  return (BAL_RULE_LEVELS[rule]?.[PROFILE_SLOT[profile]] as Level | undefined) ?? 'I';
}

/** The columns the reference knows, the format versions that define them, and their flags. */
const FIELDS: Record<string, { formats: string; required?: true; regional?: true }> = {
  cle_interop: { formats: '1.3 1.4', required: true },
  uid_adresse: { formats: '1.3' },
  id_ban_commune: { formats: '1.4 1.5' },
  id_ban_toponyme: { formats: '1.4 1.5' },
  id_ban_adresse: { formats: '1.4 1.5' },
  voie_nom: { formats: '1.3 1.4', regional: true },
  toponyme: { formats: '1.5', regional: true },
  lieudit_complement_nom: { formats: '1.3 1.4 1.5', regional: true },
  numero: { formats: '1.3 1.4 1.5', required: true },
  suffixe: { formats: '1.3 1.4 1.5' },
  commune_insee: { formats: '1.3 1.4 1.5', required: true },
  commune_nom: { formats: '1.3 1.4 1.5', required: true, regional: true },
  commune_deleguee_insee: { formats: '1.3 1.4 1.5' },
  commune_deleguee_nom: { formats: '1.3 1.4 1.5', regional: true },
  position: { formats: '1.3 1.4 1.5' },
  x: { formats: '1.3 1.4 1.5' },
  y: { formats: '1.3 1.4 1.5' },
  long: { formats: '1.3 1.4 1.5' },
  lat: { formats: '1.3 1.4 1.5' },
  cad_parcelles: { formats: '1.3 1.4 1.5' },
  source: { formats: '1.3 1.4 1.5', required: true },
  date_der_maj: { formats: '1.3 1.4 1.5', required: true },
  certification_commune: { formats: '1.3 1.4 1.5' },
};

/** Regional-language suffixes the reference accepts (`voie_nom_bre`…), from @ban-team/shared-data. */
const REGIONAL_LANGS = 'fra bre eus gsw cos gcr gcf rcf swb oci cat pcd oc-provenc oc-nicard vls fr-gallo aji dhv nen pri ty mrq pmt mrv frp'.split(' ');

export interface BalHeaderIndex {
  readonly profile: BalProfile;
  /** Reference field name → column position (exact header name; the first one wins). */
  readonly columns: ReadonlyMap<string, number>;
  /** Language variants: header name, base field, position. */
  readonly regional: readonly { name: string; field: string; at: number }[];
  /** "Now", for `date_der_maj` in the future. */
  readonly today: string;
}

const headerName = (cell: Cell, i: number): string => (i === 0 ? (cell ?? '').replace(/^\uFEFF/, '') : (cell ?? ''));

/** The reference's profile choice: 1.5 with the three BAN id columns and `toponyme`, 1.4 with the ids, else 1.3. */
export function balProfileFor(header: readonly Cell[]): BalProfile {
  const names = new Set(header.map(headerName));
  const ids = names.has('id_ban_commune') && names.has('id_ban_toponyme') && names.has('id_ban_adresse');
  if (!ids) return '1.3';
  return names.has('toponyme') ? '1.5' : '1.4';
}

export function balHeaderIndex(header: readonly Cell[], options: { profile?: BalProfile; now?: Date } = {}): BalHeaderIndex {
  const names = header.map(headerName);
  const columns = new Map<string, number>();
  names.forEach((name, at) => {
    if (name in FIELDS && !columns.has(name)) columns.set(name, at);
  });
  const regional: { name: string; field: string; at: number }[] = [];
  for (const [field, spec] of Object.entries(FIELDS)) {
    if (!spec.regional || !columns.has(field)) continue;
    for (const lang of REGIONAL_LANGS) {
      const at = names.indexOf(`${field}_${lang}`);
      if (at >= 0) regional.push({ name: `${field}_${lang}`, field, at });
    }
  }
  return {
    profile: options.profile ?? balProfileFor(header),
    columns,
    regional,
    today: (options.now ?? new Date()).toISOString().slice(0, 10),
  };
}

// ---------------------------------------------------------------------------------------
// Messages: one stable code and one French message per reference rule.

type Message = (column: string, value: string) => string;
const RULES: Record<string, { code: string; message: Message }> = {
  valeur_manquante: { code: 'bal-missing-value', message: (c) => `La colonne « ${c} » doit être renseignée.` },
  espaces_debut_fin: { code: 'bal-surrounding-spaces', message: (c, v) => `La valeur « ${v} » de « ${c} » commence ou finit par des espaces.` },
  trop_court: { code: 'bal-name-too-short', message: (c, v) => `Le nom « ${v} » (${c}) est trop court : 3 caractères au moins.` },
  trop_long: { code: 'bal-too-long', message: (c, v) => `La valeur « ${v} » de « ${c} » est trop longue (${c === 'suffixe' ? 9 : 200} caractères au plus).` },
  caractere_invalide: { code: 'bal-invalid-character', message: (c, v) => `La valeur « ${v} » de « ${c} » contient un caractère invalide.` },
  casse_incorrecte: { code: 'bal-name-case', message: (c, v) => `Le nom « ${v} » (${c}) est tout en majuscules ou tout en minuscules.` },
  contient_tiret_bas: { code: 'bal-name-underscore', message: (c, v) => `Le nom « ${v} » (${c}) contient un tiret bas « _ » au lieu d'une espace.` },
  'cle_interop.casse_invalide': { code: 'bal-cle-interop-case', message: (_c, v) => `La clé d'interopérabilité « ${v} » doit être écrite en minuscules.` },
  'cle_interop.structure_invalide': {
    code: 'bal-cle-interop-structure',
    message: (_c, v) => `La clé d'interopérabilité « ${v} » n'a pas la forme insee_voie_numero[_suffixe].`,
  },
  'cle_interop.numero_invalide': { code: 'bal-cle-interop-numero', message: (_c, v) => `Le numéro de la clé d'interopérabilité « ${v} » n'est pas un nombre.` },
  'cle_interop.numero_prefixe_manquant': {
    code: 'bal-cle-interop-numero-padding',
    message: (_c, v) => `Le numéro de la clé d'interopérabilité « ${v} » doit compter 5 chiffres (zéros en tête).`,
  },
  'cle_interop.voie_invalide': { code: 'bal-cle-interop-voie', message: (_c, v) => `Le code de voie de la clé d'interopérabilité « ${v} » doit compter 4 caractères.` },
  type_invalide: { code: 'bal-id-ban-invalid', message: (c, v) => `La valeur « ${v} » de « ${c} » n'est pas un identifiant BAN (UUID version 4).` },
  'numero.type_invalide': { code: 'bal-numero-not-integer', message: (_c, v) => `Le numéro « ${v} » doit être un nombre entier positif, sans autre caractère.` },
  'numero.trop_grand': { code: 'bal-numero-too-large', message: (_c, v) => `Le numéro « ${v} » dépasse 99999.` },
  'numero.not_to_be_zero': { code: 'bal-numero-zero', message: () => 'Le numéro ne doit pas être 0.' },
  'numero.contient_prefixe': { code: 'bal-numero-leading-zero', message: (_c, v) => `Le numéro « ${v} » ne doit pas commencer par un zéro.` },
  'suffixe.debut_invalide': { code: 'bal-suffixe-start', message: (_c, v) => `Le suffixe « ${v} » doit commencer par une lettre ou un chiffre.` },
  'suffixe.caractere_invalide': { code: 'bal-suffixe-character', message: (_c, v) => `Le suffixe « ${v} » ne doit contenir que des lettres, des chiffres et des espaces.` },
  separateur_decimal_invalide: { code: 'bal-decimal-comma', message: (c, v) => `La coordonnée « ${v} » (${c}) doit utiliser le point comme séparateur décimal.` },
  valeur_invalide: { code: 'bal-invalid-value', message: (c, v) => `La valeur « ${v} » de « ${c} » n'est pas valide.` },
  'position.enum_fuzzy': { code: 'bal-position-spelling', message: (_c, v) => `Le type de position « ${v} » est mal orthographié.` },
  'cad_parcelles.pipe_debut_fin': { code: 'bal-cad-parcelles-pipe', message: (_c, v) => `La liste de parcelles « ${v} » commence ou finit par « | ».` },
  'date_der_maj.date_invalide': { code: 'bal-date-invalid', message: (_c, v) => `La date « ${v} » doit être au format AAAA-MM-JJ.` },
  'date_der_maj.date_ancienne': { code: 'bal-date-old', message: (_c, v) => `La date de mise à jour « ${v} » est antérieure à 2010.` },
  'date_der_maj.date_future': { code: 'bal-date-future', message: (_c, v) => `La date de mise à jour « ${v} » est dans le futur.` },
  'row.incoherence_numero': {
    code: 'bal-cle-interop-numero-mismatch',
    message: (_c, v) => `Le numéro de la clé d'interopérabilité ne correspond pas au numéro ${v}.`,
  },
  'row.commune_manquante': { code: 'bal-commune-missing', message: () => 'Ni la clé d’interopérabilité ni commune_insee ne donnent la commune.' },
  'row.adresse_incomplete': { code: 'bal-address-incomplete', message: () => 'Adresse incomplète : il faut un numéro valide et un nom de voie ou de toponyme valide.' },
  'row.longlat_vides': { code: 'bal-longlat-missing', message: () => 'Une adresse (numéro autre que 99999) doit avoir une longitude et une latitude.' },
  'row.longlat_invalides': { code: 'bal-longlat-outside-france', message: () => 'La longitude et la latitude ne désignent pas un point en France.' },
  'row.longlat_xy_incoherents': { code: 'bal-longlat-xy-mismatch', message: (_c, v) => `x/y et long/lat désignent des points distants de ${v} m (10 m au plus).` },
  'row.position_manquante': { code: 'bal-position-missing', message: () => 'Une adresse (numéro autre que 99999) doit avoir un type de position.' },
  'row.lack_of_id_ban': {
    code: 'bal-ban-ids-incomplete',
    message: (_c, v) => `Identifiants BAN incomplets : ${v} manquant(s) ou invalide(s) alors que la ligne en porte d'autres.`,
  },
};

function ruleText(rule: string, column: string, value: string): { code: string; message: string } {
  const suffix = rule.slice(rule.indexOf('.') + 1);
  const r = RULES[rule] ?? RULES[`${column}.${suffix}`] ?? RULES[suffix];
  return r ? { code: r.code, message: r.message(column, value) } : { code: 'bal-rule', message: `Règle BAL ${rule} non respectée.` };
}

function severityOf(level: Level): ValidationIssue['severity'] | null {
  return level === 'E' ? 'error' : level === 'W' ? 'warning' : null;
}

// ---------------------------------------------------------------------------------------
// Cell rules, as the reference reads each column (trimmed). `rules` are ids without the
// column (`type_invalide`); `value` is what the row rules use (undefined: unusable).

interface CellReading {
  rules: string[];
  value?: unknown;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// The reference's number syntax: no leading zero except `0d` (sic), optional decimals.
const FLOAT = /^-?(?:(?:0|[1-9]\d*)(?:\.\d+)?|0\d)$/;
const FRENCH_FLOAT = /^-?(?:(?:0|[1-9]\d*)(?:,\d+)?|0\d)$/;
const SUFFIXE_CHARS = /^[a-zA-ZàáâãäåæçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ0-9\s]+$/u;
const POSITIONS = ['entrée', 'bâtiment', 'cage d’escalier', 'logement', 'service technique', 'délivrance postale', 'parcelle', 'segment'];
const foldPosition = (v: string): string =>
  v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\W+/g, ' ')
    .trim()
    .toLowerCase();
const POSITION_BY_FOLDED = new Map(POSITIONS.map((p) => [foldPosition(p), p.normalize()]));

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function readName(v: string): CellReading {
  if (v.length < 3) return { rules: ['trop_court'] };
  if (v.length > 200) return { rules: ['trop_long'] };
  if (v.includes('\uFFFD')) return { rules: ['caractere_invalide'] };
  const rules: string[] = [];
  if (v.includes('_')) {
    rules.push('contient_tiret_bas');
    v = v.replace(/_/g, ' ');
  }
  if (v.toUpperCase() === v) rules.push('casse_incorrecte');
  return { rules, value: v };
}

function readCoordinate(v: string): CellReading {
  if (FLOAT.test(v)) return { rules: [], value: Number.parseFloat(v) };
  if (FRENCH_FLOAT.test(v)) return { rules: ['separateur_decimal_invalide'], value: Number.parseFloat(v.replace(',', '.')) };
  return { rules: ['valeur_invalide'] };
}

function readIdBan(v: string): CellReading {
  return UUID_V4.test(v) ? { rules: [], value: v } : { rules: ['type_invalide'] };
}

const READERS: Record<string, (v: string, today: string) => CellReading> = {
  cle_interop(v) {
    const rules: string[] = [];
    if (v.toLowerCase() !== v) rules.push('casse_invalide');
    const parts = v.split('_');
    if (parts.length < 3 || parts.some((p) => p === '')) return { rules: [...rules, 'structure_invalide'] };
    const [, voie, numero] = parts;
    if (voie.length !== 4) rules.push('voie_invalide');
    else if (voie.toUpperCase() === 'XXXX' || voie === '0000') rules.push('voie_non_renseignee');
    if (!/^\d+$/.test(numero)) return { rules: [...rules, 'numero_invalide'] };
    if (numero.length !== 5) rules.push('numero_prefixe_manquant');
    return { rules, value: { numero: Number.parseInt(numero.replace(/^0+/, ''), 10) } };
  },
  uid_adresse(v) {
    const id = (tag: string) => v.match(new RegExp(`@${tag}:(\\S+)`, 'i'))?.[1] ?? null;
    const ids = { commune: id('c'), toponyme: id('v'), adresse: id('a') };
    if (Object.values(ids).some((x) => x !== null && !UUID_V4.test(x))) return { rules: ['type_invalide'] };
    return { rules: [], value: ids };
  },
  id_ban_commune: readIdBan,
  id_ban_toponyme: readIdBan,
  id_ban_adresse: readIdBan,
  voie_nom: readName,
  toponyme: readName,
  numero(v) {
    if (!/^\d+$/.test(v)) return { rules: ['type_invalide'] };
    const n = Number.parseInt(v, 10);
    if (n > 99999) return { rules: ['trop_grand'] };
    const rules: string[] = [];
    if (n === 0) rules.push('not_to_be_zero');
    if (v.startsWith('0') && n !== 0) rules.push('contient_prefixe');
    return { rules, value: n };
  },
  suffixe(v) {
    if (!/^[\da-z]/i.test(v)) return { rules: ['debut_invalide'] };
    if (v.length > 9) return { rules: ['trop_long'] };
    return { rules: SUFFIXE_CHARS.test(v) ? [] : ['caractere_invalide'], value: v };
  },
  position(v) {
    const canonical = POSITION_BY_FOLDED.get(foldPosition(v));
    if (canonical === undefined) return { rules: ['valeur_invalide'] };
    return { rules: canonical === v.normalize() ? [] : ['enum_fuzzy'], value: canonical };
  },
  x: readCoordinate,
  y: readCoordinate,
  long: readCoordinate,
  lat: readCoordinate,
  cad_parcelles(v) {
    const inner = v.replace(/^\|+|\|+$/g, '');
    const rules = inner === v ? [] : ['pipe_debut_fin'];
    if (inner === '' || inner.split('|').some((p) => p.length !== 14 && p.length !== 15)) return { rules: [...rules, 'valeur_invalide'] };
    return { rules, value: inner };
  },
  date_der_maj(raw, today) {
    // Socle rewrites a French date (31/12/2024) to ISO before publishing: judge the published value.
    const v = frDateToIso(raw) ?? raw;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
    if (!m || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return { rules: ['date_invalide'] };
    const rules = v < '2010-01-01' ? ['date_ancienne'] : [];
    if (v > today) return { rules: [...rules, 'date_future'] };
    return { rules, value: v };
  },
  certification_commune(v) {
    return v === '1' || v === '0' ? { rules: [], value: v === '1' } : { rules: ['valeur_invalide'] };
  },
};

/** Reads one cell as the reference does; `regional` cells are never `valeur_manquante`. */
function readCell(field: string, raw: Cell, today: string, regional = false): CellReading {
  const text = raw ?? '';
  const v = text.trim();
  const rules = v !== text ? ['espaces_debut_fin'] : [];
  if (v === '') {
    if (FIELDS[field]?.required && !regional) rules.push('valeur_manquante');
    return { rules };
  }
  const read = READERS[field]?.(v, today) ?? { rules: [], value: v };
  return { rules: [...rules, ...read.rules], value: read.value };
}

/**
 * The reference's rule ids for one cell of `field` (`['espaces_debut_fin', 'type_invalide']`),
 * except COG lookups and infos it never grades (`commune_nom` case).
 */
export function balCellRules(field: string, cell: Cell, options: { regional?: boolean; now?: Date } = {}): string[] {
  return readCell(field, cell, (options.now ?? new Date()).toISOString().slice(0, 10), options.regional).rules;
}

/** The rule id the level table knows for a cell rule (`voie_nom_@@.trop_court` for a language variant). */
const ruleId = (field: string, rule: string, regional: boolean): string => `${field}${regional ? '_@@' : ''}.${rule}`;

// ---------------------------------------------------------------------------------------

const ENGINE_CELL_CODES = new Set(['required', 'type-error', 'pattern', 'min-length', 'max-length', 'enum', 'minimum', 'maximum', 'unique']);

/**
 * Re-grades engine issues (bind() and validate()) the way the reference grades the same
 * finding in `index.profile`; code, row, column and message are kept. Other issues (the
 * reader's) pass through.
 */
export function gradeBalIssues(issues: readonly ValidationIssue[], index: BalHeaderIndex): ValidationIssue[] {
  return issues.map((issue) => {
    const severity = gradeOne(issue, index);
    return severity === issue.severity ? issue : { ...issue, severity };
  });
}

function gradeOne(issue: ValidationIssue, index: BalHeaderIndex): ValidationIssue['severity'] {
  const column = issue.column ?? '';
  if (issue.code === 'missing-column') return severityOf(balRuleLevel(`field.${column}.missing`, index.profile)) === 'error' ? 'error' : 'warning';
  if (issue.code === 'duplicate-column') return 'warning'; // the reference reads the first one, as we do
  if (!ENGINE_CELL_CODES.has(issue.code)) return issue.severity;
  // A column the reference does not read (an alias such as `cle_intero`) cannot make the file invalid.
  if (!index.columns.has(column)) return 'warning';
  const reading = issue.code === 'required' ? readCell(column, '', index.today) : readCell(column, issue.value ?? '', index.today);
  return reading.rules.some((rule) => balRuleLevel(ruleId(column, rule, false), index.profile) === 'E') ? 'error' : 'warning';
}

/** The delimiter, encoding and line break the reference requires (`;`, UTF-8, LF or CRLF). */
export function checkBalFile(file: { delimiter?: string; encoding?: string; linebreak?: string }, profile: BalProfile): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const add = (rule: string, code: string, message: string) => {
    const severity = severityOf(balRuleLevel(rule, profile));
    if (severity) out.push({ code, severity, message });
  };
  if (file.encoding !== undefined && file.encoding.toLowerCase() !== 'utf-8') {
    add('file.encoding.non_standard', 'bal-encoding', `Le fichier est encodé en ${file.encoding} : une BAL est en UTF-8.`);
  }
  if (file.delimiter !== undefined && file.delimiter !== ';') {
    add('file.delimiter.non_standard', 'bal-delimiter', `Le séparateur est « ${file.delimiter} » : une BAL sépare ses colonnes par « ; ».`);
  }
  if (file.linebreak !== undefined && file.linebreak !== '\n' && file.linebreak !== '\r\n') {
    add('file.linebreak.non_standard', 'bal-linebreak', 'Les fins de ligne doivent être de type Unix (LF) ou Windows (CRLF).');
  }
  return out;
}

/**
 * Columns the reference misses, at its level, except those the engine already reported
 * (`missing-column`, graded by gradeBalIssues). Reported once, on the header (line 1).
 */
export function checkBalHeader(index: BalHeaderIndex, engineIssues: readonly ValidationIssue[] = []): ValidationIssue[] {
  const reported = new Set(engineIssues.filter((i) => i.code === 'missing-column').map((i) => i.column));
  const out: ValidationIssue[] = [];
  for (const [field, spec] of Object.entries(FIELDS)) {
    if (index.columns.has(field) || reported.has(field) || !spec.formats.includes(index.profile)) continue;
    const severity = severityOf(balRuleLevel(`field.${field}.missing`, index.profile));
    if (severity) {
      out.push({
        code: 'bal-column-missing',
        severity,
        row: 1,
        column: field,
        message: `La colonne « ${field} » est absente (le nom doit être exactement celui-ci).`,
      });
    }
  }
  return out;
}

export interface BalBanIds {
  commune: string | null;
  toponyme: string | null;
  adresse: string | null;
  /** The parsed `numero` (99999: a toponyme, which needs no address id). */
  numero: number | null;
}

/** The BAN ids of a record as the reference takes them: valid `id_ban_*` cells, else `uid_adresse`. */
export function balBanIds(cells: readonly Cell[], index: BalHeaderIndex): BalBanIds {
  const read = (field: string): CellReading => {
    const at = index.columns.get(field);
    return at === undefined ? { rules: [] } : readCell(field, cells[at] ?? null, index.today);
  };
  const uid = read('uid_adresse').value as { commune: string | null; toponyme: string | null; adresse: string | null } | undefined;
  const id = (name: 'commune' | 'toponyme' | 'adresse') => (read(`id_ban_${name}`).value as string | undefined) || uid?.[name] || null;
  const numero = read('numero').value as number | undefined;
  return { commune: id('commune'), toponyme: id('toponyme'), adresse: id('adresse'), numero: numero ?? null };
}

const TOPONYME_SANS_ADRESSE = 99999;

/**
 * The reference's findings on one record (line `row`, header = 1) that the engine does not
 * make. `engineIssues`: the engine's issues for this record; a column they name is not
 * reported again (except for surrounding spaces, which the engine trims silently).
 */
export function checkBalRow(cells: readonly Cell[], index: BalHeaderIndex, row: number, engineIssues: readonly ValidationIssue[] = []): ValidationIssue[] {
  const { profile, today } = index;
  const reported = new Set(engineIssues.filter((i) => ENGINE_CELL_CODES.has(i.code)).map((i) => i.column));
  const out: ValidationIssue[] = [];
  /** `shown` fills the message; a cell rule also reports it as the issue's value. */
  const push = (rule: string, column: string, shown: string, cellRule = false) => {
    const severity = severityOf(balRuleLevel(rule, profile));
    if (severity === null) return;
    const { code, message } = ruleText(rule, column, shown);
    out.push({ code, severity, row, column, message, ...(cellRule && shown !== '' ? { value: shown } : {}) });
  };

  const parsed: Record<string, unknown> = {};
  const raw = (field: string): string => {
    const at = index.columns.get(field);
    return at === undefined ? '' : (cells[at] ?? '');
  };
  for (const [field, at] of index.columns) {
    const cell = cells[at] ?? null;
    const reading = readCell(field, cell, today);
    parsed[field] = reading.value;
    for (const rule of reading.rules) {
      if (rule === 'espaces_debut_fin' || !reported.has(field)) push(ruleId(field, rule, false), field, cell ?? '', true);
    }
  }
  for (const { name, field, at } of index.regional) {
    const cell = cells[at] ?? null;
    for (const rule of readCell(field, cell, today, true).rules) push(ruleId(field, rule, true), name, cell ?? '', true);
  }

  const numero = parsed.numero as number | undefined;
  const cle = parsed.cle_interop as { numero: number } | undefined;
  if (cle && numero && cle.numero !== numero) push('row.incoherence_numero', 'cle_interop', String(numero));
  if (!cle && !parsed.commune_insee) push('row.commune_manquante', 'commune_insee', '');
  const address = numero !== undefined && numero !== TOPONYME_SANS_ADRESSE;
  if (address && !raw('position')) push('row.position_manquante', 'position', '');
  if (address && (!raw('long') || !raw('lat'))) push('row.longlat_vides', 'long', '');
  else {
    const territory = frenchTerritory(parsed.long as number | undefined, parsed.lat as number | undefined);
    if (territory === null) {
      if (numero !== TOPONYME_SANS_ADRESSE) push('row.longlat_invalides', 'long', '');
    } else if (territory === 'metropole' && typeof parsed.x === 'number' && typeof parsed.y === 'number') {
      const [x, y] = lambert93(parsed.long as number, parsed.lat as number);
      const distance = Math.hypot(parsed.x - x, parsed.y - y);
      if (distance > 10) push('row.longlat_xy_incoherents', 'x', String(Math.round(distance)));
    }
  }
  if (numero === undefined || !(parsed.voie_nom || parsed.toponyme)) push('row.adresse_incomplete', index.columns.has('toponyme') ? 'toponyme' : 'voie_nom', '');

  const ids = balBanIds(cells, index);
  if (ids.commune || ids.toponyme || ids.adresse) {
    const missing = [
      ids.commune ? null : 'id_ban_commune',
      ids.toponyme ? null : 'id_ban_toponyme',
      ids.adresse || ids.numero === TOPONYME_SANS_ADRESSE ? null : 'id_ban_adresse',
    ].filter((c): c is string => c !== null);
    if (missing.length > 0) push('row.lack_of_id_ban', missing[0], missing.join(', '));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Where a WGS 84 point is: the reference projects it with the legal projection of the
// French territory whose box holds it (@etalab/project-legal); outside them it is invalid.

const TERRITORIES: readonly [name: string, minLon: number, minLat: number, maxLon: number, maxLat: number][] = [
  ['metropole', -9.86, 41.15, 10.38, 51.56],
  ['antilles', -63.66, 14.08, -57.52, 18.54],
  ['guyane', -54.6, 2.11, -49.46, 8.88],
  ['reunion', 51.83, -24.72, 58.24, -18.28],
  ['mayotte', 43.68, -14.49, 46.7, -11.33],
  ['saint-pierre-et-miquelon', -57.1, 43.41, -55.9, 47.37],
  ['nouvelle-caledonie', 163.55, -22.75, 168.2, -19.54],
  ['polynesie-5s', -155, -24, -150, -9],
  ['polynesie-6s', -150, -29, -144, -13],
  ['polynesie-7s', -144, -29, -138, -7],
  ['polynesie-8s', -138, -25, -132, -18],
  ['wallis', -177, -14, -176, -13],
];

function frenchTerritory(long: number | undefined, lat: number | undefined): string | null {
  if (long === undefined || lat === undefined) return null;
  const hit = TERRITORIES.find(([, x0, y0, x1, y1]) => long >= x0 && long <= x1 && lat >= y0 && lat <= y1);
  return hit ? hit[0] : null;
}

/** RGF93 / Lambert-93 (EPSG:2154): conformal conic on GRS80, standard parallels 44° and 49°. */
const L93 = (() => {
  const a = 6378137;
  const f = 1 / 298.257222101;
  const e = Math.sqrt(2 * f - f * f);
  const rad = Math.PI / 180;
  const m = (phi: number) => Math.cos(phi) / Math.sqrt(1 - (e * Math.sin(phi)) ** 2);
  const t = (phi: number) => Math.tan(Math.PI / 4 - phi / 2) / ((1 - e * Math.sin(phi)) / (1 + e * Math.sin(phi))) ** (e / 2);
  const [p1, p2, p0] = [49 * rad, 44 * rad, 46.5 * rad];
  const n = (Math.log(m(p1)) - Math.log(m(p2))) / (Math.log(t(p1)) - Math.log(t(p2)));
  const F = m(p1) / (n * t(p1) ** n);
  return { a, n, F, t, rad, rho0: a * F * t(p0) ** n };
})();

function lambert93(long: number, lat: number): [number, number] {
  const { a, n, F, t, rad, rho0 } = L93;
  const rho = a * F * t(lat * rad) ** n;
  const theta = n * (long - 3) * rad;
  return [700000 + rho * Math.sin(theta), 6600000 + rho0 - rho * Math.cos(theta)];
}
