// Demand-driven materialisation of positive rules: only the inferred facts that some read needs.
//
// Demand is a set of keys, each covering some inferred facts: a player, with a role type or without (every inferred
// relation it plays in, in that role); an owner, with an attribute type or without (every inferred ownership of an
// attribute of that type by it); an owner and an attribute (that one ownership); an attribute (every inferred ownership of it, and its own existence); or a type
// (all its inferred instances). Keys come from reads, not from analysing patterns: the reader (InferredThingReader)
// reports each read that may meet inferred facts — the relations of a player, the attributes of an owner, whether it
// owns an attribute, the owners or the existence of an attribute, the instances or the count of a type — made by the query (run as a probe first,
// see query/reasoning.ts) or by a rule body being matched. A new key seeds the rules that may conclude facts it
// covers, binding the conclusion's variable the key fixes: a player binds, in turn, each conclusion player variable
// that may take its type in that role; an owner binds the owner variable of an ownership conclusion that may give it
// an attribute of that type (and the attribute, if the key names one, binds $a in `$x has $a`, and leaves out value
// conclusions that cannot give it); an attribute binds the attribute variable of `$x has $a`. Where the key fixes no
// variable of the conclusion, the rule runs unseeded (all its facts, as full materialisation infers them): a type,
// and an attribute an ownership of a value (`has score 10`, `has score ?s`) may conclude, whose owner is free. Every
// fact added seeds the rule bodies in the next round, as in Materialiser (semi-naive). A fixpoint is reached when a
// round adds no fact and no key.
//
// Why the answers are those of full materialisation: a match is a function of what its reads return. Take an answer
// of a rule body (or of the query) over all inferred facts. Follow the match that finds it from a seed it uses:
// up to its first read of a missing fact, every read returns the same as over all facts, so that read is made, and
// its key recorded; by induction on the depth of derivations, every fact a recorded key covers is eventually
// inferred (every rule that may conclude it was seeded with the key, or ran unseeded); once it is, the body is seeded
// with it in the next round and the match goes on to the next missing fact. Each answer uses finitely many facts, so
// each is found. A match reads the relations inferred up to its horizon only (see `conclude` in materialiser.ts):
// one past it counts as missing there — its read is made and its key recorded all the same — and, inferred after
// the seed, it is itself seeded later and goes on with the match. For ownerships: an inferred ownership of attribute a by owner o is read by asking o for its
// attributes (key o, a's type), a for its owners (key a) or whether o owns a (key o, a); an inferred
// attribute is met by asking whether it exists (key a) or by scanning its type (a type key). A rule concluding the
// ownership binds its owner variable to o in its conclusion, so seeding that variable with o finds it; `$x has $a`
// binds $a to a, so seeding $a finds it (if a does not exist yet when the key is recorded, it is a new fact when it
// does, and seeds $a then); a value conclusion leaves the owner free, so it runs unseeded. Range reads of attributes
// (`$s > 10`) are type keys; a plan's estimates of them are no reads of answers. Negation breaks the argument (a read
// that returns nothing now may return something later), so rules that negate an inferred type never run here.
import type { Thing } from '../concept/things.js';
import type { SchemaType, TypeId } from '../schema/api.js';
import { iidKey, thingKey } from '../encoding/index.js';
import { PENDING, type Steps } from '../common/steps.js';
import { concludedAttribute, type Fact, type InferredFacts } from './inferred-facts.js';
import type { DemandListener } from './inferred-thing-reader.js';
import { RoundRunner } from './rounds.js';
import { conclude, EMPTY_SEED, seedsFor, type CompiledRule, type FactLimit, type ReasoningBudget } from './materialiser.js';

/**
 * Things demanded past this, full materialisation is cheaper than seeding rules one thing at a time (a query that
 * reads the relations of every person, or demand that spreads through most of the data): the query falls back to
 * it (see `overflow`). One user's permissions in the IAM benchmark had not finished after 23 minutes of CPU with a
 * limit of 20 000 and rounds not cut short; with this they cost ~1.7 s more than materialising in full at once.
 */
