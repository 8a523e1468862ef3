/**
 * The order of a schema's version numbers, as people read them: `1.10.0` after `1.9.2`,
 * `2.0` equal in rank to `2.0.0`, a pre-release (`2.0.0-rc.1`) before its release. A
 * registered schema's current version is its highest, whatever order the versions were
 * registered in (a fix to an older line does not take over).
 */

const PART_DIGITS = 12;
/** Between numeric parts: sorts after the release mark (`2.0.0.1` after `2.0.0`). */
const PART_SEPARATOR = '/';
/** Ends a release: after `-` (a pre-release, `2.0.0-rc.1` before `2.0.0`), before a further part. */
const RELEASE = '.';
/** After a release's mark, for a suffix that is no pre-release (`1.0.0 (corrigé)` after `1.0.0`). */
const AFTER_RELEASE = '~';

/** The numbers in a label, zero-padded, so that `rc.10` sorts after `rc.2`. */
const paddedNumbers = (label: string): string => label.replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(PART_DIGITS, '0'));

/**
 * A string that sorts as the version does (plain string comparison, as DynamoDB's condition
 * expressions compare): three or more numeric parts, zero-padded, then the pre-release label
 * (its numbers padded too) or the release mark and any other suffix. A leading `v` is ignored.
 */
export function versionOrder(version: string): string {
  const v = version.trim().replace(/^v(?=\d)/i, '');
  const match = /^(\d+(?:\.\d+)*)(.*)$/.exec(v);
  const numbers = match ? match[1].split('.') : [];
  const rest = match ? match[2] : v;
  while (numbers.length < 3) numbers.push('0');
  const padded = numbers.map((n) => n.replace(/^0+(?=\d)/, '').padStart(PART_DIGITS, '0')).join(PART_SEPARATOR);
  // `1.0.0+build` is the release 1.0.0 (semver: build metadata does not rank).
  const label = rest.replace(/\+.*$/, '');
  // No number at all (`brouillon`): before every release, apart from another such.
  if (match === null) return padded + `-${paddedNumbers(label)}`;
  // `-rc.2` before the release, its numbers as numbers (`rc.10` after `rc.2`); any other
  // suffix (`1.0.0 (corrigé)`) after the release it names.
  if (label === '') return padded + RELEASE;
  return label.startsWith('-') ? padded + paddedNumbers(label) : padded + RELEASE + AFTER_RELEASE + paddedNumbers(label);
}

/** Negative when `a` comes before `b`. */
export function compareVersions(a: string, b: string): number {
  const x = versionOrder(a);
  const y = versionOrder(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
