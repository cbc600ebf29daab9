// Matching a relation pattern's role players against a relation's stored role-player edges.
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { RoleEdge, Thing, ThingReader } from '../concept/things.js';
import { PENDING, type Pending } from '../common/steps.js';
import type { Row } from './bindings.js';
import type { TypeSets } from './inference.js';
import type { RolePlayerConstraint } from './ir.js';

/**
 * The stored role types a role-player constraint can match (its role and the role's subtypes), or undefined for
 * any role (no role, the meta role, or a role variable not bound yet).
 */
export function storedRoles(schema: SchemaReader, rp: RolePlayerConstraint, row: Row): SchemaType[] | undefined {
  const spec = rp.role;
  if (spec === undefined) return undefined;
  let roles: readonly SchemaType[];
  if (spec.kind === 'named') roles = spec.roles;
  else if (spec.kind === 'fixed') roles = [spec.type];
  else {
    const b = row.get(spec.name);
    if (b?.kind !== 'type') return undefined;
    roles = [b.type];
  }
  if (roles.some((r) => r.isMeta)) return undefined;
  const stored = new Map<number, SchemaType>();
  for (const role of roles) for (const sub of schema.subtypes(role)) stored.set(sub.id, sub);
  return [...stored.values()];
}

/**
 * Assigns each role player of the pattern to a distinct role-player edge of `relation`, honouring repetition
 * counts; yields the row extended with the player and role variables it binds (the same live row each time).
 * `sets`: the types each variable may take; `isSubtypeOf`: the schema's, answered from the query's cached subtype sets
 * (each edge's role is checked against the pattern's: walking the supertype chain cost its depth per edge).
 *
 * A depth-first search over the players in order, each tried against the edges in order (and a role variable
 * against the edge role's supertypes), kept on an explicit stack rather than one generator per player: a
 * relation pattern runs this once per relation it meets.
 *
 * The edges are read from storage as the search reaches them, not all first, and each edge passed over asks
 * `pauseDue` whether to yield PENDING: a relation of 100 000 players held the event loop 0.25-0.9 s while they
 * were read into an array. With one player, edges behind the search are dropped (none is tried twice).
 *
 * A reader that holds the players in memory (a reasoning reader's cache) hands them over whole: nothing is read or
 * copied, and nothing is pushed to or dropped from them, as they are all there (`exhausted`). Two players without
 * role variables are then matched by matchHeldPair.
 */
export function matchPlayers(
  schema: SchemaReader,
  things: ThingReader,
  relation: Thing,
  players: readonly RolePlayerConstraint[],
  row: Row,
  sets: TypeSets,
  pauseDue: () => boolean,
  isSubtypeOf: (type: SchemaType, ancestor: SchemaType) => boolean,
): Generator<Row | Pending> {
  const held = relation.type.root === 'relation' ? things.heldRolePlayers(relation) : undefined;
  if (held !== undefined && players.length === 2 && players[0]!.role?.kind !== 'var' && players[1]!.role?.kind !== 'var') {
    return matchHeldPair(held, players[0]!, players[1]!, row, sets, pauseDue, isSubtypeOf);
  }
  return searchPlayers(schema, things, relation, players, row, sets, pauseDue, isSubtypeOf, held);
}

