// Approximate instance counts per type for the query planner. Counting keys is linear, so counts are cached per
// database and recomputed only after enough commits have gone by; the planner needs magnitudes, not exact numbers.
import type { SchemaType } from '../schema/api.js';
import type { ThingReader } from './things.js';

const RECOUNT_AFTER_COMMITS = 64;
const COUNT_LIMIT = 100_000;

export class InstanceStatistics {
  private readonly counts = new Map<number, { count: number; atCommit: number }>();
  private commits = 0;

  /** Called after every data commit. */
  recordCommit(): void {
    this.commits++;
  }

  count(type: SchemaType, things: ThingReader): number {
    const cached = this.counts.get(type.id);
    if (cached && this.commits - cached.atCommit < RECOUNT_AFTER_COMMITS) return cached.count;
    const count = things.countInstances(type, COUNT_LIMIT);
    this.counts.set(type.id, { count, atCommit: this.commits });
    return count;
  }
}
