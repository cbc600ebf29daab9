// A reasoner's InferredFacts over a snapshot of a small friendship database, for tests of what its reader sees.
import { withFixture, DB } from '../concept/fixtures.js';
import { InferredFacts } from '../../src/reasoner/inferred-facts.js';
import type { SchemaType } from '../../src/schema/api.js';

const SCHEMA = 'define person sub entity, plays friendship:friend; friendship sub relation, relates friend;';

export interface FriendshipTypes {
  readonly person: SchemaType;
  readonly friendship: SchemaType;
  readonly friend: SchemaType;
}

/** Runs `body` with facts over a snapshot of the data `insert` wrote (closed after it), and the schema's types. */
export function withFriendshipFacts(insert: string, body: (facts: InferredFacts, types: FriendshipTypes) => void) {
  return withFixture(SCHEMA, (f) => {
    f.write('data', (tx) => tx.query(insert));
    const database = f.manager.get(DB);
    const schema = database.schema;
    const snapshot = database.store.snapshot();
    try {
      body(new InferredFacts(snapshot, schema), {
        person: schema.get({ name: 'person' })!,
        friendship: schema.get({ name: 'friendship' })!,
        friend: schema.get({ scope: 'friendship', name: 'friend' })!,
      });
    } finally {
      snapshot.close();
    }
  });
}
