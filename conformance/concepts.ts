// Support for the Concept-API steps (reference/behaviour-steps.md §4.8): type lookups by root, label comparisons
// with "contains all" semantics (§3), and thing variables kept as IIDs so that they survive transactions (§2).
import type { DataTable } from '@cucumber/cucumber';
import type { HarnessConceptApi } from './engine/index.js';
import { labelText, type ThingConcept, type TypeConcept, type TypeRoot } from '../src/concept/concepts.js';
import type { Value, ValueType } from '../src/common/values.js';
import type { StrataWorld } from './world.js';
import { ensure } from './checks/ensure.js';
import { parseStepDatetime } from './parameters.js';

export function concepts(world: StrataWorld): HarnessConceptApi {
  return world.tx().concepts();
}

/** `entity(person)`: the type of that root, or undefined when the label names no type. */
export async function lookupType(world: StrataWorld, root: TypeRoot, label: string): Promise<TypeConcept | undefined> {
  const types = concepts(world).types;
  switch (root) {
    case 'entity':
      return types.getEntityType(label);
    case 'relation':
      return types.getRelationType(label);
    case 'attribute':
      return types.getAttributeType(label);
    default: {
      const type = await types.get(label);
      if (type && type.root !== root) throw new Error(`${label} is a ${type.root} type, not a ${root} type`);
      return type;
    }
  }
}

export async function requireType(world: StrataWorld, root: TypeRoot, label: string): Promise<TypeConcept> {
  const type = await lookupType(world, root, label);
  if (!type) throw new Error(`there is no ${root} type '${label}'`);
  return type;
}

/** `attribute(email) as(string)`: the attribute type, which must have that value type (the root has every one). */
export async function attributeTypeAs(world: StrataWorld, label: string, valueType: ValueType): Promise<TypeConcept> {
  const type = await requireType(world, 'attribute', label);
  if (label !== 'attribute' && type.valueType !== valueType) {
    throw new Error(`attribute type '${label}' has value type ${type.valueType}, not ${valueType}`);
  }
  return type;
}

/** `relation(marriage) get role(wife)`: the role the relation type relates under that name, as a scoped label. */
export async function roleOf(world: StrataWorld, relation: string, role: string): Promise<TypeConcept | undefined> {
  await requireType(world, 'relation', relation);
  return concepts(world).types.getRelatesForRoleLabel(relation, role);
}

export async function requireRole(world: StrataWorld, relation: string, role: string): Promise<string> {
  const type = await roleOf(world, relation, role);
  if (!type) throw new Error(`relation type '${relation}' relates no role '${role}'`);
  return labelText(type.label);
}

export function labels(types: Iterable<TypeConcept>): string[] {
  return [...types].map((t) => labelText(t.label));
}

/** A table of labels (raw rows, no header): the first column. */
export function column(table: DataTable): string[] {
  return table.raw().map((row) => (row[0] ?? '').trim());
}

/** Every expected label is among the actual ones. */
export function ensureContains(actual: readonly string[], expected: readonly string[], what: string): void {
  const missing = expected.filter((e) => !actual.includes(e));
  ensure(missing.length === 0, () => `${what}: expected to contain [${missing.join(', ')}], got [${actual.join(', ')}]`);
}

/** None of the labels is among the actual ones. */
export function ensureContainsNone(actual: readonly string[], unexpected: readonly string[], what: string): void {
  const present = unexpected.filter((e) => actual.includes(e));
  ensure(present.length === 0, () => `${what}: expected not to contain [${present.join(', ')}], got [${actual.join(', ')}]`);
}

// ---- thing variables ----

/** The IID stored for `$name`; fails if the variable is unset or null. */
export function iidOf(world: StrataWorld, name: string): string {
  const iid = world.things.get(name);
  if (!iid) throw new Error(`the variable $${name} is ${iid === null ? 'null' : 'not set'}`);
  return iid;
}

export function storeThing(world: StrataWorld, name: string, thing: ThingConcept | undefined): void {
  world.things.set(name, thing ? thing.iid : null);
}

export function iids(things: Iterable<ThingConcept>): string[] {
  return [...things].map((t) => t.iid);
}

/** A value written in a step as a bare word (keys, `get instance with key`), read by the attribute type's value type. */
export function stepValue(valueType: ValueType | undefined, text: string): Value {
  switch (valueType) {
    case 'long':
      return { type: 'long', value: BigInt(text) };
    case 'double':
      return { type: 'double', value: Number(text) };
    case 'boolean':
      return { type: 'boolean', value: text === 'true' };
    case 'datetime':
      return { type: 'datetime', value: parseStepDatetime(text) };
    default:
      return { type: 'string', value: text };
  }
}
