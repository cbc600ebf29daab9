// Type inference over deep and wide type hierarchies: its work grows with (variables + constraints) × types, not
// with the depth of the hierarchy times the pairs of candidate types (it walked the supertype chain of every pair:
// `match $x isa $t; $t sub t0;` took 141 s over a chain of 1 000 types), and a long inference stops at the
// transaction's timeout with the error a long match gives. The match that follows binds a type variable from
// another along the schema rather than checking every pair of types. The work is counted, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchemaReader, SchemaType } from '../../src/schema/api.js';
import { NO_INSTANCES, TypeGraph } from '../../src/schema/type-graph.js';
import { parseDefinables, parsePatterns } from '../../src/typeql/index.js';
import { PatternCompiler } from '../../src/query/compiler.js';
import { TypeInference } from '../../src/query/inference.js';
import { Matcher } from '../../src/query/matcher.js';
import { ThingReader } from '../../src/concept/things.js';
import { PENDING } from '../../src/common/steps.js';
import { createWithSchema, inTransaction, withTempManager, writeData } from '../support/databases.js';

const DEPTH = 300;
const WIDTH = 300;

/** An entity, an attribute and a relation chain of DEPTH types (roles overriding down theirs), and WIDTH siblings of each kind. */
function schemaText(depth: number, width: number): string {
  const lines = ['define', `t0 sub entity, owns a${depth - 1}, plays r0:p0;`, 'a0 sub attribute, abstract, value string;', 'r0 sub relation, relates p0;'];
  for (let i = 1; i < depth; i++) {
    lines.push(`t${i} sub t${i - 1}${i === depth - 1 ? `, plays r${i}:p${i}` : ''};`, `a${i} sub a${i - 1}${i < depth - 1 ? ', abstract' : ''};`, `r${i} sub r${i - 1}, relates p${i} as p${i - 1};`);
  }
  for (let i = 0; i < width; i++) lines.push(`w${i} sub entity, owns v${i}, plays q${i}:s${i};`, `v${i} sub attribute, value string;`, `q${i} sub relation, relates s${i};`);
  return lines.join('\n');
}

function graphOf(text: string): TypeGraph {
  const graph = new TypeGraph();
  graph.define(parseDefinables(text.replace(/^define\n/, '')), NO_INSTANCES);
  return graph;
}

/**
 * A reader that counts the supertype links isSubtypeOf walks, the types subtypes() and supertypes() list, and each
 * read of a type's owns, plays or relates.
 */
function counting(schema: SchemaReader): { reader: SchemaReader; steps: () => number } {
  let steps = 0;
  const reader: SchemaReader = {
    get: (label) => schema.get(label),
    all: () => schema.all(),
    byId: (id) => schema.byId(id),
    supertypes: (type) => {
      const out = schema.supertypes(type);
      steps += out.length;
      return out;
    },
    subtypes: (type, options) => {
      const out = schema.subtypes(type, options);
      steps += out.length;
      return out;
    },
    isSubtypeOf: (type, ancestor) => {
      for (let t: SchemaType | undefined = type; t !== undefined && t.id !== ancestor.id; t = t.supertype) steps++;
      return schema.isSubtypeOf(type, ancestor);
    },
    owns: (type) => {
      steps++;
      return schema.owns(type);
    },
    plays: (type) => {
      steps++;
      return schema.plays(type);
    },
    relates: (type) => {
      steps++;
      return schema.relates(type);
    },
    resolveRole: (relation, role) => schema.resolveRole(relation, role),
    rules: () => schema.rules(),
  };
  return { reader, steps: () => steps };
}

const QUERIES = [
  Array.from({ length: 200 }, (_, i) => `$x${i} isa thing;`).join(' '),
  '$x isa $t; $t sub t0;',
  '$t sub! $s;',
  '$t sub $s;',
  '$t owns $a; $a sub a0;',
  '$r ($role: $x) isa $rel; $role sub r0:p0;',
  '$r ($role: $x) isa $rel; $role sub relation:role;',
  '$t plays $role; $rel relates $role;',
  '$x has $a; $x isa $t; $t sub entity;',
];

test('inference over a deep and a wide hierarchy does work linear in (variables + constraints) × types', () => {
  const graph = graphOf(schemaText(DEPTH, WIDTH));
  const types = [...graph.all()].length;
  for (const query of QUERIES) {
    const { reader, steps } = counting(graph);
    const conjunction = new PatternCompiler(reader).compile(parsePatterns(query));
    const inference = new TypeInference(reader);
    inference.infer(conjunction);
    // Each of at most 20 rounds applies every constraint once; an application looks at its variables' candidates and
    // walks the hierarchy once: a few passes over the types. The work counted before was ~DEPTH times more.
    // Candidate pairs are not tested one by one up the hierarchy: the schema's reads stay within a few passes over it.
    assert.ok(steps() <= 4 * types, `${query.slice(0, 40)}: ${steps()} schema steps over ${types} types`);
    const bound = 20 * 8 * (conjunction.variables.size + conjunction.constraints.length) * types;
    const work = inference.work + steps();
    assert.ok(work <= bound, `${query.slice(0, 40)}: ${work} steps over ${types} types, more than ${bound}`);
  }
});

