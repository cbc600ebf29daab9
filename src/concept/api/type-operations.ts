// The Concept API on types (TypeApi): label lookups over the transaction's schema, mutations through the type
// graph's primitives (which validate as TypeDB does, asking the data through the instance checks).
import type { StrataError } from '../../common/errors.js';
import type { ValueType } from '../../common/values.js';
import { labelText, type ThingConcept, type TypeConcept, type TypeRoot } from '../concepts.js';
import { TypeRead, TypeWrite, typeDefinition, type SchemaType, type TypeGraph } from '../../schema/index.js';
import { printTypeStatement } from '../../typeql/index.js';
import type {
  OwnersFilter,
  OwnsAnnotation,
  OwnsFilter,
  SetOwnsOptions,
  SubtypesFilter,
  Transitivity,
  TypeApi,
} from './concept-api.js';
import type { ConceptContext } from './context.js';
import { describeThing, describeType } from './describe.js';
import { ROOT_CLASS } from '../../schema/labels.js';
import { perRepetition } from '../things.js';

function hasAnnotations(ownership: { key: boolean; unique: boolean } | undefined, annotations: readonly OwnsAnnotation[] = []): boolean {
  if (!ownership) return false;
  return annotations.every((a) => (a === 'key' ? ownership.key : ownership.unique));
}

export class TypeOperations implements TypeApi {
  constructor(private readonly ctx: ConceptContext) {}

  // ---- lookup and creation ----

  get(label: string): TypeConcept | undefined {
    const type = this.ctx.schema().get(label);
    return type && describeType(type);
  }

  schemaExceptions(): StrataError[] {
    return this.ctx.schema().schemaExceptions();
  }

  getEntityType(label: string): TypeConcept | undefined {
    return this.lookup(label, 'entity');
  }

  getRelationType(label: string): TypeConcept | undefined {
    return this.lookup(label, 'relation');
  }

  getAttributeType(label: string): TypeConcept | undefined {
    return this.lookup(label, 'attribute');
  }

  putEntityType(label: string): TypeConcept {
    return this.put(label, 'entity');
  }

  putRelationType(label: string): TypeConcept {
    return this.put(label, 'relation');
  }

  putAttributeType(label: string, valueType: ValueType): TypeConcept {
    return this.put(label, 'attribute', valueType);
  }

  /**
   * As in TypeDB's ConceptManager, putting a type that exists as asked is a lookup, which any transaction may do;
   * making one (or anything else under that label) is a schema write.
   */
  private put(label: string, root: 'entity' | 'relation' | 'attribute', valueType?: ValueType): TypeConcept {
    const existing = this.ctx.schema().get(label);
    if (existing?.root === root && existing.valueType === valueType) return describeType(existing);
    return describeType(this.ctx.schemaWriter().putType(label, root, valueType));
  }

  // ---- every type ----

  delete(label: string): void {
    const g = this.ctx.schemaWriter();
    g.deleteType(this.type(label), this.ctx.instanceChecks());
  }

  setLabel(label: string, newLabel: string): void {
    const g = this.ctx.schemaWriter();
    const type = this.type(label);
    let name = newLabel;
    if (type.root === 'role' && newLabel.includes(':')) {
      const [scope, roleName] = newLabel.split(':', 2) as [string, string];
      if (scope !== type.label.scope) throw TypeWrite.roleDefinedOutsideOfRelation(newLabel);
      name = roleName;
    }
    g.setLabel(type, name);
  }

  getSupertype(label: string): TypeConcept | undefined {
    const type = this.type(label);
    if (type.isMeta) return undefined;
    const sup = type.supertype;
    return sup && describeType(sup);
  }

  getSupertypes(label: string): TypeConcept[] {
    return this.ctx.schema().supertypes(this.type(label)).map(describeType);
  }

  getSubtypes(label: string, filter: SubtypesFilter = {}): TypeConcept[] {
    const type = this.type(label);
    const all = this.ctx.schema().subtypes(type, { direct: filter.transitivity === 'explicit' });
    const valueType = filter.valueType;
    return all.filter((t) => valueType === undefined || t.isMeta || t.valueType === valueType).map(describeType);
  }

  // ---- thing types ----

  getSyntax(label: string): string {
    const type = this.thingType(label);
    if (type.isMeta) return labelText(type.label);
    return `${printTypeStatement(typeDefinition(this.ctx.schema(), type))};`;
  }

  setSupertype(label: string, supertypeLabel: string): void {
    const g = this.ctx.schemaWriter();
    const type = this.thingType(label);
    g.setSupertype(type, this.type(supertypeLabel), this.ctx.instanceChecks());
  }

  setAbstract(label: string): void {
    const g = this.ctx.schemaWriter();
    g.setAbstract(this.thingType(label), this.ctx.instanceChecks());
  }

  unsetAbstract(label: string): void {
    const g = this.ctx.schemaWriter();
    g.unsetAbstract(this.thingType(label));
  }

