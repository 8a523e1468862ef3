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

/**
 * null when the anchored `source` can run in V8's linear-time engine, else why not, in French.
 * `source` must compile as a plain RegExp (checked before). Fails closed: a runtime that
 * ignored the flags (the `l` flag then unknown) refuses every pattern, which tests show.
 */
export function linearTimeProblem(source: string): string | null {
  try {
    new RegExp(source, 'l');
    return null;
  } catch {
    return 'motif qui ne se vérifie pas en un temps borné : sans référence arrière (\\1), ni assertion (?=…), (?!…), (?<=…), ni répétition comptée imbriquée de grande taille (ex. (?:\\d{3}){1,1000}) ; simplifiez-le';
  }
}
