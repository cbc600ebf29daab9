// A pattern no type can satisfy fails with QRY16 naming the variable left without types and the constraint at
// which its types ran out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, withTempManager } from '../support/databases.js';

test('an unsatisfiable pattern names the constraint at which the types ran out', () => {
  withTempManager('unsatisfiable', (manager) => {
    createWithSchema(manager, 'db', 'define name sub attribute, value string; age sub attribute, value long; person sub entity, owns name, owns age; company sub entity, owns name;');
    const session = manager.session('db', 'data');
    const failure = (query: string) => {
      const tx = session.transaction('read');
      try {
        const result = tx.query(query);
        if (result.kind === 'get') [...result.answers];
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      } finally {
        tx.close();
      }
    };
    try {
      const start = '[QRY16] Invalid Query Pattern: The pattern can never be satisfied in the current schema: no type fits the variable';
      assert.equal(
        failure('match $x isa person, has name $n; $n > 3; get;'),
        `${start} '$x'. No type of the variable '$n' satisfies '$n > 3' together with the rest of the pattern.`,
      );
      assert.equal(
        failure('match $x isa person, has age "30"; get;'),
        `${start} '$x'. No type of an anonymous variable satisfies '$_ == "30"' together with the rest of the pattern.`,
      );
      assert.match(failure('match $x isa person; $y isa person; $x != $y; get;'), /'\$x != \$y'.*write 'not \{ \$x is \$y; \};'\.$/);
      // A negation or a disjunction branch that can never match is refused too, as TypeDB's type inference does.
      const inner = '[QRY17] Invalid Query Pattern: A negation or disjunction branch of the pattern can never be satisfied in the current schema: no type fits the variable';
      assert.equal(
        failure('match $x isa company; { $x has name "a"; } or { $x has age 3; }; get;'),
        `${inner} '$x' there. No type of an anonymous variable satisfies '$_ isa age' together with the rest of the pattern.`,
      );
      assert.match(failure('match $x isa company; not { $x has age 3; }; get;'), /^\[QRY17\] /);
      assert.equal(failure('match $x isa company; not { $x has name "a"; }; get;'), 'no error');
    } finally {
      session.close();
    }
  });
});
