/**
 * Headings communes' own tables use for the SCDL columns (« Bénéficiaire », « Montant »,
 * « Date de séance », « Code postal »…): an export of the accounting or the minutes software,
 * or a table kept by hand, rarely has the schema's names. Each heading here names one column
 * only, as the column's own name or title would: matched ignoring case, accents, spaces and
 * dashes (compile.ts › foldName), after what a template adds around a name (`Montant (€)`,
 * `Date * (JJ/MM/AAAA)`: normalize-fr.ts › headingCore). The file is read with a
 * `header-renamed` warning naming each, so the employee sees what was understood.
 *
 * Each field's list goes from the specific to the generic: when two headings name one field,
 * the first listed wins (« N° de délibération » over « Numéro »), and the other is an extra
 * column. A heading often meaning something else is left out (« N° », a row number; « Site »,
 * a place; « Document », a file name; « Séance »), and so is one that could be two columns
 * (« SIRET » in a subventions table is kept for the bénéficiaire, whose SIRET is what a
 * subventions export lists). A test checks that no heading names two columns of a schema,
 * nor another column's name or title.
 */

export const SUBVENTIONS_ALIASES: Record<string, string[]> = {
  nomAttribuant: ['Attribuant', 'Collectivité', 'Collectivité attribuante', 'Nom de la collectivité', 'Organisme attribuant', 'Financeur'],
  idAttribuant: ['SIRET attribuant', "SIRET de l'attribuant", 'SIRET de la collectivité', 'SIRET collectivité', 'Identifiant attribuant', "Identifiant de l'attribuant"],
  dateConvention: ['Date de convention', 'Date convention', 'Date de la convention', 'Date de signature de la convention', "Date d'attribution", 'Date attribution'],
  referenceDecision: [
    'Référence décision',
    'Référence de la délibération',
    'Délibération',
    'N° délibération',
    'N° de délibération',
    'Numéro de délibération',
    'N° décision',
    'Numéro de décision',
    'Décision',
  ],
  nomBeneficiaire: ['Bénéficiaire', 'Association', "Nom de l'association", 'Organisme bénéficiaire', 'Raison sociale', 'Nom de la structure', 'Tiers'],
  idBeneficiaire: ['SIRET du bénéficiaire', 'SIRET bénéficiaire', "SIRET de l'association", 'Identifiant bénéficiaire', 'N° SIRET', 'Numéro SIRET', 'SIRET'],
  rnaBeneficiaire: ['RNA', 'N° RNA', 'Numéro RNA', 'RNA bénéficiaire', 'RNA du bénéficiaire', 'N° RNA du bénéficiaire', "RNA de l'association"],
  objet: ['Objet de la demande', 'Intitulé', 'Libellé', 'Projet', 'Intitulé du projet', 'Action'],
  montant: ['Montant attribué', 'Montant accordé', 'Montant voté', 'Montant de la subvention', 'Montant total', 'Montant subvention'],
  nature: ["Nature de l'aide", 'Type de subvention', "Type d'aide", "Forme de l'aide"],
  conditionsVersement: ['Conditions de versement', 'Modalités de versement', 'Modalité de versement', 'Versement', 'Type de versement'],
  datesPeriodeVersement: ['Dates ou période de versement', 'Période de versement', 'Date(s) de versement', 'Dates de versement', 'Date de versement', 'Date du versement'],
  idRAE: ['RAE', 'Identifiant RAE', 'N° RAE'],
  notificationUE: ['Notification UE', 'Notifiée UE', "Aide d'État", "Aide d'Etat notifiée"],
  pourcentageSubvention: ['Pourcentage', 'Pourcentage de la subvention', 'Pourcentage subvention', 'Taux', 'Taux de subvention', 'Taux de financement', 'Part de la subvention'],
  dispositifAide: ['Dispositif', "Dispositif d'aide", 'Identifiant du dispositif'],
};

