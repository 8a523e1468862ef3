import { XmlScanner } from '../../../functions/domain/standardize/read/xml-scanner';

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
