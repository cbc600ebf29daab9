// Why each inferred fact holds: every (rule, answer of its `when`) that concluded it, recorded while materialising
// when the transaction asks for explanations. A fact is named by a key: an inferred relation or attribute by its
// IID, an inferred ownership by its owner and attribute. Only inferred facts are recorded; a conclusion that the
// data already held explains nothing (TypeDB explains inferred concepts only).
import type { IID } from '../encoding/index.js';
import type { Pattern } from '../typeql/ast.js';
import type { RuleBinding } from './api.js';

/**
 * One way a fact was concluded: the rule, the conjunction of its `when` that matched (one branch of its
 * disjunctive normal form), and that conjunction's answer (every variable, generated ones too).
 */
export interface Derivation {
  readonly rule: string;
  readonly when: readonly Pattern[];
  readonly condition: ReadonlyMap<string, RuleBinding>;
}

export type FactKey = string & { readonly __fact: unique symbol };

const latin1 = (iid: IID) => Buffer.from(iid).toString('latin1');

export function thingFact(iid: IID): FactKey {
  return `t${latin1(iid)}` as FactKey;
}

export function ownershipFact(owner: IID, attribute: IID): FactKey {
  return `h${latin1(owner)}|${latin1(attribute)}` as FactKey;
}

export class Derivations {
  private readonly byFact = new Map<FactKey, Derivation[]>();
  /** Rule and condition of every recorded derivation, per fact: semi-naive rounds can find one answer twice. */
  private readonly seen = new Map<FactKey, Set<string>>();

  record(fact: FactKey, rule: string, when: readonly Pattern[], condition: ReadonlyMap<string, RuleBinding>): void {
    const identity = `${rule}\u0000${conditionKey(condition)}`;
    let seen = this.seen.get(fact);
    if (seen === undefined) this.seen.set(fact, (seen = new Set()));
    if (seen.has(identity)) return;
    seen.add(identity);
    let list = this.byFact.get(fact);
    if (list === undefined) this.byFact.set(fact, (list = []));
    list.push({ rule, when, condition });
  }

  of(fact: FactKey): readonly Derivation[] {
    return this.byFact.get(fact) ?? [];
  }
}

function conditionKey(condition: ReadonlyMap<string, RuleBinding>): string {
  const parts: string[] = [];
  for (const [name, b] of condition) {
    const bound = b.kind === 'thing' ? latin1(b.thing.iid) : b.kind === 'type' ? `T${b.type.id}` : `${b.value.type}:${String(b.value.value)}`;
    parts.push(`${name}=${bound}`);
  }
  return parts.sort().join('\u0001');
}
