/**
 * The boundary scanner agrees with the byte reader: every boundary it reports is a record
 * start for the reader, with the reader's row number there, and it misses none at LF.
 */
import { prng } from '../../../bench/generate';
import { RecordBoundaryScanner, rowAfter } from '../../../functions/domain/standardize/read/csv-boundaries';
import { ByteCsvParser, ByteCsvRecord } from '../../../functions/domain/standardize/read/csv-bytes';


const PIECES = ['a', 'bc', ';', ';', '"', '""', '\n', '\r\n', '\r', 'é', '"x;y"', '"l1\nl2"', '"q""q"'];

function randomCsv(rnd: () => number, length: number): Buffer {
  let s = '';
  while (s.length < length) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return Buffer.from(s, 'utf8');
}

/** Well-formed CSV (quotes only around whole fields): what the scanner's fast path takes. */
const FIELDS = ['a', 'bc', '', '"x;y"', '"l1\nl2"', '"q""q"', '"cr\r\nlf"', 'é'];
const ENDS = ['\n', '\r\n', '\r', '\r\n\r\n'];
function regularCsv(rnd: () => number, records: number): Buffer {
  let s = '';
  for (let r = 0; r < records; r++) {
    const cells = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => FIELDS[Math.floor(rnd() * FIELDS.length)]);
    s += cells.join(';') + ENDS[Math.floor(rnd() * ENDS.length)];
  }
  return Buffer.from(s, 'utf8');
}

/** Records and their lines, as the reader sees them when fed `bytes` whole. */
function starts(bytes: Buffer): { records: ByteCsvRecord[]; blank: number } {
  const p = new ByteCsvParser(';', 1 << 20);
  const records: ByteCsvRecord[] = [];
  try {
    p.push({ bytes, encoding: 'utf-8' }, records);
    p.end(records);
  } catch {
    // An unterminated quote at the end: the records before it stand.
  }
  return { records, blank: p.blankRows };
}

