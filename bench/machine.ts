/**
 * Two properties of the machine that the standardization figures depend on, measured in the
 * same run so that a reader can compare runs on different machines (README › Performance):
 * - what touching fresh memory costs (one page fault per 4 KiB page: cheap on bare metal,
 *   ~14 µs on the microVMs this project is measured on, where it becomes a large share of
 *   a short run);
 * - how much a second busy core gives: the same JavaScript loop on one thread, then on two
 *   threads at once (2× would be two independent cores).
 */
import { Worker } from 'node:worker_threads';

const PAGE = 4096;
const FRESH_BYTES = 64 * 1024 * 1024;

export interface MachineFigures {
  /** Microseconds per 4 KiB page touched for the first time, and for the second. */
  freshPageMicros: number;
  warmPageMicros: number;
  /** Milliseconds for the loop alone, and per thread when two threads run it at once. */
  loopAloneMs: number;
  loopPairMs: number;
}

function touchPages(): { fresh: number; warm: number } {
  const memory = Buffer.allocUnsafeSlow(FRESH_BYTES);
  const pass = (value: number): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < FRESH_BYTES; i += PAGE) memory[i] = value;
    return Number(process.hrtime.bigint() - t0) / 1e3 / (FRESH_BYTES / PAGE);
  };
  const fresh = pass(1);
  const warm = pass(2);
  return { fresh, warm };
}

/** A loop that allocates short strings and arrays, as parsing does; returns its milliseconds. */
const LOOP_SOURCE = `
function loop() {
  const t0 = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < 1500000; i++) {
    const cells = String(i * 7919).split('9');
    sum += cells.length + cells[0].length;
  }
  if (sum < 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
`;

// The same source for this thread and the worker.
const loop = new Function(`${LOOP_SOURCE}; return loop();`) as () => number;

/** A worker that has run the loop once (warm code), and runs it again on request. */
function warmWorker(): Promise<{ run: () => Promise<number> }> {
  const worker = new Worker(
    `${LOOP_SOURCE}; const { parentPort } = require('node:worker_threads'); loop(); parentPort.postMessage('warm'); parentPort.once('message', () => parentPort.postMessage(loop()));`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () =>
      resolve({
        run: () =>
          new Promise<number>((done) => {
            worker.once('message', (ms: number) => {
              void worker.terminate();
              done(ms);
            });
            worker.postMessage('go');
          }),
      }),
    );
  });
}

export async function measureMachine(): Promise<MachineFigures> {
  const pages = touchPages();
  loop(); // warm the code once
  const alone = Math.min(loop(), loop());
  // Both threads run the warm loop at once: the worker is told to go, this thread starts at the same moment.
  const worker = await warmWorker();
  const theirs = worker.run();
  const mine = loop();
  return { freshPageMicros: pages.fresh, warmPageMicros: pages.warm, loopAloneMs: alone, loopPairMs: Math.max(mine, await theirs) };
}

export function describeMachine(m: MachineFigures): string {
  return (
    `a fresh 4 KiB page costs ${m.freshPageMicros.toFixed(1)} µs to touch (${m.warmPageMicros.toFixed(2)} µs once touched); ` +
    `a JavaScript loop takes ${m.loopAloneMs.toFixed(0)} ms on one thread and ${m.loopPairMs.toFixed(0)} ms when two threads run it at once ` +
    `(a second busy core gives ${((2 * m.loopAloneMs) / m.loopPairMs).toFixed(2)}× the work, not 2×)`
  );
}
