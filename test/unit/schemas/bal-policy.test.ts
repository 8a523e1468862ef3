import { balExport } from '../../../bench/generate';
import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { bal14 } from '../../../functions/domain/schemas/builtin/bal';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { chunked } from '../standardize/helpers';
import { createBalRowsCheck } from '../../../functions/domain/schemas/bal/checks';
import {
  BAL_RULE_LEVELS,
  balCellRules,
  balHeaderIndex,
  balProfileFor,
  balRuleLevel,
  checkBalFile,
  checkBalHeader,
  checkBalRow,
  gradeBalIssues,
  type BalProfile,
} from '../../../functions/domain/schemas/bal/policy';

// The reference validator, used here as an oracle for our own rules and levels.
/* eslint-disable @typescript-eslint/no-require-imports */
const { getErrorLevel } = require('@ban-team/validateur-bal/dist/utils/helpers') as { getErrorLevel(profile: string, code: string): string };
const { readValue } = require('@ban-team/validateur-bal/dist/validate/rows') as {
  readValue(field: string, raw: string, isLocalized?: boolean): { errors: string[] };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const PROFILES: BalProfile[] = ['1.3', '1.4', '1.5'];
const codes = (issues: ValidationIssue[]) => issues.map((i) => `${i.severity[0]}:${i.code}@${i.row ?? '-'}${i.column ? `:${i.column}` : ''}`);

describe('BAL rule levels', () => {
  it('equal validateur-bal’s for every rule we grade, in every profile', () => {
    const rules = [...Object.keys(BAL_RULE_LEVELS), 'commune_nom.valeur_manquante', 'cle_interop.voie_non_renseignee', 'field.commune_nom.missing'];
    for (const rule of rules) {
      const reference = rule.replace('_@@.', '_bre.');
      for (const profile of PROFILES) expect(`${rule} ${profile} ${balRuleLevel(rule, profile)}`).toBe(`${rule} ${profile} ${getErrorLevel(profile, reference)}`);
    }
  });
});

describe('BAL cell rules', () => {
  const SAMPLES: Record<string, string[]> = {
    cle_interop: ['31591_0010_00009', '31591_xxxx_00009', '31591_A010_00009_bis', '31591_0010_9', '31591_010_00009', '31591__00009', '31591_0010', '31591_0010_9a', ' 31591_0010_00009'],
    uid_adresse: ['@c:0246e48c-f33d-433a-8984-034219be842e @v:8a3bab10-f329-4ce3-9c7d-280d91a8053a', '@c:not-a-uuid', 'anything'],
    id_ban_adresse: ['3c87abe4-887b-46ee-9192-5c1b35a06625', '3c87abe4-887b-16ee-9192-5c1b35a06625', 'x'],
    voie_nom: ['Rue de la Paix', 'RUE DE LA PAIX', 'Rue_de_la_Paix', 'Ru', 'Rue � accent', 'x'.repeat(201), '  Rue des Lilas'],
    toponyme: ['Le Bourg', 'LB'],
    numero: ['9', '09', '0', '99999', '100000', '9a', '-1', '1.5', ' 12', ''],
    suffixe: ['bis', 'b', '-a', 'abcdefghij', 'b!s', ' bis'],
    commune_insee: ['', ' 31591'],
    position: ['entrée', 'Entree', 'cage d’escalier', 'cage d escalier', 'porte', 'délivrance postale'],
    x: ['357853.00', '357853', '357853,5', '1e5', '01', '05.5', '-0.5', 'abc'],
    long: ['-1.5883112', '-1,58', '1.028392123456789', ''],
    cad_parcelles: ['350088000AB0245|350088000AB0248', '|350088000AB0245', '3500880000AB0245', '123', '||'],
    source: ['', 'Commune'],
    date_der_maj: ['2023-11-15', '2009-12-31', '2999-01-01', '2023-02-30', '45400', ''],
    certification_commune: ['1', '0', 'oui'],
  };
  it.each(Object.entries(SAMPLES))('read %s as validateur-bal does', (field, values) => {
    for (const value of values) expect([value, balCellRules(field, value)]).toEqual([value, readValue(field, value).errors]);
  });
  it('depart from validateur-bal on French dates only: Socle publishes them as ISO, so they are not errors', () => {
    expect(readValue('date_der_maj', '15/11/2023').errors).toEqual(['date_invalide']);
    expect(balCellRules('date_der_maj', '15/11/2023')).toEqual([]);
    expect(balCellRules('date_der_maj', '31/02/2023')).toEqual(['date_invalide']);
    expect(balCellRules('date_der_maj', '15/11/2009')).toEqual(readValue('date_der_maj', '2009-11-15').errors);
  });
  it('read regional variants without the required rule', () => {
    expect(balCellRules('commune_nom', '', { regional: true })).toEqual(readValue('commune_nom', '', true).errors);
    expect(balCellRules('voie_nom', 'Ru', { regional: true })).toEqual(readValue('voie_nom', 'Ru', true).errors);
  });
});

describe('BAL profile and header', () => {
  const ids = ['id_ban_commune', 'id_ban_toponyme', 'id_ban_adresse'];
  it('picks the profile as validateur-bal does: 1.5 with the three ids and toponyme, 1.4 with the ids, else 1.3', () => {
    expect(balProfileFor([...ids, 'toponyme', 'numero'])).toBe('1.5');
    expect(balProfileFor([...ids, 'voie_nom'])).toBe('1.4');
    expect(balProfileFor(['id_ban_commune', 'toponyme'])).toBe('1.3');
    expect(balProfileFor(['\uFEFFid_ban_commune', 'id_ban_toponyme', 'id_ban_adresse'])).toBe('1.4');
  });
  it('judges a file in the profile of the file published: the reference’s pick, headings in other letter case counted as renamed', () => {
    expect(balHeaderIndex(['uid_adresse', 'voie_nom', 'numero']).profile).toBe('1.3');
    expect(balHeaderIndex(['ID_BAN_COMMUNE', 'Id_Ban_Toponyme', 'id_ban_adresse', 'Voie_Nom', 'Voie_Nom_Bre']).profile).toBe('1.4');
    // The reference would pick 1.3 (it ignores ID_BAN_COMMUNE): bal-column-case refuses the file until renamed.
    const ids = balHeaderIndex(['ID_BAN_COMMUNE', 'id_ban_toponyme', 'id_ban_adresse', 'voie_nom', 'numero']);
    expect(checkBalHeader(ids).find((i) => i.code === 'bal-column-case')).toMatchObject({ severity: 'error' });
    expect(checkBalHeader(ids).find((i) => i.code === 'bal-column-case')!.message).toContain('il lirait ce fichier comme une BAL 1.3, et non 1.4 comme il est publié');
    const toponyme = balHeaderIndex(['id_ban_commune', 'id_ban_toponyme', 'id_ban_adresse', 'Toponyme', 'numero']);
    expect(toponyme.profile).toBe('1.5');
    expect(checkBalHeader(toponyme).map((i) => [i.code, i.severity])).toContainEqual(['bal-column-case', 'error']);
    expect(checkBalHeader(toponyme).map((i) => i.column)).not.toContain('voie_nom');
    const index = balHeaderIndex(['Voie_Nom', 'voie_nom_oci', 'numero', 'Voie_Nom_Bre', 'commune_nom_xyz']);
    expect([...index.columns]).toEqual([['numero', 2], ['voie_nom', 0]]);
    expect(index.regional).toEqual([{ name: 'voie_nom_oci', field: 'voie_nom', at: 1 }, { name: 'voie_nom_bre', field: 'voie_nom', at: 3 }]);
    expect(index.miscased.map((m) => `${m.heading}>${m.name}`)).toEqual(['Voie_Nom>voie_nom', 'Voie_Nom_Bre>voie_nom_bre']);
  });
  it('reports columns missing under their exact name, at the profile’s level, once', () => {
    const index = balHeaderIndex(['cle_interop', 'commune_in', 'voie_nom', 'numero', 'long', 'lat', 'x', 'y', 'position', 'suffixe', 'source', 'date_der_maj', 'certification_commune']);
    expect(index.profile).toBe('1.3');
    expect(codes(checkBalHeader(index))).toEqual(['e:bal-column-missing@1:commune_insee']);
    const engine: ValidationIssue[] = [{ code: 'missing-column', severity: 'error', row: 1, column: 'commune_insee', message: '' }];
    expect(checkBalHeader(index, engine)).toEqual([]);
    expect(codes(gradeBalIssues(engine, index))).toEqual(['e:missing-column@1:commune_insee']);
  });
  it('wants `;`, UTF-8 and LF or CRLF', () => {
    expect(checkBalFile({ delimiter: ';', encoding: 'utf-8', linebreak: '\r\n' }, '1.4')).toEqual([]);
    expect(codes(checkBalFile({ delimiter: ',', encoding: 'windows-1252', linebreak: '\r' }, '1.4'))).toEqual(['e:bal-encoding@-', 'e:bal-delimiter@-', 'e:bal-linebreak@-']);
  });
});

describe('gradeBalIssues', () => {
  const index = balHeaderIndex(['cle_interop', 'commune_insee', 'voie_nom', 'numero', 'long', 'lat', 'source', 'date_der_maj', 'cle_intero']);
  const at = (code: string, column: string, value?: string): ValidationIssue => ({ code, severity: 'error', row: 2, column, message: 'm', ...(value ? { value } : {}) });
  it('keeps an error only where validateur-bal finds one in the same cell', () => {
    const graded = gradeBalIssues(
      [
        at('required', 'source'),
        at('required', 'numero'),
        at('type-error', 'numero', 'abc'),
        at('pattern', 'cle_interop', '31591_xxxx_00009'),
        at('pattern', 'cle_interop', '31591_0010_9'),
        at('pattern', 'long', '-1.588311212345'),
        at('pattern', 'long', '-1,58'),
        at('type-error', 'date_der_maj', '45400'),
        at('required', 'voie_nom'),
      ],
      index,
    );
    expect(graded.map((i) => `${i.severity}:${i.column}:${i.value ?? ''}`)).toEqual([
      'warning:source:',
      'error:numero:',
      'error:numero:abc',
      'warning:cle_interop:31591_xxxx_00009',
      'error:cle_interop:31591_0010_9',
      'warning:long:-1.588311212345',
      'error:long:-1,58',
      'error:date_der_maj:45400',
      'warning:voie_nom:',
    ]);
    // A warning does not say « obligatoire »: the file is accepted without the value.
    expect(graded[0]).toEqual({ ...at('required', 'source'), severity: 'warning', message: expect.stringContaining('est recommandée dans une BAL') });
    expect(graded[0].message).not.toContain('obligatoire');
  });
  it('leaves the reader’s issues alone', () => {
    const reader: ValidationIssue = { code: 'ragged-row', severity: 'error', row: 3, message: 'm' };
    expect(gradeBalIssues([reader], index)[0]).toBe(reader);
  });
});

describe('checkBalRow', () => {
  const header = ['cle_interop', 'commune_insee', 'voie_nom', 'voie_nom_bre', 'numero', 'suffixe', 'position', 'x', 'y', 'long', 'lat', 'source', 'date_der_maj'];
  const index = balHeaderIndex(header, { now: new Date('2024-06-01T12:00:00Z') });
  const good = {
    cle_interop: '31591_0010_00009',
    commune_insee: '31591',
    voie_nom: 'Rue des 3 Places',
    voie_nom_bre: 'Straed',
    numero: '9',
    suffixe: '',
    position: 'entrée',
    x: '539416.13',
    y: '6225601.11',
    long: '1.028392',
    lat: '43.111637',
    source: 'Commune',
    date_der_maj: '2020-11-09',
  };
  const run = (change: Partial<typeof good>, engine: ValidationIssue[] = []) =>
    codes(checkBalRow(header.map((h) => ({ ...good, ...change })[h as keyof typeof good] || null), index, 5, engine));

  it('accepts a well-formed address', () => {
    expect(run({})).toEqual([]);
  });
  it('checks cle_interop against numero, and what needs a whole row', () => {
    expect(run({ numero: '10' })).toEqual(['e:bal-cle-interop-numero-mismatch@5:cle_interop']);
    expect(run({ cle_interop: '', commune_insee: '' })).toEqual(['e:bal-missing-value@5:cle_interop', 'e:bal-missing-value@5:commune_insee', 'e:bal-commune-missing@5:commune_insee']);
    expect(run({ voie_nom: 'Ru' })).toEqual(['e:bal-name-too-short@5:voie_nom', 'e:bal-address-incomplete@5:voie_nom']);
    expect(run({ position: '' })).toEqual(['w:bal-position-missing@5:position']);
  });
  it('checks coordinates: present for an address, in France, x/y within 10 m of long/lat', () => {
    expect(run({ long: '' })).toEqual(['e:bal-longlat-missing@5:long']);
    expect(run({ numero: '99999', cle_interop: '31591_0010_99999', long: '', lat: '', position: '' })).toEqual([]);
    expect(run({ long: '-40.0' })).toEqual(['e:bal-longlat-outside-france@5:long']);
    expect(run({ x: '539516.13' })).toEqual(['w:bal-longlat-xy-mismatch@5:x']);
  });
  it('reports what the engine cannot see: leading zeros, spaces it trims, language variants, dates ahead', () => {
    expect(run({ numero: '09' })).toEqual(['e:bal-numero-leading-zero@5:numero']);
    expect(run({ suffixe: ' bis ', cle_interop: '31591_0010_00009_bis' })).toEqual(['e:bal-surrounding-spaces@5:suffixe']);
    expect(run({ voie_nom_bre: 'ST' })).toEqual(['w:bal-name-too-short@5:voie_nom_bre']);
    expect(run({ date_der_maj: '2024-06-02' })).toEqual(['w:bal-date-future@5:date_der_maj']);
  });
  it('says how to get coordinates with a point out of a spreadsheet set to French', () => {
    const issues = checkBalRow(header.map((h) => ({ ...good, x: '539416,13' })[h as keyof typeof good] || null), index, 5);
    expect(issues.map((i) => i.code)).toEqual(['bal-decimal-comma']);
    expect(issues[0].message).toContain('(539416.13)');
    expect(issues[0].message).toContain('déposez plutôt le classeur lui-même (.xlsx ou .ods), les coordonnées saisies comme des nombres');
    expect(issues[0].message).toContain('ou remplacez les virgules par des points');
  });
  it('says what to write in certification_commune, and what a spreadsheet’s VRAI became', () => {
    const header14 = [...header, 'certification_commune'];
    const index14 = balHeaderIndex(header14, { now: new Date('2024-06-01T12:00:00Z') });
    const message = (v: string) => checkBalRow(header14.map((h) => ({ ...good, certification_commune: v })[h as keyof typeof good] || null), index14, 5)[0]?.message;
    expect(message('true')).toBe('La valeur « true » de « certification_commune » n’est pas valide : écrivez 1 si la commune certifie l’adresse, 0 sinon ; « true » (VRAI ou FAUX dans un tableur) est publié comme 1.');
    expect(message('FALSE')).toContain('est publié comme 0');
    expect(message('VRAI')).toContain('« VRAI » (VRAI ou FAUX dans un tableur) est publié comme 1');
    expect(message('non')).toContain('est publié comme 0');
    expect(message('peut-être')).toBe('La valeur « peut-être » de « certification_commune » n’est pas valide : écrivez 1 si la commune certifie l’adresse, 0 sinon.');
    expect(message('1')).toBeUndefined();
  });
  it('says which position a misspelt one is published as', () => {
    const issues = checkBalRow(header.map((h) => ({ ...good, position: "cage d'escalier" })[h as keyof typeof good] || null), index, 5);
    expect(issues.map((i) => i.message)).toEqual(['Le type de position « cage d\'escalier » est mal orthographié : il est publié comme « cage d’escalier ».']);
  });
  it('does not report a cell twice when the engine already has', () => {
    const engine: ValidationIssue[] = [{ code: 'type-error', severity: 'error', row: 5, column: 'numero', value: 'abc', message: 'm' }];
    expect(run({ numero: 'abc' }, engine)).toEqual(['e:bal-address-incomplete@5:voie_nom']);
    expect(run({ numero: 'abc' })[0]).toBe('e:bal-numero-not-integer@5:numero');
  });
  it('wants every BAN id once one is given (1.4 and 1.5; an info in 1.3)', () => {
    const ids = ['id_ban_commune', 'id_ban_toponyme', 'id_ban_adresse', 'numero', 'voie_nom'];
    const row = ['0246e48c-f33d-433a-8984-034219be842e', '', '', '1', 'Rue Haute'];
    expect(codes(checkBalRow(row, balHeaderIndex(ids), 2)).filter((c) => c.includes('ban'))).toEqual(['e:bal-ban-ids-incomplete@2:id_ban_toponyme']);
    expect(codes(checkBalRow(row, balHeaderIndex(ids, { profile: '1.3' }), 2)).filter((c) => c.includes('ban'))).toEqual([]);
    const rows = createBalRowsCheck(balHeaderIndex(ids));
    rows.add(row);
    rows.add(['0246e48c-f33d-433a-8984-034219be842e', '8a3bab10-f329-4ce3-9c7d-280d91a8053a', '3c87abe4-887b-46ee-9192-5c1b35a06625', '2', 'Rue Haute']);
    expect(codes(rows.finish())).toEqual(['e:bal-ban-ids-partial@-']);
  });
  it('gives through createBalRowsCheck’s check() what checkBalRow then add() give', () => {
    const header = ['id_ban_commune', 'id_ban_toponyme', 'id_ban_adresse', 'cle_interop', 'numero', 'voie_nom', 'long', 'lat', 'uid_adresse'];
    const index = balHeaderIndex(header);
    const C = '0246e48c-f33d-433a-8984-034219be842e';
    const T = '8a3bab10-f329-4ce3-9c7d-280d91a8053a';
    const A = '3c87abe4-887b-46ee-9192-5c1b35a06625';
    const records: (string | null)[][] = [
      [C, T, A, '31591_0010_00001', '1', 'Rue Haute', '1.02', '43.11', null],
      [C, '', '', '31591_0010_00002', '3', 'RUE', '', '43.11', null],
      ['', '', '', '31591_0010_99999', '99999', 'Le Bourg', '', '', `@c:${C} @v:${T}`],
      ['bad', T, A, 'X_0010_00004', ' 4', 'Ru', '-40', '10', null],
    ];
    const engine: ValidationIssue[] = [{ code: 'pattern', severity: 'error', row: 5, column: 'cle_interop', value: 'X_0010_00004', message: 'm' }];
    const apart = createBalRowsCheck(index);
    const together = createBalRowsCheck(index);
    records.forEach((cells, i) => {
      const found = i === 3 ? engine : [];
      const expected = checkBalRow(cells, index, i + 2, found);
      apart.add(cells);
      expect(together.check(cells, i + 2, found)).toEqual(expected);
    });
    expect(together.finish()).toEqual(apart.finish());
  });
});

describe('balHeaderIndex', () => {
  it('takes only the reference columns, not names inherited by every object', () => {
    const index = balHeaderIndex(['cle_interop', 'constructor', 'toString', '__proto__', 'numero']);
    expect([...index.columns.keys()].sort()).toEqual(['cle_interop', 'numero']);
  });
});

describe('a BAL cell the reference refuses', () => {
  it('gets no warning saying how it is published: a date with a time is bal-date-invalid, not also time-dropped', async () => {
    const lines = balExport(3).toString('utf8').split('\n');
    const at = lines[0].split(';').indexOf('date_der_maj');
    const cells = lines[1].split(';');
    cells[at] = `${cells[at]} 14:32`;
    lines[1] = cells.join(';');
    const { report } = await standardizeTable(chunked(Buffer.from(lines.join('\n'))), {
      schema: bal14,
      sinks: () => ({ write: async () => undefined, end: async () => undefined, abort: async () => undefined }),
    });
    expect(report.issues.filter((i) => i.column === 'date_der_maj').map((i) => `${i.severity}:${i.code}@${i.row}`)).toEqual(['error:bal-date-invalid@2']);
  });
});
