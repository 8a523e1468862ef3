/**
 * Files saved by LibreOffice Calc itself (test/fixtures/office/README.md): what a commune's
 * office software really writes. The same sheet laid out as employees do (merged cells, a
 * note beside the table, a title block, the fields' titles typed with ’) gives the same
 * data.csv, byte for byte; each layout says what it did in a warning.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { deliberations } from '../../../functions/domain/schemas/builtin/deliberations';
import { equipements } from '../../../functions/domain/schemas/builtin/equipements';
import { prenoms } from '../../../functions/domain/schemas/builtin/prenoms';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { compoundFile } from '../../fixtures/cfb-builder';
import { CompoundFile } from '../../../functions/domain/standardize/read/cfb';
import { sniffFormat } from '../../../functions/domain/standardize/read/sniff';
import { chunked, readAll } from './helpers';

const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, '../../fixtures/office', name));

async function standardize(name: string, schema: TableSchemaDescriptor): Promise<{ report: Report; csv: string }> {
  const out: Buffer[] = [];
  const { report } = await standardizeTable(chunked(fixture(name)), {
    schema,
    sinks: (output) => ({ write: (c) => void (output === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
  });
  return { report, csv: Buffer.concat(out).toString('utf8') };
}

const codes = (report: Report) => report.issues.map((i) => `${i.severity === 'error' ? 'e' : 'w'}:${i.code}@${i.row ?? ''}`);

describe('a subventions sheet laid out as employees do, saved by LibreOffice', () => {
  const expected = fixture('subventions.expected.csv').toString('utf8');
  it.each([
    // Row 3's SIRET was typed into a number cell: its 0 is put back, and said (zero-restored).
    ['sub-merged.xlsx', ['w:merged-cells@2', 'w:zero-restored@3']],
    ['sub-merged.ods', ['w:merged-cells@2', 'w:zero-restored@3']],
    ['sub-sidenote.ods', ['w:zero-restored@3', 'w:extra-column@3']],
    ['sub-title4.xlsx', ['w:title-rows@1', 'w:zero-restored@5']],
    ['sub-titles.xlsx', ['w:header-renamed@1', 'w:zero-restored@3']],
  ])('%s gives the same data.csv, and says what it did', async (name, warnings) => {
    const { report, csv } = await standardize(name, subventions);
    expect(codes(report)).toEqual(warnings);
    expect(csv).toBe(expected);
  });

  it('reads the sheet saved as « Texte Unicode » (UTF-16, tabs), as a text export: cells as they are shown', async () => {
    const { report, csv } = await standardize('sub-plain.unicode.txt', subventions);
    expect(report).toMatchObject({ valid: true, file: { format: 'csv', encoding: 'utf-16le', delimiter: '\t' } });
    expect(codes(report)).toEqual(['w:zero-restored@3']);
    // =1/3 shown as « 33 % »: what a CSV export of the sheet publishes too.
    expect(csv).toBe(expected.replace(',0.333333333333333,', ',0.33,'));
  });

  it('does not quote a note beside the table in the report: it is not published, and a published version’s report is', async () => {
    const { report } = await standardize('sub-sidenote.ods', subventions);
    expect(report.issues.find((i) => i.code === 'extra-column')?.message).toBe('La colonne R n’a pas de nom : elle sera ignorée, avec sa valeur en ligne 3, qui ne sera pas publiée.');
    expect(JSON.stringify(report)).not.toContain('trésorerie');
  });

  it('keeps an empty line between two paragraphs of an .ods cell as one empty line', async () => {
    const { report, csv } = await standardize('sub-blankline.ods', subventions);
    expect(report.valid).toBe(true);
    expect(csv).toContain('"Festival d’été 2024\n\nVolet 1 : concerts\nVolet 2 : ateliers"');
  });

  it('numbers a CSV export’s rows as the sheet does, a line break inside a cell included', async () => {
    const { report } = await standardize('rownum-sub-plain.win1252.csv', subventions);
    expect(codes(report)).toEqual(['w:zero-restored@3', 'e:siret@6']);
  });

  it('reads the dates of a CSV export in every format Calc displays them, in date and period columns', async () => {
    const { report, csv } = await standardize('sub-formats.win1252.csv', subventions);
    expect(report).toMatchObject({ valid: true, rowCount: 11, issues: [] });
    expect(csv).not.toMatch(/\d{2}\/\d{2}|mars|dimanche/);
  });
});

describe('other schemas, saved by LibreOffice', () => {
  it('équipements: either apostrophe, a postal code and a phone number typed into number cells', async () => {
    const expected = fixture('equipements.expected.csv').toString('utf8');
    for (const name of ['equip-plain.xlsx', 'equip-apostrophe.ods']) {
      const { report, csv } = await standardize(name, equipements);
      // The phone number typed 0474453000 and the postal codes typed 01000 into number cells: their 0 is put back, and said.
      expect(codes(report)).toEqual(['w:zero-restored@2', 'w:phone-zero-restored@2', 'w:zero-restored@4', 'w:scheme-added@4', 'w:zero-restored@5']);
      expect(csv).toBe(expected);
    }
    expect(expected).toContain(",Equipement d'enseignement,");
    expect(expected).toContain(",Place de l'Hôtel de Ville,01000,");
    expect(expected).toContain(',+33 474453000,');
  });

  it('prénoms: names typed with ’ where the pattern wants \'', async () => {
    const { report, csv } = await standardize('prenoms-apos.ods', prenoms);
    expect(report.issues).toEqual([]);
    expect(csv.split(/\r?\n/)[1]).toBe("L'Isle-d'Abeau,38193,M,N'Golo,1,2024");
  });

  it('délibérations: a date cell with a time publishes its day, with a warning', async () => {
    const { report, csv } = await standardize('delib-plain.xlsx', deliberations);
    expect(codes(report)).toEqual(['w:time-dropped@3', 'w:scheme-added@3']);
    // Row 3 of the sheet: its objet holds a line break, then PREF_DATE typed 29/01/2024 14:32.
    expect(csv).toContain('Montant de la cotisation : 350 €",,,PREF026,2024-01-29,');
  });

  it('délibérations in .ods: empty formula results filled down to row 200 are blank rows, not 196 rows of empty cells', async () => {
    const { report, csv } = await standardize('delib-formulatail.ods', deliberations);
    expect(report.rowCount).toBe(4);
    // Row 4's DELIB_URL is a link labelled « Délibération 2024-003 (PDF) »: its address is published.
    expect(codes(report)).toEqual(['w:extra-column@1', 'w:scheme-added@3', 'w:hyperlink-target@4']);
    expect(csv).toContain(',https://www.bourg-les-valence.fr/deliberations/2024-003.pdf\r\n');
  });

  it('délibérations: DELIB_URL typed as links (a label, the address itself, a HYPERLINK formula) publishes the addresses, from .xlsx and .ods alike', async () => {
    const expected = fixture('delib-links.expected.csv').toString('utf8');
    for (const name of ['delib-links.xlsx', 'delib-links.ods']) {
      const { report, csv } = await standardize(name, deliberations);
      expect(codes(report)).toEqual(['w:hyperlink-target@2']);
      expect(report.issues[0].message).toContain('3 cellules de la colonne « DELIB_URL » (lignes 2, 4 et 7) sont des liens');
      expect(csv).toBe(expected);
    }
    // DELIB_OBJET keeps the text shown around its link; the address Calc kept with an accent is percent-encoded.
    expect(expected).toContain(',Budget primitif 2024 – budget principal (Voir le rapport) adopté,');
    expect(expected).toContain(',https://www.bourg-les-valence.fr/actes?id=2024-006&type=d%C3%A9lib\r\n');
    expect(expected).toContain(',2024-004,2024-03-14,');
  });

  it('délibérations: the CSV export of the same sheet has lost the addresses, and says that a workbook keeps them', async () => {
    const { report } = await standardize('delib-links.win1252.csv', deliberations);
    expect(codes(report)).toEqual(['e:type-error@2', 'e:type-error@4', 'e:type-error@7']);
    expect(report.issues[2].message).toBe(
      'La valeur « Voir » n’est pas une URL (avec https://) : si la cellule est un lien, écrivez l’adresse elle-même (https://…) et non le texte affiché (un classeur .xlsx ou .ods garde l’adresse de ses liens, mais un export CSV la perd).',
    );
  });
});

describe('a schema column hidden in the workbook', () => {
  it('is published as a CSV export writes it, with a warning naming it (Calc’s Masquer, .xlsx and .ods)', async () => {
    const expected = fixture('subventions.expected.csv').toString('utf8');
    for (const name of ['sub-hiddencol.xlsx', 'sub-hiddencol.ods']) {
      const { report, csv } = await standardize(name, subventions);
      expect(codes(report)).toEqual(['w:zero-restored@3', 'w:hidden-columns@']);
      expect(report.issues.find((i) => i.code === 'hidden-columns')!.message).toBe(
        'La colonne « rnaBeneficiaire » (colonne G) est masquée dans le classeur, mais elle fait partie du schéma : ses valeurs sont lues et publiées comme les autres. Masquer une colonne ne la retire pas du fichier : vérifiez que ses valeurs peuvent être publiées.',
      );
      expect(csv).toBe(expected);
    }
  });
});

describe('rows hidden in the workbook', () => {
  it('are published as a CSV export writes them, with a warning naming them (Calc’s Masquer, .xlsx and .ods)', async () => {
    const expected = fixture('subventions.expected.csv').toString('utf8');
    for (const name of ['sub-hidden.xlsx', 'sub-hidden.ods']) {
      const { report, csv } = await standardize(name, subventions);
      expect(codes(report)).toEqual(['w:zero-restored@3', 'w:hidden-rows@3']);
      expect(report.issues.find((i) => i.code === 'hidden-rows')!.message).toBe(
        'Les lignes 3 et 5 sont masquées dans le classeur (ou cachées par un filtre) : elles sont lues comme les autres, et publiées avec elles. Masquer une ligne ne la retire pas du fichier : si elles ne doivent pas être publiées, supprimez-les avant de déposer le fichier.',
      );
      expect(csv).toBe(expected);
    }
  });
});

describe('a workbook saved with a password', () => {
  it('.ods (Calc’s « Enregistrer avec mot de passe »): refused as protected, not as empty', async () => {
    const { report } = await standardize('sub-password.ods', subventions);
    expect(report.issues.map((i) => i.code)).toEqual(['encrypted-file']);
    expect(report.issues[0].message).toContain('protégé par un mot de passe');
  });

  it('.xlsx (an OLE container holding EncryptionInfo and EncryptedPackage, as Excel writes it): refused as protected; a Word document as no workbook', async () => {
    const none = { sinks: () => ({ write: async () => undefined, end: async () => undefined, abort: async () => undefined }) };
    const stream = (name: string) => ({ name, data: Buffer.alloc(4096, 1) });
    const encrypted = await standardizeTable(chunked(compoundFile([stream('EncryptionInfo'), stream('EncryptedPackage')])), { schema: subventions, ...none });
    expect(encrypted.report.issues.map((i) => i.code)).toEqual(['encrypted-file']);
    const word = await standardizeTable(chunked(compoundFile([stream('WordDocument'), stream('1Table')])), { schema: subventions, ...none });
    expect(word.report.issues.map((i) => `${i.code}: ${i.message}`)).toEqual([
      'unknown-format: Le fichier est un document Office qui n’est pas un classeur (Word, Outlook…) : déposez le tableau au format CSV, Excel (.xlsx, .xls) ou OpenDocument (.ods).',
    ]);
  });
});

describe('an Excel 97-2003 workbook (.xls)', () => {
  const xlsFixture = (name: string): Buffer => readFileSync(path.join(__dirname, '../../fixtures/xls', name));
  it('is known by its stream whatever the case of its name (WORKBOOK), as the container compares names', async () => {
    const stream = new CompoundFile(xlsFixture('sub-plain.xls')).stream('Workbook')!;
    const rows = async (bytes: Buffer) => (await readAll(bytes)).rows.map((r) => r.cells);
    expect(sniffFormat(compoundFile([{ name: 'WORKBOOK', data: stream }])).format).toBe('xls');
    expect(await rows(compoundFile([{ name: 'WORKBOOK', data: stream }]))).toEqual(await rows(xlsFixture('sub-plain.xls')));
  });

  it('publishes the data.csv its .xlsx twin publishes, saved by LibreOffice from the same sheet', async () => {
    for (const name of ['sub-plain', 'sub-merged', 'sub-notes', 'sub-hidden']) {
      const results = [];
      for (const ext of ['xls', 'xlsx']) {
        const out: Buffer[] = [];
        const { report } = await standardizeTable(chunked(xlsFixture(`${name}.${ext}`)), {
          schema: subventions,
          sinks: (output) => ({ write: async (c) => void (output === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
        });
        results.push({ format: report.file.format, valid: report.valid, codes: codes(report), csv: Buffer.concat(out).toString('utf8') });
      }
      expect(results[0].format).toBe('xls');
      expect({ ...results[0], format: 'xlsx' }).toEqual(results[1]);
      expect(results[0].csv.length).toBeGreaterThan(100);
    }
  });
});
