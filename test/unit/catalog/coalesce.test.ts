import { coalescedRebuild } from '../../../functions/domain/catalog/coalesce';
import type { ConsolidationJobs } from '../../../functions/domain/catalog/ports';

/** The DynamoDB item's semantics, in memory, with an await between every step to interleave callers. */
class MemoryJobs implements ConsolidationJobs {
  generationValue = 0;
  owner: string | undefined;
  until = 0;
  private tick = () => new Promise<void>((r) => setImmediate(r));
  async bump(): Promise<number> {
    await this.tick();
    return ++this.generationValue;
  }
  async tryLease(_job: string, owner: string, now: number, ttl: number): Promise<boolean> {
    await this.tick();
    if (this.owner !== undefined && this.until >= now) return false;
    this.owner = owner;
    this.until = now + ttl;
    return true;
  }
  async generation(): Promise<number> {
    await this.tick();
    return this.generationValue;
  }
  async releaseIfCurrent(_job: string, owner: string, built: number, now: number, ttl: number) {
    await this.tick();
    if (this.owner === owner && this.generationValue === built) {
      this.owner = undefined;
      return 'released' as const;
    }
    if (this.owner !== owner) return 'lost' as const;
    this.until = now + ttl;
    return 'moved' as const;
  }
  async abandon(_job: string, owner: string): Promise<void> {
    if (this.owner === owner) this.owner = undefined;
  }
}

describe('coalesced rebuilds', () => {
  it('a burst of concurrent events ends with a rebuild that saw the last state, with few rebuilds', async () => {
    const jobs = new MemoryJobs();
    let state = 0; // what the files must reflect (e.g. the number of published versions)
    let built = -1;
    let rebuilds = 0;
    const rebuild = async () => {
      rebuilds++;
      const seen = state;
      await new Promise((r) => setTimeout(r, 5));
      built = seen;
    };
    const events = Array.from({ length: 30 }, (_, i) =>
      (async () => {
        await new Promise((r) => setTimeout(r, (i * 7) % 23));
        state++;
        return coalescedRebuild(jobs, 'scdl/x', rebuild, { owner: `o${i}`, ttlMs: 60_000 });
      })(),
    );
    const outcomes = await Promise.all(events);
    expect(built).toBe(30);
    expect(jobs.owner).toBeUndefined();
    expect(rebuilds).toBeLessThan(30);
    expect(outcomes.filter((o) => o.role === 'follower').length).toBeGreaterThan(0);
  });

  it('an expired lease is taken over', async () => {
    const jobs = new MemoryJobs();
    jobs.generationValue = 3;
    jobs.owner = 'dead';
    jobs.until = 1_000;
    let rebuilt = 0;
    const outcome = await coalescedRebuild(jobs, 'j', async () => void rebuilt++, { owner: 'me', ttlMs: 500, clock: () => 2_000 });
    expect(outcome).toEqual({ role: 'holder', rounds: 1, built: 4, lost: false });
    expect(rebuilt).toBe(1);
  });

  it('a failed rebuild gives the lease up, so the retry rebuilds at once', async () => {
    const jobs = new MemoryJobs();
    await expect(coalescedRebuild(jobs, 'j', async () => Promise.reject(new Error('boom')), { owner: 'a', ttlMs: 60_000 })).rejects.toThrow('boom');
    expect(jobs.owner).toBeUndefined();
    let rebuilt = 0;
    expect((await coalescedRebuild(jobs, 'j', async () => void rebuilt++, { owner: 'b', ttlMs: 60_000 })).role).toBe('holder');
    expect(rebuilt).toBe(1);
  });

  it('a live lease makes the caller a follower without rebuilding', async () => {
    const jobs = new MemoryJobs();
    jobs.owner = 'other';
    jobs.until = 10_000;
    let rebuilt = 0;
    const outcome = await coalescedRebuild(jobs, 'j', async () => void rebuilt++, { owner: 'me', ttlMs: 500, clock: () => 2_000 });
    expect(outcome).toEqual({ role: 'follower' });
    expect(rebuilt).toBe(0);
    expect(jobs.generationValue).toBe(1);
  });
});
