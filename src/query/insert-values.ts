// The value an insert gives an attribute type, checked as TypeDB 2.x's Inserter does. A literal is read through
// TypeDB's Predicate.Constant casts: a long literal becomes a double for a double attribute type, any other mismatch
// is [QRY01]. A value variable's value is not converted at all (ValueImpl.Long has no asDouble): a long one for a
// double attribute type fails too, with [THR03]. TypeDB's texts name its Java classes; a sentence is added that says
// what was wrong in the query's terms.
import { StrataError, type ErrorPrefix } from '../common/errors.js';
import { JAVA_VALUE_CLASS, formatValue, type Value, type ValueType } from '../common/values.js';

/** Where an inserted attribute's value comes from: a literal, a value variable, or a matched attribute. */
export type InsertedValueSource = 'literal' | 'value-variable' | 'attribute';

/** The value to store for an attribute type of `target` value type, or TypeDB's error for the query. */
export function insertedValue(label: string, target: ValueType, value: Value, source: InsertedValueSource): Value {
  if (value.type === target) return value;
  // A long literal, or a matched long attribute's value, widens to a double (Predicate.Constant.Long.asDouble).
  if (target === 'double' && value.type === 'long' && source !== 'value-variable') return { type: 'double', value: Number(value.value) };
  const why = ` (attribute type '${label}' has value type ${target}, and ${formatValue(value)} is a ${value.type})`;
  const [from, to] = [JAVA_VALUE_CLASS[value.type], JAVA_VALUE_CLASS[target]];
  switch (source) {
    case 'literal':
      return fail('QRY', 1, `The class 'Predicate.Constant.${from}' cannot be casted to 'Predicate.Constant.${to}'.${why}`);
    case 'value-variable':
      return fail('THR', 3, `Invalid concept conversion from 'ValueImpl.${from}' to 'ValueImpl.${to}'.${why}`);
    case 'attribute':
      // TypeDB has no error of its own for this (its Inserter fails with an illegal state).
      return fail('THW', 58, `The attribute type '${label}' has value type ${target}, so it cannot take the ${value.type} value ${formatValue(value)}.`);
  }
}

function fail(prefix: ErrorPrefix, code: number, message: string): never {
  throw new StrataError(prefix, code, message);
}
