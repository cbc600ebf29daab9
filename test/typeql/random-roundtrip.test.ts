// parse(print(ast)) deep-equals ast for randomly built ASTs of every shape the parser can produce — the feature files
// cover what TypeDB's own tests write; this covers the combinations they do not (seeded, so failures reproduce).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../bench/workload.js';
import {
  parseQuery,
  printQuery,
  type AggregateMethod,
  type Comparator,
  type ConceptVar,
  type Expression,
  type FetchProjection,
  type FetchQuery,
  type GetAggregateQuery,
  type GetQuery,
  type HasConstraint,
  type Label,
  type Literal,
  type Modifiers,
  type Pattern,
  type Predicate,
  type Query,
  type RolePlayer,
  type Statement,
  type ThingStatement,
  type TypeConstraint,
  type TypeRef,
  type TypeStatement,
  type ValueVar,
  type Variable,
} from '../../src/typeql/index.js';

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  times<T>(min: number, max: number, make: () => T): T[] {
    const count = min + this.int(max - min + 1);
    return Array.from({ length: count }, make);
  }
}

const NAMES = ['x', 'y', 'p1', 'a-b', 'a_b', '0_leading', '人', 'אדם'];
const LABELS = ['person', 'name', 'value', 'count', 'rule', 'get', 'sort', 'limit', 'thing', 'relation', 'role', 'marriage-x', '名前', 'contains'];
const STRINGS = ['', 'plain', 'it"s', "it's", 'a\\"b', 'two\nlines', 'back\\\\slash', 'x/y', 'a\\/b', '#not a comment', '人'];
const KEYS = ['x', 'a key', 'type', 'count', 'x:y', '"q"', 'sort', '人'];
// `=` and a `==` against a value are not in the parser's output: it reads them as `==` and as a bare value (TypeQL's EQ).
const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2, '%': 2, '^': 3 } as const;
const COMPARATORS: Comparator[] = ['==', '!=', '>', '>=', '<', '<='];
const METHODS: AggregateMethod[] = ['count', 'sum', 'max', 'min', 'mean', 'median', 'std'];

class Generator {
  constructor(private readonly r: Random) {}

  cv(): ConceptVar {
    return { kind: 'concept-var', name: this.r.bool(0.1) ? '_' : this.r.pick(NAMES) };
  }
  namedCv(): ConceptVar {
    return { kind: 'concept-var', name: this.r.pick(NAMES) };
  }
  vv(): ValueVar {
    return { kind: 'value-var', name: this.r.pick(NAMES) };
  }
  variable(): Variable {
    return this.r.bool() ? this.namedCv() : this.vv();
  }
  label(): Label {
    return { name: this.r.pick(LABELS) };
  }
  scoped(): Label {
    return { scope: this.r.pick(LABELS), name: this.r.pick(LABELS) };
  }
  typeRef(form: 'unscoped' | 'scoped' | 'any'): TypeRef {
    if (this.r.bool(0.3)) return this.namedCv();
    if (form === 'scoped' || (form === 'any' && this.r.bool())) return { kind: 'label', label: this.scoped() };
    return { kind: 'label', label: this.label() };
  }

  literal(): Literal {
    switch (this.r.int(5)) {
      case 0: {
        const magnitude = BigInt(this.r.int(1000)) ** BigInt(1 + this.r.int(6));
        const capped = magnitude > 2n ** 63n - 1n ? 2n ** 63n - 1n : magnitude;
        return { kind: 'long', value: this.r.bool() ? -capped : capped };
      }
      case 1: {
        const candidates = [0, 2, -0.5, 28.0, 1e21, 1.5e-10, 123456.789, (this.r.next() - 0.5) * 10 ** this.r.int(30)];
        return { kind: 'double', value: this.r.pick(candidates) };
      }
      case 2:
        return { kind: 'string', value: this.r.pick(STRINGS) };
      case 3:
        return { kind: 'boolean', value: this.r.bool() };
      default: {
        const ms = Math.floor((this.r.next() - 0.3) * 4e14); // roughly years -10000 … 12000
        return { kind: 'datetime', value: ms };
      }
    }
  }

  predicate(allowAssignLike = true): Predicate {
    switch (this.r.int(4)) {
      case 0:
        return { kind: 'compare', operand: this.literal() };
      case 1: {
        const operand = this.r.pick([this.literal(), this.namedCv(), this.vv()]);
        const op = this.r.pick(COMPARATORS);
        return op === '==' && operand.kind !== 'concept-var' && operand.kind !== 'value-var'
          ? { kind: 'compare', operand }
          : { kind: 'compare', op, operand };
      }
      case 2:
        return { kind: 'contains', operand: this.r.pick(STRINGS) };
      default:
        return { kind: 'like', operand: this.r.pick(STRINGS) };
    }
  }

