/**
 * The SCDL « catalogue simplifié » (scdl/catalogue 0.1.3): one row per published dataset,
 * in the column order of the built-in descriptor. The catalogue's collectivité (COLL_*) is
 * the département that runs the platform; the producer (PRODUCTEUR_*) is the publishing
 * tenant. Required columns with no source value get a documented fallback:
 * DESCRIPTION ← title, THEME ← « Non classé », MOTS_CLES ← the schema id (else « données »),
 * COUV_TEMP_DEBUT/FIN ← the temporal coverage, else the first publication / last update date.
 */
import { catalogue } from '../schemas/builtin/catalogue';
import type { Value } from '../schema/types';
import type { CatalogItem, Publisher } from './catalog-item';
import { DATA_FORMATS, SCDL_FREQUENCIES, SCDL_LICENCES, SCDL_SPATIAL_GRAIN } from './vocabularies';

export const SCDL_CATALOGUE_FIELDS: readonly string[] = catalogue.fields.map((f) => f.name);

const day = (iso: string) => iso.slice(0, 10);

export function scdlCatalogueRow(item: CatalogItem, coll: Publisher): Value[] {
  const data = item.distributions.filter((d) => DATA_FORMATS.includes(d.format));
  const csv = data.find((d) => d.format === 'csv') ?? data[0] ?? item.distributions[0];
  const row: Record<string, Value> = {
    COLL_NOM: coll.name,
    COLL_SIRET: coll.siret ?? null,
    ID: item.id.replace('/', '-'),
    TITRE: item.title,
    DESCRIPTION: item.description ?? item.title,
    THEME: item.theme ?? 'Non classé',
    PRODUCTEUR_NOM: item.publisher.name,
    PRODUCTEUR_SIRET: item.publisher.siret ?? null,
    COUV_SPAT_MAILLE: SCDL_SPATIAL_GRAIN[item.publisher.kind],
    COUV_SPAT_NOM: item.publisher.name,
    COUV_TEMP_DEBUT: item.temporalCoverage?.start ?? day(item.createdAt),
    COUV_TEMP_FIN: item.temporalCoverage?.end ?? day(item.modified),
    DATE_PUBL: day(item.createdAt),
    FREQ_MAJ: SCDL_FREQUENCIES[item.frequency ?? 'unknown'],
    DATE_MAJ: day(item.modified),
    MOTS_CLES: item.keywords.length > 0 ? item.keywords.join(';') : (item.schema?.id ?? 'données'),
    LICENCE: SCDL_LICENCES[item.licence],
    NOMBRE_RESSOURCES: Math.max(1, data.length),
    FORMAT_RESSOURCES: (data.length > 0 ? data : item.distributions).map((d) => d.format).join(';') || 'csv',
    URL: csv?.url ?? null,
  };
  return SCDL_CATALOGUE_FIELDS.map((name) => row[name] ?? null);
}
