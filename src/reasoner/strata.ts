// Orders rules for evaluation: rule A depends on rule B when a variable of A's `when` may be bound to a type B
// concludes (a relation type, or an attribute type for ownerships). Mutually dependent rules form one stratum,
// evaluated together to a fixpoint; strata run in dependency order, so a negation only ever reads facts whose
// rules have already finished. The schema layer rejects rule sets whose cycles go through a negation (RUW02).
import type { TypeId } from '../schema/api.js';
import { stronglyConnectedComponents } from '../common/graph.js';

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
  return stronglyConnectedComponents(rules, (r) => within.get(r) ?? []);
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

