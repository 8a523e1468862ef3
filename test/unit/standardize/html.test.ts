/**
 * Web pages saved under a spreadsheet's name (the « Exporter vers Excel » of web
 * applications): their data table is read as a sheet (read/html.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { subventions } from '../../../functions/domain/schemas/builtin/subventions';
import { decodeHtmlEntities, readHtml } from '../../../functions/domain/standardize/read/html';
import { sniffFormat } from '../../../functions/domain/standardize/read/sniff';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import type { ValidationIssue } from '../../../functions/domain/schema/types';
import { chunked, readAll } from './helpers';

const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, '../../fixtures/html', name));
const rowsOf = (html: string, issues: ValidationIssue[] = []) => [...readHtml(html, { issues })];

describe('an HTML table saved as .xls', () => {
  it('is sniffed as HTML from its bytes; Excel’s XML 2003 and a CSV starting with « < » are not', () => {
    expect(sniffFormat(fixture('subventions-export.win1252.xls')).format).toBe('html');
    expect(sniffFormat(Buffer.from('\uFEFF\r\n<!DOCTYPE html><html><body><table><tr><td>a</td></tr></table>')).format).toBe('html');
    expect(sniffFormat(Buffer.from('<table border=1><tr><td>a</td></tr></table>')).format).toBe('html');
    expect(sniffFormat(Buffer.from('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'))).toEqual({
      format: 'unknown',
      detail: 'spreadsheetml',
    });
    expect(sniffFormat(Buffer.from('<5 ans;tranche\n1;a\n')).format).toBe('csv');
  });

  it('reads the data table, not the title table above it: text as shown, entities, merges, links, hidden rows', () => {
    const issues: ValidationIssue[] = [];
    const rows = rowsOf(fixture('subventions-export.utf8.xls').toString('utf8'), issues);
    expect(rows).toHaveLength(4);
    expect(rows[0].cells.slice(0, 3)).toEqual(['Nom de l’attribuant', 'idAttribuant', 'dateConvention']);
    // &Eacute;, &rsquo;, &OElig;; <br> as a line break; &nbsp; kept as a no-break space; a rowspan copied down.
    expect(rows[1].cells).toEqual(expect.arrayContaining(['Commune de Saint-Ébréché', 'Association Les Amis de l’Œuvre', 'Festival d\'été\n2e édition', '1\u00a0234,50\u00a0€']));
    expect(rows[2].cells[0]).toBe('Commune de Saint-Ébréché');
    // A line break in the source is a space; the link is the cell's hyperlink.
    expect(rows[2].cells[3]).toBe('Club Sportif Ébréchéen');
    expect(rows[2].links).toEqual(new Map([[3, 'https://club.example.fr/']]));
    expect(rows[3].hidden).toBe(true);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(issues).toEqual([expect.objectContaining({ code: 'merged-cells', row: 2, message: expect.stringContaining('A2:A3') })]);
  });

  it('lays cells out as a browser does: colspan, rowspan across columns, nested tables apart, scripts and comments ignored', () => {
    const html = `<html><body><script>var t = "<table><tr><td>faux</td></tr></table>";</script>
      <table><tr><th>a</th><th>b</th><th>c</th><th>d</th></tr>
      <tr><td rowspan=3>x</td><td colspan=2>y</td><td>z</td></tr>
      <tr><td>1</td><td rowspan="2"></td><td>3</td></tr>
      <tr><td>4<!-- <td>caché</td> --></td><td>6</td></tr>
      <tr><td>p<table><tr><td>imbriqué</td></tr></table>q</td><td>r</td></tr>
      <tr><TD>&lt;b&gt; &amp;amp; &#x2019; &#146; &inconnu; &#0;</TD></tr></table>`;
    const issues: ValidationIssue[] = [];
    expect(rowsOf(html, issues).map((r) => r.cells)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['x', 'y', '', 'z'],
      ['x', '1', '', '3'],
      // The empty rowspan takes its column on the next row, empty.
      ['x', '4', '', '6'],
      ['pq', 'r'],
      ['<b> &amp; ’ ’ &inconnu; \ufffd'],
    ]);
    expect(issues.map((i) => i.code)).toEqual(['merged-cells']);
  });

  it('decodes the entities a browser knows', () => {
    expect(decodeHtmlEntities('&eacute;&Agrave;&ccedil;&nbsp;&euro;&laquo;&raquo;&hellip;&oelig;&yuml;&#233;&#xE9;')).toBe('éÀç\u00a0€«»…œÿéé');
  });

  it('says that a page without a table holds no data', async () => {
    const read = await readAll(Buffer.from('<!DOCTYPE html><html><body><p>Session expirée</p></body></html>'));
    expect(read.error).toMatchObject({ code: 'invalid-spreadsheet', message: expect.stringContaining('page web (HTML) sans tableau') });
    const xml2003 = await readAll(Buffer.from('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>'));
    expect(xml2003.error).toMatchObject({ code: 'unknown-format', message: expect.stringContaining('XML 2003') });
  });

  it('publishes what the same sheet gives, whether the page is UTF-8 or Windows-1252 (its <meta> says Windows-1252 in both)', async () => {
    const csvs: string[] = [];
    for (const name of ['subventions-export.utf8.xls', 'subventions-export.win1252.xls']) {
      const out: Buffer[] = [];
      const { report } = await standardizeTable(chunked(fixture(name), 100), {
        schema: subventions,
        sinks: (output) => ({ write: async (c) => void (output === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
      });
      expect(report).toMatchObject({ valid: true, rowCount: 3, file: { format: 'html', encoding: name.includes('utf8') ? 'utf-8' : 'windows-1252' } });
      expect(report.issues.map((i) => i.code)).toEqual(['merged-cells', 'header-renamed', 'hidden-rows']);
      csvs.push(Buffer.concat(out).toString('utf8'));
    }
    expect(csvs[1]).toBe(csvs[0]);
    expect(csvs[0].split('\r\n')[1]).toBe(
      'Commune de Saint-Ébréché,21350238800019,2024-03-15,,Association Les Amis de l’Œuvre,38047555800058,,"Festival d\'été\n' +
        '2e édition",1234.5,aide en numéraire,unique,2024-04-01,,non,0.45,',
    );
    expect(csvs[0]).toContain(',Club Sportif Ébréchéen,01234567800010,,Fonctionnement,3000,aide en nature,échelonné,2024-04-01/2024-12-31,,non,1,');
  });
});
