/**
 * Outputs reuse a few chunks (standardize-table.ts › Output): a sink that keeps a chunk
 * until its promise settles must find it unchanged until then, whatever the file size and
 * on one thread or several; the bytes it receives are those a copying sink receives.
 */
import { subventionsExport } from '../../../bench/generate';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import * as parallelModule from '../../../functions/domain/standardize/parallel';
import { standardizeTable, type ByteSink } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from './helpers';

/** A sink that keeps each chunk (no copy) and lets go of it later, checking it was not written over meanwhile. */
function holdingSink(files: Record<string, Buffer[]>, overwritten: string[], name: string): ByteSink {
  files[name] = [];
  return {
    write(chunk) {
      const copy = Buffer.from(chunk);
      files[name].push(copy);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          if (!chunk.equals(copy)) overwritten.push(name);
          resolve();
        }, 1),
      );
    },
    end: async () => undefined,
    abort: async () => void delete files[name],
  };
}

const copyingSink = (files: Record<string, Buffer[]>, name: string): ByteSink => {
  files[name] = [];
  return { write: (c) => void files[name].push(Buffer.from(c)), end: async () => undefined, abort: async () => void delete files[name] };
};

async function run(bytes: Buffer, threads: number, holding: boolean) {
  const files: Record<string, Buffer[]> = {};
  const overwritten: string[] = [];
  const result = await standardizeTable(chunked(bytes, 256 * 1024), {
    schema: subventions,
    sinks: (name) => (holding ? holdingSink(files, overwritten, name) : copyingSink(files, name)),
    threads,
    // Any size: split across threads when there are several.
    sizeHint: Number.MAX_SAFE_INTEGER,
    segmentBytes: 256 * 1024,
  });
  return { result, overwritten, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.concat(v)])) };
}

describe('output chunks', () => {
  jest.setTimeout(120_000);
  // ~6 MB in, ~20 MB out: dozens of chunks per output, reused many times over.
  const bytes = subventionsExport(25_000);

  it.each([0, 2])('a sink holding chunks (threads: %d) finds them unchanged until it lets go, and gets the same bytes', async (threads) => {
    const reference = await run(bytes, 0, false);
    expect(reference.result.report.valid).toBe(true);
    const segments = jest.spyOn(parallelModule, 'standardizeSegments');
    const held = await run(bytes, threads, true);
    expect(segments).toHaveBeenCalledTimes(threads > 1 ? 1 : 0);
    segments.mockRestore();
    expect(held.overwritten).toEqual([]);
    expect(held.result).toEqual(reference.result);
    expect(Object.keys(held.files).sort()).toEqual(Object.keys(reference.files).sort());
    for (const name of Object.keys(reference.files)) expect(held.files[name].equals(reference.files[name])).toBe(true);
  });
});
