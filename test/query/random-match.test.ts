// Differential test of match queries: random data and random conjunctions (seeded, so that a failure reproduces)
// answered by the engine, whose planner picks its own order and generators, and by a brute-force evaluator that
// tries every binding of the variables against a plain model of the data. The behaviour suite checks the
// semantics one feature at a time; this checks their combinations: isa and isa!, has with variables and values
// (attribute subtypes included), relations with and without roles (repeated players included), comparisons with
// values and between attributes, negation, disjunction; and their scopes: branches and negations binding variables of
// their own (a variable of one branch, or of every branch but not outside), value comparisons inside them, a negation
// in a branch and a disjunction in a negation, a variable an earlier disjunction binds read by a later negation or
// branch, disjunctions in a ring (a negation in a branch of each reads a variable a branch of the next binds), and get
// filters. The evaluator follows TypeQL 2.x's documented semantics: a match returns the variables of its own
// statements, its answers are those of the conjunctions of its normal form projected onto them, each once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../bench/workload.js';
import { answerLines, createWithSchema, uidNames, withTempManager, writeData } from '../support/databases.js';
import { literal, LOCAL, mentioned, nested, randomQuery, typeql, variablesOf, AGES, NAMES, SCORES, type Query, type Statement, type ValueLiteral } from './random-match-queries.js';

const SCHEMA = `define
uid sub attribute, value long;
label sub attribute, abstract, value string;
name sub label;
nick sub label;
age sub attribute, value long;
score sub attribute, value double;
person sub entity, owns uid, owns name, owns nick, owns age, owns score, plays friendship:friend, plays employment:employee;
student sub person;
company sub entity, owns uid, owns name, plays employment:employer;
friendship sub relation, owns uid, owns score, relates friend;
employment sub relation, owns uid, relates employee, relates employer;`;

/** Supertypes of each type, itself included (`isa` is transitive). */
const SUPERTYPES: Record<string, readonly string[]> = {
  person: ['person', 'entity', 'thing'],
  student: ['student', 'person', 'entity', 'thing'],
  company: ['company', 'entity', 'thing'],
  friendship: ['friendship', 'relation', 'thing'],
  employment: ['employment', 'relation', 'thing'],
  name: ['name', 'label', 'attribute', 'thing'],
  nick: ['nick', 'label', 'attribute', 'thing'],
  age: ['age', 'attribute', 'thing'],
  score: ['score', 'attribute', 'thing'],
  uid: ['uid', 'attribute', 'thing'],
};

/** A thing of the model: `key` names it in answers (its uid, or an attribute's type and value). */
interface ModelThing {
  readonly key: string;
  readonly type: string;
  readonly value?: ValueLiteral;
  readonly owns: ModelThing[];
  /** Role-player edges of a relation: [role, player]. */
  readonly players: (readonly [string, ModelThing])[];
}

const attributeKey = (type: string, v: ValueLiteral) => `${type}=${v.value}`;

