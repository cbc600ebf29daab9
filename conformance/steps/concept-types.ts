// Concept-API steps on types (reference/behaviour-steps.md §4.8a), run on `tx()` through its Concept API.
// `contain:` tables are subset checks and `do not contain:` disjointness checks on scoped labels (§3).
import { Then, When, type DataTable } from '@cucumber/cucumber';
import type { TypeRoot } from '../../src/concept/concepts.js';
import type { ValueType } from '../../src/common/values.js';
import type { OwnsAnnotation, Transitivity } from '../../src/concept/api/index.js';
import type { StrataWorld } from '../world.js';
import { assertThrows } from '../checks/errors.js';
import { ensure } from '../checks/ensure.js';
import {
  attributeTypeAs,
  column,
  concepts,
  ensureContains,
  ensureContainsNone,
  labels,
  lookupType,
  requireRole,
  requireType,
  roleOf,
} from '../concepts.js';

type World = StrataWorld;

function annotationsOf(list: readonly string[]): OwnsAnnotation[] {
  return list.map((a) => {
    if (a !== 'key' && a !== 'unique') throw new Error(`unknown annotation: ${a}`);
    return a;
  });
}

/** A label check: `do not contain` tables may list labels that exist nowhere (they then trivially pass). */
function check(actual: string[], table: DataTable, contains: boolean, what: string): void {
  if (contains) ensureContains(actual, column(table), what);
  else ensureContainsNone(actual, column(table), what);
}

// ---- creation, deletion, lookup ----

When('put {root_label} type: {type_label}', function (this: World, root: TypeRoot, label: string) {
  const types = concepts(this).types;
  if (root === 'entity') types.putEntityType(label);
  else if (root === 'relation') types.putRelationType(label);
  else throw new Error(`put ${root} type needs a value type (use 'put attribute type: …, with value type: …')`);
});

When('put attribute type: {type_label}, with value type: {value_type}', function (this: World, label: string, valueType: ValueType) {
  concepts(this).types.putAttributeType(label, valueType);
});

function deleteType(world: World, root: TypeRoot, label: string): void {
  requireType(world, root, label);
  concepts(world).types.delete(label);
}

When('delete {root_label} type: {type_label}', function (this: World, root: TypeRoot, label: string) {
  deleteType(this, root, label);
});
Then('delete {root_label} type: {type_label}; throws exception', function (this: World, root: TypeRoot, label: string) {
  assertThrows(() => deleteType(this, root, label));
});

Then('{root_label}\\({type_label}) is null: {bool}', function (this: World, root: TypeRoot, label: string, isNull: boolean) {
  const type = lookupType(this, root, label);
  ensure((type === undefined) === isNull, `${root}(${label}) is null: expected ${isNull}`);
});

// ---- label, abstract, supertypes, subtypes ----

When('{root_label}\\({type_label}) set label: {type_label}', function (this: World, root: TypeRoot, label: string, newLabel: string) {
  requireType(this, root, label);
  concepts(this).types.setLabel(label, newLabel);
});

Then('{root_label}\\({type_label}) get label: {type_label}', function (this: World, root: TypeRoot, label: string, expected: string) {
  const type = requireType(this, root, label);
  ensure(type.label.name === expected, `expected label ${expected}, got ${type.label.name}`);
});

function setAbstract(world: World, root: TypeRoot, label: string, value: boolean): void {
  requireType(world, root, label);
  if (value) concepts(world).types.setAbstract(label);
  else concepts(world).types.unsetAbstract(label);
}

When('{root_label}\\({type_label}) set abstract: {bool}', function (this: World, root: TypeRoot, label: string, value: boolean) {
  setAbstract(this, root, label, value);
});
Then('{root_label}\\({type_label}) set abstract: {bool}; throws exception', function (this: World, root: TypeRoot, label: string, value: boolean) {
  assertThrows(() => setAbstract(this, root, label, value));
});

Then('{root_label}\\({type_label}) is abstract: {bool}', function (this: World, root: TypeRoot, label: string, value: boolean) {
  ensure(requireType(this, root, label).abstract === value, `${root}(${label}) is abstract: expected ${value}`);
});

function setSupertype(world: World, root: TypeRoot, label: string, supertype: string): void {
  requireType(world, root, label);
  requireType(world, root, supertype);
  concepts(world).types.setSupertype(label, supertype);
}

