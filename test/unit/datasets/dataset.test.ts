/**
 * A dataset's metadata as a request gives it (calendar dates, what a PATCH clears) and the
 * object key segment an upload's file name becomes.
 */
import { createDatasetSchema, isCalendarDate, updateDatasetSchema, uploadFileSegment } from '../../../functions/domain/datasets/dataset';
import { AppError } from '../../../functions/http/errors';
import { parseWith } from '../../../functions/http/validation';

const base = { slug: 'deliberations', title: 'Délibérations', schema: 'none' };

/** The field-named problems a request body gets (400 invalid_body), as the API answers them. */
function problems(schema: typeof createDatasetSchema | typeof updateDatasetSchema, body: unknown): [string, string][] {
  try {
    parseWith(schema, body, 'body');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (error.details as { fields: { field: string; message: string }[] }).fields.map((f) => [f.field, f.message]);
  }
  return [];
}

describe('temporalCoverage', () => {
  it.each(['2024-02-30', '2023-02-29', '2024-13-99', '2024-00-10', '2024-04-31', '2024-01-00'])('refuses %s, which no calendar has', (start) => {
    const r = createDatasetSchema.safeParse({ ...base, temporalCoverage: { start } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['temporalCoverage.start', `« ${start} » n’est pas une date du calendrier (mois de 01 à 12, jour qui existe dans ce mois)`],
    ]);
  });

  it('accepts real days, 29 February of a leap year included, and says only the format of a bad one', () => {
    expect(createDatasetSchema.safeParse({ ...base, temporalCoverage: { start: '2024-02-29', end: '2024-12-31' } }).success).toBe(true);
    expect(updateDatasetSchema.safeParse({ temporalCoverage: { end: '2000-02-29' } }).success).toBe(true);
    const r = createDatasetSchema.safeParse({ ...base, temporalCoverage: { start: '31/12/2024' } });
    expect(r.error?.issues.map((i) => i.message)).toEqual(['date attendue au format AAAA-MM-JJ']);
  });

  it.each([
    ['2024-02-29', true],
    ['1900-02-29', false],
    ['0024-03-01', true],
    ['2024-12-32', false],
  ])('isCalendarDate(%s) is %s', (date, expected) => {
    expect(isCalendarDate(date)).toBe(expected);
  });
});

describe('temporalCoverage: a period, with a plausible year', () => {
  it('refuses an empty object, which would be stored as a coverage of nothing', () => {
    const message = 'au moins une date est attendue : « start », « end » ou les deux (null retire la couverture)';
    expect(problems(createDatasetSchema, { ...base, temporalCoverage: {} })).toEqual([['temporalCoverage', message]]);
    expect(problems(updateDatasetSchema, { temporalCoverage: {} })).toEqual([['temporalCoverage', message]]);
    expect(problems(updateDatasetSchema, { temporalCoverage: { end: '2024-12-31' } })).toEqual([]);
  });

  it.each(['0000-01-01', '0999-12-31'])('refuses the year of %s', (start) => {
    expect(problems(createDatasetSchema, { ...base, temporalCoverage: { start } })).toEqual([['temporalCoverage.start', `« ${start} » : année invraisemblable (1000 au plus tôt)`]]);
  });

  it('accepts the year 1000 and later', () => {
    expect(problems(createDatasetSchema, { ...base, temporalCoverage: { start: '1000-01-01', end: '2999-12-31' } })).toEqual([]);
  });
});

