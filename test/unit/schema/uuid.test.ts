import { LOWER_UUID, NOT_UUID, UPPER_UUID, uuidKind } from '../../../functions/domain/schema/uuid';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const UUID_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

describe('uuidKind', () => {
  it('accepts what the regexes accept, on random near-UUIDs', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = '0123456789abcdefABCDEFgG-_ é\n';
    for (let k = 0; k < 50_000; k++) {
      const chars = [...'3647a1f3-8909-4aee-b7a4-000000008910'];
      for (let m = rnd(3); m > 0; m--) chars[rnd(chars.length)] = alphabet[rnd(alphabet.length)];
      if (rnd(20) === 0) chars.splice(rnd(chars.length), 1);
      if (rnd(20) === 0) chars.push(alphabet[rnd(alphabet.length)]);
      const s = chars.join('');
      const expected = UUID_LOWER.test(s) ? LOWER_UUID : UUID.test(s) ? UPPER_UUID : NOT_UUID;
      expect([s, uuidKind(s)]).toEqual([s, expected]);
      expect([s, uuidKind(s, true) !== NOT_UUID]).toEqual([s, UUID_V4.test(s)]);
    }
  });

  it('knows the edge cases', () => {
    expect(uuidKind('3647A1F3-8909-4AEE-B7A4-000000008910', true)).toBe(UPPER_UUID);
    expect(uuidKind('3647a1f3-8909-5aee-b7a4-000000008910', true)).toBe(NOT_UUID);
    expect(uuidKind('3647a1f3-8909-4aee-c7a4-000000008910', true)).toBe(NOT_UUID);
    expect(uuidKind('3647a1f3-8909-4aee-c7a4-000000008910')).toBe(LOWER_UUID);
    expect(uuidKind('3647a1f3-8909-4aee-b7a4-00000000891\n')).toBe(NOT_UUID);
    expect(uuidKind('')).toBe(NOT_UUID);
  });
});
