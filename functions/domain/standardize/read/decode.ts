/**
 * Byte → text decoding for uploaded text tables: UTF-8 (with or without BOM), else
 * Windows-1252 (which we also use for ISO-8859-1: it is a superset for printable text).
 *
 * Policy, decided on the first 64 KB then enforced as we go:
 * - BOM, or the head is valid UTF-8 → UTF-8.
 * - The head has an invalid UTF-8 sequence and no valid multi-byte sequence before it →
 *   Windows-1252 for the whole file.
 * - UTF-8 was chosen and an invalid sequence appears later: if everything before it was
 *   pure ASCII (no BOM, no multi-byte sequence), switching to Windows-1252 from there is
 *   exact (ASCII decodes the same in both), so we switch and `encoding` changes. Otherwise
 *   the file mixes encodings: we refuse with `invalid-encoding` rather than guess, after
 *   yielding the valid text before the bad byte so the CSV parser can name the line.
 */
import { isAscii, isUtf8 } from 'buffer';
import { TableReadError } from './errors';

export type TextEncoding = 'utf-8' | 'windows-1252';

/** How many bytes we look at before choosing the encoding. */
export const ENCODING_SNIFF_BYTES = 64 * 1024;

/** Windows-1252 code points for bytes 0x80–0x9F (WHATWG mapping; holes map to C1 controls). */
const CP1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
];

/** The 256-entry table: byte → UTF-16 code unit. */
export const WINDOWS_1252_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) t[i] = i;
  for (let i = 0; i < 32; i++) t[0x80 + i] = CP1252_HIGH[i];
  return t;
})();

/** The same table as one-char strings, for the bytes that differ from Latin-1. */
const WINDOWS_1252_CHARS: string[] = Array.from(WINDOWS_1252_TABLE, (c) => String.fromCharCode(c));

/** Node's native slices (undocumented but stable since Node 0.x; `toString` adds argument checks). */
export type FastBuffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

/** `b` as a Buffer over the same memory. */
export const asBuffer = (b: Uint8Array): FastBuffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length)) as FastBuffer;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Table-driven Windows-1252 decoding. Only bytes 0x80–0x9F differ from Latin-1: text
 * without them is decoded by Node's native Latin-1 slice. Text with them (a `€`, a `’`)
 * is mapped byte by byte into UTF-16 code units and read back natively as UTF-16LE: one
 * flat string. Joining Latin-1 runs and table characters built a rope of thousands of
 * pieces per chunk, which the parser's first search then had to flatten (together ~2× this).
 * Measured on a 50 MB French CSV (one `€` per line): ~5× `TextDecoder` and iconv-lite
 * (see test/unit/standardize/measure-throughput.ts).
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as FastBuffer;
  const n = bytes.length;
  let first = 0;
  while (first < n && (bytes[first] < 0x80 || bytes[first] >= 0xa0)) first++;
  if (first === n) return buf.latin1Slice(0, n);
  if (!LITTLE_ENDIAN) return decodeAsRope(buf, first);
  const units = new Uint16Array(n);
  for (let i = 0; i < first; i++) units[i] = bytes[i];
  const table = WINDOWS_1252_TABLE;
  for (let i = first; i < n; i++) units[i] = table[bytes[i]];
  return (Buffer.from(units.buffer, 0, 2 * n) as FastBuffer).ucs2Slice(0, 2 * n);
}

/** Big-endian hosts: Latin-1 runs joined with the special characters. */
function decodeAsRope(buf: FastBuffer, first: number): string {
  const n = buf.length;
  const chars = WINDOWS_1252_CHARS;
  let out = '';
  let seg = 0;
  for (let i = first; i < n; i++) {
    const b = buf[i];
    if (b >= 0x80 && b < 0xa0) {
      out += seg < i ? buf.latin1Slice(seg, i) + chars[b] : chars[b];
      seg = i + 1;
    }
  }
  return out + buf.latin1Slice(seg, n);
}

