// Why an inferred fact holds, found on demand: the answers of the `when` of every rule that can conclude it, matched
// over the materialised view with the conclusion's things bound, whose instantiation concludes exactly that fact.
// Once materialisation has reached its fixpoint these are all the ways the fact was (or could have been) concluded;
// nothing is recorded while materialising, so explanations cost memory only when asked for.
import type { Pattern } from '../typeql/ast.js';
import type { Thing } from '../concept/things.js';
import { iidKey } from '../encoding/index.js';
import { withoutPauses } from '../common/steps.js';
import type { RuleBinding } from './api.js';
import { instantiate } from './conclusions.js';
import { concludedAttribute, relationIdentity, type InferredFacts } from './inferred-facts.js';
import type { CompiledRule } from './materialiser.js';

/** An inferred fact to explain. */
export type ExplainedFact =
  | { readonly kind: 'relation'; readonly relation: Thing }
  | { readonly kind: 'ownership'; readonly owner: Thing; readonly attribute: Thing }
  | { readonly kind: 'attribute'; readonly attribute: Thing };

/**
 * One way a fact was concluded: the rule, the conjunction of its `when` that matched (one branch of its
 * disjunctive normal form), and that conjunction's answer (every variable, generated ones too).
 */
export interface Derivation {
  readonly rule: string;
  readonly when: readonly Pattern[];
  readonly condition: ReadonlyMap<string, RuleBinding>;
}

export function derivationsOf(fact: ExplainedFact, rules: Iterable<CompiledRule>, facts: InferredFacts): Derivation[] {
  const out: Derivation[] = [];
  switch (fact.kind) {
    case 'relation':
      for (const rule of rules) relationDerivations(fact.relation, rule, facts, out);
      return out;
    case 'ownership':
      for (const rule of rules) ownershipDerivations(fact.owner, fact.attribute, rule, out);
      return out;
    case 'attribute':
      // An inferred attribute exists because rules gave it to owners: each inferred ownership of it explains it.
      for (const owner of facts.things.owners(fact.attribute.iid)) {
        if (!facts.things.isInferredOwnership(owner.iid, fact.attribute.iid)) continue;
        for (const rule of rules) ownershipDerivations(owner, fact.attribute, rule, out);
      }
      return out;
  }
}

function relationDerivations(relation: Thing, rule: CompiledRule, facts: InferredFacts, out: Derivation[]): void {
  const conclusion = rule.conclusion;
  if (conclusion.kind !== 'relation' || !conclusion.mayConclude(relation.type)) return;
  const edges = [...facts.things.rolePlayers(relation)];
  const players = edges.flatMap((e) => Array.from({ length: e.count }, () => ({ role: e.role, player: e.player })));
  const identity = relationIdentity(relation.type, players);
  // Bind the conclusion's first player to each thing that plays its role in the relation (any role, when a variable
  // names it): every answer that concludes the relation binds it to one of them, and each answer is found once.
  const first = conclusion.players[0]!;
  const role = conclusion.rolesIn(relation.type)?.named[0];
  const playing = edges.filter((e) => role === undefined || e.role.id === role.id).map((e) => e.player);
  const candidates = [...new Map(playing.map((p) => [iidKey(p.iid), p])).values()];
  for (const candidate of candidates) {
    for (const body of rule.bodies) {
      for (const answer of withoutPauses(body.match(new Map([[first.player, candidate]])))) {
        const inference = instantiate(conclusion, answer);
        if (inference?.kind === 'relation' && relationIdentity(inference.type, inference.players) === identity) {
          out.push({ rule: rule.label, when: body.patterns, condition: new Map(answer) });
        }
      }
    }
  }
}

function ownershipDerivations(owner: Thing, attribute: Thing, rule: CompiledRule, out: Derivation[]): void {
  const conclusion = rule.conclusion;
  if (conclusion.kind !== 'has') return;
  if (conclusion.attributeType !== undefined && conclusion.attributeType.id !== attribute.type.id) return;
  const seed = new Map([[conclusion.owner, owner]]);
  if (conclusion.attribute.kind === 'variable') seed.set(conclusion.attribute.name, attribute);
  for (const body of rule.bodies) {
    for (const answer of withoutPauses(body.match(seed))) {
      const inference = instantiate(conclusion, answer);
      if (inference === undefined || inference.kind === 'relation') continue;
      const concluded = inference.kind === 'has' ? inference.attribute.iid : concludedAttribute(inference);
      if (concluded !== undefined && Buffer.compare(concluded, attribute.iid) === 0) {
        out.push({ rule: rule.label, when: body.patterns, condition: new Map(answer) });
      }
    }
  }
}
