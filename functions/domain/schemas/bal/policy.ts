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
 *   issues.push(...gradeBalHeaderIssues(bound.issues, index), ...checkBalHeader(index, bound.issues, headings));
 *   const rows = createBalRowsCheck(index);               // ./checks.ts, constant memory
 *   for each record:
 *     const { issues: found } = bound.validator.validate(cells, line);
 *     issues.push(...gradeBalIssues(found, index), ...rows.check(cells, line, found)); // checkBalRow + rows.add
 *   issues.push(...rows.finish());
 *
 * - Profiles: the reference picks 1.5 when the header has the three `id_ban_*` columns and
 *   `toponyme`, 1.4 with the three ids only, else 1.3 (`balProfileFor`), on the exact
 *   headings. A file is judged in that profile, read on the headings as published (in other
 *   letter case too: checkBalHeader refuses the file when the reference would pick another).
 *   A 1.3 file's `uid_adresse` is not published: its ids, filled line by line into the
 *   `id_ban_*` columns, would make a 1.4 file the reference could refuse. Each profile
 *   classes every rule as error, warning or info (`BAL_RULE_LEVELS`); infos are not reported.
 * - Columns count for the reference only under their exact name (`cle_intero` is not
 *   `cle_interop`: checkBalHeader names the column to rename). A heading in other letter
 *   case (`Voie_Nom`) is one header issue, and so is each column read under another name
 *   (an alias, spaces around it: `renamed`); their cells are judged as if renamed, as they
 *   are published under the name, so that the published file is one the reference accepts
 *   (a value it would refuse there is refused here, where the reference, ignoring the
 *   column, may accept the file as sent). A `Uid_adresse` gives no ids. Language variants
 *   (`voie_nom_bre`) are BAL columns: checked as such, and published (RowPipeline).
 * - On purpose, unlike the reference: a `date_der_maj` written the French way (`15/11/2023`)
 *   or with a midnight time is judged and published as its ISO day (the reference refuses it
 *   as `date_invalide`): every date of every schema is read so, and the published file holds
 *   the ISO day the reference accepts.
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
import { frBoolean, frDateToIso } from '../../schema/normalize-fr';
import { frenchList } from '../../french-list';
import { frenchCount } from '../../standardize/report';
import { frenchTerritory } from '../../schema/french-territories';
import { NOT_UUID, uuidKind } from '../../schema/uuid';
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
  /**
   * Reference field name → column position (the first one wins): its exact name, else the
   * name in other letter case (`Voie_Nom`, listed in `miscased`), judged as if renamed.
   */
  readonly columns: ReadonlyMap<string, number>;
  /**
   * Language variants (`voie_nom_oci`), in file order: name (lower case), base field,
   * position. They are BAL columns: checked, and published after the schema's columns.
   */
  readonly regional: readonly { name: string; field: string; at: number }[];
  /**
   * Columns that name a reference column in other letter case (`Cle_Interop`): the reference
   * does not read them. A `Uid_adresse` is listed but not in `columns`: its ids are not read,
   * as the reference does not read them (they would decide which lines have BAN ids).
   */
  readonly miscased: readonly { heading: string; name: string; at: number }[];
  /**
   * Columns the standardization reads under another name than the reference's (an alias
   * `cle_intero`, a title `Numéro`, spaces around ` suffixe`; `read` option): the reference
   * does not read them, and they are published under the name: in `columns`, judged as if renamed.
   */
  readonly renamed: readonly { heading: string; name: string; at: number }[];
  /** "Now", for `date_der_maj` in the future. */
  readonly today: string;
}

const headerName = (cell: Cell, i: number): string => (i === 0 ? (cell ?? '').replace(/^\uFEFF/, '') : (cell ?? ''));

/** The reference's profile choice: 1.5 with the three BAN id columns and `toponyme`, 1.4 with the ids, else 1.3. */
export function balProfileFor(header: readonly Cell[]): BalProfile {
  return profileOf(new Set(header.map(headerName)));
}

function profileOf(names: ReadonlySet<string>): BalProfile {
  const ids = names.has('id_ban_commune') && names.has('id_ban_toponyme') && names.has('id_ban_adresse');
  if (!ids) return '1.3';
  return names.has('toponyme') ? '1.5' : '1.4';
}

export function balHeaderIndex(
  header: readonly Cell[],
  options: { profile?: BalProfile; now?: Date; read?: ReadonlyMap<string, number> } = {},
): BalHeaderIndex {
  const names = header.map(headerName);
  const columns = new Map<string, number>();
  const miscased: { heading: string; name: string; at: number }[] = [];
  names.forEach((name, at) => {
    if (Object.hasOwn(FIELDS, name) && !columns.has(name)) columns.set(name, at);
  });
  const lower = names.map((name) => name.toLowerCase());
  const renamed: { heading: string; name: string; at: number }[] = [];
  // A field the standardization reads from a column not named exactly: that column, whatever
  // else names it (its checks must judge the cells it publishes): in other letter case
  // (`miscased`), or under another name (`renamed`).
  for (const [name, at] of options.read ?? []) {
    if (!Object.hasOwn(FIELDS, name) || columns.has(name)) continue;
    columns.set(name, at);
    (lower[at] === name ? miscased : renamed).push({ heading: names[at], name, at });
  }
  lower.forEach((name, at) => {
    if (name !== names[at] && Object.hasOwn(FIELDS, name) && !columns.has(name) && !miscased.some((m) => m.name === name)) {
      if (name !== 'uid_adresse') columns.set(name, at);
      miscased.push({ heading: names[at], name, at });
    }
  });
  const taken = new Set([...columns.values(), ...miscased.map((m) => m.at)]);
  renamed.sort((a, b) => a.at - b.at);
  const regional: { name: string; field: string; at: number }[] = [];
  for (const [field, spec] of Object.entries(FIELDS)) {
    if (!spec.regional || !columns.has(field)) continue;
    for (const lang of REGIONAL_LANGS) {
      const name = `${field}_${lang}`;
      let at = names.indexOf(name);
      if (at < 0) at = lower.findIndex((l, i) => l === name && !taken.has(i));
      if (at < 0 || taken.has(at)) continue;
      taken.add(at);
      regional.push({ name, field, at });
      if (names[at] !== name) miscased.push({ heading: names[at], name, at });
    }
  }
  regional.sort((a, b) => a.at - b.at);
  miscased.sort((a, b) => a.at - b.at);
  return {
    // The profile of the file as published: a heading in other letter case (`Toponyme`) is
    // published under its name (bal-column-case says to rename it, refusing the file when the
    // reference would then judge it otherwise).
    profile: options.profile ?? profileOf(new Set(columns.keys())),
    columns,
    regional,
    miscased,
    renamed,
    today: (options.now ?? new Date()).toISOString().slice(0, 10),
  };
}

