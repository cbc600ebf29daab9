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
  const edges = [...things.rolePlayers(relation)];
  const used = edges.map(() => 0);
  const allowedRole = (rp: RolePlayerConstraint, role: SchemaType): boolean => {
    const spec = rp.role;
    if (spec === undefined) return true;
    if (spec.kind === 'named') return spec.roles.some((r) => schema.isSubtypeOf(role, r));
    if (spec.kind === 'fixed') return schema.isSubtypeOf(role, spec.type);
    const b = row.get(spec.name);
    return b === undefined || (b.kind === 'type' && schema.isSubtypeOf(role, b.type));
  };
  function* assign(i: number): Generator<Row> {
    if (i === players.length) {
      yield row;
      return;
    }
    const rp = players[i]!;
    for (let e = 0; e < edges.length; e++) {
      const edge = edges[e]!;
      if (used[e]! >= edge.count || !allowedRole(rp, edge.role)) continue;
      const existing = row.get(rp.player);
      if (existing && !(existing.kind === 'thing' && Buffer.compare(existing.thing.iid, edge.player.iid) === 0)) continue;
      if (!existing && !(sets.get(rp.player)?.has(edge.player.type) ?? true)) continue;
      used[e]!++;
      if (!existing) row.set(rp.player, { kind: 'thing', thing: edge.player });
      const roleVar = rp.role?.kind === 'var' && !row.has(rp.role.name) ? rp.role.name : undefined;
      if (roleVar) {
        for (const type of schema.supertypes(edge.role)) {
          if (!(sets.get(roleVar)?.has(type) ?? true)) continue;
          row.set(roleVar, { kind: 'type', type });
          yield* assign(i + 1);
        }
        row.delete(roleVar);
      } else {
        yield* assign(i + 1);
      }
      if (!existing) row.delete(rp.player);
      used[e]!--;
    }
  }
  yield* assign(0);
}