export const DELIBERATIONS_ALIASES: Record<string, string[]> = {
  COLL_NOM: ['Nom collectivité', 'Collectivité', 'Nom de la commune', 'Commune', 'Organisme'],
  COLL_SIRET: ['SIRET de la collectivité', 'SIRET collectivité', 'N° SIRET', 'Numéro SIRET', 'SIRET'],
  DELIB_ID: ['Numéro de délibération', 'N° de délibération', 'N° délibération', "Numéro de l'acte", 'N° acte', 'Numéro', 'Identifiant', 'Référence'],
  DELIB_DATE: ['Date de la délibération', 'Date de délibération', "Date d'adoption", 'Date de séance', 'Date de la séance', 'Date du conseil municipal', 'Date du conseil', 'Date'],
  DELIB_MATIERE_CODE: ['Code matière', 'Code de la matière', 'Code nomenclature', 'Code ACTES', 'Nomenclature'],
  DELIB_MATIERE_NOM: ['Matière', 'Nom matière', 'Nom de la matière', 'Libellé matière', 'Libellé de la matière'],
  DELIB_OBJET: ['Objet', 'Intitulé', 'Libellé', 'Titre'],
  BUDGET_ANNEE: ['Année budget', 'Exercice', 'Exercice budgétaire'],
  BUDGET_NOM: ['Budget', 'Nom budget'],
  PREF_ID: ['Préfecture', 'Contrôle de légalité', 'Numéro préfecture', 'N° préfecture', 'Numéro de préfecture', 'Identifiant préfecture', 'N° AR préfecture'],
  PREF_DATE: ['Date de transmission', 'Date transmission préfecture', 'Date de réception en préfecture', 'Date préfecture', "Date d'accusé de réception", 'Date AR préfecture'],
  VOTE_EFFECTIF: ['Effectif', 'Membres en exercice', 'Nombre de membres en exercice', 'Conseillers en exercice', 'En exercice'],
  VOTE_REEL: ['Votants', 'Nombre de votants', 'Présents et représentés', 'Effectif réel'],
  VOTE_POUR: ['Votes pour', 'Voix pour'],
  VOTE_CONTRE: ['Votes contre', 'Voix contre'],
  VOTE_ABSTENTION: ['Abstentions', 'Abstention', "Nombre d'abstentions"],
  DELIB_URL: ['Lien vers le document', 'Lien document', 'Adresse du document', 'Lien PDF', 'Lien', 'URL'],
};

export const EQUIPEMENTS_ALIASES: Record<string, string[]> = {
  COLL_NOM: ['Collectivité', 'Nom collectivité'],
  COLL_SIRET: ['SIRET', 'N° SIRET', 'SIRET collectivité', 'SIRET de la collectivité'],
  EQUIP_UID: ['Identifiant unique', 'Identifiant', 'Identifiant équipement', "Identifiant de l'équipement", 'Identifiant unique équipement', 'N° équipement', "Numéro d'équipement", 'Numéro équipement', 'UID', 'ID'],
  EQUIP_THEME: ['Thème', 'Thématique'],
  EQUIP_CODE: ['Code équipement', 'Code'],
  EQUIP_TYPE: ['Type équipement', 'Type'],
  EQUIP_NOM: ["Nom de l'équipement", 'Nom équipement', 'Équipement', 'Nom'],
  ADR_NUMERO: ['Numéro de voie', 'N° de voie', 'N° voie', 'Numéro dans la voie'],
  ADR_NOMVOIE: ['Voie', 'Rue', 'Nom de la voie', 'Nom voie'],
  ADR_CODEPOSTAL: ['CP'],
  ADR_COMMUNE: ['Ville', 'Localité'],
  ADR_CLE_INTEROP: ['Clé interop', "Clé d'interopérabilité"],
  ERP_ID: ['N° ERP', 'Identifiant ERP'],
  ERP_TYPE: ['Type ERP'],
  ERP_CATEGORIE: ['Catégorie ERP'],
  EQUIP_LAT: ['Lat'],
  EQUIP_LONG: ['Long', 'Lng', 'Lon'],
  EQUIP_OUVERTURE: ['Horaires', "Horaires d'ouverture", 'Jours et horaires'],
  EQUIP_TEL: ['Tél', 'Tél.', 'Tel', 'N° de téléphone'],
  EQUIP_EMAIL: ['Email', 'E-mail', 'Courriel', 'Mail', 'Adresse mail', 'Adresse électronique'],
  EQUIP_WEB: ['Site web', 'Site internet', 'URL', 'Web'],
};

export const PRENOMS_ALIASES: Record<string, string[]> = {
  COMMUNE_NOM: ['Commune', 'Nom de la commune', 'Nom commune'],
  COLL_INSEE: ['Code INSEE', 'INSEE', 'Code commune', 'Code INSEE de la commune'],
  ENFANT_SEXE: ['Sexe', 'Genre'],
  ENFANT_PRENOM: ['Prénoms'],
  NOMBRE_OCCURRENCES: ['Nombre', 'Occurrences', 'Nombre de naissances', 'Effectif', 'Nb'],
  ANNEE: ['Année de naissance', 'Millésime'],
};
