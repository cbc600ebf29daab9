// What a variable is bound to while matching: a thing, a type, or a value.
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { Value } from '../common/values.js';
import type { Thing, ThingReader } from '../concept/things.js';
import { iidKey } from '../encoding/index.js';

export type Binding =
  | { readonly kind: 'thing'; readonly thing: Thing; value?: Value }
  | { readonly kind: 'type'; readonly type: SchemaType }
  | { readonly kind: 'value'; readonly value: Value };

export type Row = Map<string, Binding>;

export function sameBinding(a: Binding, b: Binding): boolean {
  if (a.kind === 'thing' && b.kind === 'thing') return Buffer.compare(a.thing.iid, b.thing.iid) === 0;
  if (a.kind === 'type' && b.kind === 'type') return a.type.id === b.type.id;
  return false;
}

/** The value of an attribute or value binding, or undefined for entities, relations and types. */
export function valueOf(b: Binding, things: ThingReader): Value | undefined {
  if (b.kind === 'value') return b.value;
  if (b.kind === 'thing' && b.thing.type.root === 'attribute') {
    b.value ??= things.attributeValue(b.thing.iid);
    return b.value;
  }
  return undefined;
}

/** `type` is `ancestor` or below it; every non-role type is below the root `thing`. */
export function isSubtype(schema: SchemaReader, type: SchemaType, ancestor: SchemaType): boolean {
  if (ancestor.root === 'thing') return type.root !== 'role';
  return schema.isSubtypeOf(type, ancestor);
}

/** The type and all its supertypes, including the root `thing` for things. */
export function supertypesWithRoot(schema: SchemaReader, type: SchemaType): SchemaType[] {
  const supers = schema.supertypes(type);
  if (type.root !== 'role') {
    const thing = schema.get('thing');
    if (thing && !supers.some((t) => t.id === thing.id)) supers.push(thing);
  }
  return supers;
}

/** A key identifying a binding, for deduplication and grouping. */
export function bindingKey(b: Binding | undefined, things: ThingReader): string {
  if (b === undefined) return '-';
  if (b.kind === 'thing') return 't' + iidKey(b.thing.iid);
  if (b.kind === 'type') return 'T' + b.type.id;
  const v = valueOf(b, things)!;
  return `v${v.type}:${String(v.value)}`;
}
