// Disjunctions of one scope that wait for each other (a ring: a negation in a branch of one reads a variable a branch
// of the next binds, round to the first) merged into one disjunction, whose branches are the product of theirs.
// TypeDB 2.x matches each conjunction of a match's normal form on its own: a negation there is checked once every
// variable its conjunction binds is bound. Strata matches a disjunction as one step of a search, and a negation
// reading a variable a neighbouring disjunction binds waits for it (branch-waits.ts); in a ring none can go first
// without its negations taking a variable of the next for their own, and the answers would follow the planner's
// order. A product branch is one branch of each of the ring's disjunctions in one conjunction, as in the normal form,
// where such a negation waits for the variable as for any of its conjunction's own.
//
// Size: a ring of disjunctions of b1 … bk branches becomes one of b1 × … × bk branches (the normal form's count of
// them), each as large as the k branches it joins. Rings are rare and small (each member must read what the next
// binds); disjunctions outside a ring are left as they are, so the product never spans the rest of the scope.
import type { Conjunction, Constraint } from './ir.js';
import { branchWaits } from './branch-waits.js';

type Disjunction = Extract<Constraint, { kind: 'disjunction' }>;

/**
 * The conjunction with each ring of its own disjunctions replaced by their product, at the place of the ring's first;
 * the conjunction itself when it has none. Only this level: a product branch, or a negation's body, is a scope of
 * its own and is rewritten when it is searched (match-scope.ts).
 */
export function withoutRings(conjunction: Conjunction): Conjunction {
  let disjunctions = 0;
  for (const c of conjunction.constraints) if (c.kind === 'disjunction') disjunctions++;
  if (disjunctions < 2) return conjunction;
  const rings = cycles(branchWaits(conjunction));
  if (rings.length === 0) return conjunction;
  const ringOf = new Map<Constraint, readonly Disjunction[]>();
  for (const ring of rings) for (const d of ring) ringOf.set(d, ring);
  const constraints: Constraint[] = [];
  for (const c of conjunction.constraints) {
    const ring = ringOf.get(c);
    if (ring === undefined) constraints.push(c);
    else if (ring[0] === c) constraints.push(product(ring));
  }
  return { constraints, variables: conjunction.variables };
}

/** One disjunction whose branches are the product of the ring's (each a conjunction of one branch of each). */
function product(ring: readonly Disjunction[]): Disjunction {
  let branches: Conjunction[] = [{ constraints: [], variables: new Map() }];
  for (const d of ring) {
    branches = branches.flatMap((joined) =>
      d.branches.map((b) => ({
        constraints: [...joined.constraints, ...b.constraints.map(copied)],
        variables: new Map([...joined.variables, ...b.variables]),
      })),
    );
  }
  return { kind: 'disjunction', branches };
}

/**
 * A nested constraint with bodies of its own: a branch of the ring is in several product branches, and a body's scope
 * is kept per body and enclosing scope (Scopes.nested), so one body shared by several would be inferred and planned
 * again each time the search moved from one to another.
 */
function copied(c: Constraint): Constraint {
  if (c.kind === 'negation') return { kind: 'negation', body: copiedBody(c.body) };
  if (c.kind === 'disjunction') return { kind: 'disjunction', branches: c.branches.map(copiedBody) };
  return c;
}

function copiedBody(body: Conjunction): Conjunction {
  return { constraints: body.constraints.map(copied), variables: body.variables };
}

/**
 * The strongly connected components of more than one disjunction in the graph of which waits for which (Tarjan's
 * algorithm, iterative: a scope may hold thousands of disjunctions). Each is in the order of the scope's constraints.
 */
function cycles(waits: ReadonlyMap<Constraint, readonly Constraint[]>): Disjunction[][] {
  const nodes = [...waits.keys()].filter((c): c is Disjunction => c.kind === 'disjunction');
  const edges = (c: Constraint) => (waits.get(c) ?? []).filter((d) => waits.has(d));
  const order = new Map<Constraint, number>(nodes.map((c, i) => [c, i]));
  const index = new Map<Constraint, number>();
  const low = new Map<Constraint, number>();
  const stack: Constraint[] = [];
  const onStack = new Set<Constraint>();
  const found: Disjunction[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames: { node: Constraint; out: readonly Constraint[]; at: number }[] = [];
    const enter = (node: Constraint) => {
      index.set(node, next);
      low.set(node, next++);
      stack.push(node);
      onStack.add(node);
      frames.push({ node, out: edges(node), at: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames.at(-1)!;
      if (frame.at < frame.out.length) {
        const to = frame.out[frame.at++]!;
        if (!index.has(to)) enter(to);
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: Disjunction[] = [];
      for (let c: Constraint | undefined; c !== frame.node; ) {
        c = stack.pop()!;
        onStack.delete(c);
        component.push(c as Disjunction);
      }
      if (component.length > 1) found.push(component.sort((a, b) => order.get(a)! - order.get(b)!));
    }
  }
  return found;
}
