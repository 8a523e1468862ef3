/**
 * A dataset's metadata as a request gives it (calendar dates, what a PATCH clears) and the
 * object key segment an upload's file name becomes.
 */
import { createDatasetSchema, isCalendarDate, updateDatasetSchema, uploadFileSegment } from '../../../functions/domain/datasets/dataset';

const base = { slug: 'deliberations', title: 'Délibérations', schema: 'none' };

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
