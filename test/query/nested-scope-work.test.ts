// Negations and disjunction branches cost what they name, not the size of the match around them. A match with one
// negation per column (`$p has name $aI; not { $aI == "zI"; };` n times) inferred each negation's types against a
// copy of every enclosing variable's set, and checked each negation on a copy of the whole row: both n², and n = 5 000
// exhausted a 4 GB heap. The work is counted, not timed: types copied and examined by inference, and row entries
// read by the search (a copy of the row reads them all).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFixture, DB, type Fixture } from '../concept/fixtures.js';
import { PatternCompiler } from '../../src/query/compiler.js';
import { TypeInference } from '../../src/query/inference.js';
import { parseQuery } from '../../src/typeql/index.js';
import type { Binding } from '../../src/query/bindings.js';
import { withPreparedMatch } from './prepared-match.js';

const SCHEMA = `define
label sub attribute, abstract, value string;
name sub label;
nick sub label;
person sub entity, owns name, owns nick;`;

const DATA = `insert $p isa person, has name "n0"; $q isa person, has nick "k";`;

const range = (n: number, item: (i: number) => string) => Array.from({ length: n }, (_, i) => item(i)).join(' ');

/** A row that counts the entries read by iterating it, as copying it (`new Map(row)`) does. */
class CountingRow extends Map<string, Binding> {
  entriesRead = 0;
  override [Symbol.iterator](): MapIterator<[string, Binding]> {
    const entries = super[Symbol.iterator]();
    const next = entries.next.bind(entries);
    entries.next = () => {
      const r = next();
      if (!r.done) this.entriesRead++;
      return r;
    };
    return entries;
  }
  override entries(): MapIterator<[string, Binding]> {
    return this[Symbol.iterator]();
  }
}

/**
 * The answers of `match <pattern>`, the inference work preparing and matching it took, the row entries read, and how
 * many answers were another object than the row the search was given (a copy made on the way).
 */
function measured(f: Fixture, pattern: string): { answers: string[]; inference: number; rowReads: number; copies: number } {
  return withPreparedMatch(f, pattern, (matcher, scope) => {
    const row = new CountingRow();
    const answers: string[] = [];
    let copies = 0;
    for (const answer of matcher.match(scope, row)) {
      if (typeof answer === 'symbol') continue;
      if (answer !== row) copies++;
      answers.push([...Map.prototype.keys.call(answer)].filter((k) => !k.startsWith('#')).sort().join(','));
    }
    return { answers, inference: matcher.inferenceWork, rowReads: row.entriesRead, copies };
  });
}

const column = (n: number) => `$p isa person, has name "n0"; ${range(n, (i) => `$p has name $a${i}; not { $a${i} == "z${i}"; };`)}`;

test('a negation per column: inference does work linear in the match', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  for (const n of [100, 400]) {
    const { answers, inference } = measured(f, column(n));
    assert.equal(answers.length, 1, `n=${n}: answers`);
    // A pass over a variable's types (a few here) per variable and constraint, in the top level and in each body:
    // ~33 per negation; copying every enclosing set into each body did 235 per negation at n = 100, 900 at n = 400.
    assert.ok(inference <= 60 * n, `n=${n}: inference work ${inference}`);
  }
}));

