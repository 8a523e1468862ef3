import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseRegisteredSchema, parseSchemaDescriptor, SchemaDescriptorError } from '../../../functions/domain/schema/descriptor';
import { describeWithReference, readReferenceJson, referencePath } from '../schemas/reference';

const base = { id: 'custom/test', version: 'v1.0.0', title: 'Test' };

function problems(input: unknown): { path: string; message: string }[] {
  try {
    parseSchemaDescriptor(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaDescriptorError);
    const err = e as SchemaDescriptorError;
    expect(err.code).toBe('invalid_schema');
    expect(err.message).toMatch(/^Schéma invalide/);
    return err.details;
  }
  throw new Error('expected a SchemaDescriptorError');
}

describe('parseSchemaDescriptor', () => {
  it('accepts a valid descriptor and drops the v of the version', () => {
    const d = parseSchemaDescriptor({
      ...base,
      fields: [
        { name: 'code', type: 'string', constraints: { required: true, pattern: '\\d{5}', enum: ['01004'] } },
        { name: 'n', type: 'integer', constraints: { minimum: 0, enum: [1, 2] } },
        { name: 'd', type: 'date', format: '%d/%m/%Y', constraints: { minimum: '2000-01-01' } },
        { name: 'siret', type: 'string' },
      ],
      primaryKey: ['code', 'n'],
      custom_checks: [{ name: 'french-siret-value', params: { column: 'siret' } }],
      aliases: { code: ['code_insee'] },
    });
    expect(d.version).toBe('1.0.0');
    expect(d.fields).toHaveLength(4);
  });

  it('rejects a version number the catalogue could not read back (over 40 characters)', () => {
    const p = problems({ ...base, version: '1.0.0-' + 'x'.repeat(40), fields: [{ name: 'a', type: 'string' }] });
    expect(p).toEqual([{ path: 'version', message: 'numéro de version trop long (40 caractères au plus, par exemple « 1.2.0 »)' }]);
  });

  it('rejects an unknown type, naming it and the path', () => {
    const p = problems({ ...base, fields: [{ name: 'a', type: 'text' }] });
    expect(p).toEqual([{ path: 'fields.0.type', message: expect.stringContaining('« text » inconnu') }]);
  });

  it('rejects a pattern that does not compile', () => {
    const p = problems({ ...base, fields: [{ name: 'a', type: 'string', constraints: { pattern: '([0-9' } }] });
    expect(p).toEqual([{ path: 'fields.0.constraints.pattern', message: expect.stringContaining('expression régulière invalide') }]);
  });

  it('rejects enum values of the wrong type', () => {
    const p = problems({ ...base, fields: [{ name: 'a', type: 'integer', constraints: { enum: [1, 'deux', 2.5] } }] });
    expect(p.map((x) => x.path)).toEqual(['fields.0.constraints.enum.1', 'fields.0.constraints.enum.2']);
    expect(p[0].message).toContain('incompatible avec le type integer');
  });

  it('rejects duplicate field names', () => {
    const p = problems({ ...base, fields: [{ name: 'a', type: 'string' }, { name: 'a', type: 'integer' }] });
    expect(p).toEqual([{ path: 'fields.1.name', message: 'nom de champ « a » en double' }]);
  });

  it('rejects a primaryKey naming an unknown field', () => {
    const p = problems({ ...base, fields: [{ name: 'a', type: 'string' }], primaryKey: ['a', 'b'] });
    expect(p).toEqual([{ path: 'primaryKey.1', message: "le champ « b » n’existe pas dans le schéma" }]);
  });

  it('rejects unknown custom checks, bad params and unknown columns', () => {
    const p = problems({
      ...base,
      fields: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }],
      custom_checks: [
        { name: 'magic-check', params: {} },
        { name: 'compare-columns-value', params: { column: 'a', column2: 'b', op: '~' } },
        { name: 'sum-columns-value', params: { column: 'a' } },
        { name: 'french-siret-value', params: { column: 'zz' } },
      ],
    });
    expect(p.map((x) => x.path)).toEqual([
      'custom_checks.0.name',
      'custom_checks.1.params.op',
      'custom_checks.2.params.columns',
      'custom_checks.3.params',
    ]);
    expect(p[0].message).toContain('contrôle « magic-check » inconnu');
    expect(p[1].message).toContain('valeur non autorisée');
    expect(p[2].message).toBe('valeur requise');
    expect(p[3].message).toContain('« zz »');
  });

  it('rejects unknown keys (typos) and unsupported formats, in French', () => {
    const p = problems({ ...base, fields: [{ name: 'a', type: 'string', constrains: {} }] });
    expect(p).toEqual([{ path: 'fields.0', message: 'clé(s) inconnue(s) : constrains' }]);
    const q = problems({ ...base, fields: [{ name: 'a', type: 'string', format: 'phone' }] });
    expect(q[0]).toEqual({ path: 'fields.0.format', message: expect.stringContaining('« phone » non pris en charge') });
  });

  it('rejects a minimum of the wrong kind and minLength > maxLength', () => {
    const p = problems({
      ...base,
      fields: [
        { name: 'n', type: 'number', constraints: { minimum: 'zéro' } },
        { name: 's', type: 'string', constraints: { minLength: 5, maxLength: 2 } },
        { name: 'd', type: 'date', constraints: { maximum: '31/12/2024' } },
      ],
    });
    expect(p.map((x) => x.path)).toEqual(['fields.0.constraints.minimum', 'fields.1.constraints.minLength', 'fields.2.constraints.maximum']);
  });

  it('rejects a minimum over the maximum, a decimal or group mark of more than one character, or both the same', () => {
    const p = problems({
      ...base,
      fields: [
        { name: 'n', type: 'number', constraints: { minimum: 10, maximum: 1 } },
        { name: 'd', type: 'date', constraints: { minimum: '2025-01-01', maximum: '2024-12-31' } },
        { name: 'm', type: 'number', decimalChar: ',,' },
        { name: 'g', type: 'number', decimalChar: ',', groupChar: ',' },
      ],
    });
    expect(p.map((x) => x.path)).toEqual(['fields.2.decimalChar']);
    const q = problems({
      ...base,
      fields: [
        { name: 'n', type: 'number', constraints: { minimum: 10, maximum: 1 } },
        { name: 'd', type: 'date', constraints: { minimum: '2025-01-01', maximum: '2024-12-31' } },
        { name: 'g', type: 'number', decimalChar: ',', groupChar: ',' },
      ],
    });
    expect(q.map((x) => x.path)).toEqual(['fields.0.constraints.minimum', 'fields.1.constraints.minimum', 'fields.2.groupChar']);
  });

  it('rejects an id that routes could not name', () => {
    for (const id of ['Bad Id!', 'scdl//x', '-x', 'Commune/bornes', 'é']) expect(problems({ ...base, id, fields: [{ name: 'a', type: 'string' }] })[0].path).toBe('id');
  });

  it('rejects a missing fields list', () => {
    const p = problems({ ...base });
    expect(p[0].path).toBe('fields');
  });
});

