// The ways a match step can bind more variables, each with its estimated cost (from the database's instance
// statistics) and how it runs: an IID or label lookup, an attribute found by value or by a range of values, an edge
// traversal from a bound thing (its attributes, its relations, a relation's players) or a bound type (type-steps.ts),
// a disjunction's branches, or a scan of a variable's types or their instances. The planner (planner.ts) picks the cheapest.
import type { SchemaReader, SchemaType } from '../schema/api.js';
import type { Thing, ThingReader } from '../concept/things.js';
import type { InstanceStatistics } from '../concept/statistics.js';
import { PENDING, type Pending } from '../common/steps.js';
import { attributeIID, iidKey, type IID } from '../encoding/index.js';
import type { Conjunction, Constraint, RolePlayerConstraint } from './ir.js';
import { supertypesWithRoot, type Binding, type Row } from './bindings.js';
import { variablesOf } from './expressions.js';
import { matchPlayers, storedRoles } from './role-players.js';
import { convertForAttribute } from './value-comparison.js';
import { CHEAP, EDGE_COST, OWNERS_COUNTED, UNBOUNDED, scanCost } from './plan-costs.js';
import { disjunctionCost } from './disjunction-cost.js';
import { inValueOrder, rangeComparisons, rangeScan, type RangeScan } from './range-scan.js';
import { isRangeComparator } from './value-ranges.js';
import { declaredIn, hasDirectInstances, type Scope, type Scopes } from './match-scope.js';
import type { StepGenerator } from './step-plans.js';
import { assignedValue, thingOf, valueIn } from './row-reads.js';
import { typeEdgeStep } from './type-steps.js';
import { searchInPlace } from './in-place-search.js';
import { RANGE_IN_EDGES, edgeReadFor, edgesInRoles, type EdgeRead } from './player-edges.js';

/** What the generators need from the search that runs them. */
export interface SearchHooks {
  /** Counts a search step; true when the search should give way (yield PENDING) here. */
  pauseDue(): boolean;
  /** The answers of a nested scope (a disjunction branch) extending the row. */
  solve(scope: Scope, row: Row): Iterable<Row | Pending>;
}

export class StepGenerators {
  constructor(
    private readonly schema: SchemaReader,
    private readonly things: ThingReader,
    private readonly statistics: InstanceStatistics,
    private readonly scopes: Scopes,
    private readonly search: SearchHooks,
  ) {}

  /** pauseDue for a search that runs outside the matcher (role-players.ts). */
  private readonly pause = (): boolean => this.search.pauseDue();
  private readonly isSubtypeOf = (type: SchemaType, ancestor: SchemaType): boolean => this.scopes.isSubtypeOf(type, ancestor);

  /**
   * Binds `name` to each thing read whose type is allowed (all without `allowed`), as it is read from the storage
   * cursor: a read of millions gives way as it goes. Those skipped count as search steps, so that a read rejecting
   * nearly everything gives way too. One generator per read: a nested generator per step (a bound generator function
   * delegating to another) made `match $p isa person, has name $n, has age $a;` take 1.3–1.5× the CPU time.
   */
  *bindRead(row: Row, name: string, read: Iterable<Thing>, allowed?: (type: SchemaType) => boolean): Generator<Row | Pending> {
    for (const thing of read) {
      if (allowed === undefined || allowed(thing.type)) {
        row.set(name, { kind: 'thing', thing });
        yield row;
      } else if (this.pause()) yield PENDING;
    }
    row.delete(name);
  }

  private concreteTypes(name: string, scope: Scope): SchemaType[] {
    return [...(scope.sets.get(name) ?? [])].filter(hasDirectInstances);
  }

  private instanceCount(type: SchemaType): number {
    return this.statistics.count(type, this.things);
  }

  private ownersPerAttribute(type: SchemaType): number {
    return type.root === 'attribute' ? this.statistics.ownersPerAttribute(type, this.things) : 1;
  }

