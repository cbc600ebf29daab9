// Executes the statements of an `insert` clause for one answer of its match (or once, without a match).
import type { HasConstraint, Predicate, Statement, ThingStatement } from '../typeql/ast.js';
import { printPatterns } from '../typeql/index.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { labelOf, type Attribute, type Thing, type ThingWriter } from '../concept/things.js';
import { StrataError } from '../common/errors.js';
import type { Value } from '../common/values.js';
import { literalToValue } from './literals.js';
import { evaluate } from './expressions.js';
import { valueOf, type Binding, type Row } from './bindings.js';
import { convertForAttribute } from './matcher.js';

export class Inserter {
  private anonymous = 0;

  constructor(
    private readonly schema: SchemaReader,
    private readonly things: ThingWriter,
  ) {}

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
    const names = things.map((s) => (s.variable && s.variable.name !== '_' ? s.variable.name : `#insert${++this.anonymous}`));
    // Pass 1: create every thing that has an `isa`, so that later statements can refer to it.
    const pending = things.map((s, i) => ({ s, name: names[i]! }));
    let progress = true;
    const created = new Set<string>();
    while (progress) {
      progress = false;
      for (const { s, name } of pending) {
        if (created.has(name) || !s.isa) continue;
        if (matched.has(name)) {
          throw new StrataError('THW', 21, `The variable '$${name}' is already bound by the match clause and cannot be inserted again with 'isa'.`);
        }
        const value = s.predicate ? this.predicateValue(s.predicate, row, s) : undefined;
        if (value === null) continue; // depends on a value not bound yet
        row.set(name, { kind: 'thing', thing: this.create(s, value) });
        created.add(name);
        progress = true;
      }
    }
    // Pass 2: ownerships and role players.
    for (const { s, name } of pending) {
      if (s.iid !== undefined) throw new StrataError('THW', 22, `An iid cannot be assigned in an insert: '${printPatterns([s])}'.`);
      const subject = row.get(name);
      if (!subject || subject.kind !== 'thing') {
        throw new StrataError('THW', 23, `The variable '$${name}' is neither matched nor inserted with 'isa' in '${printPatterns([s])}'.`);
      }
      if (!s.isa && s.predicate) {
        throw new StrataError('THW', 24, `An attribute value can only be given together with its type ('isa') in an insert: '${printPatterns([s])}'.`);
      }
      if (s.relation) {
        if (!s.isa) throw new StrataError('THW', 25, `A relation can only be inserted with its type ('isa'): '${printPatterns([s])}'.`);
        for (const rp of s.relation) {
          if (!rp.role) throw new StrataError('THW', 26, `Inserting a relation requires the role of every player: '${printPatterns([s])}'.`);
          if (rp.role.kind !== 'label') throw new StrataError('THW', 27, `Role types in an insert must be labels, not variables: '${printPatterns([s])}'.`);
          const role = this.resolveRole(subject.thing.type, rp.role.label);
          const player = row.get(rp.player.name);
          if (!player || player.kind !== 'thing') {
            throw new StrataError('THW', 23, `The role player '$${rp.player.name}' is neither matched nor inserted in '${printPatterns([s])}'.`);
          }
          this.things.addPlayer(subject.thing, role, player.thing);
        }
      }
      for (const has of s.has) this.addHas(subject.thing, has, row, s);
    }
    return row;
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

  private create(s: ThingStatement, value: Value | undefined): Thing {
    if (s.isa!.type.kind !== 'label') throw new StrataError('THW', 29, `Inserted things need a type label, not a variable: '${printPatterns([s])}'.`);
    const type = this.schema.get(s.isa!.type.label);
    if (!type) throw new StrataError('TYR', 3, `The type '${labelText(s.isa!.type.label)}' does not exist.`);
    switch (type.root) {
      case 'entity':
        if (type.isMeta) break;
        return this.things.createEntity(type);
      case 'relation':
        if (type.isMeta) break;
        if (!s.relation) throw new StrataError('THW', 30, `A relation of type '${labelOf(type)}' must be inserted with role players: '${printPatterns([s])}'.`);
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
