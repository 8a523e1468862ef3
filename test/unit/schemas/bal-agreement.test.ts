import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { compileSchema } from '../../../functions/domain/schema/compile';
import { checkBalRows, createBalRowsCheck } from '../../../functions/domain/schemas/bal/checks';
import { balHeaderIndex, checkBalFile, checkBalHeader, checkBalRow, gradeBalHeaderIssues, gradeBalIssues } from '../../../functions/domain/schemas/bal/policy';
import { getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { decodeBytes } from '../../../functions/domain/standardize/read/decode';
import { parseCsv, tableOf } from './read-table';
import { describeWithReference, referencePath } from './reference';

interface ReferenceRow {
  line: number;
  isValid: boolean;
}
interface ReferenceResult {
  profile?: string;
  rows?: ReferenceRow[];
  profilesValidation?: Record<string, { isValid: boolean }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validate } = require('@ban-team/validateur-bal') as {
  validate(file: Buffer, options?: { profile?: string }): Promise<ReferenceResult>;
};

type Verdict = 'valid' | 'invalid';
interface Outcome {
  /** The profile validateur-bal picks for the file; ours must be the same. */
  profile: string;
  theirs: Verdict;
  ours: Verdict;
  /** Lines (header = 1) each validator finds in error, when both say invalid. */
  sameRows?: boolean;
}

/*
 * Verdicts of validateur-bal 3.5.2 (with the profile it picks itself, offline) and ours on
 * every reference BAL. Ours, as the pipeline gathers them: engine issues (the official AITF
 * Table Schema) graded by gradeBalIssues, plus checkBalFile, checkBalHeader, checkBalRow on
 * each record and createBalRowsCheck; errors alone make the verdict.
 * All 32 agree, verdict and erroneous lines. Rules we cannot run, and the files they touch
 * without changing the outcome (`note`):
 * COG: validateur-bal checks INSEE codes (commune_insee, cle_interop) against its copy of
 *   the COG; we hold none, so a wrong but well-formed code passes here.
 * BAN: validateur-bal asks the BAN API for the commune's id (`cog_no_match_id_ban_commune`);
 *   offline it skips the rule, as we always do. Online, it could fail files we accept.
 */
const EXPECTED: Record<string, Omit<Outcome, 'profile'> & { note?: string }> = {
  'aitf/v1.3/bal_multilingue_v1.3.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'aitf/v1.3/bal_simple_v1.3.csv': { theirs: 'valid', ours: 'valid' },
  'aitf/v1.4/bal_simple_v1.4.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'aitf/v1.5/bal_simple_v1.5.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.3-incoherent-uid_adresse.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.4/data/1.3-invalid-uid_adresse.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.4/data/1.3-valid-uid_adresse.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.4/data/1.3-valid.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.4/data/1.4-bad-dependance-id-ban.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-bad-id-ban-adresse.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-bad-id-ban-commune.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-bad-id-ban-toponyme.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-cog-no-match-id_ban_commune.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true, note: 'BAN: the id mismatch itself is not checked; both fail on two commune ids' },
  'validateur-bal/1.4/data/1.4-good-dependance-id-ban.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-ids-ban-empty.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.4/data/1.4-incoherent-dependance-id-ban.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-incoherent-id-ban.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.4/data/1.4-no-ids-ban-every.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-valid-relax.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.4-valid.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.4/data/1.4-without-ban-adresse.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.5/data/1.5-valid.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/1.5/data/1.5-without-ban-ids.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/data/aliases.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/data/auto-detect-1.4.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/data/auto-detect-1.5.csv': { theirs: 'valid', ours: 'valid' },
  'validateur-bal/data/junk.ascii.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/data/locales.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/data/sample.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true, note: 'COG: lines 2-3 have unknown INSEE codes, in error anyway for other rules' },
  'validateur-bal/data/toponyme-replacing-voie_nom.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/data/without-voie_nom-nor-toponyme.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/data/without_row.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
};

const walk = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = path.join(dir, e);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.csv') ? [p] : [];
    });

