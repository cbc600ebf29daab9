// Concept-API steps on things (reference/behaviour-steps.md §4.8b), run on `tx()` through its Concept API.
// Thing variables hold IIDs (world.things) and are resolved again in whichever transaction is current.
import { Then, When, type DataTable } from '@cucumber/cucumber';
import { labelText, type ThingConcept, type TypeRoot } from '../../src/concept/concepts.js';
import type { Value, ValueType } from '../../src/common/values.js';
import type { StrataWorld } from '../world.js';
import { assertThrows } from '../checks/errors.js';
import { ensure } from '../checks/ensure.js';
import { attributeTypeAs, concepts, iidOf, iids, requireType, stepValue, storeThing } from '../concepts.js';

type World = StrataWorld;

async function thing(world: World, name: string): Promise<ThingConcept> {
  const found = await concepts(world).things.get(iidOf(world, name));
  if (!found) throw new Error(`$${name} (${iidOf(world, name)}) does not exist in this transaction`);
  return found;
}

// ---- creation, lookup, deletion ----

async function create(world: World, root: 'entity' | 'relation', label: string): Promise<string> {
  await requireType(world, root, label);
  return (await concepts(world).things.create(label)).iid;
}

async function createWithKey(world: World, root: 'entity' | 'relation', label: string, keyType: string, keyValue: string): Promise<string> {
  const iid = await create(world, root, label);
  const things = concepts(world).things;
  const keyValueType = (await requireType(world, 'attribute', keyType)).valueType;
  const key = await things.putAttribute(keyType, stepValue(keyValueType, keyValue));
  await things.setHas(iid, key.iid);
  return iid;
}

for (const root of ['entity', 'relation'] as const) {
  When(`{var} = ${root}\\({type_label}) create new instance`, async function (this: World, name: string, label: string) {
    this.things.set(name, await create(this, root, label));
  });
  Then(`${root}\\({type_label}) create new instance; throws exception`, async function (this: World, label: string) {
    await assertThrows(() => create(this, root, label));
  });
  When(`{var} = ${root}\\({type_label}) create new instance with key\\({type_label}): {word}`, async function (this: World, name: string, label: string, keyType: string, keyValue: string) {
    this.things.set(name, await createWithKey(this, root, label, keyType, keyValue));
  });

  When(`{var} = ${root}\\({type_label}) get instance with key\\({type_label}): {word}`, async function (this: World, name: string, label: string, keyType: string, keyValue: string) {
    await requireType(this, root, label);
    const things = concepts(this).things;
    const keyValueType = (await requireType(this, 'attribute', keyType)).valueType;
    const key = await things.getAttribute(keyType, stepValue(keyValueType, keyValue));
    const owner = key && (await things.getOwners(key.iid)).find((o) => labelText(o.type.label) === label);
    storeThing(this, name, owner);
  });

  Then(`${root}\\({type_label}) get instances is empty`, async function (this: World, label: string) {
    await requireType(this, root, label);
    const instances = iids(await concepts(this).types.getInstances(label));
    ensure(instances.length === 0, `${root}(${label}) has instances: [${instances.join(', ')}]`);
  });
}

for (const root of ['entity', 'relation', 'attribute'] as const) {
  for (const [words, contains] of [[' contain', true], [' do not contain', false]] as const) {
    Then(`${root}\\({type_label}) get instances${words}: {var}`, async function (this: World, label: string, name: string) {
      await requireType(this, root, label);
      const instances = iids(await concepts(this).types.getInstances(label));
      ensure(instances.includes(iidOf(this, name)) === contains, `${root}(${label}) instances${words} $${name}: [${instances.join(', ')}]`);
    });
  }
}

When('delete entity:/attribute:/relation: {var}', async function (this: World, name: string) {
  await concepts(this).things.delete(iidOf(this, name));
});

Then('entity/attribute/relation {var} is deleted: {bool}', async function (this: World, name: string, deleted: boolean) {
  ensure(await concepts(this).things.isDeleted(iidOf(this, name)) === deleted, `$${name} is deleted: expected ${deleted}`);
});

