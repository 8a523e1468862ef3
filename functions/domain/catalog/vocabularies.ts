/**
 * Controlled vocabularies the exports map to: EU authority tables (frequency, file type),
 * IANA media types, licence IRIs, and the labels of the SCDL catalogue format.
 */
import type { DistributionFormat, Frequency, Licence } from '../datasets/dataset';
import type { TenantKind } from '../tenants/tenant';

/**
 * Licence IRIs. Etalab 2.0 → the Etalab page, the IRI data.gouv.fr itself uses for the
 * Licence Ouverte (its harvester recognises it); the others → their SPDX IRIs.
 */
export const LICENCE_IRIS: Record<Licence, string> = {
  'etalab-2.0': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  'odbl-1.0': 'http://spdx.org/licenses/ODbL-1.0',
  'cc-by-4.0': 'http://spdx.org/licenses/CC-BY-4.0',
  'cc0-1.0': 'http://spdx.org/licenses/CC0-1.0',
};

const EU_FREQUENCY = 'http://publications.europa.eu/resource/authority/frequency/';
export const FREQUENCY_IRIS: Record<Frequency, string> = {
  unknown: EU_FREQUENCY + 'UNKNOWN',
  continuous: EU_FREQUENCY + 'CONT',
  daily: EU_FREQUENCY + 'DAILY',
  weekly: EU_FREQUENCY + 'WEEKLY',
  monthly: EU_FREQUENCY + 'MONTHLY',
  quarterly: EU_FREQUENCY + 'QUARTERLY',
  semiannual: EU_FREQUENCY + 'ANNUAL_2',
  annual: EU_FREQUENCY + 'ANNUAL',
  irregular: EU_FREQUENCY + 'IRREG',
};

const EU_FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
export const FILE_TYPE_IRIS: Record<DistributionFormat, string> = {
  csv: EU_FILE_TYPE + 'CSV',
  json: EU_FILE_TYPE + 'JSON',
  geojson: EU_FILE_TYPE + 'GEOJSON',
  datapackage: EU_FILE_TYPE + 'JSON',
  report: EU_FILE_TYPE + 'JSON',
};

/** IANA media-type IRI of a `type/subtype` (parameters dropped). */
export function mediaTypeIri(mediaType: string): string {
  return 'https://www.iana.org/assignments/media-types/' + mediaType.split(';')[0].trim().toLowerCase();
}

export const SCDL_FREQUENCIES: Record<Frequency, string> = {
  unknown: 'Inconnue',
  continuous: 'Continuelle',
  daily: 'Quotidienne ou plusieurs fois par jour',
  weekly: 'Hebdomadaire ou plusieurs fois par semaine',
  monthly: 'Mensuelle ou plusieurs fois par mois',
  quarterly: 'Trimestrielle',
  semiannual: 'Semestrielle',
  annual: 'Annuelle',
  irregular: 'Irrégulière',
};

export const SCDL_LICENCES: Record<Licence, string> = {
  'etalab-2.0': 'Licence Ouverte-LO',
  'odbl-1.0': 'Open Database License-ODBL',
  'cc-by-4.0': 'Creative Commons-CC',
  'cc0-1.0': 'Creative Commons-CC',
};

export const SCDL_SPATIAL_GRAIN: Record<TenantKind | 'unknown', string> = {
  commune: 'Communale',
  epci: 'Intercommunale',
  departement: 'Départementale',
  other: 'Autre',
  unknown: 'Autre',
};

/** Formats that carry the data (the others describe it). */
export const DATA_FORMATS: readonly DistributionFormat[] = ['csv', 'json', 'geojson'];
