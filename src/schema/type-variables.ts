// The type statements of a define/undefine query, merged by label as TypeDB's VariableRegistry does:
// `person sub entity; person owns name;` is one variable `person` with both constraints.
import type { Annotation, Label, TypeRef, TypeStatement, ValueTypeName } from '../typeql/ast.js';
import { TypeQL, TypeWrite } from './errors.js';
import { printLabel as labelString } from '../typeql/index.js';

export interface OwnsConstraint {
  readonly attribute: Label;
  readonly overridden?: Label;
  readonly annotations: readonly Annotation[];
}

export interface RoleConstraint {
  readonly role: Label;
  readonly overridden?: Label;
}

export interface TypeVariable {
  readonly label: Label;
  sub?: { readonly type: Label; readonly explicit: boolean };
  abstract: boolean;
  valueType?: ValueTypeName;
  regex?: string;
  readonly owns: OwnsConstraint[];
  readonly plays: RoleConstraint[];
  readonly relates: RoleConstraint[];
  /** Any constraint at all (a role label may only be mentioned, never constrained, outside its relation). */
  constrained: boolean;
}

function label(ref: TypeRef): Label {
  if (ref.kind !== 'label') throw TypeQL.invalidDefineQueryVariable();
  return ref.label;
}

function optionalLabel(ref: TypeRef | undefined): Label | undefined {
  return ref === undefined ? undefined : label(ref);
}

export function mergeTypeStatements(statements: readonly TypeStatement[]): Map<string, TypeVariable> {
  const variables = new Map<string, TypeVariable>();
  for (const s of statements) {
    const subject = label(s.subject);
    const key = labelString(subject);
    let v = variables.get(key);
    if (!v) {
      v = { label: subject, abstract: false, owns: [], plays: [], relates: [], constrained: false };
      variables.set(key, v);
    }
    const seen = new Map<string, string>();
    const once = (kind: string, text: string) => {
      const previous = seen.get(kind);
      if (previous !== undefined) throw TypeQL.illegalConstraintRepetition(key, previous, text);
      seen.set(kind, text);
    };
    for (const c of s.constraints) {
      v.constrained = true;
      switch (c.kind) {
        case 'sub': {
          const type = label(c.type);
          once('sub', `sub ${labelString(type)}`);
          if (v.sub && labelString(v.sub.type) !== labelString(type)) {
            throw TypeQL.illegalConstraintRepetition(key, `sub ${labelString(v.sub.type)}`, `sub ${labelString(type)}`);
          }
          v.sub = { type, explicit: c.explicit };
          break;
        }
        case 'abstract':
          once('abstract', 'abstract');
          v.abstract = true;
          break;
        case 'value':
          once('value', `value ${c.valueType}`);
          if (v.valueType !== undefined && v.valueType !== c.valueType) {
            throw TypeQL.illegalConstraintRepetition(key, `value ${v.valueType}`, `value ${c.valueType}`);
          }
          v.valueType = c.valueType;
          break;
        case 'regex':
          once('regex', `regex "${c.regex}"`);
          if (v.regex !== undefined && v.regex !== c.regex) {
            throw TypeQL.illegalConstraintRepetition(key, `regex "${v.regex}"`, `regex "${c.regex}"`);
          }
          v.regex = c.regex;
          break;
        case 'owns':
          v.owns.push({ attribute: label(c.attribute), overridden: optionalLabel(c.overridden), annotations: c.annotations });
          break;
        case 'plays':
          v.plays.push({ role: label(c.role), overridden: optionalLabel(c.overridden) });
          break;
        case 'relates':
          v.relates.push({ role: label(c.role), overridden: optionalLabel(c.overridden) });
          break;
        case 'type':
          throw TypeWrite.typeConstraintUnaccepted('type');
      }
    }
  }
  return variables;
}