/** Number of bytes at the end of `bytes` that start a multi-byte sequence not yet complete. */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1, k = 0; i >= 0 && k < 4; i--, k++) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return n - i < need ? n - i : 0;
  }
  return 0;
}

/** Offset of the first invalid UTF-8 sequence, or -1. Only used on the rare failing chunk. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** `a` then `b` (one of them when the other is empty, else a new array). */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

/** 1-based line of the byte just after `prefix`. */
function lineAt(prefix: Uint8Array): number {
  let n = 1;
  for (let i = prefix.indexOf(10); i >= 0; i = prefix.indexOf(10, i + 1)) n++;
  return n;
}

function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** Raised mid-stream; the CSV parser adds the line (see `withLine`). */
export class InvalidEncodingError extends TableReadError {
  readonly byteOffset: number;
  constructor(byteOffset: number, row?: number) {
    super(
      'invalid-encoding',
      row === undefined
        ? `Le fichier mélange plusieurs encodages : octet invalide en UTF-8 à la position ${byteOffset}. Enregistrez-le en UTF-8.`
        : `Le fichier mélange plusieurs encodages : caractère invalide en UTF-8 ligne ${row}. Enregistrez-le en UTF-8.`,
      row,
    );
    this.byteOffset = byteOffset;
  }
  withLine(row: number): InvalidEncodingError {
    return new InvalidEncodingError(this.byteOffset, row);
  }
}

/** UTF-16, which Excel's « Texte Unicode » writes (tab-separated, with a byte order mark). */
export type Utf16 = 'utf-16le' | 'utf-16be';

/**
 * A UTF-16 byte stream as UTF-8 bytes, for the readers that read those: decoded as it comes
 * (a character cut between two chunks waits for the next), its byte order mark dropped. An
 * unpaired surrogate or an odd last byte (decoded as U+FFFD, which a file read right never
 * holds) is an `invalid-encoding` error naming its line.
 */
export async function* utf16ToUtf8(source: AsyncIterable<Uint8Array>, encoding: Utf16): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder(encoding);
  let line = 1;
  /** The text so far ended with CR: an LF first in the next is the same line break. */
  let afterCr = false;
  const emit = (s: string): Uint8Array => {
    const bad = s.indexOf('\uFFFD');
    const end = bad < 0 ? s.length : bad;
    // Line breaks as CRLF, LF or CR alone (a quoted cell's break counts: the line of the text).
    for (let i = 0; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 13) line++;
      else if (c === 10 && !(i === 0 ? afterCr : s.charCodeAt(i - 1) === 13)) line++;
    }
    if (end > 0) afterCr = s.charCodeAt(end - 1) === 13;
    if (bad >= 0) {
      throw new TableReadError(
        'invalid-encoding',
        `Le fichier est encodé en UTF-16 (« Texte Unicode » d’Excel) mais un caractère y est illisible, ligne ${line} du texte : enregistrez-le en « CSV UTF-8 », puis déposez-le à nouveau.`,
        line,
      );
    }
    return Buffer.from(s, 'utf8');
  };
  for await (const chunk of source) {
    const s = decoder.decode(chunk, { stream: true });
    if (s.length) yield emit(s);
  }
  const last = decoder.decode();
  if (last.length) yield emit(last);
}

/** A run of validated bytes and how to read it (whole characters: no sequence is cut). */
export interface BytePiece {
  bytes: Uint8Array;
  encoding: TextEncoding;
}

export interface DecodedStream {
  /** Chosen encoding; may change from `utf-8` to `windows-1252` mid-stream (see module doc). */
  readonly encoding: TextEncoding;
  readonly bom: boolean;
  /** The text. Consume this or `pieces`, not both. */
  readonly chunks: AsyncIterable<string>;
  /** The same input as validated bytes, BOM removed, for readers that parse bytes. */
  readonly pieces: AsyncIterable<BytePiece>;
}

/**
 * Decode a byte stream to text chunks. Reads up to 64 KB before resolving (to choose the
 * encoding); the rest is decoded as it is consumed.
 */
