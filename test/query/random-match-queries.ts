// The queries of the differential match test (random-match.test.ts): random statements, negations and disjunctions
// whose bodies may bind variables of their own, get filters, and their TypeQL.

export const NAMES = ['Ann', 'Bob', 'Cy', 'Di'];
export const AGES = [1, 2, 3, 40];
export const SCORES = [0.5, 1, 2.5];

export type ValueLiteral = { readonly type: 'string'; readonly value: string } | { readonly type: 'long' | 'double'; readonly value: number };

export const literal = (v: ValueLiteral) => (v.type === 'string' ? `"${v.value}"` : v.type === 'double' && Number.isInteger(v.value) ? `${v.value}.0` : String(v.value));

export type Statement =
  | { readonly kind: 'isa'; readonly v: string; readonly type: string; readonly exact: boolean }
  /** `attribute` undefined: `$v has $target` (an attribute of any type). */
  | { readonly kind: 'has'; readonly v: string; readonly attribute: string | undefined; readonly target: string | ValueLiteral }
  | { readonly kind: 'relation'; readonly v: string; readonly type: string; readonly players: readonly (readonly [string | undefined, string])[] }
  /** `$v op number`, or `$v "string";` (equality). */
  | { readonly kind: 'compare'; readonly v: string; readonly op: '>' | '<' | '='; readonly value: ValueLiteral }
  /** `$v op $other` between two attributes: numbers with numbers, strings with strings. */
  | { readonly kind: 'compare-vars'; readonly v: string; readonly op: '>' | '<' | '='; readonly other: string }
  | { readonly kind: 'not-has'; readonly v: string; readonly attribute: string; readonly value: ValueLiteral }
  /** `not { ($v) isa type; };`: no relation of the type has the thing as a player. */
  | { readonly kind: 'not-plays'; readonly v: string; readonly type: string }
  /** `not { …; };`: its body may bind variables of its own, and hold a disjunction. */
  | { readonly kind: 'not'; readonly body: readonly Statement[] }
  /** `{ …; } or { …; };`: a branch may bind variables of its own (one branch's, or all of them), and hold a negation. */
  | { readonly kind: 'or'; readonly branches: readonly (readonly Statement[])[] };

/** A match and its get: `filter` the variables it names (`get;` when undefined). */
export interface Query {
  readonly statements: readonly Statement[];
  readonly filter?: readonly string[];
  /** Whether it holds disjunctions in a ring (nestedBodies' ring). */
  readonly ring: boolean;
}

export const nested = (s: Statement): s is Extract<Statement, { kind: 'not-has' | 'not-plays' | 'not' | 'or' }> =>
  s.kind === 'not-has' || s.kind === 'not-plays' || s.kind === 'not' || s.kind === 'or';

/**
 * Variables of a nested body's own (a branch's, a negation's) are named by their kind, and each body names fresh ones
 * (but the branches of one disjunction may share one): `n0` an attribute, `o1` an entity, `q2` a relation. The
 * variables outside them are `a`, `b` (things), `x`, `y` (attributes) and `r` (relations).
 */
export const LOCAL = /^([noq])\d+$/;

function valueOf(attribute: string, pick: <T>(xs: readonly T[]) => T): ValueLiteral {
  return attribute === 'name' || attribute === 'nick' || attribute === 'label' ? { type: 'string', value: pick(NAMES) } : numberOf(attribute, pick);
}

function numberOf(attribute: string, pick: <T>(xs: readonly T[]) => T): Extract<ValueLiteral, { type: 'long' | 'double' }> {
  return attribute === 'age' ? { type: 'long', value: pick(AGES) } : { type: 'double', value: pick(SCORES) };
}

