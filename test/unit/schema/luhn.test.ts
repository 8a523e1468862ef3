import { isValidSiren, isValidSiret } from '../../../functions/domain/schema/luhn';
import { prng } from './helpers';

describe('isValidSiren', () => {
  it('accepts a SIREN with a valid Luhn key', () => {
    expect(isValidSiren('218601946')).toBe(true);
  });
  it('rejects a wrong key, a wrong length and non-digits', () => {
    expect(isValidSiren('218601947')).toBe(false);
    expect(isValidSiren('21860194')).toBe(false);
    expect(isValidSiren('21860194a')).toBe(false);
  });
});

describe('isValidSiret', () => {
  it('accepts real SIRETs', () => {
    expect(isValidSiret('21860194600013')).toBe(true);
    expect(isValidSiret('23350001600040')).toBe(true);
  });
  it('rejects a wrong key, a SIREN and non-digits', () => {
    expect(isValidSiret('21860194600014')).toBe(false);
    expect(isValidSiret('218601946')).toBe(false);
    expect(isValidSiret('2186019460001A')).toBe(false);
  });
  it('applies the La Poste rule (digit sum multiple of 5) to 356000000 establishments', () => {
    // 3+5+6+1+2+3 = 20: fails Luhn, passes La Poste's rule.
    expect(isValidSiret('35600000000123')).toBe(true);
    expect(isValidSiret('35600000000124')).toBe(false);
  });
  it('keeps Luhn for La Poste head office', () => {
    expect(isValidSiret('35600000000048')).toBe(true);
  });
});

describe('isValidSiret against the two-rule definition', () => {
  /** Luhn, or La Poste's digit sum, written plainly. */
  function reference(s: string): boolean {
    if (!/^\d{14}$/.test(s)) return false;
    const digits = [...s].map(Number);
    if (s.startsWith('356000000') && s !== '35600000000048') return digits.reduce((a, b) => a + b, 0) % 5 === 0;
    const sum = digits.reverse().reduce((acc, d, i) => acc + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    return sum % 10 === 0;
  }

  it('agrees on generated numbers, La Poste ones and malformed ones', () => {
    const rnd = prng(5);
    const disagree: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      let s = '';
      const len = i % 40 === 0 ? 12 + (i % 4) : 14;
      for (let k = 0; k < len; k++) s += String(Math.floor(rnd() * 10));
      if (i % 5 === 0) s = '356000000' + s.slice(9);
      if (i % 97 === 0) s = s.slice(0, 6) + 'x' + s.slice(7);
      if (isValidSiret(s) !== reference(s)) disagree.push(s);
    }
    expect(disagree).toEqual([]);
  });
});
