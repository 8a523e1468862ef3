import {
  WINDOWS_1252_TABLE,
  decodeBytes,
  decodeStream,
  decodeWindows1252,
  firstInvalidUtf8,
  incompleteUtf8Tail,
} from '../../../functions/domain/standardize/read/decode';
import { chunked, collect } from './helpers';

describe('decodeWindows1252', () => {
  // Not compared with TextDecoder: Node 20's 'windows-1252' decoder is really Latin-1
  // (0x80 gives U+0080, not €).
  it('follows the WHATWG windows-1252 index on all 256 bytes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const high = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    const expected = Buffer.from(all).toString('latin1').slice(0, 0x80) + high + Buffer.from(all.subarray(0xa0)).toString('latin1');
    expect(decodeWindows1252(all)).toBe(expected);
    expect(WINDOWS_1252_TABLE[0x80]).toBe(0x20ac);
  });

  it('decodes French text with € and typographic quotes', () => {
    expect(decodeWindows1252(Buffer.from([0x31, 0xa0, 0x32, 0x33, 0x34, 0x2c, 0x35, 0x36, 0x20, 0x80, 0x20, 0x92, 0xe9]))).toBe(
      '1\u00a0234,56 € ’é',
    );
  });
});

describe('UTF-8 helpers', () => {
  it('finds incomplete tails and invalid sequences', () => {
    const e = Buffer.from('é€😀', 'utf8');
    expect(incompleteUtf8Tail(e.subarray(0, 1))).toBe(1);
    expect(incompleteUtf8Tail(e.subarray(0, 4))).toBe(2);
    expect(incompleteUtf8Tail(e)).toBe(0);
    expect(firstInvalidUtf8(e)).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe9, 0x62]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
  });
});

describe('decodeStream', () => {
  it('reassembles multi-byte characters split across every chunk size', async () => {
    const text = 'Besançon – Fête de l’été 😀 '.repeat(50);
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const d = await decodeStream(chunked(bytes, size));
      expect((await collect(d.chunks)).join('')).toBe(text);
      expect(d.encoding).toBe('utf-8');
    }
  });

  it('strips the BOM', async () => {
    const d = await decodeStream(chunked(Buffer.from('\uFEFFa;b', 'utf8'), 2));
    expect(d.bom).toBe(true);
    expect((await collect(d.chunks)).join('')).toBe('a;b');
  });

  it('chooses Windows-1252 when the head is not UTF-8', async () => {
    const d = await decodeStream(chunked(Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x20, 0x80]), 2));
    expect(d.encoding).toBe('windows-1252');
    expect((await collect(d.chunks)).join('')).toBe('René €');
  });

  it('refuses a head that mixes UTF-8 and Latin-1', () => {
    expect(() => decodeBytes(Buffer.concat([Buffer.from('é\nb\n', 'utf8'), Buffer.from([0xe9])]))).toThrow(
      expect.objectContaining({ code: 'invalid-encoding', row: 3 }),
    );
  });

  it('refuses a truncated UTF-8 sequence at end of file', async () => {
    const d = await decodeStream(chunked(Buffer.concat([Buffer.from('é'.repeat(40000), 'utf8'), Buffer.from([0xc3])])));
    await expect(collect(d.chunks)).rejects.toMatchObject({ code: 'invalid-encoding' });
  });
});
