import { CsvParser, CsvRecord, readCsv, sniffDelimiter } from '../../../functions/domain/standardize/read/csv';
import { InvalidEncodingError } from '../../../functions/domain/standardize/read/decode';
import { TableReadError } from '../../../functions/domain/standardize/read/errors';
import { collect } from './helpers';

async function* texts(...parts: string[]): AsyncGenerator<string> {
  for (const p of parts) yield p;
}

/** Parse with every possible split point between two chunks: boundaries must not matter. */
function parseAllSplits(text: string, delimiter = ','): CsvRecord[] {
  const reference = parse([text], delimiter);
  for (let i = 1; i < text.length; i++) expect(parse([text.slice(0, i), text.slice(i)], delimiter)).toEqual(reference);
  return reference;
}

function parse(parts: string[], delimiter = ','): CsvRecord[] {
  const p = new CsvParser(delimiter);
  const out: CsvRecord[] = [];
  for (const part of parts) p.push(part, out);
  p.end(out);
  return out;
}

describe('sniffDelimiter', () => {
  it.each([
    ['a;b;c\n1;2,5;3\n4;5;6\n', ';'],
    ['a,b,c\n1,2,3\n', ','],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b|c\n1|2|3\n', '|'],
    ['nom;montant\n"Dupont, Jean";"1 234,56"\n"Martin, Paul";"12,00"\n', ';'],
    ['"a,b";c\n"x,y";z\n', ';'],
    ['seule\nvaleur, avec virgule\n', ','],
  ])('%j → %j', (sample, expected) => {
    expect(sniffDelimiter(sample)).toBe(expected);
  });
});

describe('CsvParser', () => {
  it('handles LF, CRLF and CR line ends at any chunk boundary', () => {
    expect(parseAllSplits('a,b\r\n1,2\n3,4\r5,6')).toEqual([
      { cells: ['a', 'b'], row: 1 },
      { cells: ['1', '2'], row: 2 },
      { cells: ['3', '4'], row: 3 },
      { cells: ['5', '6'], row: 4 },
    ]);
  });

  it('handles quoted delimiters, doubled quotes and newlines at any chunk boundary', () => {
    expect(parseAllSplits('a,"b,c"\r\n"x ""y""","l1\r\nl2\nl3"\r\nz,\r\n')).toEqual([
      { cells: ['a', 'b,c'], row: 1 },
      { cells: ['x "y"', 'l1\r\nl2\nl3'], row: 2 },
      // A spreadsheet shows the line breaks inside the cell of row 2: `z` is on row 3.
      { cells: ['z', ''], row: 3 },
    ]);
  });

  it('numbers rows as a spreadsheet shows them: a line break in quotes stays in its row, a blank line is a row', () => {
    expect(parseAllSplits('a;b\r\n"x\r\ny";1\r\n\r\n"p\rq\nr";2\r;;\n3;"s\n"\n4;5', ';')).toEqual([
      { cells: ['a', 'b'], row: 1 },
      { cells: ['x\r\ny', '1'], row: 2 },
      { cells: ['p\rq\nr', '2'], row: 4 },
      { cells: ['3', 's\n'], row: 6 },
      { cells: ['4', '5'], row: 7 },
    ]);
  });

  it('skips blank lines but counts them in line numbers', () => {
    const p = new CsvParser(';');
    const out: CsvRecord[] = [];
    p.push('a;b\n\n1;2\n\n\n', out);
    p.end(out);
    expect(out).toEqual([
      { cells: ['a', 'b'], row: 1 },
      { cells: ['1', '2'], row: 3 },
    ]);
    expect(p.blankRows).toBe(3);
  });

  it('keeps empty cells and a final record without newline', () => {
    expect(parse(['a;;\n1;;3'], ';')).toEqual([
      { cells: ['a', '', ''], row: 1 },
      { cells: ['1', '', '3'], row: 2 },
    ]);
  });

  it('skips lines of bare delimiters (a spreadsheet\'s formatted empty rows) as blank lines', () => {
    const p = new CsvParser(';');
    const out: CsvRecord[] = [];
    p.push(';;\na;b;c\n1;;3\n;;\r\n;;\n4;5;6\n"";;\n;;', out);
    p.end(out);
    expect(out).toEqual([
      { cells: ['a', 'b', 'c'], row: 2 },
      { cells: ['1', '', '3'], row: 3 },
      { cells: ['4', '5', '6'], row: 6 },
      // A quoted empty cell is written on purpose: kept.
      { cells: ['', '', ''], row: 7 },
    ]);
    expect(p.blankRows).toBe(4);
  });

  it('is lenient with stray quotes like spreadsheet software', () => {
    expect(parse(['a,b"c,"d"e\n'])).toEqual([{ cells: ['a', 'b"c', 'de'], row: 1 }]);
  });

  it('rejects an unterminated quote at end of file with its row', () => {
    expect(() => parse(['a,b\n1,"oops\n2,3\n'])).toThrow(expect.objectContaining({ code: 'unterminated-quote', row: 2 }));
    expect(() => parse(['a,b\n1,"deux\nlignes"\n2,"oops\n3,4\n'])).toThrow(
      expect.objectContaining({ code: 'unterminated-quote', row: 3, message: expect.stringContaining('ouvert à la ligne 3 ') }),
    );
  });

  it('rejects an oversized record while it is still incomplete (bounded memory)', () => {
    const p = new CsvParser(',', 1000);
    const out: CsvRecord[] = [];
    p.push('a,b\n', out);
    let error: unknown;
    try {
      for (let i = 0; i < 100; i++) p.push('x'.repeat(100), out);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TableReadError);
    expect(error).toMatchObject({ code: 'row-too-large', row: 2 });
  });

  it('rejects an oversized quoted record too', () => {
    const p = new CsvParser(',', 1000);
    expect(() => p.push('a,"' + 'x'.repeat(5000), [])).toThrow(expect.objectContaining({ code: 'row-too-large' }));
  });
});

describe('readCsv', () => {
  async function* failing(parts: string[]): AsyncGenerator<string> {
    for (const p of parts) yield p;
    throw new InvalidEncodingError(0);
  }

  it('places an invalid byte the decoder finds by row, in the first 64 KB or later', async () => {
    const rows = 'id,note\n' + '1,"deux\nlignes"\n'.repeat(10) + '2,"ouvert\n';
    // In the head the delimiter is sniffed on.
    await expect(readCsv(failing([rows]))).rejects.toMatchObject({ code: 'invalid-encoding', row: 12 });
    // While the records stream: the row of the record being read.
    const r = await readCsv(failing([rows.replace('id,note', 'id,' + 'x'.repeat(70 * 1024)), 'suite']));
    await expect(collect(r.records)).rejects.toMatchObject({ code: 'invalid-encoding', row: 12 });
  });

  it('sniffs then streams records across chunks', async () => {
    const r = await readCsv(texts('nom;mon', 'tant\nA;1\n', 'B;2'));
    expect(r.delimiter).toBe(';');
    expect(await collect(r.records)).toEqual([
      { cells: ['nom', 'montant'], row: 1 },
      { cells: ['A', '1'], row: 2 },
      { cells: ['B', '2'], row: 3 },
    ]);
  });
});
