// Commit-time rules for things: relations left without players are removed (repeatedly, since removing one
// can empty another), relations kept after losing players must still have one over concurrent commits, and every
// owner touched by the transaction must own exactly one of each @key attribute.
import type { Ownership, SchemaReader } from '../schema/api.js';
import { ThingWrite } from './errors.js';
import { labelOf } from './things.js';
import type { ThingWriter } from './thing-writer.js';

export function removeRelationsWithoutPlayers(things: ThingWriter): void {
  const pending = things.changes.relations;
  while (pending.size > 0) {
    const [key, relation] = pending.entries().next().value!;
    pending.delete(key);
    if (things.exists(relation.iid) && !things.hasAnyPlayer(relation.iid)) things.delete(relation);
  }
}

/** After removeRelationsWithoutPlayers: the relations this transaction kept after removing players from them. */
export function requirePlayersOfKeptRelations(things: ThingWriter): void {
  for (const relation of things.changes.keptAfterLosingPlayers.values()) {
    if (things.exists(relation.iid)) things.requireAnyPlayer(relation.iid);
  }
}

export function validateKeys(things: ThingWriter, schema: SchemaReader): void {
  // Most changed things (attributes, relations) have no key to check: their types are looked up once, before any read.
  const keysByType = new Map<number, Ownership[]>();
  for (const owner of things.changes.owners.values()) {
    let keys = keysByType.get(owner.type.id);
    if (keys === undefined) {
      keys = [...schema.owns(owner.type).values()].filter((ownership) => ownership.key);
      keysByType.set(owner.type.id, keys);
    }
    if (keys.length === 0 || !things.exists(owner.iid)) continue;
    for (const ownership of keys) {
      const count = things.countOwnedAttributes(owner.iid, ownership.attribute);
      if (count === 0) throw ThingWrite.thingKeyMissing(labelOf(owner.type), [labelOf(ownership.attribute)]);
      if (count > 1) throw ThingWrite.thingKeyTooMany(labelOf(owner.type), labelOf(ownership.attribute), count);
    }
  }
}