  getOwns(label: string, filter: OwnsFilter = {}): TypeConcept[] {
    const g = this.ctx.schema();
    const type = this.thingType(label);
    const effective = g.owns(type);
    const attributes =
      filter.transitivity === 'explicit'
        ? [...g.declaredOwns(type).values()].map((d) => d.attribute)
        : [...effective.values()].map((o) => o.attribute);
    return attributes
      .filter((a) => hasAnnotations(effective.get(a.id), filter.annotations))
      .filter((a) => filter.valueType === undefined || a.valueType === filter.valueType)
      .map(describeType);
  }

  getOwnsOverridden(label: string, attributeLabel: string): TypeConcept | undefined {
    const g = this.ctx.schema();
    const overridden = g.declaredOwns(this.thingType(label)).get(this.ofRoot(attributeLabel, 'attribute').id)?.overridden;
    return overridden && describeType(overridden);
  }

  setOwns(label: string, attributeLabel: string, options: SetOwnsOptions = {}): void {
    const g = this.ctx.schemaWriter();
    const owner = this.thingType(label);
    const attribute = this.ofRoot(attributeLabel, 'attribute');
    const overridden = options.overridden === undefined ? undefined : this.ofRoot(options.overridden, 'attribute');
    g.setOwns(owner, attribute, overridden, options.annotations ?? [], this.ctx.instanceChecks());
  }

  unsetOwns(label: string, attributeLabel: string): void {
    const g = this.ctx.schemaWriter();
    g.unsetOwns(this.thingType(label), this.ofRoot(attributeLabel, 'attribute'), this.ctx.instanceChecks());
  }

  getPlays(label: string, transitivity: Transitivity = 'transitive'): TypeConcept[] {
    const g = this.ctx.schema();
    const type = this.thingType(label);
    const roles =
      transitivity === 'explicit'
        ? [...g.declaredPlays(type).values()].map((d) => d.role)
        : [...g.plays(type).values()].map((p) => p.role);
    return roles.map(describeType);
  }

  getPlaysOverridden(label: string, roleLabel: string): TypeConcept | undefined {
    const g = this.ctx.schema();
    const overridden = g.declaredPlays(this.thingType(label)).get(this.ofRoot(roleLabel, 'role').id)?.overridden;
    return overridden && describeType(overridden);
  }

  setPlays(label: string, roleLabel: string, overriddenRoleLabel?: string): void {
    const g = this.ctx.schemaWriter();
    const player = this.thingType(label);
    const role = this.ofRoot(roleLabel, 'role');
    const overridden = overriddenRoleLabel === undefined ? undefined : this.ofRoot(overriddenRoleLabel, 'role');
    g.setPlays(player, role, overridden, this.ctx.instanceChecks());
  }

  unsetPlays(label: string, roleLabel: string): void {
    const g = this.ctx.schemaWriter();
    g.unsetPlays(this.thingType(label), this.ofRoot(roleLabel, 'role'), this.ctx.instanceChecks());
  }

  getInstances(label: string, transitivity: Transitivity = 'transitive'): Iterable<ThingConcept> {
    const type = this.thingType(label);
    const types = transitivity === 'explicit' ? [type] : this.ctx.schema().subtypes(type);
    const things = this.ctx.things();
    return (function* () {
      for (const t of types) for (const thing of things.instances(t)) yield describeThing(thing, things);
    })();
  }

  // ---- relation types ----

  getRelates(label: string, transitivity: Transitivity = 'transitive'): TypeConcept[] {
    const g = this.ctx.schema();
    const relation = this.ofRoot(label, 'relation');
    return (transitivity === 'explicit' ? g.declaredRelates(relation) : g.relates(relation)).map(describeType);
  }

  getRelatesForRoleLabel(label: string, roleName: string): TypeConcept | undefined {
    const role = this.ctx.schema().resolveRole(this.ofRoot(label, 'relation'), roleName);
    return role && describeType(role);
  }

  getRelatesOverridden(label: string, roleName: string): TypeConcept | undefined {
    const g = this.ctx.schema();
    const role = g.declaredRelates(this.ofRoot(label, 'relation')).find((r) => r.label.name === roleName);
    const overridden = role && g.overriddenRole(role);
    return overridden && describeType(overridden);
  }

  setRelates(label: string, roleName: string, overriddenRoleName?: string): void {
    const g = this.ctx.schemaWriter();
    g.setRelates(this.ofRoot(label, 'relation'), roleName, overriddenRoleName, this.ctx.instanceChecks());
  }

  unsetRelates(label: string, roleName: string): void {
    const g = this.ctx.schemaWriter();
    g.unsetRelates(this.ofRoot(label, 'relation'), roleName, this.ctx.instanceChecks());
  }

  // ---- role types ----

