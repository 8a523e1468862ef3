import type { TableSchemaDescriptor } from '../schema/types';
import { builtinSchemas, getBuiltinSchema } from '../schemas/registry';

/** Looks up a registered (custom) schema; injected so the domain stays free of storage. */
export type CustomSchemaLookup = (id: string) => Promise<TableSchemaDescriptor | undefined>;

/** A schema id is either built in or registered; built-in ids cannot be shadowed. */
export async function resolveSchema(id: string, custom: CustomSchemaLookup, version?: string): Promise<TableSchemaDescriptor | undefined> {
  return getBuiltinSchema(id, version) ?? (await custom(id));
}

export function isBuiltinId(id: string): boolean {
  return builtinSchemas.some((s) => s.id === id);
}

/** A tenant without an explicit list may use every schema. */
export function schemaEnabled(enabledSchemas: string[] | undefined, id: string): boolean {
  return id === 'none' || enabledSchemas === undefined || enabledSchemas.includes(id);
}
