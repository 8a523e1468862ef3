import type { FieldDescriptor, TableSchemaDescriptor } from '../../schema/types';

/*
 * Base Adresse Locale (AITF format, `etalab/schema-bal`), versions 1.4 and 1.5.
 * 1.5 drops `cle_interop`, renames `voie_nom` to `toponyme` and makes the commune and
 * toponyme BAN ids mandatory. Patterns are the official ones, unanchored as published
 * (Table Schema matches a pattern against the whole value).
 *
 * Language-suffixed columns (`voie_nom_bre`, `commune_nom_eus`…) are additional columns,
 * not other spellings of a field, so they are not aliases: see ../bal/checks.ts.
 */

const NOM_COMMUNE = "((Paris|Lyon|Marseille) [1-9][0-9]?er? Arrondissement)|(([A-Za-zÀ-ÖØ-öø-ÿœŒâ' \\-\\(\\)]+))";
const NOM_VOIE = '(([A-Za-z0-9À-ÖØ-öø-ÿœŒâÂîÎ\' \\-\\.\\(\\)\\‘\\’\\/"°,]+))';
const PROJETE = '-?[0-9]{1,7}.[0-9]{1,2}';
const WGS84 = '-?[0-9]{1,2}.[0-9]{1,7}';

const idBan = (name: string, title: string, required: boolean): FieldDescriptor => ({
  name,
  title,
  type: 'string',
  format: 'uuid',
  example: '0246e48c-f33d-433a-8984-034219be842e',
  ...(required ? { constraints: { required: true } } : {}),
});

const cleInterop: FieldDescriptor = {
  name: 'cle_interop',
  title: "Clé d'interopérabilité",
  type: 'string',
  example: '31591_0010_00009_bis',
  constraints: {
    required: true,
    minLength: 16,
    maxLength: 25,
    pattern: '([0-9]{5})_(([aA-zZ]{1}|[0-9]{1})[0-9]{3})_([0-9]{5})(_([a-z0-9]*))?(_[a-z0-9]*)?',
  },
};

const commune: FieldDescriptor[] = [
  {
    name: 'commune_insee',
    title: 'Code INSEE de la commune',
    type: 'string',
    example: '35088',
    constraints: { required: true, minLength: 5, maxLength: 5, pattern: '[0-9]{5}' },
  },
  {
    name: 'commune_nom',
    title: 'Nom de la commune',
    type: 'string',
    example: 'Corps-Nuds',
    constraints: { required: true, minLength: 1, pattern: NOM_COMMUNE },
  },
  {
    name: 'commune_deleguee_insee',
    title: 'Code INSEE de la commune déléguée',
    type: 'string',
    constraints: { minLength: 5, maxLength: 5, pattern: '[0-9]{5}' },
  },
  {
    name: 'commune_deleguee_nom',
    title: 'Nom de la commune déléguée',
    type: 'string',
    constraints: { minLength: 1, pattern: NOM_COMMUNE },
  },
];

const voie = (name: 'voie_nom' | 'toponyme'): FieldDescriptor => ({
  name,
  title: name === 'toponyme' ? 'Nom du toponyme' : 'Nom de la voie',
  type: 'string',
  example: 'Rue de Chanteloup',
  constraints: { required: true, minLength: 3, pattern: NOM_VOIE },
});