/** Random data, inserted into the database and mirrored in the model. */
function randomData(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const attributes = new Map<string, ModelThing>();
  const attribute = (type: string, value: ValueLiteral): ModelThing => {
    const key = attributeKey(type, value);
    let a = attributes.get(key);
    if (a === undefined) attributes.set(key, (a = { key, type, value, owns: [], players: [] }));
    return a;
  };
  const things: ModelThing[] = [];
  const inserts: string[] = [];
  let uid = 0;
  const own = (thing: ModelThing, type: string, value: ValueLiteral, clauses: string[]) => {
    const a = attribute(type, value);
    if (thing.owns.includes(a)) return;
    thing.owns.push(a);
    clauses.push(`has ${type} ${literal(value)}`);
  };
  const objects = (type: string) => things.filter((t) => SUPERTYPES[t.type]!.includes(type));
  for (let i = 0; i < 9; i++) {
    const type = i < 2 ? 'company' : random() < 0.3 ? 'student' : 'person';
    const thing: ModelThing = { key: `#${uid}`, type, owns: [], players: [] };
    const clauses = [`isa ${type}`];
    own(thing, 'uid', { type: 'long', value: uid++ }, clauses);
    if (random() < 0.8) own(thing, 'name', { type: 'string', value: pick(NAMES) }, clauses);
    if (type !== 'company') {
      if (random() < 0.4) own(thing, 'nick', { type: 'string', value: pick(NAMES) }, clauses);
      for (let k = Math.floor(random() * 3); k > 0; k--) own(thing, 'age', { type: 'long', value: pick(AGES) }, clauses);
      if (random() < 0.5) own(thing, 'score', { type: 'double', value: pick(SCORES) }, clauses);
    }
    things.push(thing);
    inserts.push(`insert $x ${clauses.join(', ')};`);
  }
  for (let i = 0; i < 7; i++) {
    const friendship = random() < 0.55;
    const type = friendship ? 'friendship' : 'employment';
    const thing: ModelThing = { key: `#${uid}`, type, owns: [], players: [] };
    const clauses = [`isa ${type}`];
    own(thing, 'uid', { type: 'long', value: uid++ }, clauses);
    const people = objects('person');
    if (friendship) {
      // Sometimes one person twice: a relation may hold the same player more than once.
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) thing.players.push(['friend', pick(people)]);
      if (random() < 0.5) own(thing, 'score', { type: 'double', value: pick(SCORES) }, clauses);
    } else {
      thing.players.push(['employee', pick(people)]);
      if (random() < 0.8) thing.players.push(['employer', pick(objects('company'))]);
    }
    const bound = [...new Set(thing.players.map(([, p]) => p))];
    const match = bound.map((p, k) => `$p${k} has uid ${p.key.slice(1)};`).join(' ');
    const roles = thing.players.map(([role, p]) => `${role}: $p${bound.indexOf(p)}`).join(', ');
    inserts.push(`match ${match} insert $r (${roles}) ${clauses.join(', ')};`);
    things.push(thing);
  }
  return { things: [...things, ...attributes.values()], inserts };
}

// ---- the brute-force evaluator

const numeric = (v: ValueLiteral | undefined): v is Extract<ValueLiteral, { type: 'long' | 'double' }> => v !== undefined && v.type !== 'string';

interface Model {
  readonly things: readonly ModelThing[];
  readonly relations: readonly ModelThing[];
  /** The things a body's own variable of each kind (LOCAL) may take: what the statement binding it allows. */
  readonly locals: Readonly<Record<string, readonly ModelThing[]>>;
}

function holds(s: Statement, bound: Map<string, ModelThing>, model: Model): boolean {
  if (s.kind === 'not') return !search(s.body, bound, model, () => true);
  if (s.kind === 'or') throw new Error('a conjunction of the normal form holds no disjunction');
  const thing = bound.get(s.v)!;
  switch (s.kind) {
    case 'isa':
      return s.exact ? thing.type === s.type : SUPERTYPES[thing.type]!.includes(s.type);
    case 'has':
      if (typeof s.target === 'string') {
        const attribute = bound.get(s.target)!;
        return (s.attribute === undefined || SUPERTYPES[attribute.type]!.includes(s.attribute)) && thing.owns.includes(attribute);
      }
      return thing.owns.some((a) => SUPERTYPES[a.type]!.includes(s.attribute!) && sameValue(a.value!, s.target as ValueLiteral));
    case 'relation':
      return SUPERTYPES[thing.type]!.includes(s.type) && thing.players.length > 0 && playersMatch(thing.players, s.players, bound);
    case 'compare': {
      const value = thing.value;
      if (!numeric(s.value)) return value?.type === 'string' && value.value === s.value.value;
      if (!numeric(value)) return false;
      return s.op === '>' ? value.value > s.value.value : s.op === '<' ? value.value < s.value.value : value.value === s.value.value;
    }
    case 'compare-vars': {
      const [a, b] = [thing.value, bound.get(s.other)!.value];
      if (a === undefined || b === undefined || numeric(a) !== numeric(b)) return false;
      return s.op === '>' ? a.value > b.value : s.op === '<' ? a.value < b.value : a.value === b.value;
    }
    case 'not-has':
      return !thing.owns.some((a) => SUPERTYPES[a.type]!.includes(s.attribute) && sameValue(a.value!, s.value));
    case 'not-plays':
      return !model.relations.some((r) => SUPERTYPES[r.type]!.includes(s.type) && r.players.some(([, p]) => p === thing));
  }
}

