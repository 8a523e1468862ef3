/**
 * Throughput of the CSV read path, printed, not asserted (timings depend on the machine):
 *   npx tsx test/unit/standardize/measure-throughput.ts [sizeMB=50]
 * Generates a French `;` CSV (one `€` and accents per line) in UTF-8 and Windows-1252 and
 * reports MB/s (of input bytes) for: a newline-count floor, decoding alone (ours vs
 * TextDecoder vs iconv-lite), decode+parse, the whole openTable, and papaparse.
 * Best of 3 runs each, after a warm-up.
 */
import { decodeStream, decodeWindows1252 } from '../../../functions/domain/standardize/read/decode';
import { readCsv } from '../../../functions/domain/standardize/read/csv';
import { openTable } from '../../../functions/domain/standardize/read/open-table';
import { toWindows1252 } from '../../fixtures/bad-inputs';

const CHUNK = 64 * 1024;

function* chunks(b: Buffer): Generator<Buffer> {
  for (let i = 0; i < b.length; i += CHUNK) yield b.subarray(i, i + CHUNK);
}
async function* source(b: Buffer): AsyncGenerator<Buffer> {
  yield* chunks(b);
}

function generate(sizeMB: number): string {
  const header =
    'nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;objet;montant;nature;conditionsVersement\r\n';
  const parts = [header];
  let len = header.length;
  for (let i = 0; len < sizeMB * 1e6; i++) {
    const line =
      `Commune de Saint-Étienne-de-Crossey;21380383500013;${String((i % 28) + 1).padStart(2, '0')}/12/2024;DEL-2024-${i};` +
      `Association des élèves n°${i};${String(50000000000000 + i)};Subvention de fonctionnement;${i % 9000} ${String(i % 1000).padStart(3, '0')},56 €;aide en numéraire;unique\r\n`;
    parts.push(line);
    len += line.length;
  }
  return parts.join('');
}

async function best(label: string, bytes: number, fn: () => Promise<number> | number): Promise<void> {
  await fn();
  let bestMs = Infinity;
  let result = 0;
  for (let k = 0; k < 3; k++) {
    const t = process.hrtime.bigint();
    result = await fn();
    bestMs = Math.min(bestMs, Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`${label.padEnd(44)} ${(bytes / 1e6 / (bestMs / 1000)).toFixed(0).padStart(6)} MB/s  (${result})`);
}

async function parseCount(b: Buffer): Promise<number> {
  const d = await decodeStream(source(b));
  const csv = await readCsv(d.chunks);
  let n = 0;
  for await (const r of csv.records) n += r.cells.length;
  return n;
}

async function main(): Promise<void> {
  const sizeMB = Number(process.argv[2] ?? 50);
  const text = generate(sizeMB);
  const utf8 = Buffer.from(text, 'utf8');
  const cp1252 = toWindows1252(text);
  console.log(`${(utf8.length / 1e6).toFixed(1)} MB UTF-8, ${(cp1252.length / 1e6).toFixed(1)} MB Windows-1252, ${CHUNK / 1024} KB chunks, node ${process.version}`);
  for (const [name, b] of [['utf-8', utf8], ['windows-1252', cp1252]] as const) {
    console.log(`--- ${name}`);
    await best('newline count floor (Buffer.indexOf)', b.length, () => {
      let n = 0;
      for (const c of chunks(b)) for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) n++;
      return n;
    });
    if (name === 'windows-1252') {
      await best('decode: ours (table-driven)', b.length, () => {
        let n = 0;
        for (const c of chunks(b)) n += decodeWindows1252(c).length;
        return n;
      });
      await best('decode: TextDecoder (NB: Latin-1 in Node 20)', b.length, () => {
        const td = new TextDecoder('windows-1252');
        let n = 0;
        for (const c of chunks(b)) n += td.decode(c, { stream: true }).length;
        return n;
      });
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const iconv = require('iconv-lite') as { getDecoder(e: string): { write(b: Buffer): string } };
        await best('decode: iconv-lite', b.length, () => {
          const dec = iconv.getDecoder('win1252');
          let n = 0;
          for (const c of chunks(b)) n += dec.write(c).length;
          return n;
        });
      } catch {
        console.log('iconv-lite not resolvable: skipped');
      }
    } else {
      await best('decode: ours (validate + utf8 slice)', b.length, async () => {
        const d = await decodeStream(source(b));
        let n = 0;
        for await (const s of d.chunks) n += s.length;
        return n;
      });
    }
    await best('decode + parse (readCsv), cells', b.length, () => parseCount(b));
    await best('openTable end to end, rows', b.length, async () => {
      const t = await openTable(source(b));
      let n = 0;
      for await (const r of t.rows) n += r.cells.length > 0 ? 1 : 0;
      return n;
    });
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Papa = require('papaparse') as { parse(s: string, o: object): { data: unknown[] } };
    const str = utf8.toString('utf8');
    await best('peer: papaparse on the decoded UTF-8 string', utf8.length, () => Papa.parse(str, { delimiter: ';' }).data.length);
  } catch {
    console.log('papaparse not resolvable: skipped');
  }
}

void main();
