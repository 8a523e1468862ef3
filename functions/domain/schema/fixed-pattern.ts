/**
 * Schema patterns that only ever match a few fixed-length shapes (`^\d{14}$`, `^W\d{9}$`,
 * `[0-9]{5}`, `^[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?$`) run on every cell
 * of a column. Their lengths are known, so a value of another length (a SIRET typed with
 * spaces) is refused without running the RegExp; a short shape is checked with a char-code
 * loop, cheaper than a RegExp call; a long one is left to the RegExp, which scans faster.
 *
 * The subset understood: literal characters, identity escapes (`\-`, `\/`…), `\d`, ASCII
 * character classes without negation, groups with alternatives, and the quantifiers `?`,
 * `{n}` and `{n,m}`, as long as the pattern expands to at most MAX_SHAPES shapes. Anything
 * else (`*`, `+`, `.`, other escapes, lookarounds, non-ASCII classes) keeps the plain
 * RegExp. Like `anchoredPattern`, a shape must match the whole value.
 */
import { anchoredPattern } from './descriptor';

export interface PatternTest {
  test(s: string): boolean;
  /** `test(s)` for a value made of ASCII digits only (identifiers once their separators are stripped). */
  testDigits(s: string): boolean;
}

class RegExpPattern implements PatternTest {
  constructor(private readonly re: RegExp) {}

  test(s: string): boolean {
    return this.re.test(s);
  }

  testDigits(s: string): boolean {
    return this.re.test(s);
  }
}

const MAX_SHAPES = 16;
const MAX_SHAPE_LENGTH = 256;
/** Up to this length, shapes are matched in JavaScript rather than by the RegExp. */
const LOOP_MAX_LENGTH = 8;
/** Shape entry for `\d` / `[0-9]`; other classes are CLASS_BASE - index; literals are char codes (≥ 0). */
const DIGIT = -1;
const CLASS_BASE = -2;

type Shapes = number[][];

class Unsupported extends Error {}

class FixedPattern implements PatternTest {
  private readonly maxLength: number;
  /** lengthOk[n] is 1 when some shape has n characters. */
  private readonly lengthOk: Uint8Array;
  private readonly loop: boolean;
  /** Every shape is digits only: a digit string matches when its length does. */
  private readonly digitsOnly: boolean;

  constructor(
    private readonly shapes: readonly Int32Array[],
    private readonly classes: readonly Uint8Array[],
    private readonly re: RegExp,
  ) {
    this.maxLength = Math.max(...shapes.map((s) => s.length));
    this.lengthOk = new Uint8Array(this.maxLength + 1);
    for (const shape of shapes) this.lengthOk[shape.length] = 1;
    this.loop = this.maxLength <= LOOP_MAX_LENGTH;
    this.digitsOnly = shapes.every((shape) => shape.every((e) => e === DIGIT));
  }

  testDigits(s: string): boolean {
    if (!this.digitsOnly) return this.test(s);
    const len = s.length;
    return len <= this.maxLength && this.lengthOk[len] === 1;
  }

  test(s: string): boolean {
    const len = s.length;
    if (len > this.maxLength || this.lengthOk[len] === 0) return false;
    if (!this.loop) return this.re.test(s);
    const shapes = this.shapes;
    for (let k = 0; k < shapes.length; k++) {
      const shape = shapes[k];
      if (shape.length === len && this.matches(shape, s)) return true;
    }
    return false;
  }

  private matches(shape: Int32Array, s: string): boolean {
    for (let i = 0; i < shape.length; i++) {
      const c = s.charCodeAt(i);
      const e = shape[i];
      if (e >= 0) {
        if (c !== e) return false;
      } else if (e === DIGIT) {
        if (c < 48 || c > 57) return false;
      } else if (c > 127 || this.classes[CLASS_BASE - e][c] === 0) return false;
    }
    return true;
  }
}

/** The test of a schema pattern (as written, anchored or not) against a whole value: the same answers as `anchoredPattern(source)`. */
export function compilePattern(source: string): PatternTest {
  const re = anchoredPattern(source);
  try {
    return new Parser(source, re).parse();
  } catch (e) {
    if (e instanceof Unsupported) return new RegExpPattern(re);
    throw e;
  }
}

function isAlphanumeric(c: string): boolean {
  return /^[A-Za-z0-9_]$/.test(c);
}

function cross(a: Shapes, b: Shapes): Shapes {
  if (a.length * b.length > MAX_SHAPES) throw new Unsupported();
  const out: Shapes = [];
  for (const x of a) {
    for (const y of b) {
      if (x.length + y.length > MAX_SHAPE_LENGTH) throw new Unsupported();
      out.push([...x, ...y]);
    }
  }
  return out;
}

function union(a: Shapes, b: Shapes): Shapes {
  const out = [...a];
  for (const y of b) if (!out.some((x) => x.length === y.length && x.every((v, i) => v === y[i]))) out.push(y);
  if (out.length > MAX_SHAPES) throw new Unsupported();
  return out;
}

class Parser {
  private pos = 0;
  private readonly end: number;
  private readonly classes: Uint8Array[] = [];

