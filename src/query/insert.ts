// Executes the statements of an `insert` clause for one answer of its match (or once, without a match).
import type { HasConstraint, Predicate, RolePlayer, Statement, ThingStatement } from '../typeql/ast.js';
import { printPatterns, printPredicate, printTypeRef } from '../typeql/index.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { labelOf, type Attribute, type Thing } from '../concept/things.js';
import type { ThingWriter } from '../concept/thing-writer.js';
import { INSTANCE_CLASS, ThingWrite } from '../concept/errors.js';
import { StrataError } from '../common/errors.js';
import { VariableConstraints } from './variable-constraints.js';
import type { Value } from '../common/values.js';
import { literalToValue } from './literals.js';
import { evaluate } from './expressions.js';
import { valueOf, type Binding, type Row } from './bindings.js';
import { insertedValue, type InsertedValueSource } from './insert-values.js';
import { SubtypeMemo } from './subtype-memo.js';

/** A variable as the query wrote it (anonymous ones get internal names here). */
function shown(name: string): string {
  return name.startsWith('#') || name === '_' ? '$_' : `$${name}`;
}

/**
 * The row name of an insert's N-th anonymous thing variable. TypeDB's VariableRegistry numbers them in order of
 * appearance (a statement's own `$_` before its `has` attributes) and its answers name them `_N`
 * (Identifier.Variable.Anonymous): see anonymousAnswerName.
 */
const ANONYMOUS_ROW_PREFIX = '#inserted_';

/** The answer name of an anonymous thing an insert made (`_0`), or undefined for any other row name. */
export function anonymousAnswerName(rowName: string): string | undefined {
  return rowName.startsWith(ANONYMOUS_ROW_PREFIX) ? `_${rowName.slice(ANONYMOUS_ROW_PREFIX.length)}` : undefined;
}

export class Inserter {
  /** The subtype checks made for this query's answers, each pair of types walked once. */
  private readonly subtypes: SubtypeMemo;
  constructor(
    private readonly schema: SchemaReader,
    private readonly things: ThingWriter,
  ) {
    this.subtypes = new SubtypeMemo(schema);
  }