// ---------------------------------------------------------------------------------------
// Messages: one stable code and one French message per reference rule.

type Message = (column: string, value: string) => string;
/** `8 m`, `1 240 m`, `6 892 km`: a distance as a French reader takes it in. */
const distanceText = (m: number): string => (Number.isFinite(m) && m >= 10_000 ? `${frenchCount(Math.round(m / 1000))} km` : `${frenchCount(Math.round(m))} m`);

const RULES: Record<string, { code: string; message: Message }> = {
  valeur_manquante: { code: 'bal-missing-value', message: (c) => `La colonne « ${c} » doit être renseignée.` },
  espaces_debut_fin: { code: 'bal-surrounding-spaces', message: (c, v) => `La valeur « ${v} » de « ${c} » commence ou finit par des espaces.` },
  trop_court: { code: 'bal-name-too-short', message: (c, v) => `Le nom « ${v} » (${c}) est trop court : 3 caractères au moins.` },
  trop_long: { code: 'bal-too-long', message: (c, v) => `La valeur « ${v} » de « ${c} » est trop longue (${c === 'suffixe' ? 9 : 200} caractères au plus).` },
  caractere_invalide: { code: 'bal-invalid-character', message: (c, v) => `La valeur « ${v} » de « ${c} » contient un caractère invalide.` },
  casse_incorrecte: { code: 'bal-name-case', message: (c, v) => `Le nom « ${v} » (${c}) est tout en majuscules ou tout en minuscules.` },
  contient_tiret_bas: { code: 'bal-name-underscore', message: (c, v) => `Le nom « ${v} » (${c}) contient un tiret bas « _ » au lieu d’une espace.` },
  'cle_interop.casse_invalide': { code: 'bal-cle-interop-case', message: (_c, v) => `La clé d’interopérabilité « ${v} » doit être écrite en minuscules.` },
  'cle_interop.structure_invalide': {
    code: 'bal-cle-interop-structure',
    message: (_c, v) => `La clé d’interopérabilité « ${v} » n’a pas la forme insee_voie_numero[_suffixe].`,
  },
  'cle_interop.numero_invalide': { code: 'bal-cle-interop-numero', message: (_c, v) => `Le numéro de la clé d’interopérabilité « ${v} » n’est pas un nombre.` },
  'cle_interop.numero_prefixe_manquant': {
    code: 'bal-cle-interop-numero-padding',
    message: (_c, v) => `Le numéro de la clé d’interopérabilité « ${v} » doit compter 5 chiffres (zéros en tête).`,
  },
  'cle_interop.voie_invalide': { code: 'bal-cle-interop-voie', message: (_c, v) => `Le code de voie de la clé d’interopérabilité « ${v} » doit compter 4 caractères.` },
  type_invalide: { code: 'bal-id-ban-invalid', message: (c, v) => `La valeur « ${v} » de « ${c} » n’est pas un identifiant BAN (UUID version 4).` },
  'uid_adresse.type_invalide': {
    code: 'bal-id-ban-invalid',
    message: (_c, v) => `La valeur « ${v} » de « uid_adresse » ne porte pas des identifiants BAN valides : @c: (commune), @v: (voie ou toponyme) et @a: (adresse) sont chacun suivis d’un UUID version 4.`,
  },
  'numero.type_invalide': { code: 'bal-numero-not-integer', message: (_c, v) => `Le numéro « ${v} » doit être un nombre entier positif, sans autre caractère.` },
  'numero.trop_grand': { code: 'bal-numero-too-large', message: (_c, v) => `Le numéro « ${v} » dépasse 99999.` },
  'numero.not_to_be_zero': { code: 'bal-numero-zero', message: () => 'Le numéro ne doit pas être 0.' },
  'numero.contient_prefixe': { code: 'bal-numero-leading-zero', message: (_c, v) => `Le numéro « ${v} » ne doit pas commencer par un zéro.` },
  'suffixe.debut_invalide': { code: 'bal-suffixe-start', message: (_c, v) => `Le suffixe « ${v} » doit commencer par une lettre ou un chiffre.` },
  'suffixe.caractere_invalide': { code: 'bal-suffixe-character', message: (_c, v) => `Le suffixe « ${v} » ne doit contenir que des lettres, des chiffres et des espaces.` },
  separateur_decimal_invalide: {
    code: 'bal-decimal-comma',
    message: (c, v) =>
      `La coordonnée « ${v} » (${c}) doit utiliser le point comme séparateur décimal (${v.replace(',', '.')}). Un tableur réglé en français écrit la virgule dans ses exports CSV : déposez plutôt le classeur lui-même (.xlsx ou .ods), les coordonnées saisies comme des nombres (Socle les écrit alors avec un point), ou remplacez les virgules par des points.`,
  },
  valeur_invalide: { code: 'bal-invalid-value', message: (c, v) => `La valeur « ${v} » de « ${c} » n’est pas valide.` },
  // A spreadsheet's VRAI/FAUX cell reaches the file as true/false: the schema reads it, the BAL writes 1/0.
  'certification_commune.valeur_invalide': {
    code: 'bal-invalid-value',
    message: (c, v) => {
      const yes = frBoolean(v.trim());
      const published = yes === null ? '' : ` ; « ${v} » (VRAI ou FAUX dans un tableur) est publié comme ${yes ? 1 : 0}`;
      return `La valeur « ${v} » de « ${c} » n’est pas valide : écrivez 1 si la commune certifie l’adresse, 0 sinon${published}.`;
    },
  },
  'position.enum_fuzzy': {
    code: 'bal-position-spelling',
    message: (_c, v) => {
      const canonical = canonicalPosition(v.trim());
      return `Le type de position « ${v} » est mal orthographié${canonical ? ` : il est publié comme « ${canonical} »` : ''}.`;
    },
  },
  'cad_parcelles.pipe_debut_fin': { code: 'bal-cad-parcelles-pipe', message: (_c, v) => `La liste de parcelles « ${v} » commence ou finit par « | ».` },
  'date_der_maj.date_invalide': { code: 'bal-date-invalid', message: (_c, v) => `La date « ${v} » doit être au format AAAA-MM-JJ.` },
  'date_der_maj.date_ancienne': { code: 'bal-date-old', message: (_c, v) => `La date de mise à jour « ${v} » est antérieure à 2010.` },
  'date_der_maj.date_future': { code: 'bal-date-future', message: (_c, v) => `La date de mise à jour « ${v} » est dans le futur.` },
  'row.incoherence_numero': {
    code: 'bal-cle-interop-numero-mismatch',
    message: (_c, v) => `Le numéro de la clé d’interopérabilité ne correspond pas au numéro ${v}.`,
  },
  'row.commune_manquante': { code: 'bal-commune-missing', message: () => 'Ni la clé d’interopérabilité ni commune_insee ne donnent la commune.' },
  'row.adresse_incomplete': { code: 'bal-address-incomplete', message: () => 'Adresse incomplète : il faut un numéro valide et un nom de voie ou de toponyme valide.' },
  'row.longlat_vides': { code: 'bal-longlat-missing', message: () => 'Une adresse (numéro autre que 99999) doit avoir une longitude et une latitude.' },
  'row.longlat_invalides': { code: 'bal-longlat-outside-france', message: () => 'La longitude et la latitude ne désignent pas un point en France.' },
  'row.longlat_xy_incoherents': { code: 'bal-longlat-xy-mismatch', message: (_c, v) => `Les coordonnées x/y et long/lat désignent des points distants de ${distanceText(Number(v))} (10 m au plus) : l’une des deux paires est fausse.` },
  'row.position_manquante': { code: 'bal-position-missing', message: () => 'Une adresse (numéro autre que 99999) doit avoir un type de position.' },
  'row.lack_of_id_ban': {
    code: 'bal-ban-ids-incomplete',
    message: (_c, v) => `Identifiants BAN incomplets : ${v} ${String(v).includes(',') ? 'manquants ou invalides' : 'manquant ou invalide'} alors que la ligne en porte d’autres.`,
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
// Cell rules, as the reference reads each column (trimmed). Rules are ids without the
// column (`type_invalide`). Every cell of every record comes through here, so a cell with
// no finding allocates nothing: a reader returns NO_RULES and leaves the value the row rules
// use in `read.value` (undefined: unusable); lists of rules are built for findings only.

type Rules = readonly string[];
const NO_RULES: Rules = Object.freeze([]);
const MISSING: Rules = Object.freeze(['valeur_manquante']);

interface CellRead {
  value: unknown;
}
type Reader = (v: string, today: string, read: CellRead) => Rules;

/** Readers run one at a time and to completion, so they share one place to put a value. */
const scratch: CellRead = { value: undefined };

const FIELD_NAMES = Object.keys(FIELDS);
const FIELD_IDS = new Map(FIELD_NAMES.map((name, id) => [name, id]));
/** Field id (position in FIELDS) of a reference column name; -1 for any other name. */
const fieldId = (name: string): number => FIELD_IDS.get(name) ?? -1;
const REQUIRED = FIELD_NAMES.map((name) => FIELDS[name].required === true);
const [CLE_INTEROP, UID_ADRESSE, ID_BAN_COMMUNE, ID_BAN_TOPONYME, ID_BAN_ADRESSE, VOIE_NOM, TOPONYME, NUMERO, COMMUNE_INSEE, POSITION, X, Y, LONG, LAT] = [
  'cle_interop',
  'uid_adresse',
  'id_ban_commune',
  'id_ban_toponyme',
  'id_ban_adresse',
  'voie_nom',
  'toponyme',
  'numero',
  'commune_insee',
  'position',
  'x',
  'y',
  'long',
  'lat',
].map(fieldId);

/** The reference's `/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i`. */
const isUuidV4 = (v: string): boolean => uuidKind(v, true) !== NOT_UUID;

// Hand-written equivalents of short regexes of the reference (ASCII classes, no `u` flag).
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAsciiAlnum = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** `/^\d+$/` on v[from, to). */
function allDigits(v: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (!isDigit(v.charCodeAt(i))) return false;
  return true;
}

/** `Number.parseInt(v.slice(from, to), 10)` for ASCII digits, exact below 2^53 without the slice. */
function digitsValue(v: string, from: number, to: number): number {
  if (to - from > 15) return Number.parseInt(v.slice(from, to), 10);
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (v.charCodeAt(i) - 48);
  return n;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * A coordinate in the reference's number syntax, `sep` being `.` or `,`:
 * `-?(?:(?:0|[1-9]\d*)(?:SEP\d+)?|0\d)`, no leading zero except `0d` (sic), optional
 * decimals; NaN when the text does not match. The value is `parseFloat`'s (with `.` for `,`):
 * up to 15 digits and 22 decimals, an exact integer divided by an exact power of ten rounds
 * as parseFloat does; longer numbers go to parseFloat.
 */
function referenceNumber(v: string, sep: number): number {
  const n = v.length;
  let i = v.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= n) return Number.NaN;
  const start = i;
  const first = v.charCodeAt(i++);
  let m = first - 48;
  if (first === 48) {
    const c = v.charCodeAt(i);
    if (i < n && isDigit(c)) return i + 1 === n ? signed(v, c - 48) : Number.NaN;
  } else if (first >= 49 && first <= 57) {
    for (let c = v.charCodeAt(i); i < n && isDigit(c); c = v.charCodeAt(++i)) m = m * 10 + (c - 48);
  } else return Number.NaN;
  let decimals = 0;
  if (i < n) {
    if (v.charCodeAt(i++) !== sep || i === n) return Number.NaN;
    for (; i < n; i++) {
      const c = v.charCodeAt(i);
      if (!isDigit(c)) return Number.NaN;
      m = m * 10 + (c - 48);
      decimals++;
    }
  }
  if (n - start - (decimals > 0 ? 1 : 0) > 15 || decimals > 22) return Number.parseFloat(sep === 46 ? v : v.replace(',', '.'));
  return signed(v, decimals > 0 ? m / POWERS_OF_TEN[decimals] : m);
}
const signed = (v: string, x: number): number => (v.charCodeAt(0) === 45 ? -x : x);

/**
 * `v.toUpperCase() === v`. No case mapping makes a string shorter, so one ASCII lower-case
 * letter settles it; only non-ASCII text without one pays for the converted copy.
 */
function isUpperCase(v: string): boolean {
  let ascii = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c > 127) ascii = false;
  }
  return ascii || v.toUpperCase() === v;
}

