/**
 * Headings of communes' own tables (header-aliases.ts): each names its column alone, and a
 * table headed in plain French is read without renaming a column.
 */
import { compileSchema } from '../../../functions/domain/schema/compile';
import { headingCore } from '../../../functions/domain/schema/normalize-fr';
import { builtinSchemas } from '../../../functions/domain/schemas/registry';

describe('header aliases of the built-in schemas', () => {
  it('each names its own column, alone, in its schema', () => {
    for (const schema of builtinSchemas) {
      const compiled = compileSchema(schema);
      for (const [field, aliases] of Object.entries(schema.aliases ?? {})) {
        const at = schema.fields.findIndex((f) => f.name === field);
        expect({ schema: schema.id, field, known: at >= 0 }).toEqual({ schema: schema.id, field, known: true });
        for (const alias of aliases) {
          const columns = Array.from(compiled.bind([alias]).validator.columns);
          expect({ schema: schema.id, alias, reads: columns.map((c, i) => (c === 0 ? schema.fields[i].name : null)).filter(Boolean) }).toEqual({ schema: schema.id, alias, reads: [field] });
        }
      }
    }
  });

  it('reads a subventions table headed as an accounting export heads it', () => {
    const subventions = builtinSchemas.find((s) => s.id === 'scdl/subventions')!;
    const header = ['Collectivité', 'SIRET collectivité', 'Date de convention', 'N° délibération', 'Bénéficiaire', 'SIRET', 'N° RNA', 'Objet', 'Montant (€)', 'Nature de l’aide', 'Modalités de versement', 'Date(s) de versement', 'Notification UE', 'Taux (%)'];
    const { issues, validator } = compileSchema(subventions).bind(header);
    const read = Object.fromEntries(Array.from(validator.columns).map((c, i) => [subventions.fields[i].name, c >= 0 ? header[c] : null]));
    expect(read).toEqual({
      nomAttribuant: 'Collectivité',
      idAttribuant: 'SIRET collectivité',
      dateConvention: 'Date de convention',
      referenceDecision: 'N° délibération',
      nomBeneficiaire: 'Bénéficiaire',
      idBeneficiaire: 'SIRET',
      rnaBeneficiaire: 'N° RNA',
      objet: 'Objet',
      montant: 'Montant (€)',
      nature: 'Nature de l’aide',
      conditionsVersement: 'Modalités de versement',
      datesPeriodeVersement: 'Date(s) de versement',
      idRAE: null,
      notificationUE: 'Notification UE',
      pourcentageSubvention: 'Taux (%)',
      dispositifAide: null,
    });
    // Read, and said: one warning naming each heading and the column it is read as.
    expect(issues.map((i) => i.code)).toEqual(['header-renamed']);
    expect(issues[0].message).toContain('« Montant (€) » lue comme « montant »');
  });

  it('takes a second heading of a column read already as an extra column, saying which (not a duplicate)', () => {
    const deliberations = builtinSchemas.find((s) => s.id === 'scdl/deliberations')!;
    const { issues } = compileSchema(deliberations).bind(['DELIB_ID', 'Date', 'Date de séance', 'DELIB_OBJET']);
    expect(issues.filter((i) => i.code === 'extra-column')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        column: 'Date de séance',
        message: 'La colonne « Date de séance » pourrait être « DELIB_DATE », mais celle-ci est déjà lue dans la colonne « Date » : elle sera ignorée. Si c’est elle qu’il faut publier, renommez-la « DELIB_DATE ».',
      }),
    ]);
    // The schema's own name wins over an alias, wherever it is.
    const named = compileSchema(deliberations).bind(['Date', 'DELIB_DATE']);
    expect(named.validator.columns[deliberations.fields.findIndex((f) => f.name === 'DELIB_DATE')]).toBe(1);
  });

  it('reads a heading without what a template adds around a name', () => {
    expect(['Montant (€)', 'Montant en euros', 'Date * (JJ/MM/AAAA)', 'Objet :', '* Objet', 'Taux [%]', 'Montant €'].map(headingCore)).toEqual([
      'Montant',
      'Montant',
      'Date',
      'Objet',
      'Objet',
      'Taux',
      'Montant',
    ]);
    expect(headingCore('(€)')).toBe('(€)');
    expect(headingCore('%')).toBe('%');
  });
});
