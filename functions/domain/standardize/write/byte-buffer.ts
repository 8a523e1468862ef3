/**
 * A growable byte buffer that writers fill directly with UTF-8: no row string is built,
 * concatenated, flattened and then encoded. Strings are encoded by a charCode loop (most
 * cells are short: a native call per cell costs more than the loop); JSON strings and CSV
 * cells are escaped in the same pass.
 *
 * Encoding is exactly Node's `Buffer.from(s, 'utf8')`: a lone surrogate becomes U+FFFD
 * (EF BF BD). JSON escaping is exactly `JSON.stringify`'s (ES2019 well-formed: lone
 * surrogates as `\udxxx`, lowercase hex).
 */

import { MAX_DIGITS, POW10, shortDecimals } from '../../schema/number-text';
import { WINDOWS_1252_TABLE } from '../read/decode';

const HEX = '0123456789abcdef';
const QUOTE = 34;
const BACKSLASH = 92;
const CR = 13;
const LF = 10;
const MINUS = 45;
const DOT = 46;
const MAX_SAFE = 2 ** 53;
/** Digits of an integer below 2^53: up to 16. */
const INT_POW10 = Array.from({ length: 18 }, (_, k) => 10 ** k);
/** Above this many UTF-16 units, Node's native encoder beats the loop. */
const NATIVE_UTF8_FROM = 256;
/** Up to this many bytes, a loop copies faster than a view and a native set. */
const SHORT_COPY = 48;

/** Windows-1252 byte → its UTF-8 bytes (up to 3, at 3 × byte) and their count. */
const CP1252_UTF8 = new Uint8Array(256 * 3);
const CP1252_UTF8_LENGTH = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const bytes = Buffer.from(String.fromCharCode(WINDOWS_1252_TABLE[b]), 'utf8');
  CP1252_UTF8.set(bytes, 3 * b);
  CP1252_UTF8_LENGTH[b] = bytes.length;
}

/** The UTF-8 bytes of Windows-1252 byte `c` (≥ 0x80) at `p`; returns the new position. */
function putWindows1252(c: number, out: Uint8Array, p: number): number {
  const at = 3 * c;
  out[p++] = CP1252_UTF8[at];
  out[p++] = CP1252_UTF8[at + 1];
  if (CP1252_UTF8_LENGTH[c] === 3) out[p++] = CP1252_UTF8[at + 2];
  return p;
}

/** First bytes that make a text cell a formula (see csv-writer.ts): left to the string path. */
const FORMULA_START = new Uint8Array(128);
for (const c of '=+-@\t\r') FORMULA_START[c.charCodeAt(0)] = 1;

type NativeBuffer = Buffer & { utf8Write(s: string, offset: number, length: number): number };

/** JSON.stringify's short escapes for control characters (0 = use \u00XX). */
const SHORT_ESCAPES = (() => {
  const t = new Uint8Array(32);
  t[8] = 98; // \b
  t[9] = 116; // \t
  t[10] = 110; // \n
  t[12] = 102; // \f
  t[13] = 114; // \r
  return t;
})();

export class ByteBuffer {
  buf: NativeBuffer;
  pos = 0;