export const DEMANDED_THINGS_LIMIT = 2_000;

export class DemandMaterialiser implements DemandListener {
  private readonly members = new Set<CompiledRule>();
  /** Rules the demand asks for all facts of: they have run (or will run) unseeded. */
  private readonly unseeded = new Set<CompiledRule>();
  /** Ids of the types a conclusion player variable may take, over all members: other things seed nothing. */
  private readonly playerTypes = new Set<TypeId>();
  /** Ids of the roles members conclude (a role variable may conclude any): a read through another role needs none. */
  private readonly concludedRoles = new Set<TypeId>();
  private anyRole = false;
  /** Ids of the types an ownership conclusion's owner may take, over all members. */
  private readonly ownerTypes = new Set<TypeId>();
  /** Ids of the attribute types ownership conclusions may give an owner, over all members. */
  private readonly ownedTypes = new Set<TypeId>();
  private readonly concludedTypes = new Set<TypeId>();
  private readonly demanded = new Map<string, Demanded>();
  private newThings: Demanded[] = [];
  private newUnseeded: CompiledRule[] = [];
  private joined: CompiledRule[] = [];
  private delta: Fact[] = [];
  private roundsRun = 0;
  /**
   * Facts inferred when each member's first round began: its horizon when seeded with a key. Not when it joined:
   * rounds run only once the batches materialised in full are complete (Reasoner), and a batch still running then
   * adds facts that are never seeded here, so they must be read as known.
   */
  private readonly joinedAt = new Map<CompiledRule, number>();
  private readonly runner = new RoundRunner();
  /** Keys recorded so far: a probe that adds none has read only what is complete. */
  keys = 0;
  /**
   * More things demanded than DEMANDED_THINGS_LIMIT, or every instance of a type members conclude (unseeded rules
   * infer much of what full materialisation would, seeding each fact one at a time): the query falls back to it.
   */
  overflow = false;
  /**
   * Called with each key recorded while no round runs, once the query itself runs after its probe: it must make
   * the key's facts complete before the read goes on (see Reasoner).
   */
  settle: (() => void) | undefined;
  /** Set while a read waits for its demand to be complete: overflow cannot stop that. */
  settling = false;

  constructor(
    private readonly facts: InferredFacts,
    private readonly limit: FactLimit,
  ) {}

  get ownerships(): boolean {
    return this.ownerTypes.size > 0;
  }

  get rules(): ReadonlySet<CompiledRule> {
    return this.members;
  }

  get rounds(): number {
    return this.roundsRun;
  }

  get complete(): boolean {
    return !this.runner.inRound && this.newThings.length === 0 && this.newUnseeded.length === 0 && this.joined.length === 0 && this.delta.length === 0;
  }

  /** Adds rules (closed under dependencies with the members and the fully materialised rules): seeded with every key so far. */
  join(rules: Iterable<CompiledRule>): void {
    for (const rule of rules) {
      if (this.members.has(rule)) continue;
      this.members.add(rule);
      this.joined.push(rule);
      for (const t of rule.concludes) this.concludedTypes.add(t);
      const conclusion = rule.conclusion;
      if (conclusion.kind === 'has') {
        for (const body of rule.bodies) {
          for (const t of body.thingVariables.get(conclusion.owner) ?? []) this.ownerTypes.add(t);
          for (const t of ownedTypesIn(rule, body)) this.ownedTypes.add(t);
        }
        continue;
      }
      for (const body of rule.bodies) {
        for (const { player } of conclusion.players) for (const t of body.thingVariables.get(player) ?? []) this.playerTypes.add(t);
      }
      for (let i = 0; i < conclusion.players.length; i++) {
        const roles = rolesAt(rule, i);
        if (roles === undefined) this.anyRole = true;
        else for (const r of roles) this.concludedRoles.add(r);
      }
    }
  }

