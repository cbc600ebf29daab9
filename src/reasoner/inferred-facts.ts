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
import { ThingReader, type RoleEdge, type Thing } from '../concept/things.js';
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
  iidTypeId,
  inferredRelationIID,
  isInferredRelationIID,
  roleKey,
  roleReverseKey,
  roleReversePrefix,
  splitRoleKey,
  thingKey,
  thingTypePrefix,
  typePrefix,
} from '../encoding/index.js';
import type { Inference } from './conclusions.js';

/**
 * Told of each read that may meet inferred facts (see demand.ts): the relations of a player (through one role type,
 * exactly, when given), the attributes of an owner (of one attribute type, exactly, when given), whether it owns one
 * attribute, the owners or the existence of an attribute, or the instances of a type. Demand-driven reasoning makes sure those are complete
 * before the reader relies on them.
 */
export interface DemandListener {
  /** Whether ownership reads may demand anything (some rule on demand concludes one): the reader skips them if not. */
  readonly ownerships: boolean;
  player(player: Thing, role: SchemaType | undefined): void;
  owner(owner: Thing, attributeType: SchemaType | undefined): void;
  ownership(owner: Thing, attribute: Thing): void;
  attribute(attribute: Thing): void;
  type(type: SchemaType): void;
}

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

/** Role-player edges cached per relation and per player, so that rule bodies matched again and again re-read none. */
const EDGE_CACHE_LIMIT = 100_000;

/**
 * Reads the merged view; knows which things are inferred. Rule bodies read the same relations many times over, so
 * role-player edges are cached: a relation's players never change once it exists (nothing is deleted while
 * reasoning, and an inferred relation gets all its players at once), and a player's relations change only when
 * a relation is inferred for it, which adds the edge to that player's entry. The caches of stored relations and of
 * players are dropped when they grow large; inferred relations' players are kept (see inferredPlayers).
 */
export class InferredThingReader extends ThingReader {
  private readonly playersOf = new Map<string, RoleEdge[]>();
  private readonly relationsByPlayer = new Map<string, Map<number, RoleEdge[]>>();
  private cached = 0;
  /**
   * Role players of each inferred relation, in ROLE key order, kept for the transaction: exact, and no more than
   * the overlay holds anyway. Reading them back through the overlay's byte-keyed tree cost a merged range read per
   * relation matched, the bulk of a large closure (most matches bind a relation just inferred).
   */
  private readonly inferredPlayers = new Map<string, readonly RoleEdge[]>();
  /**
   * Things inferred in the round in progress, by IID key, and their types: scans of instances leave them out until
   * the round ends. Semi-naive evaluation needs no more: the next round seeds every rule body with each of them. A
   * body matched after others in the same round otherwise scanned all they had just inferred, once per binding of
   * what it had bound before (63 000 rows where 72 do in the IAM benchmark: 18 bindings times 3 500 permissions).
   */
  private readonly thisRound = new Set<string>();
  private readonly thisRoundTypes = new Set<number>();
  /** Types with things inferred before the round in progress: a scan of any other type reads the data alone. */
  private readonly earlierTypes = new Set<number>();
  private inRound = false;
  /** The data without inferred facts. */
  private readonly stored: ThingReader;
  /**
   * IID keys of the players rule bodies meet, by IID (the same arrays, held in the edge caches, come back again and
   * again): a key made once is hashed once, and making one cost ~4 times a lookup here. IIDs are never changed once
   * made (keys read from storage are copied out: encoding/keys.ts keyPart).
   */
  private readonly keys = new WeakMap<IID, string>();
  /**
   * Each inferred relation's `seq` and players (as in inferredPlayers), by the one Thing it is read as (see
   * canonical): found without making its IID's key, for nearly every relation a rule body meets.
   */
  private readonly inferred = new Map<Thing, { readonly seq: number; readonly players: readonly RoleEdge[] }>();
  /**
   * While set, the relations of a player leave out those inferred after the fact of that `seq`: a rule body seeded
   * with a fact then finds each answer once, from the answer's last fact (see `conclude` in materialiser.ts).
   */
  horizon = Infinity;
  /** Set while reasoning is demand-driven: told of reads that may meet inferred relations. */
  demand: DemandListener | undefined;

  constructor(
    private readonly overlay: OverlayView,
    schema: SchemaReader,
    base: ReadView,
  ) {
    super(overlay, schema);
    this.stored = new ThingReader(base, schema);
  }

  /**
   * A type whose inferred instances all belong to the round in progress is scanned in the data alone: reading the
   * round's conclusions through the merged view only to skip them cost as much as the rest of the scan in the IAM
   * benchmark (each body of the first permission round scanned what the bodies before it had inferred).
   */
  override instances(type: SchemaType): IterableIterator<Thing> {
    this.demand?.type(type);
    if (!this.thisRoundTypes.has(type.id)) return super.instances(type);
    if (!this.earlierTypes.has(type.id)) return this.stored.instances(type);
    return this.notThisRound(super.instances(type));
  }

