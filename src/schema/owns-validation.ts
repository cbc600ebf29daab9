// Validation of `owns` changes, before they are applied: TypeDB's DeclarationValidation.Owns (the declaration
// itself) and SubtypeValidation.Owns (its effect on subtypes and on existing data).
import type { StrataError } from '../common/errors.js';
import { labelText } from './labels.js';
import type { ValueType } from '../common/values.js';
import type { InstanceChecks, OwnershipRequirement, SchemaType, TypeId } from './api.js';
import {
  annotationSuffix,
  type AnnotationSet,
  isEmpty,
  isFirstStricter,
  isFirstStricterOrEqual,
  NO_ANNOTATIONS,
} from './annotations.js';
import { annotationSet, TypeWrite } from './errors.js';
import type { TypeGraph } from './type-graph.js';

const label = (type: SchemaType) => labelText(type.label);

/** Value types whose equality is exact, so that @key and @unique can be enforced (not double). */
function hasExactEquality(valueType: ValueType | undefined): boolean {
  return valueType !== undefined && valueType !== 'double';
}

/** `person owns email as contact @key`, as TypeQL prints an owns statement in messages. */
export function ownsStatement(owner: SchemaType, attribute: SchemaType, overridden: SchemaType | undefined, annotations: AnnotationSet): string {
  const as = overridden ? ` as ${label(overridden)}` : '';
  return `${label(owner)} owns ${label(attribute)}${as}${annotationSuffix(annotations)}`;
}

/** How TypeDB prints an inherited ownership (`OwnsImpl.toString()`): the asking type with the declared edge. */
function inheritedOwnsText(g: TypeGraph, type: SchemaType, attribute: TypeId): string {
  const ownership = g.owns(type).get(attribute)!;
  const declared = g.declaredOwns(ownership.declaredBy).get(attribute)!;
  return ownsStatement(type, ownership.attribute, declared.overridden, declared);
}

export function validateSetOwns(
  g: TypeGraph,
  owner: SchemaType,
  attribute: SchemaType,
  overridden: SchemaType | undefined,
  annotations: AnnotationSet,
  checks: InstanceChecks,
): void {
  const parent = owner.supertype!;
  const parentOwns = g.owns(parent);

  // The declaration itself.
  if (annotations.key && annotations.unique) {
    throw TypeWrite.ownsAnnotationDeclarationIncompatible(label(owner), label(attribute), '@key', '@unique');
  }
  if (!isEmpty(annotations) && !hasExactEquality(attribute.valueType)) {
    throw TypeWrite.ownsValueTypeNoExactEquality(label(owner), label(attribute), annotationSet(annotations), attribute.valueType);
  }
  const inherited = parentOwns.get(attribute.id);
  if (inherited && !isEmpty(annotations) && !isFirstStricterOrEqual(annotations, inherited)) {
    throw TypeWrite.ownsAnnotationLessStrictThanParent(
      label(owner), label(attribute), annotationSet(annotations), inheritedOwnsText(g, parent, attribute.id),
    );
  }
  if (overridden) {
    if (!g.isSubtypeOf(attribute, overridden)) {
      throw TypeWrite.overriddenOwnedAttributeTypeNotSupertype(label(owner), label(attribute), label(overridden));
    }
    const parentOverridden = parentOwns.get(overridden.id);
    if (!parentOverridden) {
      throw TypeWrite.overriddenOwnedAttributeNotAvailable(label(owner), label(attribute), label(overridden));
    }
    if (!isEmpty(annotations) && !isFirstStricterOrEqual(annotations, parentOverridden)) {
      throw TypeWrite.ownsAnnotationLessStrictThanParent(
        label(owner), label(attribute), annotationSet(annotations), inheritedOwnsText(g, parent, overridden.id),
      );
    }
  }

  // Its effect on subtypes and data.
  const errors: StrataError[] = [];
  // A redeclaration (`owns A as A`) hides nothing.
  if (overridden && overridden.id !== attribute.id) noHiddenOwnsRedeclaration(g, owner, new Set([overridden.id]), errors);
  const existing = g.owns(owner).get(attribute.id) ?? NO_ANNOTATIONS;
  if (isFirstStricter(annotations, existing)) {
    const added = new Map([[attribute.id, annotations]]);
    for (const sub of g.subtypes(owner, { direct: true })) ownsRedeclarationsAreStricter(g, sub, added, errors);
    dataSatisfiesAnnotations(g, owner, added, checks, errors, true);
  }
  if (errors.length > 0) {
    throw TypeWrite.schemaValidationInvalidDefine(ownsStatement(owner, attribute, overridden, annotations), errors);
  }
}

