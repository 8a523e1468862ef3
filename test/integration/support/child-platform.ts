import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface PlatformInfo {
  apiUrl: string;
  publicUrl: string;
  adminToken: string;
  s3Endpoint: string;
  dynamoEndpoint: string;
}

export interface ChildPlatform {
  info: PlatformInfo;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Starts `bin/local.ts` (what `npm start` runs) as a child process on free ports and waits
 * for its ready line. Tests then talk to it over HTTP only.
 */
export function startChildPlatform(opts: { dataDir: string; env?: Record<string, string>; args?: string[] }): Promise<ChildPlatform> {
  // `node --import tsx` rather than the tsx CLI: the CLI wrapper SIGKILLs its child when it does
  // not acknowledge a signal within 30 ms (a loaded machine), which would skip our clean shutdown.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts', ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0', SOCLE_DATA_DIR: opts.dataDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`platform did not start in time:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('SOCLE_READY '));
      if (line) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
        resolve({
          info: JSON.parse(line.slice('SOCLE_READY '.length)) as PlatformInfo,
          process: child,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code} before it was ready:\n${output}`));
    });
  });
}
