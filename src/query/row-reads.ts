// Reading what a search row binds a variable to, as the kind the pattern uses it as: a variable bound to a thing
// but used as a type (or the reverse) is the user's error, QRY12, wherever the matcher meets it.
import type { SchemaType } from '../schema/api.js';
import type { Thing, ThingReader } from '../concept/things.js';
import type { Value } from '../common/values.js';
import { StrataError } from '../common/errors.js';
import type { Constraint, TypeOperand } from './ir.js';
import { valueOf, type Row } from './bindings.js';
import { evaluate } from './expressions.js';

export function typeOf(o: TypeOperand, row: Row): SchemaType {
  if (o.kind === 'fixed') return o.type;
  const b = row.get(o.name)!;
  if (b.kind !== 'type') throw new StrataError('QRY', 12, `The variable '$${o.name}' is bound to a thing, but is used as a type.`);
  return b.type;
}

export function thingOf(name: string, row: Row): Thing {
  const b = row.get(name)!;
  if (b.kind !== 'thing') throw new StrataError('QRY', 12, `The variable '$${name}' is bound to a type, but is used as a thing.`);
  return b.thing;
}

export function valueIn(name: string, row: Row, things: ThingReader): Value | undefined {
  return valueOf(row.get(name)!, things);
}

/** The value an assignment's expression takes over the row's bindings. */
export function assignedValue(c: Extract<Constraint, { kind: 'assign' }>, row: Row, things: ThingReader): Value {
  return evaluate(c.expression, (name) => {
    const b = row.get(name);
    const v = b && valueOf(b, things);
    if (v === undefined) throw new StrataError('EXP', 4, `The variable '${name}' does not hold a value usable in an expression.`);
    return v;
  });
}