test('a match of two type variables binds one from the other along the schema, not by checking every pair', () => {
  withTempManager('deep-hierarchies', (manager) => {
    createWithSchema(manager, 'db', schemaText(DEPTH, WIDTH));
    const database = manager.get('db');
    const snapshot = database.store.snapshot();
    try {
      const types = [...database.schema.all()].length;
      const pairs: [string, number][] = [
        // Each type of a chain or sibling, entity, attribute, relation type or role, with its direct supertype; and
        // entity, relation and attribute under thing.
        ['$t sub! $s;', 4 * DEPTH + 4 * WIDTH + 3],
        ['$t sub $s; $s sub t0;', (DEPTH * (DEPTH + 1)) / 2],
        // Every t owns the chain's leaf attribute type and plays r0:p0, the last also r299:p299; each w its own v and s.
        ['$t owns $a;', DEPTH + WIDTH],
        ['$t plays $role;', DEPTH + 1 + WIDTH],
        // A relation type of the chain relates its own role, which overrides its supertype's; the meta relation relates relation:role.
        ['$rel relates $role;', 1 + DEPTH + WIDTH],
        ['$t plays $role; $rel relates $role;', DEPTH + 1 + WIDTH],
      ];
      for (const [query, expected] of pairs) {
        const { reader, steps } = counting(database.schema);
        const matcher = new Matcher(reader, new ThingReader(snapshot, database.schema));
        const conjunction = new PatternCompiler(reader).compile(parsePatterns(query));
        let answers = 0;
        for (const row of matcher.match(matcher.prepare(conjunction))) if (row !== PENDING) answers++;
        assert.equal(answers, expected, query);
        // Checking every pair of types read the schema once per pair: ~types² reads.
        assert.ok(steps() <= 8 * (types + answers), `${query}: ${steps()} schema reads for ${answers} answers over ${types} types`);
      }
    } finally {
      snapshot.close();
    }
  });
});

test('inference answers over a deep hierarchy as the hierarchy says', () => {
  const depth = 40;
  withTempManager('deep-hierarchies', (manager) => {
    createWithSchema(manager, 'db', schemaText(depth, 3));
    writeData(manager, 'db', [`insert $x isa t${depth - 1}; $y isa t3; (p${depth - 1}: $x) isa r${depth - 1}; (p0: $y) isa r0;`]);
    inTransaction(manager, 'db', 'data', 'read', (tx) => {
      const count = (query: string) => {
        const result = tx.query(`match ${query} get; count;`);
        return result.kind === 'aggregate' ? Number(result.value!.value) : NaN;
      };
      // $x of t39 has 40 types from t0 down; $y of t3 has 4; `thing` is not under `sub t0`.
      assert.equal(count('$x isa $t; $t sub t0;'), depth + 4);
      // Each chain type's direct supertype, each sibling's, and the meta types' (entity, relation, attribute under thing).
      assert.equal(count('$t sub! $s; $s sub t0;'), depth - 1);
      assert.equal(count('$t sub $s; $t sub t0; $s sub t0;'), (depth * (depth + 1)) / 2);
      // Only the leaf attribute type is concrete; every t owns it.
      assert.equal(count(`$t owns $a; $a sub a0;`), depth);
      // The player of the r39 relation plays p39: the role variable takes p39 and each role it overrides, up to p0.
      const last = `$rel type r${depth - 1};`;
      assert.equal(count(`$r ($role: $x) isa $rel; ${last} $role sub r0:p0;`), depth);
      assert.equal(count(`$r ($role: $x) isa $rel; ${last} $role sub! r0:p0;`), 1);
    });
  });
});

test('an inference that outlasts the transaction timeout stops with the error of a long match', () => {
  withTempManager('deep-hierarchies', (manager) => {
    createWithSchema(manager, 'db', schemaText(DEPTH, WIDTH));
    const session = manager.session('db', 'data');
    try {
      // No data: the match itself does next to nothing, and reads the clock only every 1 024 steps (fewer here).
      const tx = session.transaction('read', { queryDeadlineMillis: 1 });
      const query = `match ${Array.from({ length: 1000 }, (_, i) => `$x${i} isa thing;`).join(' ')} get;`;
      assert.throws(() => [...(tx.query(query) as { answers: Iterable<unknown> }).answers], {
        message: "[SRV29] Invalid Server Operation: Transaction exceeded maximum configured duration of '0' seconds.",
      });
      assert.equal(tx.isOpen(), false);
    } finally {
      session.close();
    }
  });
});
