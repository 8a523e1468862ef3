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

describe('HTML pages as web applications and Excel write them (review round)', () => {
  const tr = (cells: string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;

  it('skips a row showing nothing, as Excel’s « Page Web » ends its tables with a hidden sizing row', () => {
    const html = `<table>${tr(['nom', 'objet'], 'th')}${tr(['A', 'B'])}<tr></tr>${tr(['&nbsp;', ' '])}<![if supportMisalignedColumns]><tr height=0 style='display:none'><td></td><td></td></tr><![endif]></table>`;
    expect(rowsOf(html).map((r) => [r.row, r.cells])).toEqual([
      [1, ['nom', 'objet']],
      // A cell of spaces or no-break spaces (&nbsp;) shows nothing either.
      [2, ['A', 'B']],
    ]);
  });

  it('reads one after the other the tables that repeat the header (a table per service), and names the tables of other columns it leaves', () => {
    const header = ['nom', 'objet', 'montant'];
    const html = `<h1>Subventions</h1><table>${tr(header, 'th')}${tr(['A', 'a', '1'])}</table><table>${tr(['Total', '', '3'])}${tr(['autre', 'chose', '0'])}</table><table>${tr(header, 'th')}${tr(['B', 'b', '2'])}</table>`;
    const issues: ValidationIssue[] = [];
    const rows = [...readHtml(html, { issues, headerScore: (cells) => cells.filter((c) => header.includes(c)).length })];
    expect(rows.map((r) => [r.row, r.cells[0]])).toEqual([
      [1, 'nom'],
      [2, 'A'],
      [4, 'B'],
    ]);
    expect(issues.map((i) => i.code)).toEqual(['tables-joined']);
    const other = `<table>${tr(header, 'th')}${tr(['A', 'a', '1'])}</table><table>${tr(['nom', 'objet', 'commentaire'], 'th')}${tr(['B', 'b', 'c'])}</table>`;
    const found: ValidationIssue[] = [];
    void [...readHtml(other, { issues: found, headerScore: (cells) => cells.filter((c) => header.includes(c)).length })];
    expect(found).toEqual([
      expect.objectContaining({ code: 'sheet-chosen', message: 'La page contient 2 tableaux : seul le tableau n° 1 a été lu. Le tableau n° 2, qui a d’autres colonnes, n’a pas été lu : déposez-le dans un autre fichier s’il doit être publié.' }),
    ]);
  });

  it('ends a rowspan with its row group, and reads no record in <tfoot>', () => {
    const spanned = `<table><thead><tr><th rowspan="2">nom</th><th>objet</th></tr></thead><tbody>${tr(['A', 'B'])}${tr(['C', 'D'])}</tbody><tfoot>${tr(['nom', 'objet'], 'th')}</tfoot></table>`;
    expect(rowsOf(spanned).map((r) => r.cells)).toEqual([
      ['nom', 'objet'],
      ['A', 'B'],
      ['C', 'D'],
    ]);
  });

  it('refuses a page mixing encodings as a CSV is refused, rather than publish it garbled', async () => {
    const bytes = Buffer.concat([Buffer.from('<html><body><table><tr><th>nom</th></tr><tr><td>Été</td></tr><tr><td>'), Buffer.from([0xe9]), Buffer.from('</td></tr></table>')]);
    expect((await readAll(bytes)).error).toMatchObject({ code: 'invalid-encoding' });
  });

  it('knows an XHTML page by its XML declaration, and a CSV whose first heading starts with « <table » for a CSV', () => {
    expect(sniffFormat(Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">\n<html><body><table><tr><td>a</td></tr></table>')).format).toBe('html');
    expect(sniffFormat(Buffer.from('<div class="export"><table><tr><td>a</td></tr></table></div>')).format).toBe('html');
    expect(sniffFormat(Buffer.from('<tableau>;<htmlx>\n1;2\n')).format).toBe('csv');
  });

  it('leaves out the text a browser does not show: a hidden sort key, a hidden span', () => {
    const html = `<table>${tr(['nom', 'date'], 'th')}<tr><td>Comité des fêtes<span hidden>id-4431</span></td><td><span style="display:none">20240315</span>15/03/2024</td></tr><tr><td><span style='display: none'><b>x</b>y</span>Club<br/><i style="visibility:hidden">z</i></td><td>01/04/2024</td></tr></table>`;
    expect(rowsOf(html).map((r) => r.cells)).toEqual([
      ['nom', 'date'],
      ['Comité des fêtes', '15/03/2024'],
      ['Club', '01/04/2024'],
    ]);
  });

  it('bounds the work of spans and the size of a cell', () => {
    // One empty cell spanning 16,000 columns down 65,534 rows: every later row laid out wide, counted against the cells allowed.
    const spans = `<table><tr><td>a</td><td colspan=16000 rowspan=65534></td><td>b</td></tr>${'<tr><td>x</td><td>y</td></tr>'.repeat(200)}</table>`;
    expect(() => [...readHtml(spans, { maxCells: 1_000_000 })]).toThrow(expect.objectContaining({ code: 'zip-too-large' }));
    const big = `<table><tr><th>nom</th></tr><tr><td>${'x '.repeat(600_000)}</td></tr></table>`;
    expect(() => [...readHtml(big)]).toThrow(expect.objectContaining({ code: 'row-too-large', row: 2 }));
  });
});
