// The reading half of the type graph: types by label and id, the hierarchy, and the effective (inherited)
// ownerships, played roles and related roles, computed as TypeDB 2.x does (overrides hide what they override)
// and cached until the next mutation. TypeGraph (type-graph.ts) adds the mutations.
import type { TypeLabel, TypeRoot } from './labels.js';
import { labelText } from './labels.js';
import type { ValueType } from '../common/values.js';
import type { RuleDefinition } from '../typeql/ast.js';
import type { Ownership, Playing, SchemaReader, SchemaType, TypeId } from './api.js';
import { type AnnotationSet, union, NO_ANNOTATIONS } from './annotations.js';
import { TypeWrite } from './errors.js';
import { ruleReferences } from './rule-shape.js';
import type { TypeStore, TypeRecord } from './store.js';

export const ROLE_ROOT_LABEL: TypeLabel = Object.freeze({ scope: 'relation', name: 'role' });

/** An `owns` edge as declared on its owner (the Concept API's `getOwns(EXPLICIT)`). */
export interface DeclaredOwnership {
  readonly attribute: SchemaType;
  /** The inherited attribute type this ownership overrides; the attribute itself for a plain redeclaration. */
  readonly overridden?: SchemaType;
  /** Annotations written on this declaration (not the inherited ones). */
  readonly key: boolean;
  readonly unique: boolean;
}

export interface DeclaredPlaying {
  readonly role: SchemaType;
  readonly overridden?: SchemaType;
}

/** A live view of one type record; valid as long as the type exists in the graph that made it. */
class TypeView implements SchemaType {
  constructor(
    private readonly graph: TypeGraphReader,
    private readonly store: TypeStore,
    readonly id: TypeId,
  ) {}

  private get record(): TypeRecord {
    const r = this.store.get(this.id);
    if (!r) throw TypeWrite.typeHasBeenDeleted(`#${this.id}`);
    return r;
  }

  get label(): TypeLabel {
    return this.record.label;
  }
  get root(): TypeRoot {
    return this.record.root;
  }
  get isMeta(): boolean {
    return this.record.isMeta;
  }
  get abstract(): boolean {
    return this.record.abstract;
  }
  get valueType(): ValueType | undefined {
    return this.record.valueType;
  }
  get regex(): string | undefined {
    return this.record.regex;
  }
  get supertype(): SchemaType | undefined {
    const id = this.record.supertype;
    return id === undefined ? undefined : this.graph.byId(id);
  }
  toString(): string {
    return labelText(this.record.label);
  }
}

export interface Derived {
  children?: Map<TypeId, TypeId[]>;
  readonly owns: Map<TypeId, ReadonlyMap<TypeId, Ownership>>;
  readonly plays: Map<TypeId, ReadonlyMap<TypeId, Playing>>;
  readonly relates: Map<TypeId, SchemaType[]>;
  references?: Map<string, string[]>;
}

export function newDerived(): Derived {
  return { owns: new Map(), plays: new Map(), relates: new Map() };
}

export function frozenLabel(name: string, scope?: string): TypeLabel {
  return Object.freeze(scope === undefined ? { name } : { scope, name });
}

export abstract class TypeGraphReader implements SchemaReader {
  private readonly views = new Map<TypeId, TypeView>();
  protected derived: Derived = newDerived();

  protected constructor(protected readonly store: TypeStore) {}

  // ---------------------------------------------------------------------------------------------------------------
  // SchemaReader

  get(label: string | TypeLabel): SchemaType | undefined {
    const r = this.store.lookup(typeof label === 'string' ? label : labelText(label));
    return r && this.view(r.id);
  }

  all(): Iterable<SchemaType> {
    return [...this.store.records.keys()].map((id) => this.view(id));
  }

  byId(id: TypeId): SchemaType | undefined {
    return this.store.get(id) ? this.view(id) : undefined;
  }

  supertypes(type: SchemaType): SchemaType[] {
    const result: SchemaType[] = [];
    let r: TypeRecord | undefined = this.record(type);
    while (r) {
      if (r.root === 'thing' && result.length > 0) break;
      result.push(this.view(r.id));
      r = r.supertype === undefined ? undefined : this.store.get(r.supertype);
    }
    return result;
  }

