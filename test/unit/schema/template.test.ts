/**
 * The blank files a commune downloads to fill in (domain/schema/template.ts): a workbook that
 * office software opens (CRCs right), whose columns are formatted and listed, and which,
 * filled in, publishes the same data.csv as the CSV of the same rows, with no warning.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { templateCsv, templateFileName, templateXlsx } from '../../../functions/domain/schema/template';
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { bal15 } from '../../../functions/domain/schemas/builtin/bal';
import { deliberations } from '../../../functions/domain/schemas/builtin/deliberations';
import { equipements } from '../../../functions/domain/schemas/builtin/equipements';
import { prenoms } from '../../../functions/domain/schemas/builtin/prenoms';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import { builtinSchemas, getBuiltinSchema } from '../../../functions/domain/schemas/registry';
import { readEntryText, readZipDirectory } from '../../../functions/domain/standardize/read/zip';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { fillTemplate } from '../../fixtures/workbooks';
import { chunked, readAll } from '../standardize/helpers';

const fixture = (name: string): string => readFileSync(path.join(__dirname, '../../fixtures/publish', name), 'utf8');

async function standardize(bytes: Buffer, schema: TableSchemaDescriptor): Promise<{ report: Report; csv: string }> {
  const out: Buffer[] = [];
  const { report } = await standardizeTable(chunked(bytes), {
    schema,
    sinks: (output) => ({ write: (c) => void (output === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
  });
  return { report, csv: Buffer.concat(out).toString('utf8') };
}

/** The parts of a ZIP, each checked against the CRC-32 its local header declares. */
function partsChecked(zip: Buffer): Map<string, string> {
  const parts = new Map<string, string>();
  for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
    const crc = zip.readUInt32LE(at + 14);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const data = inflateRawSync(zip.subarray(at + 30 + nameLength + zip.readUInt16LE(at + 28), at + 30 + nameLength + zip.readUInt16LE(at + 28) + size));
    expect(`${name} ${crc32(data) >>> 0}`).toBe(`${name} ${crc}`);
    parts.set(name, data.toString('utf8'));
    at += 30 + nameLength + zip.readUInt16LE(at + 28) + size;
  }
  return parts;
}

/** A CSV fixture's rows, in the schema's column order (its header names them as the schema does), read by our own CSV reader. */
async function rowsOf(csv: string, schema: TableSchemaDescriptor): Promise<string[][]> {
  const { header, rows } = await readAll(Buffer.from(csv));
  const at = schema.fields.map((f) => (header ?? []).indexOf(f.name));
  return rows.map((r) => at.map((i) => (i < 0 ? '' : (r.cells[i] ?? ''))));
}

describe('templateCsv', () => {
  it('is the header line, ;-separated, with a BOM, and reads as a file with no data', async () => {
    const csv = templateCsv(subventions);
    expect(csv.toString('utf8')).toBe(`\ufeff${subventions.fields.map((f) => f.name).join(';')}\r\n`);
    const { report } = await standardize(csv, subventions);
    expect(report.issues.map((i) => i.code)).toEqual(['header-only']);
    expect(templateFileName(subventions, 'csv')).toBe('modele-scdl-subventions-2.1.1.csv');
  });
});

