// Explainables and explanations in the engine: which answers carry explainables (inferred concepts only), what an
// explanation holds for relation, ownership and attribute conclusions, chains of rules (a condition explained in
// turn), disjunctive `when`s, and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeConcept, Concept, ConceptMap } from '../../src/concept/concepts.js';
import type { DatabaseManager } from '../../src/database/manager.js';
import type { Explainables, QueryResult, Transaction } from '../../src/database/api.js';
import { createWithSchema, uidNames, withTempManager, writeData } from '../support/databases.js';

const SCHEMA = `define
  uid sub attribute, value string;
  tag sub attribute, value string;
  node sub entity, owns uid @key, owns tag, plays edge:from, plays edge:to, plays path:from, plays path:to;
  edge sub relation, owns uid, relates from, relates to;
  path sub relation, relates from, relates to;
  rule edges-are-paths: when { (from: $a, to: $b) isa edge; } then { (from: $a, to: $b) isa path; };
  rule paths-compose: when { (from: $a, to: $b) isa path; (from: $b, to: $c) isa path; } then { (from: $a, to: $c) isa path; };
  rule tagged: when { $n isa node; { $n has uid "a"; } or { $n has uid "c"; }; } then { $n has tag "end"; };
  rule reachable-tag: when { $n isa node; (from: $n, to: $m) isa path; $m has tag "end"; } then { $n has tag "start"; };`;

function withGraph<T>(body: (manager: DatabaseManager) => T): T {
  return withTempManager('explanations', (manager) => {
    createWithSchema(manager, 'g', SCHEMA);
    writeData(manager, 'g', [
      'insert $a isa node, has uid "a"; $b isa node, has uid "b"; $c isa node, has uid "c"; $d isa node, has uid "d", has tag "start";' +
        '(from: $a, to: $b) isa edge, has uid "ab"; (from: $b, to: $c) isa edge, has uid "bc"; (from: $c, to: $d) isa path;',
    ]);
    return body(manager);
  });
}

function read<T>(manager: DatabaseManager, options: { infer?: boolean; explain?: boolean }, body: (tx: Transaction) => T): T {
  const session = manager.session('g', 'data');
  try {
    const tx = session.transaction('read', options);
    try {
      return body(tx);
    } finally {
      if (tx.isOpen()) tx.close();
    }
  } finally {
    session.close();
  }
}

function get(tx: Transaction, query: string): { answers: ConceptMap[]; explainables: (a: ConceptMap) => Explainables } {
  const result: QueryResult = tx.query(query);
  assert.equal(result.kind, 'get');
  if (result.kind !== 'get') throw new Error('unreachable');
  const answers = [...result.answers];
  return { answers, explainables: (a) => result.explainables!(a) };
}

