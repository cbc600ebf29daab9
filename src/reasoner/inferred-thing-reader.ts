// The reader of a transaction's data merged with what its rules inferred (inferred-facts.ts): it knows which things
// are inferred, caches role-player edges for rule bodies matched again and again, keeps the things a round infers
// out of scans until the round ends, reads relations only up to a horizon while a rule body is matched, and tells a
// demand listener of each read that may meet inferred facts (demand.ts).
import type { ReadView } from '../storage/api.js';
import type { OverlayView } from '../storage/index.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { ThingReader, type RoleEdge, type Thing } from '../concept/things.js';
import type { Value } from '../common/values.js';
import { ThingKind, type IID, hasKey, iidKey, iidTypeId, isInferredRelationIID, thingKey } from '../encoding/index.js';

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

  // Ownership reads. countAttributesBetween is left alone: plans read it (estimates), and so does the check for a
  // stored NaN before an in-order read (range-scan.ts holdsNaN), which matters only when a NaN is an answer, and the
  // probe has then inferred it before the query runs (test/reasoner/inferred-nan-order.test.ts).

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

  override *relationsOf(player: Thing, role?: SchemaType): Generator<RoleEdge> {
    yield* this.relationList(player, role);
  }

  override heldRelationsOf(player: Thing, role: SchemaType): readonly RoleEdge[] {
    return this.relationList(player, role);
  }

  /**
   * The player's relations (in the role, if given) from the cache, never copied unless a horizon leaves some out.
   * The demand is recorded whatever the horizon leaves out: the read is made.
   */
  private relationList(player: Thing, role: SchemaType | undefined): readonly RoleEdge[] {
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
    if (horizon === Infinity) return edges;
    return edges.filter((edge) => (this.inferred.get(edge.relation)?.seq ?? 0) <= horizon);
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
