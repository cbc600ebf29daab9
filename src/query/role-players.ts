// Matching a relation pattern's role players against a relation's stored role-player edges.
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { Thing, ThingReader } from '../concept/things.js';
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
 * `sets`: the types each variable may take.
 *
 * A depth-first search over the players in order, each tried against the edges in order (and a role variable
 * against the edge role's supertypes), kept on an explicit stack rather than one generator per player: a
 * relation pattern runs this once per relation it meets.
 */
export function* matchPlayers(
  schema: SchemaReader,
  things: ThingReader,
  relation: Thing,
  players: readonly RolePlayerConstraint[],
  row: Row,
  sets: TypeSets,
): Generator<Row> {
  if (relation.type.root !== 'relation') return;
  const edges = things.rolePlayerList(relation);
  const depth = players.length;
  if (depth === 0) {
    yield row;
    return;
  }
  const used = new Array<number>(edges.length).fill(0);
  // Per player (level): the edge it holds (-1 for none yet), whether it bound its player variable there, and the
  // role variable it binds with the role types left to try.
  const edgeOf = new Array<number>(depth).fill(-1);
  const boundPlayer = new Array<boolean>(depth).fill(false);
  const roleVarOf = new Array<string | undefined>(depth).fill(undefined);
  const roleTypesOf = new Array<readonly SchemaType[]>(depth);
  const roleIndexOf = new Array<number>(depth).fill(0);

  const allowedRole = (rp: RolePlayerConstraint, role: SchemaType): boolean => {
    const spec = rp.role;
    if (spec === undefined) return true;
    if (spec.kind === 'named') return spec.roles.some((r) => schema.isSubtypeOf(role, r));
    if (spec.kind === 'fixed') return schema.isSubtypeOf(role, spec.type);
    const b = row.get(spec.name);
    return b === undefined || (b.kind === 'type' && schema.isSubtypeOf(role, b.type));
  };
  /** Releases level i's edge (and the player it bound there). */
  const release = (i: number): void => {
    if (boundPlayer[i]) row.delete(players[i]!.player);
    boundPlayer[i] = false;
    used[edgeOf[i]!]!--;
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
  /** Moves level i to its next edge (binding what it binds there); false when none is left. */
  const nextEdge = (i: number): boolean => {
    const rp = players[i]!;
    for (let e = edgeOf[i]! + 1; e < edges.length; e++) {
      const edge = edges[e]!;
      if (used[e]! >= edge.count || !allowedRole(rp, edge.role)) continue;
      const existing = row.get(rp.player);
      if (existing && !(existing.kind === 'thing' && Buffer.compare(existing.thing.iid, edge.player.iid) === 0)) continue;
      if (!existing && !(sets.get(rp.player)?.has(edge.player.type) ?? true)) continue;
      edgeOf[i] = e;
      used[e]!++;
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
  const advance = (i: number): boolean => {
    if (edgeOf[i]! >= 0) {
      if (roleVarOf[i] !== undefined && nextRoleType(i)) return true;
      release(i);
    }
    return nextEdge(i);
  };

  let level = 0;
  while (level >= 0) {
    if (!advance(level)) {
      level--;
      continue;
    }
    if (level === depth - 1) yield row;
    else level++;
  }
}