  /**
   * About how many relations of the variable's types one thing of the player's type is in: its edges in the roles
   * (`roles`, when known), or else the relations over the players of its type, which counts every relation of a type
   * whose role several types play as if the player's type played them all.
   */
  private relationsPerPlayer(relation: string, scope: Scope, playerType: SchemaType, roles: readonly SchemaType[] | undefined): number {
    if (roles !== undefined) return roles.reduce((sum, role) => sum + this.statistics.edgesPerPlayerInRole(playerType, role, this.things), 0);
    let relations = 0;
    for (const type of this.concreteTypes(relation, scope)) if (type.root === 'relation') relations += this.instanceCount(type);
    return relations / Math.max(1, this.instanceCount(playerType));
  }

  private scanCost(types: readonly SchemaType[]): number {
    return scanCost(types.reduce((sum, t) => sum + this.instanceCount(t), 0));
  }

  /** Worked out once per scope: planning asks for this scan again at every answer that leaves the variable unbound. */
  private scanOf(name: string, scope: Scope): { readonly types: readonly SchemaType[]; readonly satisfies: Map<Constraint, boolean> } {
    let scan = scope.scans.get(name);
    if (scan === undefined) scope.scans.set(name, (scan = { types: this.concreteTypes(name, scope), satisfies: new Map() }));
    return scan;
  }

  /** What scanGenerator's scan of the variable costs. */
  scanCostOf(name: string, scope: Scope): number {
    if (scope.conjunction.variables.get(name) === 'type') return scope.sets.get(name)?.size ?? 0;
    return this.scanCost(this.scanOf(name, scope).types);
  }

  /** The types a scan of the thing variable reads, with their instance counts by the statistics. */
  scannedTypes(name: string, scope: Scope): { readonly type: SchemaType; readonly count: number }[] {
    return this.scanOf(name, scope).types.map((type) => ({ type, count: this.instanceCount(type) }));
  }

  /**
   * Binds a variable by enumerating its possible types (type variables) or their instances (thing variables). A scan
   * of instances consumes a pending `isa` of the variable that every type scanned satisfies: checking it on each
   * instance found could only pass.
   */
  scanGenerator(name: string, scope: Scope, pending: readonly Constraint[]): StepGenerator {
    const kind = scope.conjunction.variables.get(name);
    if (kind === 'type') {
      const types = [...(scope.sets.get(name) ?? [])];
      return {
        cost: types.length,
        run: (row) => bindEach(row, name, types.map((type) => ({ kind: 'type', type }) as Binding)),
      };
    }
    const { types, satisfies } = this.scanOf(name, scope);
    const cost = this.scanCost(types);
    const things = this.things;
    const holds = (c: Extract<Constraint, { kind: 'isa' }>) => {
      let held = satisfies.get(c);
      if (held === undefined) satisfies.set(c, (held = this.holdsForAll(c, types)));
      return held;
    };
    const only = types.length === 1 && types[0]!.root === 'attribute' ? types[0] : undefined;
    return {
      cost,
      // Looked up only for the generator planning picks: every unbound variable is offered a scan at every step.
      get consumes() {
        return pending.find((c) => c.kind === 'isa' && c.thing === name && holds(c));
      },
      // One generator per scan, not one per type read and another binding each instance.
      run: function* (row) {
        for (const type of types) {
          for (const thing of things.instances(type)) {
            row.set(name, { kind: 'thing', thing });
            yield row;
          }
        }
        row.delete(name);
      },
      inOrder: only && { variable: name, read: () => inValueOrder(things, only) },
    };
  }

  /** Range scans per scope and variable, planned once per query: their estimates count keys. */
  private readonly rangeScans = new WeakMap<Conjunction, Map<string, RangeScan | undefined>>();

