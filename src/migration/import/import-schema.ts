// The facts about each type that import validation asks for millions of times, computed once from the schema:
// label → type, kind, instantiability, value type and regex, effective ownerships and played roles, the roles a
// relation type relates (by scoped and bare label), and the @key / @unique ownerships.

import type { ValueType } from '../../common/values.js';
import { labelText } from '../../concept/concepts.js';
import { ThingKind } from '../../encoding/index.js';
import type { SchemaType, TypeGraph } from '../../schema/index.js';
import type { SchemaOrigin } from '../errors.js';
import { LabelsByBytes } from './labels-by-bytes.js';
import { wholeMatchRegex } from '../../common/java-regex.js';
import type { RegexTest } from '../../common/bounded-regex.js';

/** What an import needs to know of one entity, relation or attribute type (plain data: it goes to workers). */
export interface ThingTypeData {
  readonly id: number;
  /** The label as files write it: unscoped for thing types. */
  readonly label: string;
  readonly kind: ThingKind;
  readonly root: 'entity' | 'relation' | 'attribute';
  /** Abstract (or meta) types cannot have instances. */
  readonly abstract: boolean;
  readonly valueType: ValueType | undefined;
  /** The Java regex its values must match (compiled in each thread: a compiled test cannot be sent to a worker). */
  readonly regexText: string | undefined;
  /** Effective ownerships: attribute type id → whether the ownership is @key / @unique (a key is also unique). */
  readonly owns: ReadonlyMap<number, { readonly key: boolean; readonly unique: boolean }>;
  /** Attribute type ids this type owns as @key. */
  readonly keys: readonly number[];
  /** Role type ids this type plays (effective). */
  readonly plays: ReadonlySet<number>;
  /** Relation types: role label as files write it (`rel:role`, or a bare `role`) → role type id. */
  readonly roles: ReadonlyMap<string, number>;
}

export interface ThingTypeInfo extends ThingTypeData {
  /** `regexText` compiled. */
  readonly regex: RegexTest | undefined;
  /** `roles` by the label's UTF-8 bytes. */
  readonly rolesByBytes: LabelsByBytes<number>;
}

/** The facts of a schema as plain data, which a worker thread can be sent instead of loading the schema layer. */
export interface ImportSchemaData {
  readonly types: readonly ThingTypeData[];
  /** Role type id → its scoped label. */
  readonly roleLabels: ReadonlyMap<number, string>;
  /** Labels of meta and role types, so that an item using one gets a precise message. */
  readonly otherRoots: ReadonlyMap<string, string>;
  /** Where the schema came from, so that a message about a type it lacks says what to do in this flow. */
  readonly origin: SchemaOrigin;
}

export class ImportSchema {
  private readonly byLabel = new Map<string, ThingTypeInfo>();
  private readonly byLabelBytes = new LabelsByBytes<ThingTypeInfo>();
  private readonly byId = new Map<number, ThingTypeInfo>();
  /** Scoped labels of the role types (`rel:role`). */
  private readonly roleLabelSet: ReadonlySet<string>;

  /** The facts of a type graph. */
  static of(graph: TypeGraph, origin: SchemaOrigin): ImportSchema {
    const types: ThingTypeData[] = [];
    const roleLabels = new Map<number, string>();
    const otherRoots = new Map<string, string>();
    for (const type of graph.all()) {
      if (type.root === 'role') roleLabels.set(type.id, labelText(type.label));
      else if (type.root === 'thing') otherRoots.set(labelText(type.label), 'thing');
      else types.push(describe(graph, type));
    }
    return new ImportSchema({ types, roleLabels, otherRoots, origin });
  }

  constructor(readonly data: ImportSchemaData) {
    this.roleLabelSet = new Set(data.roleLabels.values());
    for (const type of data.types) {
      const rolesByBytes = new LabelsByBytes<number>();
      for (const [label, id] of type.roles) rolesByBytes.set(label, id);
      const info = typeInfo(type, rolesByBytes);
      this.byId.set(type.id, info);
      this.byLabel.set(info.label, info);
      this.byLabelBytes.set(info.label, info);
    }
  }

  /** The entity, relation or attribute type a file label names. */
  type(label: string): ThingTypeInfo | undefined {
    return this.byLabel.get(label);
  }

  /** The same, by the label's UTF-8 bytes `buf[start, end)`. */
  typeByBytes(buf: Uint8Array, start: number, end: number): ThingTypeInfo | undefined {
    return this.byLabelBytes.get(buf, start, end);
  }

  /** What a label names when it is not a thing type (`thing`, a role type), for messages. */
  otherRoot(label: string): string | undefined {
    // Only a role type the schema has: any other label with a ':' is a type it does not define (MIG05).
    return this.data.otherRoots.get(label) ?? (this.roleLabelSet.has(label) ? 'role' : undefined);
  }

  typeById(id: number): ThingTypeInfo {
    const info = this.byId.get(id);
    if (info === undefined) throw new Error(`no thing type with id ${id} in the import schema`);
    return info;
  }

  roleLabel(id: number): string {
    return this.data.roleLabels.get(id) ?? `#${id}`;
  }
}

/**
 * A type's info, written out field by field: every info then has one hidden class. Made by spreading the data
 * (`{ ...type, rolesByBytes }`), each had a class of its own, so the import's hot functions, which read the infos
 * of all types, saw a new class at each new type in the file and were thrown out and recompiled every time.
 */
function typeInfo(type: ThingTypeData, rolesByBytes: LabelsByBytes<number>): ThingTypeInfo {
  return {
    id: type.id,
    label: type.label,
    kind: type.kind,
    root: type.root,
    abstract: type.abstract,
    valueType: type.valueType,
    regex: type.regexText === undefined ? undefined : wholeMatchRegex(type.regexText),
    regexText: type.regexText,
    owns: type.owns,
    keys: type.keys,
    plays: type.plays,
    roles: type.roles,
    rolesByBytes,
  };
}

function describe(graph: TypeGraph, type: SchemaType): ThingTypeData {
  const root = type.root as 'entity' | 'relation' | 'attribute';
  const kind = root === 'entity' ? ThingKind.Entity : root === 'relation' ? ThingKind.Relation : ThingKind.Attribute;
  const owns = new Map<number, { key: boolean; unique: boolean }>();
  const keys: number[] = [];
  for (const [attributeId, ownership] of graph.owns(type)) {
    owns.set(attributeId, { key: ownership.key, unique: ownership.key || ownership.unique });
    if (ownership.key) keys.push(attributeId);
  }
  const roles = new Map<string, number>();
  if (root === 'relation' && !type.isMeta) {
    for (const role of graph.relates(type)) {
      roles.set(labelText(role.label), role.id);
      // 2.x importers also accept a bare role name (export-format.md §4.2); a scoped label wins over it.
      if (!roles.has(role.label.name)) roles.set(role.label.name, role.id);
    }
  }
  return {
    id: type.id,
    label: type.label.name,
    kind,
    root,
    abstract: type.isMeta || type.abstract,
    valueType: type.valueType,
    regexText: type.regex,
    owns,
    keys,
    plays: new Set(graph.plays(type).keys()),
    roles,
  };
}
