import { compileSchema } from '../../../functions/domain/schema/compile';
import { one, schemaOf, validatorFor } from './helpers';

describe('field types', () => {
  it('string, with email / uri / uuid formats', () => {
    expect(one({ name: 's', type: 'string' }, '  texte  ')).toMatchObject({ value: 'texte', codes: [] });
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'mairie@ville.fr').codes).toEqual([]);
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'mairie@').codes).toEqual(['type-error']);
    // As the official validators take an address: no dot first, last or twice, a real domain.
    for (const bad of ['jean..dupont@ville.fr', '.jean@ville.fr', 'a@b.c', 'a@x..fr', 'a@-x.fr', 'a:b@ville.fr']) {
      expect(one({ name: 'e', type: 'string', format: 'email' }, bad).codes).toEqual(['type-error']);
    }
    // A link's `mailto:` and a sentence's full stop are not part of it.
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'mailto:mairie@ville.fr')).toMatchObject({ value: 'mairie@ville.fr', codes: [] });
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'mairie@ville.fr.')).toMatchObject({ value: 'mairie@ville.fr', codes: [] });
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'médiathèque@saint-étienne.fr').codes).toEqual([]);
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'Médiathèque <mediatheque@ville.fr>')).toMatchObject({ value: 'mediatheque@ville.fr', codes: [] });
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'mailto:mairie@ville.fr?subject=Demande')).toMatchObject({ value: 'mairie@ville.fr', codes: [] });
    for (const bad of ['contact@mairie.fr/contact', 'a@b.fr#x', 'x@ville.123']) expect(one({ name: 'e', type: 'string', format: 'email' }, bad).codes).toEqual(['type-error']);
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'creche@castanet..fr').issues[0].message).toContain('deux points de suite');
    expect(one({ name: 'e', type: 'string', format: 'email' }, 'x@mairie.xn--p1ai').codes).toEqual([]);
    expect(one({ name: 'u', type: 'string', format: 'uri' }, 'https://ville.fr/a').codes).toEqual([]);
    expect(one({ name: 'u', type: 'string', format: 'uri' }, 'www.ville.fr')).toMatchObject({ value: 'https://www.ville.fr', codes: ['scheme-added'] });
    expect(one({ name: 'u', type: 'string', format: 'uri' }, 'https://www.ville.fr')).toMatchObject({ value: 'https://www.ville.fr', codes: [] });
    expect(one({ name: 'u', type: 'string', format: 'uri' }, 'pas une url').codes).toEqual(['type-error']);
    // Never published: a place on a computer or network, an address a browser runs.
    for (const local of ['C:\\Users\\mdupont\\DEL-2024-001.pdf', 'file://SRV-MAIRIE/Partage/DEL.pdf', '\\\\serveur\\actes\\a.pdf', 'javascript:alert(document.cookie)', 'data:text/html,x']) {
      expect(one({ name: 'u', type: 'string', format: 'uri' }, local).codes).toEqual(['type-error']);
    }
    expect(one({ name: 'u', type: 'string', format: 'uri' }, 'C:\\Users\\a.pdf').issues[0].message).toContain('mettez le document en ligne');
    expect(one({ name: 'u', type: 'string', format: 'uri' }, 'mailto:mairie@ville.fr').codes).toEqual([]);
    expect(one({ name: 'i', type: 'string', format: 'uuid' }, '65D5B6C7-102C-4440-AC3B-768F708EDC0A').value).toBe('65d5b6c7-102c-4440-ac3b-768f708edc0a');
    expect(one({ name: 'i', type: 'string', format: 'uuid' }, '65d5b6c7').codes).toEqual(['type-error']);
  });

  it('integer, canonical and French', () => {
    expect(one({ name: 'n', type: 'integer' }, '42')).toMatchObject({ value: 42, codes: [] });
    expect(one({ name: 'n', type: 'integer' }, '1 234')).toMatchObject({ value: 1234, codes: [] });
    expect(one({ name: 'n', type: 'integer' }, '12,5').codes).toEqual(['type-error']);
    expect(one({ name: 'n', type: 'integer' }, 'douze')).toMatchObject({ value: null, codes: ['type-error'] });
  });

  it('number: canonical, French, decimalChar/groupChar and bareNumber', () => {
    expect(one({ name: 'm', type: 'number' }, '47800.20').value).toBe(47800.2);
    expect(one({ name: 'm', type: 'number' }, '1\u202F234,56 €').value).toBe(1234.56);
    expect(one({ name: 'm', type: 'number', decimalChar: ',', groupChar: ' ' }, '1 234,5').value).toBe(1234.5);
    expect(one({ name: 'm', type: 'number', bareNumber: false }, '12.5%').value).toBe(12.5);
    expect(one({ name: 'm', type: 'number' }, '12.5%').codes).toEqual(['type-error']);
  });

  it('boolean: the field values, the spec defaults, then French spellings', () => {
    const ouiNon = { name: 'b', type: 'boolean' as const, trueValues: ['oui'], falseValues: ['non'] };
    expect(one(ouiNon, 'oui').value).toBe(true);
    expect(one(ouiNon, 'Non').value).toBe(false);
    expect(one(ouiNon, 'yes').value).toBe(true);
    expect(one(ouiNon, 'peut-être')).toMatchObject({ value: null, codes: ['type-error'] });
    expect(one({ name: 'b', type: 'boolean' }, 'TRUE').value).toBe(true);
    expect(one({ name: 'b', type: 'boolean' }, '0').value).toBe(false);
    expect(one(ouiNon, 'peut-être').issues[0].message).toContain('oui ou non');
  });

  it('date: ISO, French spellings, a schema format; 31/02 rejected', () => {
    expect(one({ name: 'd', type: 'date' }, '2024-12-31').value).toBe('2024-12-31');
    expect(one({ name: 'd', type: 'date' }, '31/12/2024').value).toBe('2024-12-31');
    expect(one({ name: 'd', type: 'date' }, '31.12.2024').value).toBe('2024-12-31');
    expect(one({ name: 'd', type: 'date' }, '31/02/2024').codes).toEqual(['type-error']);
    expect(one({ name: 'd', type: 'date' }, '2017-30-05').codes).toEqual(['type-error']);
    expect(one({ name: 'd', type: 'date', format: '%d/%m/%Y' }, '05/12/2016').value).toBe('2016-12-05');
    expect(one({ name: 'd', type: 'date', format: '%Y-%m-%d' }, '2016-12-05').value).toBe('2016-12-05');
  });

  it('datetime, year, yearmonth and any', () => {
    expect(one({ name: 't', type: 'datetime' }, '2024-12-31T10:00:00Z').value).toBe('2024-12-31T10:00:00Z');
    expect(one({ name: 't', type: 'datetime' }, '31/12/2024 10:05').value).toBe('2024-12-31T10:05:00');
    expect(one({ name: 't', type: 'datetime' }, 'hier').codes).toEqual(['type-error']);
    expect(one({ name: 'y', type: 'year' }, '2024').value).toBe(2024);
    expect(one({ name: 'y', type: 'year' }, '24').codes).toEqual(['type-error']);
    expect(one({ name: 'ym', type: 'yearmonth' }, '2024-03').value).toBe('2024-03');
    expect(one({ name: 'ym', type: 'yearmonth' }, '03/2024').value).toBe('2024-03');
    expect(one({ name: 'ym', type: 'yearmonth' }, '2024-13').codes).toEqual(['type-error']);
    expect(one({ name: 'a', type: 'any' }, 'n’importe quoi').value).toBe('n’importe quoi');
  });
});

