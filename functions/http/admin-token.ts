import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { hashToken } from '../domain/auth/token';
import { env } from '../env';

let cached: Promise<string | undefined> | undefined;

/**
 * SHA-256 of the bootstrap admin token: from `ADMIN_TOKEN_SHA256` on the local platform,
 * from the Secrets Manager secret `ADMIN_TOKEN_SECRET_ARN` on AWS (read once per cold start).
 */
export function adminTokenHash(): Promise<string | undefined> {
  if (!cached) {
    const { ADMIN_TOKEN_SHA256, ADMIN_TOKEN_SECRET_ARN } = env();
    if (ADMIN_TOKEN_SHA256) cached = Promise.resolve(ADMIN_TOKEN_SHA256);
    else if (ADMIN_TOKEN_SECRET_ARN) cached = readSecret(ADMIN_TOKEN_SECRET_ARN);
    else cached = Promise.resolve(undefined);
    cached.catch(() => {
      cached = undefined; // retry on the next request rather than caching a failure
    });
  }
  return cached;
}

async function readSecret(arn: string): Promise<string | undefined> {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  return out.SecretString ? hashToken(out.SecretString.trim()) : undefined;
}
