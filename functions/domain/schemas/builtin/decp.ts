import type { FieldDescriptor, TableSchemaDescriptor } from '../../schema/types';

/*
 * Données essentielles de la commande publique (DECP 2.0.3, 2.0.2 accepted), flattened.
 *
 * The regulatory format is nested JSON (a JSON Schema); communes' software exports tables,
 * and reusers want both. One row per contract, marché or contrat de concession (`_type`).
 * Conventions (decp/flatten.ts converts both ways):
 * - a column named `a.b` holds the JSON property `a.b` (`acheteur.id`, `lieuExecution.code`);
 * - lists of codes are joined with `|` (`techniques`, `typesPrix`, `considerationsSociales`…);
 * - titulaires / concessionnaires are two aligned `|`-joined columns, `<list>.id` and
 *   `<list>.typeIdentifiant` (`55204599900869|38103128500491` and `SIRET|SIRET`);
 * - the later, rarely-filled histories (`modifications`, `actesSousTraitance`,
 *   `modificationsActesSousTraitance`, `donneesExecution`) are kept as JSON text so the
 *   nested document can be rebuilt exactly.
 * A column required by only one kind of contract is not `required` here: decp/checks.ts
 * checks it on the rows of that kind.
 */

export const DECP_LIST_SEPARATOR = '|';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Pattern for a `|`-joined list of values taken from `values`. */
const listOf = (values: readonly string[]): string => {
  const one = `(${values.map(escapeRegExp).join('|')})`;
  return `^${one}(\\|${one})*$`;
};

/** Natures and procedures of each kind of contract (the official JSON Schema's enums). */
export const MARCHE_NATURES = ['Marché', 'Marché de partenariat', 'Marché de défense ou de sécurité'] as const;
export const CONCESSION_NATURES = ['Concession de travaux', 'Concession de service', 'Concession de service public', 'Délégation de service public'] as const;
export const MARCHE_PROCEDURES = [
  'Procédure adaptée',
  "Appel d'offres ouvert",
  "Appel d'offres restreint",
  'Procédure avec négociation',
  'Marché passé sans publicité ni mise en concurrence préalable',
  'Dialogue compétitif',
] as const;
export const CONCESSION_PROCEDURES = [
  'Procédure négociée ouverte',
  'Procédure non négociée ouverte',
  'Procédure négociée restreinte',
  'Procédure non négociée restreinte',
] as const;

export const TYPES_IDENTIFIANT = ['SIRET', 'TVA', 'TAHITI', 'RIDET', 'FRWF', 'IREP', 'HORS-UE'] as const;
export const TECHNIQUES = [
  'Accord-cadre',
  'Concours',
  'Système de qualification',
  "Système d'acquisition dynamique",
  'Catalogue électronique',
  'Enchère électronique',
  'Sans objet',
] as const;
export const MODALITES_EXECUTION = ['Tranches', 'Bons de commande', 'Marchés subséquents', 'Sans objet'] as const;
export const TYPES_PRIX = ['Définitif ferme', 'Définitif actualisable', 'Définitif révisable', 'Provisoire'] as const;
export const CONSIDERATIONS_SOCIALES = [
  'Clause sociale',
  'Critère social',
  'Marché réservé',
  'Concession réservée',
  'Pas de considération sociale',
] as const;
export const CONSIDERATIONS_ENVIRONNEMENTALES = [
  'Clause environnementale',
  'Critère environnemental',
  'Pas de considération environnementale',
] as const;

const DATE_JSON = 'Date au format AAAA-MM-JJ.';
const JSON_TEXT = 'Tableau JSON tel que publié au format réglementaire.';

