// The matcher plans a step once per scope and planning inputs, not at every row: a body matched from many seeds
// that bind the same variables to things of the same types is planned once (as the reasoner matches rule bodies,
// once per new fact). A plan is not reused where an input it was made from differs: the variables bound, or the
// type bound to a variable whose binding the plan reads (a relation's anchor, a role variable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, DB, type Fixture } from '../concept/fixtures.js';
import { ThingReader, type Thing } from '../../src/concept/things.js';
import { Matcher } from '../../src/query/matcher.js';
import { PlanNode, type StepPlan } from '../../src/query/step-plans.js';
import { PositionSet } from '../../src/query/position-set.js';
import { PatternCompiler } from '../../src/query/compiler.js';
import { parseQuery } from '../../src/typeql/index.js';
import { bindingKey, type Row } from '../../src/query/bindings.js';
import type { SchemaType } from '../../src/schema/api.js';
import { labelText } from '../../src/schema/labels.js';

const SCHEMA = `define
name sub attribute, value string;
person sub entity, owns name @key, plays membership:member;
group sub entity, owns name @key, plays membership:member, plays membership:parent;
membership sub relation, relates parent, relates member;`;

// Groups g0 (parent of g1 and g2), g1 (of p0–p2) and g2 (of p3, p4).
const DATA = `insert
$g0 isa group, has name "g0"; $g1 isa group, has name "g1"; $g2 isa group, has name "g2";
$p0 isa person, has name "p0"; $p1 isa person, has name "p1"; $p2 isa person, has name "p2";
$p3 isa person, has name "p3"; $p4 isa person, has name "p4";
(parent: $g0, member: $g1) isa membership; (parent: $g0, member: $g2) isa membership;
(parent: $g1, member: $p0) isa membership; (parent: $g1, member: $p1) isa membership; (parent: $g1, member: $p2) isa membership;
(parent: $g2, member: $p3) isa membership; (parent: $g2, member: $p4) isa membership;`;

interface Bodies {
  /** The answers of the pattern extending the seed, each as the sorted names (or type labels) of `show`. */
  answers(pattern: string, seed: Row, show: readonly string[]): string[];
  readonly plansMade: number;
  thing(name: string): Thing;
  role(name: string): SchemaType;
}

/** Matches patterns with one matcher over a snapshot of DATA, as a reasoning run does (scopes kept per pattern). */
function withBodies(body: (b: Bodies) => void) {
  return withFixture(SCHEMA, (f: Fixture) => {
    f.write('data', (tx) => tx.query(DATA));
    const database = f.manager.get(DB);
    const schema = database.schema;
    const snapshot = database.store.snapshot();
    try {
      const things = new ThingReader(snapshot, schema);
      const matcher = new Matcher(schema, things);
      const scopes = new Map<string, ReturnType<Matcher['prepare']>>();
      const byName = new Map<string, Thing>();
      const named = `match $t isa thing, has name $n; get;`;
      const query = parseQuery(named);
      assert.equal(query.kind, 'get');
      for (const row of matcher.match(matcher.prepare(new PatternCompiler(schema).compile(query.match)))) {
        if (typeof row === 'symbol') continue;
        const t = row.get('t')!;
        const n = row.get('n')!;
        if (t.kind === 'thing' && n.kind === 'thing') byName.set(String(things.attributeValue(n.thing.iid)!.value), t.thing);
      }
      const plansBefore = matcher.plansMade;
      body({
        answers(pattern, seed, show) {
          let scope = scopes.get(pattern);
          if (scope === undefined) {
            const q = parseQuery(`match ${pattern} get;`);
            assert.equal(q.kind, 'get');
            scopes.set(pattern, (scope = matcher.prepare(new PatternCompiler(schema).compile(q.match), false)));
          }
          const out: string[] = [];
          for (const row of matcher.match(scope, new Map(seed))) {
            if (typeof row === 'symbol') continue;
            out.push(show.map((v) => {
              const b = row.get(v)!;
              if (b.kind === 'type') return labelText(b.type.label);
              if (b.kind === 'thing' && b.thing.type.root === 'attribute') return String(things.attributeValue(b.thing.iid)!.value);
              return [...byName].find(([, t]) => bindingKey({ kind: 'thing', thing: t }, things) === bindingKey(b, things))?.[0] ?? '?';
            }).join(' '));
          }
          return out.sort();
        },
        get plansMade() {
          return matcher.plansMade - plansBefore;
        },
        thing: (name) => byName.get(name)!,
        role: (name) => schema.get({ scope: 'membership', name })!,
      });
    } finally {
      snapshot.close();
    }
  });
}

