// Orders rules for evaluation: rule A depends on rule B when a variable of A's `when` may be bound to a type B
// concludes (a relation type, or an attribute type for ownerships). Mutually dependent rules form one stratum,
// evaluated together to a fixpoint; strata run in dependency order, so a negation only ever reads facts whose
// rules have already finished. The schema layer rejects rule sets whose cycles go through a negation (RUW02).
import type { TypeId } from '../schema/api.js';

export interface StratifiableRule {
  readonly label: string;
  readonly concludes: readonly TypeId[];
  readonly reads: ReadonlySet<TypeId>;
  readonly negatedReads: ReadonlySet<TypeId>;
}

/** For each rule, the rules whose conclusions it reads (positively or under a negation). */
export function ruleDependencies<R extends StratifiableRule>(rules: readonly R[]): Map<R, R[]> {
  const dependencies = new Map<R, R[]>();
  for (const rule of rules) {
    dependencies.set(
      rule,
      rules.filter((other) => other.concludes.some((t) => rule.reads.has(t) || rule.negatedReads.has(t))),
    );
  }
  return dependencies;
}

/** The rules grouped into strata, dependencies first. */
export function stratify<R extends StratifiableRule>(rules: readonly R[], dependencies: ReadonlyMap<R, readonly R[]>): R[][] {
  const members = new Set(rules);
  const within = new Map(rules.map((r) => [r, (dependencies.get(r) ?? []).filter((d) => members.has(d))]));
  return stronglyConnected(rules, within);
}

/** The rules that conclude one of the types, with every rule they depend on, transitively. */
export function rulesFor<R extends StratifiableRule>(
  types: ReadonlySet<number>,
  rules: readonly R[],
  dependencies: ReadonlyMap<R, readonly R[]>,
): Set<R> {
  const needed = new Set<R>();
  const visit = (rule: R) => {
    if (needed.has(rule)) return;
    needed.add(rule);
    for (const d of dependencies.get(rule) ?? []) visit(d);
  };
  for (const rule of rules) if (rule.concludes.some((t) => types.has(t))) visit(rule);
  return needed;
}

/** Tarjan's algorithm: emits each component after every component it depends on. */
function stronglyConnected<R>(nodes: readonly R[], edges: ReadonlyMap<R, readonly R[]>): R[][] {
  let index = 0;
  const indices = new Map<R, number>();
  const low = new Map<R, number>();
  const stack: R[] = [];
  const onStack = new Set<R>();
  const result: R[][] = [];
  const visit = (v: R) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: R[] = [];
      let w: R;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      // Keep the definition order inside a stratum, so that evaluation order is deterministic.
      component.sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b));
      result.push(component);
    }
  };
  for (const n of nodes) if (!indices.has(n)) visit(n);
  return result;
}