const adresse: FieldDescriptor[] = [
  {
    name: 'lieudit_complement_nom',
    title: 'Nom du lieu-dit historique ou complémentaire',
    type: 'string',
    constraints: { minLength: 5, pattern: NOM_VOIE },
  },
  {
    name: 'numero',
    title: 'Numéro',
    description: '99999 pour un toponyme sans adresse.',
    type: 'integer',
    example: '9',
    constraints: { required: true, minimum: 1, maximum: 99999 },
  },
  { name: 'suffixe', title: 'Suffixe', type: 'string', example: 'bis' },
  {
    name: 'position',
    title: "Type de position de l'adresse",
    type: 'string',
    example: 'entrée',
    constraints: {
      enum: [
        'délivrance postale',
        'entrée',
        'bâtiment',
        'cage d’escalier',
        'logement',
        'parcelle',
        'segment',
        'service technique',
      ],
    },
  },
  { name: 'x', title: 'Coordonnée X (projection légale)', type: 'string', example: '357853.00', constraints: { required: true, pattern: PROJETE } },
  { name: 'y', title: 'Coordonnée Y (projection légale)', type: 'string', example: '6774067.50', constraints: { required: true, pattern: PROJETE } },
  { name: 'long', title: 'Longitude (WGS 84)', type: 'string', example: '-1.5883112', constraints: { required: true, pattern: WGS84 } },
  { name: 'lat', title: 'Latitude (WGS 84)', type: 'string', example: '47.9775042', constraints: { required: true, pattern: WGS84 } },
  {
    name: 'cad_parcelles',
    title: 'Parcelles cadastrales desservies',
    description: 'Séparées par une barre verticale (|).',
    type: 'string',
    example: '350088000AB0245|350088000AB0248',
    constraints: { pattern: '([0-9]{9}[0-9A-Z]{2}[0-9]{4})(?:\\|([0-9]{9}[0-9A-Z]{2}[0-9]{4}))*' },
  },
  { name: 'source', title: "Organisme ayant créé l'adresse", type: 'string', example: 'Rennes Métropole', constraints: { required: true, minLength: 5 } },
  { name: 'date_der_maj', title: 'Date de la dernière mise à jour', type: 'date', example: '2023-11-15', constraints: { required: true } },
  {
    name: 'certification_commune',
    title: 'Certifiée par la commune',
    type: 'boolean',
    example: '1',
    // The Table Schema defaults, with 1/0 first: AITF files and validateur-bal write 1/0, so our output does too.
    trueValues: ['1', 'true', 'True', 'TRUE'],
    falseValues: ['0', 'false', 'False', 'FALSE'],
    constraints: { required: true },
  },
];

/** Shapefile (dBase) truncates column names to 10 characters; older validateur-bal accepted these. */
const aliases: Record<string, string[]> = {
  cle_interop: ['cle_intero', 'cle_interro'],
  id_ban_commune: ['id_ban_com'],
  id_ban_toponyme: ['id_ban_top'],
  id_ban_adresse: ['id_ban_adr'],
  commune_insee: ['commune_in'],
  commune_nom: ['commune_no'],
  lieudit_complement_nom: ['lieudit_co'],
  x: ['x_l93'],
  y: ['y_l93'],
  long: ['long_wgs84', 'lon'],
  lat: ['lat_wgs84'],
  cad_parcelles: ['cad_parcel'],
  date_der_maj: ['date_der_m'],
  certification_commune: ['certificat'],
};

const common = {
  id: 'bal',
  title: 'Base Adresse Locale',
  geo: { longitude: 'long', latitude: 'lat' },
  outputDelimiter: ';',
} as const;

export const bal14: TableSchemaDescriptor = {
  ...common,
  version: '1.4',
  url: 'https://schema.data.gouv.fr/schemas/etalab/schema-bal/1.4.0/schema.yml',
  fields: [
    idBan('id_ban_commune', 'Identifiant BAN de la commune', false),
    idBan('id_ban_toponyme', 'Identifiant BAN du toponyme', false),
    idBan('id_ban_adresse', "Identifiant BAN de l'adresse", false),
    cleInterop,
    ...commune,
    voie('voie_nom'),
    ...adresse,
  ],
  aliases,
};

/** The version in force (the official file spells it `v1.5.0`). */
export const bal15: TableSchemaDescriptor = {
  ...common,
  version: '1.5',
  url: 'https://schema.data.gouv.fr/schemas/etalab/schema-bal/1.5.0/schema.yml',
  fields: [
    idBan('id_ban_commune', 'Identifiant BAN de la commune', true),
    idBan('id_ban_toponyme', 'Identifiant BAN du toponyme', true),
    idBan('id_ban_adresse', "Identifiant BAN de l'adresse", false),
    ...commune,
    voie('toponyme'),
    ...adresse,
  ],
  aliases: Object.fromEntries(Object.entries(aliases).filter(([name]) => name !== 'cle_interop')),
};
