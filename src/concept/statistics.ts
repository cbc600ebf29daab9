// Approximate instance and ownership counts per type for the query planner. Counting keys is linear, so counts are
// cached per database and recomputed only after enough commits have gone by; the planner needs magnitudes, not
// exact numbers.
import type { SchemaType, TypeId } from '../schema/api.js';
import type { ThingReader } from './things.js';

const RECOUNT_AFTER_COMMITS = 64;
const COUNT_LIMIT = 100_000;

type Cache = Map<number, { count: number; atCommit: number }>;
/** A player type's edges per player: in all and per role type (by id). */
type EdgeCounts = { readonly all: number; readonly byRole: ReadonlyMap<number, number>; readonly atCommit: number };

export class InstanceStatistics {
  private readonly counts: Cache = new Map();
  private readonly ownershipCounts: Cache = new Map();
  private readonly edgesPerPlayerCounts = new Map<number, EdgeCounts>();
  private commits = 0;

  /** Called after every data commit. */
  recordCommit(): void {
    this.commits++;
  }

  /**
   * After a schema change: the counts of types it deleted go. Type ids are never reused, so they would never be read
   * again, and a server whose clients define and undefine types would keep them for good.
   */
  forgetDeletedTypes(exists: (id: TypeId) => boolean): void {
    for (const cache of [this.counts, this.ownershipCounts, this.edgesPerPlayerCounts]) {
      for (const id of cache.keys()) if (!exists(id)) cache.delete(id);
    }
  }

  /** Types with a count held (tests check that deleted types' go). */
  get typesCounted(): number {
    return new Set([...this.counts.keys(), ...this.ownershipCounts.keys(), ...this.edgesPerPlayerCounts.keys()]).size;
  }

  count(type: SchemaType, things: ThingReader): number {
    return this.cached(this.counts, type, () => things.countInstances(type, COUNT_LIMIT));
  }

  /**
   * How many owners an attribute of this type has on average: what following `has` from a bound attribute to its
   * owners yields. A value shared by half the data (`has active true`) must not look as cheap a start as a key.
   */
  ownersPerAttribute(type: SchemaType, things: ThingReader): number {
    const ownerships = this.cached(this.ownershipCounts, type, () => things.countOwnerships(type, COUNT_LIMIT));
    return ownerships / Math.max(1, this.count(type, things));
  }

  /**
   * How many role-player edges a thing of exactly this type has on average: what reading all of one player's edges
   * reads. Past the counting limit, per player among those whose edges were counted.
   */
  edgesPerPlayer(type: SchemaType, things: ThingReader): number {
    return this.edgeCounts(type, things).all;
  }

  /**
   * How many role-player edges in this role type (exactly) a thing of exactly this type has on average: how many
   * relations one reaches through it. A relation type whose role several types play must not look as dense from
   * the few players of one type as from the many of another (a topic's taggings against a person's).
   */
  edgesPerPlayerInRole(type: SchemaType, role: SchemaType, things: ThingReader): number {
    return this.edgeCounts(type, things).byRole.get(role.id) ?? 0;
  }

  private edgeCounts(type: SchemaType, things: ThingReader): EdgeCounts {
    const cached = this.edgesPerPlayerCounts.get(type.id);
    if (cached && this.commits - cached.atCommit < RECOUNT_AFTER_COMMITS) return cached;
    const { edges, players, byRole } = things.countPlayerEdges(type, COUNT_LIMIT);
    // Past the counting limit, per player among those whose edges were counted.
    const per = Math.max(1, edges < COUNT_LIMIT ? this.count(type, things) : players);
    const fresh = { all: edges / per, byRole: new Map([...byRole].map(([role, n]) => [role, n / per])), atCommit: this.commits };
    this.edgesPerPlayerCounts.set(type.id, fresh);
    return fresh;
  }

  private cached(cache: Cache, type: SchemaType, count: () => number): number {
    const cached = cache.get(type.id);
    if (cached && this.commits - cached.atCommit < RECOUNT_AFTER_COMMITS) return cached.count;
    const fresh = count();
    cache.set(type.id, { count: fresh, atCommit: this.commits });
    return fresh;
  }
}
