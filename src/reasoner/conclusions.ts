// A rule's `then`, resolved against the schema, and its instantiation from one answer of the rule's `when`.
// Shapes (checked when the rule was defined): a relation `(role: $x, …) isa T`, where a role may also be a variable
// the `when` binds to a role type (`$r type T:role;`), or one ownership `$x has T <literal>`, `$x has T ?value`,
// `$x has [T] $attribute`.
import type { ConceptVar, RuleDefinition, ThingStatement } from '../typeql/ast.js';
import type { SchemaReader, SchemaType, TypeId } from '../schema/api.js';
import type { Thing } from '../concept/things.js';
import type { Value } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import type { RuleBinding } from './api.js';

/**
 * The role of a concluded role player: named, or the role type a `when` variable is bound to, if it is one of the
 * relation type's roles (`$r sub …` may bind others).
 */
export type ConcludedRole =
  | { readonly kind: 'label'; readonly type: SchemaType }
  | { readonly kind: 'variable'; readonly name: string; readonly relates: ReadonlySet<TypeId> };

export type Conclusion =
  | { readonly kind: 'relation'; readonly type: SchemaType; readonly players: readonly { readonly role: ConcludedRole; readonly player: string }[] }
  | {
      readonly kind: 'has';
      readonly owner: string;
      /** Absent for `$x has $attribute`: the attribute keeps its own type. */
      readonly attributeType?: SchemaType;
      readonly attribute:
        | { readonly kind: 'variable'; readonly name: string }
        | { readonly kind: 'value-variable'; readonly name: string }
        | { readonly kind: 'literal'; readonly value: Value };
    };

/** One fact a conclusion asks for, with its things resolved. */
export type Inference =
  | { readonly kind: 'relation'; readonly type: SchemaType; readonly players: readonly { readonly role: SchemaType; readonly player: Thing }[] }
  | { readonly kind: 'has'; readonly owner: Thing; readonly attribute: Thing }
  | { readonly kind: 'has-value'; readonly owner: Thing; readonly attributeType: SchemaType; readonly value: Value };

export function conclusionOf(rule: RuleDefinition, schema: SchemaReader): Conclusion {
  const then = rule.then;
  if (!then) throw invalid(rule.label, 'it has no conclusion');
  return then.relation ? relationConclusion(rule.label, then, schema) : hasConclusion(rule.label, then, schema);
}

function relationConclusion(label: string, then: ThingStatement, schema: SchemaReader): Conclusion {
  const typeRef = then.isa?.type;
  if (typeRef?.kind !== 'label') throw invalid(label, 'its relation conclusion has no type label');
  const type = schema.get(typeRef.label);
  if (!type || type.root !== 'relation') throw invalid(label, `'${typeRef.label.name}' is not a relation type`);
  const relates = new Set(schema.relates(type).map((r) => r.id));
  const players = then.relation!.map((rp) => {
    if (rp.role?.kind === 'concept-var') return { role: { kind: 'variable', name: rp.role.name, relates } as const, player: rp.player.name };
    if (rp.role?.kind !== 'label') throw invalid(label, 'every role player of its conclusion needs a role label or variable');
    const role = resolveRole(schema, type, rp.role.label);
    if (!role) throw invalid(label, `the relation type '${typeRef.label.name}' has no role '${rp.role.label.name}'`);
    return { role: { kind: 'label', type: role } as const, player: rp.player.name };
  });
  return { kind: 'relation', type, players };
}

/** The role a conclusion names: the relation's own (or inherited) role, else one of a supertype by that name. */
function resolveRole(schema: SchemaReader, relation: SchemaType, role: { scope?: string; name: string }): SchemaType | undefined {
  if (role.scope !== undefined) return schema.get(role);
  const own = schema.resolveRole(relation, role.name);
  if (own) return own;
  for (const t of schema.supertypes(relation)) {
    const inherited = schema.resolveRole(t, role.name);
    if (inherited) return inherited;
  }
  return undefined;
}

