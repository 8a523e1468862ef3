/**
 * Patterns are run on every cell of every upload, and a custom schema's patterns are an
 * admin's input: `(a+)+b` takes hours on a cell of forty `a` in V8's backtracking engine,
 * and a standardize function stuck on it would be retried, then dead-lettered, while it
 * holds the function. Two V8 settings, set once in any process that compiles schema
 * patterns, bound that:
 * - `--enable-experimental-regexp-engine-on-excessive-backtracks`: a regex that backtracks
 *   too much is finished by V8's linear-time engine (same answer, in time linear in the cell);
 * - `--enable-experimental-regexp-engine`: the `l` flag, with which a pattern compiles only
 *   when that engine can run it (no back-reference, look-around or huge nested counted
 *   repetition: none is Table Schema's, an XML Schema regex). A custom pattern is accepted only
 *   so (linearTimeProblem), hence never left to backtracking alone.
 * Both are V8 flags Node.js sets at run time (`v8.setFlagsFromString`); they change no result.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** `\1`, `\k<nom>`, `(?=`, `(?!`, `(?<=`, `(?<!`: what no linear-time engine runs, and no Table Schema (XML Schema) pattern has. */
const BACKTRACKING_ONLY = /\\(?:[1-9]|k<)|\(\?<?[=!]/;

/**
 * null when a pattern (its anchored `source`, and as written) is safe to run on every cell,
 * else why not, in French. Safe: V8's linear-time engine can take over when it backtracks
 * too much (the `l` flag compiles), or, when that engine cannot run it (a counted repetition
 * over 16, `[A-Z0-9]{9,18}`), no repetition is nested in another, which alone makes
 * backtracking explode. Never safe: a back-reference or a look-around. Fails closed: a runtime
 * that ignored the flags (the `l` flag then unknown) refuses every pattern with a counted
 * repetition nested, and tests show it.
 */
export function linearTimeProblem(source: string, pattern = source): string | null {
  if (BACKTRACKING_ONLY.test(pattern)) {
    return 'motif qui ne se vérifie pas en un temps borné : ni référence arrière (\\1), ni assertion (?=…), (?!…), (?<=…) ; simplifiez-le';
  }
  try {
    new RegExp(source, 'l');
    return null;
  } catch {
    if (!hasNestedRepetition(pattern)) return null;
    return 'motif qui ne se vérifie pas en un temps borné : une répétition dans une autre répétition (ex. (?:\\d{1,3}){1,30}) ; simplifiez-le';
  }
}

/** Whether a quantifier (`*`, `+`, `{n,m}`, `?` aside) repeats a group that itself holds one. */
export function hasNestedRepetition(pattern: string): boolean {
  /** Per open group: whether it holds a quantifier. */
  const stack: boolean[] = [false];
  const quantifierAt = (i: number): { length: number; repeats: boolean } | null => {
    const c = pattern[i];
    if (c === '*' || c === '+') return { length: 1, repeats: true };
    if (c === '?') return { length: 1, repeats: false };
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m) return { length: m[0].length, repeats: m[2] === undefined ? Number(m[1]) > 1 : m[3] === '' || Number(m[3]) > 1 };
    }
    return null;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') {
      stack.push(false);
    } else if (c === ')') {
      const inner = stack.length > 1 ? stack.pop()! : false;
      const q = quantifierAt(i + 1);
      if (q && q.repeats && inner) return true;
      if (inner || q) stack[stack.length - 1] = true;
      if (q) i += q.length;
    } else {
      const q = quantifierAt(i);
      if (q) {
        stack[stack.length - 1] = true;
        i += q.length - 1;
      }
    }
  }
  return false;
}