describe('constraints', () => {
  it('required, with missingValues', () => {
    const f = { name: 'r', type: 'string' as const, constraints: { required: true } };
    expect(one(f, '').codes).toEqual(['required']);
    expect(one(f, '   ').codes).toEqual(['required']);
    expect(one(f, null).codes).toEqual(['required']);
    expect(one({ name: 'o', type: 'string' }, '')).toMatchObject({ value: null, codes: [] });
    const v = validatorFor([f], { missingValues: ['', 'NA'] });
    expect(v.validate(['NA'], 2).issues.map((i) => i.code)).toEqual(['required']);
    const perField = validatorFor([{ name: 'x', type: 'integer', missingValues: ['-'] }]);
    expect(perField.validate(['-'], 2)).toEqual({ values: [null], issues: [] });
  });

  it('minLength and maxLength count characters', () => {
    const f = { name: 's', type: 'string' as const, constraints: { minLength: 2, maxLength: 3 } };
    expect(one(f, 'a').codes).toEqual(['min-length']);
    expect(one(f, 'abcd').codes).toEqual(['max-length']);
    expect(one(f, 'é😀').codes).toEqual([]);
  });

  it('minimum and maximum on numbers and dates', () => {
    const n = { name: 'p', type: 'number' as const, constraints: { minimum: 0.01, maximum: 1 } };
    expect(one(n, '0.5').codes).toEqual([]);
    expect(one(n, '0').codes).toEqual(['minimum']);
    expect(one(n, '1,5').codes).toEqual(['maximum']);
    const d = { name: 'd', type: 'date' as const, constraints: { minimum: '2020-01-01' } };
    expect(one(d, '31/12/2019').codes).toEqual(['minimum']);
    expect(one(d, '2020-01-01').codes).toEqual([]);
  });

  it('pattern matches the whole value', () => {
    const f = { name: 'w', type: 'string' as const, constraints: { pattern: 'W\\d{9}' } };
    expect(one(f, 'W380475558').codes).toEqual([]);
    expect(one(f, 'xW380475558x').codes).toEqual(['pattern']);
    const alt = { name: 'a', type: 'string' as const, constraints: { pattern: 'a|b' } };
    expect(one(alt, 'ab').codes).toEqual(['pattern']);
  });

  it('pattern normalisation: SIREN with spaces/dots, INSEE code that lost its leading zero', () => {
    const siren = { name: 's', type: 'string' as const, constraints: { pattern: '^\\d{9}$' } };
    expect(one(siren, '218 601 946')).toMatchObject({ value: '218601946', codes: [] });
    expect(one(siren, '218.601.946')).toMatchObject({ value: '218601946', codes: [] });
    const insee = { name: 'c', type: 'string' as const, constraints: { pattern: '^([013-9]\\d|2[AB1-9])\\d{3}$' } };
    // Restored, and said: a code typed short (3238 for 35238) would become another commune's.
    expect(one(insee, '1004')).toMatchObject({ value: '01004', codes: ['zero-restored'] });
    // A number cell's decimals: `1004.0` is 01004 (said); `3155.5` is no code, not 31555.
    expect(one(insee, '1004.0')).toMatchObject({ value: '01004', codes: ['zero-restored'] });
    expect(one(insee, '31555,0')).toMatchObject({ value: '31555', codes: [] });
    expect(one(insee, '3155.5')).toMatchObject({ codes: ['pattern'] });
    // With digit groups too: `1 004.0` is 01004, `3 155.5` and `31.55` no code.
    expect(one(insee, '1 004.0')).toMatchObject({ value: '01004', codes: ['zero-restored'] });
    expect(one(insee, '3 155.5').codes).toEqual(['pattern']);
    expect(one(insee, '31.55').codes).toEqual(['pattern']);
    // One zero only, on four digits or more: `311` is no `00311`, a year `24` no `0024`.
    expect(one(insee, '311')).toMatchObject({ value: '311', codes: ['pattern'] });
    const year = { name: 'y', type: 'string' as const, constraints: { pattern: '^[0-9]{4}(/[0-9]{4})?$' } };
    expect(one(year, '24')).toMatchObject({ value: '24', codes: ['pattern'] });
    expect(one(year, '2024')).toMatchObject({ value: '2024', codes: [] });
    expect(one(insee, '86194')).toMatchObject({ value: '86194', codes: [] });
    // A SIREN in a SIRET column is not "padded" into a SIRET.
    const siret = { name: 't', type: 'string' as const, constraints: { pattern: '^\\d{14}$' } };
    expect(one(siret, '218601946').codes).toEqual(['pattern']);
  });

  it('pattern normalisation never turns a number into a code: a sign is kept, a decimal pattern is not padded (BAL long: -1 is no 001)', () => {
    // The official BAL pattern, its dot unescaped: `001` would pass it.
    const long = { name: 'long', type: 'string' as const, constraints: { pattern: '-?[0-9]{1,2}.[0-9]{1,7}' } };
    expect(one(long, '-1')).toMatchObject({ value: '-1', codes: ['pattern'] });
    expect(one(long, '2')).toMatchObject({ value: '2', codes: ['pattern'] });
    expect(one(long, '-1.5883112')).toMatchObject({ value: '-1.5883112', codes: [] });
    const code = { name: 'c', type: 'string' as const, constraints: { pattern: '^\\d{5}$' } };
    expect(one(code, '-1004')).toMatchObject({ value: '-1004', codes: ['pattern'] });
  });

  it('enum, fixing case and accents when one value matches', () => {
    const f = { name: 'n', type: 'string' as const, constraints: { enum: ['aide en numéraire', 'aide en nature'] } };
    expect(one(f, 'aide en nature').codes).toEqual([]);
    expect(one(f, 'Aide en Numeraire')).toMatchObject({ value: 'aide en numéraire', codes: [] });
    expect(one(f, 'prêt')).toMatchObject({ codes: ['enum'] });
    expect(one({ name: 'i', type: 'integer', constraints: { enum: [1, 2] } }, '3').codes).toEqual(['enum']);
    expect(one({ name: 'i', type: 'integer', constraints: { enum: [1, 2] } }, '2').codes).toEqual([]);
  });

  it('array fields (JSON text) check their items', () => {
    const f = { name: 'l', type: 'string' as const, arrayItem: { type: 'string' as const, constraints: { enum: ['lait', 'soja'] } } };
    expect(one(f, '["lait","soja"]').codes).toEqual([]);
    expect(one(f, '["lait","bois"]').codes).toEqual(['enum']);
    expect(one(f, 'lait').codes).toEqual(['type-error']);
  });

  it('issues carry row, column, value and a French message', () => {
    const r = one({ name: 'montant', type: 'number' }, 'beaucoup');
    expect(r.issues[0]).toEqual({
      code: 'type-error',
      severity: 'error',
      row: 2,
      column: 'montant',
      value: 'beaucoup',
      message: "La valeur « beaucoup » n’est pas un nombre : écrivez-le en chiffres (par exemple 1500 ou 1500,50).",
    });
  });
});

