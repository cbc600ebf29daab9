// Sequence numbers for entity and relation IIDs, allocated in memory and shared by all transactions of one
// database, so that concurrent writers never contend on a counter key. After a restart, each type's counter
// resumes after the highest IID stored.
import type { Store } from '../storage/api.js';
import { ThingKind, iidSequence, thingTypePrefix } from '../encoding/index.js';
import type { SequenceAllocator } from '../concept/thing-writer.js';

export class Sequences implements SequenceAllocator {
  private readonly nextByType = new Map<number, number>();

  constructor(private readonly store: Store) {}

  next(kind: ThingKind.Entity | ThingKind.Relation, typeId: number): number {
    const key = kind * 65536 + typeId;
    let next = this.nextByType.get(key);
    if (next === undefined) next = this.lastStored(kind, typeId) + 1;
    this.nextByType.set(key, next + 1);
    return next;
  }

  private lastStored(kind: ThingKind, typeId: number): number {
    const snapshot = this.store.snapshot();
    try {
      for (const key of snapshot.prefixKeys(thingTypePrefix(kind, typeId), { reverse: true, limit: 1 })) {
        return iidSequence(key, 1);
      }
      return 0;
    } finally {
      snapshot.close();
    }
  }
}
