// A rule's conclusion is checked as TypeDB checks it (Rule.validateInsertable): by full type inference of each
// branch of its `when`, so what a disjunction, an unlabelled role, a typed attribute variable, `is` or a type
// variable narrows counts, and a conclusion some allowed combination of types cannot insert is refused ([RUW03]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, withTempManager } from '../support/databases.js';

const SCHEMA = `define
  name sub attribute, value string; color sub attribute, value string; score sub attribute, value long;
  being sub entity, abstract;
  person sub being, owns name, owns score, plays friendship:friend;
  dog sub being, owns name, owns color;
  friendship sub relation, relates friend;`;

function defineRule(rule: string): string {
  return withTempManager('rule-conclusions', (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    const session = manager.session('db', 'schema');
    const tx = session.transaction('write');
    try {
      tx.query(`define rule r: ${rule}`);
      tx.commit();
      return 'accepted';
    } catch (e) {
      return (e as Error).message;
    } finally {
      if (tx.isOpen()) tx.close();
      session.close();
    }
  });
}

test('a conclusion every branch of the when can insert is accepted, whatever narrows the types', () => {
  for (const when of [
    '$x isa being; { $x isa person; } or { $x has score 5; };',
    '$x isa being; $r ($x) isa friendship;',
    '$x isa being; $x has $a; $a isa score;',
    '$x isa being; $x has $a; $a > 3;',
    '$x isa being; $y isa person; $x is $y;',
    '$x isa entity; $x isa $t; $t plays friendship:friend;',
  ]) {
    assert.equal(defineRule(`when { ${when} } then { $x has score 1; };`), 'accepted', when);
  }
});

test('a conclusion some allowed combination of types cannot insert is refused with [RUW03]', () => {
  const refused = (rule: string, types: string) =>
    assert.equal(defineRule(rule), `[RUW03] Invalid Rule Write: The conclusion of rule 'r' may insert types '${types}', which is not allowed in the current schema.`);
  refused('when { $x isa person; $y isa dog, has $a; } then { $x has $a; };', '{$x=person, $a=color}');
  refused('when { $x isa $t; { $t type person; } or { $t type dog; }; } then { $x has score 1; };', '{$x=dog}');
  refused('when { $x isa $t; $t type dog; } then { (friend: $x) isa friendship; };', '{$x=dog}');
  refused('when { $x isa being; } then { $x has score 1; };', '{$x=dog}');
});