  getRelationTypes(roleLabel: string): TypeConcept[] {
    const g = this.ctx.schema();
    const role = this.ofRoot(roleLabel, 'role');
    return this.relationTypesRelating(g, [role]).map(describeType);
  }

  getPlayerTypes(roleLabel: string, transitivity: Transitivity = 'transitive'): TypeConcept[] {
    const g = this.ctx.schema();
    const role = this.ofRoot(roleLabel, 'role');
    const players =
      transitivity === 'explicit' ? thingTypes(g).filter((t) => g.declaredPlays(t).has(role.id)) : g.playersOf(role);
    return players.map(describeType);
  }

  getRelationInstances(roleLabel: string, transitivity: Transitivity = 'transitive'): Iterable<ThingConcept> {
    const g = this.ctx.schema();
    const things = this.ctx.things();
    const roles = this.rolesOf(g, roleLabel, transitivity);
    const relationTypes = this.relationTypesRelating(g, roles);
    // As TypeDB, which walks the role's instances: a relation comes once per player in the role (repetitions
    // included), so one with two players in it comes twice.
    return (function* () {
      for (const relationType of relationTypes) {
        const related = roles.filter((r) => g.relates(relationType).some((x) => x.id === r.id));
        for (const relation of things.instances(relationType)) {
          const described = describeThing(relation, things);
          for (const role of related) for (const edge of things.rolePlayers(relation, role)) yield* perRepetition(edge, described);
        }
      }
    })();
  }

  getPlayerInstances(roleLabel: string, transitivity: Transitivity = 'transitive'): Iterable<ThingConcept> {
    const g = this.ctx.schema();
    const things = this.ctx.things();
    const roles = this.rolesOf(g, roleLabel, transitivity);
    // Players are found from their types' side, once per relation they play the role in (repetitions included), as
    // TypeDB lists them role instance by role instance.
    return (function* () {
      for (const type of thingTypes(g)) {
        const playable = roles.filter((r) => g.plays(type).has(r.id));
        if (playable.length === 0) continue;
        for (const thing of things.instances(type)) {
          const described = describeThing(thing, things);
          for (const role of playable) for (const edge of things.relationsOf(thing, role)) yield* perRepetition(edge, described);
        }
      }
    })();
  }

  // ---- attribute types ----

  getRegex(label: string): string | undefined {
    return this.ofRoot(label, 'attribute').regex;
  }

  setRegex(label: string, regex: string): void {
    const g = this.ctx.schemaWriter();
    g.setRegex(this.ofRoot(label, 'attribute'), regex, this.ctx.instanceChecks());
  }

  unsetRegex(label: string): void {
    const g = this.ctx.schemaWriter();
    g.unsetRegex(this.ofRoot(label, 'attribute'));
  }

  getOwners(label: string, filter: OwnersFilter = {}): TypeConcept[] {
    const g = this.ctx.schema();
    const attribute = this.ofRoot(label, 'attribute');
    const owners =
      filter.transitivity === 'explicit'
        ? thingTypes(g).filter((t) => g.declaredOwns(t).has(attribute.id))
        : g.ownersOf(attribute);
    return owners.filter((t) => hasAnnotations(g.owns(t).get(attribute.id), filter.annotations)).map(describeType);
  }

  // ---- resolution ----

  private lookup(label: string, root: TypeRoot): TypeConcept | undefined {
    const type = this.ctx.schema().get(label);
    if (!type) return undefined;
    if (type.root !== root) throw TypeRead.typeRootMismatch(label, root, type.root);
    return describeType(type);
  }

  private type(label: string): SchemaType {
    const type = this.ctx.schema().get(label);
    if (!type) throw TypeRead.typeNotFound(label);
    return type;
  }

  private thingType(label: string): SchemaType {
    const type = this.type(label);
    if (type.root === 'role') throw TypeRead.invalidTypeCasting(ROOT_CLASS.role, ROOT_CLASS.thing);
    return type;
  }

  private ofRoot(label: string, root: TypeRoot): SchemaType {
    const type = this.type(label);
    if (type.root !== root) throw TypeRead.invalidTypeCasting(ROOT_CLASS[type.root], ROOT_CLASS[root]);
    return type;
  }

  private rolesOf(g: TypeGraph, roleLabel: string, transitivity: Transitivity): SchemaType[] {
    const role = this.ofRoot(roleLabel, 'role');
    return transitivity === 'explicit' ? [role] : g.subtypes(role);
  }

  private relationTypesRelating(g: TypeGraph, roles: readonly SchemaType[]): SchemaType[] {
    const ids = new Set(roles.map((r) => r.id));
    return [...g.all()].filter((t) => t.root === 'relation' && g.relates(t).some((r) => ids.has(r.id)));
  }
}

/** Entity, relation and attribute types (meta types included: they own and play nothing, and have no instances). */
function thingTypes(g: TypeGraph): SchemaType[] {
  return [...g.all()].filter((t) => t.root === 'entity' || t.root === 'relation' || t.root === 'attribute');
}
