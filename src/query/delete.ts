// Executes the statements of a `delete` clause for one answer of its match. Ownerships and role players are
// removed first, then things; what is named must exist, except a thing already deleted by an earlier answer.
import type { Statement, ThingStatement, TypeRef } from '../typeql/ast.js';
import { printLabel, printPatterns, printVariable } from '../typeql/index.js';
import type { SchemaReader, SchemaType } from '../schema/api.js';
import { labelOf, type Thing } from '../concept/things.js';
import type { ThingWriter } from '../concept/thing-writer.js';
import { StrataError } from '../common/errors.js';
import { VariableConstraints } from './variable-constraints.js';
import { writeStatementVariables } from './write-variables.js';
import type { Row } from './bindings.js';
import { SubtypeMemo } from './subtype-memo.js';

export class Deleter {
  /** The subtype checks made for this query's answers, each pair of types walked once. */
  private readonly subtypes: SubtypeMemo;
  constructor(
    private readonly schema: SchemaReader,
    private readonly things: ThingWriter,
  ) {
    this.subtypes = new SubtypeMemo(schema);
  }

  /**
   * Checks the clause once, before any answer, in TypeDB's order: TypeQL's scope check ([TQL17]), then its Deleter's
   * (value variables [THW16], anonymous ones [THW17], a type given to a matched attribute [QRY11], an iid [THW12]).
   */
  validate(statements: readonly Statement[], matchVariables: ReadonlySet<string>): void {
    for (const s of statements) {
      // Other statements fail below ([THW40]).
      if (s.kind !== 'thing-statement') continue;
      for (const v of writeStatementVariables(s)) {
        if (v.name !== '_' && !matchVariables.has(v.name)) {
          throw new StrataError('TQL', 17, `The deleted variable '${printVariable(v)}' is out of scope of the match query.`);
        }
      }
    }
    const constraints = new VariableConstraints();
    for (const s of statements) {
      if (s.kind !== 'thing-statement') {
        throw new StrataError('THW', 40, `Only thing statements can be deleted, not '${printPatterns([s])}'.`);
      }
      const valueVariable = writeStatementVariables(s).find((v) => v.kind === 'value-var');
      if (valueVariable) {
        throw new StrataError('THW', 16, `Illegal value variable '${printVariable(valueVariable)}' in delete query. You can only delete named variables that were matched.`);
      }
      const anonymous = !s.variable || s.variable.name === '_' || s.has.some((h) => h.value.kind !== 'concept-var') || s.predicate !== undefined;
      if (anonymous || writeStatementVariables(s).some((v) => v.name === '_')) {
        throw new StrataError('THW', 17, `Illegal anonymous delete variable in pattern '${printPatterns([s])}'.  You can only delete named variables that were matched.`);
      }
      // `has T $a` gives $a a type, which a delete may not do (TypeDB's registry of delete variables refuses it).
      for (const h of s.has) {
        if (h.attributeType && h.value.kind === 'concept-var') {
          throw new StrataError('QRY', 11, `The variable '$${h.value.name}' is specified with a type '${printLabel(h.attributeType)}', which is not allowed in this part of the query.`);
        }
      }
      if (s.iid !== undefined) {
        throw new StrataError('THW', 12, `The variable '$${s.variable!.name}' tries to insert iid '${s.iid}'. IIDs are prohibited in insert clauses. You may want to query the variable using IID in the match clause.`);
      }
      constraints.add(s.variable!.name, s);
    }
  }