describe('unique and primaryKey', () => {
  it('reports a duplicate on the row where it occurs', () => {
    const v = validatorFor([{ name: 'id', type: 'string', constraints: { unique: true } }]);
    expect(v.validate(['a'], 2).issues).toEqual([]);
    expect(v.validate(['b'], 3).issues).toEqual([]);
    const dup = v.validate(['a'], 4).issues;
    expect(dup).toMatchObject([{ code: 'unique', row: 4, column: 'id', value: 'a' }]);
    expect(dup[0].message).toContain('ligne 2');
    expect(v.validate([''], 5).issues).toEqual([]);
    expect(v.finish()).toEqual([]);
  });

  it('checks composite primary keys and makes their fields required', () => {
    const v = validatorFor(
      [
        { name: 'commune', type: 'string' },
        { name: 'annee', type: 'year' },
      ],
      { primaryKey: ['commune', 'annee'] },
    );
    expect(v.validate(['86194', '2024'], 2).issues).toEqual([]);
    expect(v.validate(['86194', '2023'], 3).issues).toEqual([]);
    expect(v.validate(['86194', '2024'], 4).issues).toMatchObject([{ code: 'primary-key', row: 4, value: '86194, 2024' }]);
    expect(v.validate(['', '2024'], 5).issues.map((i) => i.code)).toEqual(['required']);
  });
});

