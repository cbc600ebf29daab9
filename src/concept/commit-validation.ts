// Commit-time rules for things: relations left without players are removed (repeatedly, since removing one
// can empty another), relations kept after losing players must still have one over concurrent commits, and every
// owner touched by the transaction must own exactly one of each @key attribute.
import type { SchemaReader } from '../schema/api.js';
import { ThingWrite } from './errors.js';
import { labelOf, type ThingWriter } from './things.js';

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
  for (const owner of things.changes.owners.values()) {
    if (!things.exists(owner.iid)) continue;
    for (const ownership of schema.owns(owner.type).values()) {
      if (!ownership.key) continue;
      let count = 0;
      for (const _ of things.ownedAttributes(owner.iid, ownership.attribute)) count++;
      if (count === 0) throw ThingWrite.thingKeyMissing(labelOf(owner.type), [labelOf(ownership.attribute)]);
      if (count > 1) throw ThingWrite.thingKeyTooMany(labelOf(owner.type), labelOf(ownership.attribute), count);
    }
  }
}
