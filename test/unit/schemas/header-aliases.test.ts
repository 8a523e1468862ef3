/**
 * Headings of communes' own tables (header-aliases.ts): each names its column alone, and a
 * table headed in plain French is read without renaming a column.
 */
import { compileSchema } from '../../../functions/domain/schema/compile';
import { headingCore } from '../../../functions/domain/schema/normalize-fr';
import { builtinSchemas } from '../../../functions/domain/schemas/registry';
import { headerScore } from '../../../functions/domain/standardize/row-pipeline';

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
    const header = ['Collectivité', 'SIRET collectivité', 'Date de convention', 'N° délibération', 'Bénéficiaire', 'SIRET', 'N° RNA', 'Objet', 'Montant (€)', 'Nature de l’aide', 'Modalités de versement', 'Date(s) de versement', 'Notification UE', 'Taux'];
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
      pourcentageSubvention: 'Taux',
      dispositifAide: null,
    });
    // Read, and said: one warning naming each heading and the column it is read as.
    expect(issues.map((i) => i.code)).toEqual(['header-renamed']);
    expect(issues[0].message).toContain('« Montant (€) » lue comme « montant »');
  });

  it('gives a column to its most specific heading; the other is an extra column that says which (not a duplicate)', () => {
    const deliberations = builtinSchemas.find((s) => s.id === 'scdl/deliberations')!;
    const at = (name: string) => deliberations.fields.findIndex((f) => f.name === name);
    const { issues, validator } = compileSchema(deliberations).bind(['Numéro', 'Date', 'Date de séance', 'N° de délibération', 'DELIB_OBJET']);
    expect([validator.columns[at('DELIB_DATE')], validator.columns[at('DELIB_ID')]]).toEqual([2, 3]);
    expect(issues.filter((i) => i.code === 'extra-column').map((i) => i.message)).toEqual([
      'La colonne « Numéro » pourrait être « DELIB_ID », mais celle-ci est déjà lue dans la colonne « N° de délibération » : elle sera ignorée. Si c’est elle qu’il faut publier, retirez la colonne « N° de délibération » du fichier ou renommez celle-ci « DELIB_ID ».',
      'La colonne « Date » pourrait être « DELIB_DATE », mais celle-ci est déjà lue dans la colonne « Date de séance » : elle sera ignorée. Si c’est elle qu’il faut publier, retirez la colonne « Date de séance » du fichier ou renommez celle-ci « DELIB_DATE ».',
    ]);
    // The schema's own name wins over any alias, wherever it is; the advice is then only to remove it.
    const named = compileSchema(deliberations).bind(['Date de séance', 'DELIB_DATE']);
    expect(named.validator.columns[at('DELIB_DATE')]).toBe(1);
    expect(named.issues.find((i) => i.code === 'extra-column')?.message).toMatch(/retirez la colonne « DELIB_DATE » du fichier\.$/);
  });

  it('counts two headings named by alias as one named by its name in the header score: a summary tab is no table', () => {
    const subventions = builtinSchemas.find((s) => s.id === 'scdl/subventions')!;
    const score = headerScore(subventions);
    expect(score(['Association', 'Montant total'])).toBe(1);
    expect(score(['nomBeneficiaire', 'montant'])).toBe(2);
    expect(score(['Collectivité', 'SIRET collectivité', 'Date de convention', 'Bénéficiaire', 'SIRET', 'Objet', 'Montant', 'Nature', 'Taux'])).toBe(6);
  });

  it('reads a heading without what a template adds around a name', () => {
    expect(['Montant (€)', 'Montant en euros', 'Date * (JJ/MM/AAAA)', 'Objet :', '* Objet', 'Montant €'].map(headingCore)).toEqual(['Montant', 'Montant', 'Date', 'Objet', 'Objet', 'Montant']);
    // Not a scale or a qualifier: « Montant (k€) » counts thousands, « SIRET (attribuant) » says whose.
    // « Taux (%) » counts in percent where pourcentageSubvention wants a share: 1 would be 100 %.
    expect(['Montant (k€)', 'SIRET (attribuant)', 'Montant (en milliers)', 'Taux (%)', 'Taux %'].map(headingCore)).toEqual(['Montant (k€)', 'SIRET (attribuant)', 'Montant (en milliers)', 'Taux (%)', 'Taux %']);
    expect(headingCore(`${' '.repeat(40_000)}x`)).toBe('x');
    expect(headingCore('(€)')).toBe('(€)');
    expect(headingCore('%')).toBe('%');
  });
});