  /** Gives up the members (they are materialised in full from now on). */
  clear(): CompiledRule[] {
    const rules = [...this.members];
    this.members.clear();
    this.joinedAt.clear();
    this.unseeded.clear();
    this.playerTypes.clear();
    this.concludedRoles.clear();
    this.anyRole = false;
    this.ownerTypes.clear();
    this.ownedTypes.clear();
    this.concludedTypes.clear();
    this.demanded.clear();
    this.newThings = [];
    this.newUnseeded = [];
    this.joined = [];
    this.delta = [];
    this.runner.reset();
    this.overflow = false;
    // The rules' facts are the full materialisation's to count from now on.
    this.roundsRun = 0;
    return rules;
  }

  player(player: Thing, role: SchemaType | undefined): void {
    if (!this.playerTypes.has(player.type.id)) return;
    if (role !== undefined && !this.anyRole && !this.concludedRoles.has(role.id)) return;
    this.demand(`p${role?.id ?? '*'}|${iidKey(player.iid)}`, { kind: 'player', thing: player, role });
  }

  owner(owner: Thing, attributeType: SchemaType | undefined): void {
    if (!this.ownerTypes.has(owner.type.id)) return;
    if (attributeType !== undefined && !this.ownedTypes.has(attributeType.id)) return;
    this.demand(`o${attributeType?.id ?? '*'}|${iidKey(owner.iid)}`, { kind: 'owner', thing: owner, attributeType });
  }

  ownership(owner: Thing, attribute: Thing): void {
    if (!this.ownerTypes.has(owner.type.id) || !this.ownedTypes.has(attribute.type.id)) return;
    this.demand(`h${iidKey(owner.iid)}|${iidKey(attribute.iid)}`, { kind: 'owner', thing: owner, attributeType: attribute.type, attribute });
  }

  attribute(attribute: Thing): void {
    if (!this.ownedTypes.has(attribute.type.id)) return;
    this.demand(`a|${iidKey(attribute.iid)}`, { kind: 'attribute', thing: attribute });
  }

  private demand(key: string, demanded: Demanded): void {
    if (this.demanded.has(key)) return;
    this.demanded.set(key, demanded);
    this.newThings.push(demanded);
    this.recorded();
    if (this.demanded.size > DEMANDED_THINGS_LIMIT) this.overflow = true;
  }

  type(type: SchemaType): void {
    if (!this.concludedTypes.has(type.id)) return;
    if (this.settle === undefined) this.overflow = true;
    let added = false;
    for (const rule of this.members) {
      if (this.unseeded.has(rule) || !rule.concludes.includes(type.id)) continue;
      this.unseeded.add(rule);
      this.newUnseeded.push(rule);
      added = true;
    }
    if (added) this.recorded();
  }

  private recorded(): void {
    this.keys++;
    if (!this.runner.inRound) this.settle?.();
  }

  /** Runs rounds until the fixpoint or until the budget is spent (as Materialiser.run); returns whether it reached it. */
  *run(budget: ReasoningBudget): Steps<boolean> {
    return yield* this.runner.run(
      () => this.complete,
      () => this.roundsRun < budget.rounds && this.facts.count < budget.facts,
      () => this.round(),
      () => this.overflow && !this.settling,
    );
  }

  private *round(): Steps<void> {
    this.roundsRun++;
    const things = this.newThings;
    const unseeded = this.newUnseeded;
    const joined = this.joined;
    const delta = this.delta;
    this.newThings = [];
    this.newUnseeded = [];
    this.joined = [];
    this.delta = [];
    const added: Fact[] = [];
    this.facts.things.beginRound();
    try {
      yield* this.evaluate(things, unseeded, joined, delta, added);
    } catch (e) {
      // A failed round (the fact limit) leaves its work pending, so that nothing is taken for complete.
      this.newThings = [...things, ...this.newThings];
      this.newUnseeded = [...unseeded, ...this.newUnseeded];
      this.joined = [...joined, ...this.joined];
      this.delta = [...delta, ...added, ...this.delta];
      if (e === OVERFLOW) return;
      throw e;
    } finally {
      this.facts.things.endRound();
    }
    this.delta = added;
  }