  /**
   * Binds an attribute variable compared with constants by reading only the values they allow. The comparisons stay
   * in the pattern and filter what it reads. While a `has` reading the attributes' owners is pending with the owner
   * unbound, it is weighed with those owners too, as a lookup of one value is (ownersFollowing): weighed as the values
   * alone, `$a < 33` over ages most persons have (29 values) was a cheaper start than a scan of 44 friendships, and
   * every owner was read before them (bench:plans: 3.7× the best order's work).
   */
  private rangeGenerator(name: string, row: Row, scope: Scope): StepGenerator | undefined {
    let scans = this.rangeScans.get(scope.conjunction);
    if (scans === undefined) this.rangeScans.set(scope.conjunction, (scans = new Map()));
    if (!scans.has(name)) {
      const types = this.concreteTypes(name, scope).filter((t) => t.root === 'attribute');
      scans.set(name, rangeScan(this.things, types, rangeComparisons(scope.conjunction, name), (t) => this.instanceCount(t)));
    }
    const scan = scans.get(name);
    if (scan === undefined) return undefined;
    return {
      cost: scanCost(scan.estimate) + (this.reachesOwners(name, row, scope) ? EDGE_COST * scan.owners() : 0),
      run: (r) => this.bindRead(r, name, scan.read()),
      inOrder: { variable: name, read: () => scan.inOrder() },
    };
  }

  /** Owners of each constant compared with, counted once per query. */
  private readonly ownersOfValue = new WeakMap<Constraint, number>();
  /**
   * Owners of each attribute looked up, by IID, counted once per query: many lookups may name one value (a match of
   * 5 000 `has name` of 20 names counted each name's owners 250 times).
   */
  private readonly ownersOfAttribute = new Map<string, number>();

  /**
   * What follows a lookup of an attribute by a constant value when the step after it reads the attribute's owners
   * (a `has` whose owner is unbound): an edge per owner of that very value. Weighed as the lookup alone, a value
   * half the data shares (the most common name) was as good a start as a key, and every owner was read before a
   * narrower step (bench:plans: 8× the reads). Once the owner is bound the lookup costs what it did: weighed with
   * the owners then, reading the owner's attributes looked cheaper than checking one ownership, and in a rule body
   * matched on demand asked for them all, seeding rules with every owner reached (test/reasoner/demand.test.ts). The
   * count is an estimate, not a read of answers: it records no demand (inferred owners so far are counted too).
   */
  private ownersFollowing(c: Extract<Constraint, { kind: 'compare' }>, types: readonly SchemaType[], row: Row, scope: Scope): number {
    if (c.right.kind !== 'value' || !this.reachesOwners(c.left, row, scope)) return 0;
    let owners = this.ownersOfValue.get(c);
    if (owners === undefined) {
      owners = 0;
      for (const type of types) {
        const converted = convertForAttribute(c.right.value, type);
        if (converted !== undefined) owners += this.ownersOf(attributeIID(type.id, converted));
      }
      this.ownersOfValue.set(c, owners);
    }
    return EDGE_COST * owners;
  }

  private ownersOf(attribute: IID): number {
    const key = iidKey(attribute);
    let owners = this.ownersOfAttribute.get(key);
    if (owners === undefined) this.ownersOfAttribute.set(key, (owners = this.things.countOwners(attribute, OWNERS_COUNTED)));
    return owners;
  }

  /** Whether a `has` of the attribute variable whose owner is unbound at `row` is pending: a step reading its owners. */
  private reachesOwners(attribute: string, row: Row, scope: Scope): boolean {
    return scope.plans.naming(attribute).some((h) => h.kind === 'has' && h.attribute === attribute && !row.has(h.owner));
  }

  /** Whether an `isa` with a fixed type holds for every instance of each of these types. */
  private holdsForAll(c: Extract<Constraint, { kind: 'isa' }>, types: readonly SchemaType[]): boolean {
    if (c.type.kind !== 'fixed') return false;
    const type = c.type.type;
    return types.every((t) => (c.explicit ? t.id === type.id : this.scopes.isSubtype(t, type)));
  }

