/**
 * Standardizing on worker threads gives exactly what the single-threaded path gives: the
 * same output bytes, the same report (issues, their order and lines, counts), the same
 * errors — whatever the segment size, including on bad input.
 */
import { balExport, prng, subventionsExport } from '../../../bench/generate';
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { bal14 } from '../../../functions/domain/schemas/builtin/bal';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import * as parallelModule from '../../../functions/domain/standardize/parallel';
import { standardizeTable, type ByteSink } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from './helpers';

interface RunOptions {
  segmentBytes?: number;
  maxRecordBytes?: number;
  /** Size of the pieces the file comes in (32 KiB by default). */
  chunk?: number;
}

async function run(bytes: Buffer, schema: TableSchemaDescriptor | null, threads: number, extra: RunOptions = {}) {
  const files: Record<string, Buffer[]> = {};
  const sinks = (name: string): ByteSink => {
    files[name] = [];
    return { write: (c) => void files[name].push(Buffer.from(c)), end: async () => undefined, abort: async () => void delete files[name] };
  };
  const result = await standardizeTable(chunked(bytes, extra.chunk ?? 32 * 1024), {
    schema,
    sinks,
    threads,
    sizeHint: Number.MAX_SAFE_INTEGER,
    segmentBytes: extra.segmentBytes ?? 48 * 1024,
    ...(extra.maxRecordBytes ? { open: { maxRecordBytes: extra.maxRecordBytes } } : {}),
  });
  return { result, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.concat(v).toString('utf8')])) };
}

/** Segments the main thread took in the last parallel run of expectSame. */
let lastMainSegments = 0;

async function expectSame(bytes: Buffer, schema: TableSchemaDescriptor | null, extra: RunOptions = {}) {
  const segments = jest.spyOn(parallelModule, 'standardizeSegments');
  const single = await run(bytes, schema, 0, extra);
  expect(segments).not.toHaveBeenCalled();
  // A worker ready before the file: it takes segments from the first one on (else this thread would take them all).
  await parallelModule.prepareSegmentWorkers(2);
  const before = { ...parallelModule.segmentCounts };
  const parallel = await run(bytes, schema, 2, extra);
  expect(segments).toHaveBeenCalledTimes(1);
  expect(parallelModule.segmentCounts.workers).toBeGreaterThan(before.workers);
  lastMainSegments = parallelModule.segmentCounts.main - before.main;
  segments.mockRestore();
  expect(parallel.result).toEqual(single.result);
  expect(Object.keys(parallel.files).sort()).toEqual(Object.keys(single.files).sort());
  for (const name of Object.keys(single.files)) expect(parallel.files[name] === single.files[name]).toBe(true);
  return single;
}

