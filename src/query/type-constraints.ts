// Checking a schema constraint of a pattern (`sub`, `owns`, `plays`, `relates`, `value`, `regex`, `abstract`, a
// type's label) once its type operands are bound.
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { isSubtype } from './bindings.js';
import type { Constraint, TypeOperand } from './ir.js';

export type TypeConstraint = Extract<Constraint, { kind: 'label' | 'sub' | 'owns' | 'plays' | 'relates' | 'value-type' | 'regex' | 'abstract' }>;

export function isTypeConstraint(c: Constraint): c is TypeConstraint {
  switch (c.kind) {
    case 'label':
    case 'sub':
    case 'owns':
    case 'plays':
    case 'relates':
    case 'value-type':
    case 'regex':
    case 'abstract':
      return true;
    default:
      return false;
  }
}

/** Whether `c` holds, its type operands read through `typeOf`; `subtype` answers as bindings.ts's isSubtype does. */
export function checkTypeConstraint(
  s: SchemaReader,
  c: TypeConstraint,
  typeOf: (operand: TypeOperand) => SchemaType,
  subtype: (type: SchemaType, ancestor: SchemaType) => boolean = (type, ancestor) => isSubtype(s, type, ancestor),
): boolean {
  switch (c.kind) {
    case 'label':
      return typeOf({ kind: 'var', name: c.variable }).id === c.type.id;
    case 'sub': {
      const sub = typeOf(c.subtype);
      const sup = typeOf(c.supertype);
      if (c.explicit) return sub.supertype?.id === sup.id || (sup.root === 'thing' && sub.isMeta && sub.root !== 'thing' && sub.root !== 'role');
      return subtype(sub, sup);
    }
    case 'owns': {
      const ownership = s.owns(typeOf(c.owner)).get(typeOf(c.attribute).id);
      if (!ownership) return false;
      if (c.annotations.includes('key') && !ownership.key) return false;
      if (c.annotations.includes('unique') && !ownership.unique) return false;
      if (c.overridden && ownership.overridden?.id !== typeOf(c.overridden).id) return false;
      return true;
    }
    case 'plays': {
      const playing = s.plays(typeOf(c.player)).get(typeOf(c.role).id);
      if (!playing) return false;
      return !c.overridden || playing.overridden?.id === typeOf(c.overridden).id;
    }
    case 'relates': {
      const relation = typeOf(c.relation);
      const role = typeOf(c.role);
      if (!s.relates(relation).some((r) => r.id === role.id)) return false;
      return !c.overridden || role.supertype?.id === typeOf(c.overridden).id;
    }
    case 'value-type':
      return typeOf(c.type).valueType === c.valueType;
    case 'regex':
      return typeOf(c.type).regex === c.regex;
    case 'abstract':
      return typeOf(c.type).abstract;
  }
}