describe('patterns of a custom schema (run on every cell of every upload)', () => {
  const withPattern = (pattern: string) => ({ ...base, fields: [{ name: 'code', type: 'string', constraints: { pattern } }] });

  it('are refused, in French and naming the pattern, when they do not compile', () => {
    const [p] = problems(withPattern('[a-'));
    expect(p.path).toBe('fields.0.constraints.pattern');
    expect(p.message).toContain('expression régulière invalide « [a- »');
    expect(p.message).not.toMatch(/Invalid regular expression|\^\(\?:/);
  });

  it('are refused when V8 could only backtrack through them (back-reference, look-around): no time bound on a cell', () => {
    for (const pattern of ['([a-z]+)\\1', '(?=a)a+', '(?<!x)y', '[A-Z]{2}(?:\\d{3}){1,1000}']) {
      expect(problems(withPattern(pattern))[0].message).toContain('temps borné');
    }
  });

  it('a counted repetition the linear-time engine cannot run is accepted when not nested in another (no explosion to fear)', () => {
    for (const pattern of ['[A-Z0-9]{9,18}', '[A-Za-z ]{1,50}', 'FR[A-Z0-9]{2}[0-9]{9}', '.{0,2000}']) {
      expect(() => parseSchemaDescriptor(withPattern(pattern))).not.toThrow();
    }
    expect(problems(withPattern('(?:a{1,30}){1,30}'))[0].message).toContain('une répétition dans une autre');
  });

  it('are refused with a Unicode class (\\p{Lu} would match the letters « p{Lu} »)', () => {
    expect(problems(withPattern('\\p{Lu}\\p{Ll}+'))[0].message).toContain('classes Unicode');
    // An escaped backslash before p is no class.
    expect(() => parseSchemaDescriptor(withPattern('a\\\\p{2}'))).not.toThrow();
  });

  it('nested repetitions are accepted, and a cell that would take hours to backtrack is judged at once (linear-time fallback)', () => {
    // In a child process, bounded by a timeout: a regression would hang rather than fail.
    const script = `
      const { compileSchema } = require('./functions/domain/schema/compile');
      const schema = { id: 'x/y', version: '1', title: 'x', fields: [{ name: 'code', type: 'string', constraints: { pattern: '(a+)+b' } }] };
      const v = compileSchema(schema).bind(['code']).validator;
      const r = v.validate(['a'.repeat(40) + '!'], 2);
      process.stdout.write(r.issues.map((i) => i.code).join(','));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.resolve(__dirname, '../../..'), timeout: 120_000, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.stdout).toBe('pattern');
    expect(() => parseSchemaDescriptor(withPattern('(a+)+b'))).not.toThrow();
  });
});

describeWithReference('parseRegisteredSchema: official schemas', () => {
  const official = readdirSync(referencePath()).filter((d) => existsSync(referencePath(d, 'schema.json')));
  it.each(official)('registers the official %s schema.json as published, with an id added', (name) => {
    const json = readReferenceJson<{ fields: unknown[]; title: string }>(name, 'schema.json');
    const d = parseRegisteredSchema({ ...json, id: `scdl-copie/${name}` });
    expect(d.fields).toHaveLength(json.fields.length);
    expect(d.title).toBe(json.title);
  });
});

describe('parseRegisteredSchema', () => {
  it('still refuses a key that is no Frictionless metadata (a typo)', () => {
    expect(() => parseRegisteredSchema({ ...base, lastModifed: '2024-01-01', fields: [{ name: 'a', type: 'string' }] })).toThrow(/clé\(s\) inconnue\(s\) : lastModifed/);
  });
});

describe('limits of a registered schema', () => {
  it('refuses blank or control-character names, titles and versions, and the id « none »', () => {
    expect(problems({ id: 'none', version: '1', title: 'T', fields: [{ name: 'a', type: 'string' }] }).map((p) => p.path)).toEqual(['id']);
    expect(problems({ ...base, version: '  ', title: ' ', fields: [{ name: ' ', type: 'string' }] }).map((p) => p.path)).toEqual(['version', 'title', 'fields.0.name']);
    expect(problems({ ...base, title: 'Bornes\u0000\u001b[31m', fields: [{ name: 'a\nb', type: 'string' }] }).map((p) => p.path)).toEqual(['title', 'fields.0.name']);
    expect(problems({ ...base, fields: [{ name: ' montant', type: 'number' }] })[0]).toMatchObject({ path: 'fields.0.name', message: expect.stringContaining('espaces au début ou à la fin') });
  });

  it('refuses a schema too large for the registry (fields, bytes), in French', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, type: 'string' }));
    expect(problems({ ...base, fields: many })[0].message).toContain('trop de champs');
    const wordy = Array.from({ length: 200 }, (_, i) => ({ name: `f${i}`, type: 'string', description: 'x'.repeat(2000) }));
    expect(problems({ ...base, fields: wordy })[0].message).toContain('schéma trop volumineux');
  });

  it('names JSON types in French', () => {
    expect(problems([])[0].message).toBe('type attendu : objet JSON { … }');
    expect(problems({ ...base, fields: 'a,b' })[0].message).toBe('type attendu : liste JSON [ … ]');
  });
});