const SUFFIXE_CHARS = /^[a-zA-ZàáâãäåæçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ0-9\s]+$/u;
const UID_COMMUNE = /@c:(\S+)/i;
const UID_TOPONYME = /@v:(\S+)/i;
const UID_ADRESSE_ID = /@a:(\S+)/i;
const POSITIONS = ['entrée', 'bâtiment', 'cage d’escalier', 'logement', 'service technique', 'délivrance postale', 'parcelle', 'segment'];
const foldPosition = (v: string): string =>
  v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\W+/g, ' ')
    .trim()
    .toLowerCase();
const POSITION_BY_FOLDED = new Map(POSITIONS.map((p) => [foldPosition(p), p.normalize()]));
/** The canonical spellings, which fold to themselves: most cells, read without folding. */
const POSITION_CANONICAL = new Set(POSITION_BY_FOLDED.values());
/** Other spellings seen lately (a file tends to repeat its own), bounded. */
const positionSpellings = new Map<string, string | undefined>();

function canonicalPosition(v: string): string | undefined {
  if (positionSpellings.has(v)) return positionSpellings.get(v);
  const canonical = POSITION_BY_FOLDED.get(foldPosition(v));
  if (positionSpellings.size >= 256) positionSpellings.clear();
  positionSpellings.set(v, canonical);
  return canonical;
}

