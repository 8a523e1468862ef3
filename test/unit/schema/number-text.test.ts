import { numberText } from '../../../functions/domain/schema/number-text';
import { prng } from './helpers';

describe('numberText', () => {
  it.each([0, -0, 1, -1, 0.5, 0.25, 14662.9, 47800.2, 1234.56, 0.1 + 0.2, 1e-6, 1e-7, 0.0000015, 123456789012345.6, 999999999999999.9, 1e15, 1e21, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity])(
    'writes %p as String does',
    (v) => {
      expect(numberText(v)).toBe(String(v));
    },
  );

  it('writes generated decimals as String does', () => {
    const rnd = prng(11);
    const wrong: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const digits = 1 + Math.floor(rnd() * 17);
      const m = Math.floor(rnd() * 10 ** digits);
      const k = Math.floor(rnd() * 20);
      for (const v of [m / 10 ** k, -m / 10 ** k, Number(`${m}e-${k}`), rnd() * 10 ** Math.floor(rnd() * 22)]) {
        if (numberText(v) !== String(v)) wrong.push(v);
      }
    }
    expect(wrong).toEqual([]);
  });
});
