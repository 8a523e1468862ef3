import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { checkBalRows } from '../../../functions/domain/schemas/bal/checks';
import { getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { readTable, tableOf, validateTable } from './read-table';
import { describeWithReference, referencePath } from './reference';

interface ReferenceRow {
  line: number;
  isValid: boolean;
}
interface ReferenceResult {
  rows?: ReferenceRow[];
  profilesValidation?: Record<string, { isValid: boolean }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validate } = require('@ban-team/validateur-bal') as {
  validate(file: Buffer, options: { profile: string }): Promise<ReferenceResult>;
};

type Verdict = 'valid' | 'invalid';
interface Outcome {
  theirs: Verdict;
  ours: Verdict;
  /** Lines (header = 1) each validator finds in error, when both say invalid. */
  sameRows?: boolean;
}

/*
 * Verdicts of validateur-bal 3.5.2 and of our engine + checkBalRows on every reference BAL,
 * with the profile our engine picks (1.5 when the header has `toponyme`, else 1.4).
 * Where they differ, the reason is one of:
 * STRICT: our descriptors equal the official AITF Table Schema (conformance test), which
 *   requires `certification_commune` and `source` and whose `cle_interop` pattern rejects
 *   the `xxxx` street code; validateur-bal makes those optional or warnings.
 * PATTERN: the official `long`/`lat` patterns allow at most 7 decimals, the AITF 1.3 files
 *   carry 15; validateur-bal only checks they are numbers.
 * DATE: `45400` (a spreadsheet serial date): validateur-bal and we both reject it.
 * COG: validateur-bal checks INSEE codes and cle_interop against the COG and case rules;
 *   we check the pattern only (sample.csv: both invalid, on different lines).
 */
const EXPECTED: Record<string, Outcome & { why?: string }> = {
  'aitf/v1.3/bal_multilingue_v1.3.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'aitf/v1.3/bal_simple_v1.3.csv': { theirs: 'valid', ours: 'valid' },
  'aitf/v1.4/bal_simple_v1.4.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'aitf/v1.5/bal_simple_v1.5.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
  'validateur-bal/1.4/data/1.3-incoherent-uid_adresse.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.3-invalid-uid_adresse.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.3-valid-uid_adresse.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT' },
  'validateur-bal/1.4/data/1.3-valid.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT' },
  'validateur-bal/1.4/data/1.4-bad-dependance-id-ban.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-bad-id-ban-adresse.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-bad-id-ban-commune.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-bad-id-ban-toponyme.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-cog-no-match-id_ban_commune.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-good-dependance-id-ban.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-ids-ban-empty.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT' },
  'validateur-bal/1.4/data/1.4-incoherent-dependance-id-ban.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-incoherent-id-ban.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT' },
  'validateur-bal/1.4/data/1.4-no-ids-ban-every.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-valid-relax.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.4/data/1.4-valid.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT' },
  'validateur-bal/1.4/data/1.4-without-ban-adresse.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/1.5/data/1.5-valid.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT (source empty, certification_commune absent)' },
  'validateur-bal/1.5/data/1.5-without-ban-ids.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/data/aliases.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/data/auto-detect-1.4.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT' },
  'validateur-bal/data/auto-detect-1.5.csv': { theirs: 'valid', ours: 'invalid', why: 'STRICT' },
  'validateur-bal/data/junk.ascii.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/data/locales.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/data/sample.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/data/toponyme-replacing-voie_nom.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/data/without-voie_nom-nor-toponyme.csv': { theirs: 'invalid', ours: 'invalid', sameRows: false, why: 'other lines: STRICT / PATTERN / COG' },
  'validateur-bal/data/without_row.csv': { theirs: 'invalid', ours: 'invalid', sameRows: true },
};

const walk = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = path.join(dir, e);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.csv') ? [p] : [];
    });

function oursFor(file: string) {
  const table = readTable(file, ';');
  const version = table.header.includes('toponyme') ? '1.5' : '1.4';
  const { errors } = validateTable(getBuiltinSchema('bal', version)!, table);
  const all: ValidationIssue[] = [...errors, ...checkBalRows(table.header, table.rows)];
  return { version, errors: all };
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
    for (const file of walk(root)) {
      const { version, errors } = oursFor(file);
      const reference = await validate(readFileSync(file), { profile: version });
      const theirsValid = reference.profilesValidation?.[version]?.isValid === true;
      const outcome: Outcome = { theirs: theirsValid ? 'valid' : 'invalid', ours: errors.length === 0 ? 'valid' : 'invalid' };
      if (!theirsValid && errors.length > 0) {
        const theirRows = (reference.rows ?? []).filter((r) => !r.isValid).map((r) => r.line + 1);
        const ourRows = [...new Set(errors.filter((e) => e.row !== undefined && e.row > 1).map((e) => e.row as number))];
        outcome.sameRows = JSON.stringify(theirRows.sort((a, b) => a - b)) === JSON.stringify(ourRows.sort((a, b) => a - b));
      }
      actual[path.relative(root, file)] = outcome;
    }
    expect(actual).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([k, { theirs, ours, sameRows }]) => [k, { theirs, ours, ...(sameRows === undefined ? {} : { sameRows }) }])));
  });
});
