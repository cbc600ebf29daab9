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

When('put {root_label} type: {type_label}', async function (this: World, root: TypeRoot, label: string) {
  const types = concepts(this).types;
  if (root === 'entity') types.putEntityType(label);
  else if (root === 'relation') types.putRelationType(label);
  else throw new Error(`put ${root} type needs a value type (use 'put attribute type: …, with value type: …')`);
});

When('put attribute type: {type_label}, with value type: {value_type}', async function (this: World, label: string, valueType: ValueType) {
  await concepts(this).types.putAttributeType(label, valueType);
});

async function deleteType(world: World, root: TypeRoot, label: string): Promise<void> {
  await requireType(world, root, label);
  await concepts(world).types.delete(label);
}

When('delete {root_label} type: {type_label}', async function (this: World, root: TypeRoot, label: string) {
  await deleteType(this, root, label);
});
Then('delete {root_label} type: {type_label}; throws exception', async function (this: World, root: TypeRoot, label: string) {
  await assertThrows(() => deleteType(this, root, label));
});

Then('{root_label}\\({type_label}) is null: {bool}', async function (this: World, root: TypeRoot, label: string, isNull: boolean) {
  const type = await lookupType(this, root, label);
  ensure((type === undefined) === isNull, `${root}(${label}) is null: expected ${isNull}`);
});

// ---- label, abstract, supertypes, subtypes ----

When('{root_label}\\({type_label}) set label: {type_label}', async function (this: World, root: TypeRoot, label: string, newLabel: string) {
  await requireType(this, root, label);
  await concepts(this).types.setLabel(label, newLabel);
});

Then('{root_label}\\({type_label}) get label: {type_label}', async function (this: World, root: TypeRoot, label: string, expected: string) {
  const type = await requireType(this, root, label);
  ensure(type.label.name === expected, `expected label ${expected}, got ${type.label.name}`);
});

async function setAbstract(world: World, root: TypeRoot, label: string, value: boolean): Promise<void> {
  await requireType(world, root, label);
  if (value) await concepts(world).types.setAbstract(label);
  else await concepts(world).types.unsetAbstract(label);
}

When('{root_label}\\({type_label}) set abstract: {bool}', async function (this: World, root: TypeRoot, label: string, value: boolean) {
  await setAbstract(this, root, label, value);
});
Then('{root_label}\\({type_label}) set abstract: {bool}; throws exception', async function (this: World, root: TypeRoot, label: string, value: boolean) {
  await assertThrows(() => setAbstract(this, root, label, value));
});

Then('{root_label}\\({type_label}) is abstract: {bool}', async function (this: World, root: TypeRoot, label: string, value: boolean) {
  ensure((await requireType(this, root, label)).abstract === value, `${root}(${label}) is abstract: expected ${value}`);
});

async function setSupertype(world: World, root: TypeRoot, label: string, supertype: string): Promise<void> {
  await requireType(world, root, label);
  await requireType(world, root, supertype);
  await concepts(world).types.setSupertype(label, supertype);
}

When('{root_label}\\({type_label}) set supertype: {type_label}', async function (this: World, root: TypeRoot, label: string, supertype: string) {
  await setSupertype(this, root, label, supertype);
});
Then('{root_label}\\({type_label}) set supertype: {type_label}; throws exception', async function (this: World, root: TypeRoot, label: string, supertype: string) {
  await assertThrows(() => setSupertype(this, root, label, supertype));
});

Then('{root_label}\\({type_label}) get supertype: {type_label}', async function (this: World, root: TypeRoot, label: string, expected: string) {
  await requireType(this, root, label);
  const supertype = await concepts(this).types.getSupertype(label);
  ensure(supertype !== undefined && supertype.root === root, `${root}(${label}) has no ${root} supertype`);
  ensure(labels([supertype])[0] === expected, `expected supertype ${expected}, got ${labels([supertype])[0]}`);
});

async function supertypes(world: World, root: TypeRoot, label: string): Promise<string[]> {
  await requireType(world, root, label);
  return labels(await concepts(world).types.getSupertypes(label));
}

async function subtypes(world: World, root: TypeRoot, label: string, valueType?: ValueType): Promise<string[]> {
  await requireType(world, root, label);
  return labels(await concepts(world).types.getSubtypes(label, { valueType }));
}

