// The planner's counts over a view with inferred facts are the database's, over the stored data, cached across
// queries: each query's StoredCounts must not count the view it is given again (up to 100 000 keys a type).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstanceStatistics } from '../../src/concept/statistics.js';
import type { ThingReader } from '../../src/concept/things.js';
import type { SchemaType } from '../../src/schema/api.js';
import { StoredCounts } from '../../src/query/stored-counts.js';

/** A reader that counts how often its edges and instances are counted. */
function countingReader(edges: number, players: number): { reader: ThingReader; calls: { edges: number; instances: number } } {
  const calls = { edges: 0, instances: 0 };
  const reader = {
    countPlayerEdges: () => (calls.edges++, { edges, players, byRole: new Map() }),
    countInstances: () => (calls.instances++, players),
  } as unknown as ThingReader;
  return { reader, calls };
}

test('edges per player is counted once over the stored data for every query, never over the inferred view', () => {
  const type = { id: 7 } as SchemaType;
  const database = new InstanceStatistics();
  const stored = countingReader(40, 10);
  const inferred = countingReader(4_000, 10);
  for (let query = 0; query < 3; query++) {
    const counts: InstanceStatistics = new StoredCounts(database, stored.reader);
    assert.equal(counts.edgesPerPlayer(type, inferred.reader), 4);
  }
  assert.equal(stored.calls.edges, 1);
  assert.equal(inferred.calls.edges + inferred.calls.instances, 0);
});
