import * as fs from 'fs';
import * as path from 'path';
import { compileSchema } from '../../../functions/domain/schema/compile';
import { fromFrictionless } from '../../../functions/domain/schema/descriptor';

const REF = path.resolve(__dirname, '../../../../shared/reference');

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Minimal CSV splitter for the reference examples (quoted fields, no embedded newlines). */
function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

if (!fs.existsSync(REF)) {
  describe('official SCDL schemas', () => {
    it('needs ../shared/reference (absent: skipped)', () => {
      console.warn(`reference schemas not found at ${REF}: official schema tests not run`);
    });
  });
} else {
  const scdl = path.join(REF, 'scdl');
  const files = fs
    .readdirSync(scdl, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) =>
      fs
        .readdirSync(path.join(scdl, e.name))
        .filter((f) => /^schema(-v[\d.]+)?\.json$/.test(f))
        .map((f) => path.join(e.name, f)),
    );

  describe('official SCDL schemas', () => {
    it('finds every schema.json, including BAL 1.4 and 1.5', () => {
      expect(files).toEqual(expect.arrayContaining(['subventions/schema.json', 'bal/schema-v1.4.json', 'bal/schema-v1.5.json', 'prenoms/schema.json']));
      expect(files.length).toBeGreaterThanOrEqual(12);
    });

    it.each(files)('%s parses via fromFrictionless and compiles', (file) => {
      const json = readJson(path.join(scdl, file)) as { fields: unknown[] };
      const d = fromFrictionless(json, `scdl/${file.split('/')[0]}`);
      expect(d.fields).toHaveLength(json.fields.length);
      expect(d.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(() => compileSchema(d)).not.toThrow();
    });

    it('drops the v of prenoms version v1.1.6', () => {
      expect(fromFrictionless(readJson(path.join(scdl, 'prenoms/schema.json')), 'scdl/prenoms').version).toBe('1.1.6');
    });

    it('validates the official valid subventions example without any issue', () => {
      const schema = compileSchema(fromFrictionless(readJson(path.join(scdl, 'subventions/schema.json')), 'scdl/subventions'));
      const lines = fs.readFileSync(path.join(scdl, 'subventions/examples/exemple_valide.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
      const { issues, validator } = schema.bind(splitCsvLine(lines[0], ','));
      expect(issues).toEqual([]);
      const found = lines.slice(1).flatMap((l, k) => validator.validate(splitCsvLine(l, ','), k + 2).issues);
      expect(found).toEqual([]);
    });

    it('finds the documented cell errors of the invalid subventions example', () => {
      const schema = compileSchema(fromFrictionless(readJson(path.join(scdl, 'subventions/schema.json')), 'scdl/subventions'));
      const lines = fs
        .readFileSync(path.join(scdl, 'subventions/examples/exemple_invalide_erreurs_cellules.csv'), 'utf8')
        .split(/\r?\n/)
        .filter((l) => l !== '');
      const { issues, validator } = schema.bind(splitCsvLine(lines[0], ','));
      // dispositifAide is absent, but optional: no header issue.
      expect(issues).toEqual([]);
      const found = lines.slice(1).flatMap((l, k) => validator.validate(splitCsvLine(l, ','), k + 2).issues);
      const codes = new Set(found.map((i) => i.code));
      // 21860194600000 has a bad key, 218601946 is a SIREN, the period uses `_`, 100 is not ≤ 1.
      expect([...codes]).toEqual(expect.arrayContaining(['siret', 'pattern', 'maximum', 'one-of-required']));
      expect(found).toContainEqual(expect.objectContaining({ code: 'pattern', column: 'datesPeriodeVersement', value: '2017-06-27_2018-06-27' }));
      expect(found).toContainEqual(expect.objectContaining({ code: 'pattern', column: 'idAttribuant', value: '218601946' }));
      // French spellings the engine standardises instead of rejecting: 05/12/2016, 100000,1, 0,5, yes/no.
      expect(found.filter((i) => i.column === 'dateConvention' || i.column === 'notificationUE')).toEqual([]);
    });
  });
}