  /** Past the overflow, a round stops where it is: the query materialises in full instead. */
  private checkOverflow(): void {
    if (this.overflow && !this.settling) throw OVERFLOW;
  }

  /** One round's work: rules that joined, keys recorded and facts added since the round before. */
  private *evaluate(things: Demanded[], unseeded: CompiledRule[], joined: CompiledRule[], delta: Fact[], added: Fact[]): Steps<void> {
    for (const rule of joined) if (!this.joinedAt.has(rule)) this.joinedAt.set(rule, this.facts.count);
    const everyThing = [...this.demanded.values()];
    for (const rule of joined) {
      if (this.unseeded.has(rule)) continue;
      for (const demanded of everyThing) yield* this.seedWithThing(rule, demanded, added);
    }
    for (const rule of unseeded) {
      for (const body of rule.bodies) yield* this.conclude(rule, body, EMPTY_SEED, added);
    }
    const fresh = new Set(joined);
    for (const rule of this.members) {
      if (this.unseeded.has(rule) || fresh.has(rule)) continue;
      for (const demanded of things) yield* this.seedWithThing(rule, demanded, added);
    }
    for (const fact of delta) {
      this.checkOverflow();
      for (const rule of this.members) {
        for (const body of rule.bodies) {
          for (const seed of seedsFor(fact, body)) yield* conclude(this.facts, this.limit, this.roundsRun, rule.conclusion, body, seed, fact.seq, added);
        }
      }
    }
  }

  /**
   * Matches a body of the rule seeded with a key (or unseeded). It sees the relations inferred before the rule's
   * first round (see joinedAt), and no later one: those are seeded into its bodies as facts (the delta), which finds every answer that
   * uses one (from the last of them: see `conclude`). A key's reads are made all the same up to the first relation
   * left out, and that one's fact, once inferred, is seeded and goes on with the match, so the argument at the top
   * of this file holds. Matching a key over everything inferred found most answers a second time: in a transitive
   * closure where each node's friends are read, each key matched the square of its friends.
   */
  private conclude(rule: CompiledRule, body: CompiledRule['bodies'][number], seed: ReadonlyMap<string, Thing>, added: Fact[]): Steps<void> {
    return conclude(this.facts, this.limit, this.roundsRun, rule.conclusion, body, seed, this.joinedAt.get(rule) ?? Infinity, added);
  }

  /** Every conclusion of the rule the key covers (see the top of this file). */
  private *seedWithThing(rule: CompiledRule, demanded: Demanded, added: Fact[]): Steps<void> {
    if (this.unseeded.has(rule)) return;
    this.checkOverflow();
    if (demanded.kind === 'player') yield* this.seedWithPlayer(rule, demanded, added);
    else if (demanded.kind === 'owner') yield* this.seedWithOwner(rule, demanded, added);
    else yield* this.seedWithAttribute(rule, demanded.thing, added);
  }

  /** The thing bound to each conclusion player that may take it (in the role, if one is given) in turn. */
  private *seedWithPlayer(rule: CompiledRule, { thing, role }: Extract<Demanded, { kind: 'player' }>, added: Fact[]): Steps<void> {
    const conclusion = rule.conclusion;
    if (conclusion.kind !== 'relation') return;
    const variables = new Set<string>();
    conclusion.players.forEach(({ player }, i) => {
      const roles = role === undefined ? undefined : rolesAt(rule, i);
      if (roles === undefined || roles.has(role!.id)) variables.add(player);
    });
    for (const body of rule.bodies) {
      for (const variable of variables) {
        if (!body.thingVariables.get(variable)?.has(thing.type.id)) continue;
        yield* this.conclude(rule, body, new Map([[variable, thing]]), added);
      }
    }
  }