  /**
   * Deletes for one answer; returns the variables whose things its `isa` statements deleted (not those already gone),
   * which TypeDB (since 2.19) drops from the answer, so that an update's insert cannot reach them.
   */
  delete(statements: readonly ThingStatement[], row: Row): ReadonlySet<string> {
    const toDelete: { thing: Thing; name: string }[] = [];
    // A relation constraint repeated in another statement is one constraint (validate made sure they are identical).
    const relationsDone = new Set<string>();
    for (const s of statements) {
      const subject = this.thing(row, s.variable!.name, s);
      for (const has of s.has) {
        if (has.value.kind !== 'concept-var') continue;
        const attribute = this.thing(row, has.value.name, s);
        if (has.attributeType) {
          const type = this.schema.get(has.attributeType);
          if (!type || type.root !== 'attribute' || !this.subtypes.isSubtype(attribute.type, type)) {
            throw new StrataError('THW', 43, `The attribute '$${has.value.name}' is not an instance of the attribute type '${has.attributeType.name}' in '${printPatterns([s])}'.`);
          }
        }
        if (!this.schema.owns(subject.type).has(attribute.type.id)) {
          throw new StrataError('THW', 21, `The instance of type '${labelOf(subject.type)}' cannot own instances of attribute type '${labelOf(attribute.type)}'.`);
        }
        // Deleting an ownership that an earlier answer already deleted is a no-op.
        this.things.unsetHas(subject, attribute);
      }
      if (s.relation && !relationsDone.has(s.variable!.name)) {
        relationsDone.add(s.variable!.name);
        for (const rp of s.relation) {
          const player = this.thing(row, rp.player.name, s);
          const role = this.role(subject, rp.role, row, player, rp.player.name);
          if (!this.schema.relates(subject.type).some((r) => r.id === role.id)) {
            throw new StrataError('THW', 30, `The relation instance of type '${labelOf(subject.type)}' cannot relate the role type '${labelOf(role)}'.`);
          }
          if (!this.schema.plays(player.type).has(role.id)) {
            throw new StrataError('THW', 29, `The instance of type '${labelOf(player.type)}' cannot play the role type '${labelOf(role)}'.`);
          }
          // Deleting a role player that an earlier answer already removed is a no-op.
          this.things.removePlayer(subject, role, player);
        }
      }
      if (s.isa) {
        let type: SchemaType | undefined;
        if (s.isa.type.kind === 'label') {
          type = this.schema.get(s.isa.type.label);
          // TypeDB compares the label with the thing's types: an unknown one is simply not among them.
          if (!type) throw this.invalidType(s, printLabel(s.isa.type.label));
        } else {
          const b = row.get(s.isa.type.name);
          if (!b || b.kind !== 'type') throw new StrataError('THW', 41, `The type variable '$${s.isa.type.name}' is not bound by the match clause.`);
          type = b.type;
        }
        const ok = s.isa.explicit ? subject.type.id === type.id : this.subtypes.isSubtype(subject.type, type);
        if (!ok) throw this.invalidType(s, labelOf(type));
        toDelete.push({ thing: subject, name: s.variable!.name });
      }
    }
    const deleted = new Set<string>();
    for (const { thing, name } of toDelete) {
      if (!this.things.exists(thing.iid)) continue;
      this.things.delete(thing);
      deleted.add(name);
    }
    return deleted;
  }

  private invalidType(s: ThingStatement, label: string): StrataError {
    return s.isa!.explicit
      ? new StrataError('THW', 19, `The thing '$${s.variable!.name}' cannot be deleted, as the provided direct type '${label}' is not valid.`)
      : new StrataError('THW', 18, `The thing '$${s.variable!.name}' cannot be deleted, as the provided type '${label}' is not its direct type nor supertype.`);
  }

  private thing(row: Row, name: string, s: ThingStatement): Thing {
    const b = row.get(name);
    if (!b || b.kind !== 'thing') {
      throw new StrataError('THW', 41, `The variable '$${name}' in '${printPatterns([s])}' is not bound to a thing by the match clause.`);
    }
    return b.thing;
  }

  /**
   * The role to delete the player from: as written, or, without one, the only role of the relation's type that the
   * player's type can play (as TypeDB infers it, from the types, not from what the relation holds).
   */
  private role(relation: Thing, ref: TypeRef | undefined, row: Row, player: Thing, playerName: string): SchemaType {
    if (ref === undefined) {
      const plays = this.schema.plays(player.type);
      const candidates = this.schema.relates(relation.type).filter((r) => plays.has(r.id));
      if (candidates.length === 0) {
        throw new StrataError('THW', 27, `Unable to add role player '$${playerName}' to the relation, as there is no provided or inferrable role type.`);
      }
      if (candidates.length > 1) {
        throw new StrataError('THW', 26, `Unable to add role player '$${playerName}' to the relation, as there are more than one possible role type it could play.`);
      }
      return this.storedRole(relation, player, candidates[0]!);
    }
    let declared: SchemaType | undefined;
    if (ref.kind === 'concept-var') {
      const b = row.get(ref.name);
      if (b?.kind !== 'type' || b.type.root !== 'role') {
        throw new StrataError('THW', 28, `The type '${b?.kind === 'type' ? labelOf(b.type) : `$${ref.name}`}' cannot be used as a role type.`);
      }
      declared = b.type;
    } else {
      declared = ref.label.scope !== undefined ? this.schema.get(ref.label) : this.schema.resolveRole(relation.type, ref.label.name);
      if (!declared) {
        throw new StrataError('TYR', 3, `The type '${labelOf(relation.type)}:${ref.label.name}' does not exist.`);
      }
    }
    return this.storedRole(relation, player, declared);
  }

  /** The role the relation holds the player in: the declared one or a subrole of it. */
  private storedRole(relation: Thing, player: Thing, declared: SchemaType): SchemaType {
    for (const edge of this.things.rolePlayers(relation)) {
      if (Buffer.compare(edge.player.iid, player.iid) === 0 && this.subtypes.isSubtypeOf(edge.role, declared)) return edge.role;
    }
    return declared;
  }
}