describe('templateXlsx', () => {
  it('is a workbook office software opens: every part’s CRC-32 right, the « Données » tab shown', () => {
    const parts = partsChecked(templateXlsx(subventions));
    expect([...parts.keys()]).toEqual(expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']));
    expect(parts.get('xl/workbook.xml')).toContain('<workbookView activeTab="0"/></bookViews><sheets><sheet name="Données" sheetId="1" r:id="rId1"/><sheet name="Aide"');
  });

  it('formats text columns as text and date columns as dates, lists values, and describes each column', () => {
    const sheet = partsChecked(templateXlsx(subventions)).get('xl/worksheets/sheet1.xml')!;
    // idAttribuant (B): text, so that a SIRET typed in is not a number; dateConvention (C): a date; montant (I): a number.
    expect(sheet).toContain('<col min="2" max="2" width="16" style="3" customWidth="1"/>');
    expect(sheet).toContain('<col min="3" max="3" width="18" style="4" customWidth="1"/>');
    expect(sheet).toMatch(/<col min="9" max="9" width="\d+" style="0"/);
    // Required columns headed in orange (style 1), the others in grey (style 2).
    expect(sheet).toContain('<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">nomAttribuant</t></is></c>');
    expect(sheet).toContain('<c r="D1" s="2" t="inlineStr">');
    expect(sheet).toContain('type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" errorStyle="warning"');
    expect(sheet).toContain('sqref="N2:N1048576"><formula1>&quot;oui,non&quot;</formula1>');
    expect(sheet).toContain('promptTitle="idAttribuant" prompt="Identification de l\'attribuant. Obligatoire. Numéro SIRET (14 chiffres)');
  });

  it('puts a list too long, or holding commas, in a hidden « Listes » tab', () => {
    const long: TableSchemaDescriptor = {
      id: 'test/listes',
      version: '1.0.0',
      title: 'Listes',
      fields: [
        { name: 'court', type: 'string', constraints: { enum: ['a', 'b'] } },
        { name: 'virgule', type: 'string', constraints: { enum: ['Nord, Est', 'Sud'] } },
        { name: 'long', type: 'string', constraints: { enum: Array.from({ length: 60 }, (_, i) => `valeur ${i}`) } },
      ],
    };
    const parts = partsChecked(templateXlsx(long));
    expect(parts.get('xl/workbook.xml')).toContain('<sheet name="Listes" sheetId="3" state="hidden" r:id="rId3"/>');
    const sheet = parts.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('sqref="A2:A1048576"><formula1>&quot;a,b&quot;</formula1>');
    expect(sheet).toContain('sqref="B2:B1048576"><formula1>Listes!$A$2:$A$3</formula1>');
    expect(sheet).toContain('sqref="C2:C1048576"><formula1>Listes!$B$2:$B$61</formula1>');
    expect(parts.get('xl/worksheets/sheet3.xml')).toContain('<t xml:space="preserve">Nord, Est</t>');
  });

  it('never lets the « Aide » tab pass for a table, even saved shown, for every built-in schema (catalogue: TITRE, DESCRIPTION)', async () => {
    for (const schema of builtinSchemas) {
      for (const activeTab of [0, 1]) {
        const { report } = await standardize(fillTemplate(templateXlsx(schema), [], { activeTab }), schema);
        expect(`${schema.id} ${activeTab} ${report.issues.map((i) => `${i.code}@${i.row}`).join(' ')}`).toBe(`${schema.id} ${activeTab} header-only@1`);
      }
    }
    const help = partsChecked(templateXlsx(getBuiltinSchema('scdl/catalogue')!)).get('xl/worksheets/sheet2.xml')!;
    expect(help).toContain('<t xml:space="preserve">Nom en clair</t>');
    expect(help).toContain('<t xml:space="preserve">Explication</t>');
  });

  it('keeps the « Aide » tab no table for a custom schema whose names are its headings, titles or examples', async () => {
    const schema: TableSchemaDescriptor = {
      id: 'test/aide',
      version: '1.0',
      title: 'Aide',
      fields: [
        { name: 'Colonne', type: 'string', title: 'Nom de colonne', constraints: { required: true } },
        { name: 'Intitulé', type: 'string', example: 'Colonne' },
        { name: 'Exemple', type: 'string', title: 'Explication' },
        { name: 'Explication', type: 'string', description: 'Intitulé' },
      ],
    };
    const rows = [
      ['a', 'b', 'c', 'd'],
      ['e', 'f', 'g', 'h'],
    ];
    for (const activeTab of [0, 1]) {
      const { report, csv } = await standardize(fillTemplate(templateXlsx(schema), rows, { activeTab }), schema);
      expect(report.issues).toEqual([]);
      expect(csv).toBe('Colonne,Intitulé,Exemple,Explication\r\na,b,c,d\r\ne,f,g,h\r\n');
    }
  });

  it('shows dates as they are typed, and makes a text column of decimal numbers a number cell (BAL coordinates: a French comma stored as a point)', async () => {
    const help = partsChecked(templateXlsx(subventions)).get('xl/worksheets/sheet2.xml')!;
    expect(help).toMatch(/dateConvention<\/t>.*une date \(JJ\/MM\/AAAA\)<\/t>.*27\/06\/2017<\/t>/);
    const parts = partsChecked(templateXlsx(bal15));
    const bal = parts.get('xl/worksheets/sheet1.xml')!;
    const x = bal15.fields.findIndex((f) => f.name === 'x') + 1;
    const long = bal15.fields.findIndex((f) => f.name === 'long') + 1;
    // A number cell showing its example's decimals: -1 typed is stored -1 and read -1.0000000, as the pattern wants (never 001).
    expect(parts.get('xl/styles.xml')).toContain('<numFmt numFmtId="165" formatCode="0.00"/><numFmt numFmtId="166" formatCode="0.0000000"/>');
    expect(parts.get('xl/styles.xml')).toContain('<cellXfs count="11">');
    expect(bal).toMatch(new RegExp(`<col min="${x}" max="${x}" width="\\d+" style="9"`));
    expect(bal).toMatch(new RegExp(`<col min="${long}" max="${long}" width="\\d+" style="10"`));
    expect(bal).toContain('prompt="Longitude (WGS 84). Obligatoire. Exemple : -1,5883112"');
    expect(parts.get('xl/worksheets/sheet2.xml')).toMatch(/>long<\/t>.*un nombre à virgule \(7 décimales\)<\/t>.*-1,5883112<\/t>/);
    // An ACTES matière code (`7.1`) stays a text cell: a number cell would turn 7.10 into 7.1.
    const delib = partsChecked(templateXlsx(deliberations)).get('xl/worksheets/sheet1.xml')!;
    const code = deliberations.fields.findIndex((f) => f.name === 'DELIB_MATIERE_CODE') + 1;
    expect(delib).toMatch(new RegExp(`<col min="${code}" max="${code}" width="\\d+" style="3"`));
  });

  it('gives every built-in schema a template, the same bytes each time', () => {
    for (const schema of builtinSchemas) {
      const bytes = templateXlsx(schema);
      expect(bytes.equals(templateXlsx(schema))).toBe(true);
      const entries = readZipDirectory(bytes);
      const header = readEntryText(bytes, entries.get('xl/worksheets/sheet1.xml')!, { remaining: 1e7, limit: 1e7 });
      for (const f of schema.fields) expect(header).toContain(`<t xml:space="preserve">${f.name}</t>`);
    }
  });
});

describe('a template filled in and uploaded', () => {
  it.each([
    ['subventions', subventions, 'subventions.csv', 'subventions.expected.csv'],
    ['équipements', equipements, 'equipements.csv', 'equipements.expected.csv'],
    // The canonical rows: the fixture's own `1053` lost its zero before any template (zero-restored).
    ['prénoms', prenoms, 'prenoms.expected.csv', 'prenoms.expected.csv'],
    ['délibérations', deliberations, 'deliberations.expected.csv', 'deliberations.expected.csv'],
    ['BAL 1.5', bal15, 'bal.csv', 'bal.expected.csv'],
  ] as const)('%s: publishes the rows of the CSV, and adds no warning of its own (the « Aide » tab is no table)', async (_, schema, source, expected) => {
    const rows = await rowsOf(fixture(source), schema);
    const { report, csv } = await standardize(fillTemplate(templateXlsx(schema), rows), schema);
    const canonical = await standardize(Buffer.from(fixture(expected)), schema);
    const said = (r: Report) => r.issues.map((i) => `${i.severity} ${i.code} ${i.row} ${i.message}`);
    expect(said(report)).toEqual(said(canonical.report));
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.rowCount).toBe(rows.length);
    expect(csv).toBe(fixture(expected));
  });
});
