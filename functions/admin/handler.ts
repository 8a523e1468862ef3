import { ulid } from 'ulid';
import { generateToken, hashToken } from '../domain/auth/token';
import { createTenantSchema, newTenant, slugSchema, updateTenantSchema, type Tenant } from '../domain/tenants/tenant';
import { apiHandler, jsonBody, type RequestContext } from '../http/api-handler';
import { coreDeps } from '../http/deps';
import { badRequest, conflict, notFound } from '../http/errors';
import { paginationSchema } from '../http/pagination';
import { parseWith } from '../http/validation';
import { AlreadyExistsError, EquivalentVersionError, type ApiKey } from '../store/ports';
import { z } from 'zod';
import { isBuiltinId } from '../domain/datasets/schemas';
import { parseRegisteredSchema, SchemaDescriptorError } from '../domain/schema/descriptor';

const tenantPath = z.object({ tenantId: slugSchema }).strict();
const keyPath = z.object({ tenantId: slugSchema, keyId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'identifiant de clé invalide') }).strict();
const noQuery = z.object({}).strict();

function tenantNotFound(id: string) {
  return notFound('tenant_not_found', `La collectivité « ${id} » n’existe pas.`);
}

async function existingTenant(ctx: RequestContext): Promise<Tenant> {
  const { tenantId } = parseWith(tenantPath, ctx.params, 'path');
  parseWith(noQuery, ctx.query, 'query');
  const tenant = await coreDeps().tenants.get(tenantId);
  if (!tenant) throw tenantNotFound(tenantId);
  return tenant;
}

/** What the API shows of a key: never the token nor its hash. */
function publicKey(key: ApiKey) {
  return {
    id: key.id,
    role: key.role,
    tenantId: key.tenantId,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt ?? null,
    revokedAt: key.revokedAt ?? null,
  };
}

async function setStatus(ctx: RequestContext, status: 'active' | 'suspended') {
  const { tenantId } = parseWith(tenantPath, ctx.params, 'path');
  const tenant = await coreDeps().tenants.setStatus(tenantId, status, coreDeps().now());
  if (!tenant) throw tenantNotFound(tenantId);
  return { body: tenant };
}

export const handler = apiHandler(
  'admin',
  {
    async createTenant(ctx) {
      parseWith(noQuery, ctx.query, 'query');
      const input = jsonBody(createTenantSchema, ctx);
      const tenant = newTenant(input, coreDeps().now());
      try {
        await coreDeps().tenants.create(tenant);
      } catch (error) {
        if (error instanceof AlreadyExistsError) {
          throw conflict('tenant_exists', `Une collectivité avec l’identifiant « ${tenant.id} » existe déjà.`);
        }
        throw error;
      }
      return { status: 201, body: tenant, headers: { location: `/v1/admin/tenants/${tenant.id}` } };
    },

    async listTenants(ctx) {
      const { limit, cursor } = parseWith(paginationSchema(100, 50), ctx.query, 'query');
      return { body: await coreDeps().tenants.list(limit, cursor) };
    },

    async getTenant(ctx) {
      return { body: await existingTenant(ctx) };
    },

    async updateTenant(ctx) {
      const { tenantId } = parseWith(tenantPath, ctx.params, 'path');
      const patch = jsonBody(updateTenantSchema, ctx);
      const tenant = await coreDeps().tenants.update(tenantId, patch, coreDeps().now());
      if (!tenant) throw tenantNotFound(tenantId);
      return { body: tenant };
    },

    suspendTenant: (ctx) => setStatus(ctx, 'suspended'),
    reactivateTenant: (ctx) => setStatus(ctx, 'active'),

    async createKey(ctx) {
      const tenant = await existingTenant(ctx);
      if (ctx.event.body) jsonBody(z.object({}).strict(), ctx);
      const token = generateToken();
      const key: ApiKey = {
        id: ulid(),
        tokenHash: hashToken(token),
        role: 'publisher',
        tenantId: tenant.id,
        createdAt: coreDeps().now(),
      };
      await coreDeps().keys.create(key);
      return { status: 201, body: { id: key.id, token, createdAt: key.createdAt, tenantId: tenant.id, role: key.role } };
    },

    async listKeys(ctx) {
      const tenant = await existingTenant(ctx);
      const items = await coreDeps().keys.listByTenant(tenant.id);
      return { body: { items: items.map(publicKey) } };
    },

    async registerSchema(ctx) {
      parseWith(noQuery, ctx.query, 'query');
      let descriptor;
      try {
        descriptor = parseRegisteredSchema(jsonBody(z.unknown(), ctx));
      } catch (error) {
        if (error instanceof SchemaDescriptorError) throw badRequest('invalid_schema', error.message, { problems: error.details });
        throw error;
      }
      if (isBuiltinId(descriptor.id)) {
        throw conflict('schema_exists', `« ${descriptor.id} » est un schéma intégré : choisissez un autre identifiant.`);
      }
      let current: boolean;
      try {
        current = await coreDeps().schemas.register(descriptor, coreDeps().now());
      } catch (error) {
        if (error instanceof EquivalentVersionError) {
          throw conflict(
            'schema_exists',
            `La version ${descriptor.version} du schéma « ${descriptor.id} » équivaut à la version ${error.registered}, déjà enregistrée : donnez un autre numéro de version.`,
          );
        }
        if (error instanceof AlreadyExistsError) {
          throw conflict('schema_exists', `La version ${descriptor.version} du schéma « ${descriptor.id} » est déjà enregistrée : donnez un autre numéro de version.`);
        }
        throw error;
      }
      const location = `/v1/catalog/schemas/${descriptor.id}`;
      if (current) return { status: 201, body: { ...descriptor, current }, headers: { location } };
      const highest = (await coreDeps().schemas.get(descriptor.id))?.descriptor.version;
      const notice = `La version ${descriptor.version} est enregistrée dans l’historique du schéma « ${descriptor.id} » : la version ${highest}, plus élevée, reste celle contre laquelle les fichiers sont vérifiés.`;
      return { status: 201, body: { ...descriptor, current, notice }, headers: { location: `${location}?version=${encodeURIComponent(descriptor.version)}` } };
    },

    async revokeKey(ctx) {
      const { tenantId, keyId } = parseWith(keyPath, ctx.params, 'path');
      const revoked = await coreDeps().keys.revoke(tenantId, keyId, coreDeps().now());
      if (!revoked) throw notFound('key_not_found', `La clé « ${keyId} » n’existe pas pour cette collectivité.`);
      return { status: 204 };
    },
  },
  coreDeps,
);
