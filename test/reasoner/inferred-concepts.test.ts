// As in TypeDB, what a transaction's queries inferred can be read through its Concept API: inferred things are
// found by IID, marked inferred, and show up among owners and ownerships; a transaction that does not reason sees
// none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeConcept } from '../../src/concept/concepts.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

test("a reasoning transaction's Concept API reads the things its queries inferred", () => {
  withTempManager('inferred-concepts', (manager) => {
    createWithSchema(
      manager,
      'db',
      'define name sub attribute, value string; person sub entity, owns name; rule r: when { $p isa person, has name "a"; } then { $p has name "inferred"; };',
    );
    writeData(manager, 'db', ['insert $p isa person, has name "a";']);
    const session = manager.session('db', 'data');
    try {
      const tx = session.transaction('read', { infer: true });
      const result = tx.query('match $p isa person, has name $n; get;');
      if (result.kind !== 'get') throw new Error('not a get');
      const answers = [...result.answers];
      const inferred = answers.map((a) => a.get('n') as AttributeConcept).find((n) => n.inferred)!;
      const person = answers[0]!.get('p')!;
      if (person.kind !== 'entity') throw new Error('not an entity');
      const things = tx.concepts().things;
      assert.deepEqual(things.get(inferred.iid), inferred);
      assert.deepEqual([...things.getOwners(inferred.iid)].map((o) => o.iid), [person.iid]);
      assert.deepEqual([...things.getHas(person.iid)].map((a) => `${a.value.value}${a.inferred ? ' (inferred)' : ''}`).sort(), ['a', 'inferred (inferred)']);
      tx.close();
      const plain = session.transaction('read');
      assert.equal(plain.concepts().things.get(inferred.iid), undefined);
      plain.close();
    } finally {
      session.close();
    }
  });
});
