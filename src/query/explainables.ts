// Explainable answers (TypeDB 2.x `explain` option): an answer of a reasoning transaction names each inferred
// concept a constraint of its match bound — an inferred relation (`relations`), an inferred attribute
// (`attributes`), an inferred ownership (`ownerships`, owner variable → attribute variable) — with an id the
// transaction can explain (explanations.ts). Ids count from 0 per transaction, as in TypeDB; each id keeps what it
// needs to be explained later: the constraint, the answer's bindings, and the reasoning it was matched over.
import type { Derivation, ExplainedFact } from '../reasoner/index.js';
import type { ThingReader } from '../concept/things.js';
import { labelText } from '../schema/labels.js';
import { StrataError } from '../common/errors.js';
import { isInternal, INTERNAL_PREFIX, type Conjunction, type Constraint, type RolePlayerConstraint, type TypeOperand } from './ir.js';
import type { Binding, Row } from './bindings.js';

export interface Explainable {
  /** The constraint that the inferred concept satisfies, as TypeQL (`{ $r (friend: $a) isa friendship; }`). */
  readonly conjunction: string;
  readonly id: number;
}

export interface Explainables {
  readonly relations: ReadonlyMap<string, Explainable>;
  readonly attributes: ReadonlyMap<string, Explainable>;
  /** Owner variable → attribute variable → explainable. */
  readonly ownerships: ReadonlyMap<string, ReadonlyMap<string, Explainable>>;
}

export const NO_EXPLAINABLES: Explainables = { relations: new Map(), attributes: new Map(), ownerships: new Map() };

/** What an explainable stands for: the concluded fact and the variables of the constraint that bound it. */
export type Concludable =
  | { readonly kind: 'relation'; readonly relation: string; readonly players: readonly RolePlayerConstraint[] }
  | { readonly kind: 'ownership'; readonly owner: string; readonly attribute: string }
  | { readonly kind: 'attribute'; readonly attribute: string };

export type Derivations = (fact: ExplainedFact) => Derivation[];

export interface ExplainableRecord {
  readonly concludable: Concludable;
  readonly fact: ExplainedFact;
  /** The answer's bindings of the concludable's variables. */
  readonly bindings: ReadonlyMap<string, Binding>;
  readonly derivations: Derivations;
  /** The reader the answer was matched over (it sees the inferred facts). */
  readonly things: ThingReader;
}

/** The explainables a transaction has handed out, by id. */
export class ExplainableLedger {
  private readonly records: ExplainableRecord[] = [];

  add(record: ExplainableRecord): number {
    this.records.push(record);
    return this.records.length - 1;
  }

  get(id: number): ExplainableRecord {
    const record = Number.isSafeInteger(id) ? this.records[id] : undefined;
    if (record === undefined) {
      throw new StrataError(
        'RSN',
        9,
        `There is no explainable with id ${id} in this transaction: explain only the explainables of answers received in the same transaction, with the 'explain' option on.`,
      );
    }
    return record;
  }
}

/** Variable names as answers show them: generated ones as TypeDB names anonymous variables (`_1`). */
export function answerName(name: string): string {
  return isInternal(name) ? `_${name.slice(INTERNAL_PREFIX.length)}` : name;
}

/**
 * The explainables of one answer (its whole row, before projection): of the constraints of the conjunction and of
 * its disjunctions' branches (not negations, which bind nothing); each gets a new id in the ledger.
 */
export function explainablesOf(conjunction: Conjunction, row: Row, things: ThingReader, derivations: Derivations, ledger: ExplainableLedger): Explainables {
  const relations = new Map<string, Explainable>();
  const attributes = new Map<string, Explainable>();
  const ownerships = new Map<string, Map<string, Explainable>>();
  const constraints = positiveConstraints(conjunction);
  const typeOf = (variable: string) => constraints.find((c): c is Extract<Constraint, { kind: 'isa' }> => c.kind === 'isa' && c.thing === variable)?.type;
  const ownedAttributes = new Set(constraints.flatMap((c) => (c.kind === 'has' ? [c.attribute] : [])));
  const record = (concludable: Concludable, fact: ExplainedFact, variables: readonly string[], text: string): Explainable => {
    const bindings = new Map<string, Binding>();
    for (const v of variables) {
      const b = row.get(v);
      if (b) bindings.set(v, b);
    }
    return { conjunction: text, id: ledger.add({ concludable, fact, bindings, derivations, things }) };
  };

  for (const c of constraints) {
    if (c.kind === 'relation') {
      const relation = thingOf(row, c.relation);
      if (relation === undefined || relations.has(answerName(c.relation)) || !things.isInferred(relation.iid)) continue;
      const text = `{ $${answerName(c.relation)} (${c.players.map(playerText).join(', ')})${isaText(typeOf(c.relation))}; }`;
      const players = c.players.map((p) => p.player);
      relations.set(answerName(c.relation), record({ kind: 'relation', relation: c.relation, players: c.players }, { kind: 'relation', relation }, [c.relation, ...players], text));
    } else if (c.kind === 'has') {
      const owner = thingOf(row, c.owner);
      const attribute = thingOf(row, c.attribute);
      if (owner === undefined || attribute === undefined || !things.isInferredOwnership(owner.iid, attribute.iid)) continue;
      const type = typeOf(c.attribute);
      const text = `{ $${answerName(c.owner)} has ${type?.kind === 'fixed' ? `${labelText(type.type.label)} ` : ''}$${answerName(c.attribute)}; }`;
      const explainable = record({ kind: 'ownership', owner: c.owner, attribute: c.attribute }, { kind: 'ownership', owner, attribute }, [c.owner, c.attribute], text);
      let owned = ownerships.get(answerName(c.owner));
      if (owned === undefined) ownerships.set(answerName(c.owner), (owned = new Map()));
      owned.set(answerName(c.attribute), explainable);
    }
  }
  // A relation or attribute bound by `isa` alone (an attribute of a `has` is explained by its ownership).
  for (const c of constraints) {
    if (c.kind !== 'isa') continue;
    const thing = thingOf(row, c.thing);
    const name = answerName(c.thing);
    if (thing === undefined || !things.isInferred(thing.iid)) continue;
    const text = `{ $${name}${isaText(c.type)}; }`;
    if (thing.type.root === 'relation' && !relations.has(name)) {
      relations.set(name, record({ kind: 'relation', relation: c.thing, players: [] }, { kind: 'relation', relation: thing }, [c.thing], text));
    } else if (thing.type.root === 'attribute' && !ownedAttributes.has(c.thing) && !attributes.has(name)) {
      attributes.set(name, record({ kind: 'attribute', attribute: c.thing }, { kind: 'attribute', attribute: thing }, [c.thing], text));
    }
  }
  return { relations, attributes, ownerships };
}

function positiveConstraints(conjunction: Conjunction): Constraint[] {
  return conjunction.constraints.flatMap((c) => (c.kind === 'disjunction' ? c.branches.flatMap(positiveConstraints) : [c]));
}

function thingOf(row: Row, variable: string) {
  const b = row.get(variable);
  return b?.kind === 'thing' ? b.thing : undefined;
}

function typeText(type: TypeOperand): string {
  return type.kind === 'var' ? `$${answerName(type.name)}` : labelText(type.type.label);
}

function isaText(type: TypeOperand | undefined): string {
  return type === undefined ? '' : ` isa ${typeText(type)}`;
}

function playerText(p: RolePlayerConstraint): string {
  const player = `$${answerName(p.player)}`;
  if (p.role === undefined) return player;
  const role = p.role.kind === 'named' ? p.role.name : typeText(p.role);
  return `${role}: ${player}`;
}
