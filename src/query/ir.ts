// The compiled form of a match: variables and constraints, with type labels resolved against the schema.
import type { Annotation, Comparator, Expression } from '../typeql/ast.js';
import type { SchemaType } from '../schema/api.js';
import type { IID } from '../encoding/index.js';
import type { Value, ValueType } from '../common/values.js';

/** A type position: a type variable, or a type fixed by its label. */
/** What a `like` or `contains` checks a string with: a regular expression, or Java's case-insensitive search. */
export interface StringTest {
  test(value: string): boolean;
}

export type TypeOperand = { readonly kind: 'var'; readonly name: string } | { readonly kind: 'fixed'; readonly type: SchemaType };

/** A compared value: a variable (attribute or value variable) or a literal. */
export type Operand = { readonly kind: 'var'; readonly name: string } | { readonly kind: 'value'; readonly value: Value };

export interface RolePlayerConstraint {
  /** A role type variable, or the role types named by a label (matched with their subroles); undefined = any role. */
  readonly role?: TypeOperand | { readonly kind: 'named'; readonly name: string; readonly roles: readonly SchemaType[] };
  readonly player: string;
}

export type Constraint =
  | { readonly kind: 'isa'; readonly thing: string; readonly type: TypeOperand; readonly explicit: boolean }
  | { readonly kind: 'has'; readonly owner: string; readonly attribute: string }
  | { readonly kind: 'relation'; readonly relation: string; readonly players: readonly RolePlayerConstraint[] }
  | { readonly kind: 'iid'; readonly variable: string; readonly iid: IID }
  | { readonly kind: 'compare'; readonly left: string; readonly op: Comparator; readonly right: Operand }
  | { readonly kind: 'substring'; readonly variable: string; readonly op: 'contains' | 'like'; readonly pattern: string; readonly regex: StringTest }
  | { readonly kind: 'is'; readonly left: string; readonly right: string }
  | {
      readonly kind: 'assign';
      readonly variable: string;
      readonly expression: Expression;
      readonly text: string;
      /** `$x has age ?v`: the value of the attribute `expression` names, not an expression the query wrote. */
      readonly owned?: boolean;
    }
  | { readonly kind: 'sub'; readonly subtype: TypeOperand; readonly supertype: TypeOperand; readonly explicit: boolean }
  | {
      readonly kind: 'owns';
      readonly owner: TypeOperand;
      readonly attribute: TypeOperand;
      readonly annotations: readonly Annotation[];
      readonly overridden?: TypeOperand;
    }
  | { readonly kind: 'plays'; readonly player: TypeOperand; readonly role: TypeOperand; readonly overridden?: TypeOperand }
  | { readonly kind: 'relates'; readonly relation: TypeOperand; readonly role: TypeOperand; readonly overridden?: TypeOperand }
  | { readonly kind: 'value-type'; readonly type: TypeOperand; readonly valueType: ValueType }
  | { readonly kind: 'regex'; readonly type: TypeOperand; readonly regex: string }
  | { readonly kind: 'abstract'; readonly type: TypeOperand }
  | { readonly kind: 'label'; readonly variable: string; readonly type: SchemaType }
  | { readonly kind: 'negation'; readonly body: Conjunction }
  | { readonly kind: 'disjunction'; readonly branches: readonly Conjunction[] };

export type VariableKind = 'thing' | 'type' | 'value';

export interface Conjunction {
  readonly constraints: Constraint[];
  /** Variables introduced in this conjunction (not in nested negations or disjunction branches). */
  readonly variables: Map<string, VariableKind>;
}

/** Names the user wrote (`$x`, `?v`) are kept; generated ones start with this, which no TypeQL name can. */
export const INTERNAL_PREFIX = '#';
export const isInternal = (name: string) => name.startsWith(INTERNAL_PREFIX);