Then('entity/attribute/relation {var} is null: {bool}', async function (this: World, name: string, isNull: boolean) {
  const value = this.things.get(name);
  ensure((value === undefined || value === null) === isNull, `$${name} is null: expected ${isNull}`);
});

Then('{root_label} {var} has type: {type_label}', async function (this: World, _root: TypeRoot, name: string, label: string) {
  const actual = labelText((await thing(this, name)).type.label);
  ensure(actual === label, `$${name} has type ${actual}, not ${label}`);
});

// ---- attributes ----

async function put(world: World, label: string, valueType: ValueType, value: Value): Promise<string> {
  await attributeTypeAs(world, label, valueType);
  return (await concepts(world).things.putAttribute(label, value)).iid;
}

async function get(world: World, name: string, label: string, valueType: ValueType, value: Value): Promise<void> {
  await attributeTypeAs(world, label, valueType);
  storeThing(world, name, await concepts(world).things.getAttribute(label, value));
}

/** Per value type: the step parameter and how its (already transformed) argument becomes a value. */
const VALUES: readonly [ValueType, string, (raw: unknown) => Value][] = [
  ['boolean', '{bool}', (v) => ({ type: 'boolean', value: v as boolean })],
  ['long', '{int}', (v) => ({ type: 'long', value: BigInt(v as number) })],
  ['double', '{float}', (v) => ({ type: 'double', value: v as number })],
  ['string', '{word}', (v) => ({ type: 'string', value: v as string })],
  ['datetime', '{datetime}', (v) => ({ type: 'datetime', value: v as number })],
];

for (const [valueType, parameter, toValue] of VALUES) {
  When(`{var} = attribute\\({type_label}) as\\(${valueType}) put: ${parameter}`, async function (this: World, name: string, label: string, raw: unknown) {
    this.things.set(name, await put(this, label, valueType, toValue(raw)));
  });
  Then(`attribute\\({type_label}) as\\(${valueType}) put: ${parameter}; throws exception`, async function (this: World, label: string, raw: unknown) {
    await assertThrows(() => put(this, label, valueType, toValue(raw)));
  });
  When(`{var} = attribute\\({type_label}) as\\(${valueType}) get: ${parameter}`, async function (this: World, name: string, label: string, raw: unknown) {
    await get(this, name, label, valueType, toValue(raw));
  });
  Then(`attribute {var} has ${valueType} value: ${parameter}`, async function (this: World, name: string, raw: unknown) {
    const attribute = await thing(this, name);
    ensure(attribute.kind === 'attribute', `$${name} is not an attribute`);
    const expected = toValue(raw);
    const actual = attribute.value;
    const equal =
      actual.type === expected.type &&
      (actual.type === 'double' ? Math.abs(actual.value - (expected.value as number)) < 1e-10 : actual.value === expected.value);
    ensure(equal, `$${name} has value ${String(actual.value)} (${actual.type}), not ${String(expected.value)} (${expected.type})`);
  });
}

Then('attribute {var} has value type: {value_type}', async function (this: World, name: string, valueType: ValueType) {
  const actual = (await thing(this, name)).type.valueType;
  ensure(actual === valueType, `$${name} has value type ${actual}, not ${valueType}`);
});

// ---- ownership ----

async function setHas(world: World, owner: string, attribute: string): Promise<void> {
  await concepts(world).things.setHas(iidOf(world, owner), iidOf(world, attribute));
}

When('entity/attribute/relation {var} set has: {var}', async function (this: World, owner: string, attribute: string) {
  await setHas(this, owner, attribute);
});
Then('entity/attribute/relation {var} set has: {var}; throws exception', async function (this: World, owner: string, attribute: string) {
  await assertThrows(() => setHas(this, owner, attribute));
});
When('entity/attribute/relation {var} unset has: {var}', async function (this: World, owner: string, attribute: string) {
  await concepts(this).things.unsetHas(iidOf(this, owner), iidOf(this, attribute));
});

