// A match prepared by the matcher itself, over a snapshot of a fixture's database, for tests that count the work
// preparing and searching it takes (the matcher's counters) rather than time it.
import assert from 'node:assert/strict';
import { DB, type Fixture } from '../concept/fixtures.js';
import { ThingReader } from '../../src/concept/things.js';
import { Matcher } from '../../src/query/matcher.js';
import type { Scope } from '../../src/query/match-scope.js';
import { PatternCompiler } from '../../src/query/compiler.js';
import { parseQuery } from '../../src/typeql/index.js';

/** Runs `body` with a new matcher and the prepared top-level scope of `match <pattern>`; the snapshot closes after. */
export function withPreparedMatch<T>(f: Fixture, pattern: string, body: (matcher: Matcher, scope: Scope) => T): T {
  const database = f.manager.get(DB);
  const snapshot = database.store.snapshot();
  try {
    const matcher = new Matcher(database.schema, new ThingReader(snapshot, database.schema));
    const query = parseQuery(`match ${pattern} get;`);
    assert.equal(query.kind, 'get');
    return body(matcher, matcher.prepare(new PatternCompiler(database.schema).compile(query.match)));
  } finally {
    snapshot.close();
  }
}
