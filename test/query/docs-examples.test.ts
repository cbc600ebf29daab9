// Queries as TypeDB 2.x's documentation and example projects write them, over a small access-management schema in
// their style (abstract relation types whose roles subtypes override with `as`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transaction } from '../../src/database/api.js';
import { createWithSchema, inTransaction, withTempManager } from '../support/databases.js';

const SCHEMA = `define
  membership sub relation, abstract, relates parent, relates member;
  group-membership sub membership, relates group as parent, relates group-member as member;
  collection-membership sub membership, relates collection as parent, relates collection-member as member;
  subject sub entity, plays group-membership:group, plays group-membership:group-member;
  object sub entity, plays collection-membership:collection, plays collection-membership:collection-member;`;

/** Runs the body in a schema read transaction over the schema. */
function withSchemaRead(body: (tx: Transaction) => void): void {
  withTempManager('docs-examples', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    inTransaction(manager, 'db', 'schema', 'read', body);
  });
}

/** The labels a type variable takes in the answers, sorted. */
function labels(tx: Transaction, query: string, variable: string): string[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error('expected answers');
  return [...result.answers]
    .map((answer) => {
      const concept = answer.get(variable)!;
      if (concept.kind !== 'type') throw new Error('expected a type');
      return `${concept.label.scope ? `${concept.label.scope}:` : ''}${concept.label.name}`;
    })
    .sort();
}

test('`relates $x as member` names the role the relation type overrides, which only its supertype relates', () => {
  withSchemaRead((tx) => {
    // TypeDB 2.x's documentation: "the super-relation being membership and the matched role being group-member".
    assert.deepEqual(labels(tx, 'match group-membership relates $x as member; get $x;', 'x'), ['group-membership:group-member']);
    assert.deepEqual(labels(tx, 'match group-membership relates $x as parent; get $x;', 'x'), ['group-membership:group']);
    assert.deepEqual(labels(tx, 'match $r relates $x as member; get $x;', 'x'), [
      'collection-membership:collection-member',
      'group-membership:group-member',
    ]);
    // The relation type's own role overrides nothing: no answer, as TypeDB resolves the label and finds no override.
    assert.deepEqual(labels(tx, 'match membership relates $x as member; get $x;', 'x'), []);
  });
});

test('`relates $x as` a role that neither the relation type nor its supertypes relate fails with [TYR04], as an unknown role label elsewhere in a match', () => {
  withSchemaRead((tx) => {
    assert.throws(() => tx.query('match group-membership relates $x as owner; get $x;'), {
      message: "[TYR04] Invalid Type Read: There is no role type 'owner' in the relation type 'group-membership'",
    });
  });
});