export function validateUnsetOwns(g: TypeGraph, owner: SchemaType, attribute: SchemaType, checks: InstanceChecks): void {
  const declared = g.declaredOwns(owner).get(attribute.id);
  if (!declared) {
    if (g.owns(owner).has(attribute.id)) throw TypeWrite.invalidUndefineInheritedOwns(label(owner), label(attribute));
    throw TypeWrite.invalidUndefineNonexistentOwns(label(owner), label(attribute));
  }
  // When a supertype also provides the ownership, the owner and its subtypes keep it: no data is affected.
  if (g.owns(owner.supertype!).has(attribute.id)) return;
  const errors: StrataError[] = [];
  noLeakedOwnershipsBelow(g, owner, new Set([attribute.id]), checks, errors, true);
  if (errors.length > 0) {
    const effective = g.owns(owner).get(attribute.id)!;
    // "Defining …" [TYW57], not "Undefining …" [TYW58], on purpose: TypeDB 2.29's ThingTypeImpl.unsetOwns wraps
    // these errors in SCHEMA_VALIDATION_INVALID_DEFINE, while its unsetPlays and unsetRelates use ..._UNDEFINE.
    throw TypeWrite.schemaValidationInvalidDefine(ownsStatement(owner, attribute, declared.overridden, effective), errors);
  }
}

/**
 * Instances of `type`'s subtree that own attributes of a type no longer owned (TypeDB's
 * SubtypeValidation.Owns.validateNoLeakedInstances): each type's own instances are checked, and a subtree that
 * declares the ownership again (or overrides it) is not affected. `removing` marks the type losing the declaration.
 */
function noLeakedOwnershipsBelow(
  g: TypeGraph,
  type: SchemaType,
  noLongerOwned: ReadonlySet<TypeId>,
  checks: InstanceChecks,
  errors: StrataError[],
  removing: boolean,
): void {
  const remaining = new Set(noLongerOwned);
  if (!removing) {
    for (const declared of g.declaredOwns(type).values()) {
      for (const sup of g.supertypes(declared.attribute)) remaining.delete(sup.id);
    }
  }
  for (const attributeId of remaining) {
    const attribute = g.byId(attributeId)!;
    const owned = checks.hasExactOwnerships ? checks.hasExactOwnerships(type, attribute) : checks.hasOwnerships(type, attribute);
    if (owned) errors.push(TypeWrite.invalidUndefineOwnsHasInstances(label(type), label(attribute)));
  }
  if (remaining.size === 0 || !checks.hasExactOwnerships) return;
  for (const sub of g.subtypes(type, { direct: true })) noLeakedOwnershipsBelow(g, sub, remaining, checks, errors, false);
}

/** Types in `type`'s subtree that declare an ownership of an attribute type that becomes hidden by an override. */
export function noHiddenOwnsRedeclaration(g: TypeGraph, type: SchemaType, toHide: ReadonlySet<TypeId>, errors: StrataError[]): void {
  for (const declared of g.declaredOwns(type).values()) {
    if (toHide.has(declared.attribute.id)) {
      errors.push(TypeWrite.ownsAttributeWasOverridden(label(type), label(declared.attribute)));
    }
  }
  for (const sub of g.subtypes(type, { direct: true })) noHiddenOwnsRedeclaration(g, sub, toHide, errors);
}

/**
 * Declarations with annotations in `type`'s subtree (redeclarations or overrides of an attribute whose inherited
 * annotations change to `added`) must stay at least as strict as what they inherit.
 */
