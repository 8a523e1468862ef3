/**
 * Coalescing rebuilds under concurrency, without transactions or FIFO queues:
 *
 *   every event:  bump(job)                          → generation += 1
 *                 tryLease(job)                      → false: return (the holder will see the bump)
 *   holder loop:  g ← generation; rebuild();
 *                 releaseIfCurrent(job, g)           → 'released': done
 *                                                      'moved': someone bumped, rebuild again
 *                                                      'lost': lease expired and taken over: stop
 *
 * Invariant: a bump that happens after the holder's last read of `g` makes the conditional
 * release fail, so the holder rebuilds; a bump after the release finds the lease free and
 * its sender becomes the holder. Either way, after the last event settles, the last rebuild
 * started after it. A rebuild that throws gives the lease up before failing its message,
 * whose retry then rebuilds.
 */
import type { ConsolidationJobs } from './ports';

export interface CoalesceOptions {
  owner: string;
  /** Lease length: longer than one rebuild (a dead holder's lease expires after it). */
  ttlMs: number;
  clock?: () => number;
  /** Safety net against a job that never settles. */
  maxRounds?: number;
}

export type CoalesceOutcome = { role: 'follower' } | { role: 'holder'; rounds: number; built: number; lost: boolean };

export async function coalescedRebuild(
  jobs: ConsolidationJobs,
  job: string,
  rebuild: (generation: number) => Promise<void>,
  opts: CoalesceOptions,
): Promise<CoalesceOutcome> {
  const clock = opts.clock ?? Date.now;
  await jobs.bump(job);
  if (!(await jobs.tryLease(job, opts.owner, clock(), opts.ttlMs))) return { role: 'follower' };
  const maxRounds = opts.maxRounds ?? 20;
  for (let round = 1; ; round++) {
    const g = await jobs.generation(job);
    try {
      await rebuild(g);
    } catch (error) {
      // Without this, followers would keep returning until the lease expires, and the
      // retried message of the failed holder would itself be a follower.
      await jobs.abandon(job, opts.owner).catch(() => undefined);
      throw error;
    }
    const result = await jobs.releaseIfCurrent(job, opts.owner, g, clock(), opts.ttlMs);
    if (result === 'released') return { role: 'holder', rounds: round, built: g, lost: false };
    if (result === 'lost') return { role: 'holder', rounds: round, built: g, lost: true };
    if (round >= maxRounds) throw new Error(`consolidation ${job}: still changing after ${round} rebuilds`);
  }
}