/** Latin-1 bytes of `text` (the Windows-1252 exports above are Latin-1 but for `€` and `’`). */
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('parallel standardization', () => {
  jest.setTimeout(60_000);

  it('subventions, Windows-1252, 3,000 rows in ~10 segments: same outputs and report', async () => {
    const single = await expectSame(subventionsExport(3000), subventions);
    // Both threads took segments.
    expect(lastMainSegments).toBeGreaterThan(0);
    expect(single.result.report.valid).toBe(true);
    expect(single.result.report.rowCount).toBe(3000);
    // The column statistics were compared too: counted on both threads, some columns past counting.
    const stats = single.result.report.stats!;
    expect(stats.rows).toBe(3000);
    expect(stats.columns.find((c) => c.name === 'nature')?.distinct).toBe(3);
    expect(stats.columns.find((c) => c.name === 'nomBeneficiaire')?.distinct).toBeUndefined();
  });

  it('a header spelled otherwise: the one header-renamed warning, not one per segment', async () => {
    const title = subventions.fields.find((f) => f.name === 'dateConvention')!.title!;
    const text = subventionsExport(3000).toString('latin1').replace(/^nomAttribuant;idAttribuant;dateConvention;/, `Nom Attribuant;ID_ATTRIBUANT;${title};`);
    const { report } = (await expectSame(latin1(text), subventions)).result;
    expect(report.valid).toBe(true);
    expect(report.codes['header-renamed']).toBe(1);
    expect(report.issues.filter((i) => i.code === 'header-renamed')).toEqual([expect.objectContaining({ row: 1, message: expect.stringMatching(/^3 colonnes .*« ID_ATTRIBUANT » lue comme « idAttribuant »/) })]);
  });

  it('thousands of errors: same first 1,000 issues in order, same counts', async () => {
    // Every idAttribuant SIRET with a wrong key, and blank lines here and there.
    const text = subventionsExport(2500).toString('latin1').replace(/;(\d{3} \d{3} \d{3} \d{4})(\d);/g, (_, a, d) => `;${a}${(Number(d) + 1) % 10};`);
    const withBlanks = text.replace(/\r\n(?=[^\r\n]*;2024)/g, (m, at: number) => (at % 7 === 0 ? '\r\n\r\n' : m));
    const single = await expectSame(latin1(withBlanks), subventions);
    expect(single.result.report.valid).toBe(false);
    expect(single.result.report.errorCount).toBeGreaterThan(1000);
    expect(single.result.report.issues).toHaveLength(1000);
  });

  it('BAL 1.4 (UTF-8), and a second commune in the last rows (a check across rows)', async () => {
    expect((await expectSame(balExport(3000), bal14)).result.report.valid).toBe(true);
    const two = balExport(3000).toString('utf8').replace(/^3647a1f3-8909-4aee-b7a4-000000008910(?=;[^\n]*_00100;)/gm, '3647a1f3-8909-4aee-b7a4-000000008911');
    const single = await expectSame(Buffer.from(two), bal14);
    expect(single.result.report.codes['bal-multiple-communes']).toBe(1);
  });

  it('BAL with uid_adresse and a language variant: the same outputs, the variant added after the schema\'s columns', async () => {
    const lines = balExport(3000).toString('utf8').trimEnd().split('\r\n');
    // id_ban_* emptied, their ids given in uid_adresse; voie_nom_bre after voie_nom.
    const voieNom = lines[0].split(';').indexOf('voie_nom');
    const text = lines
      .map((line, i) => {
        const cells = line.split(';');
        const uid = i === 0 ? 'uid_adresse' : `@c:${cells[0]} @v:${cells[1]} @a:${cells[2]}`;
        const bre = i === 0 ? 'voie_nom_bre' : `Straed ${i}`;
        cells.splice(voieNom + 1, 0, bre);
        return [...(i === 0 ? cells.slice(0, 3) : ['', '', '']), uid, ...cells.slice(3)].join(';');
      })
      .join('\r\n');
    expect(text.split('\r\n')[0]).toContain(';voie_nom;voie_nom_bre;');
    const single = await expectSame(Buffer.from(text), bal14);
    expect(single.result.report.valid).toBe(true);
    expect(single.result.fields.slice(-1)).toEqual(['voie_nom_bre']);
    // uid_adresse is not published; judged 1.4 (id_ban_* columns), its ids fill the empty id_ban_* cells.
    const last = lines[3000].split(';');
    expect(single.files['data.csv'].split('\r\n')[3000]).toMatch(new RegExp(`^${last.slice(0, 3).join(';')};.*;Straed 3000$`));
  });

  it('no schema: quoted line breaks, lone CRs, ragged rows and blank lines across segments', async () => {
    let text = 'id;texte;n\r\n';
    for (let i = 0; i < 4000; i++) {
      text += i % 13 === 0 ? `${i};"deux\nlignes; et ""guillemets"""\r\n` : i % 17 === 0 ? `${i};court\r` : i % 19 === 0 ? `${i};a;b;c\n\n` : `${i};valeur ${i};${i * 2}\r\n`;
    }
    const single = await expectSame(Buffer.from(text), null, { segmentBytes: 8 * 1024 });
    expect(single.result.report.codes['blank-row']).toBe(1);
    expect(single.result.report.codes['extra-cell']).toBeGreaterThan(0);
  });

  it('quoted line breaks across segments: rows numbered as a spreadsheet shows them, as on one thread', async () => {
    const lines = subventionsExport(3000).toString('latin1').split('\r\n');
    const objet = 7;
    const idBeneficiaire = 5;
    /** Rows (as a spreadsheet shows them) whose SIRET is made wrong. */
    const wrong: number[] = [];
    const text = lines
      .map((line, k) => {
        if (k === 0 || line === '') return line;
        // The fields before objet hold no `;`; a quoted objet may.
        const cells = line.split(';');
        if (k % 3 === 0) cells[objet] = cells[objet].startsWith('"') ? `"Ligne 1\r\n${cells[objet].slice(1)}` : `"${cells[objet]}\nsuite\r\nfin"`;
        if (k % 97 === 5 && /^\d{14}$/.test(cells[idBeneficiaire])) {
          cells[idBeneficiaire] = cells[idBeneficiaire].slice(0, 13) + ((Number(cells[idBeneficiaire][13]) + 1) % 10);
          wrong.push(k + 1);
        }
        return cells.join(';');
      })
      .join('\r\n');
    expect(wrong.length).toBeGreaterThan(10);
    const single = await expectSame(latin1(text), subventions, { segmentBytes: 16 * 1024 });
    expect(single.result.report.rowCount).toBe(3000);
    expect(single.result.report.issues.filter((i) => i.column === 'idBeneficiaire').map((i) => i.row)).toEqual(wrong);
  });

  it('no schema: a CR-only file (Excel for Mac), every piece ending on a CR: same rows and row numbers', async () => {
    // 16 bytes a record: each 32 KiB piece ends with a CR, whose record ends with the next piece.
    let text = 'id;texte;nombre\r';
    for (let i = 0; i < 6000; i++) text += i % 500 === 499 ? `${String(i).padStart(5, '0')};va;leur;n\r` : `${String(i).padStart(5, '0')};valeur;${String(i % 100).padStart(2, '0')}\r`;
    const single = await expectSame(Buffer.from(text), null, { segmentBytes: 8 * 1024 });
    expect(single.result.report.rowCount).toBe(6000);
    expect(single.result.report.issues.filter((i) => i.code === 'extra-cell').map((i) => i.row)).toEqual(Array.from({ length: 12 }, (_, k) => 500 * k + 501));
  });

  it('no schema: mixed CR, LF and CRLF line ends, inside quotes too, pieces of any size: as on one thread', async () => {
    const rnd = prng(11);
    const eol = () => ['\r', '\n', '\r\n'][Math.floor(rnd() * 3)];
    let text = 'id;texte;n' + eol();
    for (let i = 0; i < 5000; i++) {
      const cell = rnd() < 0.2 ? `"q ${i}${eol()}suite;""x""${rnd() < 0.3 ? eol() + eol() : ''}"` : `v${i}`;
      text += (rnd() < 0.03 ? eol() : '') + (rnd() < 0.02 ? `${i};${cell};${i};en trop` : `${i};${cell};${i}`) + eol();
    }
    for (const chunk of [997, 4096, 32 * 1024]) {
      const single = await expectSame(Buffer.from(text), null, { segmentBytes: 4 * 1024, chunk });
      expect(single.result.report.rowCount).toBe(5000);
    }
  });

  it('a segment ends where a record does: a lone CR last ends it; a cut inside a record is an internal error, not a lost record', async () => {
    const config = { schema: null, header: ['a', 'b'], padWidth: 2, delimiter: ';', maxRecordBytes: 1 << 20, now: 0 };
    const segment = (text: string) => {
      const bytes = Buffer.from(text);
      return { seq: 0, config, parts: [{ buffer: bytes.buffer as ArrayBuffer, offset: bytes.byteOffset, length: bytes.length }], encoding: 'utf-8' as const, row: 5, final: false, writing: true };
    };
    const result = await parallelModule.processSegment(segment('1;2\r3;4\r'));
    expect(result.rowCount).toBe(2);
    expect(Buffer.from(result.outputs[0].bytes).toString()).toContain('3,4');
    await expect(parallelModule.processSegment(segment('1;2\r3;'))).rejects.toThrow(/cut inside a record \(row 6/);
    await expect(parallelModule.processSegment(segment('1;2\r3;"4\r'))).rejects.toThrow(/cut inside a record/);
  });

  it('no schema: lines padded with empty cells are fine everywhere, a line shifted past the padding is not', async () => {
    let text = 'id;texte;n\r\n';
    for (let i = 0; i < 4000; i++) text += i % 97 === 50 ? `${i};dé;calé;${i};;\r\n` : `${i};valeur ${i};${i * 2};;\r\n`;
    const single = await expectSame(Buffer.from(text), null, { segmentBytes: 8 * 1024 });
    // Each shifted line: its value pushed into the padding, and an empty cell past it.
    expect(single.result.report.codes['extra-cell']).toBe(2 * 41);
  });

  it('an invalid byte after a piece with no record end: the records before it are checked as on one thread', async () => {
    // Rows with a wrong SIRET key, then a record longer than a piece (no record end in it), then an invalid byte.
    const base = subventionsExport(120).toString('latin1').replace(/;(\d{14});/g, (m, siret: string, at: number) => (at % 3 === 0 ? `;${siret.slice(0, 13)}${(Number(siret[13]) + 1) % 10};` : m));
    const long = `Commune;21310555400017;2024-01-15;D-1;Asso;;W751212517;${'objet très long '.repeat(4000)};1000;aide en numéraire;unique;2024-02-01;;non;0.5;\r\n`;
    const bytes = Buffer.concat([Buffer.from(base, 'utf8'), Buffer.from(long, 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from(';x\r\n')]);
    const single = await expectSame(bytes, subventions, { segmentBytes: 64 * 1024, chunk: 16 * 1024 });
    expect(single.result.report.codes['invalid-encoding']).toBe(1);
    expect(single.result.report.codes.siret).toBeGreaterThan(0);
  });

  it('bad input: the same error on the same line', async () => {
    const base = subventionsExport(2000);
    // Invalid UTF-8 after valid multi-byte text: refused, with its line.
    const utf8 = Buffer.concat([Buffer.from(base.toString('latin1'), 'utf8'), Buffer.from([0xff, 0x0d, 0x0a])]);
    expect((await expectSame(utf8, subventions)).result.report.codes['invalid-encoding']).toBe(1);
    // A quote never closed at the end of the file.
    expect((await expectSame(Buffer.concat([base, latin1('x;"ouvert\r\n')]), subventions)).result.report.codes['unterminated-quote']).toBe(1);
    // A record over the size limit in the middle.
    const big = Buffer.concat([base.subarray(0, 300_000), latin1('a'.repeat(200_000) + '\r\n'), base.subarray(300_000)]);
    expect((await expectSame(big, subventions, { maxRecordBytes: 100_000 })).result.report.codes['row-too-large']).toBe(1);
  });
});

describe('threads by default', () => {
  const { standardizeThreads } = parallelModule;

  it('uses the cores there are, at most 4, unless told', () => {
    expect(standardizeThreads({}, 2)).toBe(2);
    expect(standardizeThreads({}, 16)).toBe(4);
    expect(standardizeThreads({}, 1)).toBe(1);
    expect(standardizeThreads({ SOCLE_STANDARDIZE_THREADS: 'auto' }, 2)).toBe(2);
    expect(standardizeThreads({ SOCLE_STANDARDIZE_THREADS: '0' }, 8)).toBe(0);
    expect(standardizeThreads({ SOCLE_STANDARDIZE_THREADS: '3' }, 2)).toBe(3);
    expect(standardizeThreads({ SOCLE_STANDARDIZE_THREADS: 'many' }, 8)).toBe(1);
  });

  it('on Lambda, the vCPUs the memory size pays for (a 512 MB function has a fraction of one)', () => {
    expect(standardizeThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' }, 2)).toBe(1);
    expect(standardizeThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769' }, 2)).toBe(1);
    expect(standardizeThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3538' }, 2)).toBe(2);
    expect(standardizeThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '10240' }, 6)).toBe(4);
  });
});
