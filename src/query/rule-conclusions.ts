// Whether a rule's conclusion can be inserted for every combination of types its `when` allows, as TypeDB judges
// it (Rule.validateInsertable): each branch of the `when`'s disjunctive normal form is compiled and its types
// inferred as a query's are, and every type of a concluding variable must own the concluded attribute or play the
// concluded role. Registered with the schema layer, whose own check sees only the `when`'s trunk statements.
import type { Label, RuleDefinition, ThingStatement } from '../typeql/ast.js';
import { printBlock } from '../typeql/index.js';
import { labelOf } from '../concept/things.js';
import type { StrataError } from '../common/errors.js';
import { RuleWrite, registerConclusionCheck, type SchemaReader, type SchemaType, type TypeGraph } from '../schema/index.js';
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

function relationError(schema: SchemaReader, rule: RuleDefinition, sets: TypeSets): StrataError | undefined {
  const then = rule.then!;
  const typeRef = then.isa?.type;
  if (typeRef === undefined) return undefined;
  let relations: SchemaType[];
  if (typeRef.kind === 'label') {
    const relation = schema.get(typeRef.label);
    if (!relation) return undefined;
    relations = [relation];
  } else {
    // `isa $t`: the types the `when` binds $t to that the named roles fit must be concrete, and all of them must fit.
    const bound = [...(sets.get(typeRef.name) ?? [])];
    const thenText = printBlock([then]);
    relations = bound.filter((t) => t.root === 'relation' && !t.isMeta && rolesNamedIn(schema, then, t));
    if (relations.length === 0) return RuleWrite.ruleThenIncoherent(rule.label, thenText);
    if (relations.some((t) => t.abstract)) return RuleWrite.ruleThenInsertsAbstractTypes(rule.label, thenText, relations.map(labelOf));
    const unfit = bound.find((t) => !relations.includes(t));
    if (unfit) return RuleWrite.ruleConclusionIllegalInsert(rule.label, `{$${typeRef.name}=${labelOf(unfit)}}`);
  }
  const typesOf = concreteTypes(sets);
  for (const relation of relations) {
    for (const rp of then.relation ?? []) {
      if (rp.role === undefined) continue;
      // A role variable takes the roles the `when` binds it to.
      const roles = rp.role.kind === 'label' ? [roleOf(schema, relation, rp.role.label)].filter((r) => r !== undefined) : typesOf(rp.role.name);
      for (const role of roles) {
        for (const t of typesOf(rp.player.name)) {
          if (!schema.plays(t).has(role.id)) return RuleWrite.ruleConclusionIllegalInsert(rule.label, `{$${rp.player.name}=${labelOf(t)}}`);
        }
      }
    }
  }
  return undefined;
}

/** Whether every role the conclusion names is one of the relation type's roles. */
function rolesNamedIn(schema: SchemaReader, then: ThingStatement, relation: SchemaType): boolean {
  return (then.relation ?? []).every((rp) => {
    if (rp.role?.kind !== 'label') return true;
    const role = roleOf(schema, relation, rp.role.label);
    return role !== undefined && schema.relates(relation).some((r) => r.id === role.id);
  });
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

/** The role a conclusion names: scoped, or by name among the relation type's roles (inherited ones included). */
function roleOf(schema: SchemaReader, relation: SchemaType, label: Label): SchemaType | undefined {
  return label.scope !== undefined ? schema.get(label) : schema.resolveRole(relation, label.name);
}

registerConclusionCheck(conclusionInsertable);