/**
 * A text matching `/^\d{4}-\d{2}-\d{2}$/` as the number YYYYMMDD (which compares as the
 * text does), else -1.
 */
function isoDay(v: string): number {
  if (v.length !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return -1;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = v.charCodeAt(i);
    if (!isDigit(c)) return -1;
    day = day * 10 + (c - 48);
  }
  return day;
}

/** isoDay(today), kept: every cell of a file is judged against the same `today`. */
let lastToday = { text: '', day: -1 };
function todayDay(today: string): number {
  if (today !== lastToday.text) lastToday = { text: today, day: isoDay(today) };
  return lastToday.day;
}

/** Days in a month as `Date.UTC` counts them (it reads years 0–99 as 1900–1999). */
function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const y = year >= 0 && year <= 99 ? 1900 + year : year;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

function readName(v: string, _today: string, read: CellRead): Rules {
  if (v.length < 3) return ['trop_court'];
  if (v.length > 200) return ['trop_long'];
  if (v.includes('\uFFFD')) return ['caractere_invalide'];
  let rules = NO_RULES;
  if (v.includes('_')) {
    rules = ['contient_tiret_bas'];
    v = v.replaceAll('_', ' ');
  }
  if (isUpperCase(v)) rules = [...rules, 'casse_incorrecte'];
  read.value = v;
  return rules;
}

function readCoordinate(v: string, _today: string, read: CellRead): Rules {
  const x = referenceNumber(v, 46);
  if (!Number.isNaN(x)) {
    read.value = x;
    return NO_RULES;
  }
  const y = referenceNumber(v, 44);
  if (!Number.isNaN(y)) {
    read.value = y;
    return ['separateur_decimal_invalide'];
  }
  return ['valeur_invalide'];
}

function readIdBan(v: string, _today: string, read: CellRead): Rules {
  if (!isUuidV4(v)) return ['type_invalide'];
  read.value = v;
  return NO_RULES;
}