  /**
   * Checks the clause once, before any answer: type and role variables must come from the match, and a variable's
   * statements may give it one type, one relation and one value only (as TypeDB's ThingVariable and Inserter).
   */
  validate(statements: readonly Statement[], matchVariables: ReadonlySet<string>): void {
    const constraints = new VariableConstraints();
    const values = new Map<string, string>();
    for (const s of statements) {
      if (s.kind !== 'thing-statement') continue;
      const typeVariables = [
        ...(s.isa?.type.kind === 'concept-var' ? [s.isa.type.name] : []),
        ...(s.relation ?? []).flatMap((rp) => (rp.role?.kind === 'concept-var' ? [rp.role.name] : [])),
      ];
      for (const name of typeVariables) {
        if (!matchVariables.has(name)) {
          throw new StrataError('THW', 35, `Type variable '$${name}' found in the insert query must retrieved by the match previously.`);
        }
      }
      const name = s.variable?.name;
      if (name === undefined || name === '_') continue;
      constraints.add(name, s);
      if (s.predicate) {
        const value = printPredicate(s.predicate);
        const earlier = values.get(name);
        if (earlier !== undefined && earlier !== value) {
          const typed = statements.find((t) => t.kind === 'thing-statement' && t.variable?.name === name && t.isa !== undefined) as ThingStatement | undefined;
          const type = typed ? printTypeRef(typed.isa!.type) : '';
          throw new StrataError('THW', 23, `Unable to insert attribute '$${name}' of type '${type}' with more than one value operations.`);
        }
        values.set(name, value);
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
        throw new StrataError('THW', 50, `Only thing statements can be inserted, not '${printPatterns([s])}'.`);
      }
    }
    let anonymous = 0;
    const nextAnonymous = () => `${ANONYMOUS_ROW_PREFIX}${anonymous++}`;
    const pending = things.map((s) => {
      const name = s.variable && s.variable.name !== '_' ? s.variable.name : nextAnonymous();
      // `has T <value>` and `has T ?v` name their attribute with an anonymous variable; `has [T] $a` names it.
      const hasNames = s.has.map((h) => (h.value.kind === 'concept-var' ? h.value.name : nextAnonymous()));
      return { s, name, hasNames };
    });
    // A variable's type and value may be given in separate statements (`$x isa age; $x 10;`).
    const isaOf = new Map<string, ThingStatement>();
    const valueOf_ = new Map<string, ThingStatement>();
    for (const { s, name } of pending) {
      if (s.iid !== undefined) {
        throw new StrataError('THW', 12, `The variable '${shown(name)}' tries to insert iid '${s.iid}'. IIDs are prohibited in insert clauses. You may want to query the variable using IID in the match clause.`);
      }
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
        const source = valueStatement ? sourceOf(valueStatement.predicate!) : 'literal';
        row.set(name, { kind: 'thing', thing: this.create(statement, this.typeToCreate(statement, row), value, source) });
        toCreate.splice(i--, 1);
        progress = true;
      }
    }
    if (toCreate.length > 0) {
      const s = valueOf_.get(toCreate[0]!)!;
      throw new StrataError('THW', 51, `The value in '${printPatterns([s])}' refers to a variable that is never bound.`);
    }
    // Pass 2: ownerships and role players.
    for (const { s, name, hasNames } of pending) {
      const subject = row.get(name);
      if (!subject || subject.kind !== 'thing') {
        throw new StrataError('THW', 15, `The thing variable '${shown(name)}' cannot be inserted as a new instance without providing its type (isa).`);
      }
      if (s.relation) {
        if (subject.thing.type.root !== 'relation') {
          throw new StrataError('THW', 52, `Role players can only be added to relations, but '$${name}' is a ${subject.thing.type.root}: '${printPatterns([s])}'.`);
        }
        for (const rp of s.relation) {
          const player = row.get(rp.player.name);
          if (!player || player.kind !== 'thing') {
            throw new StrataError('THW', 15, `The thing variable '${shown(rp.player.name)}' cannot be inserted as a new instance without providing its type (isa).`);
          }
          const role = this.roleFor(subject.thing.type, rp, player.thing, row);
          this.things.addPlayer(subject.thing, role, player.thing);
        }
      }
      s.has.forEach((has, i) => row.set(hasNames[i]!, { kind: 'thing', thing: this.addHas(subject.thing, has, row, s) }));
    }
    return row;
  }

  /** `match $x isa person; insert $x isa person, has …;` is allowed when the types agree (nothing is created). */
  private checkRedeclaredType(bound: Binding, s: ThingStatement, row: Row): void {
    if (bound.kind !== 'thing') throw new StrataError('THW', 53, `The variable '$${s.variable?.name}' is not bound to a thing.`);
    const type = this.typeToCreate(s, row);
    const ok = bound.thing.type.id === type.id;
    if (!ok) {
      throw new StrataError('THW', 14, `Attempted to re-insert pre-existing thing of matched variable '$${s.variable?.name}' as a new instance (isa) of type '${labelOf(type)}'.`);
    }
  }

  private typeToCreate(s: ThingStatement, row: Row): SchemaType {
    const ref = s.isa!.type;
    if (ref.kind === 'concept-var') {
      const b = row.get(ref.name);
      if (!b || b.kind !== 'type') {
        throw new StrataError('THW', 35, `Type variable '$${ref.name}' found in the insert query must retrieved by the match previously.`);
      }
      return b.type;
    }
    const type = this.schema.get(ref.label);
    if (!type) throw new StrataError('TYR', 3, `The type '${labelText(ref.label)}' does not exist.`);
    return type;
  }

  /** The role a player takes: as written, or the only role of the relation type that the player can play. */
  private roleFor(relationType: SchemaType, rp: RolePlayer, player: Thing, row: Row): SchemaType {
    const ref = rp.role;
    if (ref?.kind === 'label') return this.resolveRole(relationType, ref.label);
    if (ref?.kind === 'concept-var') {
      const b = row.get(ref.name);
      if (!b || b.kind !== 'type' || b.type.root !== 'role') {
        throw new StrataError('THW', 28, `The type '$${ref.name}' cannot be used as a role type.`);
      }
      return b.type;
    }
    const plays = this.schema.plays(player.type);
    const candidates = this.schema.relates(relationType).filter((r) => plays.has(r.id));
    if (candidates.length !== 1) {
      const playerName = `$${rp.player.name}`;
      throw candidates.length === 0
        ? new StrataError('THW', 27, `Unable to add role player '${playerName}' to the relation, as there is no provided or inferrable role type.`)
        : new StrataError('THW', 26, `Unable to add role player '${playerName}' to the relation, as there are more than one possible role type it could play.`);
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
      throw new StrataError('THW', 34, `Illegal value constraint found in the insert query on variable '$${s.variable?.name ?? '_'}'. Value variables are only permitted to specify attribute values.`);
    }
    if (p.operand.kind === 'concept-var' || p.operand.kind === 'value-var') {
      const b = row.get(p.operand.name);
      return b ? (valueOf(b, this.things) ?? null) : null;
    }
    return literalToValue(p.operand);
  }

  private create(s: ThingStatement, type: SchemaType, value: Value | undefined, source: InsertedValueSource): Thing {
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
          throw new StrataError('THW', 24, `Unable to insert attribute '$${s.variable?.name ?? '_'}' of type '${labelOf(type)}' without a value assigned to the variable.`);
        }
        return this.putAttribute(type, value, source);
      }
      default:
        break;
    }
    if (type.root === 'role') throw new StrataError('THW', 13, `The type '${labelOf(type)}' cannot be used for creating an instance as it is not a thing type.`);
    // The root types are abstract.
    throw ThingWrite.illegalAbstractWrite(INSTANCE_CLASS[type.root] ?? 'Thing', labelOf(type));
  }

  private putAttribute(type: SchemaType, value: Value, source: InsertedValueSource): Attribute {
    if (type.root !== 'attribute' || !type.valueType) throw new StrataError('THW', 54, `'${labelOf(type)}' is not an attribute type.`);
    return this.things.putAttribute(type, insertedValue(labelOf(type), type.valueType, value, source));
  }

  private resolveRole(relationType: SchemaType, label: { scope?: string; name: string }): SchemaType {
    const role = label.scope !== undefined ? this.schema.get(label) : this.schema.resolveRole(relationType, label.name);
    if (!role || !this.schema.relates(relationType).some((r) => r.id === role.id)) {
      // TypeDB's Inserter looks the role's name up in the relation type: not there, the scoped label does not exist.
      throw new StrataError('TYR', 3, `The type '${labelOf(relationType)}:${label.name}' does not exist.`);
    }
    return role;
  }

  /** Adds the ownership; returns the attribute owned. */
  private addHas(owner: Thing, has: HasConstraint, row: Row, s: ThingStatement): Thing {
    let attribute: Thing;
    if (has.value.kind === 'concept-var') {
      const b = row.get(has.value.name);
      if (!b || b.kind !== 'thing' || b.thing.type.root !== 'attribute') {
        throw new StrataError('THW', 55, `The variable '$${has.value.name}' in '${printPatterns([s])}' is not bound to an attribute.`);
      }
      if (has.attributeType) {
        const type = this.schema.get(has.attributeType);
        if (!type || !this.subtypes.isSubtypeOf(b.thing.type, type)) {
          throw new StrataError('THW', 56, `The attribute '$${has.value.name}' is not of type '${labelText(has.attributeType)}'.`);
        }
      }
      attribute = b.thing;
    } else {
      if (!has.attributeType) throw new StrataError('THW', 57, `'has' needs an attribute type: '${printPatterns([s])}'.`);
      const type = this.schema.get(has.attributeType);
      if (!type) throw new StrataError('TYR', 3, `The type '${labelText(has.attributeType)}' does not exist.`);
      let value: Value;
      if (has.value.kind === 'value-var') value = this.valueOfVar(row, has.value.name);
      else {
        const v = this.predicateValue(has.value, row, s);
        if (v === null) throw new StrataError('THW', 51, `The value in '${printPatterns([s])}' refers to an unbound variable.`);
        value = v;
      }
      attribute = this.putAttribute(type, value, has.value.kind === 'value-var' ? 'value-variable' : sourceOf(has.value));
    }
    const b: Binding = { kind: 'thing', thing: attribute };
    this.things.setHas(owner, { ...attribute, value: valueOf(b, this.things)! });
    return attribute;
  }
}

/** Where a value predicate's operand comes from, which decides how TypeDB converts it for an attribute type. */
function sourceOf(p: Predicate): InsertedValueSource {
  if (p.kind !== 'compare') return 'literal';
  return p.operand.kind === 'value-var' ? 'value-variable' : p.operand.kind === 'concept-var' ? 'attribute' : 'literal';
}

function labelText(label: { scope?: string; name: string }): string {
  return label.scope === undefined ? label.name : `${label.scope}:${label.name}`;
}
