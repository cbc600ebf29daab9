// The TypeQL 2.x vocabulary, as the typeql 2.28 grammar splits it. The lexer only knows words; which word is a
// keyword and which is a label is decided here, because most keywords are "unreserved" and may also name types.

import type { AggregateMethod, FunctionName, ValueTypeName } from './ast.js';

/**
 * Words that can never be labels. Everything else the lexer calls a word may be a label: plain identifiers, the
 * native types (`thing entity attribute relation role`) and the grammar's unreserved keywords (`value floor ceil
 * round abs min max median mean std sum count get sort limit offset group contains rule`).
 */
const RESERVED: ReadonlySet<string> = new Set([
  'match', 'define', 'undefine', 'insert', 'delete', 'compute', 'fetch',
  'asc', 'desc',
  'type', 'abstract', 'sub', 'sub!', 'owns', 'regex', 'as', 'plays', 'relates', 'when', 'then',
  'iid', 'isa', 'isa!', 'has', 'is', 'or', 'not', 'like',
  'long', 'double', 'string', 'boolean', 'datetime',
  'true', 'false',
]);

export function isReserved(word: string): boolean {
  return RESERVED.has(word);
}

/** The grammar's unreserved keywords and native types: labels where a `label` may stand, but never a bare LABEL_. */
const UNRESERVED: ReadonlySet<string> = new Set([
  'thing', 'entity', 'attribute', 'relation', 'role', 'rule',
  'value', 'floor', 'ceil', 'round', 'abs', 'min', 'max', 'median', 'mean', 'std', 'sum', 'count',
  'get', 'sort', 'limit', 'offset', 'group', 'contains',
]);

/** Whether a word is any keyword of the grammar, reserved or not. */
export function isKeyword(word: string): boolean {
  return RESERVED.has(word) || UNRESERVED.has(word);
}

/** Words that begin a constraint of a type statement (`$t sub entity`, `person owns name`). */
const TYPE_CONSTRAINT_WORDS: ReadonlySet<string> = new Set([
  'sub', 'sub!', 'abstract', 'owns', 'plays', 'relates', 'value', 'regex', 'type',
]);

export function isTypeConstraintWord(word: string): boolean {
  return TYPE_CONSTRAINT_WORDS.has(word);
}

const AGGREGATE_METHODS: ReadonlySet<string> = new Set(['count', 'sum', 'max', 'min', 'mean', 'median', 'std']);

export function isAggregateMethod(word: string): word is AggregateMethod {
  return AGGREGATE_METHODS.has(word);
}

const FUNCTION_NAMES: ReadonlySet<string> = new Set(['floor', 'ceil', 'round', 'abs', 'max', 'min']);

export function isFunctionName(word: string): word is FunctionName {
  return FUNCTION_NAMES.has(word);
}

const VALUE_TYPES: ReadonlySet<string> = new Set(['long', 'double', 'string', 'boolean', 'datetime']);

export function isValueTypeName(word: string): word is ValueTypeName {
  return VALUE_TYPES.has(word);
}