Then('{root_label}\\({type_label}) get supertypes contain:', async function (this: World, root: TypeRoot, label: string, table: DataTable) {
  check(await supertypes(this, root, label), table, true, `${root}(${label}) supertypes`);
});
Then('{root_label}\\({type_label}) get subtypes contain:', async function (this: World, root: TypeRoot, label: string, table: DataTable) {
  check(await subtypes(this, root, label), table, true, `${root}(${label}) subtypes`);
});
Then('{root_label}\\({type_label}) get subtypes do not contain:', async function (this: World, root: TypeRoot, label: string, table: DataTable) {
  check(await subtypes(this, root, label), table, false, `${root}(${label}) subtypes`);
});

Then('attribute\\({type_label}) as\\({value_type}) get subtypes contain:', async function (this: World, label: string, valueType: ValueType, table: DataTable) {
  await attributeTypeAs(this, label, valueType);
  check(await subtypes(this, 'attribute', label, valueType), table, true, `attribute(${label}) as(${valueType}) subtypes`);
});
Then('attribute\\({type_label}) as\\({value_type}) get subtypes do not contain:', async function (this: World, label: string, valueType: ValueType, table: DataTable) {
  await attributeTypeAs(this, label, valueType);
  check(await subtypes(this, 'attribute', label, valueType), table, false, `attribute(${label}) as(${valueType}) subtypes`);
});

// ---- attribute types: value type, regex, owners ----

Then('attribute\\({type_label}) get value type: {value_type}', async function (this: World, label: string, valueType: ValueType) {
  const type = await requireType(this, 'attribute', label);
  ensure(type.valueType === valueType, `attribute(${label}) has value type ${type.valueType}, not ${valueType}`);
});

When('attribute\\({type_label}) as\\({value_type}) set regex: {}', async function (this: World, label: string, valueType: ValueType, regex: string) {
  await attributeTypeAs(this, label, valueType);
  await concepts(this).types.setRegex(label, regex);
});

When('attribute\\({type_label}) as\\({value_type}) unset regex', async function (this: World, label: string, valueType: ValueType) {
  await attributeTypeAs(this, label, valueType);
  await concepts(this).types.unsetRegex(label);
});

Then('attribute\\({type_label}) as\\({value_type}) get regex: {}', async function (this: World, label: string, valueType: ValueType, regex: string) {
  await attributeTypeAs(this, label, valueType);
  const actual = await concepts(this).types.getRegex(label);
  ensure(actual === regex, `attribute(${label}) has regex ${actual}, not ${regex}`);
});

Then('attribute\\({type_label}) as\\({value_type}) does not have any regex', async function (this: World, label: string, valueType: ValueType) {
  await attributeTypeAs(this, label, valueType);
  const actual = await concepts(this).types.getRegex(label);
  ensure(actual === undefined, `attribute(${label}) has regex ${actual}`);
});

async function owners(world: World, label: string, transitivity: Transitivity, annotations: string[] = []): Promise<string[]> {
  await requireType(world, 'attribute', label);
  return labels(await concepts(world).types.getOwners(label, { transitivity, annotations: annotationsOf(annotations) }));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`attribute\\({type_label}) get owners${words} contain:`, async function (this: World, label: string, table: DataTable) {
    check(await owners(this, label, transitivity), table, true, `attribute(${label}) owners${words}`);
  });
  Then(`attribute\\({type_label}) get owners${words} do not contain:`, async function (this: World, label: string, table: DataTable) {
    check(await owners(this, label, transitivity), table, false, `attribute(${label}) owners${words}`);
  });
  Then(`attribute\\({type_label}) get owners${words}, with annotations: {annotations}; contain:`, async function (this: World, label: string, annotations: string[], table: DataTable) {
    check(await owners(this, label, transitivity, annotations), table, true, `attribute(${label}) owners${words} @${annotations}`);
  });
  Then(`attribute\\({type_label}) get owners${words}, with annotations: {annotations}; do not contain:`, async function (this: World, label: string, annotations: string[], table: DataTable) {
    check(await owners(this, label, transitivity, annotations), table, false, `attribute(${label}) owners${words} @${annotations}`);
  });
}

// ---- owns ----