When('{root_label}\\({type_label}) set supertype: {type_label}', function (this: World, root: TypeRoot, label: string, supertype: string) {
  setSupertype(this, root, label, supertype);
});
Then('{root_label}\\({type_label}) set supertype: {type_label}; throws exception', function (this: World, root: TypeRoot, label: string, supertype: string) {
  assertThrows(() => setSupertype(this, root, label, supertype));
});

Then('{root_label}\\({type_label}) get supertype: {type_label}', function (this: World, root: TypeRoot, label: string, expected: string) {
  requireType(this, root, label);
  const supertype = concepts(this).types.getSupertype(label);
  ensure(supertype !== undefined && supertype.root === root, `${root}(${label}) has no ${root} supertype`);
  ensure(labels([supertype])[0] === expected, `expected supertype ${expected}, got ${labels([supertype])[0]}`);
});

function supertypes(world: World, root: TypeRoot, label: string): string[] {
  requireType(world, root, label);
  return labels(concepts(world).types.getSupertypes(label));
}

function subtypes(world: World, root: TypeRoot, label: string, valueType?: ValueType): string[] {
  requireType(world, root, label);
  return labels(concepts(world).types.getSubtypes(label, { valueType }));
}

Then('{root_label}\\({type_label}) get supertypes contain:', function (this: World, root: TypeRoot, label: string, table: DataTable) {
  check(supertypes(this, root, label), table, true, `${root}(${label}) supertypes`);
});
Then('{root_label}\\({type_label}) get subtypes contain:', function (this: World, root: TypeRoot, label: string, table: DataTable) {
  check(subtypes(this, root, label), table, true, `${root}(${label}) subtypes`);
});
Then('{root_label}\\({type_label}) get subtypes do not contain:', function (this: World, root: TypeRoot, label: string, table: DataTable) {
  check(subtypes(this, root, label), table, false, `${root}(${label}) subtypes`);
});

Then('attribute\\({type_label}) as\\({value_type}) get subtypes contain:', function (this: World, label: string, valueType: ValueType, table: DataTable) {
  attributeTypeAs(this, label, valueType);
  check(subtypes(this, 'attribute', label, valueType), table, true, `attribute(${label}) as(${valueType}) subtypes`);
});
Then('attribute\\({type_label}) as\\({value_type}) get subtypes do not contain:', function (this: World, label: string, valueType: ValueType, table: DataTable) {
  attributeTypeAs(this, label, valueType);
  check(subtypes(this, 'attribute', label, valueType), table, false, `attribute(${label}) as(${valueType}) subtypes`);
});

// ---- attribute types: value type, regex, owners ----

Then('attribute\\({type_label}) get value type: {value_type}', function (this: World, label: string, valueType: ValueType) {
  const type = requireType(this, 'attribute', label);
  ensure(type.valueType === valueType, `attribute(${label}) has value type ${type.valueType}, not ${valueType}`);
});

When('attribute\\({type_label}) as\\({value_type}) set regex: {}', function (this: World, label: string, valueType: ValueType, regex: string) {
  attributeTypeAs(this, label, valueType);
  concepts(this).types.setRegex(label, regex);
});

When('attribute\\({type_label}) as\\({value_type}) unset regex', function (this: World, label: string, valueType: ValueType) {
  attributeTypeAs(this, label, valueType);
  concepts(this).types.unsetRegex(label);
});

Then('attribute\\({type_label}) as\\({value_type}) get regex: {}', function (this: World, label: string, valueType: ValueType, regex: string) {
  attributeTypeAs(this, label, valueType);
  const actual = concepts(this).types.getRegex(label);
  ensure(actual === regex, `attribute(${label}) has regex ${actual}, not ${regex}`);
});

Then('attribute\\({type_label}) as\\({value_type}) does not have any regex', function (this: World, label: string, valueType: ValueType) {
  attributeTypeAs(this, label, valueType);
  const actual = concepts(this).types.getRegex(label);
  ensure(actual === undefined, `attribute(${label}) has regex ${actual}`);
});