  /** `memory`: where to write (reused memory), when it holds `capacity` bytes. */
  constructor(capacity = 64 * 1024, memory?: Buffer) {
    this.buf = (memory && memory.length >= capacity ? memory : Buffer.allocUnsafeSlow(capacity)) as NativeBuffer;
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n)) as NativeBuffer;
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** Hands over the bytes written so far and goes on, empty, in `next` (memory the caller reuses). */
  exchange(next: Buffer): Buffer {
    const full = this.buf.subarray(0, this.pos);
    this.buf = next as NativeBuffer;
    this.pos = 0;
    return full;
  }

  toString(): string {
    return this.buf.toString('utf8', 0, this.pos);
  }

  /** Pre-encoded bytes (keys, separators). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n);
    const out = this.buf;
    let p = this.pos;
    if (n > 32) {
      out.set(b, p);
      p += n;
    } else for (let i = 0; i < n; i++) out[p++] = b[i];
    this.pos = p;
  }

  /** Bytes [start, end) of `src` (not this buffer). */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    if (n <= SHORT_COPY) {
      const out = this.buf;
      let p = this.pos;
      for (let i = start; i < end; i++) out[p++] = src[i];
      this.pos = p;
      return;
    }
    // A plain view: Buffer#subarray goes through the Buffer constructor, several times slower.
    this.buf.set(new Uint8Array(src.buffer, src.byteOffset + start, n), this.pos);
    this.pos += n;
  }

  /** Bytes [start, end) of `src` as a JSON string, quotes included, when none needs escaping (a clean UTF-8 record's cell). */
  jsonCopy(src: Uint8Array, start: number, end: number): void {
    this.reserve(end - start + 2);
    this.buf[this.pos++] = QUOTE;
    this.copy(src, start, end);
    this.buf[this.pos++] = QUOTE;
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.pos++] = c;
  }

  /**
   * `String(v)`'s text for a finite number, written digit by digit for integers below 2^53
   * and decimals of at most 15 significant digits (schema/number-text.ts › shortDecimals),
   * through `String` otherwise: no string per amount.
   */
  number(v: number): void {
    this.reserve(24);
    const a = v < 0 ? -v : v;
    if (Number.isInteger(a) && a < MAX_SAFE) {
      if (v < 0) this.buf[this.pos++] = MINUS;
      this.digits(a, 0);
      return;
    }
    const k = shortDecimals(a);
    if (k < 0) {
      this.utf8(String(v));
      return;
    }
    const p = POW10[k];
    const r = Math.round(a * p);
    const int = Math.floor(r / p);
    if (v < 0) this.buf[this.pos++] = MINUS;
    this.digits(int, 0);
    this.buf[this.pos++] = DOT;
    this.digits(r - int * p, k);
  }

  /** The decimal digits of integer `n` ≥ 0, left-padded with zeros to `width`. */
  private digits(n: number, width: number): void {
    let len = 1;
    while (len < MAX_DIGITS + 2 && INT_POW10[len] <= n) len++;
    if (len < width) len = width;
    const out = this.buf;
    let p = this.pos + len;
    this.pos = p;
    for (let i = 0; i < len; i++) {
      const q = Math.floor(n / 10);
      out[--p] = 48 + (n - q * 10);
      n = q;
    }
  }

  /** `s` as UTF-8, unescaped. */
  utf8(s: string): void {
    const n = s.length;
    this.reserve(3 * n);
    if (n >= NATIVE_UTF8_FROM) {
      this.pos += this.buf.utf8Write(s, this.pos, 3 * n);
      return;
    }
    const out = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) out[p++] = c;
      else {
        p = encodeWide(s, i, c, out, p);
        if (c >= 0xd800 && c <= 0xdbff && isLow(s.charCodeAt(i + 1))) i++;
      }
    }
    this.pos = p;
  }

  /** `s` as a JSON string literal, quotes included: the bytes of `JSON.stringify(s)`. */
  jsonString(s: string): void {
    const n = s.length;
    // Worst case: every unit a \u00XX (6 bytes), plus quotes.
    this.reserve(6 * n + 2);
    const out = this.buf;
    let p = this.pos;
    out[p++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) out[p++] = c;
        else p = escapeAscii(c, out, p);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const next = s.charCodeAt(i + 1);
        if (c <= 0xdbff && isLow(next)) {
          p = encodeWide(s, i, c, out, p);
          i++;
        } else p = unicodeEscape(c, out, p);
      } else p = encodeWide(s, i, c, out, p);
    }
    out[p++] = QUOTE;
    this.pos = p;
  }

  /**
   * `s` as one CSV cell: quoted (quotes doubled) when it holds the delimiter, a quote, CR
   * or LF. The cell is written unquoted while scanning; the rare cell that needs quotes is
   * written again.
   */
  csvCell(s: string, delimiter: number): void {
    const start = this.pos;
    const n = s.length;
    this.reserve(3 * n);
    const out = this.buf;
    let p = start;
    let special = false;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c === delimiter || c === QUOTE || c === CR || c === LF) special = true;
        out[p++] = c;
      } else {
        p = encodeWide(s, i, c, out, p);
        if (c >= 0xd800 && c <= 0xdbff && isLow(s.charCodeAt(i + 1))) i++;
      }
    }
    this.pos = p;
    if (!special) return;
    this.pos = start;
    this.byte(QUOTE);
    let seg = 0;
    for (let q = s.indexOf('"'); q >= 0; q = s.indexOf('"', q + 1)) {
      this.utf8(s.slice(seg, q + 1));
      this.byte(QUOTE);
      seg = q + 1;
    }
    this.utf8(seg === 0 ? s : s.slice(seg));
    this.byte(QUOTE);
  }

  /**
   * Source bytes [start, end) of a cell left unchanged (UTF-8 or Windows-1252) as one CSV
   * cell, when it needs neither quotes nor formula neutralisation; false (nothing written)
   * otherwise: the caller writes the string instead.
   */
  csvRaw(src: Uint8Array, start: number, end: number, delimiter: number, win1252: boolean): boolean {
    if (end > start && src[start] < 0x80 && FORMULA_START[src[start]] === 1) return false;
    this.reserve(3 * (end - start));
    const out = this.buf;
    let p = this.pos;
    for (let i = start; i < end; i++) {
      const c = src[i];
      if (c < 0x80) {
        if (c === delimiter || c === QUOTE || c === CR || c === LF) return false;
        out[p++] = c;
      } else if (win1252) p = putWindows1252(c, out, p);
      else out[p++] = c;
    }
    this.pos = p;
    return true;
  }

  /** The same for a JSON string (quotes included): false when a character needs escaping. */
  jsonRaw(src: Uint8Array, start: number, end: number, win1252: boolean): boolean {
    this.reserve(3 * (end - start) + 2);
    const out = this.buf;
    let p = this.pos;
    out[p++] = QUOTE;
    for (let i = start; i < end; i++) {
      const c = src[i];
      if (c < 0x80) {
        if (c < 0x20 || c === QUOTE || c === BACKSLASH) return false;
        out[p++] = c;
      } else if (win1252) p = putWindows1252(c, out, p);
      else out[p++] = c;
    }
    out[p++] = QUOTE;
    this.pos = p;
    return true;
  }
}

