import type { TableSchemaDescriptor } from '../schema/types';
import { bal14, bal15 } from './builtin/bal';
import { catalogue } from './builtin/catalogue';
import { decp, decp202 } from './builtin/decp';
import { deliberations } from './builtin/deliberations';
import { equipements } from './builtin/equipements';
import { prenoms } from './builtin/prenoms';
import { subventions } from './builtin/subventions';

/**
 * The SCDL schemas every tenant can use, written in this project from the published
 * specifications. Several versions of one id may coexist; the first listed is current.
 */
export const builtinSchemas: TableSchemaDescriptor[] = [
  deliberations,
  subventions,
  decp,
  decp202,
  equipements,
  bal15,
  bal14,
  prenoms,
  catalogue,
];

/** Official versions are sometimes written `v1.5.0`; `1.5`, `v1.5` and `1.5.0` all name BAL 1.5. */
function normalizeVersion(version: string): string {
  return version.trim().replace(/^v/i, '').replace(/(\.0)+$/, '');
}

/** The built-in schema `id`, at `version` when given (else the current one); undefined when unknown. */
export function getBuiltinSchema(id: string, version?: string): TableSchemaDescriptor | undefined {
  const candidates = builtinSchemas.filter((schema) => schema.id === id);
  if (version === undefined) return candidates[0];
  const wanted = normalizeVersion(version);
  return candidates.find((schema) => normalizeVersion(schema.version) === wanted);
}
