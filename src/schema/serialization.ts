// The type graph as bytes: compact JSON in UTF-8. It keeps type ids and the next-id counter (ids are part of
// storage keys and are never reused) and rules as their AST (longs tagged, since JSON has no 64-bit integers).
import { StrataError } from '../common/errors.js';
import type { TypeRoot } from './labels.js';
import type { ValueType } from '../common/values.js';
import type { RuleDefinition } from '../typeql/ast.js';
import type { TypeId } from './api.js';
import { type OwnsRecord, type TypeRecord, TypeStore } from './store.js';

const FORMAT = 'strata-schema';
const VERSION = 1;

interface EncodedType {
  id: TypeId;
  name: string;
  scope?: string;
  root: TypeRoot;
  meta?: true;
  abstract?: true;
  valueType?: ValueType;
  regex?: string;
  sup?: TypeId;
  /** [attribute, overridden or -1, annotations as "k"/"u"/"ku"/""] */
  owns?: [TypeId, TypeId, string][];
  /** [role, overridden or -1] */
  plays?: [TypeId, TypeId][];
  relates?: TypeId[];
  relation?: TypeId;
}

interface EncodedSchema {
  format: string;
  version: number;
  nextId: number;
  types: EncodedType[];
  rules: RuleDefinition[];
}

function encodeType(r: TypeRecord): EncodedType {
  const t: EncodedType = { id: r.id, name: r.label.name, root: r.root };
  if (r.label.scope !== undefined) t.scope = r.label.scope;
  if (r.isMeta) t.meta = true;
  if (r.abstract) t.abstract = true;
  if (r.valueType !== undefined) t.valueType = r.valueType;
  if (r.regex !== undefined) t.regex = r.regex;
  if (r.supertype !== undefined) t.sup = r.supertype;
  if (r.owns.size > 0) {
    t.owns = [...r.owns].map(([id, e]) => [id, e.overridden ?? -1, (e.key ? 'k' : '') + (e.unique ? 'u' : '')]);
  }
  if (r.plays.size > 0) t.plays = [...r.plays].map(([id, e]) => [id, e.overridden ?? -1]);
  if (r.relates.length > 0) t.relates = [...r.relates];
  if (r.relation !== undefined) t.relation = r.relation;
  return t;
}

function decodeType(t: EncodedType): TypeRecord {
  const owns = new Map<TypeId, OwnsRecord>();
  for (const [id, overridden, annotations] of t.owns ?? []) {
    owns.set(id, {
      overridden: overridden < 0 ? undefined : overridden,
      key: annotations.includes('k'),
      unique: annotations.includes('u'),
    });
  }
  return {
    id: t.id,
    label: Object.freeze(t.scope === undefined ? { name: t.name } : { scope: t.scope, name: t.name }),
    root: t.root,
    isMeta: t.meta === true,
    abstract: t.abstract === true,
    valueType: t.valueType,
    regex: t.regex,
    supertype: t.sup,
    owns,
    plays: new Map((t.plays ?? []).map(([id, overridden]) => [id, { overridden: overridden < 0 ? undefined : overridden }])),
    relates: [...(t.relates ?? [])],
    relation: t.relation,
  };
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $long: value.toString() };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $double: String(value) };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$long === 'string') return BigInt(o.$long);
    if (keys.length === 1 && typeof o.$double === 'string') return Number(o.$double);
  }
  return value;
}

export function encodeStore(store: TypeStore): Uint8Array {
  const schema: EncodedSchema = {
    format: FORMAT,
    version: VERSION,
    nextId: store.nextId,
    types: [...store.records.values()].sort((a, b) => a.id - b.id).map(encodeType),
    rules: [...store.rules.values()],
  };
  return new TextEncoder().encode(JSON.stringify(schema, replacer));
}

export function decodeStore(bytes: Uint8Array): TypeStore {
  let schema: EncodedSchema;
  try {
    schema = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), reviver) as EncodedSchema;
  } catch (e) {
    throw new StrataError('ENC', 4, `The stored schema cannot be read (${(e as Error).message}). Restore the database from a backup.`);
  }
  if (schema.format !== FORMAT || schema.version !== VERSION) {
    throw new StrataError(
      'ENC', 4,
      `The stored schema has format '${schema.format}' version ${schema.version}; this server reads '${FORMAT}' version ${VERSION}.`,
    );
  }
  const store = new TypeStore();
  for (const t of schema.types) store.add(decodeType(t));
  for (const rule of schema.rules) store.rules.set(rule.label, rule);
  store.nextId = schema.nextId;
  return store;
}
