import { isValidSiren, isValidSiret } from '../../../functions/domain/schema/luhn';

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