describe('header binding', () => {
  const schema = compileSchema(
    schemaOf(
      [
        { name: 'dateConvention', type: 'date', constraints: { required: true } },
        { name: 'nomBeneficiaire', type: 'string', constraints: { required: true } },
        { name: 'idRAE', type: 'string' },
        { name: 'montant', type: 'number', constraints: { required: true } },
      ],
      { aliases: { montant: ['somme allouée'] } },
    ),
  );

  it('ignores case, accents, spaces, _ and -, a BOM, and accepts aliases; output in schema order', () => {
    const { issues, validator } = schema.bind(['\uFEFFSomme Allouee', 'nom_beneficiaire', 'Date-Convention']);
    // Accepted; the other spellings are named once, for the next export (see « columns read under another name »).
    expect(issues.map((i) => i.code)).toEqual(['header-renamed']);
    const r = validator.validate(['10', 'Asso', '2024-01-02'], 2);
    expect(r).toEqual({ values: ['2024-01-02', 'Asso', null, 10], issues: [] });
  });

  it('reports a missing required column once, and not on every row', () => {
    const { issues, validator } = schema.bind(['nomBeneficiaire', 'montant']);
    expect(issues).toMatchObject([{ code: 'missing-column', severity: 'error', column: 'dateConvention' }]);
    expect(validator.validate(['Asso', '1'], 2)).toEqual({ values: [null, 'Asso', null, 1], issues: [] });
  });

  it('warns about extra columns and drops them; errors on duplicated columns', () => {
    const { issues, validator } = schema.bind(['dateConvention', 'commentaire', 'nomBeneficiaire', 'montant', 'NOM BENEFICIAIRE']);
    expect(issues).toMatchObject([
      { code: 'extra-column', severity: 'warning', column: 'commentaire' },
      { code: 'duplicate-column', severity: 'error', column: 'nomBeneficiaire' },
    ]);
    expect(validator.validate(['2024-01-02', 'x', 'Asso', '5', 'Autre'], 2).values).toEqual(['2024-01-02', 'Asso', null, 5]);
  });

  it('reads the column named exactly as its field before one naming it otherwise, wherever each stands', () => {
    const { issues, validator } = schema.bind(['NOM BENEFICIAIRE', 'dateConvention', ' nomBeneficiaire', 'nomBeneficiaire', 'montant']);
    expect(issues).toMatchObject([
      { code: 'duplicate-column', column: 'nomBeneficiaire', message: expect.stringContaining('« nomBeneficiaire » (colonne D) est lue, « NOM BENEFICIAIRE » (colonne A) est ignorée') },
      { code: 'duplicate-column', column: 'nomBeneficiaire', message: expect.stringContaining('« nomBeneficiaire » (colonne D) est lue, « nomBeneficiaire » (colonne C) est ignorée') },
    ]);
    expect(validator.validate(['Autre', '2024-01-02', 'Espacé', 'Asso', '5'], 2).values).toEqual(['2024-01-02', 'Asso', null, 5]);
  });

  it('treats short rows as empty cells', () => {
    const { validator } = schema.bind(['dateConvention', 'nomBeneficiaire', 'montant']);
    expect(validator.validate(['2024-01-02'], 2).issues.map((i) => i.code)).toEqual(['required', 'required']);
  });
});

describe('format', () => {
  const schema = compileSchema(
    schemaOf([
      { name: 'd', type: 'date' },
      { name: 'm', type: 'number' },
      { name: 'ue', type: 'boolean', trueValues: ['oui'], falseValues: ['non'] },
      { name: 'b', type: 'boolean' },
      { name: 'fr', type: 'date', format: '%d/%m/%Y' },
      { name: 'n', type: 'integer' },
      { name: 'vide', type: 'string' },
    ]),
  );

  it('writes values the way the official schema expects them', () => {
    const { validator } = schema.bind(schema.fieldNames as string[]);
    const r = validator.validate(['31/12/2024', '1 234,56 €', 'Oui', 'non', '2024-01-05', '1 000', ''], 2);
    expect(r.issues).toEqual([]);
    expect(schema.format(r.values)).toEqual(['2024-12-31', '1234.56', 'oui', 'false', '05/01/2024', '1000', '']);
  });

  it('round-trips: formatted output validates to the same values', () => {
    const { validator } = schema.bind(schema.fieldNames as string[]);
    const first = validator.validate(['2024-12-31', '0,5', 'non', 'vrai', '31/12/2024', '7', 'x'], 2);
    const again = validator.validate(schema.format(first.values), 3);
    expect(again).toEqual({ values: first.values, issues: [] });
    expect(schema.format(again.values)).toEqual(schema.format(first.values));
  });
});

describe('per-row results', () => {
  const fields = [
    { name: 'siret', type: 'string' as const, constraints: { required: true, pattern: '^\\d{14}$' } },
    { name: 'montant', type: 'number' as const, decimalChar: ',' },
    { name: 'total', type: 'number' as const },
  ];

  it('gives each row with issues its own array, and valid rows a shared empty one', () => {
    const v = validatorFor(fields);
    const bad = v.validate(['', '1', '2'], 2);
    const worse = v.validate(['abc', 'x', 'y'], 3);
    const good = v.validate(['213 803 835 00017', '1,5', '2'], 4);
    expect(bad.issues.map((i) => [i.code, i.row])).toEqual([['required', 2]]);
    expect(worse.issues.map((i) => [i.code, i.row])).toEqual([['pattern', 3], ['type-error', 3], ['type-error', 3]]);
    expect(good).toEqual({ values: ['21380383500017', 1.5, 2], issues: [] });
    expect(Object.isFrozen(good.issues)).toBe(true);
    expect(v.validate(['21380383500017', '', ''], 5).issues).toBe(good.issues);
  });

  it('writes numbers as String does, decimal character included', () => {
    const schema = compileSchema(schemaOf(fields));
    const values = [null, 14662.9, 1e-7];
    expect(schema.formatInto(values, ['stale', 'stale', 'stale'])).toEqual(['', '14662,9', '1e-7']);
    expect(schema.format([null, 0.1 + 0.2, -47800.2])).toEqual(['', '0,30000000000000004', '-47800.2']);
    // For the writers: finite numbers written with `.` stay numbers (they write String(v) themselves).
    expect(schema.cellsInto([null, 14662.9, 1e-7], [])).toEqual(['', '14662,9', 1e-7]);
    expect(schema.cellsInto([null, 1, NaN], [])).toEqual(['', '1', 'NaN']);
  });
});

