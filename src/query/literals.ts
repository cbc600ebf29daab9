// TypeQL literals to engine values.
import type { Literal } from '../typeql/ast.js';
import type { Value } from '../common/values.js';

export function literalToValue(literal: Literal): Value {
  switch (literal.kind) {
    case 'long':
      return { type: 'long', value: literal.value };
    case 'double':
      return { type: 'double', value: literal.value };
    case 'string':
      return { type: 'string', value: literal.value };
    case 'boolean':
      return { type: 'boolean', value: literal.value };
    case 'datetime':
      return { type: 'datetime', value: literal.value };
  }
}
