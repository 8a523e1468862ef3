import { ByteBuffer } from '../../../functions/domain/standardize/write/byte-buffer';

/** Strings mixing ASCII, Latin-1, BMP, astral pairs, lone surrogates, controls, quotes and delimiters. */
function randomStrings(count: number, seed = 7): string[] {
  let a = seed;
  const rnd = () => {
    a = (a * 1103515245 + 12345) & 0x7fffffff;
    return a / 0x7fffffff;
  };
  const pieces = ['a', 'Z', '9', ' ', '"', '\\', ';', ',', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', 'é', 'ÿ', '€', '’', '\u2028', '😀', '\ud800', '\udfff', '\ufffd', '=', '-'];
  return Array.from({ length: count }, () => {
    // Some long strings, to cover the native encoder path.
    const len = rnd() < 0.1 ? 200 + Math.floor(rnd() * 400) : Math.floor(rnd() * 20);
    let s = '';
    for (let i = 0; i < len; i++) s += pieces[Math.floor(rnd() * pieces.length)];
    return s;
  });
}

describe('ByteBuffer', () => {
  const samples = randomStrings(3000);

  it('encodes UTF-8 exactly as Buffer.from, lone surrogates included', () => {
    const b = new ByteBuffer(16);
    for (const s of samples) {
      b.pos = 0;
      b.utf8(s);
      expect(Buffer.compare(b.buf.subarray(0, b.pos), Buffer.from(s, 'utf8'))).toBe(0);
    }
  });

  it('writes JSON strings byte for byte as JSON.stringify', () => {
    const b = new ByteBuffer(16);
    for (const s of samples) {
      b.pos = 0;
      b.jsonString(s);
      expect(b.toString()).toBe(JSON.stringify(s));
    }
  });

  it('quotes CSV cells only when they hold the delimiter, a quote, CR or LF, doubling quotes', () => {
    const b = new ByteBuffer(16);
    for (const s of samples) {
      b.pos = 0;
      b.csvCell(s, 59);
      const expected = /[;"\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
      expect(Buffer.compare(b.buf.subarray(0, b.pos), Buffer.from(expected, 'utf8'))).toBe(0);
    }
  });

  it('grows past its capacity and hands over what it holds, going on in the memory it is given', () => {
    const b = new ByteBuffer(4);
    b.utf8('0123456789');
    b.bytes(Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz'));
    const next = Buffer.alloc(8);
    const taken = b.exchange(next);
    expect(taken.toString()).toBe('0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz');
    expect(b.pos).toBe(0);
    b.byte(65);
    expect(b.toString()).toBe('A');
    expect(b.buf).toBe(next);
    expect(taken.toString()).toMatch(/^0123/);
  });

  it('writes into the memory it is given when it is large enough', () => {
    const memory = Buffer.alloc(16);
    expect(new ByteBuffer(16, memory).buf).toBe(memory);
    expect(new ByteBuffer(17, memory).buf).not.toBe(memory);
  });
});

describe('ByteBuffer.number', () => {
  it('writes what String(v) writes', () => {
    let a = 12345;
    const rnd = () => {
      a = (a * 1103515245 + 12345) & 0x7fffffff;
      return a / 0x7fffffff;
    };
    const values = [0, -0, 1, -1, 0.1, 0.5, 1e-6, 1e-7, 123456789012345, 1234567890123456, 2 ** 53, 2 ** 53 - 1, 1e21, 1e15, 1e15 - 0.5, 14662.9, -1234.56, 0.01, 0.45, 1 / 3, Math.PI, Number.MAX_VALUE, Number.MIN_VALUE];
    for (let i = 0; i < 20000; i++) {
      values.push(Math.round(rnd() * 1e8) / 100, -Math.round(rnd() * 1e6) / 1000, rnd() * 10 ** Math.floor(rnd() * 20 - 8), Math.floor(rnd() * 2 ** 53));
    }
    const b = new ByteBuffer(16);
    for (const v of values) {
      b.pos = 0;
      b.number(v);
      expect(b.toString()).toBe(String(v));
    }
  });
});
