/**
 * What a Validata custom check is to the engine: a params schema (validated when the
 * descriptor is parsed), the columns it reads (which must be schema fields), and a factory
 * that closes over the columns' positions and returns a per-row function.
 */
import type { z } from 'zod';
import type { Severity, ValidationIssue, Value } from '../types';

/**
 * Checks a row's typed values. A check may write a value it accepts in the spelling its
 * official validator requires (nomenclature-actes-value: the subject as the nomenclature
 * writes it), since the values are what is published.
 */
export type RowCheck = (values: Value[], row: number, issues: ValidationIssue[]) => void;

export interface CheckContext {
  /** Position of a schema field in the values array (the descriptor parser guarantees it exists). */
  index(field: string): number;
  /** Whether the schema has the field: for a check that also reads a column its params do not name. */
  has(field: string): boolean;
}

export interface CustomCheck<P = unknown> {
  /** Name as written in `custom_checks` (e.g. `french-siret-value`). */
  name: string;
  /** Stable issue code. */
  code: string;
  params: z.ZodType<P>;
  columns(params: P): string[];
  create(params: P, ctx: CheckContext): RowCheck;
}

export function defineCheck<P>(c: CustomCheck<P>): CustomCheck<P> {
  return c;
}

export function issue(code: string, row: number, column: string, value: Value, message: string, severity: Severity = 'error'): ValidationIssue {
  return { code, severity, row, column, value: value === null ? undefined : String(value), message };
}