async function setOwns(world: World, root: TypeRoot, label: string, attribute: string, overridden?: string, annotations: string[] = []): Promise<void> {
  await requireType(world, root, label);
  await concepts(world).types.setOwns(label, attribute, { overridden, annotations: annotationsOf(annotations) });
}

When('{root_label}\\({type_label}) set owns attribute type: {type_label}', async function (this: World, root: TypeRoot, label: string, attribute: string) {
  await setOwns(this, root, label, attribute);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label}; throws exception', async function (this: World, root: TypeRoot, label: string, attribute: string) {
  await assertThrows(() => setOwns(this, root, label, attribute));
});
When('{root_label}\\({type_label}) set owns attribute type: {type_label}, with annotations: {annotations}', async function (this: World, root: TypeRoot, label: string, attribute: string, annotations: string[]) {
  await setOwns(this, root, label, attribute, undefined, annotations);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label}, with annotations: {annotations}; throws exception', async function (this: World, root: TypeRoot, label: string, attribute: string, annotations: string[]) {
  await assertThrows(() => setOwns(this, root, label, attribute, undefined, annotations));
});
When('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}', async function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string) {
  await setOwns(this, root, label, attribute, overridden);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}; throws exception', async function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string) {
  await assertThrows(() => setOwns(this, root, label, attribute, overridden));
});
When('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}, with annotations: {annotations}', async function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string, annotations: string[]) {
  await setOwns(this, root, label, attribute, overridden, annotations);
});
Then('{root_label}\\({type_label}) set owns attribute type: {type_label} as {type_label}, with annotations: {annotations}; throws exception', async function (this: World, root: TypeRoot, label: string, attribute: string, overridden: string, annotations: string[]) {
  await assertThrows(() => setOwns(this, root, label, attribute, overridden, annotations));
});

async function unsetOwns(world: World, root: TypeRoot, label: string, attribute: string): Promise<void> {
  await requireType(world, root, label);
  await concepts(world).types.unsetOwns(label, attribute);
}

When('{root_label}\\({type_label}) unset owns attribute type: {type_label}', async function (this: World, root: TypeRoot, label: string, attribute: string) {
  await unsetOwns(this, root, label, attribute);
});
Then('{root_label}\\({type_label}) unset owns attribute type: {type_label}; throws exception', async function (this: World, root: TypeRoot, label: string, attribute: string) {
  await assertThrows(() => unsetOwns(this, root, label, attribute));
});

async function owns(world: World, root: TypeRoot, label: string, transitivity: Transitivity, annotations: string[] = []): Promise<string[]> {
  await requireType(world, root, label);
  return labels(await concepts(world).types.getOwns(label, { transitivity, annotations: annotationsOf(annotations) }));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`{root_label}\\({type_label}) get owns${words} attribute types contain:`, async function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(await owns(this, root, label, transitivity), table, true, `${root}(${label}) owns${words}`);
  });
  Then(`{root_label}\\({type_label}) get owns${words} attribute types do not contain:`, async function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(await owns(this, root, label, transitivity), table, false, `${root}(${label}) owns${words}`);
  });
  Then(`{root_label}\\({type_label}) get owns${words} attribute types, with annotations: {annotations}; contain:`, async function (this: World, root: TypeRoot, label: string, annotations: string[], table: DataTable) {
    check(await owns(this, root, label, transitivity, annotations), table, true, `${root}(${label}) owns${words} @${annotations}`);
  });
  Then(`{root_label}\\({type_label}) get owns${words} attribute types, with annotations: {annotations}; do not contain:`, async function (this: World, root: TypeRoot, label: string, annotations: string[], table: DataTable) {
    check(await owns(this, root, label, transitivity, annotations), table, false, `${root}(${label}) owns${words} @${annotations}`);
  });
}

async function ownsOverridden(world: World, root: TypeRoot, label: string, attribute: string) {
  await requireType(world, root, label);
  return concepts(world).types.getOwnsOverridden(label, attribute);
}

