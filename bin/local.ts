/**
 * `npm start`: the whole platform on this machine (emulators, API, pipeline, demo data).
 * Options: `--reset` wipes the data folder first. Environment: PORT (3000), SOCLE_DATA_DIR
 * (.socle), SOCLE_ADMIN_TOKEN (else generated once and kept), S3_PORT, DYNAMODB_PORT.
 */
import path from 'node:path';
import { startPlatform } from '../lib/local/platform';

async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const dataDir = path.resolve(process.env.SOCLE_DATA_DIR ?? '.socle');
  const port = (name: string, fallback: number) => {
    const raw = process.env[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
    return n;
  };
  const platform = await startPlatform({
    dataDir,
    reset,
    port: port('PORT', 3000),
    s3Port: port('S3_PORT', 0),
    dynamoPort: port('DYNAMODB_PORT', 0),
    adminToken: process.env.SOCLE_ADMIN_TOKEN || undefined,
  });

  console.log(
    [
      '',
      'Socle is running locally.',
      `  API:           ${platform.apiUrl}   (try ${platform.apiUrl}/v1/health)`,
      `  Public files:  ${platform.publicUrl}`,
      `  Templates:     ${platform.apiUrl}/v1/catalog/templates/scdl/subventions.xlsx   (a blank workbook per schema, also .csv)`,
      `  Admin token:   ${platform.adminToken}`,
      `  Data folder:   ${dataDir}${reset ? ' (reset)' : ''}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  // One machine-readable line for scripts and tests that start the platform.
  console.log(
    'SOCLE_READY ' +
      JSON.stringify({ apiUrl: platform.apiUrl, publicUrl: platform.publicUrl, adminToken: platform.adminToken, s3Endpoint: platform.s3Endpoint, dynamoEndpoint: platform.dynamoEndpoint }),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    platform
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