function owners(world: World, label: string, transitivity: Transitivity, annotations: string[] = []): string[] {
  requireType(world, 'attribute', label);
  return labels(concepts(world).types.getOwners(label, { transitivity, annotations: annotationsOf(annotations) }));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`attribute\\({type_label}) get owners${words} contain:`, function (this: World, label: string, table: DataTable) {
    check(owners(this, label, transitivity), table, true, `attribute(${label}) owners${words}`);
  });
  Then(`attribute\\({type_label}) get owners${words} do not contain:`, function (this: World, label: string, table: DataTable) {
    check(owners(this, label, transitivity), table, false, `attribute(${label}) owners${words}`);
  });
  Then(`attribute\\({type_label}) get owners${words}, with annotations: {annotations}; contain:`, function (this: World, label: string, annotations: string[], table: DataTable) {
    check(owners(this, label, transitivity, annotations), table, true, `attribute(${label}) owners${words} @${annotations}`);
  });
  Then(`attribute\\({type_label}) get owners${words}, with annotations: {annotations}; do not contain:`, function (this: World, label: string, annotations: string[], table: DataTable) {
    check(owners(this, label, transitivity, annotations), table, false, `attribute(${label}) owners${words} @${annotations}`);
  });
}

// ---- owns ----

function setOwns(world: World, root: TypeRoot, label: string, attribute: string, overridden?: string, annotations: string[] = []): void {
  requireType(world, root, label);
  concepts(world).types.setOwns(label, attribute, { overridden, annotations: annotationsOf(annotations) });
}

When('{root_label}\\({type_label}) set owns attribute type: {type_label}', function (this: World, root: TypeRoot, label: string, attribute: string) {
  setOwns(this, root, label, attribute);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label}; throws exception', function (this: World, root: TypeRoot, label: string, attribute: string) {
  assertThrows(() => setOwns(this, root, label, attribute));
});
When('{root_label}\\({type_label}) set owns attribute type: {type_label}, with annotations: {annotations}', function (this: World, root: TypeRoot, label: string, attribute: string, annotations: string[]) {
  setOwns(this, root, label, attribute, undefined, annotations);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label}, with annotations: {annotations}; throws exception', function (this: World, root: TypeRoot, label: string, attribute: string, annotations: string[]) {
  assertThrows(() => setOwns(this, root, label, attribute, undefined, annotations));
});
When('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}', function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string) {
  setOwns(this, root, label, attribute, overridden);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}; throws exception', function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string) {
  assertThrows(() => setOwns(this, root, label, attribute, overridden));
});
When('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}, with annotations: {annotations}', function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string, annotations: string[]) {
  setOwns(this, root, label, attribute, overridden, annotations);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}, with annotations: {annotations}; throws exception', function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string, annotations: string[]) {
  assertThrows(() => setOwns(this, root, label, attribute, overridden, annotations));
});

function unsetOwns(world: World, root: TypeRoot, label: string, attribute: string): void {
  requireType(world, root, label);
  concepts(world).types.unsetOwns(label, attribute);
}

When('{root_label}\\({type_label}) unset owns attribute type: {type_label}', function (this: World, root: TypeRoot, label: string, attribute: string) {
  unsetOwns(this, root, label, attribute);
});
Then('{root_label}\\({type_label}) unset owns attribute type: {type_label}; throws exception', function (this: World, root: TypeRoot, label: string, attribute: string) {
  assertThrows(() => unsetOwns(this, root, label, attribute));
});

function owns(world: World, root: TypeRoot, label: string, transitivity: Transitivity, annotations: string[] = []): string[] {
  requireType(world, root, label);
  return labels(concepts(world).types.getOwns(label, { transitivity, annotations: annotationsOf(annotations) }));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`{root_label}\\({type_label}) get owns${words} attribute types contain:`, function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(owns(this, root, label, transitivity), table, true, `${root}(${label}) owns${words}`);
  });
  Then(`{root_label}\\({type_label}) get owns${words} attribute types do not contain:`, function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(owns(this, root, label, transitivity), table, false, `${root}(${label}) owns${words}`);
  });
  Then(`{root_label}\\({type_label}) get owns${words} attribute types, with annotations: {annotations}; contain:`, function (this: World, root: TypeRoot, label: string, annotations: string[], table: DataTable) {
    check(owns(this, root, label, transitivity, annotations), table, true, `${root}(${label}) owns${words} @${annotations}`);
  });
  Then(`{root_label}\\({type_label}) get owns${words} attribute types, with annotations: {annotations}; do not contain:`, function (this: World, root: TypeRoot, label: string, annotations: string[], table: DataTable) {
    check(owns(this, root, label, transitivity, annotations), table, false, `${root}(${label}) owns${words} @${annotations}`);
  });
}

