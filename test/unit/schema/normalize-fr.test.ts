import {
  foldName,
  frBoolean,
  frDateTimeToIso,
  frDateToIso,
  frNumber,
  frYearMonthToIso,
  isIsoDate,
  isIsoDateTime,
  padDigitsToPattern,
  stripIdSeparators,
} from '../../../functions/domain/schema/normalize-fr';

describe('dates', () => {
  it.each(['31/12/2024', '31-12-2024', '31.12.2024', '31/12/2024 00:00', '31/12/2024 00:00:00', '2024-12-31 00:00:00'])(
    '%s → 2024-12-31',
    (s) => {
      expect(frDateToIso(s)).toBe('2024-12-31');
    },
  );
  it('pads single-digit days and months', () => {
    expect(frDateToIso('1/2/2024')).toBe('2024-02-01');
  });
  it('rejects impossible days, 29/02 of a common year, mixed separators and a real time', () => {
    expect(frDateToIso('31/02/2024')).toBeNull();
    expect(frDateToIso('29/02/2023')).toBeNull();
    expect(frDateToIso('29/02/2024')).toBe('2024-02-29');
    expect(frDateToIso('31/12-2024')).toBeNull();
    expect(frDateToIso('31/12/2024 14:30')).toBeNull();
    expect(frDateToIso('2017-30-05')).toBeNull();
  });
  it('recognises canonical ISO dates and date-times', () => {
    expect(isIsoDate('2024-12-31')).toBe(true);
    expect(isIsoDate('2024-02-30')).toBe(false);
    expect(isIsoDateTime('2024-12-31T14:30:00')).toBe(true);
    expect(isIsoDateTime('2024-12-31T14:30:00.123+01:00')).toBe(true);
    expect(isIsoDateTime('2024-12-31T14:30:00Z')).toBe(true);
    expect(isIsoDateTime('2024-12-31T25:30:00')).toBe(false);
  });
  it('turns French date-times into ISO, keeping the time', () => {
    expect(frDateTimeToIso('31/12/2024 14:30')).toBe('2024-12-31T14:30:00');
    expect(frDateTimeToIso('31.12.2024 14h30:05')).toBe('2024-12-31T14:30:05');
    expect(frDateTimeToIso('2024-12-31 14:30:00')).toBe('2024-12-31T14:30:00');
    expect(frDateTimeToIso('31/12/2024')).toBe('2024-12-31T00:00:00');
    expect(frDateTimeToIso('31/02/2024 10:00')).toBeNull();
    expect(frDateTimeToIso('31/12/2024 24:00')).toBeNull();
  });
  it('turns MM/YYYY into a year-month', () => {
    expect(frYearMonthToIso('3/2024')).toBe('2024-03');
    expect(frYearMonthToIso('13/2024')).toBeNull();
  });
});

describe('numbers', () => {
  it.each([
    ['1 234,56 €', 1234.56],
    ['1\u00A0234,56\u00A0€', 1234.56],
    ['1\u202F234,56 EUR', 1234.56],
    ['1 234 567', 1234567],
    ['0,5', 0.5],
    ['100000,1', 100000.1],
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['1.234.567', 1234567],
    ['-12,5', -12.5],
    ['€ 12', 12],
    ['1,234', 1.234],
  ])('%j → %d', (s, n) => {
    expect(frNumber(s)).toBe(n);
  });
  it('gives NaN for text that is not a number', () => {
    expect(frNumber('douze')).toBeNaN();
    expect(frNumber('1,2,3')).toBeNaN();
    expect(frNumber('')).toBeNaN();
  });
});

describe('booleans', () => {
  it.each(['oui', 'OUI', 'Vrai', '1', 'true', 'o', 'O', 'yes', 'Yes'])('%s → true', (s) => {
    expect(frBoolean(s)).toBe(true);
  });
  it.each(['non', 'Non', 'FAUX', '0', 'false', 'n', 'no', 'NO'])('%s → false', (s) => {
    expect(frBoolean(s)).toBe(false);
  });
  it('gives null for anything else', () => {
    expect(frBoolean('peut-être')).toBeNull();
  });
});

describe('identifiers', () => {
  it('strips spaces, NBSP and dots from SIREN/SIRET', () => {
    expect(stripIdSeparators('218 601 946 00013')).toBe('21860194600013');
    expect(stripIdSeparators('218.601.946')).toBe('218601946');
    expect(stripIdSeparators('218\u00A0601\u202F946')).toBe('218601946');
    expect(stripIdSeparators('W380475558')).toBeNull();
  });
  it('left-pads digits lost by a spreadsheet until the pattern matches', () => {
    const insee = /^(?:^([013-9]\d|2[AB1-9])\d{3}$)$/;
    expect(padDigitsToPattern('1004', insee, 5)).toBe('01004');
    expect(padDigitsToPattern('10040', insee, 5)).toBeNull();
    expect(padDigitsToPattern('A104', insee, 5)).toBeNull();
  });
  it('folds names for header matching', () => {
    expect(foldName('Date_Convention')).toBe('dateconvention');
    expect(foldName('Numéro-de la voie')).toBe('numerodelavoie');
  });
});
