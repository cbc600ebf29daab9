// Runs one TypeQL query on a transaction to completion (lazy answers are consumed, so late errors surface)
// and checks that the engine ran it as the kind of query the step expects.
import type { JSONValue, QueryResult, Transaction } from '../src/database/api.js';
import type { ConceptMap } from '../src/concept/concepts.js';
import type { Value } from '../src/common/values.js';
import type { AnswerGroup, ValueGroup } from './world.js';

type Kind = QueryResult['kind'];
/** The result variants that can carry kind K (some variants cover two kinds, e.g. insert | update). */
type ResultOf<K extends Kind> = QueryResult extends infer R
  ? R extends { readonly kind: infer RK }
    ? K extends RK
      ? R
      : never
    : never
  : never;

function execute<K extends Kind>(tx: Transaction, text: string, expected: K): ResultOf<K> {
  const result = tx.query(text);
  if (result.kind !== expected) {
    throw new Error(`the step expects a ${expected} query, but the engine ran it as ${result.kind}:\n${text}`);
  }
  return result as ResultOf<K>;
}

export function runDefine(tx: Transaction, text: string): void {
  execute(tx, text, 'define');
}

export function runUndefine(tx: Transaction, text: string): void {
  execute(tx, text, 'undefine');
}

export function runDelete(tx: Transaction, text: string): void {
  execute(tx, text, 'delete');
}

export function runInsert(tx: Transaction, text: string): ConceptMap[] {
  return Array.from(execute(tx, text, 'insert').answers);
}

export function runUpdate(tx: Transaction, text: string): ConceptMap[] {
  return Array.from(execute(tx, text, 'update').answers);
}

export function runGet(tx: Transaction, text: string): ConceptMap[] {
  return Array.from(execute(tx, text, 'get').answers);
}

export function runAggregate(tx: Transaction, text: string): Value | undefined {
  return execute(tx, text, 'aggregate').value;
}

export function runGroup(tx: Transaction, text: string): AnswerGroup[] {
  return Array.from(execute(tx, text, 'group').groups, (g) => ({ owner: g.owner, answers: Array.from(g.answers) }));
}

export function runGroupAggregate(tx: Transaction, text: string): ValueGroup[] {
  return Array.from(execute(tx, text, 'group-aggregate').groups, (g) => ({ owner: g.owner, value: g.value }));
}

export function runFetch(tx: Transaction, text: string): JSONValue[] {
  return Array.from(execute(tx, text, 'fetch').answers);
}