const READER_BY_FIELD: Record<string, Reader> = {
  cle_interop(v, _today, read) {
    // One pass for the case and the parts, insee_voie_numero[_suffixe]: three at least, none empty.
    let upper = false;
    let ascii = true;
    let empty = false;
    let first = -1;
    let second = -1;
    let third = -1;
    let previous = 95; // as if after an underscore: a leading one makes an empty part
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c === 95) {
        if (previous === 95) empty = true;
        if (first < 0) first = i;
        else if (second < 0) second = i;
        else if (third < 0) third = i;
      } else if (c >= 65 && c <= 90) upper = true;
      else if (c > 127) ascii = false;
      previous = c;
    }
    let rules = upper || (!ascii && v.toLowerCase() !== v) ? ['casse_invalide'] : NO_RULES;
    if (second < 0 || empty || previous === 95) return [...rules, 'structure_invalide'];
    if (second - first - 1 !== 4) rules = [...rules, 'voie_invalide'];
    else if (isVoieNonRenseignee(v, first + 1)) rules = [...rules, 'voie_non_renseignee'];
    const end = third < 0 ? v.length : third;
    if (!allDigits(v, second + 1, end)) return [...rules, 'numero_invalide'];
    if (end - second - 1 !== 5) rules = [...rules, 'numero_prefixe_manquant'];
    read.value = cleNumero(v, second + 1, end);
    return rules;
  },
  uid_adresse(v, _today, read) {
    const commune = UID_COMMUNE.exec(v)?.[1] ?? null;
    const toponyme = UID_TOPONYME.exec(v)?.[1] ?? null;
    const adresse = UID_ADRESSE_ID.exec(v)?.[1] ?? null;
    if ((commune !== null && !isUuidV4(commune)) || (toponyme !== null && !isUuidV4(toponyme)) || (adresse !== null && !isUuidV4(adresse))) return ['type_invalide'];
    read.value = { commune, toponyme, adresse } satisfies UidIds;
    return NO_RULES;
  },
  id_ban_commune: readIdBan,
  id_ban_toponyme: readIdBan,
  id_ban_adresse: readIdBan,
  voie_nom: readName,
  toponyme: readName,
  numero(v, _today, read) {
    if (!allDigits(v, 0, v.length)) return ['type_invalide'];
    const n = digitsValue(v, 0, v.length);
    if (n > 99999) return ['trop_grand'];
    read.value = n;
    if (n === 0) return ['not_to_be_zero'];
    return v.charCodeAt(0) === 48 ? ['contient_prefixe'] : NO_RULES;
  },
  suffixe(v, _today, read) {
    if (!isAsciiAlnum(v.charCodeAt(0))) return ['debut_invalide'];
    if (v.length > 9) return ['trop_long'];
    read.value = v;
    return SUFFIXE_CHARS.test(v) ? NO_RULES : ['caractere_invalide'];
  },
  position(v, _today, read) {
    if (POSITION_CANONICAL.has(v)) {
      read.value = v;
      return NO_RULES;
    }
    const canonical = canonicalPosition(v);
    if (canonical === undefined) return ['valeur_invalide'];
    read.value = canonical;
    return canonical === v.normalize() ? NO_RULES : ['enum_fuzzy'];
  },
  x: readCoordinate,
  y: readCoordinate,
  long: readCoordinate,
  lat: readCoordinate,
  cad_parcelles(v, _today, read) {
    let from = 0;
    let to = v.length;
    while (from < to && v.charCodeAt(from) === 124) from++;
    while (to > from && v.charCodeAt(to - 1) === 124) to--;
    const rules = from === 0 && to === v.length ? NO_RULES : ['pipe_debut_fin'];
    // Each parcel: 14 or 15 characters.
    for (let start = from; ; ) {
      const bar = v.indexOf('|', start);
      const end = bar < 0 || bar > to ? to : bar;
      if (end - start !== 14 && end - start !== 15) return [...rules, 'valeur_invalide'];
      if (end === to) break;
      start = end + 1;
    }
    read.value = rules === NO_RULES ? v : v.slice(from, to);
    return rules;
  },
  date_der_maj(raw, today, read) {
    // Socle rewrites a French date (31/12/2024) to ISO before publishing: judge the published value.
    let v = raw;
    let day = isoDay(v);
    if (day < 0) {
      v = frDateToIso(raw) ?? raw;
      day = isoDay(v);
      if (day < 0) return ['date_invalide'];
    }
    const mo = Math.floor(day / 100) % 100;
    const d = day % 100;
    if (mo < 1 || mo > 12 || d < 1 || d > daysIn(Math.floor(day / 10000), mo)) return ['date_invalide'];
    const rules = day < 20100101 ? ['date_ancienne'] : NO_RULES;
    const until = todayDay(today);
    if (until < 0 ? v > today : day > until) return [...rules, 'date_future'];
    read.value = v;
    return rules;
  },
  certification_commune(v, _today, read) {
    if (v !== '1' && v !== '0') return ['valeur_invalide'];
    read.value = v === '1';
    return NO_RULES;
  },
};
const READERS: (Reader | undefined)[] = FIELD_NAMES.map((name) => READER_BY_FIELD[name]);

/** `voie.toUpperCase() === 'XXXX' || voie === '0000'` for the 4 characters at `at`. */
function isVoieNonRenseignee(v: string, at: number): boolean {
  let x = true;
  let zero = true;
  for (let i = at; i < at + 4; i++) {
    const c = v.charCodeAt(i);
    x &&= c === 120 || c === 88;
    zero &&= c === 48;
  }
  return x || zero;
}

/** The numero of a `cle_interop`, as the reference reads it: `parseInt` without the leading zeros (so NaN for 00000). */
function cleNumero(v: string, from: number, to: number): number {
  let start = from;
  while (start < to && v.charCodeAt(start) === 48) start++;
  return start === to ? Number.NaN : digitsValue(v, start, to);
}

/** False when both ends are printable ASCII, which trim() never removes: most cells. */
function needsTrim(text: string): boolean {
  if (text.length === 0) return false;
  const a = text.charCodeAt(0);
  const z = text.charCodeAt(text.length - 1);
  return a <= 32 || a >= 127 || z <= 32 || z >= 127;
}

/**
 * Reads one cell of field `id` (-1: a column the reference has no rule for) as the reference
 * does; `regional` cells are never `valeur_manquante`. The value goes to `read.value`.
 * The rules returned may be shared: never modify them.
 */
function readCell(id: number, raw: Cell | undefined, today: string, regional: boolean, read: CellRead): Rules {
  read.value = undefined;
  const text = raw ?? '';
  const v = needsTrim(text) ? text.trim() : text;
  const spaces = v.length !== text.length;
  if (v === '') {
    const missing = id >= 0 && REQUIRED[id] && !regional;
    if (spaces) return missing ? ['espaces_debut_fin', 'valeur_manquante'] : ['espaces_debut_fin'];
    return missing ? MISSING : NO_RULES;
  }
  const reader = id >= 0 ? READERS[id] : undefined;
  let rules = NO_RULES;
  if (reader === undefined) read.value = v;
  else rules = reader(v, today, read);
  return spaces ? ['espaces_debut_fin', ...rules] : rules;
}

/**
 * The reference's rule ids for one cell of `field` (`['espaces_debut_fin', 'type_invalide']`),
 * except COG lookups and infos it never grades (`commune_nom` case).
 */
export function balCellRules(field: string, cell: Cell, options: { regional?: boolean; now?: Date } = {}): string[] {
  return [...readCell(fieldId(field), cell, (options.now ?? new Date()).toISOString().slice(0, 10), options.regional ?? false, scratch)];
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
    if (severity === issue.severity) return issue;
    // A warning must not say « obligatoire »: the file is accepted without the column or the value.
    const message =
      severity === 'warning' && issue.code === 'missing-column'
        ? `La colonne « ${issue.column} » est absente : elle est recommandée dans une BAL (le fichier est accepté sans elle).`
        : severity === 'warning' && issue.code === 'required'
          ? `Cellule vide : la colonne « ${issue.column} » est recommandée dans une BAL (la ligne est acceptée sans elle).`
          : issue.message;
    return { ...issue, severity, message };
  });
}

