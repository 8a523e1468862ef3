/**
 * Whether a file is the tenant's own. The SCDL tables name the collectivité they are of
 * (délibérations' COLL_SIRET, subventions' idAttribuant, a BAL's commune_insee): a commune
 * that uploads its neighbour's BAL, or a file sent to the wrong account, publishes under its
 * own name data that is not. When none of the first records names the tenant, one warning
 * says so; it does not refuse, since an intercommunalité or a département may publish for
 * others.
 */
import type { ValidationIssue } from '../schema/types';
import type { TableSchemaDescriptor } from '../schema/types';

/** The column naming the collectivité, by schema id, and what it holds. */
const IDENTITY: Record<string, { column: string; kind: 'siret' | 'insee' }> = {
  'scdl/deliberations': { column: 'COLL_SIRET', kind: 'siret' },
  'scdl/subventions': { column: 'idAttribuant', kind: 'siret' },
  'scdl/equipements': { column: 'COLL_SIRET', kind: 'siret' },
  'scdl/catalogue': { column: 'COLL_SIRET', kind: 'siret' },
  'scdl/prenoms': { column: 'COLL_INSEE', kind: 'insee' },
  bal: { column: 'commune_insee', kind: 'insee' },
};

export interface PublisherIdentity {
  name: string;
  siren: string;
  inseeCode?: string;
}

/**
 * The `other-publisher` warning, when the column naming the collectivité holds values in the
 * records given (the first ones of the published `data.csv`) and none is the tenant's (its
 * SIREN, the first 9 digits of a SIRET; or its INSEE code). Undefined otherwise, or when the
 * schema names no collectivité, or the tenant has no INSEE code to compare.
 */
export function otherPublisherIssue(
  schema: Pick<TableSchemaDescriptor, 'id'> | null,
  header: readonly (string | null)[],
  rows: readonly (readonly (string | null)[])[],
  tenant: PublisherIdentity,
): ValidationIssue | undefined {
  const identity = schema ? IDENTITY[schema.id] : undefined;
  if (!identity) return undefined;
  const at = header.indexOf(identity.column);
  const own = identity.kind === 'siret' ? tenant.siren : tenant.inseeCode;
  if (at < 0 || !own) return undefined;
  const seen = new Set<string>();
  for (const cells of rows) {
    const value = (cells[at] ?? '').trim();
    if (value !== '') seen.add(value);
  }
  if (seen.size === 0) return undefined;
  const ours = (v: string): boolean => (identity.kind === 'siret' ? v.slice(0, 9) === own : v === own);
  if ([...seen].some(ours)) return undefined;
  const value = [...seen][0];
  const theirs = identity.kind === 'siret' ? `${value} (SIREN ${value.slice(0, 9)})` : value;
  const account = identity.kind === 'siret' ? `SIREN ${own}` : `code INSEE ${own}`;
  return {
    code: 'other-publisher',
    severity: 'warning',
    column: identity.column,
    value,
    message: `Ce fichier semble être celui d’une autre collectivité : la colonne « ${identity.column} » vaut ${theirs}, alors que le compte est celui de ${tenant.name} (${account}). Vérifiez que c’est bien votre fichier ; une intercommunalité ou un département qui publie pour d’autres peut ignorer ce message.`,
  };
}