/** Things by their uid (`a`), as the graph names them; others (inferred relations) by their kind. */
function names(tx: Transaction): (concept: Concept) => string {
  const byUid = uidNames(tx);
  return (concept) => (byUid(concept) as string | undefined)?.replace(/^#/, '') ?? concept.kind;
}

/** The value of the attribute an answer binds to the variable, as text. */
function valueText(answer: ConceptMap, variable: string): string {
  return String((answer.get(variable) as AttributeConcept).value.value);
}

function mapText(map: ConceptMap, name: (c: Concept) => string): string {
  return [...map].map(([v, c]) => `${v}=${c.kind === 'type' ? c.label.name : name(c)}`).sort().join(' ');
}

test('explainables are given for inferred relations only, and only with the explain option', () => {
  withGraph((manager) => {
    read(manager, { infer: true, explain: true }, (tx) => {
      const { answers, explainables } = get(tx, 'match $p (from: $x, to: $y) isa path; $x has uid $xu; $y has uid $yu; get $p, $xu, $yu;');
      const lines = answers.map((a) => `${valueText(a, 'xu')}->${valueText(a, 'yu')}:${explainables(a).relations.has('p')}`);
      // c->d is stored (nothing to explain); the others are inferred.
      assert.deepEqual(lines.sort(), ['a->b:true', 'a->c:true', 'a->d:true', 'b->c:true', 'b->d:true', 'c->d:false']);
    });
    read(manager, { infer: true, explain: true }, (tx) => {
      // In a disjunction's branch too (a match returns only variables of its own statements: $p is named outside).
      const { answers, explainables } = get(tx, 'match $x has uid "c"; $p isa path; { $p (from: $x, to: $y) isa path; } or { $p (from: $y, to: $x) isa path; }; get $p;');
      assert.equal(answers.length, 3, 'c->d stored; a->c and b->c inferred');
      assert.deepEqual(answers.map((a) => explainables(a).relations.has('p')).sort(), [false, true, true]);
    });
    read(manager, { infer: true }, (tx) => {
      const result = tx.query('match $p (from: $x, to: $y) isa path; get;');
      assert.equal(result.kind === 'get' && result.explainables, undefined);
    });
  });
});

test('a chain of rules: the condition of an explanation is explained in turn, down to stored facts', () => {
  withGraph((manager) => {
    read(manager, { infer: true, explain: true }, (tx) => {
      const name = names(tx);
      const { answers, explainables } = get(tx, 'match $p (from: $x, to: $y) isa path; $x has uid "a"; $y has uid "c"; get;');
      assert.equal(answers.length, 1);
      const explainable = explainables(answers[0]!).relations.get('p')!;
      assert.equal(explainable.conjunction, '{ $p (from: $x, to: $y) isa path; }');
      const explanations = tx.explain(explainable.id);
      // a->c composes a->b and b->c, both inferred from edges.
      assert.deepEqual(explanations.map((e) => e.rule.label), ['paths-compose']);
      const [composed] = explanations;
      assert.equal(mapText(composed!.condition, name).replace(/_\d+=\S+ /g, ''), 'a=a b=b c=c');
      assert.deepEqual([...composed!.variableMapping], [['p', ['_']], ['x', ['a']], ['y', ['c']]]);
      assert.equal(mapText(composed!.conclusion, name), '_=relation a=a c=c path:from=from path:to=to path=path');
      const nested = [...composed!.conditionExplainables.relations.values()];
      assert.equal(nested.length, 2, 'both paths of the condition were inferred');
      for (const e of nested) assert.deepEqual(tx.explain(e.id).map((x) => x.rule.label), ['edges-are-paths']);
      const fromEdge = tx.explain(nested[0]!.id)[0]!;
      assert.equal([...fromEdge.conditionExplainables.relations].length, 0, 'an edge is stored');
    });
  });
});

test('ownerships and attributes: inferred ones are explainable, a disjunctive when is explained by its branch', () => {
  withGraph((manager) => {
    read(manager, { infer: true, explain: true }, (tx) => {
      const name = names(tx);
      const { answers, explainables } = get(tx, 'match $n has tag $t; $n has uid $u; get;');
      const lines = answers.map((a) => {
        const owned = explainables(a).ownerships.get('n');
        return `${name(a.get('n')!)}:${valueText(a, 't')}:${owned?.has('t') ?? false}:${owned?.has('u') ?? false}`;
      });
      // d's "start" tag is stored; a, b and c reach c or are c/a.
      assert.deepEqual(lines.sort(), ['a:end:true:false', 'a:start:true:false', 'b:start:true:false', 'c:end:true:false', 'd:start:false:false']);
      const cEnd = answers.find((a) => name(a.get('n')!) === 'c' && valueText(a, 't') === 'end')!;
      const [explanation, ...others] = tx.explain(explainables(cEnd).ownerships.get('n')!.get('t')!.id);
      assert.equal(explanation!.rule.label, 'tagged');
      assert.equal(others.length, 0);
      // a has both tags, from two rules that conclude a tag: each ownership is explained by its own rule only.
      const rulesOf = (tag: string) => {
        const answer = answers.find((a) => name(a.get('n')!) === 'a' && valueText(a, 't') === tag)!;
        return tx.explain(explainables(answer).ownerships.get('n')!.get('t')!.id).map((e) => e.rule.label);
      };
      assert.deepEqual(rulesOf('end'), ['tagged']);
      assert.deepEqual(rulesOf('start'), ['reachable-tag'], 'only the path to c, which ends');
      assert.equal(mapText(explanation!.condition, name).replace(/_\d+=\S+ ?/g, '').trim(), 'n=c');
      assert.deepEqual([...explanation!.variableMapping], [['n', ['n']], ['t', ['_']]]);

      // "start" also exists in the data (d's tag), so only the ownerships are inferred; "end" is a new attribute.
      const tags = get(tx, 'match $t isa tag; get;');
      const attributeLines = tags.answers.map((a) => `${valueText(a, 't')}:${tags.explainables(a).attributes.has('t')}`);
      assert.deepEqual(attributeLines.sort(), ['end:true', 'start:false']);
      const end = tags.answers.find((a) => valueText(a, 't') === 'end')!;
      const owners = tx.explain(tags.explainables(end).attributes.get('t')!.id).map((e) => name(e.conclusion.get('n')!));
      assert.deepEqual(owners.sort(), ['a', 'c']);
    });
  });
});

test('each rule answer that concludes the fact is one explanation: a path has one per intermediate node', () => {
  withTempManager('explanations-chain', (manager) => {
    createWithSchema(manager, 'g', SCHEMA);
    const nodes = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'];
    writeData(manager, 'g', [
      'insert ' + nodes.map((n) => `$${n} isa node, has uid "${n}";`).join(' ') + nodes.slice(1).map((n, i) => `(from: $v${i}, to: $${n}) isa edge;`).join(' '),
    ]);
    read(manager, { infer: true, explain: true }, (tx) => {
      const { answers, explainables } = get(tx, 'match $p (from: $x, to: $y) isa path; $x has uid $xu; $y has uid $yu; get;');
      const uid = (a: ConceptMap, v: string) => Number(valueText(a, v).slice(1));
      assert.equal(answers.length, 15);
      for (const a of answers) {
        const steps = uid(a, 'yu') - uid(a, 'xu');
        const count = tx.explain(explainables(a).relations.get('p')!.id).length;
        // One step: from its edge. More: composed at each of the steps - 1 nodes in between.
        assert.equal(count, Math.max(1, steps - 1), `v${uid(a, 'xu')} to v${uid(a, 'yu')}`);
      }
    });
  });
});

test('a conclusion whose relation type is a variable (`isa $t`) is explained with the type the condition bound', () => {
  withTempManager('explanations-type-variable', (manager) => {
    createWithSchema(
      manager,
      'g',
      `${SCHEMA}
        shortcut sub path;
        rule edges-are-links: when { (from: $a, to: $b) isa edge; $t sub path; } then { (from: $a, to: $b) isa $t; };`,
    );
    writeData(manager, 'g', ['insert $a isa node, has uid "a"; $b isa node, has uid "b"; (from: $a, to: $b) isa edge;']);
    read(manager, { infer: true, explain: true }, (tx) => {
      const name = names(tx);
      const { answers, explainables } = get(tx, 'match $p (from: $x, to: $y) isa! shortcut; get;');
      assert.equal(answers.length, 1);
      const explanations = tx.explain(explainables(answers[0]!).relations.get('p')!.id);
      assert.deepEqual(explanations.map((e) => e.rule.label), ['edges-are-links']);
      assert.equal(mapText(explanations[0]!.conclusion, name), '_=relation a=a b=b path:from=from path:to=to t=shortcut');
      assert.equal(mapText(explanations[0]!.condition, name).replace(/_\d+=\S+ /g, ''), 'a=a b=b t=shortcut');
    });
  });
});

test('an explainable id the transaction did not hand out fails, naming it, and closes the transaction', () => {
  withGraph((manager) => {
    read(manager, { infer: true, explain: true }, (tx) => {
      assert.throws(() => tx.explain(7), /\[RSN09\].*no explainable with id 7/);
      assert.equal(tx.isOpen(), false);
    });
  });
});