/** Random bodies of negations and disjunction branches about `$v`, a variable bound around them. */
function nestedBodies(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let fresh = 0;
  const local = (kind: 'n' | 'o' | 'q') => `${kind}${fresh++}`;
  /** Attribute variables the branches of the match's own disjunctions bind. */
  const branchBound: string[] = [];
  /**
   * An attribute variable for a negation or disjunction of the match's own (`top`): sometimes one a disjunction before
   * it binds, which the normal form binds for it (a negation then reads it, a disjunction joins on it).
   */
  const attributeVariable = (top: boolean) => (top && branchBound.length > 0 && random() < 0.35 ? pick(branchBound) : local('n'));
  const simple = (v: string): Statement => {
    const attribute = pick(['name', 'label', 'age']);
    return random() < 0.5
      ? { kind: 'isa', v, type: pick(['student', 'company', 'friendship']), exact: false }
      : { kind: 'has', v, attribute, target: valueOf(attribute, pick) };
  };
  /** A value comparison on an attribute variable of the type (of any type when undefined). */
  const condition = (n: string, attribute: string | undefined): Statement => {
    const type = attribute ?? pick(['name', 'age', 'score']);
    const value = valueOf(type, pick);
    return { kind: 'compare', v: n, op: value.type === 'string' ? '=' : pick(['>', '<', '=']), value };
  };
  /**
   * `$v has [attribute] $n;`, mostly with a comparison of `$n`; with `nest`, the comparison may be negated
   * (`not { $n "Ann"; };`) or be a disjunction (`{ $n "Ann"; } or { $n > 2; };`).
   */
  const hasLocal = (v: string, n: string, nest = false): Statement[] => {
    const attribute = pick(['name', 'nick', 'label', 'age', 'score', undefined]);
    const has: Statement = { kind: 'has', v, attribute, target: n };
    const roll = random();
    if (roll < 0.3) return [has];
    if (!nest || roll < 0.75) return [has, condition(n, attribute)];
    if (roll < 0.9) return [has, { kind: 'not', body: [condition(n, attribute)] }];
    return [has, { kind: 'or', branches: [[condition(n, attribute)], [condition(n, attribute)]] }];
  };
  /** A relation of its own with `$v` and a player `$o` of its own, often with a condition on `$o`. */
  const playsWithLocal = (v: string, o: string, conditioned = random() < 0.6): Statement[] => {
    const friendship = random() < 0.6;
    const players: (readonly [string | undefined, string])[] = friendship
      ? [['friend', v], [random() < 0.3 ? undefined : 'friend', o]]
      : random() < 0.5
        ? [['employee', v], ['employer', o]]
        : [['employee', o], ['employer', v]];
    const relation: Statement = { kind: 'relation', v: local('q'), type: friendship ? 'friendship' : random() < 0.2 ? 'relation' : 'employment', players };
    if (!conditioned) return [relation];
    return [relation, random() < 0.6 ? { kind: 'has', v: o, attribute: 'name', target: valueOf('name', pick) } : { kind: 'isa', v: o, type: 'student', exact: false }];
  };
  /** A relation `$q` of its own that `$v` plays in, sometimes with a score. */
  const relationLocal = (v: string, q: string): Statement[] => {
    const type = pick(['friendship', 'employment', 'relation']);
    const relation: Statement = { kind: 'relation', v: q, type, players: [[random() < 0.5 ? undefined : type === 'friendship' ? 'friend' : 'employee', v]] };
    return random() < 0.4 ? [relation, { kind: 'has', v: q, attribute: 'score', target: numberOf('score', pick) }] : [relation];
  };
  /**
   * A negation's body: `not { $v has name $n; $n "Ann"; };` and the like; with `nest`, maybe a disjunction; with
   * `reuse`, maybe reading a variable an earlier disjunction binds.
   */
  const negation = (v: string, nest: boolean, reuse = nest): Statement[] => {
    const roll = random();
    if (roll < 0.2) return [simple(v)];
    if (roll < 0.55) return hasLocal(v, attributeVariable(reuse), nest);
    if (roll < 0.75) return playsWithLocal(v, local('o'));
    if (roll < 0.85 || !nest) return relationLocal(v, local('q'));
    return [disjunction(v, false)];
  };
  /** One branch; with `nest`, maybe a negation inside it, on `$v` or on a player the branch binds. */
  const branch = (v: string, nest: boolean): Statement[] => {
    const roll = random();
    if (roll < 0.25) return [simple(v)];
    if (roll < 0.5) return hasLocal(v, local('n'), nest);
    if (roll < 0.7) return playsWithLocal(v, local('o'));
    if (roll < 0.8 || !nest) return relationLocal(v, local('q'));
    if (random() < 0.5) return [simple(v), { kind: 'not', body: negation(v, false, nest) }];
    const o = local('o');
    return [...playsWithLocal(v, o, false), { kind: 'not', body: negation(o, false) }];
  };
  /** Two or three branches; sometimes each binds the same variable of its own (`$n` in every branch, not outside). */
  const disjunction = (v: string, nest: boolean): Statement => {
    const shared = random() < 0.4 ? attributeVariable(nest) : undefined;
    const branches = Array.from({ length: random() < 0.25 ? 3 : 2 }, () =>
      shared === undefined ? branch(v, nest) : [...hasLocal(v, shared, nest), ...(random() < 0.3 ? branch(v, nest) : [])],
    );
    if (nest) for (const b of branches) for (const s of b) if (s.kind === 'has' && typeof s.target === 'string') branchBound.push(s.target);
    return { kind: 'or', branches };
  };
  /**
   * Two or three disjunctions in a ring: the first branch of each binds an attribute `$n` of its own (of a type, or
   * any) and holds a negation reading the one the next disjunction's first branch binds (the last's, the first's):
   * `not { $v has $m; $m "Ann"; };`, which excludes only that attribute where read bound, and every attribute of
   * `$v` where read as the negation's own. No order of them as steps lets each negation read a bound variable; in
   * the normal form every one does.
   */
  const ring = (v: string): Statement[] => {
    // Mostly of types a thing has several attributes of (or of any type): one excluded is then not all excluded.
    const members = Array.from({ length: random() < 0.7 ? 2 : 3 }, () => ({ n: local('n'), attribute: pick(['label', 'age', 'name', undefined, undefined]) }));
    return members.map(({ n, attribute }, i) => {
      const next = members[(i + 1) % members.length]!;
      const read = random() < 0.5 ? next.attribute : pick(['name', 'age', undefined]);
      const first: Statement[] = [
        { kind: 'has', v, attribute, target: n },
        ...(random() < 0.3 ? [condition(n, attribute)] : []),
        { kind: 'not', body: [{ kind: 'has', v, attribute: read, target: next.n }, condition(next.n, read)] },
      ];
      branchBound.push(n);
      const branches = [first, random() < 0.5 ? [simple(v)] : branch(v, false)];
      return { kind: 'or', branches: random() < 0.3 ? branches.reverse() : branches };
    });
  };
  return { simple, condition, negation, disjunction, ring };
}

