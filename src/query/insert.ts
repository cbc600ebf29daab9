// Executes the statements of an `insert` clause for one answer of its match (or once, without a match).
import type { HasConstraint, Predicate, Statement, ThingStatement, TypeRef } from '../typeql/ast.js';
import { printPatterns } from '../typeql/index.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { labelOf, type Attribute, type Thing, type ThingWriter } from '../concept/things.js';
import { StrataError } from '../common/errors.js';
import type { Value } from '../common/values.js';
import { literalToValue } from './literals.js';
import { evaluate } from './expressions.js';
import { valueOf, type Binding, type Row } from './bindings.js';
import { convertForAttribute } from './value-comparison.js';

export class Inserter {
  private anonymous = 0;

  constructor(
    private readonly schema: SchemaReader,
    private readonly things: ThingWriter,
  ) {}

  /** Checks the clause once, before any answer: type and role variables must come from the match. */
  validate(statements: readonly Statement[], matchVariables: ReadonlySet<string>): void {
    for (const s of statements) {
      if (s.kind !== 'thing-statement') continue;
      const typeVariables = [
        ...(s.isa?.type.kind === 'concept-var' ? [s.isa.type.name] : []),
        ...(s.relation ?? []).flatMap((rp) => (rp.role?.kind === 'concept-var' ? [rp.role.name] : [])),
      ];
      for (const name of typeVariables) {
        if (!matchVariables.has(name)) {
          throw new StrataError('THW', 29, `The type variable '$${name}' in '${printPatterns([s])}' must be bound to a type by the match clause.`);
        }
      }
    }
  }

