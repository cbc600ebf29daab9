// Whole-schema validity that TypeDB checks when a schema transaction commits (TypeImpl.exceptions()): states that
// are allowed in the middle of a transaction but not in a committed schema.
import type { StrataError } from '../common/errors.js';
import { labelText } from './labels.js';
import type { SchemaType } from './api.js';
import { annotationSet, TypeWrite } from './errors.js';
import { isEmpty, isFirstStricter } from './annotations.js';
import type { TypeGraph } from './type-graph.js';

const label = (type: SchemaType) => labelText(type.label);

export function validateGraph(g: TypeGraph): StrataError[] {
  const errors: StrataError[] = [];
  const types = [...g.all()].filter((t) => !t.isMeta).sort((a, b) => a.id - b.id);
  for (const type of types) {
    if (type.root === 'role') validateRole(g, type, errors);
    else validateThingType(g, type, errors);
  }
  return errors;
}

function validateThingType(g: TypeGraph, type: SchemaType, errors: StrataError[]): void {
  const parent = type.supertype!;
  const parentOwns = g.owns(parent);
  const parentPlays = g.plays(parent);

  if (type.root === 'attribute' && type.valueType === undefined) errors.push(TypeWrite.attributeValueTypeMissing(label(type)));

  if (!type.abstract) {
    for (const ownership of g.owns(type).values()) {
      if (ownership.attribute.abstract) errors.push(TypeWrite.ownsAbstractAttributeType(label(type), label(ownership.attribute)));
    }
  }

  for (const declared of g.declaredOwns(type).values()) {
    const attribute = declared.attribute;
    const overridden = declared.overridden;
    if (overridden && overridden.id !== attribute.id) {
      if (!g.isSubtypeOf(attribute, overridden)) {
        errors.push(TypeWrite.overriddenOwnedAttributeTypeNotSupertype(label(type), label(attribute), label(overridden)));
      }
      if (!parentOwns.has(overridden.id)) {
        errors.push(TypeWrite.overriddenOwnedAttributeNotAvailable(label(type), label(overridden), label(attribute)));
      }
    }
  }

  for (const declared of g.declaredPlays(type).values()) {
    const { role, overridden } = declared;
    if (overridden) {
      if (!g.isSubtypeOf(role, overridden)) {
        errors.push(TypeWrite.overriddenPlayedRoleTypeNotSupertype(label(type), label(role), label(overridden)));
      }
      if (!parentPlays.has(overridden.id)) {
        errors.push(TypeWrite.overriddenPlayedRoleNotAvailable(label(type), label(role), label(overridden)));
      }
    }
    if (parentPlays.has(role.id)) errors.push(TypeWrite.redundantPlaysDeclaration(label(type), label(role)));
  }

  const effective = g.owns(type);
  for (const declared of g.declaredOwns(type).values()) {
    const attribute = declared.attribute;
    const inherited = parentOwns.get(attribute.id);
    if (inherited && !isFirstStricter(effective.get(attribute.id)!, inherited)) {
      errors.push(TypeWrite.redundantOwnsDeclaration(label(type), label(attribute)));
    }
  }
  for (const declared of g.declaredOwns(type).values()) {
    const overridden = declared.overridden;
    const inherited = overridden && parentOwns.get(overridden.id);
    if (overridden && inherited && !isEmpty(declared) && !isFirstStricter(declared, inherited)) {
      errors.push(
        TypeWrite.ownsOverrideAnnotationsRedundant(label(type), label(declared.attribute), annotationSet(declared), label(overridden)),
      );
    }
  }

  if (type.root === 'relation' && !type.abstract && g.relates(type).length === 0) {
    errors.push(TypeWrite.relationNoRole(label(type)));
  }
}

/** A role that overrides another must override one its relation type inherits. */
function validateRole(g: TypeGraph, role: SchemaType, errors: StrataError[]): void {
  const overridden = g.overriddenRole(role);
  if (!overridden) return;
  const relation = g.relationOf(role)!;
  const sup = relation.supertype!;
  if (sup.isMeta || !g.relates(sup).some((r) => r.id === overridden.id)) {
    errors.push(TypeWrite.overriddenRelatedRoleTypeNotInherited(label(relation), role.label.name, overridden.label.name));
  }
}
