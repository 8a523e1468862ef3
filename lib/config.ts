import { z } from 'zod';

/** Per-stage configuration, parsed from CDK context (`-c stage=prod -c portalOrigin=…`). */
export const stageConfigSchema = z
  .object({
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,20}$/, 'stage: lowercase letters, digits and dashes, 2 to 21 characters'),
    portalOrigin: z.string().url(),
    rawUploadRetentionDays: z.coerce.number().int().min(1).max(3650).default(30),
    /** Maximum upload size a tenant may request, in bytes (tenants may have a lower quota). */
    maxUploadBytes: z.coerce.number().int().positive().default(100 * 1024 * 1024),
    /** Default API throttling (requests/s and burst) applied to every route. */
    throttleRateLimit: z.coerce.number().positive().default(50),
    throttleBurstLimit: z.coerce.number().int().positive().default(100),
    /** Days to keep Lambda and access logs. */
    logRetentionDays: z.coerce.number().int().positive().default(30),
  })
  .strict();

export type StageConfig = z.infer<typeof stageConfigSchema>;

/** Stages whose stateful resources may be destroyed with the stack. */
export function isDevStage(stage: string): boolean {
  return stage === 'dev' || stage.startsWith('dev-') || stage === 'test';
}

export function parseStageConfig(context: Record<string, unknown>): StageConfig {
  const result = stageConfigSchema.safeParse(context);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid CDK context: ${detail}`);
  }
  return result.data;
}
