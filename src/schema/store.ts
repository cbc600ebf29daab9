// The type graph's stored facts: one record per type with its declared (explicit) edges, the label index, the
// next type id, and the rules. Everything derived (inheritance, effective annotations) is computed from these.
import type { TypeLabel, TypeRoot } from './labels.js';
import { labelText } from './labels.js';
import type { ValueType } from '../common/values.js';
import type { RuleDefinition } from '../typeql/ast.js';
import type { TypeId } from './api.js';

/** An `owns` edge as declared on its owner: the annotations written there, and the overridden attribute type. */
export interface OwnsRecord {
  /** Set when the edge overrides an inherited ownership; equal to the owned attribute for a plain redeclaration. */
  overridden?: TypeId;
  key: boolean;
  unique: boolean;
}

export interface PlaysRecord {
  overridden?: TypeId;
}

export interface TypeRecord {
  readonly id: TypeId;
  label: TypeLabel;
  readonly root: TypeRoot;
  readonly isMeta: boolean;
  abstract: boolean;
  valueType?: ValueType;
  regex?: string;
  /** Absent only for `thing` and `relation:role`. For a role: the role it overrides, or `relation:role`. */
  supertype?: TypeId;
  readonly owns: Map<TypeId, OwnsRecord>;
  readonly plays: Map<TypeId, PlaysRecord>;
  /** Relation types: the role types declared here, in declaration order. */
  readonly relates: TypeId[];
  /** Role types: the relation type that declares the role. */
  relation?: TypeId;
}

export function copyRecord(r: TypeRecord): TypeRecord {
  const copy: TypeRecord = {
    ...r,
    owns: new Map([...r.owns].map(([k, v]) => [k, { ...v }])),
    plays: new Map([...r.plays].map(([k, v]) => [k, { ...v }])),
    relates: [...r.relates],
  };
  return copy;
}

export class TypeStore {
  readonly records = new Map<TypeId, TypeRecord>();
  readonly byLabel = new Map<string, TypeId>();
  readonly rules = new Map<string, RuleDefinition>();
  nextId = 0;

  get(id: TypeId): TypeRecord | undefined {
    return this.records.get(id);
  }

  lookup(label: string): TypeRecord | undefined {
    const id = this.byLabel.get(label);
    return id === undefined ? undefined : this.records.get(id);
  }

  add(record: TypeRecord): void {
    this.records.set(record.id, record);
    this.byLabel.set(labelText(record.label), record.id);
  }

  remove(record: TypeRecord): void {
    this.records.delete(record.id);
    this.byLabel.delete(labelText(record.label));
  }

  relabel(record: TypeRecord, label: TypeLabel): void {
    this.byLabel.delete(labelText(record.label));
    record.label = label;
    this.byLabel.set(labelText(label), record.id);
  }

  allocateId(): TypeId {
    return this.nextId++;
  }

  clone(): TypeStore {
    const copy = new TypeStore();
    for (const r of this.records.values()) copy.records.set(r.id, copyRecord(r));
    for (const [label, id] of this.byLabel) copy.byLabel.set(label, id);
    for (const [label, rule] of this.rules) copy.rules.set(label, rule);
    copy.nextId = this.nextId;
    return copy;
  }

  /** Replaces this store's content with another's (used to roll back a failed define/undefine). */
  restore(from: TypeStore): void {
    this.records.clear();
    this.byLabel.clear();
    this.rules.clear();
    for (const [id, r] of from.records) this.records.set(id, r);
    for (const [label, id] of from.byLabel) this.byLabel.set(label, id);
    for (const [label, rule] of from.rules) this.rules.set(label, rule);
    this.nextId = from.nextId;
  }
}