function sameValue(a: ValueLiteral, b: ValueLiteral): boolean {
  return a.type === 'string' || b.type === 'string' ? a.type === b.type && a.value === b.value : a.value === b.value;
}

/** Each role player of the pattern takes a different edge of the relation, whose role and player fit it. */
function playersMatch(edges: readonly (readonly [string, ModelThing])[], wanted: readonly (readonly [string | undefined, string])[], bound: ReadonlyMap<string, ModelThing>): boolean {
  const taken = new Array<boolean>(edges.length).fill(false);
  const assign = (i: number): boolean => {
    if (i === wanted.length) return true;
    const [role, v] = wanted[i]!;
    for (let e = 0; e < edges.length; e++) {
      const [edgeRole, player] = edges[e]!;
      if (taken[e] || player !== bound.get(v) || (role !== undefined && role !== edgeRole)) continue;
      taken[e] = true;
      if (assign(i + 1)) return true;
      taken[e] = false;
    }
    return false;
  };
  return assign(0);
}

/**
 * The statements' normal form, as TypeQL 2.x's `normalise`: a disjunction of conjunctions without disjunctions, each
 * a branch's statements (a branch of each disjunction) with those beside the disjunctions; negations keep their
 * bodies. TypeDB matches each conjunction on its own, so a variable a branch binds is bound for a negation beside
 * it, and for another disjunction's branch.
 */
function normalForm(statements: readonly Statement[]): Statement[][] {
  let conjunctions: Statement[][] = [[]];
  for (const s of statements) {
    if (s.kind !== 'or') {
      for (const c of conjunctions) c.push(s);
      continue;
    }
    const branches = s.branches.flatMap(normalForm);
    conjunctions = conjunctions.flatMap((c) => branches.map((b) => [...c, ...b]));
  }
  return conjunctions;
}

const normalForms = new WeakMap<readonly Statement[], Statement[][]>();

/**
 * For each conjunction of the statements' normal form, tries every binding of its own variables (those not bound
 * around it) to things of the model, each statement checked once its variables are bound (a negation's: those of it
 * bound here or around), and calls `found` at each binding that satisfies them all; true when `found` did (it stops
 * the search). `bound` is left as it was found.
 */
function search(statements: readonly Statement[], bound: Map<string, ModelThing>, model: Model, found: () => boolean): boolean {
  let conjunctions = normalForms.get(statements);
  if (conjunctions === undefined) normalForms.set(statements, (conjunctions = normalForm(statements)));
  return conjunctions.some((c) => searchConjunction(c, bound, model, found));
}

function searchConjunction(statements: readonly Statement[], bound: Map<string, ModelThing>, model: Model, found: () => boolean): boolean {
  const variables = variablesOf(statements).filter((v) => !bound.has(v));
  const inScope = new Set([...bound.keys(), ...variables]);
  const waits = new Map(statements.map((s) => [s, [...(nested(s) ? mentioned(s) : variablesOf([s]))].filter((v) => inScope.has(v))]));
  const ready = (s: Statement) => waits.get(s)!.every((v) => bound.has(v));
  const extend = (i: number, pending: readonly Statement[]): boolean => {
    const now = pending.filter(ready);
    if (!now.every((s) => holds(s, bound, model))) return false;
    if (i === variables.length) return found();
    const later = pending.filter((s) => !ready(s));
    const v = variables[i]!;
    const local = LOCAL.exec(v);
    for (const thing of local === null ? model.things : model.locals[local[1]!]!) {
      bound.set(v, thing);
      if (extend(i + 1, later)) {
        bound.delete(v);
        return true;
      }
    }
    bound.delete(v);
    return false;
  };
  return extend(0, statements);
}