  generator(c: Constraint, row: Row, scope: Scope): StepGenerator | undefined {
    const s = this.schema;
    const things = this.things;
    const bound = (v: string) => row.has(v);
    const allowed = (v: string, type: SchemaType) => scope.sets.get(v)?.has(type) ?? true;
    switch (c.kind) {
      case 'iid': {
        if (bound(c.variable)) return undefined;
        return {
          cost: 0,
          consumes: c,
          run: (r) => {
            const thing = c.iid.length > 0 ? safeGet(things, c.iid) : undefined;
            return thing && allowed(c.variable, thing.type) ? bindEach(r, c.variable, [{ kind: 'thing', thing }]) : [];
          },
        };
      }
      case 'label':
        return {
          cost: 0,
          consumes: c,
          run: (r) => (allowed(c.variable, c.type) ? bindEach(r, c.variable, [{ kind: 'type', type: c.type }]) : []),
        };
      case 'is': {
        const [from, to] = bound(c.left) ? [c.left, c.right] : bound(c.right) ? [c.right, c.left] : [];
        if (!from || !to) return undefined;
        return { cost: 0, consumes: c, run: (r) => bindEach(r, to, [r.get(from)!]) };
      }
      case 'assign': {
        if (bound(c.variable) || !variablesOf(c.expression).every(bound)) return undefined;
        return { cost: 0, consumes: c, run: (r) => bindEach(r, c.variable, [{ kind: 'value', value: assignedValue(c, r, things) }]) };
      }
      case 'compare': {
        if (bound(c.left) || scope.conjunction.variables.get(c.left) === 'value') return undefined;
        if (isRangeComparator(c.op) && c.right.kind === 'value') return this.rangeGenerator(c.left, row, scope);
        if (c.op !== '==' && c.op !== '=') return undefined;
        if (c.right.kind === 'var' && !bound(c.right.name)) return undefined;
        const types = this.concreteTypes(c.left, scope).filter((t) => t.root === 'attribute');
        return {
          cost: CHEAP + types.length * 0.01 + this.ownersFollowing(c, types, row, scope),
          run: (r) => {
            const value = c.right.kind === 'value' ? c.right.value : valueIn(c.right.name, r, things);
            if (value === undefined) return [];
            const found: Binding[] = [];
            for (const type of types) {
              const converted = convertForAttribute(value, type);
              if (converted === undefined) continue;
              const iid = attributeIID(type.id, converted);
              if (things.exists(iid)) found.push({ kind: 'thing', thing: { iid, type }, value: converted });
            }
            return bindEach(r, c.left, found);
          },
        };
      }
      case 'isa': {
        if (bound(c.thing) && c.type.kind === 'var' && !bound(c.type.name)) {
          const typeVar = c.type.name;
          return {
            cost: CHEAP,
            consumes: c,
            run: (r) => {
              const thing = thingOf(c.thing, r);
              const types = c.explicit ? [thing.type] : supertypesWithRoot(s, thing.type);
              return bindEach(r, typeVar, types.filter((t) => allowed(typeVar, t)).map((type) => ({ kind: 'type', type })));
            },
          };
        }
        return undefined;
      }
      case 'has': {
        if (bound(c.owner) && !bound(c.attribute)) {
          const attributeTypes = [...(scope.sets.get(c.attribute) ?? [])];
          return {
            cost: EDGE_COST,
            consumes: c,
            // Read lazily (bindRead): an owner of millions of attributes gives way while they are read.
            run: (r) => {
              const owner = thingOf(c.owner, r).iid;
              // Values are read when a filter or the answer needs them (valueOf), not for every attribute found.
              if (attributeTypes.length === 1) return this.bindRead(r, c.attribute, things.ownedAttributeThings(owner, attributeTypes[0]));
              if (attributeTypes.length <= 3) return this.bindRead(r, c.attribute, ownedOfTypes(things, owner, attributeTypes));
              return this.bindRead(r, c.attribute, things.ownedAttributeThings(owner), (t) => allowed(c.attribute, t));
            },
          };
        }
        if (bound(c.attribute) && !bound(c.owner)) {
          const attribute = row.get(c.attribute)!;
          const owners = attribute.kind === 'thing' ? this.ownersPerAttribute(attribute.thing.type) : 1;
          return {
            cost: EDGE_COST * Math.max(1, owners),
            consumes: c,
            // Lazy, as above: an attribute owned by millions of things gives way while its owners are read.
            run: (r) => this.bindRead(r, c.owner, things.owners(thingOf(c.attribute, r).iid), (t) => allowed(c.owner, t)),
          };
        }
        return undefined;
      }
      case 'relation': {
        if (bound(c.relation)) {
          // One range of its players, each an edge read (as a lone player's relations below).
          const cost = EDGE_COST * (1 + c.players.length / RANGE_IN_EDGES);
          return { cost, consumes: c, run: (r) => this.matchPlayers(c.relation, c.players, r, scope) };
        }
        const anchors = c.players.filter((p) => bound(p.player));
        if (anchors.length === 0) return undefined;
        // Each player still unbound multiplies the matches a relation can give: the more players bound, the fewer
        // (a Sudoku block with four of its six cells bound before a row with one). So does each relation the anchor
        // is in: an action in every access relation is no start, a subject in one of four permissions is.
        const perRelation = 1 + Math.max(1, new Set(c.players.filter((p) => !bound(p.player)).map((p) => p.player)).size);
        // From the anchor whose read costs least (betterAnchor); only its edges in the roles it may play here are read.
        const withRoles = anchors.map((p) => {
          const type = thingOf(p.player, row).type;
          const roles = storedRoles(this.schema, p, row);
          const read = roles && edgeReadFor(this.statistics, things, type, roles);
          const fanOut = this.relationsPerPlayer(c.relation, scope, type, roles);
          return { anchor: p, roles, read, fanOut, weight: perRelation * fanOut + extraRanges(read) };
        });
        const { anchor, read, fanOut } = withRoles.reduce((a, b) => (betterAnchor(b, a) ? b : a));
        const ranges = extraRanges(read);
        // A lone player with a known role is matched by its own edge: reading the relation's players again would
        // only find that edge (once per role it plays there, as the edges give it).
        const alone = c.players.length === 1 && anchor.role?.kind !== 'var';
        // Read in one role type, the anchor meets each relation once (its edge keys are [player][role][relation]):
        // no set of the relations met is needed (its keys cost as much as the rest of a transitive rule's step).
        const once = read !== undefined && read.keep === undefined && read.roles.length === 1;
        // The anchor's extra ranges are left out of the step's cost: weighed against a scan, they made the planner
        // scan a few things first and open as many ranges again for each (test/query/range-cost-plans.test.ts).
        // A lone player's relations are its edges, one range read without the relations' players: weighed as if their
        // players were read, a scan of the relations (one range of players each) looked ahead as cheaper than a scan
        // of the players (scan-lookahead.ts).
        const cost = alone ? EDGE_COST * (1 + fanOut / RANGE_IN_EDGES) : EDGE_COST * perRelation * Math.max(1, fanOut);
        return {
          cost,
          extraRanges: ranges,
          consumes: c,
          run: function* (this: StepGenerators, r: Row) {
            const player = thingOf(anchor.player, r);
            const seen = new Set<string>();
            // A list held in memory is walked as it is: a generator per read, and one more per edge, cost more than
            // the rest of a transitive rule's relation step.
            const held = once ? things.heldRelationsOf(player, read!.roles[0]!) : undefined;
            const edges = held ?? (read === undefined ? things.relationsOf(player) : edgesInRoles(things, player, read, this.pause));
            for (const edge of edges) {
              if (edge === PENDING) {
                yield PENDING;
                continue;
              }
              if (alone) {
                if (!allowed(c.relation, edge.relation.type)) continue;
                r.set(c.relation, { kind: 'thing', thing: edge.relation });
                yield r;
                continue;
              }
              if (!allowed(c.relation, edge.relation.type)) continue;
              if (!once) {
                const key = iidKey(edge.relation.iid);
                if (seen.has(key)) continue;
                seen.add(key);
              }
              r.set(c.relation, { kind: 'thing', thing: edge.relation });
              yield* this.matchPlayers(c.relation, c.players, r, scope);
            }
            r.delete(c.relation);
          }.bind(this),
        };
      }
      case 'disjunction': {
        const cost = disjunctionCost(c.branches, {
          sets: (branch) => this.scopes.nested(branch, scope).sets,
          bound,
          outside: (v) => declaredIn(scope, v),
          scan: (v, sets) => this.scanCost([...(sets.get(v) ?? [])].filter((t) => !t.abstract && !t.isMeta && t.root !== 'role')),
          ownersPerAttribute: (type) => this.ownersPerAttribute(type),
        });
        return {
          cost: cost ?? UNBOUNDED / 2,
          consumes: c,
          run: (r) => this.branchAnswers(c.branches, r, scope),
        };
      }
      default:
        return typeEdgeStep(s, c, row, scope);
    }
  }