  expression(depth: number): Expression {
    const leaf = depth <= 0 || this.r.bool(0.3);
    if (leaf) {
      if (this.r.bool(0.4)) return { kind: 'literal', value: this.literal() };
      return { kind: 'var', variable: this.variable() };
    }
    if (this.r.bool(0.2)) {
      const fn = this.r.pick(['floor', 'ceil', 'round', 'abs', 'max', 'min'] as const);
      return { kind: 'call', fn, args: this.r.times(0, 3, () => this.expression(depth - 1)) };
    }
    const op = this.r.pick(['+', '-', '*', '/', '%', '^'] as const);
    const left = this.expression(depth - 1);
    const right = this.expression(depth - 1);
    // As the parser builds it: parentheses where precedence needs them (they had to be written), sometimes more.
    const own = PRECEDENCE[op];
    const tighter = (e: Expression, orEqual: boolean) =>
      e.kind === 'binary' && !e.parens && (orEqual ? PRECEDENCE[e.op] <= own : PRECEDENCE[e.op] < own);
    const wrap = (e: Expression, needed: boolean): Expression =>
      needed || this.r.bool(0.1) ? { ...e, parens: (e.parens ?? 0) + 1 } : e;
    return {
      kind: 'binary',
      op,
      left: wrap(left, tighter(left, op === '^')),
      right: wrap(right, tighter(right, op !== '^')),
    };
  }

  has(): HasConstraint {
    if (this.r.bool(0.15)) return { value: this.namedCv() };
    const value = this.r.pick<HasConstraint['value']>([this.namedCv(), this.vv(), this.predicate()]);
    return { attributeType: this.label(), value };
  }

  rolePlayer(): RolePlayer {
    return this.r.bool(0.3) ? { player: this.cv() } : { role: this.typeRef('unscoped'), player: this.cv() };
  }

  thing(): ThingStatement {
    const has = (min: number): HasConstraint[] => this.r.times(min, 3, () => this.has());
    const isa = (): ThingStatement['isa'] => ({ type: this.typeRef('unscoped'), explicit: this.r.bool(0.2) });
    switch (this.r.int(5)) {
      case 0:
        return { kind: 'thing-statement', variable: this.cv(), isa: isa(), has: has(0) };
      case 1:
        return { kind: 'thing-statement', variable: this.cv(), iid: `0x${this.r.int(1e9).toString(16)}`, has: has(0) };
      case 2:
        return { kind: 'thing-statement', variable: this.cv(), has: has(1) };
      case 3: {
        const relation = this.r.times(1, 3, () => this.rolePlayer());
        const head = this.r.bool() ? { variable: this.cv() } : {};
        return this.r.bool()
          ? { kind: 'thing-statement', ...head, relation, isa: isa(), has: has(0) }
          : { kind: 'thing-statement', ...head, relation, has: has(0) };
      }
      default: {
        const predicate = this.predicate();
        const head = this.r.bool() ? { variable: this.cv() } : {};
        return this.r.bool()
          ? { kind: 'thing-statement', ...head, predicate, isa: isa(), has: has(0) }
          : { kind: 'thing-statement', ...head, predicate, has: has(0) };
      }
    }
  }

  typeConstraint(): TypeConstraint {
    switch (this.r.int(8)) {
      case 0:
        return { kind: 'abstract' };
      case 1:
        return { kind: 'sub', explicit: this.r.bool(), type: this.typeRef('any') };
      case 2: {
        const annotations = this.r.pick<('key' | 'unique')[]>([[], ['key'], ['unique'], ['key', 'unique']]);
        const attribute = this.typeRef('unscoped');
        return this.r.bool()
          ? { kind: 'owns', attribute, overridden: this.typeRef('unscoped'), annotations }
          : { kind: 'owns', attribute, annotations };
      }
      case 3:
        return this.r.bool()
          ? { kind: 'plays', role: this.typeRef('scoped'), overridden: this.typeRef('unscoped') }
          : { kind: 'plays', role: this.typeRef('scoped') };
      case 4:
        return this.r.bool()
          ? { kind: 'relates', role: this.typeRef('unscoped'), overridden: this.typeRef('unscoped') }
          : { kind: 'relates', role: this.typeRef('unscoped') };
      case 5:
        return { kind: 'value', valueType: this.r.pick(['long', 'double', 'string', 'boolean', 'datetime'] as const) };
      case 6:
        return { kind: 'regex', regex: this.r.pick(STRINGS) };
      default:
        return { kind: 'type', label: { kind: 'label', label: this.r.bool() ? this.scoped() : this.label() } };
    }
  }

  type(): TypeStatement {
    return { kind: 'type-statement', subject: this.typeRef('any'), constraints: this.r.times(1, 4, () => this.typeConstraint()) };
  }

  statement(): Statement {
    switch (this.r.int(5)) {
      case 0:
        return this.type();
      case 1:
        return { kind: 'value-statement', variable: this.vv(), assignment: this.expression(3) };
      case 2:
        return { kind: 'value-statement', variable: this.vv(), predicate: this.predicate(false) };
      case 3:
        return { kind: 'is-statement', left: this.namedCv(), right: this.namedCv() };
      default:
        return this.thing();
    }
  }

  patterns(depth: number): Pattern[] {
    return this.r.times(1, 3, () => this.pattern(depth));
  }

