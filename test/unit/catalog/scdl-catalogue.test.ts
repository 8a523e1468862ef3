import { fromFrictionless } from '../../../functions/domain/schema/descriptor';
import { SCDL_CATALOGUE_FIELDS, scdlCatalogueRow } from '../../../functions/domain/catalog/scdl-catalogue';
import { CsvWriter } from '../../../functions/domain/standardize/write/csv-writer';
import { parseCsv, validateTable } from '../schemas/read-table';
import { describeWithReference, readReferenceJson } from '../schemas/reference';
import { item, PUBLISHERS } from './fixtures';

function catalogueCsv(): string {
  const items = [
    item('roques', 'deliberations', { title: 'Délibérations', keywords: ['actes', 'conseil'], theme: 'Administration', frequency: 'monthly' }),
    item('sicoval', 'equipements', { title: '=Équipements, "sportifs"', licence: 'odbl-1.0', temporalCoverage: { start: '2020-01-01', end: '2024-12-31' } }),
    item('haute-garonne', 'brut', { schemaId: 'none', licence: 'cc0-1.0', frequency: undefined }),
  ];
  const w = new CsvWriter(SCDL_CATALOGUE_FIELDS);
  return w.header() + items.map((i) => w.row(scdlCatalogueRow(i, PUBLISHERS['haute-garonne']))).join('') + w.footer();
}

describeWithReference('SCDL catalogue export against the official scdl/catalogue schema', () => {
  it('every row is valid for our engine compiled from the OFFICIAL schema.json', () => {
    const official = fromFrictionless(readReferenceJson('catalogue', 'schema.json'), 'scdl/catalogue');
    const table = parseCsv(catalogueCsv(), ',');
    expect(table.header).toEqual(official.fields.map((f) => f.name));
    const { errors } = validateTable(official, table);
    expect(errors).toEqual([]);
    expect(table.rows).toHaveLength(3);
  });
});

describe('SCDL catalogue row', () => {
  it('maps licences, frequencies, spatial grain and falls back on required columns', () => {
    const row = Object.fromEntries(
      SCDL_CATALOGUE_FIELDS.map((f, i) => [f, scdlCatalogueRow(item('sicoval', 'x', { licence: 'odbl-1.0', frequency: 'annual' }), PUBLISHERS['haute-garonne'])[i]]),
    );
    expect(row).toMatchObject({
      COLL_NOM: 'Département de la Haute-Garonne',
      COLL_SIRET: '22310001700019',
      PRODUCTEUR_NOM: 'Sicoval',
      PRODUCTEUR_SIRET: '24310051800014',
      COUV_SPAT_MAILLE: 'Intercommunale',
      LICENCE: 'Open Database License-ODBL',
      FREQ_MAJ: 'Annuelle',
      DESCRIPTION: 'Jeu x',
      THEME: 'Non classé',
      NOMBRE_RESSOURCES: 2,
      FORMAT_RESSOURCES: 'csv;json',
      URL: 'https://donnees.example.fr/datasets/sicoval/x/latest/data.csv',
    });
  });
});
