// The facts rules infer in one transaction, kept as keys in an in-memory overlay merged over the transaction's
// view: THING records of inferred relations and attributes, ROLE/ROLE_REV edges of inferred relations, and
// HAS/HAS_REV edges of inferred ownerships. Readers of the merged view see them as if they were stored; nothing
// here is ever committed or exported.
//
// TypeDB's rules for adding a conclusion (logic/Materialiser in TypeDB 2.x):
// - an ownership that already holds (stored or inferred) adds nothing; an inferred ownership of a value reuses
//   the attribute with that value if it exists, and infers the attribute otherwise;
// - a relation is added only if no relation of exactly that type already has those players in those exact roles
//   (at least as many times). Same type and same role-player multiset means the same inferred relation.
import { createHash } from 'node:crypto';
import type { ReadView } from '../storage/api.js';
import { OverlayView } from '../storage/index.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { Thing } from '../concept/things.js';
import type { Value } from '../common/values.js';
import {
  ThingKind,
  type IID,
  attributeIID,
  decodeCount,
  encodeCount,
  encodeValueRecord,
  hasKey,
  hasReverseKey,
  iidKey,
  inferredRelationIID,
  roleKey,
  roleReverseKey,
  roleReversePrefix,
  splitRoleKey,
  thingKey,
  thingTypePrefix,
  typePrefix,
} from '../encoding/index.js';
import type { Inference } from './conclusions.js';
import { InferredThingReader } from './inferred-thing-reader.js';

/**
 * A fact added by a rule: a new thing (relation or attribute), or a new ownership. `seq` numbers facts in the order
 * they were added (from 1), for horizons (see InferredThingReader.horizon).
 */
export type Fact =
  | { readonly kind: 'thing'; readonly thing: Thing; readonly seq: number }
  | { readonly kind: 'has'; readonly owner: Thing; readonly attribute: Thing; readonly seq: number };

const EMPTY = new Uint8Array(0);

/** What adding a conclusion that already holds returns: nearly every conclusion of a closure (one array for all). */
const NO_FACTS: readonly Fact[] = Object.freeze([]);

export class InferredFacts {
  readonly view: OverlayView;
  readonly things: InferredThingReader;
  /** Identities of relation conclusions already decided (inferred, or already held by a relation). */
  private readonly settled = new Set<string>();
  private added = 0;
  /** The most role players (counted with repeats) of a relation inferred so far, by relation type id. */
  private readonly mostPlayersInferred = new Map<number, number>();
  /** Whether the data (without inferred facts) has instances of a relation type, by type id. */
  private readonly storedTypes = new Map<number, boolean>();
  private readonly keyOf = (iid: IID) => this.things.keyOf(iid);

  constructor(
    private readonly base: ReadView,
    private readonly schema: SchemaReader,
  ) {
    this.view = new OverlayView(base);
    this.things = new InferredThingReader(this.view, schema, base);
  }

  /** Number of facts added so far. */
  get count(): number {
    return this.added;
  }

  /** Adds what the inference concludes; returns the facts that are new (none if it already held). */
  add(inference: Inference): readonly Fact[] {
    switch (inference.kind) {
      case 'relation':
        return this.addRelation(inference.type, inference.players);
      case 'has':
        return this.addOwnership(inference.owner, inference.attribute);
      case 'has-value': {
        const value = convert(inference.value, inference.attributeType);
        if (value === undefined) return NO_FACTS;
        return this.addValue(inference.owner, inference.attributeType, value);
      }
    }
  }

  private addValue(owner: Thing, type: SchemaType, value: Value): readonly Fact[] {
    if (!this.schema.owns(owner.type).has(type.id)) return NO_FACTS;
    const iid = attributeIID(type.id, value);
    const attribute: Thing = { iid, type };
    // Read through the view, not the reader: this check is no read demanding facts (see DemandListener).
    if (this.view.has(thingKey(iid))) return this.addOwnership(owner, attribute);
    this.view.put(thingKey(iid), encodeValueRecord(value));
    this.things.addInferredThing(attribute);
    const seq = ++this.added;
    return [{ kind: 'thing', thing: attribute, seq }, ...this.addOwnership(owner, attribute)];
  }