  /** Each branch's answers extending the row, branch after branch, each searched over the row itself. */
  private *branchAnswers(branches: readonly Conjunction[], row: Row, scope: Scope): Generator<Row | Pending> {
    for (const branch of branches) {
      const inner = this.scopes.nested(branch, scope);
      yield* searchInPlace(inner, row, (r) => this.search.solve(inner, r), 'a disjunction branch');
    }
  }

  /** Role-player matches of a bound relation (role-players.ts). */
  private matchPlayers(relationVar: string, players: readonly RolePlayerConstraint[], row: Row, scope: Scope): Generator<Row | Pending> {
    return matchPlayers(this.schema, this.things, thingOf(relationVar, row), players, row, scope.sets, this.pause, this.isSubtypeOf);
  }
}


/** How narrow an anchor's roles are: how many role types its edges may have (any role: every edge of the player). */
function rank(roles: readonly SchemaType[] | undefined): number {
  return roles === undefined ? Infinity : roles.length;
}

/**
 * The ranges a read opens beyond the one every anchored read opens: one per role type read range by range. Each is
 * weighed as one relation reached is (EDGE_COST), which also opens one range, that of the relation's players.
 */
function extraRanges(read: EdgeRead | undefined): number {
  return read === undefined || read.keep !== undefined ? 0 : read.roles.length - 1;
}

/**
 * Whether anchor `a` reads less than `b`: any role reads all of a player's edges; then the relations it is in and the
 * ranges it opens (its weight); then the narrower role.
 */
function betterAnchor(a: { roles?: readonly SchemaType[]; weight: number }, b: { roles?: readonly SchemaType[]; weight: number }): boolean {
  if ((a.roles === undefined) !== (b.roles === undefined)) return a.roles !== undefined;
  if (a.weight !== b.weight) return a.weight < b.weight;
  return rank(a.roles) < rank(b.roles);
}

function safeGet(things: ThingReader, iid: Uint8Array): Thing | undefined {
  try {
    return things.get(iid);
  } catch {
    return undefined;
  }
}

/** The owner's attributes of these types, type by type: a prefix read each rather than one read of them all. */
function* ownedOfTypes(things: ThingReader, owner: IID, types: readonly SchemaType[]): Generator<Thing> {
  for (const type of types) yield* things.ownedAttributeThings(owner, type);
}

function* bindEach(row: Row, name: string, bindings: Iterable<Binding>): Generator<Row> {
  for (const b of bindings) {
    row.set(name, b);
    yield row;
  }
  row.delete(name);
}
