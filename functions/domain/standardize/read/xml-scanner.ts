/**
 * A small incremental XML tokenizer for spreadsheet parts (SpreadsheetML, OpenDocument).
 * Not a validating parser: no DTD, no namespaces resolution (names keep their prefix).
 * Feed text with `push`; complete tags and text runs are reported to the handler.
 */
export interface XmlHandler {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : NAMED[e],
  );
}

/** Attribute value by qualified name (`r`, `office:value-type`), entities decoded. */
export function attr(attrs: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const i = attrs.indexOf(name, from);
    if (i < 0) return undefined;
    from = i + name.length;
    const before = i === 0 ? 32 : attrs.charCodeAt(i - 1);
    if (before !== 32 && before !== 9 && before !== 10 && before !== 13) continue;
    let j = from;
    while (attrs.charCodeAt(j) === 32) j++;
    if (attrs.charCodeAt(j) !== 61) continue;
    j++;
    while (attrs.charCodeAt(j) === 32) j++;
    const q = attrs[j];
    if (q !== '"' && q !== "'") continue;
    const end = attrs.indexOf(q, j + 1);
    if (end < 0) return undefined;
    return decodeEntities(attrs.slice(j + 1, end));
  }
}

export class XmlScanner {
  private buf = '';
  constructor(private readonly h: XmlHandler) {}

  push(chunk: string): void {
    const buf = this.buf ? this.buf + chunk : chunk;
    const n = buf.length;
    const h = this.h;
    let pos = 0;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) break;
      if (lt > pos) h.text(decodeEntities(buf.slice(pos, lt)));
      pos = lt;
      const c = buf.charCodeAt(lt + 1);
      if (c === 33 /* ! */ || c === 63 /* ? */) {
        let endMark = '>';
        if (buf.startsWith('<!--', lt)) endMark = '-->';
        else if (buf.startsWith('<![CDATA[', lt)) endMark = ']]>';
        else if (c === 63) endMark = '?>';
        const e = buf.indexOf(endMark, lt + 2);
        if (e < 0) break;
        if (endMark === ']]>') h.text(buf.slice(lt + 9, e));
        pos = e + endMark.length;
        continue;
      }
      let gt = buf.indexOf('>', lt);
      // A '>' inside a quoted attribute value does not end the tag.
      while (gt >= 0 && countQuotes(buf, lt, gt) % 2 === 1) gt = buf.indexOf('>', gt + 1);
      if (gt < 0) break;
      if (c === 47 /* / */) {
        h.close(buf.slice(lt + 2, gt).trim());
      } else {
        const selfClosing = buf.charCodeAt(gt - 1) === 47;
        const body = buf.slice(lt + 1, selfClosing ? gt - 1 : gt);
        let sp = 0;
        while (sp < body.length) {
          const b = body.charCodeAt(sp);
          if (b === 32 || b === 9 || b === 10 || b === 13) break;
          sp++;
        }
        h.open(body.slice(0, sp), body.slice(sp), selfClosing);
        if (selfClosing) h.close(body.slice(0, sp));
      }
      pos = gt + 1;
    }
    this.buf = pos < n ? buf.slice(pos) : '';
  }

  /** Any text left after the last tag (ignored: well-formed parts end with a tag). */
  end(): void {
    this.buf = '';
  }
}

function countQuotes(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('"', from); i >= 0 && i < to; i = s.indexOf('"', i + 1)) n++;
  return n;
}
