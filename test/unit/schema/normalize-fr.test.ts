import {
  canonicalInteger,
  canonicalNumber,
  excelSerialDate,
  foldName,
  frBoolean,
  frDatesInTextToIso,
  frDateTimeToIso,
  frDateToIso,
  frNumber,
  frYearMonthToIso,
  isIsoDate,
  isIsoDateTime,
  padDigitsToPattern,
  stripIdSeparators,
} from '../../../functions/domain/schema/normalize-fr';
import { prng } from './helpers';

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
    // An amount in euros with one dot before three digits is grouped the French way; without the sign, a decimal.
    ['12.000 €', 12000],
    ['1.500€', 1500],
    ['-1.500 €', -1500],
    ['12.50 €', 12.5],
    ['43.604', 43.604],
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

describe('one-scan readers agree with the regex definitions', () => {
  const CANONICAL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  const INTEGER = /^[+-]?\d+$/;
  const rnd = prng(3);
  const CHARS = '0123456789.,+-eE €\u00a0\u202fx';
  const samples = ['', '+', '-', '.', '-.', '.5', '5.', '-0', '+0', '-,5', '1e5', '1E-3', '1.2.3', '12345678901234567890', '0.000000000000000001', '1 234,56 €', '€ 12', '12 €€'];
  for (let i = 0; i < 50_000; i++) {
    const len = 1 + Math.floor(rnd() * 22);
    let s = '';
    for (let k = 0; k < len; k++) s += rnd() < 0.75 ? String(Math.floor(rnd() * 10)) : CHARS[Math.floor(rnd() * CHARS.length)];
    samples.push(s);
  }
  const same = (a: number, b: number): boolean => Object.is(a, b);

  it('canonicalNumber(s) is CANONICAL_NUMBER.test(s) ? Number(s) : NaN', () => {
    expect(samples.filter((s) => !same(canonicalNumber(s), CANONICAL_NUMBER.test(s) ? Number(s) : NaN))).toEqual([]);
  });

  it('canonicalInteger(s) is INTEGER.test(s) ? Number(s) : NaN', () => {
    expect(samples.filter((s) => !same(canonicalInteger(s), INTEGER.test(s) ? Number(s) : NaN))).toEqual([]);
  });

  it('frNumber reads long and signed French amounts as Number reads their canonical text', () => {
    expect(frNumber('1 234 567 890 123 456,78 €')).toBe(Number('1234567890123456.78'));
    expect(frNumber('0,000000000000000001')).toBe(1e-18);
    expect(Object.is(frNumber('-0'), -0)).toBe(true);
    expect(frNumber('+ 1 000,5')).toBe(1000.5);
    expect(frNumber('12,')).toBe(12);
    expect(frNumber(',5')).toBe(0.5);
  });
});

describe('identifiers and dates, beyond the usual spellings', () => {
  it('strips separators from long identifiers and keeps all-digit values as they are', () => {
    const long = '1234 5678 9012 3456 7890 1234 5678 9012 3456';
    expect(stripIdSeparators(long)).toBe(long.replace(/ /g, ''));
    expect(stripIdSeparators('21860194600013')).toBe('21860194600013');
    expect(stripIdSeparators(' . - ')).toBeNull();
    expect(stripIdSeparators('218\t601')).toBe('218601');
  });

  it('reads day-first dates with each separator and refuses non-digits', () => {
    expect(frDateToIso('05.06.2024')).toBe('2024-06-05');
    expect(frDateToIso('05-06-2024')).toBe('2024-06-05');
    expect(frDateToIso('05/06/202a')).toBeNull();
    expect(frDateToIso('5/06/2024 ')).toBeNull();
    expect(frDateToIso('00/06/2024')).toBeNull();
  });
});

describe('frDatesInTextToIso', () => {
  it('writes the French dates of a text as ISO dates, and a spelled period with a slash', () => {
    expect(frDatesInTextToIso('15/01/2025')).toBe('2025-01-15');
    expect(frDatesInTextToIso('1-2-2025')).toBe('2025-02-01');
    expect(frDatesInTextToIso('01/02/2025/30/06/2025')).toBe('2025-02-01/2025-06-30');
    expect(frDatesInTextToIso('01/02/2025 au 30/06/2025')).toBe('2025-02-01/2025-06-30');
    expect(frDatesInTextToIso('01.02.2025 - 30.06.2025')).toBe('2025-02-01/2025-06-30');
    expect(frDatesInTextToIso('du 01/04/2024 au 31/12/2024')).toBe('2024-04-01/2024-12-31');
    expect(frDatesInTextToIso('2024-04-01 / 2024-12-31')).toBe('2024-04-01/2024-12-31');
  });
  it('drops a midnight time after a date', () => {
    expect(frDatesInTextToIso('01/04/2024 00:00')).toBe('2024-04-01');
    expect(frDatesInTextToIso('2024-04-01T00:00:00')).toBe('2024-04-01');
    expect(frDatesInTextToIso('2024-04-01 00:00:00/2024-12-31 00:00:00')).toBe('2024-04-01/2024-12-31');
    expect(frDatesInTextToIso('2024-04-01T10:30:00')).toBeNull();
  });
  it('gives null when there is no French date, or one that is not a real day', () => {
    expect(frDatesInTextToIso('2025-01-15')).toBeNull();
    expect(frDatesInTextToIso('2025-01-15/2025-02-01')).toBeNull();
    expect(frDatesInTextToIso('janvier')).toBeNull();
    expect(frDatesInTextToIso('31/02/2025')).toBeNull();
    expect(frDatesInTextToIso('01/02/2025/32/06/2025')).toBeNull();
  });
});

describe('dates as office software and people also write them', () => {
  it('reads French month names, two-digit years and year-first slashes', () => {
    const cases: [string, string | null][] = [
      ['15 mars 2024', '2024-03-15'],
      ['15-mars-24', '2024-03-15'],
      ['vendredi 15 mars 2024', '2024-03-15'],
      ['1er févr. 2024', '2024-02-01'],
      ['1 Août 2024', '2024-08-01'],
      ['31-déc.-99', '1999-12-31'],
      ['1/2/24', '2024-02-01'],
      ['01/02/24', '2024-02-01'],
      ['2024/02/01', '2024-02-01'],
      ['30 février 2024', null],
      ['15 brumaire 2024', null],
      ['15/13/24', null],
    ];
    for (const [text, iso] of cases) expect({ text, iso: frDateToIso(text) }).toEqual({ text, iso });
  });
  it("names the day of an Excel serial number, in its range only", () => {
    expect(excelSerialDate('45321')).toBe('2024-01-30');
    expect(excelSerialDate('12345')).toBeNull();
    expect(excelSerialDate('4532')).toBeNull();
  });
});
