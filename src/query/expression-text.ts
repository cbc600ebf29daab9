// An expression as TypeDB 2.x prints it in its errors (its ExpressionImpl.toString): variables by name, numbers as
// Java prints them, infix operations joined by their operator without spaces or parentheses, functions as
// `name(a, b)`, and a long operand of a double operation inside the `double(…)` conversion TypeDB wraps it in.
import type { Expression } from '../typeql/ast.js';
import type { Value } from '../common/values.js';
import { javaDouble } from '../common/java-double.js';

type ValueType = Value['type'];

interface Typed {
  readonly text: string;
  /** Undefined when a variable's type is not known. */
  readonly type: ValueType | undefined;
}

/** The expression's text and value type, variables typed by `typeOf` (undefined: unknown, nothing converted). */
export function expressionText(e: Expression, typeOf: (name: string) => ValueType | undefined): Typed {
  switch (e.kind) {
    case 'literal': {
      const { value } = e;
      const text = value.kind === 'double' ? javaDouble(value.value) : String(value.value);
      return { text, type: value.kind };
    }
    case 'var': {
      const sigil = e.variable.kind === 'value-var' ? '?' : '$';
      return { text: `${sigil}${e.variable.name}`, type: typeOf(e.variable.name) };
    }
    case 'binary': {
      const [left, right] = operandTexts([expressionText(e.left, typeOf), expressionText(e.right, typeOf)]);
      // A division of two longs gives a double without converting its operands.
      const type = e.op === '/' ? 'double' : left!.type && right!.type;
      return { text: `${left!.text}${e.op}${right!.text}`, type };
    }
    case 'call': {
      const args = e.fn === 'max' || e.fn === 'min'
        ? operandTexts(e.args.map((a) => expressionText(a, typeOf)))
        : e.args.map((a) => expressionText(a, typeOf));
      const rounds = e.fn === 'floor' || e.fn === 'ceil' || e.fn === 'round';
      return { text: `${e.fn}(${args.map((a) => a.text).join(', ')})`, type: rounds ? 'long' : args[0]?.type };
    }
  }
}

/** The operands of one operation as TypeDB has them: all doubles once any is, the longs converted by `double(…)`. */
export function operandTexts(operands: readonly Typed[]): Typed[] {
  if (!operands.some((o) => o.type === 'double')) return [...operands];
  // A long is converted only once every operand's type is known, as the operands are typed together.
  if (operands.some((o) => o.type === undefined)) return [...operands];
  return operands.map((o) => (o.type === 'long' ? { text: `double(${o.text})`, type: 'double' } : o));
}

/** The arguments of a function as TypeDB lists them in [EXP07]: their texts, comma-separated. */
export function argumentsText(args: readonly Expression[]): string {
  return args.map((a) => expressionText(a, () => undefined).text).join(', ');
}