export async function decodeStream(source: AsyncIterable<Uint8Array>): Promise<DecodedStream> {
  const it = source[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  let done = false;
  while (head.length < ENCODING_SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head = concat(head, r.value);
  }
  const bom = hasBom(head);
  if (bom) head = head.subarray(3);
  let encoding: TextEncoding = 'utf-8';
  if (!bom) {
    const checked = done ? head : head.subarray(0, head.length - incompleteUtf8Tail(head));
    if (!isUtf8(checked)) {
      const bad = firstInvalidUtf8(checked);
      const prefix = checked.subarray(0, bad);
      if (utf8(prefix).length !== prefix.length) throw new InvalidEncodingError(bad, lineAt(prefix));
      encoding = 'windows-1252';
    }
  }

  const state = { encoding };
  /** Validated pieces; the valid bytes before an invalid sequence are yielded before the error. */
  async function* pieces(): AsyncGenerator<BytePiece> {
    let offset = bom ? 3 : 0;
    let carry: Uint8Array = new Uint8Array(0);
    let asciiSoFar = !bom;
    let pending: Uint8Array | null = head;
    for (;;) {
      let data: Uint8Array;
      if (pending) {
        data = pending;
        pending = null;
      } else if (done) {
        break;
      } else {
        const r = await it.next();
        if (r.done) {
          done = true;
          if (carry.length === 0) break;
          data = new Uint8Array(0);
        } else data = r.value;
      }
      if (state.encoding === 'windows-1252') {
        const all = concat(carry, data);
        carry = new Uint8Array(0);
        if (all.length) yield { bytes: all, encoding: 'windows-1252' };
        offset += all.length;
        continue;
      }
      let all = concat(carry, data);
      const tail = done && pending === null ? 0 : incompleteUtf8Tail(all);
      // A copy: the pieces yielded may be moved to a worker thread (parallel.ts), which detaches their memory.
      carry = Uint8Array.prototype.slice.call(all, all.length - tail);
      all = all.subarray(0, all.length - tail);
      if (isUtf8(all)) {
        if (asciiSoFar && !isAscii(all)) asciiSoFar = false;
        if (all.length) yield { bytes: all, encoding: 'utf-8' };
        offset += all.length;
        continue;
      }
      const bad = firstInvalidUtf8(all);
      const prefix = all.subarray(0, bad);
      if (asciiSoFar && isAscii(prefix)) {
        state.encoding = 'windows-1252';
        const rest = concat(all, carry);
        carry = new Uint8Array(0);
        yield { bytes: rest, encoding: 'windows-1252' };
        offset += rest.length;
        continue;
      }
      if (prefix.length) yield { bytes: prefix, encoding: 'utf-8' };
      throw new InvalidEncodingError(offset + bad);
    }
  }

  async function* chunks(): AsyncGenerator<string> {
    for await (const piece of pieces()) yield piece.encoding === 'utf-8' ? utf8(piece.bytes) : decodeWindows1252(piece.bytes);
  }

  return {
    get encoding() {
      return state.encoding;
    },
    bom,
    chunks: chunks(),
    pieces: pieces(),
  };
}

/** Whole-buffer decoding with the same policy (JSON uploads). */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: TextEncoding; bom: boolean } {
  if (hasBom(bytes)) {
    const body = bytes.subarray(3);
    if (!isUtf8(body)) {
      const bad = firstInvalidUtf8(body);
      throw new InvalidEncodingError(3 + bad, lineAt(body.subarray(0, bad)));
    }
    return { text: utf8(body), encoding: 'utf-8', bom: true };
  }
  if (isUtf8(bytes)) return { text: utf8(bytes), encoding: 'utf-8', bom: false };
  const bad = firstInvalidUtf8(bytes);
  const prefix = bytes.subarray(0, bad);
  if (utf8(prefix).length !== prefix.length) throw new InvalidEncodingError(bad, lineAt(prefix));
  return { text: decodeWindows1252(bytes), encoding: 'windows-1252', bom: false };
}
