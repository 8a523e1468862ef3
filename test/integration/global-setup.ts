import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChildPlatform, type ChildPlatform } from './support/child-platform';

declare global {
  var __SOCLE_PLATFORM__: ChildPlatform | undefined;
}

/** One platform for the integration suite, on free ports, with a throw-away data folder. */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'socle-it-'));
  const platform = await startChildPlatform({ dataDir });
  globalThis.__SOCLE_PLATFORM__ = platform;
  process.env.SOCLE_TEST_PLATFORM = JSON.stringify(platform.info);
  process.env.SOCLE_TEST_DATA_DIR = dataDir;
}
