// Demand-driven materialisation of positive relation rules: only the inferred relations that some read needs.
//
// Demand is a set of keys: a thing, with a role type or without (every inferred relation it plays in, in that role,
// is needed) or a relation type (all its inferred instances are). Keys come from reads, not from analysing patterns: the reader (InferredThingReader)
// reports each read that may meet inferred relations — the relations of a player, the instances or the count of a
// type — made by the query (run as a probe first, see query/reasoning.ts) or by a rule body being matched. A new
// key seeds the rules that may conclude facts it covers: a thing binds, in turn, each conclusion player variable
// that may take its type in that role; a type makes the rules that conclude it run unseeded, as full materialisation does. Every
// fact added seeds the rule bodies in the next round, as in Materialiser (semi-naive). A fixpoint is reached when
// a round adds no fact and no key.
//
// Why the answers are those of full materialisation: a match is a function of what its reads return. Take an answer
// of a rule body (or of the query) over all inferred facts. Follow the match that finds it from a seed it uses:
// up to its first read of a missing fact, every read returns the same as over all facts, so that read is made, and
// its key recorded; by induction on the depth of derivations, every fact a recorded key covers is eventually
// inferred (its rule was seeded with the key); once it is, the body is seeded with it in the next round and the
// match goes on to the next missing fact. Each answer uses finitely many facts, so each is found. Negation breaks
// this (a read that returns nothing now may return something later), so rules that negate an inferred type never
// run here, and neither do ownership conclusions (whose reads — owners, attribute values — are not tracked).
import type { Thing } from '../concept/things.js';
import type { SchemaType, TypeId } from '../schema/api.js';
import { iidKey } from '../encoding/index.js';
import { PENDING, type Steps } from '../common/steps.js';
import type { DemandListener, Fact, InferredFacts } from './inferred-facts.js';
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
  private readonly concludedTypes = new Set<TypeId>();
  private readonly demanded = new Map<string, Demanded>();
  private newThings: Demanded[] = [];
  private newUnseeded: CompiledRule[] = [];
  private joined: CompiledRule[] = [];
  private delta: Fact[] = [];
  private roundsRun = 0;
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
      if (conclusion.kind !== 'relation') continue;
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
    this.unseeded.clear();
    this.playerTypes.clear();
    this.concludedRoles.clear();
    this.anyRole = false;
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
    const key = `${role?.id ?? '*'}|${iidKey(player.iid)}`;
    if (this.demanded.has(key)) return;
    const demanded = { thing: player, role };
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
    const everyThing = [...this.demanded.values()];
    for (const rule of joined) {
      if (this.unseeded.has(rule)) continue;
      for (const demanded of everyThing) yield* this.seedWithThing(rule, demanded, added);
    }
    for (const rule of unseeded) {
      for (const body of rule.bodies) yield* conclude(this.facts, this.limit, this.roundsRun, rule.conclusion, body, EMPTY_SEED, added);
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
          for (const seed of seedsFor(fact, body)) yield* conclude(this.facts, this.limit, this.roundsRun, rule.conclusion, body, seed, added);
        }
      }
    }
  }

  /**
   * Every conclusion of the rule in which the thing plays (in the role, if one is given): the thing bound to each
   * conclusion player that may take it in turn.
   */
  private *seedWithThing(rule: CompiledRule, { thing, role }: Demanded, added: Fact[]): Steps<void> {
    this.checkOverflow();
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
        yield* conclude(this.facts, this.limit, this.roundsRun, conclusion, body, new Map([[variable, thing]]), added);
      }
    }
  }
}

/** Ends a round early: the query materialises in full instead (its work is kept pending meanwhile). */
const OVERFLOW = Symbol('overflow');

/** A demanded thing, and the role its relations are read through (all roles when undefined). */
interface Demanded {
  readonly thing: Thing;
  readonly role: SchemaType | undefined;
}

/**
 * The ids of the roles the rule's conclusion may give its i-th player, over the relation types it concludes;
 * undefined when a role variable names it (any role).
 */
function rolesAt(rule: CompiledRule, i: number): ReadonlySet<TypeId> | undefined {
  return rule.conclusion.kind === 'relation' ? rule.conclusion.rolesOfPlayer(i, rule.concludes) : undefined;
}
