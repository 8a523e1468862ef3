import type { Dataset, Distribution, Licence } from '../datasets/dataset';
import type { TableSchemaDescriptor } from '../schema/types';

export const LICENCE_INFO: Record<Licence, { title: string; path: string }> = {
  'etalab-2.0': { title: 'Licence Ouverte / Open Licence version 2.0', path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
  'odbl-1.0': { title: 'Open Database License (ODbL) 1.0', path: 'https://opendatacommons.org/licenses/odbl/1-0/' },
  'cc-by-4.0': { title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' },
  'cc0-1.0': { title: 'Creative Commons Zero 1.0', path: 'https://creativecommons.org/publicdomain/zero/1.0/' },
};

const FORMATS: Record<Distribution['format'], string> = {
  csv: 'csv',
  json: 'json',
  geojson: 'geojson',
  datapackage: 'json',
  report: 'json',
};

/**
 * A Frictionless Data Package describing one published version: its resources (paths
 * relative to the version folder, so the package stays valid when copied to `latest/`),
 * with bytes, SHA-256 and, for the CSV, the Table Schema it conforms to.
 */
export function datapackage(opts: {
  dataset: Pick<Dataset, 'tenantId' | 'slug' | 'title' | 'description' | 'licence' | 'keywords'>;
  version: number;
  schema: TableSchemaDescriptor | null;
  fields: string[];
  distributions: Distribution[];
  createdAt: string;
}) {
  const { dataset, schema } = opts;
  // Columns published after the schema's (a BAL's language variants, `voie_nom_oci`): text.
  // A schema's column left out (a BAL's `cle_interop` the file lacks) is not described.
  const own = new Set(schema?.fields.map((f) => f.name));
  const published = new Set(opts.fields);
  const added = opts.fields.filter((name) => !own.has(name)).map((name) => ({ name, type: 'string' }));
  const tableSchema = schema
    ? {
        fields: [
          ...schema.fields.filter((f) => published.has(f.name)).map((f) => ({
            name: f.name,
            type: f.type,
            ...(f.format ? { format: f.format } : {}),
            ...(f.title ? { title: f.title } : {}),
            ...(f.trueValues ? { trueValues: f.trueValues, falseValues: f.falseValues } : {}),
            ...(f.constraints ? { constraints: f.constraints } : {}),
          })),
          ...added,
        ],
        ...(schema.missingValues ? { missingValues: schema.missingValues } : {}),
        ...(schema.primaryKey ? { primaryKey: schema.primaryKey } : {}),
      }
    : { fields: opts.fields.map((name) => ({ name, type: 'string' })) };
  const licence = LICENCE_INFO[dataset.licence];
  return {
    profile: 'data-package',
    name: `${dataset.tenantId}-${dataset.slug}`,
    title: dataset.title,
    ...(dataset.description ? { description: dataset.description } : {}),
    version: String(opts.version),
    created: opts.createdAt,
    keywords: dataset.keywords,
    licenses: [{ name: dataset.licence, title: licence.title, path: licence.path }],
    ...(schema ? { schema: { id: schema.id, version: schema.version, ...(schema.url ? { url: schema.url } : {}) } } : {}),
    resources: opts.distributions
      .filter((d) => d.format !== 'datapackage')
      .map((d) => {
        const path = d.key.slice(d.key.lastIndexOf('/') + 1);
        return {
          name: path.replace(/\./g, '-'),
          path,
          format: FORMATS[d.format],
          mediatype: d.mediaType.split(';')[0],
          encoding: 'utf-8',
          bytes: d.bytes,
          hash: `sha256:${d.sha256}`,
          ...(d.format === 'csv' ? { profile: 'tabular-data-resource', schema: tableSchema, dialect: { delimiter: schema?.outputDelimiter ?? ',' } } : {}),
        };
      }),
  };
}
