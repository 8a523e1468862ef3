/**
 * Parsed dataset versions kept in memory by a warm Lambda, keyed by
 * tenant/slug/version/checksum (a version's files never change, so an entry never goes
 * stale). Bounded by the size of the source JSON held; least recently used out first.
 * Concurrent requests for the same version share one read.
 */
import type { RecordTable } from '../domain/catalog/records';

interface Entry {
  table: RecordTable;
  bytes: number;
}

export class RecordsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<RecordTable>>();
  private held = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, load: () => Promise<{ table: RecordTable; bytes: number }>): Promise<RecordTable> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.table;
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = load()
      .then(({ table, bytes }) => {
        this.put(key, { table, bytes });
        return table;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }

  private put(key: string, entry: Entry): void {
    if (entry.bytes > this.maxBytes) return; // served once, not kept
    this.entries.set(key, entry);
    this.held += entry.bytes;
    for (const [k, e] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.entries.delete(k);
      this.held -= e.bytes;
    }
  }
}