function gradeOne(issue: ValidationIssue, index: BalHeaderIndex): ValidationIssue['severity'] {
  const column = issue.column ?? '';
  if (issue.code === 'missing-column') return severityOf(balRuleLevel(`field.${column}.missing`, index.profile)) === 'error' ? 'error' : 'warning';
  if (issue.code === 'duplicate-column') return 'warning'; // the reference reads the one named exactly (the first), as we do
  if (!ENGINE_CELL_CODES.has(issue.code)) return issue.severity;
  // A column the reference does not read (an alias such as `cle_intero`) cannot make the file invalid.
  if (!index.columns.has(column)) return 'warning';
  const rules = readCell(fieldId(column), issue.code === 'required' ? '' : (issue.value ?? ''), index.today, false, scratch);
  return rules.some((rule) => balRuleLevel(ruleId(column, rule, false), index.profile) === 'E') ? 'error' : 'warning';
}

/** The delimiter, encoding and line break the reference requires (`;`, UTF-8, LF or CRLF). */
export function checkBalFile(file: { delimiter?: string; encoding?: string; linebreak?: string }, profile: BalProfile): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const add = (rule: string, code: string, message: string) => {
    const severity = severityOf(balRuleLevel(rule, profile));
    if (severity) out.push({ code, severity, message });
  };
  if (file.encoding !== undefined && file.encoding.toLowerCase() !== 'utf-8') {
    add(
      'file.encoding.non_standard',
      'bal-encoding',
      `Le fichier est encodé en ${file.encoding} : une BAL est en UTF-8. Pour l’enregistrer ainsi : dans Excel, Fichier › Enregistrer sous › « CSV UTF-8 » ; dans LibreOffice, jeu de caractères « Unicode (UTF-8) » et séparateur « ; ».`,
    );
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
 * The engine's header issues (bind()) as they stand in a BAL, graded: without the
 * `extra-column` warnings for language variants (BAL columns, published) and for
 * `uid_adresse` (checkBalHeader says why it is not published), nor `header-renamed`, which
 * says a column is accepted under another name where the reference accepts none:
 * checkBalHeader says what to rename instead.
 */
export function gradeBalHeaderIssues(issues: readonly ValidationIssue[], index: BalHeaderIndex): ValidationIssue[] {
  const kept = new Set<string>(index.regional.map((r) => r.name));
  for (const m of index.miscased) kept.add(m.heading);
  if (index.columns.has('uid_adresse')) kept.add('uid_adresse');
  return gradeBalIssues(
    issues.filter((i) => i.code !== 'header-renamed' && !(i.code === 'extra-column' && kept.has(i.column ?? ''))),
    index,
  );
}

/**
 * Columns the reference misses, at its level, except those the engine already reported
 * (`missing-column`, graded by gradeBalIssues). Reported once, on the header (line 1):
 * - columns named in other letter case (`Voie_Nom`), in one issue naming them: the
 *   reference does not read them (an error when it then misses a column it requires); their
 *   cells are judged as if the columns were renamed, so that no line is refused for it;
 * - columns read under another name (`renamed`: an alias or a title such as `Numéro`), each
 *   named with the name to give it: the reference misses them; judged and published as renamed;
 * - `uid_adresse` (1.3): neither it nor its ids are published, said once.
 */
export function checkBalHeader(index: BalHeaderIndex, engineIssues: readonly ValidationIssue[] = []): ValidationIssue[] {
  const reported = new Set(engineIssues.filter((i) => i.code === 'missing-column').map((i) => i.column));
  const out: ValidationIssue[] = [];
  const { profile } = index;
  // Refused when the reference, which ignores the columns named otherwise, lacks one it requires,
  // or picks another profile than the file's once renamed (`Toponyme`, `ID_BAN_COMMUNE`): what
  // it would judge is not what is published.
  const unread = new Set([...index.miscased, ...index.renamed].map((m) => m.name));
  const exact = new Set([...index.columns.keys()].filter((name) => !unread.has(name)));
  const otherProfile = unread.size > 0 && profileOf(exact) !== profile ? profileOf(exact) : undefined;
  const lacks = (m: { name: string }): boolean => Object.hasOwn(FIELDS, m.name) && balRuleLevel(`field.${m.name}.missing`, profile) === 'E';
  if (index.miscased.length > 0) {
    const lacking = index.miscased.some(lacks);
    const refused = otherProfile !== undefined || lacking;
    const consequence = lacking
      ? ' : il lui manquerait une colonne obligatoire, le fichier est refusé'
      : otherProfile !== undefined
        ? ` : il lirait ce fichier comme une BAL ${otherProfile}, et non ${profile} comme il est publié ; le fichier est refusé tant qu’elles ne sont pas renommées`
        : '';
    const renames = index.miscased.map((m) => `« ${m.heading} » en « ${m.name} »`).join(', ');
    const uid = index.miscased.find((m) => m.name === 'uid_adresse');
    out.push({
      code: 'bal-column-case',
      severity: refused ? 'error' : 'warning',
      row: 1,
      message:
        `Les noms de colonnes d’une Base Adresse Locale s’écrivent en minuscules, exactement comme dans le schéma : renommez ${renames}. ` +
        `Le validateur national des BAL ne reconnaît pas une colonne nommée autrement et la tient pour absente${consequence}. ` +
        (uid
          ? `Les valeurs de ces colonnes sont vérifiées ici comme si elles étaient bien nommées, sauf « ${uid.heading} » : comme le validateur national, Socle n’en lit pas les identifiants BAN.`
          : 'Les valeurs de ces colonnes sont vérifiées ici comme si elles étaient bien nommées.'),
    });
  }
  for (const r of index.renamed) {
    const refused = otherProfile !== undefined || lacks(r);
    const consequence = lacks(r)
      ? ' et refuse le fichier, auquel il manque alors une colonne obligatoire'
      : otherProfile !== undefined
        ? ` et lirait ce fichier comme une BAL ${otherProfile}, et non ${profile} comme il est publié : le fichier est refusé tant qu’elle n’est pas renommée`
        : '';
    out.push({
      code: 'bal-column-renamed',
      severity: refused ? 'error' : 'warning',
      row: 1,
      column: r.name,
      value: r.heading,
      message:
        `La colonne « ${r.heading} » est lue comme « ${r.name} », mais une BAL doit la nommer exactement « ${r.name} » : le validateur national des BAL ne la reconnaît pas sous un autre nom${consequence}. ` +
        (refused ? 'Renommez-la.' : `Renommez-la ; ses valeurs sont vérifiées ici comme celles de « ${r.name} », sous le nom duquel elles sont publiées.`),
    });
  }
  if (index.columns.has('uid_adresse')) {
    out.push({
      code: 'bal-uid-adresse',
      severity: 'warning',
      row: 1,
      column: 'uid_adresse',
      message:
        profile === '1.3'
          ? `La colonne « uid_adresse » (format BAL 1.3) n’est pas publiée, ni les identifiants BAN qu’elle porte s’il y en a : le fichier publié (format BAL 1.4 et suivants) les attend dans les colonnes ${ID_BAN_COLUMNS}, sur toutes les lignes ou sur aucune. Pour les publier, donnez-les dans ces colonnes ; si elle est vide, supprimez-la pour ne plus voir ce message.`
          : `La colonne « uid_adresse » (format BAL 1.3) n’est pas publiée : les identifiants BAN qu’elle porte, s’il y en a, sont publiés dans les colonnes ${ID_BAN_COLUMNS} quand celles-ci sont vides, comme le validateur national des BAL les lit. Pour ne plus voir ce message, donnez-les dans ces colonnes et supprimez « uid_adresse ».`,
    });
  }
  for (const [field, spec] of Object.entries(FIELDS)) {
    if (index.columns.has(field) || reported.has(field) || !spec.formats.includes(profile)) continue;
    if (index.columns.has('uid_adresse') && field.startsWith('id_ban_')) continue;
    const level = severityOf(balRuleLevel(`field.${field}.missing`, profile));
    if (level) {
      out.push({
        code: 'bal-column-missing',
        severity: level,
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

/** The ids `uid_adresse` carries (1.3): `@c:` commune, `@v:` toponyme, `@a:` adresse. */
interface UidIds {
  commune: string | null;
  toponyme: string | null;
  adresse: string | null;
}

/** What checkBalRow and balBanIds need from a header, worked out once per index. */
interface RowPlan {
  /** The columns the reference reads, in header order: field id, name, position. */
  readonly ids: readonly number[];
  readonly names: readonly string[];
  readonly ats: readonly number[];
  readonly regional: readonly { name: string; field: string; id: number; at: number }[];
  /** Position of each reference column by field id, -1 when absent. */
  readonly at: readonly number[];
  /** The column `row.adresse_incomplete` names. */
  readonly addressColumn: string;
  /** Each column's value in the record being checked, by field id (undefined: absent or unusable). */
  readonly values: unknown[];
}

const plans = new WeakMap<BalHeaderIndex, RowPlan>();

function planFor(index: BalHeaderIndex): RowPlan {
  let plan = plans.get(index);
  if (plan === undefined) {
    const columns = [...index.columns];
    plan = {
      ids: columns.map(([field]) => fieldId(field)),
      names: columns.map(([field]) => field),
      ats: columns.map(([, at]) => at),
      regional: index.regional.map(({ name, field, at }) => ({ name, field, id: fieldId(field), at })),
      at: FIELD_NAMES.map((field) => index.columns.get(field) ?? -1),
      addressColumn: index.columns.has('toponyme') ? 'toponyme' : 'voie_nom',
      values: new Array<unknown>(FIELD_NAMES.length).fill(undefined),
    };
    plans.set(index, plan);
  }
  return plan;
}

/** The value the reference reads in a cell (undefined: absent or unusable). */
function cellValue(cells: readonly Cell[], at: number, id: number, today: string): unknown {
  if (at < 0) return undefined;
  readCell(id, cells[at] ?? null, today, false, scratch);
  return scratch.value;
}

/** The BAN ids of a record as the reference takes them: valid `id_ban_*` cells, else `uid_adresse`. */
export function balBanIds(cells: readonly Cell[], index: BalHeaderIndex): BalBanIds {
  const { at } = planFor(index);
  const { today } = index;
  const value = (id: number): unknown => cellValue(cells, at[id], id, today);
  const uid = value(UID_ADRESSE) as UidIds | undefined;
  const numero = value(NUMERO) as number | undefined;
  return {
    commune: (value(ID_BAN_COMMUNE) as string | undefined) || uid?.commune || null,
    toponyme: (value(ID_BAN_TOPONYME) as string | undefined) || uid?.toponyme || null,
    adresse: (value(ID_BAN_ADRESSE) as string | undefined) || uid?.adresse || null,
    numero: numero ?? null,
  };
}

const TOPONYME_SANS_ADRESSE = 99999;
const ID_BAN_COLUMNS = frenchList(['« id_ban_commune »', '« id_ban_toponyme »', '« id_ban_adresse »']);
const UID_TAGS: Record<string, string> = { id_ban_commune: '@c:', id_ban_toponyme: '@v:', id_ban_adresse: '@a:' };
const NO_ISSUES: readonly ValidationIssue[] = Object.freeze([]);

/**
 * The reference's findings on one record (line `row`, header = 1) that the engine does not
 * make. `engineIssues`: the engine's issues for this record; a column they name is not
 * reported again (except for surrounding spaces, which the engine trims silently).
 * `ids`, when given, receives the record's balBanIds, so that a caller needing both
 * (createBalRowsCheck's `check`) reads the record once.
 */
export function checkBalRow(
  cells: readonly Cell[],
  index: BalHeaderIndex,
  row: number,
  engineIssues: readonly ValidationIssue[] = NO_ISSUES,
  ids?: BalBanIds,
): ValidationIssue[] {
  const { profile, today } = index;
  const plan = planFor(index);
  const { values } = plan;
  let out: ValidationIssue[] | undefined;

  for (let k = 0; k < plan.ids.length; k++) {
    const id = plan.ids[k];
    const cell = cells[plan.ats[k]] ?? null;
    const rules = readCell(id, cell, today, false, scratch);
    if (id >= 0) values[id] = scratch.value;
    for (let r = 0; r < rules.length; r++) {
      const field = plan.names[k];
      if (rules[r] === 'espaces_debut_fin' || !engineReported(engineIssues, field)) out = report(out, profile, row, ruleId(field, rules[r], false), field, cell ?? '', true);
    }
  }
  for (const { name, field, id, at } of plan.regional) {
    const cell = cells[at] ?? null;
    const rules = readCell(id, cell, today, true, scratch);
    for (let r = 0; r < rules.length; r++) out = report(out, profile, row, ruleId(field, rules[r], true), name, cell ?? '', true);
  }

  const numero = values[NUMERO] as number | undefined;
  const cle = values[CLE_INTEROP] as number | undefined; // the numero it holds
  if (cle !== undefined && numero && cle !== numero) out = report(out, profile, row, 'row.incoherence_numero', 'cle_interop', String(numero));
  if (cle === undefined && !values[COMMUNE_INSEE]) out = report(out, profile, row, 'row.commune_manquante', 'commune_insee', '');
  const address = numero !== undefined && numero !== TOPONYME_SANS_ADRESSE;
  if (address && !hasText(cells, plan.at[POSITION])) out = report(out, profile, row, 'row.position_manquante', 'position', '');
  if (address && (!hasText(cells, plan.at[LONG]) || !hasText(cells, plan.at[LAT]))) out = report(out, profile, row, 'row.longlat_vides', 'long', '');
  else {
    const long = values[LONG] as number | undefined;
    const lat = values[LAT] as number | undefined;
    const x = values[X];
    const y = values[Y];
    const territory = long === undefined || lat === undefined ? null : frenchTerritory(long, lat);
    if (territory === null) {
      if (numero !== TOPONYME_SANS_ADRESSE) out = report(out, profile, row, 'row.longlat_invalides', 'long', '');
    } else if (territory === 'metropole' && typeof x === 'number' && typeof y === 'number') {
      const distance = lambert93Distance(long as number, lat as number, x, y);
      if (distance > 10) out = report(out, profile, row, 'row.longlat_xy_incoherents', 'x', String(Math.round(distance)));
    }
  }
  if (numero === undefined || !(values[VOIE_NOM] || values[TOPONYME])) out = report(out, profile, row, 'row.adresse_incomplete', plan.addressColumn, '');

  const uid = values[UID_ADRESSE] as UidIds | undefined;
  const commune = (values[ID_BAN_COMMUNE] as string | undefined) || uid?.commune || null;
  const toponyme = (values[ID_BAN_TOPONYME] as string | undefined) || uid?.toponyme || null;
  const adresse = (values[ID_BAN_ADRESSE] as string | undefined) || uid?.adresse || null;
  if (ids) {
    ids.commune = commune;
    ids.toponyme = toponyme;
    ids.adresse = adresse;
    ids.numero = numero ?? null;
  }
  if ((commune || toponyme || adresse) && !(commune && toponyme && (adresse || numero === TOPONYME_SANS_ADRESSE))) {
    const missing: string[] = [];
    if (!commune) missing.push('id_ban_commune');
    if (!toponyme) missing.push('id_ban_toponyme');
    if (!(adresse || numero === TOPONYME_SANS_ADRESSE)) missing.push('id_ban_adresse');
    // Ids given in uid_adresse (1.3): say where they go there too.
    const named = plan.at[UID_ADRESSE] < 0 ? missing : missing.map((m) => `${m} (${UID_TAGS[m]} dans uid_adresse)`);
    out = report(out, profile, row, 'row.lack_of_id_ban', missing[0], named.join(', '));
  }
  return out ?? [];
}

const hasText = (cells: readonly Cell[], at: number): boolean => at >= 0 && !!cells[at];

/** Whether the engine has reported on `column` in this record (it then graded the cell itself). */
function engineReported(engineIssues: readonly ValidationIssue[], column: string): boolean {
  for (let i = 0; i < engineIssues.length; i++) {
    if (engineIssues[i].column === column && ENGINE_CELL_CODES.has(engineIssues[i].code)) return true;
  }
  return false;
}

/**
 * Adds the issue for `rule` at its level (none for an info); `shown` fills the message, and a
 * cell rule also reports it as the issue's value. The list is made on the first finding.
 */
function report(
  out: ValidationIssue[] | undefined,
  profile: BalProfile,
  row: number,
  rule: string,
  column: string,
  shown: string,
  cellRule = false,
): ValidationIssue[] | undefined {
  const severity = severityOf(balRuleLevel(rule, profile));
  if (severity === null) return out;
  const { code, message } = ruleText(rule, column, shown);
  const issue: ValidationIssue = cellRule && shown !== '' ? { code, severity, row, column, message, value: shown } : { code, severity, row, column, message };
  (out ??= []).push(issue);
  return out;
}

// ---------------------------------------------------------------------------------------
// Where a WGS 84 point is: the reference projects it with the legal projection of the
// French territory whose box holds it (@etalab/project-legal, schema/french-territories.ts);
// outside them it is invalid.

// RGF93 / Lambert-93 (EPSG:2154): conformal conic on GRS80, standard parallels 44° and 49°.
const RAD = Math.PI / 180;
const GRS80_A = 6378137;
const GRS80_E = (() => {
  const f = 1 / 298.257222101;
  return Math.sqrt(2 * f - f * f);
})();
const lambertT = (phi: number): number => {
  const es = GRS80_E * Math.sin(phi);
  return Math.tan(Math.PI / 4 - phi / 2) / ((1 - es) / (1 + es)) ** (GRS80_E / 2);
};
const L93 = (() => {
  const m = (phi: number) => Math.cos(phi) / Math.sqrt(1 - (GRS80_E * Math.sin(phi)) ** 2);
  const [p1, p2, p0] = [49 * RAD, 44 * RAD, 46.5 * RAD];
  const n = (Math.log(m(p1)) - Math.log(m(p2))) / (Math.log(lambertT(p1)) - Math.log(lambertT(p2)));
  const F = m(p1) / (n * lambertT(p1) ** n);
  return { n, F, rho0: GRS80_A * F * lambertT(p0) ** n };
})();

/** Distance in metres from (x, y) to the Lambert-93 projection of (long, lat). */
function lambert93Distance(long: number, lat: number, x: number, y: number): number {
  const { n, F, rho0 } = L93;
  const rho = GRS80_A * F * lambertT(lat * RAD) ** n;
  const theta = n * (long - 3) * RAD;
  return Math.hypot(x - (700000 + rho * Math.sin(theta)), y - (6600000 + rho0 - rho * Math.cos(theta)));
}
