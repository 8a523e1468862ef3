import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__SOCLE_PLATFORM__?.stop();
  const dir = process.env.SOCLE_TEST_DATA_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