  constructor(
    private readonly src: string,
    private readonly re: RegExp,
  ) {
    let start = 0;
    let end = src.length;
    // `^…$` around the whole pattern are redundant with the anchoring; elsewhere they are unsupported.
    if (src.startsWith('^')) start = 1;
    if (end > start && src[end - 1] === '$') {
      let backslashes = 0;
      for (let i = end - 2; i >= start && src[i] === '\\'; i--) backslashes++;
      if (backslashes % 2 === 0) end--;
    }
    this.pos = start;
    this.end = end;
  }

  parse(): PatternTest {
    const shapes = this.alternatives();
    if (this.pos !== this.end) throw new Unsupported();
    return new FixedPattern(
      shapes.map((s) => Int32Array.from(s)),
      this.classes,
      this.re,
    );
  }

  private alternatives(): Shapes {
    let shapes = this.sequence();
    while (this.pos < this.end && this.src[this.pos] === '|') {
      this.pos++;
      shapes = union(shapes, this.sequence());
    }
    return shapes;
  }

  private sequence(): Shapes {
    let shapes: Shapes = [[]];
    while (this.pos < this.end && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      shapes = cross(shapes, this.quantified(this.item()));
    }
    return shapes;
  }

  private item(): Shapes {
    const c = this.src[this.pos++];
    switch (c) {
      case '(': {
        if (this.src[this.pos] === '?') {
          if (this.src[this.pos + 1] !== ':') throw new Unsupported();
          this.pos += 2;
        }
        const inner = this.alternatives();
        if (this.pos >= this.end || this.src[this.pos] !== ')') throw new Unsupported();
        this.pos++;
        return inner;
      }
      case '[':
        return [[this.characterClass()]];
      case '\\':
        return [[this.escape()]];
      case '^':
      case '$':
      case '.':
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        throw new Unsupported();
      default:
        return [[c.charCodeAt(0)]];
    }
  }

  /** `\d`, or an identity escape of a punctuation character. */
  private escape(): number {
    if (this.pos >= this.end) throw new Unsupported();
    const c = this.src[this.pos++];
    if (c === 'd') return DIGIT;
    if (isAlphanumeric(c) || c.charCodeAt(0) > 127 || c === '\n' || c === '\r') throw new Unsupported();
    return c.charCodeAt(0);
  }

  private characterClass(): number {
    const set = new Uint8Array(128);
    if (this.src[this.pos] === '^') throw new Unsupported();
    let first = true;
    for (;;) {
      if (this.pos >= this.end) throw new Unsupported();
      let c = this.src[this.pos++];
      if (c === ']' && !first) break;
      if (c === ']') throw new Unsupported();
      first = false;
      let lo: number;
      if (c === '\\') {
        const e = this.escape();
        if (e === DIGIT) {
          for (let k = 48; k <= 57; k++) set[k] = 1;
          continue;
        }
        lo = e;
      } else if (c === '[') throw new Unsupported();
      else lo = c.charCodeAt(0);
      let hi = lo;
      if (this.src[this.pos] === '-' && this.pos + 1 < this.end && this.src[this.pos + 1] !== ']') {
        this.pos++;
        c = this.src[this.pos++];
        if (c === '\\') {
          hi = this.escape();
          if (hi === DIGIT) throw new Unsupported();
        } else if (c === '[') throw new Unsupported();
        else hi = c.charCodeAt(0);
        if (hi < lo) throw new Unsupported();
      }
      if (hi > 127) throw new Unsupported();
      for (let k = lo; k <= hi; k++) set[k] = 1;
    }
    const members: number[] = [];
    for (let k = 0; k < 128; k++) if (set[k] === 1) members.push(k);
    if (members.length === 1) return members[0];
    if (members.length === 10 && members[0] === 48 && members[9] === 57) return DIGIT;
    this.classes.push(set);
    return CLASS_BASE - (this.classes.length - 1);
  }

  private quantified(item: Shapes): Shapes {
    if (this.pos >= this.end) return item;
    const c = this.src[this.pos];
    let min: number;
    let max: number;
    if (c === '?') {
      this.pos++;
      min = 0;
      max = 1;
    } else if (c === '{') {
      const m = /^\{(\d{1,3})(?:,(\d{1,3}))?\}/.exec(this.src.slice(this.pos, this.end));
      if (m === null) throw new Unsupported();
      this.pos += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : Number(m[2]);
      if (max < min) throw new Unsupported();
    } else if (c === '*' || c === '+') {
      throw new Unsupported();
    } else return item;
    // A lazy or possessive-looking suffix changes nothing for a whole-value test, but keep it simple.
    if (this.pos < this.end && (this.src[this.pos] === '?' || this.src[this.pos] === '+' || this.src[this.pos] === '*' || this.src[this.pos] === '{')) {
      throw new Unsupported();
    }
    let repeated: Shapes = [[]];
    for (let k = 0; k < min; k++) repeated = cross(repeated, item);
    let all = repeated;
    for (let k = min; k < max; k++) {
      repeated = cross(repeated, item);
      all = union(all, repeated);
    }
    return all;
  }
}