  subtypes(type: SchemaType, options?: { direct?: boolean }): SchemaType[] {
    const children = this.children();
    const direct = (id: TypeId) => children.get(id) ?? [];
    if (options?.direct) return direct(type.id).map((id) => this.view(id));
    const result: SchemaType[] = [];
    const visit = (id: TypeId) => {
      result.push(this.view(id));
      for (const child of direct(id)) visit(child);
    };
    visit(this.record(type).id);
    return result;
  }

  isSubtypeOf(type: SchemaType, ancestor: SchemaType): boolean {
    let r: TypeRecord | undefined = this.store.get(type.id);
    while (r) {
      if (r.id === ancestor.id) return true;
      r = r.supertype === undefined ? undefined : this.store.get(r.supertype);
    }
    return false;
  }

  owns(type: SchemaType): ReadonlyMap<TypeId, Ownership> {
    const cached = this.derived.owns.get(type.id);
    if (cached) return cached;
    const r = this.record(type);
    const result = this.inherited(r, r.owns, (s) => this.owns(s), (attr, edge, parent) => {
      const inherited = parent.get(attr) ?? (edge.overridden === undefined ? undefined : parent.get(edge.overridden));
      const effective: AnnotationSet = union(edge, inherited ?? NO_ANNOTATIONS);
      return {
        attribute: this.view(attr),
        key: effective.key,
        unique: effective.unique,
        declaredBy: this.view(r.id),
        overridden: edge.overridden === undefined ? undefined : this.view(edge.overridden),
      };
    });
    this.derived.owns.set(type.id, result);
    return result;
  }

  plays(type: SchemaType): ReadonlyMap<TypeId, Playing> {
    const cached = this.derived.plays.get(type.id);
    if (cached) return cached;
    const r = this.record(type);
    const result = this.inherited(r, r.plays, (s) => this.plays(s), (role, edge) => ({
      role: this.view(role),
      declaredBy: this.view(r.id),
      overridden: edge.overridden === undefined ? undefined : this.view(edge.overridden),
    }));
    this.derived.plays.set(type.id, result);
    return result;
  }

  /**
   * A type's effective ownerships or played roles: its supertype's, less those its own declarations redeclare or
   * override, plus its own (made by `own`). Meta types and roles have none.
   */
  private inherited<E extends { readonly overridden?: TypeId }, T>(
    r: TypeRecord,
    declared: ReadonlyMap<TypeId, E>,
    ofType: (type: SchemaType) => ReadonlyMap<TypeId, T>,
    own: (id: TypeId, edge: E, parent: ReadonlyMap<TypeId, T>) => T,
  ): Map<TypeId, T> {
    const result = new Map<TypeId, T>();
    if (r.isMeta || r.root === 'role' || r.supertype === undefined) return result;
    const parent = ofType(this.view(r.supertype));
    const hidden = new Set<TypeId>();
    for (const [id, edge] of declared) {
      hidden.add(id);
      if (edge.overridden !== undefined) hidden.add(edge.overridden);
    }
    for (const [id, value] of parent) if (!hidden.has(id)) result.set(id, value);
    for (const [id, edge] of declared) result.set(id, own(id, edge, parent));
    return result;
  }

  /** Effective related roles. The meta `relation` relates `relation:role`; no other relation lists it. */
  relates(type: SchemaType): SchemaType[] {
    const cached = this.derived.relates.get(type.id);
    if (cached) return cached;
    const r = this.record(type);
    let result: SchemaType[] = [];
    if (r.root === 'relation') {
      if (r.isMeta) {
        result = r.relates.map((id) => this.view(id));
      } else {
        const declared = r.relates.map((id) => this.store.get(id)!);
        const hidden = new Set(declared.map((role) => role.supertype));
        const parentRecord = this.store.get(r.supertype!)!;
        const parent = parentRecord.isMeta ? [] : this.relates(this.view(parentRecord.id));
        result = [...parent.filter((role) => !hidden.has(role.id)), ...declared.map((role) => this.view(role.id))];
      }
    }
    this.derived.relates.set(type.id, result);
    return result;
  }

  resolveRole(relation: SchemaType, roleName: string): SchemaType | undefined {
    const roles = this.relates(relation);
    if (roleName.includes(':')) return roles.find((role) => labelText(role.label) === roleName);
    return roles.find((role) => role.label.name === roleName);
  }

