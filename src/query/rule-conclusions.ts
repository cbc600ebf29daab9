// Whether a rule's conclusion can be inserted for every combination of types its `when` allows, as TypeDB judges
// it (Rule.validateInsertable): each branch of the `when`'s disjunctive normal form is compiled and its types
// inferred as a query's are, and every type of a concluding variable must own the concluded attribute or play the
// concluded role. Registered with the schema layer, whose own check sees only the `when`'s trunk statements.
import type { RuleDefinition } from '../typeql/ast.js';
import { printBlock } from '../typeql/index.js';
import { labelOf } from '../concept/things.js';
import type { StrataError } from '../common/errors.js';
import { RuleWrite, registerConclusionCheck, type SchemaReader, type SchemaType, type TypeGraph } from '../schema/index.js';
import { conclusionOf } from '../reasoner/index.js';
import { disjunctiveNormalForm } from '../reasoner/normal-form.js';
import { PatternCompiler } from './compiler.js';
import { TypeInference, type TypeSets } from './inference.js';

export function conclusionInsertable(schema: TypeGraph, rule: RuleDefinition): StrataError | undefined | 'unknown' {
  const then = rule.then;
  if (!then) return 'unknown';
  try {
    for (const branch of disjunctiveNormalForm(rule.when ?? [])) {
      const conjunction = new PatternCompiler(schema).compile(branch);
      const sets = new TypeInference(schema).infer(conjunction);
      // A branch no types satisfy never fires (and is refused as incoherent elsewhere if it is the whole `when`).
      if ([...sets].some(([name, set]) => set.size === 0 && conjunction.variables.get(name) === 'thing')) continue;
      const error = then.relation ? relationError(schema, rule, sets) : ownershipError(schema, rule, concreteTypes(sets));
      if (error) return error;
    }
    return undefined;
  } catch {
    return 'unknown';
  }
}

/**
 * The relation conclusion judged as the reasoner will instantiate it (its roles looked up in each concluded type by
 * RelationConclusion): every bound type of `isa $t` that the named roles fit must be concrete, and every one must fit.
 */
function relationError(schema: SchemaReader, rule: RuleDefinition, sets: TypeSets): StrataError | undefined {
  const conclusion = conclusionOf(rule, schema);
  if (conclusion.kind !== 'relation') return undefined;
  const { relationType } = conclusion;
  let relations: SchemaType[];
  if (relationType.kind === 'label') relations = [relationType.type];
  else {
    const bound = [...(sets.get(relationType.name) ?? [])];
    const thenText = printBlock([rule.then!]);
    relations = bound.filter((t) => !t.isMeta && conclusion.mayConclude(t));
    if (relations.length === 0) return RuleWrite.ruleThenIncoherent(rule.label, thenText);
    if (relations.some((t) => t.abstract)) return RuleWrite.ruleThenInsertsAbstractTypes(rule.label, thenText, relations.map(labelOf));
    const unfit = bound.find((t) => !relations.includes(t));
    if (unfit) return RuleWrite.ruleConclusionIllegalInsert(rule.label, `{$${relationType.name}=${labelOf(unfit)}}`);
  }
  const typesOf = concreteTypes(sets);
  for (const relation of relations) {
    const named = conclusion.rolesIn(relation)?.named ?? [];
    for (const [i, { role, player }] of conclusion.players.entries()) {
      // A role variable takes the roles the `when` binds it to.
      const roles = role.kind === 'label' ? [named[i]].filter((r) => r !== undefined) : typesOf(role.name);
      for (const r of roles) {
        for (const t of typesOf(player)) {
          if (!schema.plays(t).has(r.id)) return RuleWrite.ruleConclusionIllegalInsert(rule.label, `{$${player}=${labelOf(t)}}`);
        }
      }
    }
  }
  return undefined;
}

/** The concrete types a variable of the branch may take. */
function concreteTypes(sets: TypeSets): (name: string) => SchemaType[] {
  return (name) => [...(sets.get(name) ?? [])].filter((t) => !t.abstract && !t.isMeta);
}

function ownershipError(schema: SchemaReader, rule: RuleDefinition, typesOf: (name: string) => SchemaType[]): StrataError | undefined {
  const then = rule.then!;
  const owner = then.variable?.name;
  const has = then.has[0];
  if (owner === undefined || has === undefined) return undefined;
  const attributeVariable = has.value.kind === 'concept-var' ? has.value.name : undefined;
  const declared = has.attributeType ? schema.get(has.attributeType) : undefined;
  const attributes = declared ? [declared] : attributeVariable ? typesOf(attributeVariable) : [];
  for (const t of typesOf(owner)) {
    for (const a of attributes) {
      if (schema.owns(t).has(a.id)) continue;
      const types = declared || !attributeVariable ? `{$${owner}=${labelOf(t)}}` : `{$${owner}=${labelOf(t)}, $${attributeVariable}=${labelOf(a)}}`;
      return RuleWrite.ruleConclusionIllegalInsert(rule.label, types);
    }
  }
  return undefined;
}

registerConclusionCheck(conclusionInsertable);
