/**
 * The byte reader must read exactly what the text reader reads: same cells, same rows,
 * same blank-line count, same errors, whatever the chunk boundaries; and each verbatim
 * cell's byte span must decode to the cell.
 */
import { CsvParser, CsvRecord } from '../../../functions/domain/standardize/read/csv';
import { ByteCsvParser, ByteCsvRecord } from '../../../functions/domain/standardize/read/csv-bytes';
import { decodeWindows1252, type TextEncoding } from '../../../functions/domain/standardize/read/decode';
import { TableReadError } from '../../../functions/domain/standardize/read/errors';

const encode = (text: string, encoding: TextEncoding): Buffer =>
  encoding === 'utf-8' ? Buffer.from(text, 'utf8') : Buffer.from(Array.from(text, (ch) => windows1252Byte(ch)));

function windows1252Byte(ch: string): number {
  for (let b = 0; b < 256; b++) if (decodeWindows1252(Uint8Array.of(b)) === ch) return b;
  throw new Error(`not in Windows-1252: ${ch}`);
}

type Outcome = { records: CsvRecord[]; blank: number; error?: string };

function viaText(text: string, delimiter: string, max: number): Outcome {
  const p = new CsvParser(delimiter, max);
  const out: CsvRecord[] = [];
  try {
    p.push(text, out);
    p.end(out);
  } catch (e) {
    return { records: out, blank: p.blankRows, error: (e as TableReadError).code + '@' + (e as TableReadError).row };
  }
  return { records: out, blank: p.blankRows };
}

function viaBytes(bytes: Buffer, encoding: TextEncoding, delimiter: string, max: number, split: number[]): Outcome & { raw: ByteCsvRecord[] } {
  const p = new ByteCsvParser(delimiter, max);
  const out: ByteCsvRecord[] = [];
  const cuts = [0, ...split, bytes.length];
  try {
    for (let i = 0; i + 1 < cuts.length; i++) p.push({ bytes: bytes.subarray(cuts[i], cuts[i + 1]), encoding }, out);
    p.end(out);
  } catch (e) {
    return { records: out.map(({ cells, row }) => ({ cells, row })), raw: out, blank: p.blankRows, error: (e as TableReadError).code + '@' + (e as TableReadError).row };
  }
  return { records: out.map(({ cells, row }) => ({ cells, row })), raw: out, blank: p.blankRows };
}

function checkSpans(raw: ByteCsvRecord[]): void {
  for (const r of raw) {
    r.cells.forEach((cell, i) => {
      const start = r.raw.spans[r.raw.at + 2 * i];
      if (start < 0) return;
      const bytes = r.raw.bytes.subarray(start, r.raw.spans[r.raw.at + 2 * i + 1]);
      const text = r.raw.encoding === 'utf-8' ? Buffer.from(bytes).toString('utf8') : decodeWindows1252(bytes);
      expect(text).toBe(cell);
    });
  }
}

const CASES: [string, string][] = [
  ['a,b\r\n1,2\n3,4\r5,6', ','],
  ['nom;montant\r\n"Dupont; Jean";"1 234,56 €"\r\n"dit ""bonjour""";12\r\n', ';'],
  ['a,b\n"ligne 1\nligne 2",x\n"cr\rseul",y\n"crlf\r\ndedans",z\nfin,1', ','],
  ['a,b\n\n\r\n1,2\n\n', ','],
  ['a,b\nab"c,d\n"x"suite,e\n"",""\n,\n', ','],
  ['é,à\n€uro,’apostrophe’\nŒuvre,naïve\n', ','],
  ['a;b\n"ouvert;jamais fermé\n', ';'],
  ['a;b\n1;2', ';'],
  ['x\n"q"\n""""\n"a""b"c\n', ','],
  ['a\tb\n1\t"2\t3"\n', '\t'],
  [';;\na;b;c\n1;;3\n;;\r\n;;\n4;5;6\n"";;\n;;', ';'],
];

describe('ByteCsvParser reads what CsvParser reads', () => {
  for (const encoding of ['utf-8', 'windows-1252'] as TextEncoding[]) {
    it.each(CASES)(`${encoding}: %j`, (text, delimiter) => {
      const expected = viaText(text, delimiter, 1024);
      const bytes = encode(text, encoding);
      for (let i = 0; i <= bytes.length; i++) {
        // UTF-8: the decoder never cuts a character; skip cuts inside one.
        if (encoding === 'utf-8' && i < bytes.length && (bytes[i] & 0xc0) === 0x80) continue;
        const got = viaBytes(bytes, encoding, delimiter, 1024, i === 0 || i === bytes.length ? [] : [i]);
        expect(got.records).toEqual(expected.records);
        expect(got.blank).toBe(expected.blank);
        expect(got.error).toBe(expected.error);
        checkSpans(got.raw);
      }
    });
  }

  it('marks quoted cells with doubled quotes or trailing text as not verbatim', () => {
    const got = viaBytes(Buffer.from('"a""b","c"d,"e",f\n'), 'utf-8', ',', 1024, []);
    expect(got.records[0].cells).toEqual(['a"b', 'cd', 'e', 'f']);
    expect(Array.from(got.raw[0].raw.spans.subarray(got.raw[0].raw.at, got.raw[0].raw.at + 8))).toEqual([-1, 5, -1, 9, 13, 14, 16, 17]);
  });

  it('refuses a record over the size limit, with its row', () => {
    const text = 'a,b\n1,2\n' + 'x'.repeat(300) + '\n';
    expect(viaBytes(Buffer.from(text), 'utf-8', ',', 100, [50, 200]).error).toBe('row-too-large@3');
    expect(viaBytes(Buffer.from('a\n"' + 'y'.repeat(300) + '"\n'), 'utf-8', ',', 100, [10]).error).toBe('row-too-large@2');
  });

  it('counts the lines of astral and multi-byte characters right', () => {
    const text = 'a;b\n😀x;"é\n😀"\nfin;1\n';
    const got = viaBytes(Buffer.from(text), 'utf-8', ';', 1024, []);
    expect(got.records).toEqual(viaText(text, ';', 1024).records);
    checkSpans(got.raw);
  });
});
