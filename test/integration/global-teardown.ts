import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const platform = globalThis.__SOCLE_PLATFORM__;
  if (platform && platform.process.exitCode !== null) {
    // The platform died during the run: its last words explain the failures above.
    console.error(`\nThe local platform exited early (code ${platform.process.exitCode}). Its output ends with:\n${platform.output().slice(-4000)}`);
  }
  await platform?.stop();
  const dir = process.env.SOCLE_TEST_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
