import type { TableSchemaDescriptor } from '../../schema/types';
import { PRENOMS_ALIASES } from './header-aliases';

/** Prénoms des nouveau-nés (SCDL 1.1.6; the official file spells its version `v1.1.6`). */
export const prenoms: TableSchemaDescriptor = {
  // Headings of communes' own tables (header-aliases.ts).
  aliases: PRENOMS_ALIASES,
  id: 'scdl/prenoms',
  version: '1.1.6',
  title: 'Prénoms des nouveau-nés',
  url: 'https://schema.data.gouv.fr/schemas/scdl/prenoms/1.1.6/schema.json',
  fields: [
    {
      name: 'COMMUNE_NOM',
      title: "Nom de la commune d'enregistrement à l'état-civil",
      description: 'Nom officiel de la commune, avec une majuscule au début (Rennes, Saint-Malo).',
      type: 'string',
      example: 'Rennes',
      constraints: { pattern: "^(Le |La |Les |Los |Aux |L'|)([A-ZÉÇŒÈÎ])(((-| | - |')[A-ZÉÇŒÈÎ])|('|-| |)[a-zàâéèêëïîÿôûüœç])*( \\([A-Z][a-z]*\\)|)$" },
    },
    {
      name: 'COLL_INSEE',
      title: "Code INSEE de la commune d'enregistrement à l'état-civil",
      type: 'string',
      example: '35238',
      constraints: { required: true, pattern: '^([013-9]\\d|2[AB1-9])\\d{3}$' },
    },
    {
      name: 'ENFANT_SEXE',
      title: 'Sexe relatif au prénom',
      type: 'string',
      example: 'M',
      constraints: { required: true, enum: ['M', 'F', 'I'] },
    },
    {
      name: 'ENFANT_PRENOM',
      title: 'Prénom',
      description: "Prénom comme l'écrit l'état civil, une majuscule au début puis des minuscules : Louise, Jean-Baptiste (un prénom composé prend un trait d'union, sans espace).",
      type: 'string',
      example: 'Adam',
      constraints: { required: true, pattern: "^'?[A-ZÉÀÈÙÄËÏÖÜŸÂÊÎÔÛŶÇŒÆ][a-zéàèùäëïüöÿâêîôûŷçæœ]*(|'|(('[A-ZÉÀÈÙÄËÏÖÜŸÂÊÎÔÛŶÇŒÆa-zéàèùäëïüöÿâêîôûŷçæœ][a-zéàèùäëïüöÿâêîôûŷçæœ]*'?){1,2}|(-[A-ZÉÀÈÙÄËÏÖÜŸÂÊÎÔÛŶÇŒÆ][a-zéàèùäëïüöÿâêîôûŷçæœ]*'?){1,2}){1,5})$" },
    },
    {
      name: 'NOMBRE_OCCURRENCES',
      title: "Nombre d'occurrences",
      type: 'integer',
      example: '353',
      constraints: { required: true, minimum: 1, maximum: 999999 },
    },
    { name: 'ANNEE', title: 'Année', type: 'year', example: '2016', constraints: { required: true } },
  ],
};