const fields: FieldDescriptor[] = [
  {
    name: '_type',
    title: 'Type de contrat',
    type: 'string',
    example: 'Marché',
    constraints: { required: true, enum: ['Marché', 'Contrat de concession'] },
  },
  {
    name: 'id',
    title: 'Identifiant du contrat',
    type: 'string',
    example: '2024-0042',
    constraints: { required: true, minLength: 1, maxLength: 16 },
  },
  {
    name: 'acheteur.id',
    title: "SIRET de l'acheteur (marché)",
    type: 'string',
    example: '21750001630066',
    constraints: { pattern: '^[0-9]{14}$' },
  },
  {
    name: 'autoriteConcedante.id',
    title: "SIRET de l'autorité concédante (concession)",
    type: 'string',
    example: '21750001630066',
    constraints: { pattern: '^[0-9]{14}$' },
  },
  {
    name: 'nature',
    title: 'Nature du contrat',
    type: 'string',
    example: 'Marché',
    constraints: {
      required: true,
      enum: [...MARCHE_NATURES, ...CONCESSION_NATURES],
    },
  },
  { name: 'objet', title: 'Objet du contrat', type: 'string', example: 'Réfection de la voirie', constraints: { required: true, maxLength: 1000 } },
  {
    name: 'codeCPV',
    title: 'Code CPV (marché)',
    type: 'string',
    example: '45233140',
    constraints: { pattern: '^[0-9]{8}(-[0-9])?$' },
  },
  {
    name: 'procedure',
    title: 'Procédure de passation',
    type: 'string',
    example: 'Procédure adaptée',
    constraints: {
      required: true,
      enum: [...MARCHE_PROCEDURES, ...CONCESSION_PROCEDURES],
    },
  },
  { name: 'techniques', title: "Techniques d'achat (marché)", type: 'string', example: 'Accord-cadre', constraints: { pattern: listOf(TECHNIQUES) } },
  {
    name: 'modalitesExecution',
    title: "Modalités d'exécution (marché)",
    type: 'string',
    example: 'Bons de commande',
    constraints: { pattern: listOf(MODALITES_EXECUTION) },
  },
  { name: 'idAccordCadre', title: "Identifiant de l'accord-cadre", type: 'string', constraints: { minLength: 1, maxLength: 16 } },
  { name: 'marcheInnovant', title: 'Marché innovant', type: 'boolean', example: 'false' },
  {
    name: 'ccag',
    title: 'CCAG de référence (marché)',
    type: 'string',
    example: 'Travaux',
    constraints: {
      enum: [
        'Travaux',
        "Maitrise d'œuvre",
        'Fournitures courantes et services',
        'Marchés industriels',
        'Prestations intellectuelles',
        "Techniques de l'information et de la communication",
        'Pas de CCAG',
      ],
    },
  },
  { name: 'offresRecues', title: "Nombre d'offres reçues", type: 'integer', example: '3', constraints: { minimum: 1 } },
  { name: 'attributionAvance', title: "Attribution d'une avance", type: 'boolean', example: 'false' },
  { name: 'tauxAvance', title: "Taux de l'avance", type: 'number', example: '0.05', constraints: { minimum: 0, maximum: 1 } },
  {
    name: 'typeGroupementOperateurs',
    title: "Type de groupement d'opérateurs",
    type: 'string',
    example: 'Pas de groupement',
    constraints: { enum: ['Conjoint', 'Solidaire', 'Pas de groupement'] },
  },
  { name: 'sousTraitanceDeclaree', title: 'Sous-traitance déclarée', type: 'boolean', example: 'false' },
  { name: 'lieuExecution.code', title: "Code du lieu d'exécution", type: 'string', example: '31555' },
  {
    name: 'lieuExecution.typeCode',
    title: "Type de code du lieu d'exécution",
    type: 'string',
    example: 'Code commune',
    constraints: {
      enum: [
        'Code postal',
        'Code commune',
        'Code arrondissement',
        'Code canton',
        'Code département',
        'Code région',
        'Code pays',
      ],
    },
  },
  { name: 'dureeMois', title: 'Durée initiale en mois', type: 'integer', example: '12', constraints: { required: true, minimum: 1 } },
  { name: 'dateNotification', title: 'Date de notification (marché)', description: DATE_JSON, type: 'date', example: '2024-05-15' },
  { name: 'dateSignature', title: 'Date de signature (concession)', description: DATE_JSON, type: 'date', example: '2024-04-02' },
  {
    name: 'dateDebutExecution',
    title: "Date de début d'exécution (concession)",
    description: DATE_JSON,
    type: 'date',
    example: '2024-04-01',
  },
  {
    name: 'datePublicationDonnees',
    title: 'Date de publication des données',
    description: DATE_JSON,
    type: 'date',
    example: '2024-05-25',
    constraints: { required: true },
  },
  { name: 'montant', title: 'Montant HT (marché)', type: 'number', example: '575000', constraints: { minimum: 1 } },
  { name: 'valeurGlobale', title: 'Valeur globale (concession)', type: 'number', example: '1250000', constraints: { minimum: 1 } },
  {
    name: 'montantSubventionPublique',
    title: 'Montant de la subvention publique (concession)',
    type: 'number',
    example: '0',
    constraints: { minimum: 0 },
  },
  { name: 'typesPrix', title: 'Types de prix (marché)', type: 'string', example: 'Définitif ferme', constraints: { pattern: listOf(TYPES_PRIX) } },
  {
    name: 'formePrix',
    title: 'Forme du prix (marché)',
    type: 'string',
    example: 'Forfaitaire',
    constraints: { enum: ['Unitaire', 'Forfaitaire', 'Mixte'] },
  },
  { name: 'origineUE', title: "Part des produits de l'Union européenne", type: 'number', constraints: { minimum: 0, maximum: 1 } },
  { name: 'origineFrance', title: 'Part des produits français', type: 'number', constraints: { minimum: 0, maximum: 1 } },
  { name: 'titulaires.id', title: 'Identifiants des titulaires (marché)', type: 'string', example: '55204599900869' },
  {
    name: 'titulaires.typeIdentifiant',
    title: "Types d'identifiant des titulaires",
    type: 'string',
    example: 'SIRET',
    constraints: { pattern: listOf(TYPES_IDENTIFIANT) },
  },
  { name: 'concessionnaires.id', title: 'Identifiants des concessionnaires (concession)', type: 'string', example: '38103128500491' },
  {
    name: 'concessionnaires.typeIdentifiant',
    title: "Types d'identifiant des concessionnaires",
    type: 'string',
    example: 'SIRET',
    constraints: { pattern: listOf(TYPES_IDENTIFIANT) },
  },
  {
    name: 'considerationsSociales',
    title: 'Considérations sociales',
    type: 'string',
    example: 'Pas de considération sociale',
    constraints: { required: true, pattern: listOf(CONSIDERATIONS_SOCIALES) },
  },
  {
    name: 'considerationsEnvironnementales',
    title: 'Considérations environnementales',
    type: 'string',
    example: 'Pas de considération environnementale',
    constraints: { required: true, pattern: listOf(CONSIDERATIONS_ENVIRONNEMENTALES) },
  },
  { name: 'actesSousTraitance', title: 'Actes spéciaux de sous-traitance', description: JSON_TEXT, type: 'string' },
  {
    name: 'modificationsActesSousTraitance',
    title: 'Modifications des actes de sous-traitance',
    description: JSON_TEXT,
    type: 'string',
  },
  { name: 'modifications', title: 'Modifications', description: JSON_TEXT, type: 'string' },
  { name: 'donneesExecution', title: "Données d'exécution (concession)", description: JSON_TEXT, type: 'string' },
];

export const decp: TableSchemaDescriptor = {
  id: 'decp',
  version: '2.0.3',
  title: 'Données essentielles de la commande publique',
  description: 'Marchés publics et contrats de concession, une ligne par contrat (format DECP 2.0.3 aplati).',
  url: 'https://schema.data.gouv.fr/139bercy/format-commande-publique/',
  fields,
};

/** DECP 2.0.2 files fit the same flat table (2.0.3 only tightened the top-level document). */
export const decp202: TableSchemaDescriptor = { ...decp, version: '2.0.2' };
