/**
 * Cells that are hyperlinks: the readers give the address beside the label shown, and a
 * column whose schema wants an address (format uri, or email for a mailto: link) publishes
 * the address, with one warning per column. Files saved by LibreOffice itself are in
 * office-files.test.ts; these are written part by part for the cases Calc does not make.
 */
import type { TableSchemaDescriptor } from '../../../functions/domain/schema/types';
import { MAX_LINKED_CELLS, SheetLinks, cellRange, hyperlinkFormulaTarget } from '../../../functions/domain/standardize/read/hyperlinks';
import type { Report } from '../../../functions/domain/standardize/report';
import { standardizeTable } from '../../../functions/domain/standardize/standardize-table';
import { XlsxSheet, ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { MINIMAL_RELS, MINIMAL_WORKBOOK, buildZip } from '../../fixtures/zip-builder';
import { chunked, readAll } from './helpers';

const schema: TableSchemaDescriptor = {
  id: 'test/liens',
  version: '1.0.0',
  title: 'Liens',
  fields: [
    { name: 'objet', type: 'string' },
    { name: 'url', type: 'string', format: 'uri' },
    { name: 'courriel', type: 'string', format: 'email' },
  ],
};

async function standardize(bytes: Buffer): Promise<{ report: Report; csv: string }> {
  const out: Buffer[] = [];
  const { report } = await standardizeTable(chunked(bytes), {
    schema,
    sinks: (output) => ({ write: (c) => void (output === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
  });
  return { report, csv: Buffer.concat(out).toString('utf8') };
}

describe('hyperlinkFormulaTarget', () => {
  it.each([
    // As LibreOffice writes it in .xlsx (English name, comma, no `=`) and in .ods (`of:=`, `;`).
    ['HYPERLINK("https://ville.fr/a.pdf","Voir la délibération")', 'https://ville.fr/a.pdf'],
    ['of:=HYPERLINK("https://ville.fr/a.pdf";"Voir")', 'https://ville.fr/a.pdf'],
    ['=LIEN_HYPERTEXTE("https://ville.fr/a.pdf";"Voir")', 'https://ville.fr/a.pdf'],
    ['hyperlink( "https://ville.fr/a.pdf" )', 'https://ville.fr/a.pdf'],
    ['HYPERLINK("https://ville.fr/?q=""x""")', 'https://ville.fr/?q="x"'],
  ])('%s opens %s', (formula, target) => {
    expect(hyperlinkFormulaTarget(formula)).toBe(target);
  });

  it.each([['HYPERLINK("https://ville.fr/"&A2;"Voir")'], ['SUM(A1:A3)'], ['HYPERLINK(A2;"Voir")'], ['HYPERLINK("";"Voir")'], ['IF(A1;HYPERLINK("https://a.fr");"")']])(
    '%s gives no address (computed, or no link)',
    (formula) => {
      expect(hyperlinkFormulaTarget(formula)).toBeUndefined();
    },
  );
});

describe('SheetLinks', () => {
  it('reads single cells and ranges, the first link given a cell winning', () => {
    expect(cellRange('$Q$2:Q4')).toEqual({ top: 2, bottom: 4, left: 16, right: 16 });
    expect(cellRange('Feuil2!A1')).toBeUndefined();
    const links = new SheetLinks();
    links.add('B2:B3', 'https://a.fr');
    links.add('B3', 'https://b.fr');
    const row = { row: 3, links: new Map([[0, 'https://formule.fr']]) };
    links.apply(row);
    expect([...row.links]).toEqual([
      [0, 'https://formule.fr'],
      [1, 'https://a.fr'],
    ]);
  });

  it('stops at MAX_LINKED_CELLS cells: a link over whole columns is not a million entries', () => {
    const links = new SheetLinks();
    expect(links.add('A1:B1048576', 'https://a.fr')).toBe(false);
    expect(links.size).toBe(MAX_LINKED_CELLS);
  });

  it('counts the cells visited, linked already or not: the same range repeated is no endless work', () => {
    const links = new SheetLinks();
    let added = 0;
    while (links.add('A1:A90000', 'https://a.fr')) added++;
    expect(added).toBe(1);
    expect(links.size).toBe(90000);
  });
});

const ROWS = [
  ['objet', 'url', 'courriel'],
  ['Budget primitif (voir le rapport)', 'Délibération 2024-001 (PDF)', 'Écrire à la mairie'],
  ['Compte administratif', 'https://ville.fr/2024-002.pdf', 'mairie@ville.fr'],
  ['Tarifs', 'Voir', ''],
  ['Subventions', 'Voir aussi', ''],
];

const xlsxLinked = (sheet: Partial<XlsxSheet> = {}): Buffer =>
  xlsxBook([
    {
      name: 'Délibérations',
      rows: ROWS,
      hyperlinks: [
        { ref: 'A2', target: 'https://ville.fr/rapport.pdf' },
        { ref: 'B2', target: 'https://ville.fr/2024-001.pdf' },
        // The label is the address itself: nothing to say.
        { ref: 'B3', target: 'https://ville.fr/2024-002.pdf' },
        { ref: 'C2', target: 'mailto:mairie@ville.fr?subject=D%C3%A9lib%C3%A9ration' },
        { ref: 'C3', target: 'mailto:mairie@ville.fr' },
        // One link over two cells, an address with an accent and a space as Calc stores them.
        { ref: 'B4:B5', target: 'https://ville.fr/actes?type=délib&n=2024 4' },
        // A place in the workbook is no address.
        { ref: 'A4', location: "'Feuil2'!A1" },
      ],
      ...sheet,
    },
  ]);

const odsLinked = (): Buffer => {
  const link = (href: string, label: string, before = '', after = ''): string =>
    ods.raw(`<text:p>${before}<text:a xlink:href="${href.replace(/&/g, '&amp;')}" xlink:type="simple">${label}</text:a>${after}</text:p>`);
  const rows =
    ods.row(ROWS[0].map((h) => ods.text(h)).join('')) +
    ods.row(link('https://ville.fr/rapport.pdf', 'voir le rapport', 'Budget primitif (', ')') + link('https://ville.fr/2024-001.pdf', 'Délibération 2024-001 (PDF)') + link('mailto:mairie@ville.fr?subject=D%C3%A9lib%C3%A9ration', 'Écrire à la mairie')) +
    ods.row(ods.text('Compte administratif') + link('https://ville.fr/2024-002.pdf', 'https://ville.fr/2024-002.pdf') + link('mailto:mairie@ville.fr', 'mairie@ville.fr')) +
    // A cell repeated over two rows by LibreOffice (identical rows are written once).
    ods.row(ods.text('Tarifs') + link('https://ville.fr/actes?type=délib&n=2024 4', 'Voir'), 1) +
    ods.row(ods.text('Subventions') + ods.raw('<text:p>Voir aussi</text:p>', 'table:formula="of:=HYPERLINK(&quot;https://ville.fr/actes?type=délib&amp;n=2024 4&quot;;&quot;Voir aussi&quot;)" office:value-type="string" calcext:value-type="string"'));
  return odsBook([{ name: 'Délibérations', rows }]);
};

const PUBLISHED = [
  'objet,url,courriel',
  'Budget primitif (voir le rapport),https://ville.fr/2024-001.pdf,mairie@ville.fr',
  'Compte administratif,https://ville.fr/2024-002.pdf,mairie@ville.fr',
  'Tarifs,https://ville.fr/actes?type=d%C3%A9lib&n=2024%204,',
  'Subventions,https://ville.fr/actes?type=d%C3%A9lib&n=2024%204,',
];

describe.each([
  ['xlsx', xlsxLinked],
  ['ods', odsLinked],
] as const)('%s: cells that are hyperlinks', (_, build) => {
  it('the reader gives the address beside the label', async () => {
    const { rows } = await readAll(build());
    expect(rows[0].cells).toEqual(['Budget primitif (voir le rapport)', 'Délibération 2024-001 (PDF)', 'Écrire à la mairie']);
    expect(rows[0].links?.get(1)).toBe('https://ville.fr/2024-001.pdf');
    expect(rows.map((r) => r.links?.has(0) ?? false)).toEqual([true, false, false, false]);
  });

  it('an address column publishes the address, an email column a mailto: link’s address, the others the text shown', async () => {
    const { report, csv } = await standardize(build());
    expect(csv.trimEnd().split(/\r?\n/)).toEqual(PUBLISHED);
    expect(report.valid).toBe(true);
    expect(report.issues).toEqual([
      {
        code: 'hyperlink-target',
        severity: 'warning',
        row: 2,
        column: 'url',
        value: 'Délibération 2024-001 (PDF)',
        message:
          '3 cellules de la colonne « url » (lignes 2, 4 et 5) sont des liens : c’est l’adresse de chaque lien qui est publiée, et non le texte affiché (par exemple, ligne 2, « Délibération 2024-001 (PDF) » ouvre https://ville.fr/2024-001.pdf).',
      },
      {
        code: 'hyperlink-target',
        severity: 'warning',
        row: 2,
        column: 'courriel',
        value: 'Écrire à la mairie',
        message: 'La cellule de la ligne 2 de la colonne « courriel » est un lien : c’est son adresse qui est publiée, et non le texte affiché (« Écrire à la mairie » ouvre mairie@ville.fr).',
      },
    ]);
  });
});

describe('links that give nothing', () => {
  it('a link whose relationship is missing, or a sheet without rels: the label stays, and fails as before', async () => {
    const bytes = xlsxBook([{ name: 'F', rows: [ROWS[0], ['Budget', 'Voir', '']], hyperlinks: [{ ref: 'B2', location: 'F!A1' }] }]);
    const { report } = await standardize(bytes);
    expect(report.issues.map((i) => i.code)).toEqual(['type-error']);
    expect(report.issues[0].message).toContain('si la cellule est un lien');
  });

  it('a workbook without a schema publishes what the cells show', async () => {
    const out: Buffer[] = [];
    await standardizeTable(chunked(xlsxLinked()), {
      schema: null,
      sinks: (output) => ({ write: (c) => void (output === 'data.csv' && out.push(Buffer.from(c))), end: async () => undefined, abort: async () => undefined }),
    });
    expect(Buffer.concat(out).toString('utf8')).toContain('Délibération 2024-001 (PDF)');
  });
});

describe('links whose address is not published', () => {
  const linked = (label: string, target: string, extra: Partial<XlsxSheet> = {}): Buffer =>
    xlsxBook([{ name: 'F', rows: [ROWS[0], ['Budget', label, '']], hyperlinks: [{ ref: 'B2', target }], ...extra }]);

  it('a file of the employee’s computer or network: the label stays (and fails), a warning says to put the document online, without the path', async () => {
    for (const target of ['file:///C:/Users/jdupont/Documents/2024-001.pdf', 'C:\\Users\\jdupont\\2024-001.pdf', '\\\\serveur\\actes\\2024-001.pdf', '../Délibérations/2024-001.pdf']) {
      const { report } = await standardize(linked('Délibération 2024-001', target));
      expect(report.issues.map((i) => i.code)).toEqual(['type-error', 'hyperlink-local']);
      expect(report.issues[1].message).toBe(
        'La cellule de la ligne 2 de la colonne « url » est un lien vers un fichier de l’ordinateur ou du réseau de la collectivité, que personne d’autre ne peut ouvrir : mettez le document en ligne (sur le site de la collectivité) et écrivez son adresse (https://…).',
      );
      expect(JSON.stringify(report)).not.toContain('jdupont');
    }
  });

  it('a place in the workbook (ods #Annexes.A1, a HYPERLINK("#…") formula): the label stays', async () => {
    const rows =
      ods.row(ROWS[0].map((h) => ods.text(h)).join('')) +
      ods.row(ods.text('Budget') + ods.raw('<text:p><text:a xlink:href="#Annexes.A1">Voir l’annexe</text:a></text:p>') + ods.text('')) +
      ods.row(ods.text('CA') + ods.raw('<text:p>Voir</text:p>', 'table:formula="of:=HYPERLINK(&quot;#Annexes.A5&quot;;&quot;Voir&quot;)" office:value-type="string"') + ods.text(''));
    const { report } = await standardize(odsBook([{ name: 'F', rows }]));
    expect(report.issues.map((i) => `${i.code}@${i.row}`)).toEqual(['type-error@2', 'type-error@3']);
  });

  it('a label that is the address (www.… typed, linked as http://): published as typed, read as https, with the scheme-added warning', async () => {
    const { report, csv } = await standardize(linked('www.ville.fr/deliberations', 'http://www.ville.fr/deliberations'));
    expect(report.issues.map((i) => `${i.code}@${i.row}`)).toEqual(['scheme-added@2']);
    expect(csv).toContain('Budget,https://www.ville.fr/deliberations,');
  });

  it('a label that is the address with its accents and spaces: the address encoded, without a warning', async () => {
    const { report, csv } = await standardize(linked('https://ville.fr/délib 1.pdf', 'https://ville.fr/délib 1.pdf'));
    expect(report.issues).toEqual([]);
    expect(csv).toContain('Budget,https://ville.fr/d%C3%A9lib%201.pdf,');
  });

  it('an empty cell with a link, and a mailto: to several people or with a name: nothing replaced', async () => {
    const bytes = xlsxBook([
      {
        name: 'F',
        rows: [ROWS[0], ['A', '', 'Écrire'], ['B', 'https://ville.fr', 'Écrire'], ['C', 'https://ville.fr', 'Écrire']],
        hyperlinks: [
          { ref: 'B2', target: 'https://ville.fr/a.pdf' },
          { ref: 'C3', target: 'mailto:a@ville.fr,b@ville.fr' },
          { ref: 'C4', target: 'mailto:Jean Dupont <jean@ville.fr>' },
        ],
      },
    ]);
    const { report } = await standardize(bytes);
    expect(report.issues.map((i) => `${i.code}@${i.row}:${i.value}`)).toEqual(['type-error@2:Écrire', 'type-error@3:Écrire', 'type-error@4:Écrire']);
  });
});

describe('links a workbook writes in other ways', () => {
  it('xlsx: an address whose #fragment Excel keeps in `location`', async () => {
    const bytes = xlsxBook([{ name: 'F', rows: [ROWS[0], ['Budget', 'Voir', '']], hyperlinks: [{ ref: 'B2', target: 'https://ville.fr/page.html', location: 'section2' }] }]);
    expect((await standardize(bytes)).csv).toContain('Budget,https://ville.fr/page.html#section2,');
  });

  it('xlsx: a HYPERLINK formula filled down (shared: written once, then by its index)', async () => {
    const c = (ref: string, inner: string) => `<c r="${ref}" t="str">${inner}</c>`;
    const t = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      `<row r="1">${t('A1', 'objet')}${t('B1', 'url')}</row>` +
      `<row r="2">${t('A2', 'a')}${c('B2', '<f t="shared" ref="B2:B4" si="0">HYPERLINK(&quot;https://ville.fr/actes&quot;,&quot;Voir&quot;)</f><v>Voir</v>')}</row>` +
      `<row r="3">${t('A3', 'b')}${c('B3', '<f t="shared" si="0"/><v>Voir</v>')}</row>` +
      `<row r="4">${t('A4', 'c')}${c('B4', '<f t="shared" si="1"/><v>Voir</v>')}</row>` +
      '</sheetData></worksheet>';
    const bytes = buildZip([
      { name: 'xl/workbook.xml', data: MINIMAL_WORKBOOK },
      { name: 'xl/_rels/workbook.xml.rels', data: MINIMAL_RELS },
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ]);
    const { report, csv } = await standardize(bytes);
    // Row 4 shares another formula (si 1), not given: its label stays.
    expect(csv).toBe('');
    expect(report.issues.map((i) => `${i.code}@${i.row}`)).toEqual(['type-error@4', 'hyperlink-target@2']);
    expect(report.issues[1].message).toContain('(lignes 2 et 3)');
  });

  it('a merged cell over three rows: its link goes with its value to each row (xlsx and ods)', async () => {
    const xlsx = xlsxBook([{ name: 'F', rows: [ROWS[0], ['A', 'Voir', ''], ['B', null, ''], ['C', null, '']], merges: ['B2:B4'], hyperlinks: [{ ref: 'B2', target: 'https://ville.fr/1.pdf' }] }]);
    const spanned = 'table:number-rows-spanned="3" table:number-columns-spanned="1"';
    const odsRows =
      ods.row(ROWS[0].map((h) => ods.text(h)).join('')) +
      ods.row(ods.text('A') + ods.raw('<text:p><text:a xlink:href="https://ville.fr/1.pdf">Voir</text:a></text:p>', `office:value-type="string" ${spanned}`)) +
      ods.row(ods.text('B') + ods.covered()) +
      // LibreOffice keeps a covered cell's hidden content: its link opens nothing anyone sees.
      ods.row(ods.text('C') + '<table:covered-table-cell><text:p><text:a xlink:href="https://ville.fr/cache.pdf">ancien</text:a></text:p></table:covered-table-cell>');
    for (const bytes of [xlsx, odsBook([{ name: 'F', rows: odsRows }])]) {
      const { report, csv } = await standardize(bytes);
      expect(csv.trimEnd().split(/\r?\n/).slice(1)).toEqual(['A,https://ville.fr/1.pdf,', 'B,https://ville.fr/1.pdf,', 'C,https://ville.fr/1.pdf,']);
      expect(report.issues.map((i) => i.code)).toEqual(['merged-cells', 'hyperlink-target']);
    }
  });
});

describe('a link whose label is its address typed on a Mac (accents as a letter and a combining mark)', () => {
  it('is the same address: no warning, published composed', async () => {
    const url = 'https://www.ville.fr/de\u0301libe\u0301ration-2024.pdf';
    const { report, csv } = await standardize(xlsxBook([{ name: 'Feuille1', rows: [['objet', 'url'], ['Délibération', url]], hyperlinks: [{ ref: 'B2', target: url }] }]));
    expect(report.issues).toEqual([]);
    expect(csv).toContain('https://www.ville.fr/d\u00e9lib\u00e9ration-2024.pdf');
  });
});