  private *notThisRound(things: Iterable<Thing>): Generator<Thing> {
    for (const thing of things) if (!this.thisRound.has(iidKey(thing.iid))) yield thing;
  }

  /** A round of materialisation begins: things inferred from now until it ends stay out of scans. */
  beginRound(): void {
    this.inRound = true;
  }

  /** The round ended (or failed): everything inferred is read as stored again. */
  endRound(): void {
    this.inRound = false;
    for (const type of this.thisRoundTypes) this.earlierTypes.add(type);
    this.thisRound.clear();
    this.thisRoundTypes.clear();
  }

  /** Called for each thing inferred (see thisRound). */
  addInferredThing(thing: Thing): void {
    if (!this.inRound) {
      this.earlierTypes.add(thing.type.id);
      return;
    }
    this.thisRound.add(iidKey(thing.iid));
    this.thisRoundTypes.add(thing.type.id);
  }

  override *rolePlayers(relation: Thing, role?: SchemaType): Generator<RoleEdge> {
    if (role === undefined) return yield* this.rolePlayerList(relation);
    const inferred = this.inferred.get(relation)?.players ?? (isInferredRelationIID(relation.iid) ? this.inferredPlayers.get(iidKey(relation.iid)) : undefined);
    if (inferred === undefined) return yield* super.rolePlayers(relation, role);
    for (const edge of inferred) if (edge.role.id === role.id) yield edge;
  }

  /**
   * The cached list itself, never copied: a rule body matches the players of relation after relation (one list
   * and one generator per relation met, copying the cached list, cost as much as matching its players).
   */
  rolePlayerList(relation: Thing): readonly RoleEdge[] {
    const own = this.inferred.get(relation);
    if (own !== undefined) return own.players;
    const key = iidKey(relation.iid);
    const inferred = isInferredRelationIID(relation.iid) ? this.inferredPlayers.get(key) : undefined;
    if (inferred !== undefined) return inferred;
    let edges = this.playersOf.get(key);
    if (edges === undefined) {
      edges = [...super.rolePlayers(relation)];
      this.remember(edges.length);
      this.playersOf.set(key, edges);
    }
    return edges;
  }

  override heldRolePlayers(relation: Thing): readonly RoleEdge[] {
    return this.rolePlayerList(relation);
  }

  override countInstances(type: SchemaType, limit?: number): number {
    this.demand?.type(type);
    return super.countInstances(type, limit);
  }

  // Ownership reads. countAttributesBetween is left alone: only plans read it (estimates), never answers.

  override attributesBetween(type: SchemaType, lower?: Value, upper?: Value, descending = false): Generator<Thing> {
    this.demand?.type(type);
    return super.attributesBetween(type, lower, upper, descending);
  }

  /** For an attribute, its existence may be inferred (a rule concluding `has score 10` makes `score 10` exist). */
  override exists(iid: IID): boolean {
    if (this.demand?.ownerships === true && iid[0] === ThingKind.Attribute) this.demandAttribute(iid);
    return super.exists(iid);
  }

  override ownedAttributeThings(owner: IID, attributeType?: SchemaType): Generator<Thing> {
    this.demandOwner(owner, attributeType);
    return super.ownedAttributeThings(owner, attributeType);
  }

  override countOwnedAttributes(owner: IID, attributeType: SchemaType): number {
    this.demandOwner(owner, attributeType);
    return super.countOwnedAttributes(owner, attributeType);
  }

  override ownsAnyOf(owner: IID, attributeType: SchemaType): boolean {
    this.demandOwner(owner, attributeType);
    return super.ownsAnyOf(owner, attributeType);
  }

  override ownsAttribute(owner: IID, attribute: IID): boolean {
    const ownerType = this.demand?.ownerships === true ? this.schema.byId(iidTypeId(owner)) : undefined;
    const attributeType = ownerType && this.schema.byId(iidTypeId(attribute));
    if (attributeType !== undefined) this.demand!.ownership({ iid: owner, type: ownerType! }, { iid: attribute, type: attributeType });
    return super.ownsAttribute(owner, attribute);
  }

  override owners(attribute: IID): Generator<Thing> {
    this.demandAttribute(attribute);
    return super.owners(attribute);
  }

  override ownersOfType(attribute: IID, ownerType: SchemaType): Generator<Thing> {
    this.demandAttribute(attribute);
    return super.ownersOfType(attribute, ownerType);
  }

