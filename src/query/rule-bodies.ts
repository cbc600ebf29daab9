// Rule bodies for the reasoner: compiles one conjunctive `when` with the same compiler, type inference and matcher
// that queries use, and describes it (variable types, ownerships, types read) so the reasoner can seed it with
// the facts it infers. Handed to the reasoner as a BodyCompiler, which keeps the reasoner free of query imports.
import type { Deadline } from '../common/deadline.js';
import type { Pattern } from '../typeql/ast.js';
import type { SchemaReader, TypeId } from '../schema/api.js';
import type { Thing, ThingReader } from '../concept/things.js';
import { InstanceStatistics } from '../concept/statistics.js';
import type { BodyCompiler, BodyPlan } from '../reasoner/index.js';
import { PatternCompiler } from './compiler.js';
import { Matcher } from './matcher.js';
import { TypeInference } from './inference.js';
import { validateValueVariables } from './validation.js';
import { visitTypesRead } from './types-read.js';
import type { Row } from './bindings.js';

/** `statistics`: the planner counts bodies are matched with (see StoredCounts); `deadline`: the transaction's timeout. */
export function ruleBodyCompiler(schema: SchemaReader, statistics: InstanceStatistics = new InstanceStatistics(), deadline?: Deadline): BodyCompiler {
  const inference = new TypeInference(schema, deadline);
  return (body: readonly Pattern[], things: ThingReader): BodyPlan => {
    const conjunction = new PatternCompiler(schema).compile(body);
    validateValueVariables(conjunction);
    const matcher = new Matcher(schema, things, statistics, deadline);
    const scope = matcher.prepare(conjunction, false);

    const thingVariables = new Map<string, ReadonlySet<TypeId>>();
    const typeVariables = new Map<string, ReadonlySet<TypeId>>();
    let satisfiable = true;
    for (const [name, kind] of conjunction.variables) {
      if (kind !== 'thing' && kind !== 'type') continue;
      const ids = new Set([...(scope.sets.get(name) ?? [])].map((t) => t.id));
      if (kind === 'type') typeVariables.set(name, ids);
      else {
        if (ids.size === 0) satisfiable = false;
        thingVariables.set(name, ids);
      }
    }
    const ownerships = conjunction.constraints.flatMap((c) => (c.kind === 'has' ? [{ owner: c.owner, attribute: c.attribute }] : []));
    const reads = new Set<TypeId>();
    const negatedReads = new Set<TypeId>();
    visitTypesRead(inference, conjunction, scope.sets, (type, negated) => (negated ? negatedReads : reads).add(type));

    return {
      patterns: body,
      satisfiable,
      thingVariables,
      typeVariables,
      ownerships,
      reads,
      negatedReads,
      match(seed: ReadonlyMap<string, Thing>) {
        const row: Row = new Map();
        for (const [name, thing] of seed) row.set(name, { kind: 'thing', thing });
        return matcher.match(scope, row);
      },
    };
  };
}