describe('control characters', () => {
  const title = 'Libre\u0000\u001b[31m rouge\u2028ligne';

  it('refuses them in a title, on create and on PATCH, naming the field and the character', () => {
    const expected = [['title', 'caractère de contrôle U+0000 (position 6) refusé : ce champ n’admet ni saut de ligne, ni tabulation, ni caractère invisible']];
    expect(problems(createDatasetSchema, { ...base, title })).toEqual(expected);
    expect(problems(updateDatasetSchema, { title })).toEqual(expected);
  });

  it.each([
    ['DEL', '\u007f'],
    ['C1 (CSI)', '\u009b'],
    ['line separator', '\u2028'],
    ['paragraph separator', '\u2029'],
    ['line feed', '\n'],
    ['tab', '\t'],
  ])('refuses %s inside a title or a keyword', (_name, c) => {
    expect(problems(updateDatasetSchema, { title: `Sub${c}ventions` }).map(([field]) => field)).toEqual(['title']);
    expect(problems(updateDatasetSchema, { keywords: ['ok', `mot${c}clé`] }).map(([field]) => field)).toEqual(['keywords.1']);
  });

  it('keeps line breaks and tabs in a description (a Windows \\r\\n as \\n), and refuses the others', () => {
    expect(updateDatasetSchema.parse({ description: 'Ligne 1\r\nLigne 2\n\tretrait' })).toEqual({ description: 'Ligne 1\nLigne 2\n\tretrait' });
    expect(problems(updateDatasetSchema, { description: 'Texte \u001b[31m rouge' })).toEqual([
      ['description', 'caractère de contrôle U+001B (position 7) refusé : seuls les sauts de ligne et les tabulations sont admis'],
    ]);
    expect(problems(createDatasetSchema, { ...base, description: 'fin\u2029' + 'x' }).map(([field]) => field)).toEqual(['description']);
  });

  it('leaves accents, typographic spaces and emoji alone', () => {
    expect(problems(updateDatasetSchema, { title: 'Délibérations 2024\u202f: « budget » 🏛️', keywords: ['écoles'], description: 'Œuvre\u00a0sociale' })).toEqual([]);
  });
});

describe('messages a publisher reads', () => {
  it('an empty keyword is named as such, not « Trop petit : chaîne de caractères doit avoir >=1 caractères »', () => {
    expect(problems(updateDatasetSchema, { keywords: [''] })).toEqual([['keywords.0', 'ne doit pas être vide']]);
    expect(problems(updateDatasetSchema, { keywords: ['   '] })).toEqual([['keywords.0', 'ne doit pas être vide']]);
    expect(problems(updateDatasetSchema, { keywords: ['x'.repeat(61)] })).toEqual([['keywords.0', 'au plus 60 caractères']]);
  });

  it('a schema left out is said to be required; a bad one names what is expected', () => {
    expect(problems(createDatasetSchema, { slug: 'deliberations', title: 'Délibérations' })).toEqual([['schema', 'champ obligatoire manquant']]);
    const expected = 'identifiant de schéma attendu (ex. « scdl/subventions »), ou « none » pour un jeu sans schéma';
    expect(problems(createDatasetSchema, { ...base, schema: 'Pas un id' })).toEqual([['schema', expected]]);
    expect(createDatasetSchema.parse({ ...base, schema: 'scdl/subventions' }).schema).toBe('scdl/subventions');
  });
});

describe('PATCH body', () => {
  it('clears the frequency with null, as description, theme and temporalCoverage', () => {
    expect(updateDatasetSchema.parse({ frequency: null })).toEqual({ frequency: null });
    expect(updateDatasetSchema.parse({ description: null, theme: null, temporalCoverage: null })).toEqual({ description: null, theme: null, temporalCoverage: null });
  });
});

describe('uploadFileSegment', () => {
  it.each(['.', '..', '...', '\u2024\u2024', '\uFF0E'])('never makes %j a « . » or « .. » segment that a URL would resolve', (name) => {
    expect(uploadFileSegment(name)).toBe('fichier');
  });

  it('keeps a usual name, accents and spaces made safe', () => {
    expect(uploadFileSegment('subventions.csv')).toBe('subventions.csv');
    expect(uploadFileSegment('Délibérations 2024.xlsx')).toBe('De_libe_rations_2024.xlsx');
    expect(uploadFileSegment('.csv')).toBe('.csv');
  });
});