function ownsOverridden(world: World, root: TypeRoot, label: string, attribute: string) {
  requireType(world, root, label);
  return concepts(world).types.getOwnsOverridden(label, attribute);
}

Then('{root_label}\\({type_label}) get owns overridden attribute\\({type_label}) get label: {type_label}', function (this: World, root: TypeRoot, label: string, attribute: string, expected: string) {
  const overridden = ownsOverridden(this, root, label, attribute);
  ensure(overridden?.label.name === expected, `expected ${label} owns ${attribute} to override ${expected}, got ${overridden?.label.name}`);
});
Then('{root_label}\\({type_label}) get owns overridden attribute\\({type_label}) is null: {bool}', function (this: World, root: TypeRoot, label: string, attribute: string, isNull: boolean) {
  const overridden = ownsOverridden(this, root, label, attribute);
  ensure((overridden === undefined) === isNull, `${label} owns ${attribute}: overridden is null: expected ${isNull}`);
});

// ---- plays ----

function setPlays(world: World, root: TypeRoot, label: string, role: string, overridden?: string): void {
  requireType(world, root, label);
  concepts(world).types.setPlays(label, role, overridden);
}

When('{root_label}\\({type_label}) set plays role: {scoped_label}', function (this: World, root: TypeRoot, label: string, role: string) {
  setPlays(this, root, label, role);
});
Then('{root_label}\\({type_label}) set plays role: {scoped_label}; throws exception', function (this: World, root: TypeRoot, label: string, role: string) {
  assertThrows(() => setPlays(this, root, label, role));
});
When('{root_label}\\({type_label}) set plays role: {scoped_label} as {scoped_label}', function (this: World, root: TypeRoot, label: string, role: string, overridden: string) {
  setPlays(this, root, label, role, overridden);
});
Then('{root_label}\\({type_label}) set plays role: {scoped_label} as {scoped_label}; throws exception', function (this: World, root: TypeRoot, label: string, role: string, overridden: string) {
  assertThrows(() => setPlays(this, root, label, role, overridden));
});

function unsetPlays(world: World, root: TypeRoot, label: string, role: string): void {
  requireType(world, root, label);
  concepts(world).types.unsetPlays(label, role);
}

When('{root_label}\\({type_label}) unset plays role: {scoped_label}', function (this: World, root: TypeRoot, label: string, role: string) {
  unsetPlays(this, root, label, role);
});
Then('{root_label}\\({type_label}) unset plays role: {scoped_label}; throws exception', function (this: World, root: TypeRoot, label: string, role: string) {
  assertThrows(() => unsetPlays(this, root, label, role));
});

function plays(world: World, root: TypeRoot, label: string, transitivity: Transitivity): string[] {
  requireType(world, root, label);
  return labels(concepts(world).types.getPlays(label, transitivity));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`{root_label}\\({type_label}) get playing roles${words} contain:`, function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(plays(this, root, label, transitivity), table, true, `${root}(${label}) playing roles${words}`);
  });
  Then(`{root_label}\\({type_label}) get playing roles${words} do not contain:`, function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(plays(this, root, label, transitivity), table, false, `${root}(${label}) playing roles${words}`);
  });
}

// ---- relates and role types ----

function setRelates(world: World, relation: string, role: string, overridden?: string): void {
  requireType(world, 'relation', relation);
  concepts(world).types.setRelates(relation, role, overridden);
}

When('relation\\({type_label}) set relates role: {type_label}', function (this: World, relation: string, role: string) {
  setRelates(this, relation, role);
});
Then('relation\\({type_label}) set relates role: {type_label}; throws exception', function (this: World, relation: string, role: string) {
  assertThrows(() => setRelates(this, relation, role));
});
When('relation\\({type_label}) set relates role: {type_label} as {type_label}', function (this: World, relation: string, role: string, overridden: string) {
  setRelates(this, relation, role, overridden);
});
Then('relation\\({type_label}) set relates role: {type_label} as {type_label}; throws exception', function (this: World, relation: string, role: string, overridden: string) {
  assertThrows(() => setRelates(this, relation, role, overridden));
});

function unsetRelates(world: World, relation: string, role: string): void {
  requireType(world, 'relation', relation);
  concepts(world).types.unsetRelates(relation, role);
}