describe('RecordBoundaryScanner', () => {
  it.each([
    ['any bytes (the byte loop)', (rnd: () => number) => randomCsv(rnd, 20 + Math.floor(rnd() * 200))],
    ['well-formed quoting (the native-search path)', (rnd: () => number) => regularCsv(rnd, 5 + Math.floor(rnd() * 40))],
  ])('reports boundaries where the reader starts a record, with its row: %s', (_, make) => {
    const rnd = prng(42);
    for (let k = 0; k < 400; k++) {
      const bytes = make(rnd);
      const cut = 1 + Math.floor(rnd() * (bytes.length - 1));
      const scanner = new RecordBoundaryScanner(59);
      const found = [scanner.scan(bytes.subarray(0, cut)), scanner.scan(bytes.subarray(cut))];
      const offsets = found.map((b, i) => ({ offset: b.offset < 0 ? -1 : b.offset + (i ? cut : 0), row: b.row })).filter((b) => b.offset >= 0);
      for (const { offset, row } of offsets) {
        // Reading the two halves separately gives the same records as reading the whole.
        const whole = starts(bytes);
        const head = starts(bytes.subarray(0, offset));
        const tail = starts(bytes.subarray(offset));
        const shifted = tail.records.map((r) => ({ cells: r.cells, row: r.row + row - 1 }));
        expect([...head.records.map((r) => ({ cells: r.cells, row: r.row })), ...shifted]).toEqual(whole.records.map((r) => ({ cells: r.cells, row: r.row })));
        expect(head.blank + tail.blank).toBe(whole.blank);
      }
    }
  });

  it('finds the last record end of each chunk and carries quotes across chunks', () => {
    const s = new RecordBoundaryScanner(59);
    expect(s.scan(Buffer.from('a;b\r\n1;"x\n'))).toEqual({ offset: 5, row: 2 });
    expect(s.inQuotes).toBe(true);
    expect(s.scan(Buffer.from('y"\r'))).toEqual({ offset: -1, row: 0 });
    // Rows as a spreadsheet shows them: the line break inside quotes stays in row 2.
    expect(s.scan(Buffer.from('\n3;4\r5'))).toEqual({ offset: 5, row: 4 });
    expect(s.inQuotes).toBe(false);
    expect(s.row).toBe(4);
  });

  it('cuts after a lone CR followed by another byte, not after a CR last (the first half of a CRLF, maybe)', () => {
    // The native-search path (quotes around whole fields) and the byte loop (a quote taken literally).
    for (const [text, offset, row] of [
      ['a;b\r1;"x\ry"\r2;3', 12, 3],
      ['a;b\r1;x"y\r2;3', 10, 3],
      ['a;b\r\n1;2\r3;4\r', 9, 3],
      ['a;b\r1;"x\r', 4, 2],
    ] as const) {
      expect(new RecordBoundaryScanner(59).scan(Buffer.from(text))).toEqual({ offset, row });
    }
    expect(new RecordBoundaryScanner(59).scan(Buffer.from('a;b\r'))).toEqual({ offset: -1, row: 0 });
    // A CR last in one chunk: its record ends at the next byte, when it is not an LF.
    const s = new RecordBoundaryScanner(59);
    expect(s.scan(Buffer.from('a;b\r1;2\r'))).toEqual({ offset: 4, row: 2 });
    expect(s.scan(Buffer.from('3;4'))).toEqual({ offset: 0, row: 3 });
  });

  it.each(['CR-only', 'mixed'])('finds a boundary in every chunk holding a record end known as such: %s line ends', (ends) => {
    const rnd = prng(3);
    const eol = () => (ends === 'mixed' ? ['\r', '\n', '\r\n'][Math.floor(rnd() * 3)] : '\r');
    let text = '';
    for (let r = 0; r < 300; r++) text += `${r};${r % 7 === 0 ? `"l1${eol()}l2"` : `v${r}`};x${eol()}`;
    const bytes = Buffer.from(text);
    const whole = starts(bytes).records;
    const scanner = new RecordBoundaryScanner(59);
    for (let at = 0; at < bytes.length; ) {
      const size = 30 + Math.floor(rnd() * 60);
      const chunk = bytes.subarray(at, at + size);
      const b = scanner.scan(chunk);
      // Each chunk of 30 bytes or more holds the end of a record (of at most 24 bytes) that the next byte confirms.
      if (at + chunk.length < bytes.length) expect(b.offset).toBeGreaterThan(0);
      if (b.offset >= 0) {
        const head = starts(bytes.subarray(0, at + b.offset)).records;
        expect(head).toHaveLength(whole.filter((r) => r.row < b.row).length);
        expect(head.map((r) => r.cells)).toEqual(whole.slice(0, head.length).map((r) => r.cells));
      }
      at += chunk.length;
    }
  });

  it.each([
    ['any bytes (the byte loop)', (rnd: () => number) => randomCsv(rnd, 20 + Math.floor(rnd() * 200))],
    ['well-formed quoting (the native-search path)', (rnd: () => number) => regularCsv(rnd, 5 + Math.floor(rnd() * 40))],
  ])('gives the row of the byte after those scanned as the reader does (rowAfter): %s', (_, make) => {
    const rnd = prng(7);
    for (let k = 0; k < 400; k++) {
      const bytes = make(rnd);
      const cut = Math.floor(rnd() * (bytes.length + 1));
      const p = new ByteCsvParser(';', 1 << 20);
      p.push({ bytes: bytes.subarray(0, cut), encoding: 'utf-8' }, []);
      expect(rowAfter(bytes.subarray(0, cut), 59)).toBe(p.pendingRow());
    }
    expect(rowAfter(Buffer.from('a;b\r\n"1\r\n2";x\r\n\r\n3;"4'), 59)).toBe(4);
    expect(rowAfter(Buffer.from('a;b\r'), 59, 10)).toBe(11);
  });
});