/** Our findings on one file, as the pipeline will gather them (the descriptor as the dataset would pick it). */
function oursFor(file: string) {
  const decoded = decodeBytes(readFileSync(file));
  const text = decoded.text.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [';', ',', '\t', '|'].find((d) => firstLine.includes(d)) ?? ';';
  const table = parseCsv(text, delimiter);
  const index = balHeaderIndex(table.header);
  const descriptor = getBuiltinSchema('bal', table.header.includes('toponyme') ? '1.5' : '1.4')!;
  const { issues: headerIssues, validator } = compileSchema(descriptor).bind(table.header);
  const all: ValidationIssue[] = [
    ...checkBalFile({ delimiter, encoding: decoded.encoding }, index.profile),
    ...gradeBalHeaderIssues(headerIssues, index),
    ...checkBalHeader(index, headerIssues),
  ];
  const rows = createBalRowsCheck(index);
  table.rows.forEach((cells, i) => {
    const found = validator.validate(cells, i + 2).issues;
    all.push(...gradeBalIssues(found, index), ...checkBalRow(cells, index, i + 2, found));
    rows.add(cells);
  });
  all.push(...gradeBalIssues(validator.finish(), index), ...rows.finish());
  return { profile: index.profile, errors: all.filter((e) => e.severity === 'error') };
}

describe('checkBalRows', () => {
  const header = ['id_ban_commune', 'id_ban_toponyme', 'id_ban_adresse', 'numero'];
  const C1 = '0246e48c-f33d-433a-8984-034219be842e';
  const C2 = '1246e48c-f33d-433a-8984-034219be842e';
  const T = '8a3bab10-f329-4ce3-9c7d-280d91a8053a';
  const A = '3c87abe4-887b-46ee-9192-5c1b35a06625';
  const run = (...rows: Record<string, string | null>[]) => checkBalRows(header, tableOf(header, ...rows).rows).map((i) => `${i.code}@${i.row ?? '-'}`);

  it('accepts all ids everywhere, or none anywhere; a 99999 toponyme needs no address id', () => {
    expect(run({ id_ban_commune: C1, id_ban_toponyme: T, id_ban_adresse: A, numero: '1' }, { id_ban_commune: C1, id_ban_toponyme: T, numero: '99999' })).toEqual([]);
    expect(run({ numero: '1' }, { numero: '2' })).toEqual([]);
  });
  it('reports an empty file, incomplete ids, ids on some lines only, and several communes', () => {
    expect(checkBalRows(header, []).map((i) => i.code)).toEqual(['bal-empty']);
    expect(run({ id_ban_commune: C1, id_ban_toponyme: T, numero: '1' })).toEqual(['bal-ban-ids-incomplete@2']);
    expect(run({ id_ban_commune: C1, id_ban_toponyme: T, id_ban_adresse: A, numero: '1' }, { numero: '2' })).toEqual(['bal-ban-ids-partial@-']);
    expect(run({ id_ban_commune: C1, id_ban_toponyme: T, id_ban_adresse: A, numero: '1' }, { id_ban_commune: C2, id_ban_toponyme: T, id_ban_adresse: A, numero: '1' })).toEqual([
      'bal-multiple-communes@-',
    ]);
  });
});

describeWithReference('BAL: our verdict against validateur-bal on every reference file', () => {
  let realFetch: typeof fetch;
  beforeAll(() => {
    realFetch = globalThis.fetch;
    // validateur-bal asks the BAN API for each commune's id: fail fast, offline.
    globalThis.fetch = (async () => {
      throw new Error('offline');
    }) as typeof fetch;
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
    jest.restoreAllMocks();
  });

  it('matches the documented agreement table', async () => {
    const root = referencePath('bal', 'examples');
    const actual: Record<string, Outcome> = {};
    const expected: Record<string, Outcome> = {};
    for (const file of walk(root)) {
      const name = path.relative(root, file);
      const { profile, errors } = oursFor(file);
      const reference = await validate(readFileSync(file));
      const theirsValid = reference.profilesValidation?.[reference.profile ?? '']?.isValid === true;
      const outcome: Outcome = { profile, theirs: theirsValid ? 'valid' : 'invalid', ours: errors.length === 0 ? 'valid' : 'invalid' };
      if (!theirsValid && errors.length > 0) {
        // validateur-bal numbers data rows from 0; we number file lines, header = 1.
        const theirRows = (reference.rows ?? []).filter((r) => !r.isValid).map((r) => r.line + 2);
        const ourRows = [...new Set(errors.filter((e) => e.row !== undefined && e.row > 1).map((e) => e.row as number))];
        outcome.sameRows = JSON.stringify(theirRows.sort((a, b) => a - b)) === JSON.stringify(ourRows.sort((a, b) => a - b));
      }
      actual[name] = outcome;
      const { theirs, ours, sameRows } = EXPECTED[name] ?? { theirs: 'missing from EXPECTED', ours: '' };
      expected[name] = { profile: reference.profile ?? '', theirs, ours, ...(sameRows === undefined ? {} : { sameRows }) } as Outcome;
    }
    expect(Object.keys(actual)).toEqual(Object.keys(EXPECTED));
    expect(actual).toEqual(expected);
  });
});