/** matchPlayers' search, over the held players if there are (see there). */
function* searchPlayers(
  schema: SchemaReader,
  things: ThingReader,
  relation: Thing,
  players: readonly RolePlayerConstraint[],
  row: Row,
  sets: TypeSets,
  pauseDue: () => boolean,
  isSubtypeOf: (type: SchemaType, ancestor: SchemaType) => boolean,
  held: readonly RoleEdge[] | undefined,
): Generator<Row | Pending> {
  if (relation.type.root !== 'relation') return;
  const depth = players.length;
  if (depth === 0) {
    yield row;
    return;
  }
  const read = held === undefined ? things.rolePlayers(relation) : undefined;
  // The edges read so far, from index `dropped` on, with how many times each is used; one player needs only the
  // edge it is at.
  const keep = depth > 1;
  const edges = (held ?? []) as RoleEdge[];
  const used: number[] = held === undefined ? [] : new Array<number>(held.length).fill(0);
  let dropped = 0;
  let exhausted = held !== undefined;
  const edgeAt = (e: number): RoleEdge | undefined => {
    if (e - dropped < edges.length) return edges[e - dropped];
    if (exhausted) return undefined;
    const next = read!.next();
    if (next.done === true) {
      exhausted = true;
      return undefined;
    }
    if (!keep) {
      dropped += edges.length;
      edges.length = 0;
      used.length = 0;
    }
    edges.push(next.value);
    used.push(0);
    return next.value;
  };
  // Per player (level): the edge it holds (-1 for none yet), whether it bound its player variable there, and the
  // role variable it binds with the role types left to try.
  const edgeOf = new Array<number>(depth).fill(-1);
  const holds = new Array<boolean>(depth).fill(false);
  const boundPlayer = new Array<boolean>(depth).fill(false);
  const roleVarOf = new Array<string | undefined>(depth).fill(undefined);
  const roleTypesOf = new Array<readonly SchemaType[]>(depth);
  const roleIndexOf = new Array<number>(depth).fill(0);

  const allowedRole = (rp: RolePlayerConstraint, role: SchemaType): boolean => {
    const spec = rp.role;
    if (spec === undefined) return true;
    if (spec.kind === 'named') return spec.roles.some((r) => isSubtypeOf(role, r));
    if (spec.kind === 'fixed') return isSubtypeOf(role, spec.type);
    const b = row.get(spec.name);
    return b === undefined || (b.kind === 'type' && isSubtypeOf(role, b.type));
  };
  /** Releases level i's edge (and the player it bound there). */
  const release = (i: number): void => {
    if (boundPlayer[i]) row.delete(players[i]!.player);
    boundPlayer[i] = false;
    holds[i] = false;
    used[edgeOf[i]! - dropped]!--;
  };
  /** Moves level i to its next role type; false when none is left (the role variable is then unbound). */
  const nextRoleType = (i: number): boolean => {
    const roleVar = roleVarOf[i]!;
    const types = roleTypesOf[i]!;
    while (roleIndexOf[i]! < types.length) {
      const type = types[roleIndexOf[i]!++]!;
      if (!(sets.get(roleVar)?.has(type) ?? true)) continue;
      row.set(roleVar, { kind: 'type', type });
      return true;
    }
    row.delete(roleVar);
    roleVarOf[i] = undefined;
    return false;
  };
  /** Moves level i to its next edge (binding what it binds there); false when none is left, PAUSED to give way. */
  const nextEdge = (i: number): boolean | typeof PAUSED => {
    const rp = players[i]!;
    for (let e = edgeOf[i]! + 1; ; e++) {
      const edge = e - dropped < edges.length ? edges[e - dropped] : edgeAt(e);
      if (edge === undefined) break;
      const existing = row.get(rp.player);
      if (
        used[e - dropped]! >= edge.count ||
        !allowedRole(rp, edge.role) ||
        (existing && !(existing.kind === 'thing' && Buffer.compare(existing.thing.iid, edge.player.iid) === 0)) ||
        (!existing && !(sets.get(rp.player)?.has(edge.player.type) ?? true))
      ) {
        if (pauseDue()) {
          edgeOf[i] = e;
          return PAUSED;
        }
        continue;
      }
      edgeOf[i] = e;
      holds[i] = true;
      used[e - dropped]!++;
      if (!existing) row.set(rp.player, { kind: 'thing', thing: edge.player });
      boundPlayer[i] = !existing;
      const roleVar = rp.role?.kind === 'var' && !row.has(rp.role.name) ? rp.role.name : undefined;
      if (roleVar === undefined) return true;
      roleVarOf[i] = roleVar;
      roleTypesOf[i] = schema.supertypes(edge.role);
      roleIndexOf[i] = 0;
      if (nextRoleType(i)) return true;
      release(i);
    }
    edgeOf[i] = -1;
    return false;
  };
  /** Moves level i to its next choice: another role type at the same edge, else another edge. */
  const advance = (i: number): boolean | typeof PAUSED => {
    if (holds[i]) {
      if (roleVarOf[i] !== undefined && nextRoleType(i)) return true;
      release(i);
    }
    return nextEdge(i);
  };

  let level = 0;
  try {
    while (level >= 0) {
      const moved = advance(level);
      if (moved === PAUSED) {
        yield PENDING;
        continue;
      }
      if (!moved) {
        level--;
        continue;
      }
      if (level === depth - 1) yield row;
      else level++;
    }
  } finally {
    read?.return(undefined); // stopped early: close the storage cursor
  }
}

/**
 * searchPlayers for two players without role variables over a held list: the same answers in the same order, as two
 * loops. The general search's arrays and closures, made for each relation met, were a third of the cost of matching
 * a transitive closure's rule body (a binary relation pattern, met once per answer).
 */
function* matchHeldPair(
  edges: readonly RoleEdge[],
  first: RolePlayerConstraint,
  second: RolePlayerConstraint,
  row: Row,
  sets: TypeSets,
  pauseDue: () => boolean,
  isSubtypeOf: (type: SchemaType, ancestor: SchemaType) => boolean,
): Generator<Row | Pending> {
  for (let i = 0; i < edges.length; i++) {
    const one = take(first, edges[i]!, row, sets, isSubtypeOf);
    if (one === undefined) {
      if (pauseDue()) yield PENDING;
      continue;
    }
    for (let j = 0; j < edges.length; j++) {
      // An edge serves both players only if the player plays the role there twice.
      const two = i === j && edges[i]!.count < 2 ? undefined : take(second, edges[j]!, row, sets, isSubtypeOf);
      if (two === undefined) {
        if (pauseDue()) yield PENDING;
        continue;
      }
      yield row;
      if (two === 'bound') row.delete(second.player);
    }
    if (one === 'bound') row.delete(first.player);
  }
}

/** Whether the player may take the edge (its role, its binding or its type); binds it if unbound. */
function take(
  rp: RolePlayerConstraint,
  edge: RoleEdge,
  row: Row,
  sets: TypeSets,
  isSubtypeOf: (type: SchemaType, ancestor: SchemaType) => boolean,
): 'bound' | 'taken' | undefined {
  const spec = rp.role;
  if (spec !== undefined) {
    if (spec.kind === 'named' ? !spec.roles.some((r) => isSubtypeOf(edge.role, r)) : spec.kind === 'fixed' && !isSubtypeOf(edge.role, spec.type)) return undefined;
  }
  const existing = row.get(rp.player);
  if (existing !== undefined) return existing.kind === 'thing' && Buffer.compare(existing.thing.iid, edge.player.iid) === 0 ? 'taken' : undefined;
  if (!(sets.get(rp.player)?.has(edge.player.type) ?? true)) return undefined;
  row.set(rp.player, { kind: 'thing', thing: edge.player });
  return 'bound';
}

/** Level i's scan gave way part-way (edgeOf[i] is the last edge it tried, not held): resume it after a pause. */
const PAUSED = 2;
