// What the reasoner needs from the layer that matches patterns. The reasoner never imports the query layer: the
// query layer implements BodyCompiler and hands it in (see database/transaction.ts), so layers still only talk
// downward.
import type { Pattern } from '../typeql/ast.js';
import type { SchemaType, TypeId } from '../schema/api.js';
import type { Thing, ThingReader } from '../concept/things.js';
import type { Value } from '../common/values.js';
import type { Pending } from '../common/steps.js';

/** What a variable of a matched rule body is bound to. */
export type RuleBinding =
  | { readonly kind: 'thing'; readonly thing: Thing }
  | { readonly kind: 'type'; readonly type: SchemaType }
  | { readonly kind: 'value'; readonly value: Value };

/** One conjunctive rule body (no top-level disjunction; negations allowed), compiled against one reader. */
export interface BodyPlan {
  /** The conjunction this plan matches, as written (the compiler names its anonymous variables the same way each time). */
  readonly patterns: readonly Pattern[];
  /** False when type inference shows the body can never match; the reasoner then skips it. */
  readonly satisfiable: boolean;
  /** Top-level thing variables (generated ones included) with the ids of the types they may take. */
  readonly thingVariables: ReadonlyMap<string, ReadonlySet<TypeId>>;
  /** Top-level type variables with the ids of the types they may be bound to. */
  readonly typeVariables: ReadonlyMap<string, ReadonlySet<TypeId>>;
  /** Top-level ownerships `$owner has $attribute`, by variable name. */
  readonly ownerships: readonly { readonly owner: string; readonly attribute: string }[];
  /** Ids of every type a thing variable may take outside negations, and inside them. */
  readonly reads: ReadonlySet<TypeId>;
  readonly negatedReads: ReadonlySet<TypeId>;
  /**
   * Every answer of the body that extends the seed bindings, over the reader the plan was compiled for (which
   * sees inferred facts as they are added). Each answer may be reused by the next step: copy what you keep. A long
   * search yields PENDING between answers (see common/steps.ts).
   */
  match(seed: ReadonlyMap<string, Thing>): Iterable<ReadonlyMap<string, RuleBinding> | Pending>;
}

export type BodyCompiler = (body: readonly Pattern[], things: ThingReader) => BodyPlan;
