// Per-thing subtype checks over a deep hierarchy cost one lookup, not a walk up the supertype chain: a role-player
// edge's role against the pattern's role, an inserted or deleted thing's type against the type its statement names,
// and a count's or a scan's types against its `isa`. Over a chain of 1 000 types with 3 000 things the walks took up
// to half of such a query's CPU time (the insert below: ~200 → ~95 ms). The supertype links walked are counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchemaType } from '../../src/schema/api.js';
import { TypeGraphReader } from '../../src/schema/type-graph-reader.js';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';

const DEPTH = 300;
const THINGS = 200;

/** A chain of DEPTH entity, attribute and relation types, each relation's role overriding its supertype's. */
function schemaText(): string {
  const last = DEPTH - 1;
  const lines = ['define', `t0 sub entity, owns a${last}, plays r0:p0;`, 'a0 sub attribute, abstract, value string;', 'r0 sub relation, relates p0;'];
  for (let i = 1; i < DEPTH; i++) {
    lines.push(`t${i} sub t${i - 1}${i === last ? `, plays r${i}:p${i}` : ''};`, `a${i} sub a${i - 1}${i < last ? ', abstract' : ''};`, `r${i} sub r${i - 1}, relates p${i} as p${i - 1};`);
  }
  return lines.join('\n');
}

/** Counts the supertype links every isSubtypeOf call walks, in any layer, while `body` runs. */
function walked(body: () => void): number {
  const original = TypeGraphReader.prototype.isSubtypeOf;
  let links = 0;
  TypeGraphReader.prototype.isSubtypeOf = function (this: TypeGraphReader, type: SchemaType, ancestor: SchemaType) {
    for (let t: SchemaType | undefined = type; t !== undefined && t.id !== ancestor.id; t = t.supertype) links++;
    return original.call(this, type, ancestor);
  };
  try {
    body();
  } finally {
    TypeGraphReader.prototype.isSubtypeOf = original;
  }
  return links;
}

test('checking things of the deepest types against the chain top walks the chain once per pair of types, not per thing', () => {
  withTempManager('deep-subtype-checks', (manager) => {
    createWithSchema(manager, 'db', schemaText());
    const last = DEPTH - 1;
    const things = Array.from({ length: THINGS }, (_, j) => `$x${j} isa t${last}; (p${last}: $x${j}) isa r${last};`).join(' ');
    writeData(manager, 'db', [`insert ${things} $a "v" isa a${last};`]);
    const session = manager.session('db', 'data');
    try {
      const cases: [string, string, number][] = [
        // The role of each edge (p299) against the pattern's (p0).
        ['read', `match $r (p0: $x) isa r${last}; get;`, THINGS],
        ['read', `match $x isa t0; get; count;`, THINGS],
        ['read', `match $x isa t0; get;`, THINGS],
        // The attribute's type (a299) against the statement's (a0), once per answer.
        ['write', `match $x isa t${last}; $a isa a${last}; insert $x has a0 $a;`, THINGS],
        // Each deleted edge's role against the role variable's type, and each thing's type against t0.
        ['write', `match $r ($role: $x) isa r${last}; $role type r0:p0; delete $r ($role: $x);`, THINGS],
        ['write', `match $x isa t${last}; delete $x isa t0;`, THINGS],
      ];
      const over: string[] = [];
      for (const [kind, query, answers] of cases) {
        const tx = session.transaction(kind as 'read' | 'write');
        try {
          let count = NaN;
          const links = walked(() => {
            const result = tx.query(query);
            if (result.kind === 'aggregate') count = Number(result.value!.value);
            else if (result.kind === 'get' || result.kind === 'insert') count = [...result.answers].length;
          });
          if (kind === 'read' || query.includes('insert')) assert.equal(count, answers, query);
          // A few walks of the chain per query; one walk per thing or edge was THINGS × DEPTH = 60 000 links.
          if (links > 4 * DEPTH) over.push(`${query}: ${links} supertype links walked`);
        } finally {
          tx.close();
        }
      }
      assert.deepEqual(over, []);
    } finally {
      session.close();
    }
  });
});
