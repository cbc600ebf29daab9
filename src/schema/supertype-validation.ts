// Validation of a supertype change (TypeDB's SubtypeValidation.*.validateSetSupertype): what the type and its
// subtypes stop inheriting or newly inherit must leave their declarations valid and their data owned/played.
import type { StrataError } from '../common/errors.js';
import { labelText } from './labels.js';
import type { InstanceChecks, SchemaType, TypeId } from './api.js';
import type { AnnotationSet } from './annotations.js';
import { TypeWrite } from './errors.js';
import {
  dataSatisfiesAnnotations,
  noHiddenOwnsRedeclaration,
  noLeakedOwnerships,
  ownsRedeclarationsAreStricter,
} from './owns-validation.js';
import { noHiddenPlaysRedeclaration, noLeakedPlayers, overriddenPlays } from './plays-validation.js';
import { noBrokenOverrides, noLeakedRolePlayers, roleNamesUnique } from './relates-validation.js';
import type { TypeGraph } from './type-graph.js';

export function validateSetSupertype(g: TypeGraph, type: SchemaType, supertype: SchemaType, checks: InstanceChecks): void {
  const current = type.supertype!;
  const errors: StrataError[] = [];
  const newLineage = g.supertypes(supertype);

  // plays
  const removedPlays = difference(g.plays(current).keys(), g.plays(supertype).keys());
  noHiddenPlaysRedeclaration(g, type, overriddenPlays(g, newLineage), errors);
  noLeakedPlayers(g, type, removedPlays, checks, errors);

  // owns
  const removedOwns = difference(g.owns(current).keys(), g.owns(supertype).keys());
  const hiddenOwns = new Set<TypeId>();
  for (const t of newLineage) {
    for (const declared of g.declaredOwns(t).values()) {
      if (declared.overridden && declared.overridden.id !== declared.attribute.id) hiddenOwns.add(declared.overridden.id);
    }
  }
  const added = new Map<TypeId, AnnotationSet>();
  for (const [id, ownership] of g.owns(supertype)) added.set(id, ownership);
  noHiddenOwnsRedeclaration(g, type, hiddenOwns, errors);
  ownsRedeclarationsAreStricter(g, type, added, errors);
  dataSatisfiesAnnotations(g, type, added, checks, errors, false);
  noLeakedOwnerships(g, type, removedOwns, checks, errors);

  // relates
  if (type.root === 'relation') {
    const before = new Set(current.isMeta ? [] : g.relates(current).map((r) => r.id));
    const after = new Set(supertype.isMeta ? [] : g.relates(supertype).map((r) => r.id));
    const newlyRelated = [...after].filter((id) => !before.has(id));
    const noLonger = new Set([...before].filter((id) => !after.has(id)));
    roleNamesUnique(g, type, new Set(newlyRelated.map((id) => g.byId(id)!.label.name)), errors);
    noBrokenOverrides(g, type, noLonger, errors);
    noLeakedRolePlayers(g, type, noLonger, checks, errors);
  }

  if (errors.length > 0) {
    throw TypeWrite.schemaValidationInvalidSetSupertype(labelText(type.label), labelText(supertype.label), errors);
  }
}

function difference(from: Iterable<TypeId>, minus: Iterable<TypeId>): Set<TypeId> {
  const result = new Set(from);
  for (const id of minus) result.delete(id);
  return result;
}
