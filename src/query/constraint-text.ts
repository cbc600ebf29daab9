// A compiled constraint written back as TypeQL-like text, for error messages: generated variables print as `$_`,
// types by their labels.
import { formatValue } from '../common/values.js';
import { labelText } from '../schema/labels.js';
import type { SchemaType } from '../schema/api.js';
import { isInternal, type Conjunction, type Constraint, type Operand, type TypeOperand, type VariableKind } from './ir.js';

export function constraintText(c: Constraint, kinds: ReadonlyMap<string, VariableKind>): string {
  const v = (name: string) => (isInternal(name) ? '$_' : `${kinds.get(name) === 'value' ? '?' : '$'}${name}`);
  const t = (o: TypeOperand) => (o.kind === 'var' ? v(o.name) : label(o.type));
  const operand = (o: Operand) => (o.kind === 'var' ? v(o.name) : formatValue(o.value));
  switch (c.kind) {
    case 'isa':
      return `${v(c.thing)} ${c.explicit ? 'isa!' : 'isa'} ${t(c.type)}`;
    case 'has':
      return `${v(c.owner)} has ${v(c.attribute)}`;
    case 'relation': {
      const players = c.players.map((p) => {
        const role = p.role === undefined ? '' : p.role.kind === 'named' ? `${p.role.name}: ` : `${t(p.role)}: `;
        return `${role}${v(p.player)}`;
      });
      return `${v(c.relation)} (${players.join(', ')})`;
    }
    case 'iid':
      return `${v(c.variable)} iid 0x${Buffer.from(c.iid).toString('hex')}`;
    case 'compare':
      return `${v(c.left)} ${c.op} ${operand(c.right)}`;
    case 'substring':
      return `${v(c.variable)} ${c.op} "${c.pattern}"`;
    case 'is':
      return `${v(c.left)} is ${v(c.right)}`;
    case 'assign':
      return c.text;
    case 'label':
      return `${v(c.variable)} type ${label(c.type)}`;
    case 'sub':
      return `${t(c.subtype)} ${c.explicit ? 'sub!' : 'sub'} ${t(c.supertype)}`;
    case 'owns':
      return `${t(c.owner)} owns ${t(c.attribute)}`;
    case 'plays':
      return `${t(c.player)} plays ${t(c.role)}`;
    case 'relates':
      return `${t(c.relation)} relates ${t(c.role)}`;
    case 'value-type':
      return `${t(c.type)} value ${c.valueType}`;
    case 'regex':
      return `${t(c.type)} regex "${c.regex}"`;
    case 'abstract':
      return `${t(c.type)} abstract`;
    case 'negation':
      return `not { ${conjunctionText(c.body, kinds)} }`;
    case 'disjunction':
      return c.branches.map((b) => `{ ${conjunctionText(b, kinds)} }`).join(' or ');
  }
}

function conjunctionText(c: Conjunction, outer: ReadonlyMap<string, VariableKind>): string {
  const kinds = new Map([...outer, ...c.variables]);
  return c.constraints.map((k) => `${constraintText(k, kinds)};`).join(' ');
}

function label(type: SchemaType): string {
  return labelText(type.label);
}
