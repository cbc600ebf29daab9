// A `has` step reads an attribute's owners (or an owner's attributes) lazily from the storage cursor: an attribute
// owned by thousands of things gives way while its owners are read, even when its type filter rejects them all,
// instead of reading them all into an array in one go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PENDING } from '../../src/common/steps.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const DOGS = 6000;
const PERSONS = 3000;
const BATCH = 500;

/** Inserts of `count` things of `type`, in batches, each owning the tag `tagOf(i)`. */
function inserts(type: string, count: number, tagOf: (i: number) => string): string[] {
  const queries: string[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const things = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => `$x${k} isa ${type}, has tag "${tagOf(start + k)}";`);
    queries.push(`insert ${things.join(' ')}`);
  }
  return queries;
}

test('the owners of one attribute are read lazily: a has step that rejects thousands of owners pauses while it reads', () => {
  withTempManager('lazy-has', (manager) => {
    createWithSchema(manager, 'tags', 'define tag sub attribute, value string; person sub entity, owns tag; dog sub entity, owns tag;');
    // Every dog owns "shared"; each person a tag of its own, so that a tag has few owners on average and the plan
    // reads the owners of "shared" (then keeps only persons) rather than scanning the persons.
    writeData(manager, 'tags', [...inserts('dog', DOGS, () => 'shared'), ...inserts('person', PERSONS, (i) => `p${i}`), 'insert $p isa person, has tag "shared";']);
    const session = manager.session('tags', 'data');
    try {
      const tx = session.transaction('read');
      try {
        const steps = tx.queryInSteps('match $t "shared" isa tag; $o isa person, has $t; get $o;');
        let pauses = 0;
        let next = steps.next();
        for (; !next.done; next = steps.next()) pauses++;
        const result = next.value;
        assert.equal(result.kind, 'get');
        const answers = [];
        for (const answer of result.kind === 'get' ? result.answers : []) {
          if (answer === PENDING) pauses++;
          else answers.push(answer);
        }
        assert.equal(answers.length, 1, 'the one person that owns "shared"');
        // 6001 owners read, 6000 rejected: a pause point every 1024 steps or so.
        assert.ok(pauses >= 4, `${pauses} pause points while reading ${DOGS + 1} owners`);
      } finally {
        tx.close();
      }
    } finally {
      session.close();
    }
  });
});