export function randomQuery(random: () => number): Query {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const bodies = nestedBodies(random);
  const ownBody = (v: string): Statement => (random() < 0.4 ? { kind: 'not', body: bodies.negation(v, true) } : bodies.disjunction(v, true));
  const statements: Statement[] = [];
  const objectVars = ['a', 'b'];
  const used = new Set<string>();
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
    const roll = random();
    if (roll < 0.22) {
      const v = pick([...objectVars, ...objectVars, 'x']);
      const types = v === 'x' ? ['name', 'nick', 'label', 'age', 'score', 'attribute'] : ['person', 'student', 'company', 'entity', 'friendship', 'employment', 'relation'];
      statements.push({ kind: 'isa', v, type: pick(types), exact: random() < 0.2 });
      used.add(v);
    } else if (roll < 0.44) {
      const v = pick([...objectVars, ...objectVars, 'r']);
      const attribute = pick(['name', 'nick', 'label', 'age', 'score', undefined]);
      const target = attribute === undefined || random() < 0.5 ? pick(['x', 'y']) : valueOf(attribute, pick);
      statements.push({ kind: 'has', v, attribute, target });
      used.add(v);
    } else if (roll < 0.7) {
      const friendship = random() < 0.5;
      const roles = friendship ? ['friend', 'friend'] : ['employee', 'employer'];
      const players = roles.slice(0, 1 + Math.floor(random() * 2)).map((role) => [random() < 0.25 ? undefined : role, pick(objectVars)] as const);
      statements.push({ kind: 'relation', v: 'r', type: random() < 0.2 ? 'relation' : friendship ? 'friendship' : 'employment', players });
      for (const [, v] of players) used.add(v);
    } else if (roll < 0.75) {
      statements.push({ kind: 'compare', v: pick(['x', 'y']), op: pick(['>', '<', '=']), value: numberOf(pick(['age', 'score']), pick) });
    } else if (roll < 0.8) {
      statements.push({ kind: 'compare-vars', v: 'x', op: pick(['>', '<', '=']), other: 'y' });
    } else if (used.size > 0) {
      const kind = pick(['not-has', 'not-plays', 'or', 'own', 'own'] as const);
      // Bodies with variables of their own bind things' attributes and relations: not about an attribute `$x`.
      const things = [...used].filter((v) => v !== 'x');
      const v = pick(kind === 'own' && things.length > 0 ? things : [...used]);
      if (kind === 'not-has') {
        const attribute = pick(['name', 'label', 'age']);
        statements.push({ kind, v, attribute, value: valueOf(attribute, pick) });
      } else if (kind === 'not-plays') {
        statements.push({ kind, v, type: pick(['friendship', 'employment', 'relation']) });
      } else if (v === 'x') {
        // About an attribute: its value, in a disjunction or negated.
        const condition = () => bodies.condition('x', undefined);
        statements.push(kind === 'or' ? { kind, branches: [[condition()], [condition()]] } : { kind: 'not', body: [condition()] });
      } else if (kind === 'or') {
        statements.push({ kind, branches: [[bodies.simple(v)], [bodies.simple(v), ...(random() < 0.3 ? [bodies.simple(v)] : [])]] });
      } else {
        statements.push(ownBody(v));
      }
    }
  }
  // A third of the queries with a thing to say it of end with a negation or disjunction binding variables of its own.
  const things = [...used].filter((v) => v !== 'x');
  if (things.length > 0 && random() < 0.35) statements.push(ownBody(pick(things)));
  // Some, disjunctions in a ring (each reads what the next binds), among the statements or after them, or nested in a
  // negation or a branch (with a statement of their own there: a nested pattern must name a variable itself).
  const ring = things.length > 0 && random() < 0.2;
  if (ring) {
    const v = pick(things);
    const members = bodies.ring(v);
    const roll = random();
    const placed: Statement[] =
      roll < 0.2 ? [{ kind: 'not', body: [bodies.simple(v), ...members] }] : roll < 0.35 ? [{ kind: 'or', branches: [[bodies.simple(v), ...members], [bodies.simple(v)]] }] : members;
    statements.splice(Math.floor(random() * (statements.length + 1)), 0, ...placed);
  }
  return { statements, filter: randomFilter(statements, random), ring };
}

