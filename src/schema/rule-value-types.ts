// The value types a value variable of a rule's `when` may hold, worked out from its assignment (`?v = $s / 2;`) as
// the expression's evaluation gives them: a literal its own, a concept variable the value types of the attribute
// types it may be, `/` a double, other arithmetic a long only from two longs, floor/ceil/round a long. TypeDB checks
// at define that a rule concludes with such a variable only values its attribute type can hold ([RUW09]).
import type { ValueType } from '../common/values.js';
import type { Expression, Statement } from '../typeql/ast.js';

/** The value types of a variable; undefined when they cannot be told (the rule is then not refused for them). */
export type ValueTypesOf = (variable: { kind: 'concept-var' | 'value-var'; name: string }) => ReadonlySet<ValueType> | undefined;

/** The value types `?name` may hold, from its assignment among `statements`; undefined when unknown. */
export function valueVariableTypes(name: string, statements: readonly Statement[], conceptTypes: ValueTypesOf, seen = new Set<string>()): Set<ValueType> | undefined {
  if (seen.has(name)) return undefined;
  seen.add(name);
  const assignment = statements.find((s) => s.kind === 'value-statement' && s.variable.name === name && s.assignment !== undefined);
  if (assignment?.kind !== 'value-statement' || assignment.assignment === undefined) return undefined;
  const typesOf: ValueTypesOf = (v) => (v.kind === 'value-var' ? valueVariableTypes(v.name, statements, conceptTypes, seen) : conceptTypes(v));
  return expressionTypes(assignment.assignment, typesOf);
}

function expressionTypes(e: Expression, typesOf: ValueTypesOf): Set<ValueType> | undefined {
  switch (e.kind) {
    case 'literal':
      return new Set([e.value.kind]);
    case 'var': {
      const types = typesOf(e.variable);
      return types === undefined ? undefined : new Set(types);
    }
    case 'binary': {
      if (e.op === '/') return new Set(['double']);
      return arithmetic(expressionTypes(e.left, typesOf), expressionTypes(e.right, typesOf));
    }
    case 'call': {
      if (e.fn === 'floor' || e.fn === 'ceil' || e.fn === 'round') return new Set(['long']);
      const args = e.args.map((a) => expressionTypes(a, typesOf));
      if (args.length === 0) return undefined;
      // abs keeps its argument's type; min and max are a long only over longs.
      return e.fn === 'abs' ? args[0] : args.reduce(arithmetic);
    }
  }
}

/** A long only from two longs, else a double (numbers only: anything else fails when evaluated). */
function arithmetic(left: ReadonlySet<ValueType> | undefined, right: ReadonlySet<ValueType> | undefined): Set<ValueType> | undefined {
  if (left === undefined || right === undefined) return undefined;
  const out = new Set<ValueType>();
  for (const a of left) for (const b of right) out.add(a === 'long' && b === 'long' ? 'long' : 'double');
  return out;
}

/** Whether a value of the type can be stored in an attribute of the value type (a long may become a double). */
export function assignableValueType(from: ValueType, to: ValueType | undefined): boolean {
  return to !== undefined && (from === to || (from === 'long' && to === 'double'));
}
