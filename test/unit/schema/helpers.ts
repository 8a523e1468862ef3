import { compileSchema, type RowValidator } from '../../../functions/domain/schema/compile';
import { parseSchemaDescriptor } from '../../../functions/domain/schema/descriptor';
import type { FieldDescriptor, TableSchemaDescriptor, ValidationIssue, Value } from '../../../functions/domain/schema/types';

export function schemaOf(fields: FieldDescriptor[], extra: Partial<TableSchemaDescriptor> = {}): TableSchemaDescriptor {
  return parseSchemaDescriptor({ id: 'test', version: '1.0.0', title: 'Test', fields, ...extra });
}

/** Binds the schema to its own field names. */
export function validatorFor(fields: FieldDescriptor[], extra: Partial<TableSchemaDescriptor> = {}): RowValidator {
  const s = compileSchema(schemaOf(fields, extra));
  return s.bind(s.fieldNames as string[]).validator;
}

/** Value and issue codes of a one-field schema for one cell. */
export function one(field: FieldDescriptor, cell: string | null): { value: Value; codes: string[]; issues: readonly ValidationIssue[] } {
  const r = validatorFor([field]).validate([cell], 2);
  return { value: r.values[0], codes: r.issues.map((i) => i.code), issues: r.issues };
}

/** mulberry32, for generated inputs that are the same on every run (the benchmark's generator). */
export { prng } from '../../../bench/generate';