  private addOwnership(owner: Thing, attribute: Thing): readonly Fact[] {
    if (!this.schema.owns(owner.type).has(attribute.type.id)) return NO_FACTS;
    if (this.view.has(hasKey(owner.iid, attribute.iid))) return NO_FACTS;
    this.view.put(hasKey(owner.iid, attribute.iid), EMPTY);
    this.view.put(hasReverseKey(attribute.iid, owner.iid), EMPTY);
    return [{ kind: 'has', owner, attribute, seq: ++this.added }];
  }

  private addRelation(type: SchemaType, players: readonly { role: SchemaType; player: Thing }[]): readonly Fact[] {
    if (players.length === 0) return NO_FACTS;
    for (const { role, player } of players) if (!this.schema.plays(player.type).has(role.id)) return NO_FACTS;
    const identity = relationIdentity(type, players, this.keyOf);
    // Relations are never removed here, so a relation that held once holds for good: repeats cost one lookup (nearly
    // every conclusion of a transitive closure is one: its players are counted only past it).
    if (this.settled.has(identity)) return NO_FACTS;
    this.settled.add(identity);
    const counted = countPlayers(players);
    if (this.mayBeHeld(type, counted) && this.hasRelationWith(type, counted)) return NO_FACTS;
    const iid = this.allocate(type, identity);
    const size = playerTotal(counted);
    if (size > (this.mostPlayersInferred.get(type.id) ?? 0)) this.mostPlayersInferred.set(type.id, size);
    this.view.put(thingKey(iid), EMPTY);
    const relation: Thing = { iid, type };
    for (const { role, player, count } of counted) {
      this.view.put(roleKey(iid, role.id, player.iid), encodeCount(count));
      this.view.put(roleReverseKey(player.iid, role.id, iid), encodeCount(count));
    }
    const seq = ++this.added;
    this.things.addInferredRelation(relation, counted.map(({ role, player, count }) => ({ role, player, relation, count })), seq);
    this.things.addInferredThing(relation);
    return [{ kind: 'thing', thing: relation, seq }];
  }

  /**
   * Whether a relation that holds these players could exist other than one with exactly these players (whose
   * identity is settled already). Not when the type has no stored instances and no inferred relation of it has more
   * players: a relation with at least these players and no more has exactly them. This spares the search below for
   * nearly every conclusion (it walks player ranges, so for transitive closure it cost time growing with the facts).
   */
  private mayBeHeld(type: SchemaType, players: readonly CountedPlayer[]): boolean {
    return this.hasStoredInstances(type) || playerTotal(players) < (this.mostPlayersInferred.get(type.id) ?? 0);
  }

  /**
   * Whether a relation of exactly this type has (at least) these players in these exact roles: a stored one, or an
   * inferred one with more players (an inferred one with exactly these players has this identity, settled already).
   * The data and the overlay are searched apart, the overlay only when some inferred relation of the type has more
   * players: a subject granted hundreds of inferred permissions otherwise had all of them walked, through the merged
   * view, for each new conclusion about it (the bulk of the duplicate checks in the IAM benchmark).
   */
  private hasRelationWith(type: SchemaType, players: readonly CountedPlayer[]): boolean {
    const ranges = (read: (prefix: Uint8Array) => Iterator<[Uint8Array, Uint8Array]>) =>
      players.map((p) => read(concatBytes(roleReversePrefix(p.player.iid, p.role.id), typePrefix(ThingKind.Relation, type.id))));
    if (this.hasStoredInstances(type) && this.heldIn(ranges((prefix) => this.base.prefix(prefix)), players)) return true;
    if (playerTotal(players) >= (this.mostPlayersInferred.get(type.id) ?? 0)) return false;
    return this.heldIn(ranges((prefix) => this.view.ownPrefix(prefix)), players);
  }

  /**
   * Whether a relation in the players' ROLE_REV ranges (one per player, for its role and the type) has them all.
   * Every such relation appears in each range, so the ranges are walked in lockstep and only the shortest one is
   * checked: a hub that plays in many relations costs no more than the rarest player.
   */
  private heldIn(ranges: Iterator<[Uint8Array, Uint8Array]>[], players: readonly CountedPlayer[]): boolean {
    const seen: { relation: IID; count: number }[][] = players.map(() => []);
    let shortest = -1;
    while (shortest < 0) {
      for (let i = 0; i < ranges.length; i++) {
        const step = ranges[i]!.next();
        if (step.done === true) {
          shortest = i;
          break;
        }
        const [key, value] = step.value;
        seen[i]!.push({ relation: splitRoleKey(key)[2], count: decodeCount(value) });
      }
    }
    for (const range of ranges) range.return?.();
    return seen[shortest]!.some(
      ({ relation, count }) =>
        count >= players[shortest]!.count &&
        players.every((p, i) => i === shortest || this.things.playerCount(relation, p.role, p.player.iid) >= p.count),
    );
  }

