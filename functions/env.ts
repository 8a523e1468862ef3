import { z } from 'zod';

/**
 * The environment of every handler, parsed once. A missing or malformed variable fails at
 * cold start with a message naming it, not deep inside a request.
 */
const envSchema = z.object({
  TABLE_NAME: z.string().min(3),
  UPLOAD_BUCKET: z.string().min(3).optional(),
  PUBLIC_BUCKET: z.string().min(3).optional(),
  /** Absolute base URL under which the public bucket's objects are served (no trailing slash). */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** AWS: ARN of the Secrets Manager secret holding the bootstrap admin token. */
  ADMIN_TOKEN_SECRET_ARN: z.string().optional(),
  /** Local platform: SHA-256 (hex) of the bootstrap admin token. */
  ADMIN_TOKEN_SHA256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  /** Local platform: S3 endpoints need path-style addressing. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SOCLE_VERSION: z.string().default('0.1.0'),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const result = envSchema.safeParse(process.env);
    if (!result.success) {
      const detail = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid environment: ${detail}`);
    }
    cached = result.data;
  }
  return cached;
}

/** For the local platform and tests, which set variables before the first request. */
export function resetEnvCache(): void {
  cached = undefined;
}