function hasConclusion(label: string, then: ThingStatement, schema: SchemaReader): Conclusion {
  const owner = then.variable?.name;
  const has = then.has[0];
  if (owner === undefined || !has) throw invalid(label, 'its conclusion is neither a relation nor one ownership');
  let attributeType: SchemaType | undefined;
  if (has.attributeType) {
    attributeType = schema.get(has.attributeType);
    if (!attributeType || attributeType.root !== 'attribute') throw invalid(label, `'${has.attributeType.name}' is not an attribute type`);
  }
  const v = has.value;
  if (v.kind === 'concept-var') return { kind: 'has', owner, attributeType, attribute: { kind: 'variable', name: (v as ConceptVar).name } };
  if (v.kind === 'value-var') return { kind: 'has', owner, attributeType, attribute: { kind: 'value-variable', name: v.name } };
  if (v.kind === 'compare' && (v.op === undefined || v.op === '==' || v.op === '=')) {
    const operand = v.operand;
    if (operand.kind === 'value-var') return { kind: 'has', owner, attributeType, attribute: { kind: 'value-variable', name: operand.name } };
    if (operand.kind !== 'concept-var') {
      return { kind: 'has', owner, attributeType, attribute: { kind: 'literal', value: { type: operand.kind, value: operand.value } as Value } };
    }
  }
  throw invalid(label, 'its ownership conclusion needs a value, a value variable or an attribute variable');
}

/** The types of the facts a conclusion produces (for the rule dependency graph). */
export function concludedTypes(conclusion: Conclusion, attributeVariableTypes: ReadonlySet<TypeId> | undefined): TypeId[] {
  if (conclusion.kind === 'relation') return [conclusion.type.id];
  if (conclusion.attributeType) return [conclusion.attributeType.id];
  return [...(attributeVariableTypes ?? [])];
}

/** The fact one answer of the `when` concludes, or undefined when the answer cannot conclude one. */
export function instantiate(conclusion: Conclusion, answer: ReadonlyMap<string, RuleBinding>): Inference | undefined {
  if (conclusion.kind === 'relation') {
    const players: { role: SchemaType; player: Thing }[] = [];
    for (const rp of conclusion.players) {
      const b = answer.get(rp.player);
      const role = concludedRole(rp.role, answer);
      if (b?.kind !== 'thing' || role === undefined) return undefined;
      players.push({ role, player: b.thing });
    }
    return { kind: 'relation', type: conclusion.type, players };
  }
  const owner = answer.get(conclusion.owner);
  if (owner?.kind !== 'thing') return undefined;
  const source = conclusion.attribute;
  if (source.kind === 'variable') {
    const b = answer.get(source.name);
    if (b?.kind !== 'thing' || b.thing.type.root !== 'attribute') return undefined;
    return { kind: 'has', owner: owner.thing, attribute: b.thing };
  }
  const value = source.kind === 'literal' ? source.value : valueOfBinding(answer.get(source.name));
  if (value === undefined || !conclusion.attributeType) return undefined;
  return { kind: 'has-value', owner: owner.thing, attributeType: conclusion.attributeType, value };
}

/** The role type a concluded role player takes in one answer of the `when`. */
export function concludedRole(role: ConcludedRole, answer: ReadonlyMap<string, RuleBinding>): SchemaType | undefined {
  if (role.kind === 'label') return role.type;
  const b = answer.get(role.name);
  return b?.kind === 'type' && role.relates.has(b.type.id) ? b.type : undefined;
}

function valueOfBinding(b: RuleBinding | undefined): Value | undefined {
  return b?.kind === 'value' ? b.value : undefined;
}

function invalid(label: string, why: string): StrataError {
  return new StrataError('RSN', 11, `The rule '${label}' cannot be used for reasoning: ${why}.`);
}