  /** Inserts for one answer; returns the row extended with everything the insert bound. */
  insert(statements: readonly Statement[], matched: Row): Row {
    const row: Row = new Map(matched);
    const things = statements.filter((s): s is ThingStatement => s.kind === 'thing-statement');
    for (const s of statements) {
      if (s.kind === 'value-statement' && s.assignment) {
        row.set(s.variable.name, { kind: 'value', value: evaluate(s.assignment, (n) => this.valueOfVar(row, n)) });
      } else if (s.kind !== 'thing-statement') {
        throw new StrataError('THW', 20, `Only thing statements can be inserted, not '${printPatterns([s])}'.`);
      }
    }
    const pending = things.map((s) => ({ s, name: s.variable && s.variable.name !== '_' ? s.variable.name : `#insert${++this.anonymous}` }));
    // A variable's type and value may be given in separate statements (`$x isa age; $x 10;`).
    const isaOf = new Map<string, ThingStatement>();
    const valueOf_ = new Map<string, ThingStatement>();
    for (const { s, name } of pending) {
      if (s.iid !== undefined) throw new StrataError('THW', 22, `An iid cannot be assigned in an insert: '${printPatterns([s])}'.`);
      if (s.isa && !isaOf.has(name)) isaOf.set(name, s);
      if (s.predicate && !valueOf_.has(name)) valueOf_.set(name, s);
    }
    // Pass 1: create every thing that has an `isa` (in dependency order for values taken from variables).
    const toCreate = [...isaOf.keys()].filter((name) => {
      const bound = matched.get(name);
      if (!bound) return true;
      this.checkRedeclaredType(bound, isaOf.get(name)!, row);
      return false;
    });
    let progress = true;
    while (toCreate.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < toCreate.length; i++) {
        const name = toCreate[i]!;
        const statement = isaOf.get(name)!;
        const valueStatement = valueOf_.get(name);
        const value = valueStatement ? this.predicateValue(valueStatement.predicate!, row, valueStatement) : undefined;
        if (value === null) continue; // depends on a variable not bound yet
        row.set(name, { kind: 'thing', thing: this.create(statement, this.typeToCreate(statement, row), value) });
        toCreate.splice(i--, 1);
        progress = true;
      }
    }
    if (toCreate.length > 0) {
      const s = valueOf_.get(toCreate[0]!)!;
      throw new StrataError('THW', 33, `The value in '${printPatterns([s])}' refers to a variable that is never bound.`);
    }
    // Pass 2: ownerships and role players.
    for (const { s, name } of pending) {
      const subject = row.get(name);
      if (!subject || subject.kind !== 'thing') {
        const what = s.predicate && !isaOf.has(name) ? 'An attribute value needs its type (isa) in an insert' : `The variable '$${name}' is neither matched nor inserted with 'isa'`;
        throw new StrataError('THW', 23, `${what}: '${printPatterns([s])}'.`);
      }
      if (s.relation) {
        if (subject.thing.type.root !== 'relation') {
          throw new StrataError('THW', 25, `Role players can only be added to relations, but '$${name}' is a ${subject.thing.type.root}: '${printPatterns([s])}'.`);
        }
        for (const rp of s.relation) {
          const player = row.get(rp.player.name);
          if (!player || player.kind !== 'thing') {
            throw new StrataError('THW', 23, `The role player '$${rp.player.name}' is neither matched nor inserted in '${printPatterns([s])}'.`);
          }
          const role = this.roleFor(subject.thing.type, rp.role, player.thing, row, s);
          this.things.addPlayer(subject.thing, role, player.thing);
        }
      }
      for (const has of s.has) this.addHas(subject.thing, has, row, s);
    }
    return row;
  }

  /** `match $x isa person; insert $x isa person, has …;` is allowed when the types agree (nothing is created). */
  private checkRedeclaredType(bound: Binding, s: ThingStatement, row: Row): void {
    if (bound.kind !== 'thing') throw new StrataError('THW', 21, `The variable '$${s.variable?.name}' is not bound to a thing.`);
    const type = this.typeToCreate(s, row);
    const ok = bound.thing.type.id === type.id;
    if (!ok) {
      throw new StrataError('THW', 21, `The matched '$${s.variable?.name}' is a '${labelOf(bound.thing.type)}', not a '${labelOf(type)}': '${printPatterns([s])}'.`);
    }
  }

  private typeToCreate(s: ThingStatement, row: Row): SchemaType {
    const ref = s.isa!.type;
    if (ref.kind === 'concept-var') {
      const b = row.get(ref.name);
      if (!b || b.kind !== 'type') {
        throw new StrataError('THW', 29, `The type variable '$${ref.name}' in '${printPatterns([s])}' must be bound to a type by the match clause.`);
      }
      return b.type;
    }
    const type = this.schema.get(ref.label);
    if (!type) throw new StrataError('TYR', 3, `The type '${labelText(ref.label)}' does not exist.`);
    return type;
  }

  /** The role a player takes: as written, or the only role of the relation type that the player can play. */
  private roleFor(relationType: SchemaType, ref: TypeRef | undefined, player: Thing, row: Row, s: ThingStatement): SchemaType {
    if (ref?.kind === 'label') return this.resolveRole(relationType, ref.label);
    if (ref?.kind === 'concept-var') {
      const b = row.get(ref.name);
      if (!b || b.kind !== 'type' || b.type.root !== 'role') {
        throw new StrataError('THW', 27, `The role variable '$${ref.name}' in '${printPatterns([s])}' must be bound to a role type by the match clause.`);
      }
      return b.type;
    }
    const plays = this.schema.plays(player.type);
    const candidates = this.schema.relates(relationType).filter((r) => plays.has(r.id));
    if (candidates.length !== 1) {
      throw new StrataError(
        'THW',
        26,
        candidates.length === 0
          ? `A '${labelOf(player.type)}' cannot play any role of '${labelOf(relationType)}': '${printPatterns([s])}'.`
          : `The role of '$${s.relation?.find((rp) => !rp.role)?.player.name}' is ambiguous (it could be ${candidates.map(labelOf).join(' or ')}): name it in '${printPatterns([s])}'.`,
      );
    }
    return candidates[0]!;
  }

  private valueOfVar(row: Row, name: string): Value {
    const b = row.get(name);
    const v = b && valueOf(b, this.things);
    if (v === undefined) throw new StrataError('QRY', 21, `The value variable '?${name}' is never assigned to.`);
    return v;
  }

  /** The literal value of an attribute statement; null when it refers to a variable that is not bound yet. */
  private predicateValue(p: Predicate, row: Row, s: ThingStatement): Value | null {
    if (p.kind !== 'compare' || (p.op !== undefined && p.op !== '==' && p.op !== '=')) {
      throw new StrataError('THW', 28, `An inserted attribute needs one exact value, not a condition: '${printPatterns([s])}'.`);
    }
    if (p.operand.kind === 'concept-var' || p.operand.kind === 'value-var') {
      const b = row.get(p.operand.name);
      return b ? (valueOf(b, this.things) ?? null) : null;
    }
    return literalToValue(p.operand);
  }

  private create(s: ThingStatement, type: SchemaType, value: Value | undefined): Thing {
    switch (type.root) {
      case 'entity':
        if (type.isMeta) break;
        return this.things.createEntity(type);
      case 'relation':
        if (type.isMeta) break;
        // A relation left without players is removed at commit.
        return this.things.createRelation(type);
      case 'attribute': {
        if (type.isMeta) break;
        if (value === undefined) {
          throw new StrataError('THW', 31, `The attribute of type '${labelOf(type)}' must be inserted with a value: '${printPatterns([s])}'.`);
        }
        return this.putAttribute(type, value);
      }
      default:
        break;
    }
    throw new StrataError('THW', 1, `Cannot insert an instance of '${labelOf(type)}': it is a ${type.isMeta ? 'root type' : type.root + ' type'}.`);
  }

  private putAttribute(type: SchemaType, value: Value): Attribute {
    if (type.root !== 'attribute') throw new StrataError('THW', 32, `'${labelOf(type)}' is not an attribute type.`);
    const converted = type.valueType === 'double' && value.type === 'long' ? convertForAttribute(value, type) : value;
    if (!converted || converted.type !== type.valueType) {
      throw new StrataError('THW', 5, `Attribute type '${labelOf(type)}' has value type ${type.valueType}, so it cannot hold the ${value.type} value ${String(value.value)}.`);
    }
    return this.things.putAttribute(type, converted);
  }

  private resolveRole(relationType: SchemaType, label: { scope?: string; name: string }): SchemaType {
    const role = label.scope !== undefined ? this.schema.get(label) : this.schema.resolveRole(relationType, label.name);
    if (!role || !this.schema.relates(relationType).some((r) => r.id === role.id)) {
      throw new StrataError('THW', 8, `Relation type '${labelOf(relationType)}' does not relate the role '${labelText(label)}'.`);
    }
    return role;
  }

  private addHas(owner: Thing, has: HasConstraint, row: Row, s: ThingStatement): void {
    let attribute: Thing;
    if (has.value.kind === 'concept-var') {
      const b = row.get(has.value.name);
      if (!b || b.kind !== 'thing' || b.thing.type.root !== 'attribute') {
        throw new StrataError('THW', 33, `The variable '$${has.value.name}' in '${printPatterns([s])}' is not bound to an attribute.`);
      }
      if (has.attributeType) {
        const type = this.schema.get(has.attributeType);
        if (!type || !this.schema.isSubtypeOf(b.thing.type, type)) {
          throw new StrataError('THW', 34, `The attribute '$${has.value.name}' is not of type '${labelText(has.attributeType)}'.`);
        }
      }
      attribute = b.thing;
    } else {
      if (!has.attributeType) throw new StrataError('THW', 35, `'has' needs an attribute type: '${printPatterns([s])}'.`);
      const type = this.schema.get(has.attributeType);
      if (!type) throw new StrataError('TYR', 3, `The type '${labelText(has.attributeType)}' does not exist.`);
      let value: Value;
      if (has.value.kind === 'value-var') value = this.valueOfVar(row, has.value.name);
      else {
        const v = this.predicateValue(has.value, row, s);
        if (v === null) throw new StrataError('THW', 33, `The value in '${printPatterns([s])}' refers to an unbound variable.`);
        value = v;
      }
      attribute = this.putAttribute(type, value);
    }
    const b: Binding = { kind: 'thing', thing: attribute };
    this.things.setHas(owner, { ...attribute, value: valueOf(b, this.things)! });
  }
}

function labelText(label: { scope?: string; name: string }): string {
  return label.scope === undefined ? label.name : `${label.scope}:${label.name}`;
}
