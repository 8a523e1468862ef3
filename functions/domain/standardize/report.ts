import type { FieldHelp, ValidationIssue } from '../schema/types';
import type { TableStats } from './column-stats';

/** Detail is kept for this many issues; every issue is counted. */
export const MAX_REPORTED_ISSUES = 1000;

export interface Report {
  valid: boolean;
  schema: { id: string; version?: string; title?: string } | null;
  file: { format?: string; encoding?: string; delimiter?: string; bytes: number; sha256?: string };
  rowCount: number;
  errorCount: number;
  warningCount: number;
  /** Counts per issue code, over all issues (not just the detailed ones). */
  codes: Record<string, number>;
  /** The first MAX_REPORTED_ISSUES issues. */
  issues: ValidationIssue[];
  truncated: boolean;
  /** One French sentence for the publisher. */
  summary: string;
  /**
   * For each schema column named by an issue in the detail: what the schema says of it
   * (title, description, an example that passes), so that the publisher knows what to write.
   */
  columns?: Record<string, FieldHelp>;
  /** A file published: its columns as published (filled cells, distinct values, ranges, totals). */
  stats?: TableStats;
}

/** The schema's help for the columns the detailed issues name (none when no column has help). */
export function columnHelp(issues: readonly ValidationIssue[], help: (name: string) => FieldHelp | undefined): Record<string, FieldHelp> | undefined {
  const out: Record<string, FieldHelp> = {};
  let any = false;
  for (const issue of issues) {
    const name = issue.column;
    if (name === undefined || name in out) continue;
    const h = help(name);
    if (h === undefined || Object.keys(h).length === 0) continue;
    out[name] = h;
    any = true;
  }
  return any ? out : undefined;
}

/** Collects issues with a cap on detail, and counts all of them. */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];
  readonly codes: Record<string, number> = {};
  errorCount = 0;
  warningCount = 0;

  constructor(private readonly cap = MAX_REPORTED_ISSUES) {}

  add(issue: ValidationIssue): void {
    if (issue.severity === 'error') this.errorCount++;
    else this.warningCount++;
    this.codes[issue.code] = (this.codes[issue.code] ?? 0) + 1;
    if (this.issues.length < this.cap) this.issues.push(issue);
  }

  addAll(issues: readonly ValidationIssue[]): void {
    for (let i = 0; i < issues.length; i++) this.add(issues[i]);
  }

  /** Adds another collector's findings after these: its detail up to the cap, all its counts. */
  merge(part: { issues: readonly ValidationIssue[]; codes: Record<string, number>; errorCount: number; warningCount: number }): void {
    for (let i = 0; i < part.issues.length && this.issues.length < this.cap; i++) this.issues.push(part.issues[i]);
    for (const [code, n] of Object.entries(part.codes)) this.codes[code] = (this.codes[code] ?? 0) + n;
    this.errorCount += part.errorCount;
    this.warningCount += part.warningCount;
  }

  get total(): number {
    return this.errorCount + this.warningCount;
  }
}

/**
 * A count as French writes it, digits grouped by three with a narrow no-break space: what
 * `toLocaleString('fr-FR')` writes, without loading the locale data (~40 ms, once per cold start).
 */
export function frenchCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = digits.slice(Math.max(0, end - 3), end) + (out ? '\u202f' + out : '');
  return (n < 0 ? '-' : '') + out;
}

/** `1 ligne`, `2 lignes`, `1 000 lignes`. */
export function plural(n: number, one: string, many: string): string {
  return `${frenchCount(n)} ${n > 1 ? many : one}`;
}

export function summarize(valid: boolean, rowCount: number, errors: number, warnings: number): string {
  const warn = warnings ? ` (${plural(warnings, 'avertissement', 'avertissements')})` : '';
  if (valid) return `Fichier conforme : ${plural(rowCount, 'ligne publiée', 'lignes publiées')}${warn}.`;
  const kept = 'Rien n’a été publié ; la version précédente, s’il y en a une, reste en ligne.';
  if (rowCount === 0) return `Fichier refusé : il n’a pas pu être lu (voir ci-dessous). ${kept}`;
  return `Fichier refusé : ${plural(errors, 'erreur', 'erreurs')} à corriger (fichier de ${plural(rowCount, 'ligne', 'lignes')})${warn}. ${kept}`;
}