Then('{root_label}\\({type_label}) get owns overridden attribute\\({type_label}) get label: {type_label}', async function (this: World, root: TypeRoot, label: string, attribute: string, expected: string) {
  const overridden = await ownsOverridden(this, root, label, attribute);
  ensure(overridden?.label.name === expected, `expected ${label} owns ${attribute} to override ${expected}, got ${overridden?.label.name}`);
});
Then('{root_label}\\({type_label}) get owns overridden attribute\\({type_label}) is null: {bool}', async function (this: World, root: TypeRoot, label: string, attribute: string, isNull: boolean) {
  const overridden = await ownsOverridden(this, root, label, attribute);
  ensure((overridden === undefined) === isNull, `${label} owns ${attribute}: overridden is null: expected ${isNull}`);
});

// ---- plays ----

async function setPlays(world: World, root: TypeRoot, label: string, role: string, overridden?: string): Promise<void> {
  await requireType(world, root, label);
  await concepts(world).types.setPlays(label, role, overridden);
}

When('{root_label}\\({type_label}) set plays role: {scoped_label}', async function (this: World, root: TypeRoot, label: string, role: string) {
  await setPlays(this, root, label, role);
});
Then('{root_label}\\({type_label}) set plays role: {scoped_label}; throws exception', async function (this: World, root: TypeRoot, label: string, role: string) {
  await assertThrows(() => setPlays(this, root, label, role));
});
When('{root_label}\\({type_label}) set plays role: {scoped_label} as {scoped_label}', async function (this: World, root: TypeRoot, label: string, role: string, overridden: string) {
  await setPlays(this, root, label, role, overridden);
});
Then('{root_label}\\({type_label}) set plays role: {scoped_label} as {scoped_label}; throws exception', async function (this: World, root: TypeRoot, label: string, role: string, overridden: string) {
  await assertThrows(() => setPlays(this, root, label, role, overridden));
});

async function unsetPlays(world: World, root: TypeRoot, label: string, role: string): Promise<void> {
  await requireType(world, root, label);
  await concepts(world).types.unsetPlays(label, role);
}

When('{root_label}\\({type_label}) unset plays role: {scoped_label}', async function (this: World, root: TypeRoot, label: string, role: string) {
  await unsetPlays(this, root, label, role);
});
Then('{root_label}\\({type_label}) unset plays role: {scoped_label}; throws exception', async function (this: World, root: TypeRoot, label: string, role: string) {
  await assertThrows(() => unsetPlays(this, root, label, role));
});

async function plays(world: World, root: TypeRoot, label: string, transitivity: Transitivity): Promise<string[]> {
  await requireType(world, root, label);
  return labels(await concepts(world).types.getPlays(label, transitivity));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`{root_label}\\({type_label}) get playing roles${words} contain:`, async function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(await plays(this, root, label, transitivity), table, true, `${root}(${label}) playing roles${words}`);
  });
  Then(`{root_label}\\({type_label}) get playing roles${words} do not contain:`, async function (this: World, root: TypeRoot, label: string, table: DataTable) {
    check(await plays(this, root, label, transitivity), table, false, `${root}(${label}) playing roles${words}`);
  });
}

// ---- relates and role types ----

async function setRelates(world: World, relation: string, role: string, overridden?: string): Promise<void> {
  await requireType(world, 'relation', relation);
  await concepts(world).types.setRelates(relation, role, overridden);
}

When('relation\\({type_label}) set relates role: {type_label}', async function (this: World, relation: string, role: string) {
  await setRelates(this, relation, role);
});
Then('relation\\({type_label}) set relates role: {type_label}; throws exception', async function (this: World, relation: string, role: string) {
  await assertThrows(() => setRelates(this, relation, role));
});
When('relation\\({type_label}) set relates role: {type_label} as {type_label}', async function (this: World, relation: string, role: string, overridden: string) {
  await setRelates(this, relation, role, overridden);
});
Then('relation\\({type_label}) set relates role: {type_label} as {type_label}; throws exception', async function (this: World, relation: string, role: string, overridden: string) {
  await assertThrows(() => setRelates(this, relation, role, overridden));
});

async function unsetRelates(world: World, relation: string, role: string): Promise<void> {
  await requireType(world, 'relation', relation);
  await concepts(world).types.unsetRelates(relation, role);
}

When('relation\\({type_label}) unset related role: {type_label}', async function (this: World, relation: string, role: string) {
  await unsetRelates(this, relation, role);
});
Then('relation\\({type_label}) unset related role: {type_label}; throws exception', async function (this: World, relation: string, role: string) {
  await assertThrows(() => unsetRelates(this, relation, role));
});