  /**
   * The owner bound to the conclusion's owner, in bodies that may give it an attribute of the type; and when the key
   * names the attribute, that attribute bound to `$a` in `$x has $a`, and a value conclusion only if it may give it.
   */
  private *seedWithOwner(rule: CompiledRule, { thing, attributeType, attribute }: Extract<Demanded, { kind: 'owner' }>, added: Fact[]): Steps<void> {
    const conclusion = rule.conclusion;
    if (conclusion.kind !== 'has') return;
    const source = conclusion.attribute;
    if (attribute !== undefined && source.kind === 'literal') {
      const iid = concludedAttribute({ attributeType: conclusion.attributeType!, value: source.value });
      if (iid === undefined || iidKey(iid) !== iidKey(attribute.iid)) return;
    }
    for (const body of rule.bodies) {
      if (!body.thingVariables.get(conclusion.owner)?.has(thing.type.id)) continue;
      if (attributeType !== undefined && !ownedTypesIn(rule, body).has(attributeType.id)) continue;
      const seed = new Map([[conclusion.owner, thing]]);
      if (attribute !== undefined && source.kind === 'variable') seed.set(source.name, attribute);
      yield* this.conclude(rule, body, seed, added);
    }
  }

  /**
   * `$x has $a`: the attribute bound to $a, if it exists (one inferred later seeds $a as a new fact). A value
   * conclusion that may give the attribute leaves its owner free: the rule runs unseeded, from now on for good.
   */
  private *seedWithAttribute(rule: CompiledRule, attribute: Thing, added: Fact[]): Steps<void> {
    const conclusion = rule.conclusion;
    if (conclusion.kind !== 'has') return;
    const source = conclusion.attribute;
    if (source.kind === 'variable') {
      // Through the view, not the reader: no read of the query's, so no demand.
      if (!this.facts.view.has(thingKey(attribute.iid))) return;
      for (const body of rule.bodies) {
        if (!body.thingVariables.get(source.name)?.has(attribute.type.id)) continue;
        yield* this.conclude(rule, body, new Map([[source.name, attribute]]), added);
      }
      return;
    }
    if (conclusion.attributeType?.id !== attribute.type.id) return;
    if (source.kind === 'literal') {
      const iid = concludedAttribute({ attributeType: conclusion.attributeType, value: source.value });
      if (iid === undefined || iidKey(iid) !== iidKey(attribute.iid)) return;
    }
    this.unseeded.add(rule);
    for (const body of rule.bodies) yield* this.conclude(rule, body, EMPTY_SEED, added);
  }
}

/** Ends a round early: the query materialises in full instead (its work is kept pending meanwhile). */
const OVERFLOW = Symbol('overflow');

/**
 * A demanded thing: a player and the role its relations are read through (all roles when undefined), an owner and
 * the type of the attributes read (all types when undefined; one attribute, when given), or an attribute whose
 * owners or existence are read.
 */
type Demanded =
  | { readonly kind: 'player'; readonly thing: Thing; readonly role: SchemaType | undefined }
  | { readonly kind: 'owner'; readonly thing: Thing; readonly attributeType: SchemaType | undefined; readonly attribute?: Thing }
  | { readonly kind: 'attribute'; readonly thing: Thing };

/**
 * The ids of the roles the rule's conclusion may give its i-th player, over the relation types it concludes;
 * undefined when a role variable names it (any role).
 */
function rolesAt(rule: CompiledRule, i: number): ReadonlySet<TypeId> | undefined {
  return rule.conclusion.kind === 'relation' ? rule.conclusion.rolesOfPlayer(i, rule.concludes) : undefined;
}

/** Ids of the attribute types an ownership conclusion may give its owner from answers of the body. */
function ownedTypesIn(rule: CompiledRule, body: CompiledRule['bodies'][number]): ReadonlySet<TypeId> {
  const conclusion = rule.conclusion;
  if (conclusion.kind !== 'has') return NO_TYPES;
  if (conclusion.attribute.kind === 'variable') return body.thingVariables.get(conclusion.attribute.name) ?? NO_TYPES;
  return new Set([conclusion.attributeType!.id]);
}

const NO_TYPES: ReadonlySet<TypeId> = new Set();