  private hasStoredInstances(type: SchemaType): boolean {
    let stored = this.storedTypes.get(type.id);
    if (stored === undefined) {
      stored = this.base.prefixKeys(thingTypePrefix(ThingKind.Relation, type.id), { limit: 1 }).next().done !== true;
      this.storedTypes.set(type.id, stored);
    }
    return stored;
  }

  /**
   * The IID for a new relation: a hash of its identity, probing on (astronomically unlikely) collisions. Each
   * identity is allocated once (see settled), so an IID the overlay already holds belongs to another identity.
   */
  private allocate(type: SchemaType, identity: string): IID {
    for (let attempt = 0; ; attempt++) {
      const digest = createHash('sha256').update(attempt === 0 ? identity : `${identity}#${attempt}`, 'latin1').digest();
      const iid = inferredRelationIID(type.id, digest);
      if (!this.view.hasOwn(thingKey(iid))) return iid;
    }
  }
}

interface CountedPlayer {
  readonly role: SchemaType;
  readonly player: Thing;
  readonly count: number;
}

function playerTotal(players: readonly CountedPlayer[]): number {
  let total = 0;
  for (const p of players) total += p.count;
  return total;
}

function countPlayers(players: readonly { role: SchemaType; player: Thing }[]): CountedPlayer[] {
  const byKey = new Map<string, CountedPlayer>();
  for (const { role, player } of players) {
    const key = `${role.id}:${iidKey(player.iid)}`;
    const seen = byKey.get(key);
    byKey.set(key, { role, player, count: (seen?.count ?? 0) + 1 });
  }
  return [...byKey.values()];
}

/**
 * A relation's identity (type and role-player multiset) as text, independent of the order the players were written
 * in: equal for the relation a conclusion would infer. One character per byte (IIDs as latin1): the settled set
 * keeps one per relation concluded, and hex with separators took twice the memory. Each player is its role id, IID
 * length, IID and count (how many times it plays that role), so no two multisets give the same text. Equal players
 * sort next to each other, so they are counted as they are joined.
 */
export function relationIdentity(
  type: SchemaType,
  players: readonly { role: SchemaType; player: Thing }[],
  keyOf: (iid: IID) => string = iidKey,
): string {
  const entry = ({ role, player }: { role: SchemaType; player: Thing }) => String.fromCharCode(role.id >> 8, role.id & 0xff, player.iid.length) + keyOf(player.iid);
  if (players.length === 2) {
    // Most conclusions: the loop below for two, without its array.
    const one = entry(players[0]!);
    const two = entry(players[1]!);
    if (one === two) return `${type.id}|${one}2|`;
    return one < two ? `${type.id}|${one}1|${two}1|` : `${type.id}|${two}1|${one}1|`;
  }
  const entries = players.map(entry);
  if (entries.length > 1) entries.sort();
  let text = `${type.id}|`;
  for (let i = 0; i < entries.length; ) {
    let j = i + 1;
    while (j < entries.length && entries[j] === entries[i]) j++;
    text += `${entries[i]}${j - i}|`;
    i = j;
  }
  return text;
}

/** The attribute an ownership of a value concludes (its IID), if the attribute type can hold the value. */
export function concludedAttribute(inference: Pick<Extract<Inference, { kind: 'has-value' }>, 'attributeType' | 'value'>): IID | undefined {
  const value = convert(inference.value, inference.attributeType);
  return value === undefined ? undefined : attributeIID(inference.attributeType.id, value);
}

/** The value as the attribute type stores it, if it can hold it (a long may become a double, an integral double a long). */
function convert(value: Value, type: SchemaType): Value | undefined {
  const target = type.valueType;
  if (target === value.type) return value;
  if (target === 'double' && value.type === 'long') return { type: 'double', value: Number(value.value) };
  if (target === 'long' && value.type === 'double' && Number.isInteger(value.value)) return { type: 'long', value: BigInt(value.value) };
  return undefined;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