describe('French dates in a text field whose pattern wants ISO dates (SCDL periods)', () => {
  const period = { name: 'datesPeriodeVersement', type: 'string' as const, constraints: { pattern: '^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$' } };
  it('reads them as ISO dates', () => {
    expect(one(period, '15/01/2025')).toMatchObject({ value: '2025-01-15', codes: [] });
    expect(one(period, '15-01-2025')).toMatchObject({ value: '2025-01-15', codes: [] });
    expect(one(period, '01/02/2025/30/06/2025')).toMatchObject({ value: '2025-02-01/2025-06-30', codes: [] });
    expect(one(period, '01/02/2025 au 30/06/2025')).toMatchObject({ value: '2025-02-01/2025-06-30', codes: [] });
  });
  it('still refuses what is not a date or not a period', () => {
    expect(one(period, '31/02/2025').codes).toEqual(['pattern']);
    expect(one(period, '2017-06-27_2018-06-27').codes).toEqual(['pattern']);
    expect(one(period, 'en 2025').codes).toEqual(['pattern']);
  });
  it('leaves other patterns alone', () => {
    expect(one({ name: 'code', type: 'string', constraints: { pattern: '^[0-9]{2}/[0-9]{2}/[0-9]{4}$' } }, '15/01/2025')).toMatchObject({ value: '15/01/2025', codes: [] });
    expect(one({ name: 'annees', type: 'string', constraints: { pattern: '^[0-9]{4}(\\/[0-9]{4})?$' } }, '15/01/2025').codes).toEqual(['pattern']);
  });
});

describe('a proportion (a number bounded by 1, SCDL pourcentageSubvention)', () => {
  const pct = { name: 'pourcentageSubvention', type: 'number' as const, constraints: { minimum: 0, maximum: 1 } };
  it('reads a percentage as the proportion it writes', () => {
    expect(one(pct, '50 %')).toMatchObject({ value: 0.5, codes: [] });
    expect(one(pct, '12,5%')).toMatchObject({ value: 0.125, codes: [] });
    expect(one(pct, '100\u00a0%')).toMatchObject({ value: 1, codes: [] });
    expect(one(pct, '0.45')).toMatchObject({ value: 0.45, codes: [] });
    expect(one(pct, 'cent %').codes).toEqual(['type-error']);
  });
  it('says how to write a percentage typed without its sign', () => {
    const r = one(pct, '50');
    expect(r.codes).toEqual(['maximum']);
    expect(r.issues[0].message).toContain("une proportion s’écrit entre 0 et 1 (50 % s’écrit 0.5)");
    expect(one(pct, '250').issues[0].message).not.toContain('proportion');
  });
  it('says that a percentage over 100 % is more than the whole, typed with its sign or held by a percentage cell (1.5)', () => {
    expect(one(pct, '150 %').issues[0].message).toBe('La valeur « 150 % » dépasse 100 % : une part ne peut pas dépasser le tout (le maximum autorisé est 1, soit 100 %).');
    expect(one(pct, '1.5').issues[0].message).toBe(
      'La valeur « 1.5 » est supérieure au maximum autorisé (1) : une proportion s’écrit entre 0 et 1 ; pour 1,5 %, écrivez 0.015, et une cellule au format pourcentage qui affiche 150 % dépasse le tout.',
    );
  });
  it('leaves other numbers alone: a % there is not a number', () => {
    expect(one({ name: 'montant', type: 'number' }, '50 %').codes).toEqual(['type-error']);
  });
});