  rules(): ReadonlyMap<string, RuleDefinition> {
    return this.store.rules;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Schema inspection beyond the SchemaReader contract (declared edges, for the printer and the Concept API)

  /** Ownerships declared on the type itself, keyed by attribute type id. */
  declaredOwns(type: SchemaType): ReadonlyMap<TypeId, DeclaredOwnership> {
    const result = new Map<TypeId, DeclaredOwnership>();
    for (const [attr, edge] of this.record(type).owns) {
      result.set(attr, {
        attribute: this.view(attr),
        overridden: edge.overridden === undefined ? undefined : this.view(edge.overridden),
        key: edge.key,
        unique: edge.unique,
      });
    }
    return result;
  }

  /** Played roles declared on the type itself, keyed by role type id. */
  declaredPlays(type: SchemaType): ReadonlyMap<TypeId, DeclaredPlaying> {
    const result = new Map<TypeId, DeclaredPlaying>();
    for (const [role, edge] of this.record(type).plays) {
      result.set(role, {
        role: this.view(role),
        overridden: edge.overridden === undefined ? undefined : this.view(edge.overridden),
      });
    }
    return result;
  }

  /** Role types declared by the relation type itself (their supertype is the role they override, if any). */
  declaredRelates(relation: SchemaType): SchemaType[] {
    return this.record(relation).relates.map((id) => this.view(id));
  }

  /** The relation type that declares a role type. */
  relationOf(role: SchemaType): SchemaType | undefined {
    const id = this.record(role).relation;
    return id === undefined ? undefined : this.view(id);
  }

  /** The inherited role a declared role overrides (`relates father as parent`), if any. */
  overriddenRole(role: SchemaType): SchemaType | undefined {
    const r = this.record(role);
    if (r.root !== 'role' || r.supertype === undefined) return undefined;
    const sup = this.store.get(r.supertype)!;
    return sup.isMeta ? undefined : this.view(sup.id);
  }

  /** Types whose effective ownerships include the attribute type. */
  ownersOf(attribute: SchemaType): SchemaType[] {
    return this.thingTypes().filter((t) => this.owns(t).has(attribute.id));
  }

  /** Types whose effective played roles include the role type. */
  playersOf(role: SchemaType): SchemaType[] {
    return this.thingTypes().filter((t) => this.plays(t).has(role.id));
  }

  /** Labels of the rules whose text refers to this type by label. */
  rulesReferencing(type: SchemaType): string[] {
    return this.references().get(labelText(this.record(type).label)) ?? [];
  }

  /** User-defined entity, relation and attribute types (no meta types, no roles). */
  protected thingTypes(): SchemaType[] {
    const result: SchemaType[] = [];
    for (const r of this.store.records.values()) {
      if (!r.isMeta && r.root !== 'role' && r.root !== 'thing') result.push(this.view(r.id));
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  protected view(id: TypeId): TypeView {
    let v = this.views.get(id);
    if (!v) {
      v = new TypeView(this, this.store, id);
      this.views.set(id, v);
    }
    return v;
  }

  protected record(type: SchemaType): TypeRecord {
    const r = this.store.get(type.id);
    if (!r) throw TypeWrite.typeHasBeenDeleted(String(type.id));
    return r;
  }

  protected children(): Map<TypeId, TypeId[]> {
    if (!this.derived.children) {
      const children = new Map<TypeId, TypeId[]>();
      for (const r of this.store.records.values()) {
        if (r.supertype === undefined) continue;
        let list = children.get(r.supertype);
        if (!list) children.set(r.supertype, (list = []));
        list.push(r.id);
      }
      for (const list of children.values()) list.sort((a, b) => a - b);
      this.derived.children = children;
    }
    return this.derived.children;
  }

  protected references(): Map<string, string[]> {
    if (!this.derived.references) {
      const refs = new Map<string, string[]>();
      for (const rule of this.store.rules.values()) {
        for (const label of ruleReferences(rule)) {
          let list = refs.get(label);
          if (!list) refs.set(label, (list = []));
          list.push(rule.label);
        }
      }
      this.derived.references = refs;
    }
    return this.derived.references;
  }
}
