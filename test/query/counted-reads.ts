// Runs a read query embedded over a ThingReader that counts what it reads (instances of types, ranges of attribute
// values, ownership edges in both directions, role-player edges in both directions), so that planner tests can check
// the work a plan does, not its time.
import type { Database } from '../../src/database/database.js';
import type { SchemaType } from '../../src/schema/api.js';
import { ThingReader, type Attribute, type RoleEdge, type Thing } from '../../src/concept/things.js';
import { InstanceStatistics } from '../../src/concept/statistics.js';
import { executeQuerySteps } from '../../src/query/index.js';
import { PENDING, runSteps } from '../../src/common/steps.js';
import { parseQuery } from '../../src/typeql/index.js';
import type { IID } from '../../src/encoding/index.js';
import type { Value } from '../../src/common/values.js';

export class CountingReader extends ThingReader {
  /** Things and edges read. */
  reads = 0;
  /** Ranges read (each call of a reading method opens one). */
  ranges = 0;

  private counted<T>(items: Iterable<T>): Generator<T> {
    this.ranges++;
    return this.countEach(items);
  }
  private *countEach<T>(items: Iterable<T>): Generator<T> {
    for (const item of items) {
      this.reads++;
      yield item;
    }
  }
  override instances(type: SchemaType): Generator<Thing> {
    return this.counted(super.instances(type));
  }
  override attributesBetween(type: SchemaType, lower?: Value, upper?: Value, descending?: boolean): Generator<Thing> {
    return this.counted(super.attributesBetween(type, lower, upper, descending));
  }
  override ownedAttributes(owner: IID, attributeType?: SchemaType): Generator<Attribute> {
    return this.counted(super.ownedAttributes(owner, attributeType));
  }
  override owners(attribute: IID): Generator<Thing> {
    return this.counted(super.owners(attribute));
  }
  override ownersOfType(attribute: IID, ownerType: SchemaType): Generator<Thing> {
    return this.counted(super.ownersOfType(attribute, ownerType));
  }
  override rolePlayers(relation: Thing, role?: SchemaType): Generator<RoleEdge> {
    return this.counted(super.rolePlayers(relation, role));
  }
  override relationsOf(player: Thing, role?: SchemaType): Generator<RoleEdge> {
    return this.counted(super.relationsOf(player, role));
  }
}

/** The number of answers of a get, aggregate (1) or fetch query, and the things and edges read to find them, and the ranges. */
export function countedQuery(database: Database, query: string): { answers: number; reads: number; ranges: number } {
  const snapshot = database.store.snapshot();
  try {
    const things = new CountingReader(snapshot, database.schema);
    const ctx = { schema: database.schema, things, statistics: new InstanceStatistics() };
    const result = runSteps(executeQuerySteps(ctx, parseQuery(query)));
    // Lazy answers may give way (PENDING) between answers: those are not answers.
    const answers = 'answers' in result ? [...(result.answers as Iterable<unknown>)].filter((a) => a !== PENDING).length : 1;
    return { answers, reads: things.reads, ranges: things.ranges };
  } finally {
    snapshot.close();
  }
}

/**
 * Runs a read query as the server does (its pause points while it computes, then those among its lazy answers), over a
 * counting reader: the answers, and the most things and edges read between two pause points — how much work the
 * server could do without giving way, counted rather than timed.
 */
export function readsBetweenPauses(database: Database, query: string): { answers: unknown[]; pauses: number; longestStretch: number } {
  const snapshot = database.store.snapshot();
  try {
    const things = new CountingReader(snapshot, database.schema);
    const ctx = { schema: database.schema, things, statistics: new InstanceStatistics() };
    let pauses = 0;
    let longestStretch = 0;
    let readsAtPause = 0;
    const pause = () => {
      pauses++;
      longestStretch = Math.max(longestStretch, things.reads - readsAtPause);
      readsAtPause = things.reads;
    };
    const steps = executeQuerySteps(ctx, parseQuery(query));
    let next = steps.next();
    for (; !next.done; next = steps.next()) pause();
    const result = next.value;
    const answers: unknown[] = [];
    if (result.kind === 'get' || result.kind === 'fetch') {
      for (const answer of result.answers as Iterable<unknown>) {
        if (answer === PENDING) pause();
        else answers.push(answer);
      }
    } else answers.push(result);
    pause();
    return { answers, pauses, longestStretch };
  } finally {
    snapshot.close();
  }
}
