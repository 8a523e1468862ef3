import { anchoredPattern } from '../../../functions/domain/schema/descriptor';
import { compilePattern } from '../../../functions/domain/schema/fixed-pattern';
import { builtinSchemas } from '../../../functions/domain/schemas/registry';
import { prng } from './helpers';

const BUILTIN_PATTERNS = builtinSchemas.flatMap((s) => s.fields.map((f) => f.constraints?.pattern).filter((p): p is string => p !== undefined));

const EXTRA_PATTERNS = [
  '^\\d{14}$',
  '\\d{14}',
  '^(?:^\\d{14}$)$',
  '^W\\d{9}$',
  '[0-9]{5}',
  '^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$',
  '^\\d\\.\\d{1,2}$',
  '^([013-9]\\d|2[AB1-9])\\d{3}$',
  '^[0-9A-B]{5}-[0-9]{8}-[0-9]{3}',
  '^[0-9]{8}(-[0-9])?$',
  '[aA-zZ]{2}',
  '[-a]b[a-]',
  '[\\d-z]x',
  'a|b$|^c',
  '(ab|c){2}d?',
  'a{0}b{1,3}',
  'x\\$',
  '\\\\$',
  '$',
  '',
  '[.]\\.',
  "[\\-\\'/]{2}",
  '(?:ab)?(c)?',
  // Not fixed shapes: the RegExp stays.
  '-?[0-9]{1,7}.[0-9]{1,2}',
  '^[A-Za-z0-9_]+$',
  '\\w{3}',
  '(?=a)a',
  'a{2,}',
  '[^0-9]{2}',
  '[é]{2}',
  '(a|b|c|d|e){3}',
];

const ALPHABET = '0123456789 -/._|$\\ABWZazéÉ€\u00a0\'()[]{}^+?*,';

/** Values near the pattern's own language: mutations of matching-looking strings, and noise. */
function candidates(pattern: string, seed: number): string[] {
  const rnd = prng(seed);
  const pick = (s: string): string => s[Math.floor(rnd() * s.length)];
  const out = ['', '0', '00000', '12345', '21380383500017', '213 803 835 00017', 'W123456789', '2024-01-31', '2024-01-31/2024-12-31', '2A004', '1.5', 'ab', 'abd', 'cc', 'x$', '\\', 'a', 'b', 'c'];
  const digitsLike = pattern.replace(/[\\^$()?:|{}[\]]/g, '').replace(/d/g, '5');
  out.push(digitsLike);
  for (let k = 0; k < 3000; k++) {
    const len = Math.floor(rnd() * 24);
    let s = '';
    const digitHeavy = rnd() < 0.7;
    for (let i = 0; i < len; i++) s += digitHeavy && rnd() < 0.8 ? String(Math.floor(rnd() * 10)) : pick(ALPHABET);
    out.push(s);
    // One-character edits of a matching-looking value.
    const base = out[Math.floor(rnd() * out.length)];
    const at = Math.floor(rnd() * (base.length + 1));
    out.push(base.slice(0, at) + pick(ALPHABET) + base.slice(at + 1));
  }
  return out;
}

describe('compilePattern', () => {
  it.each([...new Set([...BUILTIN_PATTERNS, ...EXTRA_PATTERNS])].map((p, i) => [p, i] as const))('answers as the anchored RegExp for %j', (pattern, i) => {
    const re = anchoredPattern(pattern);
    const compiled = compilePattern(pattern);
    const values = candidates(pattern, i + 1);
    expect(values.filter((s) => compiled.test(s) !== re.test(s))).toEqual([]);
    expect(values.filter((s) => /^\d+$/.test(s) && compiled.testDigits(s) !== re.test(s))).toEqual([]);
  });

  it('matches the shapes of the SCDL identifier patterns', () => {
    const siret = compilePattern('^\\d{14}$');
    expect(siret.test('21380383500017')).toBe(true);
    expect(siret.test('213 803 835 00017')).toBe(false);
    expect(siret.testDigits('2138038350001')).toBe(false);
    const period = compilePattern('^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$');
    expect(period.test('2024-01-31')).toBe(true);
    expect(period.test('2024-01-31/2024-12-31')).toBe(true);
    expect(period.test('2024-01-31/')).toBe(false);
    const insee = compilePattern('[0-9]{5}');
    expect(insee.test('35088')).toBe(true);
    expect(insee.test('3508A')).toBe(false);
  });
});
