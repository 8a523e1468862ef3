import { z } from 'zod';
import { isValidSiren, isValidSiret } from '../schema/luhn';
import { SCHEMA_ID } from '../schema/descriptor';

export const TENANT_KINDS = ['commune', 'epci', 'departement', 'other'] as const;
export type TenantKind = (typeof TENANT_KINDS)[number];

/** URL slug: lowercase ASCII words joined by single dashes. */
export const slugSchema = z
  .string()
  .min(2, 'au moins 2 caractères')
  .max(63, 'au plus 63 caractères')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'identifiant d’URL attendu : minuscules sans accent, chiffres et tirets (ex. « roques-sur-garonne »)');

export const sirenSchema = z
  .string()
  .regex(/^\d{9}$/, 'le SIREN compte exactement 9 chiffres')
  .refine(isValidSiren, 'SIREN invalide : la clé de contrôle (Luhn) ne correspond pas');

/** SIRET of the collectivité's head office (14 digits, Luhn key): the SCDL catalogue names publishers by it. */
export const siretSchema = z
  .string()
  .regex(/^\d{14}$/, 'le SIRET compte exactement 14 chiffres')
  .refine(isValidSiret, 'SIRET invalide : la clé de contrôle (Luhn) ne correspond pas');

/** INSEE code (COG): 5 characters, Corsica as 2A/2B. */
export const inseeCodeSchema = z
  .string()
  .regex(/^(?:\d{2}|2[AB])\d{3}$/, 'code INSEE attendu : 5 caractères, par ex. « 31458 » ou « 2A004 »');

const referentSchema = z
  .object({
    name: z.string().trim().min(1, 'nom du référent requis').max(200),
    email: z.string().email('adresse électronique invalide'),
  })
  .strict();

/** Schema ids: `scdl/subventions`, `bal`, `decp`, or a registered custom id. */
export const schemaIdSchema = z.string().regex(SCHEMA_ID, 'identifiant de schéma invalide (ex. « scdl/subventions »)');

const tenantFields = {
  name: z.string().trim().min(1, 'nom requis').max(200, 'au plus 200 caractères'),
  kind: z.enum(TENANT_KINDS, 'type attendu : commune, epci, departement ou other'),
  siren: sirenSchema,
  siret: siretSchema.optional(),
  inseeCode: inseeCodeSchema.optional(),
  referent: referentSchema.optional(),
  enabledSchemas: z.array(schemaIdSchema).max(100).optional(),
  /** Upload size limit of this tenant, in bytes. */
  maxUploadBytes: z.number().int().positive().optional(),
};

const siretMatchesSiren = (t: { siren?: string; siret?: string | null }) => !t.siren || !t.siret || t.siret.startsWith(t.siren);
const SIRET_SIREN_MESSAGE = { message: 'le SIRET doit commencer par le SIREN', path: ['siret'] };

export const createTenantSchema = z
  .object({ id: slugSchema, ...tenantFields })
  .strict()
  .refine(siretMatchesSiren, SIRET_SIREN_MESSAGE);
export const updateTenantSchema = z
  .object({
    name: tenantFields.name.optional(),
    kind: tenantFields.kind.optional(),
    siren: tenantFields.siren.optional(),
    siret: siretSchema.nullable().optional(),
    inseeCode: tenantFields.inseeCode.nullable(),
    referent: tenantFields.referent.nullable(),
    enabledSchemas: tenantFields.enabledSchemas,
    maxUploadBytes: tenantFields.maxUploadBytes,
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'au moins un champ à modifier est attendu')
  .refine(siretMatchesSiren, SIRET_SIREN_MESSAGE);

export type CreateTenantInput = z.infer<typeof createTenantSchema>;
export type UpdateTenantInput = z.infer<typeof updateTenantSchema>;

export type TenantStatus = 'active' | 'suspended';

export interface Tenant {
  id: string;
  name: string;
  kind: TenantKind;
  siren: string;
  siret?: string;
  inseeCode?: string;
  referent?: { name: string; email: string };
  /** Undefined means every schema is enabled. */
  enabledSchemas?: string[];
  maxUploadBytes?: number;
  status: TenantStatus;
  createdAt: string;
  updatedAt: string;
}

export function newTenant(input: CreateTenantInput, now: string): Tenant {
  return { ...input, status: 'active', createdAt: now, updatedAt: now };
}
