// Reading a bound player's role-player edges in the roles a pattern allows. Its edge keys are [player][role type]
// [relation], so its edges in one role type are one range. A role with many subroles (a chain of 1 000 relation types,
// each overriding its parent's role) was read one range per subrole for every player, nearly all of them empty:
// 1 000 range reads a player. One read of all the player's edges, keeping those in the roles, costs one range and
// every edge the player has; the statistics say which is less. Both give the edges in key order (role type id, then
// relation), so the choice never changes the answers or their order.
import type { SchemaType } from '../schema/api.js';
import type { RoleEdge, Thing, ThingReader } from '../concept/things.js';
import type { InstanceStatistics } from '../concept/statistics.js';
import { PENDING, type Pending } from '../common/steps.js';

/**
 * What opening one edge range costs, in edges read: an empty range took ~4.8 µs of CPU and each edge of a long one
 * ~0.7-0.75 µs (lmdb, 200 000 ranges and 400 000 edges read).
 */
export const RANGE_IN_EDGES = 6;

/**
 * How to read the edges of players of one type in some roles: the roles in key order (type id: the order of a
 * player's edge keys, so that both reads find the edges in the same order), and, to read all of a player's edges,
 * their ids to keep.
 */
export interface EdgeRead {
  readonly roles: readonly SchemaType[];
  readonly keep?: ReadonlySet<number>;
}

/**
 * The cheaper read of a player of type `playerType`'s edges in `roles`: all its edges when the role types outnumber,
 * range for range, the edges such a player has on average.
 */
export function edgeReadFor(statistics: InstanceStatistics, things: ThingReader, playerType: SchemaType, roles: readonly SchemaType[]): EdgeRead {
  const ordered = [...roles].sort((a, b) => a.id - b.id);
  if (roles.length <= 1) return { roles: ordered };
  const perRole = roles.length * RANGE_IN_EDGES;
  const all = RANGE_IN_EDGES + statistics.edgesPerPlayer(playerType, things);
  return all < perRole ? { roles: ordered, keep: new Set(ordered.map((r) => r.id)) } : { roles: ordered };
}

/**
 * The player's edges in the read's roles, in key order, read lazily (a negation or a limit may need only the first).
 * Reading all its edges, each one passed over asks `pauseDue` whether to give way: a player of millions of edges in
 * other roles must not hold the event loop while they are read.
 */
export function* edgesInRoles(things: ThingReader, player: Thing, read: EdgeRead, pauseDue: () => boolean): Generator<RoleEdge | Pending> {
  const keep = read.keep;
  if (keep === undefined) {
    for (const role of read.roles) yield* things.relationsOf(player, role);
    return;
  }
  for (const edge of things.relationsOf(player)) {
    if (keep.has(edge.role.id)) yield edge;
    else if (pauseDue()) yield PENDING;
  }
}