  pattern(depth: number): Pattern {
    if (depth <= 0 || this.r.bool(0.6)) return this.statement();
    switch (this.r.int(3)) {
      case 0:
        return { kind: 'conjunction', patterns: this.patterns(depth - 1) };
      case 1:
        return { kind: 'disjunction', branches: this.r.times(2, 3, () => this.block(depth - 1)) };
      default: {
        // A lone negation in a negation is TypeQL's [TQL36]: give it a statement beside it.
        const patterns = this.block(depth - 1);
        return { kind: 'negation', patterns: patterns.length === 1 && patterns[0]!.kind === 'negation' ? [...patterns, this.statement()] : patterns };
      }
    }
  }

  /** A negation's or branch's patterns: never one lone block, which the parser reads as that block's patterns. */
  block(depth: number): Pattern[] {
    const patterns = this.patterns(depth);
    const only = patterns.length === 1 ? patterns[0]! : undefined;
    return only?.kind === 'conjunction' ? [...only.patterns] : patterns;
  }

  modifiers(): Modifiers {
    const sort = this.r.bool(0.3)
      ? { sort: this.r.times(1, 2, () => (this.r.bool() ? { variable: this.variable(), order: this.r.pick(['asc', 'desc'] as const) } : { variable: this.variable() })) }
      : {};
    const offset = this.r.bool(0.3) ? { offset: this.r.int(100) } : {};
    const limit = this.r.bool(0.3) ? { limit: this.r.int(100) } : {};
    return { ...sort, ...offset, ...limit };
  }

  get(): GetQuery {
    return { kind: 'get', match: this.patterns(2), filter: this.r.times(0, 2, () => this.variable()), modifiers: this.modifiers() };
  }

  aggregate(): GetAggregateQuery {
    const method = this.r.pick(METHODS);
    // TypeQL's count takes no variable.
    return method === 'count'
      ? { kind: 'get-aggregate', get: this.get(), method }
      : { kind: 'get-aggregate', get: this.get(), method, variable: this.variable() };
  }

  projection(depth: number): FetchProjection {
    if (depth > 0 && this.r.bool(0.25)) {
      return { kind: 'subquery', key: this.r.pick(KEYS), query: this.r.bool() ? this.fetch(depth - 1) : this.aggregate() };
    }
    const as = this.r.bool(0.4) ? { as: this.r.pick(KEYS) } : {};
    const attributes = this.r.bool(0.4)
      ? { attributes: this.r.times(1, 3, () => (this.r.bool() ? { type: this.label(), as: this.r.pick(KEYS) } : { type: this.label() })) }
      : {};
    return { kind: 'variable', variable: this.variable(), ...as, ...attributes };
  }

  fetch(depth: number): FetchQuery {
    return { kind: 'fetch', match: this.patterns(1), projections: this.r.times(1, 3, () => this.projection(depth)), modifiers: this.modifiers() };
  }

  query(): Query {
    const things = (): ThingStatement[] => this.r.times(1, 3, () => this.thing());
    switch (this.r.int(10)) {
      case 0:
        return {
          kind: 'define',
          definables: this.r.times(1, 3, () =>
            this.r.bool(0.3)
              ? { kind: 'rule', label: this.r.pick(LABELS), when: this.patterns(2), then: this.thing() }
              : this.type(),
          ),
        };
      case 1:
        return { kind: 'undefine', definables: [{ kind: 'rule', label: this.r.pick(LABELS) }, this.type()] };
      case 2:
        return this.r.bool()
          ? { kind: 'insert', statements: things(), modifiers: this.modifiers() }
          : { kind: 'insert', match: this.patterns(2), statements: things(), modifiers: this.modifiers() };
      case 3:
        return { kind: 'delete', match: this.patterns(2), statements: things(), modifiers: this.modifiers() };
      case 4:
        return { kind: 'update', match: this.patterns(2), deletes: things(), inserts: things(), modifiers: this.modifiers() };
      case 5:
        return this.get();
      case 6:
        return this.aggregate();
      case 7:
        return { kind: 'get-group', get: this.get(), group: this.variable() };
      case 8: {
        const method = this.r.pick(METHODS);
        return method === 'count'
          ? { kind: 'get-group-aggregate', get: this.get(), group: this.variable(), method }
          : { kind: 'get-group-aggregate', get: this.get(), group: this.variable(), method, variable: this.variable() };
      }
      default:
        return this.fetch(2);
    }
  }
}

describe('random AST round trip', () => {
  it('parse(print(ast)) deep-equals ast for 3000 generated queries', () => {
    const generator = new Generator(new Random(Number(process.env.SEED ?? 20240611)));
    for (let i = 0; i < 3000; i++) {
      const query = generator.query();
      const printed = printQuery(query);
      let reparsed: Query;
      try {
        reparsed = parseQuery(printed);
      } catch (error) {
        assert.fail(`query ${i} does not re-parse: ${(error as Error).message}\n${printed}`);
      }
      assert.deepStrictEqual(reparsed, query, `query ${i} changed:\n${printed}`);
    }
  });
});