for (const [words, contains] of [[' contain', true], [' do not contain', false]] as const) {
  Then(`entity/attribute/relation {var} get attributes\\({type_label}) as\\({value_type})${words}: {var}`, async function (this: World, owner: string, label: string, valueType: ValueType, attribute: string) {
    await attributeTypeAs(this, label, valueType);
    const owned = iids(await concepts(this).things.getHas(iidOf(this, owner), { attributeTypes: [label] }));
    ensure(owned.includes(iidOf(this, attribute)) === contains, `$${owner} attributes(${label})${words} $${attribute}`);
  });
  Then(`entity/attribute/relation {var} get attributes${words}: {var}`, async function (this: World, owner: string, attribute: string) {
    const owned = iids(await concepts(this).things.getHas(iidOf(this, owner)));
    ensure(owned.includes(iidOf(this, attribute)) === contains, `$${owner} attributes${words} $${attribute}`);
  });
  Then(`entity/attribute/relation {var} get keys${words}: {var}`, async function (this: World, owner: string, attribute: string) {
    const keys = iids(await concepts(this).things.getHas(iidOf(this, owner), { annotations: ['key'] }));
    ensure(keys.includes(iidOf(this, attribute)) === contains, `$${owner} keys${words} $${attribute}`);
  });
  Then(`attribute {var} get owners${words}: {var}`, async function (this: World, attribute: string, owner: string) {
    const owners = iids(await concepts(this).things.getOwners(iidOf(this, attribute)));
    ensure(owners.includes(iidOf(this, owner)) === contains, `$${attribute} owners${words} $${owner}`);
  });

  // ---- role playing ----

  Then(`entity/attribute/relation {var} get relations\\({scoped_label})${words}: {var}`, async function (this: World, player: string, role: string, relation: string) {
    const relations = iids(await concepts(this).things.getRelations(iidOf(this, player), [role]));
    ensure(relations.includes(iidOf(this, relation)) === contains, `$${player} relations(${role})${words} $${relation}`);
  });
  Then(`entity/attribute/relation {var} get relations${words}: {var}`, async function (this: World, player: string, relation: string) {
    const relations = iids(await concepts(this).things.getRelations(iidOf(this, player)));
    ensure(relations.includes(iidOf(this, relation)) === contains, `$${player} relations${words} $${relation}`);
  });
  Then(`relation {var} get players for role\\({type_label})${words}: {var}`, async function (this: World, relation: string, role: string, player: string) {
    const players = iids(await concepts(this).things.getPlayers(iidOf(this, relation), [role]));
    ensure(players.includes(iidOf(this, player)) === contains, `$${relation} players for ${role}${words} $${player}`);
  });
  Then(`relation {var} get players${words}: {var}`, async function (this: World, relation: string, player: string) {
    const players = iids(await concepts(this).things.getPlayers(iidOf(this, relation)));
    ensure(players.includes(iidOf(this, player)) === contains, `$${relation} players${words} $${player}`);
  });
  /** Rows `| role | $var |`: role → player pairs. */
  Then(`relation {var} get players${words}:`, async function (this: World, relation: string, table: DataTable) {
    const pairs = await concepts(this).things.getRolePlayers(iidOf(this, relation));
    for (const [role = '', variable = ''] of table.raw()) {
      const iid = iidOf(this, variable.trim().replace(/^\$/, ''));
      const found = pairs.some(
        (p) => p.player.iid === iid && (p.role.label.name === role.trim() || labelText(p.role.label) === role.trim()),
      );
      ensure(found === contains, `$${relation} players${words} ${role}: ${variable}`);
    }
  });
}

async function addPlayer(world: World, relation: string, role: string, player: string): Promise<void> {
  await concepts(world).things.addPlayer(iidOf(world, relation), role, iidOf(world, player));
}

When('relation {var} add player for role\\({type_label}): {var}', async function (this: World, relation: string, role: string, player: string) {
  await addPlayer(this, relation, role, player);
});
Then('relation {var} add player for role\\({type_label}): {var}; throws exception', async function (this: World, relation: string, role: string, player: string) {
  await assertThrows(() => addPlayer(this, relation, role, player));
});
When('relation {var} remove player for role\\({type_label}): {var}', async function (this: World, relation: string, role: string, player: string) {
  await concepts(this).things.removePlayer(iidOf(this, relation), role, iidOf(this, player));
});