/** Mostly `get;`; else some of the variables outside the nested bodies, or (rarely) one of a body's own. */
function randomFilter(statements: readonly Statement[], random: () => number): string[] | undefined {
  const outer = variablesOf(statements);
  const roll = random();
  if (roll < 0.25 && outer.length > 1) {
    const some = outer.filter(() => random() < 0.5);
    return some.length > 0 ? some : [outer[Math.floor(random() * outer.length)]!];
  }
  const locals = [...new Set(statements.flatMap((s) => [...mentioned(s)]))].filter((v) => LOCAL.test(v));
  if (roll > 0.97 && locals.length > 0) return [locals[Math.floor(random() * locals.length)]!, ...outer.slice(0, 1)];
  return undefined;
}

function patterns(statements: readonly Statement[]): string {
  const text = statements.map((s) => {
    switch (s.kind) {
      case 'isa':
        return `$${s.v} ${s.exact ? 'isa!' : 'isa'} ${s.type};`;
      case 'has':
        return `$${s.v} has ${s.attribute === undefined ? '' : `${s.attribute} `}${typeof s.target === 'string' ? `$${s.target}` : literal(s.target)};`;
      case 'relation':
        return `$${s.v} (${s.players.map(([role, v]) => (role === undefined ? `$${v}` : `${role}: $${v}`)).join(', ')}) isa ${s.type};`;
      case 'compare':
        return s.value.type === 'string' ? `$${s.v} ${literal(s.value)};` : `$${s.v} ${s.op} ${literal(s.value)};`;
      case 'compare-vars':
        return `$${s.v} ${s.op} $${s.other};`;
      case 'not-has':
        return `not { $${s.v} has ${s.attribute} ${literal(s.value)}; };`;
      case 'not-plays':
        return `not { ($${s.v}) isa ${s.type}; };`;
      case 'not':
        return `not { ${patterns(s.body)} };`;
      case 'or':
        return `${s.branches.map((b) => `{ ${patterns(b)} }`).join(' or ')};`;
    }
  });
  return text.join(' ');
}

export function typeql(query: Query): string {
  return `match ${patterns(query.statements)} get${query.filter === undefined ? '' : ` ${query.filter.map((v) => `$${v}`).join(', ')}`};`;
}

/** The variables the statements themselves name, not those only their nested bodies do: those a `get;` returns. */
export function variablesOf(statements: readonly Statement[]): string[] {
  const out = new Set<string>();
  for (const s of statements) {
    if (nested(s)) continue;
    out.add(s.v);
    if (s.kind === 'has' && typeof s.target === 'string') out.add(s.target);
    if (s.kind === 'compare-vars') out.add(s.other);
    if (s.kind === 'relation') for (const [, v] of s.players) out.add(v);
  }
  return [...out].sort();
}

/** Every variable the statement names, in its nested bodies too. */
export function mentioned(s: Statement): Set<string> {
  if (s.kind === 'not') return new Set(s.body.flatMap((b) => [...mentioned(b)]));
  if (s.kind === 'or') return new Set(s.branches.flatMap((branch) => branch.flatMap((b) => [...mentioned(b)])));
  return new Set(nested(s) ? [s.v] : variablesOf([s]));
}