  /** Types are looked up without failing: a read of a thing whose type is gone fails (or not) as it would unreasoned. */
  private demandOwner(owner: IID, attributeType: SchemaType | undefined): void {
    const type = this.demand?.ownerships === true ? this.schema.byId(iidTypeId(owner)) : undefined;
    if (type !== undefined) this.demand!.owner({ iid: owner, type }, attributeType);
  }

  private demandAttribute(attribute: IID): void {
    const type = this.demand?.ownerships === true ? this.schema.byId(iidTypeId(attribute)) : undefined;
    if (type !== undefined) this.demand!.attribute({ iid: attribute, type });
  }

  override playsRole(player: IID, role: SchemaType): boolean {
    this.demand?.player({ iid: player, type: this.typeOfIID(player) }, role);
    return super.playsRole(player, role);
  }

  /** iidKey, kept for the IID array (see keys). */
  keyOf(iid: IID): string {
    let key = this.keys.get(iid);
    if (key === undefined) {
      key = iidKey(iid);
      this.keys.set(iid, key);
    }
    return key;
  }

  /** The demand is recorded whatever the horizon leaves out: the read is made. */
  override *relationsOf(player: Thing, role?: SchemaType): Generator<RoleEdge> {
    this.demand?.player(player, role);
    const key = this.keyOf(player.iid);
    let byRole = this.relationsByPlayer.get(key);
    let edges = byRole?.get(role?.id ?? -1);
    if (edges === undefined) {
      edges = [];
      for (const edge of super.relationsOf(player, role)) edges.push(this.canonical(edge));
      this.remember(edges.length);
      if (byRole === undefined) this.relationsByPlayer.set(key, (byRole = new Map()));
      byRole.set(role?.id ?? -1, edges);
    }
    const horizon = this.horizon;
    if (horizon === Infinity) return yield* edges;
    for (const edge of edges) if ((this.inferred.get(edge.relation)?.seq ?? 0) <= horizon) yield edge;
  }

  /** The edge with its relation as the Thing it was inferred as, if inferred (read back, it is a new object). */
  private canonical(edge: RoleEdge): RoleEdge {
    if (!isInferredRelationIID(edge.relation.iid)) return edge;
    const relation = this.inferredPlayers.get(iidKey(edge.relation.iid))?.[0]?.relation;
    return relation === undefined ? edge : { ...edge, relation };
  }

  /** Called when a relation is inferred, with its edges and its fact's seq: indexes them by relation and by player. */
  addInferredRelation(relation: Thing, edges: readonly RoleEdge[], seq: number): void {
    const ordered = [...edges].sort((a, b) => a.role.id - b.role.id || Buffer.compare(a.player.iid, b.player.iid));
    this.inferredPlayers.set(iidKey(relation.iid), ordered);
    this.inferred.set(relation, { seq, players: ordered });
    for (const edge of ordered) this.addRelationEdge(edge);
  }

  /**
   * Called when a relation is inferred with this player: its cached relations get the new edge, in key order. (A
   * copy: readers may be iterating the old list. Forgetting the player instead re-read all its relations, per new
   * relation: time growing with the square of a player's relations, the bulk of a transitive closure.)
   */
  private addRelationEdge(edge: RoleEdge): void {
    const byRole = this.relationsByPlayer.get(this.keyOf(edge.player.iid));
    if (byRole === undefined) return;
    for (const roleId of [-1, edge.role.id]) {
      const edges = byRole.get(roleId);
      if (edges !== undefined) byRole.set(roleId, withEdge(edges, edge));
    }
    this.remember(1);
  }

  private remember(edges: number): void {
    this.cached += edges + 1;
    if (this.cached > EDGE_CACHE_LIMIT) {
      this.playersOf.clear();
      this.relationsByPlayer.clear();
      this.cached = 0;
    }
  }

  override isInferred(iid: IID): boolean {
    if (isInferredRelationIID(iid)) return true;
    // An attribute is inferred when only the overlay has its record (its value did not exist in the data).
    return iid[0] === ThingKind.Attribute && this.overlay.hasOwn(thingKey(iid));
  }

  override isInferredOwnership(owner: IID, attribute: IID): boolean {
    return this.overlay.hasOwn(hasKey(owner, attribute));
  }
}

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

/** A copy of a player's edges (in ROLE_REV key order: role, then relation IID) with `edge` in its place. */
function withEdge(edges: readonly RoleEdge[], edge: RoleEdge): RoleEdge[] {
  const after = (e: RoleEdge) => e.role.id > edge.role.id || (e.role.id === edge.role.id && Buffer.compare(e.relation.iid, edge.relation.iid) > 0);
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (after(edges[middle]!)) high = middle;
    else low = middle + 1;
  }
  return [...edges.slice(0, low), edge, ...edges.slice(low)];
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