/** The answers: each binding of the variables outside the nested bodies that satisfies the query, on its filter. */
function bruteForce(query: Query, things: readonly ModelThing[]): string[] {
  const is = (kind: string) => (t: ModelThing) => SUPERTYPES[t.type]!.includes(kind);
  const model: Model = {
    things,
    relations: things.filter(is('relation')),
    locals: { n: things.filter(is('attribute')), o: things.filter(is('entity')), q: things.filter(is('relation')) },
  };
  const shown = [...(query.filter ?? variablesOf(query.statements))].sort();
  const bound = new Map<string, ModelThing>();
  const answers = new Set<string>();
  search(query.statements, bound, model, () => {
    answers.add(shown.map((v) => `${v}:${bound.get(v)!.key}`).join(' '));
    return false;
  });
  return [...answers].sort();
}

// ---- the test

test('random match queries answer as a brute-force evaluation of the same data does', () => {
  withTempManager('random-match', (manager) => {
    const counts = { compared: 0, nonEmpty: 0, ownVariables: 0, filtered: 0, outOfScope: 0, rings: 0 };
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const random = seededRandom(seed);
      const database = `random${seed}`;
      createWithSchema(manager, database, SCHEMA);
      const data = randomData(random);
      writeData(manager, database, data.inserts);
      const session = manager.session(database, 'data');
      let tx = session.transaction('read');
      // Answers name things by uid and attributes by type and value, as the model does.
      const name = uidNames(tx);
      for (let q = 0; q < 90; q++) {
        const query = randomQuery(random);
        const outer = variablesOf(query.statements);
        if (outer.length === 0) continue;
        const text = typeql(query);
        // A get naming a variable only a nested body binds is refused, as TypeQL refuses it (VARIABLE_OUT_OF_SCOPE_MATCH).
        const outOfScope = query.filter?.find((v) => !outer.includes(v));
        if (outOfScope !== undefined) {
          assert.throws(() => tx.query(text), { message: `[TQL16] TypeQL Error: The variable '$${outOfScope}' is out of scope of the query.` }, `seed ${seed}: ${text}`);
          tx = session.transaction('read');
          counts.outOfScope++;
          continue;
        }
        const expected = bruteForce(query, data.things);
        let actual: string[];
        try {
          const result = tx.query(text);
          if (result.kind !== 'get') throw new Error('expected answers');
          actual = answerLines(result.answers, name);
        } catch (e) {
          // A pattern that type inference proves unsatisfiable is refused, as in TypeDB: it must have no answers; a
          // negation or disjunction branch that it proves unsatisfiable is refused too, whatever the rest matches.
          if (!(e instanceof Error) || !(e.message.includes('[QRY16]') || e.message.includes('[QRY17]'))) throw new Error(`seed ${seed}: ${text}\n${String(e)}`);
          tx = session.transaction('read');
          if (e.message.includes('[QRY17]')) continue; // no answers to compare
          actual = [];
        }
        assert.deepEqual(actual, expected, `seed ${seed}: ${text}`);
        counts.compared++;
        if (expected.length > 0) counts.nonEmpty++;
        if (query.statements.some((s) => [...mentioned(s)].some((v) => LOCAL.test(v)))) counts.ownVariables++;
        if (query.filter !== undefined) counts.filtered++;
        if (query.ring) counts.rings++;
      }
      tx.close();
      session.close();
    }
    const { compared, nonEmpty, ownVariables, filtered, outOfScope, rings } = counts;
    const enough = compared >= 500 && nonEmpty >= 200 && ownVariables >= 60 && filtered >= 60 && outOfScope >= 3 && rings >= 30;
    assert.ok(enough, `enough queries of each kind were compared (${JSON.stringify(counts)})`);
  });
});
