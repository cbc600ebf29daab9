// A rule's `then`, resolved against the schema, and its instantiation from one answer of the rule's `when`.
// Shapes (checked when the rule was defined): a relation `(role: $x, …) isa T`, where the type may also be a variable
// the `when` binds to a relation type (`$t type T;`) and a role one it binds to a role type (`$r type T:role;`), or
// one ownership `$x has T <literal>`, `$x has T ?value`, `$x has [T] $attribute`.
import type { ConceptVar, Label, RuleDefinition, ThingStatement } from '../typeql/ast.js';
import type { SchemaReader, SchemaType, TypeId } from '../schema/api.js';
import type { Thing } from '../concept/things.js';
import type { Value } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import type { RuleBinding } from './api.js';

/** The relation type of a relation conclusion: named, or the relation type a `when` variable is bound to. */
export type ConcludedRelationType =
  | { readonly kind: 'label'; readonly type: SchemaType }
  | { readonly kind: 'variable'; readonly name: string };

/**
 * The role of a concluded role player: named (looked up among the roles of the relation type concluded), or the
 * role type a `when` variable is bound to, if it is one of that relation type's roles (`$r sub …` may bind others).
 */
export type ConcludedRole = { readonly kind: 'label'; readonly label: Label } | { readonly kind: 'variable'; readonly name: string };

export type Conclusion =
  | RelationConclusion
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

/** What a relation conclusion's players take in relations of one type. */
interface RolesIn {
  /** Per player, in order: its role when the conclusion names it. */
  readonly named: readonly (SchemaType | undefined)[];
  /** The relation type's roles, which a role variable must be bound to. */
  readonly relates: ReadonlySet<TypeId>;
}

/** `(role: $x, …) isa T` or `isa $t`: its roles are resolved once per relation type it concludes. */
export class RelationConclusion {
  readonly kind = 'relation';
  private readonly roles = new Map<TypeId, RolesIn | undefined>();

  constructor(
    private readonly schema: SchemaReader,
    readonly relationType: ConcludedRelationType,
    readonly players: readonly { readonly role: ConcludedRole; readonly player: string }[],
  ) {}

  /** The relation type one answer of the `when` concludes (undefined when its variable is bound to no relation type). */
  typeIn(answer: ReadonlyMap<string, RuleBinding>): SchemaType | undefined {
    if (this.relationType.kind === 'label') return this.relationType.type;
    const b = answer.get(this.relationType.name);
    return b?.kind === 'type' && b.type.root === 'relation' ? b.type : undefined;
  }

  /** Whether the conclusion may conclude relations of the type. */
  mayConclude(type: SchemaType): boolean {
    if (this.relationType.kind === 'label') return this.relationType.type.id === type.id;
    return type.root === 'relation' && this.rolesIn(type) !== undefined;
  }

  /** Ids of the roles the i-th player takes in relations of the types; undefined when a role variable names it. */
  rolesOfPlayer(i: number, types: readonly TypeId[]): ReadonlySet<TypeId> | undefined {
    if (this.players[i]!.role.kind !== 'label') return undefined;
    const out = new Set<TypeId>();
    for (const id of types) {
      const type = this.schema.byId(id);
      const role = type === undefined ? undefined : this.rolesIn(type)?.named[i];
      if (role !== undefined) out.add(role.id);
    }
    return out;
  }

  /** The players' roles in relations of the type; undefined when it lacks a role the conclusion names. */
  rolesIn(type: SchemaType): RolesIn | undefined {
    if (!this.roles.has(type.id)) {
      const named = this.players.map(({ role }) => (role.kind === 'label' ? resolveRole(this.schema, type, role.label) : undefined));
      const complete = this.players.every(({ role }, i) => role.kind !== 'label' || named[i] !== undefined);
      this.roles.set(type.id, complete ? { named, relates: new Set(this.schema.relates(type).map((r) => r.id)) } : undefined);
    }
    return this.roles.get(type.id);
  }
}

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
  let relationType: ConcludedRelationType;
  if (typeRef?.kind === 'concept-var') relationType = { kind: 'variable', name: typeRef.name };
  else if (typeRef?.kind === 'label') {
    const type = schema.get(typeRef.label);
    if (!type || type.root !== 'relation') throw invalid(label, `'${typeRef.label.name}' is not a relation type`);
    relationType = { kind: 'label', type };
  } else throw invalid(label, 'its relation conclusion has no type');
  const players = then.relation!.map((rp) => {
    if (rp.role?.kind === 'concept-var') return { role: { kind: 'variable', name: rp.role.name } as const, player: rp.player.name };
    if (rp.role?.kind !== 'label') throw invalid(label, 'every role player of its conclusion needs a role label or variable');
    return { role: { kind: 'label', label: rp.role.label } as const, player: rp.player.name };
  });
  if (relationType.kind === 'label') {
    for (const { role } of players) {
      if (role.kind === 'label' && resolveRole(schema, relationType.type, role.label) === undefined) {
        throw invalid(label, `the relation type '${relationType.type.label.name}' has no role '${role.label.name}'`);
      }
    }
  }
  return new RelationConclusion(schema, relationType, players);
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

/**
 * The types of the facts a conclusion produces (for the rule dependency graph): `variableTypes` are the types the
 * `when` allows the concluded attribute variable, or the relation type variable.
 */
export function concludedTypes(conclusion: Conclusion, variableTypes: readonly SchemaType[]): TypeId[] {
  if (conclusion.kind === 'relation') {
    const { relationType } = conclusion;
    return relationType.kind === 'label' ? [relationType.type.id] : variableTypes.filter((t) => conclusion.mayConclude(t)).map((t) => t.id);
  }
  if (conclusion.attributeType) return [conclusion.attributeType.id];
  return variableTypes.map((t) => t.id);
}

/** The fact one answer of the `when` concludes, or undefined when the answer cannot conclude one. */
export function instantiate(conclusion: Conclusion, answer: ReadonlyMap<string, RuleBinding>): Inference | undefined {
  if (conclusion.kind === 'relation') {
    const type = conclusion.typeIn(answer);
    const roles = type === undefined ? undefined : conclusion.rolesIn(type);
    if (type === undefined || roles === undefined) return undefined;
    const players: { role: SchemaType; player: Thing }[] = [];
    for (let i = 0; i < conclusion.players.length; i++) {
      const { role: concluded, player } = conclusion.players[i]!;
      const b = answer.get(player);
      const role = concluded.kind === 'label' ? roles.named[i] : roleOfVariable(answer.get(concluded.name), roles.relates);
      if (b?.kind !== 'thing' || role === undefined) return undefined;
      players.push({ role, player: b.thing });
    }
    return { kind: 'relation', type, players };
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

/** The role type a role variable is bound to, if it is one of the concluded relation type's roles. */
function roleOfVariable(b: RuleBinding | undefined, relates: ReadonlySet<TypeId>): SchemaType | undefined {
  return b?.kind === 'type' && relates.has(b.type.id) ? b.type : undefined;
}

function valueOfBinding(b: RuleBinding | undefined): Value | undefined {
  return b?.kind === 'value' ? b.value : undefined;
}

function invalid(label: string, why: string): StrataError {
  return new StrataError('RSN', 11, `The rule '${label}' cannot be used for reasoning: ${why}.`);
}
