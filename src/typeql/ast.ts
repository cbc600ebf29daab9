// The typed AST of TypeQL 2.x. Pure data: no behaviour, no dependencies.
// parse(print(ast)) must deep-equal ast, so every field here is something the printer writes back.

/** A type label, optionally scoped by its relation type (`marriage:wife`). */
export interface Label {
  readonly scope?: string;
  readonly name: string;
}

/** `$name` — a concept variable. The anonymous `$_` is parsed with name `_`; each occurrence is distinct. */
export interface ConceptVar {
  readonly kind: 'concept-var';
  readonly name: string;
}

/** `?name` — a value variable. */
export interface ValueVar {
  readonly kind: 'value-var';
  readonly name: string;
}

export type Variable = ConceptVar | ValueVar;

/** A type written as a label (possibly scoped) or as a concept variable. */
export type TypeRef = { readonly kind: 'label'; readonly label: Label } | ConceptVar;

export type ValueTypeName = 'long' | 'double' | 'string' | 'boolean' | 'datetime';

/**
 * A literal as written. Longs are bigint (64-bit fidelity). Datetimes are milliseconds since the epoch of a
 * zone-free local date-time (they are never shifted by a time zone).
 */
export type Literal =
  | { readonly kind: 'long'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'datetime'; readonly value: number };

export type Comparator = '==' | '!=' | '>' | '>=' | '<' | '<=' | '=';

/**
 * A predicate on a value. `op` is absent for a bare literal (`$a "Bob" isa name`, `has name "Bob"`),
 * which means equality. `contains` and `like` always take a string literal.
 */
export type Predicate =
  | { readonly kind: 'compare'; readonly op?: Comparator; readonly operand: Literal | ConceptVar | ValueVar }
  | { readonly kind: 'contains' | 'like'; readonly operand: string };

// ---------------------------------------------------------------------------------------------------------------
// Expressions (value variables)

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';
export type FunctionName = 'floor' | 'ceil' | 'round' | 'abs' | 'max' | 'min';

/**
 * `parens` counts the pairs of parentheses written around the expression: TypeQL keeps them (its Parenthesis node) and
 * prints them back as `( … )`, so `($a * 2) + 1` is exported as written. They carry no meaning otherwise; the printer
 * also adds a pair where precedence needs one and none was written (an AST built by hand).
 */
export type Expression = (
  | { readonly kind: 'literal'; readonly value: Literal }
  | { readonly kind: 'var'; readonly variable: ConceptVar | ValueVar }
  | { readonly kind: 'binary'; readonly op: ArithmeticOp; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Expression[] }
) & { readonly parens?: number };

// ---------------------------------------------------------------------------------------------------------------
// Statements

export type Annotation = 'key' | 'unique';

export type TypeConstraint =
  | { readonly kind: 'sub'; readonly explicit: boolean; readonly type: TypeRef } // `sub` / `sub!`
  | { readonly kind: 'abstract' }
  | {
      readonly kind: 'owns';
      readonly attribute: TypeRef;
      readonly overridden?: TypeRef;
      readonly annotations: readonly Annotation[];
    }
  | { readonly kind: 'plays'; readonly role: TypeRef; readonly overridden?: TypeRef }
  | { readonly kind: 'relates'; readonly role: TypeRef; readonly overridden?: TypeRef }
  | { readonly kind: 'value'; readonly valueType: ValueTypeName }
  | { readonly kind: 'regex'; readonly regex: string }
  | { readonly kind: 'type'; readonly label: TypeRef }; // `$t type person;`

/** `person sub entity, owns name @key;` or `$t sub $s;` */
export interface TypeStatement {
  readonly kind: 'type-statement';
  readonly subject: TypeRef;
  readonly constraints: readonly TypeConstraint[];
}

/** `role: $p` or a bare `$p`. The role is a label (possibly scoped) or a variable. */
export interface RolePlayer {
  readonly role?: TypeRef;
  readonly player: ConceptVar;
}

/** `has name $n`, `has name "Bob"`, `has age > 5`, `has name ?v`, `has $a` (no type). */
export interface HasConstraint {
  readonly attributeType?: Label;
  readonly value: ConceptVar | ValueVar | Predicate;
}

/**
 * Every thing statement, in the printer's canonical order:
 * `[$var] [(role: $p, …)] [predicate] [isa[!] T | iid 0x…][, has …]*`.
 * Examples: `$x isa person, has name "a"`, `$r (wife: $x) isa marriage`, `$a "Bob" isa name`, `$x > 5`,
 * `$x iid 0x1234`, `$x has name $n`, `(friend: $a) isa friendship`.
 */