const seed = (bindings: Record<string, Thing | SchemaType>): Row =>
  new Map(Object.entries(bindings).map(([v, b]) => [v, 'iid' in b ? { kind: 'thing', thing: b } : { kind: 'type', type: b }]));

const PARENTS = '(parent: $g, member: $m) isa membership; $g has name $n;';

test('a body matched from seeds binding the same variables to the same types is planned once', withBodies((b) => {
  assert.deepEqual(b.answers(PARENTS, seed({ m: b.thing('p0') }), ['g', 'n']), ['g1 g1']);
  const planned = b.plansMade;
  assert.ok(planned > 0);
  assert.deepEqual(b.answers(PARENTS, seed({ m: b.thing('p1') }), ['g', 'n']), ['g1 g1']);
  assert.deepEqual(b.answers(PARENTS, seed({ m: b.thing('p3') }), ['g', 'n']), ['g2 g2']);
  assert.deepEqual(b.answers(PARENTS, seed({ m: b.thing('p4') }), ['g', 'n']), ['g2 g2']);
  assert.equal(b.plansMade, planned, 'seeds of the same variables and types reuse the first seed\'s plans');
}));

test('a plan is not reused when other variables are bound', withBodies((b) => {
  assert.deepEqual(b.answers(PARENTS, seed({ m: b.thing('p0') }), ['g', 'n']), ['g1 g1']);
  const planned = b.plansMade;
  // $g bound instead of $m: the plan above would read the relation from $m, which is unbound here.
  assert.deepEqual(b.answers(PARENTS, seed({ g: b.thing('g1') }), ['m', 'n']), ['p0 g1', 'p1 g1', 'p2 g1']);
  assert.ok(b.plansMade > planned, 'a new bound set is planned anew');
  // Nothing bound, and both bound: planned anew too, with the answers each asks for.
  assert.deepEqual(b.answers(PARENTS, seed({}), ['g', 'm']), ['g0 g1', 'g0 g2', 'g1 p0', 'g1 p1', 'g1 p2', 'g2 p3', 'g2 p4']);
  assert.deepEqual(b.answers(PARENTS, seed({ g: b.thing('g2'), m: b.thing('p0') }), ['n']), []);
  assert.deepEqual(b.answers(PARENTS, seed({ g: b.thing('g2'), m: b.thing('p4') }), ['n']), ['g2']);
  // An owner bound, then not: the first plan checks `$p isa person` on the bound $p and reads its name.
  const named = '$p isa person, has name $n;';
  assert.deepEqual(b.answers(named, seed({ p: b.thing('p3') }), ['n']), ['p3']);
  assert.deepEqual(b.answers(named, seed({}), ['p', 'n']), ['p0 p0', 'p1 p1', 'p2 p2', 'p3 p3', 'p4 p4']);
}));

test('a plan is not reused when a role variable it reads is bound to another role', withBodies((b) => {
  const roles = '($r: $x) isa membership;';
  // The relation is read from $x's edges in the bound role only: g1 is a member once and a parent three times.
  assert.deepEqual(b.answers(roles, seed({ x: b.thing('g1'), r: b.role('member') }), ['r']), ['membership:member']);
  const planned = b.plansMade;
  assert.deepEqual(b.answers(roles, seed({ x: b.thing('g1'), r: b.role('parent') }), ['r']), ['membership:parent', 'membership:parent', 'membership:parent']);
  assert.ok(b.plansMade > planned, 'another role is planned anew');
  // The same role again, with another player of the same type: planned already.
  const replanned = b.plansMade;
  assert.deepEqual(b.answers(roles, seed({ x: b.thing('g2'), r: b.role('parent') }), ['r']), ['membership:parent', 'membership:parent']);
  assert.equal(b.plansMade, replanned);
}));

test('a plan is not reused when a relation\'s bound player has another type', withBodies((b) => {
  const members = '(parent: $g, member: $m) isa membership;';
  assert.deepEqual(b.answers(members, seed({ m: b.thing('p0') }), ['g']), ['g1']);
  const planned = b.plansMade;
  // A group as the member: the relations a member is in are estimated per its type.
  assert.deepEqual(b.answers(members, seed({ m: b.thing('g1') }), ['g']), ['g0']);
  assert.ok(b.plansMade > planned, 'a member of another type is planned anew');
}));

test('one list of remaining constraints keeps at most 1 024 plans: inputs in more combinations are planned per row', () => {
  const node = new PlanNode(0, [], [], PositionSet.empty(0));
  const plan: StepPlan = { filters: [], pending: 0, answer: true };
  for (let i = 0; i < 1_100; i++) node.add(`key${i}`, plan);
  assert.equal(node.get('key0'), plan);
  assert.equal(node.get('key1023'), plan);
  assert.equal(node.get('key1024'), undefined);
  assert.equal(node.get('key1099'), undefined);
});
