import { readEntryText, readZipDirectory } from '../../../functions/domain/standardize/read/zip';
import { XmlScanner, attr, decodeEntities } from '../../../functions/domain/standardize/read/xml-scanner';
import { ods, odsBook, xlsxBook } from '../../fixtures/workbooks';
import { buildZip } from '../../fixtures/zip-builder';
import { readAll } from './helpers';

/** The events of `parts` pushed one after the other. */
function events(parts: string[]): string[] {
  const out: string[] = [];
  const s = new XmlScanner({
    open: (name, attrs, selfClosing) => out.push(`<${name}${attrs}${selfClosing ? '/' : ''}>`),
    close: (name) => out.push(`</${name}>`),
    text: (t) => out.push(`"${t}"`),
  });
  for (const p of parts) s.push(p);
  s.end();
  return out;
}

/** `text` cut every `size` characters, and at a few seeded random places. */
function cuts(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

const DOC =
  '<?xml version="1.0"?><!DOCTYPE x><root a="1 > 2" b=\'x\'><!-- a <comment> -- ->< --><row r="1"><c t="s"><v>12</v></c>' +
  '<c><is><t>A &amp; B &lt; C</t></is></c></row><![CDATA[x < y ]] > z]]><empty/><n:p n:x="&quot;"/></root>';

describe('XmlScanner', () => {
  const whole = events([DOC]);

  it('reads a document whole', () => {
    expect(whole).toEqual([
      '<root a="1 > 2" b=\'x\'>',
      '<row r="1">',
      '<c t="s">',
      '<v>',
      '"12"',
      '</v>',
      '</c>',
      '<c>',
      '<is>',
      '<t>',
      '"A & B < C"',
      '</t>',
      '</is>',
      '</c>',
      '</row>',
      '"x < y ]] > z"',
      '<empty/>',
      '</empty>',
      '<n:p n:x="&quot;"/>',
      '</n:p>',
      '</root>',
    ]);
  });

  it.each([1, 2, 3, 5, 7, 11, 64])('gives the same events when the text comes in pieces of %i characters', (size) => {
    expect(events(cuts(DOC, size))).toEqual(whole);
  });

  it('gives the same events for a comment, a CDATA section and an attribute of a megabyte pushed in 4 kB pieces', () => {
    const big = '<'.repeat(1 << 20);
    const doc = `<a><!--${big}--><b x="${big.replace(/</g, '>')}"/><![CDATA[${big}]]><c>t</c></a>`;
    const pieces = events(cuts(doc, 4096));
    expect(pieces).toEqual(events([doc]));
    expect(pieces.filter((e) => e === '"t"')).toHaveLength(1);
  });
});

describe('character references', () => {
  it('decodes numeric and named references', () => {
    expect(decodeEntities('&#233;t&#xE9; &#x1F600; &lt;&amp;&gt;')).toBe('été 😀 <&>');
  });

  it('reads a reference to no character (past U+10FFFF, a surrogate, 0) as U+FFFD instead of throwing', () => {
    expect(decodeEntities('a&#x110000;b&#1114112;c&#xD800;d&#56320;e&#0;f&#x0000000000000000000041;')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdfA');
    expect(decodeEntities('&#99999999999999999999999;')).toBe('\ufffd');
    expect(attr(' name="Onglet &#x110000;"', 'name')).toBe('Onglet \ufffd');
    expect(events(['<t>x&#x110000;</t>'])).toEqual(['<t>', '"x\ufffd"', '</t>']);
  });

  /** `book` with its part `name` rewritten by `edit`. */
  function rewrite(book: Buffer, name: string, edit: (xml: string) => string): Buffer {
    const entries = readZipDirectory(book);
    return buildZip(
      [...entries.keys()].map((n) => {
        const data = readEntryText(book, entries.get(n)!, { remaining: 1e9, limit: 1e9 });
        return { name: n, data: n === name ? edit(data) : data, store: n === 'mimetype' };
      }),
    );
  }

  it('a workbook whose sheet name or active table holds one is read', async () => {
    const xlsx = rewrite(xlsxBook([{ name: 'A', rows: [['a', 'b'], ['1', '2']] }, { name: 'B', rows: [['a', 'b'], ['3', '4']] }]), 'xl/workbook.xml', (xml) =>
      xml.replace('name="B"', 'name="Onglet &#x110000;"'),
    );
    const table = ods.row(ods.text('a') + ods.text('b')) + ods.row(ods.text('1') + ods.text('2'));
    const odsBytes = rewrite(odsBook([{ name: 'A', rows: table }], { active: 'A' }), 'settings.xml', (xml) =>
      xml.replace('>A</config:config-item>', '>&#x110000;</config:config-item>'),
    );
    for (const bytes of [xlsx, odsBytes]) {
      const { rows, codes } = await readAll(bytes);
      expect(codes).toEqual([]);
      expect(rows.map((r) => r.cells)).toEqual([['1', '2']]);
    }
  });
});