export interface ThingStatement {
  readonly kind: 'thing-statement';
  readonly variable?: ConceptVar;
  readonly relation?: readonly RolePlayer[];
  readonly predicate?: Predicate;
  readonly isa?: { readonly type: TypeRef; readonly explicit: boolean };
  readonly iid?: string; // lower-case hex with its `0x` prefix, as written
  readonly has: readonly HasConstraint[];
}

/** `?v = <expression>;` or `?v > 5;` */
export interface ValueStatement {
  readonly kind: 'value-statement';
  readonly variable: ValueVar;
  readonly assignment?: Expression;
  readonly predicate?: Predicate;
}

/** `$x is $y;` */
export interface IsStatement {
  readonly kind: 'is-statement';
  readonly left: ConceptVar;
  readonly right: ConceptVar;
}

export type Statement = TypeStatement | ThingStatement | ValueStatement | IsStatement;

// ---------------------------------------------------------------------------------------------------------------
// Patterns

export type Pattern =
  | Statement
  | { readonly kind: 'conjunction'; readonly patterns: readonly Pattern[] } // `{ p; q; };`
  | { readonly kind: 'disjunction'; readonly branches: readonly (readonly Pattern[])[] } // `{ … } or { … };`
  | { readonly kind: 'negation'; readonly patterns: readonly Pattern[] }; // `not { … };`

// ---------------------------------------------------------------------------------------------------------------
// Definables

export interface RuleDefinition {
  readonly kind: 'rule';
  readonly label: string;
  /** Absent in `undefine rule label;`. */
  readonly when?: readonly Pattern[];
  readonly then?: ThingStatement;
}

export type Definable = TypeStatement | RuleDefinition;

// ---------------------------------------------------------------------------------------------------------------
// Queries

export interface SortKey {
  readonly variable: Variable;
  readonly order?: 'asc' | 'desc';
}

export interface Modifiers {
  readonly sort?: readonly SortKey[];
  readonly offset?: number;
  readonly limit?: number;
}

export type AggregateMethod = 'count' | 'sum' | 'max' | 'min' | 'mean' | 'median' | 'std';

export interface DefineQuery {
  readonly kind: 'define';
  readonly definables: readonly Definable[];
}

export interface UndefineQuery {
  readonly kind: 'undefine';
  readonly definables: readonly Definable[];
}

/** `insert …;` alone, or `match … insert …;`. */
export interface InsertQuery {
  readonly kind: 'insert';
  readonly match?: readonly Pattern[];
  readonly statements: readonly Statement[];
  readonly modifiers: Modifiers;
}

export interface DeleteQuery {
  readonly kind: 'delete';
  readonly match: readonly Pattern[];
  readonly statements: readonly Statement[];
  readonly modifiers: Modifiers;
}

/** `match … delete … insert …;` */
export interface UpdateQuery {
  readonly kind: 'update';
  readonly match: readonly Pattern[];
  readonly deletes: readonly Statement[];
  readonly inserts: readonly Statement[];
  readonly modifiers: Modifiers;
}

/** `match … get [$a, $b];` — an empty filter means every named variable. */
export interface GetQuery {
  readonly kind: 'get';
  readonly match: readonly Pattern[];
  readonly filter: readonly Variable[];
  readonly modifiers: Modifiers;
}

/** `match … get …; count;` or `sum $x;` (count takes no variable). */
export interface GetAggregateQuery {
  readonly kind: 'get-aggregate';
  readonly get: GetQuery;
  readonly method: AggregateMethod;
  readonly variable?: Variable;
}

export interface GetGroupQuery {
  readonly kind: 'get-group';
  readonly get: GetQuery;
  readonly group: Variable;
}

export interface GetGroupAggregateQuery {
  readonly kind: 'get-group-aggregate';
  readonly get: GetQuery;
  readonly group: Variable;
  readonly method: AggregateMethod;
  readonly variable?: Variable;
}

/** A key in a fetch answer: a bare label or a quoted string (the printer quotes when needed). */
export type FetchProjection =
  | {
      readonly kind: 'variable';
      readonly variable: Variable;
      readonly as?: string;
      /** Present for `$x: name, age as "her age";` */
      readonly attributes?: readonly { readonly type: Label; readonly as?: string }[];
    }
  | { readonly kind: 'subquery'; readonly key: string; readonly query: FetchQuery | GetAggregateQuery };

export interface FetchQuery {
  readonly kind: 'fetch';
  readonly match: readonly Pattern[];
  readonly projections: readonly FetchProjection[];
  readonly modifiers: Modifiers;
}

export type Query =
  | DefineQuery
  | UndefineQuery
  | InsertQuery
  | DeleteQuery
  | UpdateQuery
  | GetQuery
  | GetAggregateQuery
  | GetGroupQuery
  | GetGroupAggregateQuery
  | FetchQuery;
