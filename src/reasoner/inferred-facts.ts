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
import { ThingReader, type Thing } from '../concept/things.js';
import type { Value } from '../common/values.js';
import {
  ThingKind,
  type IID,
  attributeIID,
  encodeCount,
  encodeValueRecord,
  hasKey,
  hasReverseKey,
  iidKey,
  inferredRelationIID,
  isInferredRelationIID,
  roleKey,
  roleReverseKey,
  thingKey,
} from '../encoding/index.js';
import type { Inference } from './conclusions.js';

/** A fact added by a rule: a new thing (relation or attribute), or a new ownership. */
export type Fact = { readonly kind: 'thing'; readonly thing: Thing } | { readonly kind: 'has'; readonly owner: Thing; readonly attribute: Thing };

const EMPTY = new Uint8Array(0);

/** Reads the merged view; knows which things are inferred. */
export class InferredThingReader extends ThingReader {
  constructor(
    private readonly overlay: OverlayView,
    schema: SchemaReader,
  ) {
    super(overlay, schema);
  }

  override isInferred(iid: IID): boolean {
    if (isInferredRelationIID(iid)) return true;
    // An attribute is inferred when only the overlay has its record (its value did not exist in the data).
    return iid[0] === ThingKind.Attribute && this.overlay.hasOwn(thingKey(iid));
  }
}

export class InferredFacts {
  readonly view: OverlayView;
  readonly things: InferredThingReader;
  /** Identity text of each inferred relation, by IID key: tells a hash collision from the same relation. */
  private readonly identities = new Map<string, string>();
  private added = 0;

  constructor(
    base: ReadView,
    private readonly schema: SchemaReader,
  ) {
    this.view = new OverlayView(base);
    this.things = new InferredThingReader(this.view, schema);
  }

  /** Number of facts added so far. */
  get count(): number {
    return this.added;
  }

  /** Adds what the inference concludes; returns the facts that are new (none if it already held). */
  add(inference: Inference): Fact[] {
    switch (inference.kind) {
      case 'relation':
        return this.addRelation(inference.type, inference.players);
      case 'has':
        return this.addOwnership(inference.owner, inference.attribute);
      case 'has-value': {
        const value = convert(inference.value, inference.attributeType);
        if (value === undefined) return [];
        return this.addValue(inference.owner, inference.attributeType, value);
      }
    }
  }

  private addValue(owner: Thing, type: SchemaType, value: Value): Fact[] {
    if (!this.schema.owns(owner.type).has(type.id)) return [];
    const iid = attributeIID(type.id, value);
    const attribute: Thing = { iid, type };
    if (this.things.exists(iid)) return this.addOwnership(owner, attribute);
    this.view.put(thingKey(iid), encodeValueRecord(value));
    this.added++;
    return [{ kind: 'thing', thing: attribute }, ...this.addOwnership(owner, attribute)];
  }

  private addOwnership(owner: Thing, attribute: Thing): Fact[] {
    if (!this.schema.owns(owner.type).has(attribute.type.id)) return [];
    if (this.things.ownsAttribute(owner.iid, attribute.iid)) return [];
    this.view.put(hasKey(owner.iid, attribute.iid), EMPTY);
    this.view.put(hasReverseKey(attribute.iid, owner.iid), EMPTY);
    this.added++;
    return [{ kind: 'has', owner, attribute }];
  }

  private addRelation(type: SchemaType, players: readonly { role: SchemaType; player: Thing }[]): Fact[] {
    if (players.length === 0) return [];
    for (const { role, player } of players) if (!this.schema.plays(player.type).has(role.id)) return [];
    const counted = countPlayers(players);
    if (this.hasRelationWith(type, counted)) return [];
    const identity = identityText(type, counted);
    const iid = this.allocate(type, identity);
    this.view.put(thingKey(iid), EMPTY);
    for (const { role, player, count } of counted) {
      this.view.put(roleKey(iid, role.id, player.iid), encodeCount(count));
      this.view.put(roleReverseKey(player.iid, role.id, iid), encodeCount(count));
    }
    this.added++;
    return [{ kind: 'thing', thing: { iid, type } }];
  }

  /** Whether a relation of exactly this type has (at least) these players in these exact roles. */
  private hasRelationWith(type: SchemaType, players: readonly CountedPlayer[]): boolean {
    const [first, ...rest] = players;
    for (const edge of this.things.relationsOf(first!.player, first!.role)) {
      if (edge.relation.type.id !== type.id || edge.count < first!.count) continue;
      if (rest.every((p) => this.things.playerCount(edge.relation.iid, p.role, p.player.iid) >= p.count)) return true;
    }
    return false;
  }

  /** The IID for a new relation: a hash of its identity, probing on (astronomically unlikely) collisions. */
  private allocate(type: SchemaType, identity: string): IID {
    for (let attempt = 0; ; attempt++) {
      const digest = createHash('sha256').update(attempt === 0 ? identity : `${identity}#${attempt}`).digest();
      const iid = inferredRelationIID(type.id, digest);
      const key = iidKey(iid);
      const existing = this.identities.get(key);
      if (existing === undefined) {
        this.identities.set(key, identity);
        return iid;
      }
      if (existing === identity) return iid;
    }
  }
}

interface CountedPlayer {
  readonly role: SchemaType;
  readonly player: Thing;
  readonly count: number;
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

/** Type and role-player multiset as text, independent of the order the players were written in. */
function identityText(type: SchemaType, players: readonly CountedPlayer[]): string {
  const entries = players.map((p) => `${p.role.id}:${Buffer.from(p.player.iid).toString('hex')}*${p.count}`).sort();
  return `${type.id}|${entries.join(',')}`;
}

/** The value as the attribute type stores it, if it can hold it (a long may become a double, an integral double a long). */
function convert(value: Value, type: SchemaType): Value | undefined {
  const target = type.valueType;
  if (target === value.type) return value;
  if (target === 'double' && value.type === 'long') return { type: 'double', value: Number(value.value) };
  if (target === 'long' && value.type === 'double' && Number.isInteger(value.value)) return { type: 'long', value: BigInt(value.value) };
  return undefined;
}