const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Encodes the non-ASCII unit `c` at `s[i]` (with its low surrogate when paired); returns the new position. */
function encodeWide(s: string, i: number, c: number, out: Uint8Array, p: number): number {
  if (c < 0x800) {
    out[p++] = 0xc0 | (c >> 6);
    out[p++] = 0x80 | (c & 0x3f);
    return p;
  }
  if (c >= 0xd800 && c <= 0xdfff) {
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && isLow(next)) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      out[p++] = 0xf0 | (cp >> 18);
      out[p++] = 0x80 | ((cp >> 12) & 0x3f);
      out[p++] = 0x80 | ((cp >> 6) & 0x3f);
      out[p++] = 0x80 | (cp & 0x3f);
      return p;
    }
    c = 0xfffd;
  }
  out[p++] = 0xe0 | (c >> 12);
  out[p++] = 0x80 | ((c >> 6) & 0x3f);
  out[p++] = 0x80 | (c & 0x3f);
  return p;
}

function escapeAscii(c: number, out: Uint8Array, p: number): number {
  out[p++] = BACKSLASH;
  if (c === QUOTE || c === BACKSLASH) {
    out[p++] = c;
    return p;
  }
  const short = SHORT_ESCAPES[c];
  if (short) {
    out[p++] = short;
    return p;
  }
  p--;
  return unicodeEscape(c, out, p);
}

function unicodeEscape(c: number, out: Uint8Array, p: number): number {
  out[p++] = BACKSLASH;
  out[p++] = 117; // u
  out[p++] = HEX.charCodeAt((c >> 12) & 15);
  out[p++] = HEX.charCodeAt((c >> 8) & 15);
  out[p++] = HEX.charCodeAt((c >> 4) & 15);
  out[p++] = HEX.charCodeAt(c & 15);
  return p;
}