test('a body reading its enclosing sets finds the same answers and names the same variable when unsatisfiable', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  const outcome = (query: string) =>
    f.read('data', (tx) => {
      try {
        const result = tx.query(query);
        return result.kind === 'get' ? [...result.answers].length : result.kind;
      } catch (e) {
        return (e as Error).message;
      }
    });
  // `member` names the roles of two relation types: the label becomes a disjunction, whose branches narrow a variable
  // of the negation around them.
  f.write('schema', (tx) => tx.query('define club sub relation, relates member; band sub relation, relates member; person plays club:member;'));
  f.write('data', (tx) => tx.query('match $p isa person, has name "n0"; insert (member: $p) isa club;'));
  assert.equal(outcome('match $x isa person; not { $m relates member; (member: $x) isa $m; }; get;'), 1);
  // Each branch narrows its own copy of the role variable, to the one role it names; the enclosing set keeps them all.
  const schema = f.manager.get(DB).schema;
  const query = parseQuery('match $m relates member; get;');
  assert.equal(query.kind, 'get');
  const top = new PatternCompiler(schema).compile(query.match);
  const inference = new TypeInference(schema);
  const sets = inference.infer(top);
  const disjunction = top.constraints.find((c) => c.kind === 'disjunction');
  assert.ok(disjunction?.kind === 'disjunction');
  const [role] = [...top.variables.keys()].filter((v) => v.startsWith('#'));
  const enclosing = sets.get(role!)!.size;
  assert.ok(enclosing >= 2);
  for (const branch of disjunction.branches) assert.equal(inference.infer(branch, sets).get(role!)?.size, 1);
  assert.equal(sets.get(role!)!.size, enclosing);
  assert.equal(outcome('match $x isa person; not { $m relates member; $m type club; (member: $x) isa $m; }; get;'), 1);
  // A type variable the enclosing pattern left without types (a schema pattern without answers) is reported first,
  // at the body's first narrowing constraint, as when every enclosing set was copied into the body.
  assert.equal(
    outcome('match $t owns nick; $t plays band:member; $x isa person; not { $x has label $l; $l isa name; $l isa nick; }; get;'),
    "[QRY17] Invalid Query Pattern: A negation or disjunction branch of the pattern can never be satisfied in the current schema: no type fits the variable '$x' there. No type of the variable '$t' satisfies '$x has $l' together with the rest of the pattern.",
  );
}));

test('a negation per column: checking the negations reads no copy of the row', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  for (const n of [100, 400]) {
    const { answers, rowReads } = measured(f, column(n));
    assert.equal(answers.length, 1, `n=${n}: answers`);
    // The body searches the row in place (none read); a copy of the row per negation read 5 250 entries at n = 100.
    assert.ok(rowReads <= 4 * n, `n=${n}: ${rowReads} row entries read`);
  }
  // A negation whose body binds variables of its own leaves the row as it found it, with an answer or without.
  const { answers } = measured(f, '$p isa person; not { $p has nick $k; $k == "zz"; }; not { $p has name $m; $m == "n0"; };');
  assert.deepEqual(answers, ['p']);
}));

test('a disjunction per column: each branch searches the row itself, not a copy', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  const branches = (i: number) => `{ $p has name $a${i}; $a${i} == "n0"; } or { $p has nick $a${i}; };`;
  for (const n of [100, 400]) {
    // A branch's answers are the row the search was given, not a copy of a copy of it (each disjunction copied the
    // row it was given, itself a copy from the disjunction before: only the first copy read the counted row).
    const wide = measured(f, `$p isa person, has name "n0"; ${range(n, branches)}`);
    assert.equal(wide.answers.length, 1, `n=${n}: answers`);
    assert.equal(wide.copies, 0, `n=${n}: answers that were copies of the row`);
    assert.ok(wide.rowReads <= 4 * n, `n=${n}: ${wide.rowReads} row entries read`);
    // Inside a negation the row searched is the counted one: a copy per negation's disjunction read 10 500 at n = 100,
    // 162 000 at n = 400.
    const negated = measured(f, `$p isa person, has name "n0"; ${range(n, (i) => `$p has name $a${i}; not { { $a${i} == "z${i}"; } or { $a${i} == "y${i}"; }; };`)}`);
    assert.equal(negated.answers.length, 1, `n=${n}: answers`);
    assert.ok(negated.rowReads <= 4 * n, `n=${n}: ${negated.rowReads} row entries read`);
  }
}));

test('a disjunction branch leaves the row as it found it, for the next branch and for a negation around it', withFixture(SCHEMA, (f: Fixture) => {
  f.write('data', (tx) => tx.query(DATA));
  // The first branch's variable is unbound before the second branch runs, and the enclosing search's is unbound
  // before the next person is tried.
  assert.deepEqual(measured(f, '$p isa person; { $p has name $n; } or { $p has nick $k; };').answers.sort(), ['k,p', 'n,p']);
  // The negation stops at its body's first answer (q's nick, found by the second branch): the branch's variable must
  // be unbound all the same, or the next person would be checked with it bound.
  assert.deepEqual(measured(f, '$p isa person; not { { $p has name $m; $m == "zz"; } or { $p has nick $k; }; };').answers, ['p']);
  const nested = measured(f, '$p isa person; { $p has name $n; { $n == "n0"; } or { $n == "n1"; }; } or { $p has nick $k; not { { $k == "k"; } or { $k == "j"; }; }; };');
  assert.deepEqual(nested.answers, ['n,p']);
  assert.equal(nested.copies, 0);
}));
