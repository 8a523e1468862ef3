/**
 * A dataset without schema publishes the file's own columns: each needs a name of its own,
 * or data.json would hold one key twice and a reader keep only one of the values.
 */
import { ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { standardizeInMemory } from './helpers';

async function run(csv: string) {
  const { result, files } = await standardizeInMemory(Buffer.from(csv), { schema: null });
  return { report: result.report, fields: result.fields, files };
}

describe('columns of a table without schema', () => {
  it('a heading given again gets a number no other heading has, and a blank one a name; both said', async () => {
    const { fields, files, report } = await run('a;a_2;a;;b\r\n1;2;3;4;5\r\n');
    expect(fields).toEqual(['a', 'a_2', 'a_3', 'colonne_4', 'b']);
    expect(JSON.parse(files['data.json'])).toEqual([{ a: '1', a_2: '2', a_3: '3', colonne_4: '4', b: '5' }]);
    expect(report.issues.map((i) => i.code)).toEqual(['column-renamed']);
    expect(report.issues[0].message).toContain('colonne n° 3 « a » (nom déjà pris) publiée comme « a_3 »');
    expect(report.issues[0].message).toContain('colonne n° 4 (sans nom) publiée comme « colonne_4 »');
  });

  it('names that differ only by letter case are one name', async () => {
    const { fields } = await run('Montant;Montant;montant_2\r\n1;2;3\r\n');
    expect(fields).toEqual(['Montant', 'Montant_3', 'montant_2']);
  });

  it('nothing is said when every column has a name of its own', async () => {
    const { fields, report } = await run(' a ;b\r\n1;2\r\n');
    expect(fields).toEqual(['a', 'b']);
    expect(report.issues).toEqual([]);
  });
});

describe('accents written as a letter and its combining mark (text from a Mac)', () => {
  it('are composed in every cell of a UTF-8 CSV, and published composed: lengths and searches count them once', async () => {
    const { files } = await run('nom;objet\r\nComite\u0301 des fe\u0302tes;E\u0301te\u0301\r\nAutre;sans accent\r\n');
    expect(files['data.csv']).toBe('nom,objet\r\nComit\u00e9 des f\u00eates,\u00c9t\u00e9\r\nAutre,sans accent\r\n');
    expect(JSON.parse(files['data.json'])[0]).toEqual({ nom: 'Comit\u00e9 des f\u00eates', objet: '\u00c9t\u00e9' });
  });
});

describe('accents written as a letter and its combining mark, in other formats', () => {
  const decomposed = ['Comite\u0301 des fe\u0302tes', 'E\u0301te\u0301'];
  const composed = { 'Num\u00e9ro': 'Comit\u00e9 des f\u00eates', objet: '\u00c9t\u00e9' };

  async function published(bytes: Buffer) {
    const { result, files } = await standardizeInMemory(bytes, { schema: null });
    expect(result.report.valid).toBe(true);
    return JSON.parse(files['data.json'])[0];
  }

  it('a workbook (.xlsx): cells and headings composed', async () => {
    expect(await published(xlsxBook([{ name: 'Feuil1', rows: [['Nume\u0301ro', 'objet'], decomposed] }]))).toEqual(composed);
  });

  it('an OpenDocument sheet (.ods)', async () => {
    const rows = ods.row(ods.text('Nume\u0301ro') + ods.text('objet')) + ods.row(decomposed.map((t) => ods.text(t)).join(''));
    expect(await published(odsBook([{ name: 'Feuille1', rows }]))).toEqual(composed);
  });

  it('a JSON array', async () => {
    expect(await published(Buffer.from(JSON.stringify([{ 'Nume\u0301ro': decomposed[0], objet: decomposed[1] }])))).toEqual(composed);
  });
});
