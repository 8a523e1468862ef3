import type { TableSchemaDescriptor } from '../../schema/types';
import { DELIBERATIONS_ALIASES } from './header-aliases';

/** Délibérations (SCDL 2.1.5). Vote counts are checked for coherence by the custom checks. */
export const deliberations: TableSchemaDescriptor = {
  // Headings of communes' own tables (header-aliases.ts).
  aliases: DELIBERATIONS_ALIASES,
  id: 'scdl/deliberations',
  version: '2.1.5',
  title: 'Délibérations',
  url: 'https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.5/schema.json',
  fields: [
    {
      name: 'COLL_NOM',
      title: 'Nom de la collectivité',
      type: 'string',
      example: 'Ville de Poitiers',
      constraints: { required: true },
    },
    {
      name: 'COLL_SIRET',
      title: 'Code SIRET de la collectivité',
      type: 'string',
      example: '21860194600013',
      constraints: { required: true, pattern: '^\\d{14}$' },
    },
    {
      name: 'DELIB_ID',
      title: 'Identifiant de la délibération',
      type: 'string',
      example: '1DL15494',
      constraints: { required: true },
    },
    {
      name: 'DELIB_DATE',
      title: "Date d'adoption de la délibération",
      type: 'date',
      example: '2017-10-15',
      constraints: { required: true },
    },
    {
      name: 'DELIB_MATIERE_CODE',
      title: 'Code de matière issu de la nomenclature ACTES',
      type: 'string',
      example: '8.4',
      constraints: { required: true, pattern: '^\\d\\.\\d{1,2}$' },
    },
    {
      name: 'DELIB_MATIERE_NOM',
      title: 'Nom de matière',
      type: 'string',
      example: 'domaines de compétences par thèmes/aménagement du territoire',
      constraints: { required: true },
    },
    {
      name: 'DELIB_OBJET',
      title: 'Objet de la délibération',
      type: 'string',
      example: "Lancement d'une démarche partenariale de définition d'une politique montagne et adhésion à l'association nationale des élus de la montagne",
      constraints: { required: true },
    },
    {
      name: 'BUDGET_ANNEE',
      title: 'Année du budget',
      type: 'string',
      example: '2017/2018',
      constraints: { pattern: '^[0-9]{4}(\\/[0-9]{4})?$' },
    },
    {
      name: 'BUDGET_NOM',
      title: 'Nom du budget',
      type: 'string',
      example: 'Budget annexe déchets-collecte et traitement',
    },
    {
      name: 'PREF_ID',
      title: "Identifiant de l'entité exerçant le contrôle de légalité",
      type: 'string',
      example: 'PREF038',
    },
    {
      name: 'PREF_DATE',
      title: "Date d'enregistrement de la délibération auprès du contrôle de légalité",
      type: 'date',
      example: '2017-02-03',
    },
    { name: 'VOTE_EFFECTIF', title: 'Effectif théorique des votants', type: 'integer', example: '43' },
    { name: 'VOTE_REEL', title: 'Effectif réel des votants', type: 'integer', example: '40' },
    { name: 'VOTE_POUR', title: 'Pour', type: 'integer', example: '25' },
    { name: 'VOTE_CONTRE', title: 'Contre', type: 'integer', example: '10' },
    { name: 'VOTE_ABSTENTION', title: 'Abstention', type: 'integer', example: '5' },
    {
      name: 'DELIB_URL',
      title: 'Lien vers le document de la délibération',
      type: 'string',
      format: 'uri',
      example: 'https://data.maville.fr/deliberations/files/200417_1.pdf',
    },
  ],
  custom_checks: [
    { name: 'french-siret-value', params: { column: 'COLL_SIRET' } },
    { name: 'year-interval-value', params: { column: 'BUDGET_ANNEE', 'allow-year-only': 'yes' } },
    { name: 'cohesive-columns-value', params: { column: 'BUDGET_ANNEE', othercolumns: ['BUDGET_NOM'] } },
    {
      name: 'cohesive-columns-value',
      params: { column: 'VOTE_EFFECTIF', othercolumns: ['VOTE_REEL', 'VOTE_POUR', 'VOTE_CONTRE', 'VOTE_ABSTENTION'] },
    },
    { name: 'compare-columns-value', params: { column: 'PREF_DATE', op: '>=', column2: 'DELIB_DATE' } },
    { name: 'compare-columns-value', params: { column: 'VOTE_EFFECTIF', op: '>=', column2: 'VOTE_REEL' } },
    { name: 'compare-columns-value', params: { column: 'VOTE_REEL', op: '>=', column2: 'VOTE_POUR' } },
    { name: 'compare-columns-value', params: { column: 'VOTE_REEL', op: '>=', column2: 'VOTE_CONTRE' } },
    { name: 'compare-columns-value', params: { column: 'VOTE_REEL', op: '>=', column2: 'VOTE_ABSTENTION' } },
    {
      name: 'sum-columns-value',
      params: { column: 'VOTE_REEL', columns: ['VOTE_POUR', 'VOTE_CONTRE', 'VOTE_ABSTENTION'] },
    },
    { name: 'nomenclature-actes-value', params: { column: 'DELIB_MATIERE_NOM' } },
  ],
};
