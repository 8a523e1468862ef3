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
          '3 cellules (lignes 2, 4 et 5) affichent un texte et non une adresse, par exemple ligne 2 « Délibération 2024-001 (PDF) », qui est un lien vers https://ville.fr/2024-001.pdf : c’est l’adresse de chaque lien qui est publiée dans url.',
      },
      {
        code: 'hyperlink-target',
        severity: 'warning',
        row: 2,
        column: 'courriel',
        value: 'Écrire à la mairie',
        message: 'La cellule de la ligne 2 affiche « Écrire à la mairie », qui est un lien vers mairie@ville.fr : c’est l’adresse du lien qui est publiée dans courriel.',
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