describe('header matching by field title', () => {
  it("takes a column headed with a field's title for that field, unless two fields share it", () => {
    const schema = compileSchema(
      schemaOf([
        { name: 'nomAttribuant', title: "Nom de l'attribuant", type: 'string' },
        { name: 'montant', title: 'Montant', type: 'number' },
        { name: 'a', title: 'Code', type: 'string' },
        { name: 'b', title: 'Code', type: 'string' },
      ]),
    );
    const { issues, validator } = schema.bind(["NOM DE L'ATTRIBUANT", 'montant', 'Code']);
    expect(Array.from(validator.columns)).toEqual([0, 1, -1, -1]);
    expect(issues.map((i) => `${i.code}:${i.column}`)).toEqual(['extra-column:Code', 'header-renamed:undefined']);
    expect(issues[1].message).toMatch(/^La colonne « NOM DE L'ATTRIBUANT » .* lue comme « nomAttribuant »\./);
  });
});

describe('columns read under another name', () => {
  const schema = compileSchema(
    schemaOf(
      [
        { name: 'nomAttribuant', title: "Nom de l'attribuant", type: 'string', constraints: { required: true } },
        { name: 'dateConvention', title: 'Date de la convention', type: 'date' },
        { name: 'montant', type: 'number' },
        { name: 'intitulé', type: 'string' },
      ],
      { aliases: { montant: ['somme allouée'] } },
    ),
  );

  it('names them all in one warning on the header, in file order, with the field each is read as', () => {
    const { issues } = schema.bind(['Nom Attribuant', 'DATE CONVENTION', 'montant', 'Somme allouée']);
    expect(issues).toEqual([
      // An alias of a field read already is an extra column, not a duplicate (« Date » beside « Date de séance »).
      expect.objectContaining({ code: 'extra-column', severity: 'warning', column: 'Somme allouée', message: expect.stringContaining('pourrait être « montant », mais celle-ci est déjà lue dans la colonne « montant »') }),
      {
        code: 'header-renamed',
        severity: 'warning',
        row: 1,
        message:
          '2 colonnes ont été reconnues sous un autre nom : « Nom Attribuant » lue comme « nomAttribuant », « DATE CONVENTION » lue comme « dateConvention ». ' +
          'Ce nom est accepté ; pour que les prochains fichiers correspondent exactement au schéma, renommez-les dans votre modèle.',
      },
    ]);
  });

  it('includes the columns matched by an alias or by a title', () => {
    const { issues, validator } = schema.bind(['Date de la convention', "NOM DE L'ATTRIBUANT", 'somme allouée']);
    expect(Array.from(validator.columns)).toEqual([1, 0, 2, -1]);
    expect(issues.map((i) => i.code)).toEqual(['header-renamed']);
    expect(issues[0].message).toMatch(/^3 colonnes .* « Date de la convention » lue comme « dateConvention », « NOM DE L'ATTRIBUANT » lue comme « nomAttribuant », « somme allouée » lue comme « montant »\./);
  });

  it('says « la colonne » for one', () => {
    expect(schema.bind(['nomAttribuant', 'Montant']).issues).toEqual([
      expect.objectContaining({
        code: 'header-renamed',
        message:
          'La colonne « Montant » a été reconnue sous un autre nom : elle est lue comme « montant ». ' +
          'Ce nom est accepté ; pour que les prochains fichiers correspondent exactement au schéma, renommez-la dans votre modèle.',
      }),
    ]);
  });

  it('says nothing of an exact header, even with a BOM, surrounding spaces or another Unicode form of its accents', () => {
    expect(schema.bind(['nomAttribuant', 'dateConvention', 'montant', 'intitulé']).issues).toEqual([]);
    expect(schema.bind(['\uFEFFnomAttribuant', ' dateConvention ', '\tmontant', 'intitule\u0301']).issues).toEqual([]);
  });

  it('leaves out the columns it does not read: unknown, or the second of a duplicate', () => {
    const { issues } = schema.bind(['nomAttribuant', 'NOMATTRIBUANT', 'commentaire']);
    expect(issues.map((i) => i.code)).toEqual(['duplicate-column', 'extra-column']);
  });
});

describe('spreadsheet error values', () => {
  it('reports a formula in error as such, in any field, and never keeps it as data', () => {
    for (const cell of ['#N/A', '#REF!', '#DIV/0!', '#VALEUR!', '#NOM?', 'Err:502', ' #n/a ']) {
      const r = one({ name: 'nom', type: 'string' }, cell);
      expect({ cell, value: r.value, codes: r.codes }).toEqual({ cell, value: null, codes: ['formula-error'] });
    }
    expect(one({ name: 'montant', type: 'number' }, '#DIV/0!').codes).toEqual(['formula-error']);
    expect(one({ name: 'nom', type: 'string' }, '#hashtag').codes).toEqual([]);
    expect(one({ name: 'nom', type: 'string' }, 'Erreur').codes).toEqual([]);
  });
});

describe('codes spelled otherwise than their pattern', () => {
  it('reads a decimal comma, spaces and lower case when the pattern then holds', () => {
    expect(one({ name: 'matiere', type: 'string', constraints: { pattern: '^[1-9]\\.[1-9]$' } }, '7,1')).toMatchObject({ value: '7.1', codes: [] });
    const rna = { name: 'rna', type: 'string' as const, constraints: { pattern: '^W\\d{9}$' } };
    expect(one(rna, 'w313000123')).toMatchObject({ value: 'W313000123', codes: [] });
    expect(one(rna, 'W 313 000 123')).toMatchObject({ value: 'W313000123', codes: [] });
    expect(one(rna, 'X313000123').codes).toEqual(['pattern']);
    // Words are not codes: their spaces and case are the publisher's.
    expect(one({ name: 'prenom', type: 'string', constraints: { pattern: '^[A-Z][a-z]+$' } }, 'Ad am').codes).toEqual(['pattern']);
    // A pattern that wants lower case is not forced up.
    expect(one({ name: 'cle', type: 'string', constraints: { pattern: '^[a-z]+$' } }, 'ABC').codes).toEqual(['pattern']);
  });
});

describe('a date column exported as Excel serial numbers', () => {
  it('says which day the number is and how to keep the date', () => {
    const r = one({ name: 'dateConvention', type: 'date' }, '45321');
    expect(r.codes).toEqual(['type-error']);
    expect(r.issues[0].message).toContain("numéro de jour d’Excel du 2024-01-30");
  });
});

describe('pattern messages', () => {
  it('give the example instead of the motif, and the motif only when there is no example', () => {
    const short = one({ name: 'rna', type: 'string', example: 'W751212517', constraints: { pattern: '^W\\d{9}$' } }, 'X1');
    expect(short.issues[0].message).toBe('La valeur « X1 » ne respecte pas le format attendu, par exemple « W751212517 ».');
    const long = '^[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*' + '(?:x)?'.repeat(12) + '$';
    const named = one({ name: 'prenom', type: 'string', example: 'Louise', constraints: { pattern: long } }, 'LOUISE');
    expect(named.issues[0].message).toBe('La valeur « LOUISE » ne respecte pas le format attendu, par exemple « Louise ».');
    const alone = one({ name: 'prenom', type: 'string', constraints: { pattern: long } }, 'LOUISE');
    expect(alone.issues[0].message).toContain('(motif ^[A-Z]');
  });
});

describe('header titles never make a column a duplicate', () => {
  it('leave a free-form column headed like a title alone when the field is named in the header', () => {
    const schema = compileSchema(schemaOf([{ name: 'ADR_COMMUNE', title: 'Commune', type: 'string' }, { name: 'nom', type: 'string' }]));
    for (const header of [['ADR_COMMUNE', 'Commune', 'nom'], ['Commune', 'ADR_COMMUNE', 'nom']]) {
      const { issues, validator } = schema.bind(header);
      expect({ header, columns: Array.from(validator.columns), issues: issues.map((i) => `${i.code}:${i.column}`) }).toEqual({
        header,
        columns: [header.indexOf('ADR_COMMUNE'), 2],
        issues: ['extra-column:Commune'],
      });
    }
  });
  it('still report a field named twice', () => {
    const schema = compileSchema(schemaOf([{ name: 'nom', type: 'string' }]));
    expect(schema.bind(['nom', 'Nom']).issues.map((i) => i.code)).toEqual(['duplicate-column']);
  });
});

describe('digits typed in groups', () => {
  it('are joined only when every group after the first is digits', () => {
    const key = { name: 'cle', type: 'string' as const, constraints: { pattern: '^[0-9]{5}_[0-9]{4}_[0-9]{5}(_[a-z]+)?$|^[0-9]{5}_[0-9]{4}_[0-9]{5}[a-z]+$' } };
    expect(one(key, '94059_0040_00036 bis').codes).toEqual(['pattern']);
  });
});

describe('type errors that say what to do', () => {
  it('names an impossible day, and asks for a number without text', () => {
    expect(one({ name: 'd', type: 'date' }, '31/02/2024').issues[0].message).toContain('ce jour n’existe pas');
    expect(one({ name: 'd', type: 'date' }, '2024-13-01').issues[0].message).toContain('ce jour n’existe pas');
    expect(one({ name: 'd', type: 'date' }, 'bientôt').issues[0].message).toBe("La valeur « bientôt » n’est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ).");
    expect(one({ name: 'm', type: 'number' }, '1 500 € TTC').issues[0].message).toContain('écrivez seulement le nombre');
    expect(one({ name: 'm', type: 'number' }, '12..5').issues[0].message).toBe("La valeur « 12..5 » n’est pas un nombre.");
  });
});

describe('a number written with words', () => {
  const lat = { name: 'EQUIP_LAT', type: 'number' as const, example: '48.808989' };

  it('in degrees, minutes and seconds: the message gives the decimal degrees to write', () => {
    const { codes, issues } = one(lat, `43°30'44" N`);
    expect(codes).toEqual(['type-error']);
    expect(issues[0].message).toBe(`La valeur « 43°30'44" N » n’est pas un nombre : ce sont des degrés, minutes et secondes ; écrivez des degrés décimaux, ici 43.512222.`);
    expect(one({ name: 'EQUIP_LONG', type: 'number' }, `0°27'3"O`).issues[0].message).toContain('ici -0.450833');
    expect(one(lat, `48º48'32"N`).issues[0].message).toContain('ici 48.808889');
    expect(one({ name: 'long', type: 'number' }, `1°29'55" E`).issues[0].message).toContain('ici 1.498611');
  });

  it('only in a coordinate column, and only for degrees a point can have', () => {
    expect(one({ name: 'ERP_CATEGORIE', type: 'integer' }, '5°').issues[0].message).not.toContain('degrés');
    expect(one(lat, '95°').issues[0].message).not.toContain('degrés décimaux');
    expect(one({ name: 'EQUIP_LONG', type: 'number' }, '181°').issues[0].message).not.toContain('degrés décimaux');
    // The other axis's hemisphere: not offered as this one.
    expect(one({ name: 'EQUIP_LONG', type: 'number' }, `43°30'44" N`).issues[0].message).not.toContain('degrés décimaux');
    expect(one({ name: 'EQUIP_LONG', type: 'number' }, `1°29'55" E`).issues[0].message).toContain('ici 1.498611');
  });

  it('else the message shows the schema’s own example, or an amount when it has none', () => {
    expect(one(lat, '43.5 N').issues[0].message).toContain('(par exemple 48.808989)');
    expect(one({ name: 'montant', type: 'number' }, '1500 euros HT').issues[0].message).toContain('(par exemple 1500 ou 1500,50)');
  });
});

describe('a number written as a word', () => {
  it('« Unanimité » only in a count (an integer column), not in a latitude', () => {
    expect(one({ name: 'EQUIP_LAT', type: 'number' }, 'Unanimité').issues[0].message).not.toContain('voix');
  });

  it('« Unanimité » in a vote count: the message says to write the number of votes', () => {
    expect(one({ name: 'VOTE_POUR', type: 'integer' }, 'Unanimité').issues[0].message).toBe(
      'La valeur « Unanimité » n’est pas un nombre entier : écrivez le nombre de voix en chiffres (à l’unanimité : le nombre de votants pour, 0 contre et 0 abstention).',
    );
  });

  it('other words: written in figures', () => {
    expect(one({ name: 'n', type: 'integer', example: '12' }, 'douze').issues[0].message).toBe('La valeur « douze » n’est pas un nombre entier : écrivez-le en chiffres (par exemple 12).');
  });
});

describe('a number with one dot before three digits (`12.500`)', () => {
  const amount = { name: 'montant', type: 'number' as const };
  it('is refused, saying both readings: a French amount may be grouped so, a thousandfold apart (960 € or 960 000 €)', () => {
    const r = one(amount, '12.500');
    expect(r.codes).toEqual(['decimal-point-ambiguous']);
    expect(r.issues[0]).toMatchObject({ severity: 'error' });
    expect(r.issues[0].message).toBe('La valeur « 12.500 » se lit de deux façons : 12,5 si le point sépare les décimales, 12 500 s’il sépare les milliers. Écrivez 12500 pour 12 500, ou 12,5 pour 12,5.');
    expect(one(amount, '960.000').issues[0].message).toContain('Écrivez 960000 pour 960 000, ou 960 pour 960.');
  });
  it('not when it cannot be a grouping, nor in a coordinate or a proportion, nor with a € sign (grouped, as documented)', () => {
    for (const text of ['0.125', '12.50', '1234.500', '12,500', '1.234.567', '12 500']) expect(one(amount, text).codes).toEqual([]);
    expect(one({ name: 'lat', type: 'number' }, '43.604').codes).toEqual([]);
    expect(one({ name: 'part', type: 'number', constraints: { maximum: 1 } }, '0.500').codes).toEqual([]);
    expect(one(amount, '12.500 €')).toMatchObject({ value: 12500, codes: [] });
    // The schema says the dot groups thousands: nothing ambiguous.
    expect(one({ name: 'montant', type: 'number', groupChar: '.', decimalChar: ',' }, '12.500')).toMatchObject({ value: 12500, codes: [] });
    // A comma-decimal column: a dot is all the likelier a grouping.
    expect(one({ name: 'montant', type: 'number', decimalChar: ',' }, '12.500').codes).toEqual(['decimal-point-ambiguous']);
  });
  it('in an integer column, a type error that says to write it without the dot', () => {
    const votes = one({ name: 'n', type: 'integer' }, '1.234');
    expect(votes.codes).toEqual(['type-error']);
    expect(votes.issues[0].message).toContain('si c’est 1 234, écrivez 1234, sans point');
  });
});

describe('a text published with an apostrophe before it (it could start a formula)', () => {
  it('must still pass the pattern and the length, as data.csv is read by the official validators', () => {
    const commune = { name: 'ADR_COMMUNE', type: 'string' as const, constraints: { pattern: '^[A-Za-z\\s\\-\\u00C0-\\u00FF]+$' } };
    const signed = one(commune, '-Rennes');
    expect(signed.codes).toEqual(['formula-prefix']);
    expect(signed.issues[0].message).toContain('« \'-Rennes »');
    expect(signed.issues[0].message).toContain('Retirez « - » du début');
    const objet = { name: 'objet', type: 'string' as const, constraints: { maxLength: 256 } };
    expect(one(objet, '=' + 'x'.repeat(255)).issues[0]).toMatchObject({ code: 'formula-prefix', message: expect.stringContaining('257 caractères, 256 au plus') });
    expect(one(objet, '=' + 'x'.repeat(254)).codes).toEqual([]);
    // Not written with the prefix: a phone number, a plain number, a value the pattern refuses anyway (one error).
    expect(one({ name: 'tel', type: 'string', constraints: { pattern: '^\\+\\d+ \\d+$' } }, '+33 561720000').codes).toEqual([]);
    expect(one(commune, '=Rennes1').codes).toEqual(['pattern']);
    // Not formulas: a BAL 1.3 uid_adresse, which its pattern wants first; a phone with dashes.
    expect(one({ name: 'uid_adresse', type: 'string', constraints: { pattern: '^@[a-z]:.*$' } }, '@c:0246e48c @v:8a3bab10').codes).toEqual([]);
    expect(one({ name: 'tel', type: 'string', constraints: { pattern: '^\\+?[0-9 .-]+$' } }, '+33-5-61-72-00-00').codes).toEqual([]);
  });

  it('accents written as a letter and a combining mark are composed for a pattern that lists the accented letters', () => {
    const commune = { name: 'ADR_COMMUNE', type: 'string' as const, constraints: { pattern: '^[A-Za-z\\s\\-\\u00C0-\\u00FF]+$' } };
    expect(one(commune, 'E\u0301vreux')).toMatchObject({ value: '\u00C9vreux', codes: [] });
    // A line break typed in the cell, where the pattern wants one line.
    const nom = { name: 'COMMUNE_NOM', type: 'string' as const, constraints: { pattern: "^[A-Za-zÀ-ÿ' -]+$" } };
    expect(one(nom, 'Le\nPlessis-Trévise')).toMatchObject({ value: 'Le Plessis-Trévise', codes: [] });
    expect(one(nom, 'Castanet-\nTolosan')).toMatchObject({ value: 'Castanet-Tolosan', codes: [] });
    // Decomposed accents counted as typed would go past a length they fit composed.
    expect(one({ name: 'objet', type: 'string', constraints: { maxLength: 5 } }, 'e\u0301te\u0301s')).toMatchObject({ value: '\u00E9t\u00E9s', codes: [] });
  });

  it('a sign followed by a space is no separator to strip from a code', () => {
    expect(one({ name: 'BUDGET_ANNEE', type: 'string', constraints: { pattern: '^[0-9]{4}$' } }, '- 2016').codes).toEqual(['pattern']);
  });
});
