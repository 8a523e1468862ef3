import type { Route } from '../../lib/routes';
import { bearerToken, hashToken, sameHash } from '../domain/auth/token';
import type { KeyStore, Role, TenantStore } from '../store/ports';
import { forbidden, unauthorized } from './errors';

export interface Identity {
  role: Role;
  /** The publisher's tenant; undefined for admins. */
  tenantId?: string;
  keyId?: string;
}

export interface AuthDeps {
  keys: KeyStore;
  tenants: TenantStore;
  adminTokenHash: () => Promise<string | undefined>;
  now: () => string;
}

/**
 * Resolves the caller of a route and enforces its `auth` rule. Public routes need no token;
 * admin routes an admin token; publisher routes an admin token or a publisher token of the
 * tenant in the path, whose tenant is active.
 */
export async function authorize(
  route: Route,
  pathParameters: Record<string, string>,
  authorization: string | undefined,
  deps: AuthDeps,
): Promise<Identity | null> {
  if (route.auth === 'public') return null;
  const token = bearerToken(authorization);
  if (!token) throw unauthorized(missingBearer(authorization));
  const hash = hashToken(token);

  const adminHash = await deps.adminTokenHash();
  if (adminHash && sameHash(hash, adminHash)) return { role: 'admin' };

  const key = await deps.keys.findByHash(hash);
  if (!key) throw unauthorized('Jeton inconnu.');
  if (key.revokedAt) throw unauthorized('Ce jeton a été révoqué.');
  await deps.keys.touch(hash, deps.now());
  if (key.role === 'admin') return { role: 'admin', keyId: key.id };

  if (route.auth === 'admin') throw forbidden('admin_only', 'Cette opération est réservée au département (jeton administrateur).');
  if (pathParameters.tenantId !== key.tenantId) {
    throw forbidden('forbidden_tenant', 'Ce jeton ne donne pas accès aux données de cette collectivité.');
  }
  const tenant = await deps.tenants.get(key.tenantId);
  if (!tenant || tenant.status !== 'active') {
    throw forbidden('tenant_suspended', 'Cette collectivité est suspendue : ses clés ne permettent plus de publier.');
  }
  return { role: 'publisher', tenantId: key.tenantId, keyId: key.id };
}

/** Authorization schemes other than Bearer that a client may send (IANA registry): named back, being no secret. */
const OTHER_SCHEMES = ['basic', 'digest', 'negotiate', 'ntlm', 'token', 'apikey', 'dpop', 'hoba', 'mutual', 'aws4-hmac-sha256'];

/** Why no token was read: no header, another scheme (`Basic`), or not `Bearer <jeton>`. Never echoes what could be a secret. */
function missingBearer(authorization: string | undefined): string {
  const expected = 'Authentification requise : un en-tête « Authorization: Bearer <jeton> » est attendu';
  if (!authorization?.trim()) return `${expected}, il est absent.`;
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  if (scheme.toLowerCase() === 'bearer') {
    return rest.length === 0 ? `${expected} ; aucun jeton ne suit « Bearer ».` : `${expected} ; un seul jeton, sans espace, suit « Bearer ».`;
  }
  if (OTHER_SCHEMES.includes(scheme.toLowerCase())) return `${expected} ; un en-tête « ${scheme} » a été reçu, or seul un jeton « Bearer » est accepté.`;
  return `${expected} ; l’en-tête reçu n’a pas cette forme (écrivez « Bearer », une espace, puis le jeton).`;
}
