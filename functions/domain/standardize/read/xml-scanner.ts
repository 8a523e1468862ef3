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

/**
 * A numeric reference to no character (0, a surrogate, past U+10FFFF) makes the part
 * malformed XML, which LibreOffice refuses as damaged. It reads as U+FFFD, the replacement
 * character, as a decoder shows a bad byte: the rest of the file is still read (one bad
 * sheet name or cell does not cost the whole upload its report), and a value holding it
 * shows where the damage is.
 */
function codePoint(n: number): string {
  return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '\ufffd';
}

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (_, e: string) =>
    e[0] === '#' ? codePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : NAMED[e],
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

/**
 * What an unfinished construct at the end of the text pushed so far waits for: a text run
 * its `<`, a comment `-->`, a CDATA section `]]>`, a processing instruction `?>`, a tag its
 * `>` outside quotes. While it waits, each pushed piece is only searched for that end (the
 * pieces are kept, not joined), so a comment or an attribute of megabytes pushed in small
 * pieces costs one pass, not one per piece.
 */
type Awaiting = { kind: 'text' } | { kind: 'mark'; mark: string; tail: string } | { kind: 'tag'; quote: number } | { kind: 'unknown' };

const GT = 62;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

/**
 * Where the `>` ending a tag is, from `from` with `quote` (the code of `"` or `'`, 0: none)
 * open: a `>` inside a quoted attribute value does not end it. When there is none, -1 minus
 * the quote left open at the end (-1: none). One pass, whatever the attribute values hold.
 */
function tagEnd(s: string, from: number, quote: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === GT) return i;
    else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) quote = c;
  }
  return -1 - quote;
}

export class XmlScanner {
  private pending: string[] = [];
  private awaiting: Awaiting = { kind: 'unknown' };
  constructor(private readonly h: XmlHandler) {}

  push(chunk: string): void {
    if (this.pending.length > 0) {
      if (!this.ends(chunk)) {
        this.pending.push(chunk);
        return;
      }
      this.pending.push(chunk);
      chunk = this.pending.join('');
      this.pending = [];
    }
    this.scan(chunk);
  }

  /** Whether `chunk` holds the end the pending construct waits for (and notes what it saw when not). */
  private ends(chunk: string): boolean {
    const a = this.awaiting;
    switch (a.kind) {
      case 'text':
        return chunk.indexOf('<') >= 0;
      case 'mark': {
        const seen = a.tail + chunk;
        if (seen.indexOf(a.mark) >= 0) return true;
        a.tail = seen.slice(Math.max(0, seen.length - a.mark.length + 1));
        return false;
      }
      case 'tag': {
        const end = tagEnd(chunk, 0, a.quote);
        if (end >= 0) return true;
        a.quote = -1 - end;
        return false;
      }
      default:
        return true;
    }
  }

  private scan(buf: string): void {
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
      const gt = tagEnd(buf, lt + 1, 0);
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
    if (pos < n) this.wait(buf.slice(pos));
  }

  /** Keeps the unfinished end of the text (from a `<`, or a text run) until what ends it comes. */
  private wait(rest: string): void {
    this.pending = [rest];
    if (rest.charCodeAt(0) !== 60 /* < */) this.awaiting = { kind: 'text' };
    else if (rest.startsWith('<!--')) this.awaiting = { kind: 'mark', mark: '-->', tail: rest.slice(-2) };
    else if (rest.startsWith('<![CDATA[')) this.awaiting = { kind: 'mark', mark: ']]>', tail: rest.slice(-2) };
    else if (rest.startsWith('<?')) this.awaiting = { kind: 'mark', mark: '?>', tail: rest.slice(-1) };
    // Too short to tell a comment or a CDATA section from another declaration: joined again at once.
    else if (rest.length < 2 || '<!--'.startsWith(rest) || '<![CDATA['.startsWith(rest)) this.awaiting = { kind: 'unknown' };
    else if (rest.startsWith('<!')) this.awaiting = { kind: 'mark', mark: '>', tail: '' };
    else this.awaiting = { kind: 'tag', quote: -1 - tagEnd(rest, 1, 0) };
  }

  /** Any text left after the last tag (ignored: well-formed parts end with a tag). */
  end(): void {
    this.pending = [];
  }
}