async function relates(world: World, relation: string, transitivity: Transitivity): Promise<string[]> {
  await requireType(world, 'relation', relation);
  return labels(await concepts(world).types.getRelates(relation, transitivity));
}

for (const [words, transitivity] of [['', 'transitive'], [' explicit', 'explicit']] as const) {
  Then(`relation\\({type_label}) get related${words} roles contain:`, async function (this: World, relation: string, table: DataTable) {
    check(await relates(this, relation, transitivity), table, true, `relation(${relation}) related${words} roles`);
  });
  Then(`relation\\({type_label}) get related${words} roles do not contain:`, async function (this: World, relation: string, table: DataTable) {
    check(await relates(this, relation, transitivity), table, false, `relation(${relation}) related${words} roles`);
  });
}

Then('relation\\({type_label}) get role\\({type_label}) is null: {bool}', async function (this: World, relation: string, role: string, isNull: boolean) {
  ensure((await roleOf(this, relation, role) === undefined) === isNull, `relation(${relation}) get role(${role}) is null: expected ${isNull}`);
});

Then('relation\\({type_label}) get role\\({type_label}) get label: {type_label}', async function (this: World, relation: string, role: string, expected: string) {
  const name = (await requireRole(this, relation, role)).split(':')[1];
  ensure(name === expected, `expected role label ${expected}, got ${name}`);
});

When('relation\\({type_label}) get role\\({type_label}) set label: {type_label}', async function (this: World, relation: string, role: string, newLabel: string) {
  await concepts(this).types.setLabel(await requireRole(this, relation, role), newLabel);
});

Then('relation\\({type_label}) get role\\({type_label}) is abstract: {bool}', async function (this: World, relation: string, role: string, value: boolean) {
  const type = (await concepts(this).types.get(await requireRole(this, relation, role)))!;
  ensure(type.abstract === value, `relation(${relation}) get role(${role}) is abstract: expected ${value}`);
});

Then('relation\\({type_label}) get role\\({type_label}) get supertype: {scoped_label}', async function (this: World, relation: string, role: string, expected: string) {
  const supertype = await concepts(this).types.getSupertype(await requireRole(this, relation, role));
  const actual = supertype && labels([supertype])[0];
  ensure(actual === expected, `expected role supertype ${expected}, got ${actual}`);
});

Then('relation\\({type_label}) get role\\({type_label}) get supertypes contain:', async function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(await concepts(this).types.getSupertypes(await requireRole(this, relation, role))), table, true, `role ${role} supertypes`);
});

Then('relation\\({type_label}) get role\\({type_label}) get subtypes contain:', async function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(await concepts(this).types.getSubtypes(await requireRole(this, relation, role))), table, true, `role ${role} subtypes`);
});
Then('relation\\({type_label}) get role\\({type_label}) get subtypes do not contain:', async function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(await concepts(this).types.getSubtypes(await requireRole(this, relation, role))), table, false, `role ${role} subtypes`);
});

Then('relation\\({type_label}) get role\\({type_label}) get players contain:', async function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(await concepts(this).types.getPlayerTypes(await requireRole(this, relation, role))), table, true, `role ${role} players`);
});
Then('relation\\({type_label}) get role\\({type_label}) get players do not contain:', async function (this: World, relation: string, role: string, table: DataTable) {
  check(labels(await concepts(this).types.getPlayerTypes(await requireRole(this, relation, role))), table, false, `role ${role} players`);
});

async function overriddenRole(world: World, relation: string, role: string) {
  await requireType(world, 'relation', relation);
  return concepts(world).types.getRelatesOverridden(relation, role);
}

Then('relation\\({type_label}) get overridden role\\({type_label}) get label: {type_label}', async function (this: World, relation: string, role: string, expected: string) {
  const overridden = await overriddenRole(this, relation, role);
  ensure(overridden?.label.name === expected, `expected ${relation}:${role} to override ${expected}, got ${overridden?.label.name}`);
});
Then('relation\\({type_label}) get overridden role\\({type_label}) is null: {bool}', async function (this: World, relation: string, role: string, isNull: boolean) {
  ensure((await overriddenRole(this, relation, role) === undefined) === isNull, `overridden role of ${relation}:${role} is null: expected ${isNull}`);
});