export function ownsRedeclarationsAreStricter(
  g: TypeGraph,
  type: SchemaType,
  added: ReadonlyMap<TypeId, AnnotationSet>,
  errors: StrataError[],
): void {
  const effective = g.owns(type);
  for (const declared of g.declaredOwns(type).values()) {
    if (isEmpty(declared)) continue; // without annotations, they are inherited
    const own = effective.get(declared.attribute.id) ?? NO_ANNOTATIONS;
    const inherited =
      added.get(declared.attribute.id) ??
      (declared.overridden && declared.overridden.id !== declared.attribute.id ? added.get(declared.overridden.id) : undefined);
    if (inherited && !isFirstStricterOrEqual(own, inherited)) {
      errors.push(
        TypeWrite.ownsAnnotationLessStrictThanParent(
          label(type), label(declared.attribute), annotationSet(declared), annotationSet(inherited),
        ),
      );
    }
  }
  for (const sub of g.subtypes(type, { direct: true })) ownsRedeclarationsAreStricter(g, sub, added, errors);
}

/**
 * Existing instances must satisfy annotations that become stricter: every instance of `type` and of its subtypes
 * that do not declare the ownership themselves. `isOwner` marks the type the annotations are declared on, which
 * is checked even when it does not own the attribute yet.
 */
export function dataSatisfiesAnnotations(
  g: TypeGraph,
  type: SchemaType,
  added: ReadonlyMap<TypeId, AnnotationSet>,
  checks: InstanceChecks,
  errors: StrataError[],
  isOwner: boolean,
): void {
  if (!checks.ownershipViolation) return;
  const effective = g.owns(type);
  const declared = g.declaredOwns(type);
  const remaining = new Map(added);
  for (const [attributeId, annotations] of added) {
    const own = declared.get(attributeId);
    if (!isOwner && own && isFirstStricterOrEqual(own, annotations)) {
      remaining.delete(attributeId); // redeclared at least as strictly here: validated when it was declared
      continue;
    }
    const existing = effective.get(attributeId) ?? NO_ANNOTATIONS;
    if (!isFirstStricter(annotations, existing)) continue;
    const requirement = dataRequirement(annotations, existing);
    if (!requirement) continue;
    const attribute = g.byId(attributeId)!;
    const violation = checks.ownershipViolation(type, attribute, requirement);
    if (violation === 'missing') errors.push(TypeWrite.ownsKeyPreconditionMissing(label(type), label(attribute)));
    else if (violation === 'too-many') errors.push(TypeWrite.ownsKeyPreconditionTooMany(label(type), label(attribute)));
    else if (violation === 'not-unique') {
      errors.push(
        requirement === 'unique'
          ? TypeWrite.ownsUniquePrecondition(label(attribute), label(type))
          : TypeWrite.ownsKeyPreconditionUniqueness(label(attribute), label(type)),
      );
    }
  }
  if (remaining.size === 0) return;
  for (const sub of g.subtypes(type, { direct: true })) dataSatisfiesAnnotations(g, sub, remaining, checks, errors, false);
}

function dataRequirement(annotations: AnnotationSet, existing: AnnotationSet): OwnershipRequirement | undefined {
  if (annotations.key) {
    if (isEmpty(existing)) return 'key';
    if (existing.unique) return 'key-cardinality';
    return undefined;
  }
  if (annotations.unique && isEmpty(existing)) return 'unique';
  return undefined;
}

/** Instances of `type` (or subtypes) owning attributes whose ownership is no longer available. */
export function noLeakedOwnerships(
  g: TypeGraph,
  type: SchemaType,
  noLongerOwned: ReadonlySet<TypeId>,
  checks: InstanceChecks,
  errors: StrataError[],
): void {
  const redeclared = new Set<TypeId>();
  for (const declared of g.declaredOwns(type).values()) {
    for (const sup of g.supertypes(declared.attribute)) redeclared.add(sup.id);
  }
  for (const attributeId of noLongerOwned) {
    if (redeclared.has(attributeId)) continue;
    const attribute = g.byId(attributeId)!;
    if (checks.hasOwnerships(type, attribute)) {
      errors.push(TypeWrite.invalidUndefineOwnsHasInstances(label(type), label(attribute)));
    }
  }
}
