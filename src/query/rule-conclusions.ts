// Whether a rule's conclusion can be inserted for every combination of types its `when` allows, as TypeDB judges
// it (Rule.validateInsertable): each branch of the `when`'s disjunctive normal form is compiled and its types
// inferred as a query's are, and every type of a concluding variable must own the concluded attribute or play the
// concluded role. Registered with the schema layer, whose own check sees only the `when`'s trunk statements.
import type { Label, RuleDefinition } from '../typeql/ast.js';
import { labelOf } from '../concept/things.js';
import type { StrataError } from '../common/errors.js';
import { RuleWrite, registerConclusionCheck, type SchemaReader, type SchemaType, type TypeGraph } from '../schema/index.js';
import { disjunctiveNormalForm } from '../reasoner/normal-form.js';
import { PatternCompiler } from './compiler.js';
import { TypeInference } from './inference.js';

export function conclusionInsertable(schema: TypeGraph, rule: RuleDefinition): StrataError | undefined | 'unknown' {
  const then = rule.then;
  if (!then) return 'unknown';
  try {
    for (const branch of disjunctiveNormalForm(rule.when ?? [])) {
      const conjunction = new PatternCompiler(schema).compile(branch);
      const sets = new TypeInference(schema).infer(conjunction);
      // A branch no types satisfy never fires (and is refused as incoherent elsewhere if it is the whole `when`).
      if ([...sets].some(([name, set]) => set.size === 0 && conjunction.variables.get(name) === 'thing')) continue;
      const typesOf = (name: string) => [...(sets.get(name) ?? [])].filter((t) => !t.abstract && !t.isMeta);
      const error = then.relation ? relationError(schema, rule, typesOf) : ownershipError(schema, rule, typesOf);
      if (error) return error;
    }
    return undefined;
  } catch {
    return 'unknown';
  }
}

function relationError(schema: SchemaReader, rule: RuleDefinition, typesOf: (name: string) => SchemaType[]): StrataError | undefined {
  const then = rule.then!;
  if (then.isa?.type.kind !== 'label') return undefined;
  const relation = schema.get(then.isa.type.label);
  if (!relation) return undefined;
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
  return undefined;
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