When('relation\\({type_label}) unset related role: {type_label}', function (this: World, relation: string, role: string) {
  unsetRelates(this, relation, role);
});
Then('relation\\({type_label}) unset related role: {type_label}; throws exception', function (this: World, relation: string, role: string) {
  assertThrows(() => unsetRelates(this, relation, role));
});

function relates(world: World, relation: string, transitivity: Transitivity): string[] {
  requireType(world, 'relation', relation);
  return labels(concepts(world).types.getRelates(relation, transitivity));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`relation\\({type_label}) get related${words} roles contain:`, function (this: World, relation: string, table: DataTable) {
    check(relates(this, relation, transitivity), table, true, `relation(${relation}) related${words} roles`);
  });
  Then(`relation\\({type_label}) get related${words} roles do not contain:`, function (this: World, relation: string, table: DataTable) {
    check(relates(this, relation, transitivity), table, false, `relation(${relation}) related${words} roles`);
  });
}

Then('relation\\({type_label}) get role\\({type_label}) is null: {bool}', function (this: World, relation: string, role: string, isNull: boolean) {
  ensure((roleOf(this, relation, role) === undefined) === isNull, `relation(${relation}) get role(${role}) is null: expected ${isNull}`);
});

Then('relation\\({type_label}) get role\\({type_label}) get label: {type_label}', function (this: World, relation: string, role: string, expected: string) {
  const name = requireRole(this, relation, role).split(':')[1];
  ensure(name === expected, `expected role label ${expected}, got ${name}`);
});

When('relation\\({type_label}) get role\\({type_label}) set label: {type_label}', function (this: World, relation: string, role: string, newLabel: string) {
  concepts(this).types.setLabel(requireRole(this, relation, role), newLabel);
});

Then('relation\\({type_label}) get role\\({type_label}) is abstract: {bool}', function (this: World, relation: string, role: string, value: boolean) {
  const type = concepts(this).types.get(requireRole(this, relation, role))!;
  ensure(type.abstract === value, `relation(${relation}) get role(${role}) is abstract: expected ${value}`);
});

Then('relation\\({type_label}) get role\\({type_label}) get supertype: {scoped_label}', function (this: World, relation: string, role: string, expected: string) {
  const supertype = concepts(this).types.getSupertype(requireRole(this, relation, role));
  const actual = supertype && labels([supertype])[0];
  ensure(actual === expected, `expected role supertype ${expected}, got ${actual}`);
});

Then('relation\\({type_label}) get role\\({type_label}) get supertypes contain:', function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(concepts(this).types.getSupertypes(requireRole(this, relation, role))), table, true, `role ${role} supertypes`);
});

Then('relation\\({type_label}) get role\\({type_label}) get subtypes contain:', function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(concepts(this).types.getSubtypes(requireRole(this, relation, role))), table, true, `role ${role} subtypes`);
});
Then('relation\\({type_label}) get role\\({type_label}) get subtypes do not contain:', function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(concepts(this).types.getSubtypes(requireRole(this, relation, role))), table, false, `role ${role} subtypes`);
});

Then('relation\\({type_label}) get role\\({type_label}) get players contain:', function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(concepts(this).types.getPlayerTypes(requireRole(this, relation, role))), table, true, `role ${role} players`);
});
Then('relation\\({type_label}) get role\\({type_label}) get players do not contain:', function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(concepts(this).types.getPlayerTypes(requireRole(this, relation, role))), table, false, `role ${role} players`);
});

function overriddenRole(world: World, relation: string, role: string) {
  requireType(world, 'relation', relation);
  return concepts(world).types.getRelatesOverridden(relation, role);
}

Then('relation\\({type_label}) get overridden role\\({type_label}) get label: {type_label}', function (this: World, relation: string, role: string, expected: string) {
  const overridden = overriddenRole(this, relation, role);
  ensure(overridden?.label.name === expected, `expected ${relation}:${role} to override ${expected}, got ${overridden?.label.name}`);
});
Then('relation\\({type_label}) get overridden role\\({type_label}) is null: {bool}', function (this: World, relation: string, role: string, isNull: boolean) {
  ensure((overriddenRole(this, relation, role) === undefined) === isNull, `overridden role of ${relation}:${role} is null: expected ${isNull}`);
});
