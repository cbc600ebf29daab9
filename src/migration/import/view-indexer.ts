// The driver of pass 1's native indexing (native/src/index_views.c): the plain data items of a parsed batch
// (ViewTable) become the sort records of the definitions, attributes and references sorters in one call, written
// straight into the sorters' arrays. It lays out what the kernel reads — the schema's type and role labels as
// open-addressing tables over their UTF-8 bytes, the sequence numbers, the sorters' fill — and answers its two
// requests: room in a sorter (a spill or a larger array, as ExternalSorter.append makes), and the regex test of a
// string value (a JavaScript RegExp). Items the kernel declines go through the full decoder and ItemIndexer.add,
// whose checks make the messages.

import { nativeModule, type IndexViewsState, type NativeModule } from '../../native/index.js';
import { VALUE_TYPE_CODES } from '../../encoding/index.js';
import type { Checksums } from '../codec/model.js';
import type { ViewTable } from '../codec/item-view.js';
import type { ExternalSorter } from './external-sorter.js';
import type { ImportSchema } from './import-schema.js';
import type { PassOneSorters } from './pass-one-sorters.js';

/** A type slot: label bytes [start, start + length) of `labels` (length -1: an empty slot), then the type's facts. */
const T_LABEL_START = 0;
const T_LABEL_LENGTH = 1;
const T_ID = 2;
const T_KIND = 3;
const T_ABSTRACT = 4;
const T_VALUE_TYPE = 5;
const T_REGEX = 6;
const TYPE_FIELDS = 7;
/** A role slot: its label as a file writes it (`rel:role` or `role`), the relation type, the role type. */
const R_LABEL_START = 0;
const R_LABEL_LENGTH = 1;
const R_RELATION = 2;
const R_ROLE = 3;
const ROLE_FIELDS = 4;
/**
 * The control words: why a call stopped and a detail (a type id), whether this indexer reads a file's second half,
 * the row whose string matched its regex.
 */
const CONTROL_STATUS = 0;
const CONTROL_DETAIL = 1;
const CONTROL_SECOND_HALF = 2;
const CONTROL_REGEX_ROW = 3;
/** Then each sorter's fill (ExternalSorter.fillTo), four words each: definitions, attributes, references. */
const CONTROL_SINKS = 4;
const SINK_FIELDS = 4;
const CONTROL_WORDS = CONTROL_SINKS + 3 * SINK_FIELDS;
/** control[CONTROL_STATUS] after a call that stopped before `to`. */
const STATUS_REGEX = 2;
/** The counts of what the kernel indexed, in the order of `counts`. */
const COUNTED = ['entities', 'attributes', 'relations', 'roles', 'ownerships'] as const;

export class ViewIndexer {
  private readonly state: IndexViewsState;
  private readonly sorters: readonly [ExternalSorter, ExternalSorter, ExternalSorter];
  private readonly room: (sorter: number, words: number) => Uint32Array;
  private readonly native: NativeModule = nativeModule();

  /** `sequences`: the last sequence number given out, by type id (shared with the caller, which reads it). */
  constructor(
    private readonly schema: ImportSchema,
    sequences: Uint32Array,
    sorters: PassOneSorters,
    secondHalf: boolean,
  ) {
    this.sorters = [sorters.definitions, sorters.attributes, sorters.references];
    const control = new Int32Array(CONTROL_WORDS);
    control[CONTROL_SECOND_HALF] = secondHalf ? 1 : 0;
    control[CONTROL_REGEX_ROW] = -1;
    this.state = { ...labelTables(schema), sequences, control, counts: new Float64Array(COUNTED.length) };
    this.room = (sorter, words) => this.sorters[sorter]!.roomFor(control, CONTROL_SINKS + SINK_FIELDS * sorter, words);
  }

  /** What the indexed items hold, counted as TypeDB's exporter counts. */
  get counts(): Checksums {
    const counts = this.state.counts;
    return { entities: counts[0]!, attributes: counts[1]!, relations: counts[2]!, roles: counts[3]!, ownerships: counts[4]! };
  }

  /**
   * Indexes rows [from, to) of `table` (offsets[row]: the row's file offset) up to the first it declines, which it
   * returns (`to` when it took them all): a record that is not a plain item, or that the full path must check or
   * encode. Nothing of a declined row has been written.
   */
  index(table: ViewTable, offsets: Float64Array, from: number, to: number): number {
    const control = this.state.control;
    for (let row = from; ; ) {
      row = this.call(table, offsets, row, to);
      if (row === to || control[CONTROL_STATUS] !== STATUS_REGEX) return row;
      // A string of a type with a regex: indexed by the next call if it matches.
      if (!this.schema.typeById(control[CONTROL_DETAIL]!).regex!.test(table.stringOf(row))) return row;
      control[CONTROL_REGEX_ROW] = row;
    }
  }

  /** One call of the kernel, with the sorters' fill handed to it and taken back. */
  private call(table: ViewTable, offsets: Float64Array, from: number, to: number): number {
    const { control } = this.state;
    const [definitions, attributes, references] = this.sorters;
    const definitionWords = definitions.fillTo(control, CONTROL_SINKS);
    const attributeWords = attributes.fillTo(control, CONTROL_SINKS + SINK_FIELDS);
    const referenceWords = references.fillTo(control, CONTROL_SINKS + 2 * SINK_FIELDS);
    try {
      return this.native.indexViews(table, table.buf, offsets, from, to, this.state, definitionWords, attributeWords, referenceWords, this.room);
    } finally {
      definitions.fillFrom(control, CONTROL_SINKS);
      attributes.fillFrom(control, CONTROL_SINKS + SINK_FIELDS);
      references.fillFrom(control, CONTROL_SINKS + 2 * SINK_FIELDS);
    }
  }
}

/** The type and role labels as the kernel looks them up: open-addressing tables over FNV-1a hashes of their bytes. */
function labelTables(schema: ImportSchema): Pick<IndexViewsState, 'types' | 'roles' | 'labels'> {
  const types = schema.data.types;
  const labels: Buffer[] = [];
  let labelBytes = 0;
  const place = (label: string): [number, Buffer] => {
    const bytes = Buffer.from(label, 'utf8');
    labels.push(bytes);
    labelBytes += bytes.length;
    return [labelBytes - bytes.length, bytes];
  };
  const typeTable = emptyTable(types.length, TYPE_FIELDS);
  let roleCount = 0;
  for (const type of types) roleCount += type.roles.size;
  const roleTable = emptyTable(roleCount, ROLE_FIELDS);
  for (const type of types) {
    const [start, bytes] = place(type.label);
    const at = freeSlot(typeTable, TYPE_FIELDS, labelHash(bytes));
    typeTable[at + T_LABEL_START] = start;
    typeTable[at + T_LABEL_LENGTH] = bytes.length;
    typeTable[at + T_ID] = type.id;
    typeTable[at + T_KIND] = type.kind;
    typeTable[at + T_ABSTRACT] = type.abstract ? 1 : 0;
    typeTable[at + T_VALUE_TYPE] = type.valueType === undefined ? 0 : VALUE_TYPE_CODES[type.valueType];
    typeTable[at + T_REGEX] = type.regexText === undefined ? 0 : 1;
    for (const [label, roleId] of type.roles) {
      const [roleStart, roleBytes] = place(label);
      const slot = freeSlot(roleTable, ROLE_FIELDS, (labelHash(roleBytes) ^ Math.imul(type.id, 0x9e3779b1)) >>> 0);
      roleTable[slot + R_LABEL_START] = roleStart;
      roleTable[slot + R_LABEL_LENGTH] = roleBytes.length;
      roleTable[slot + R_RELATION] = type.id;
      roleTable[slot + R_ROLE] = roleId;
    }
  }
  return { types: typeTable, roles: roleTable, labels: Buffer.concat(labels) };
}

/** A table of a power of two slots, at least twice `entries` (so that a probe meets an empty slot soon), all empty. */
function emptyTable(entries: number, fields: number): Int32Array {
  let slots = 16;
  while (slots < 2 * entries) slots *= 2;
  const table = new Int32Array(slots * fields);
  for (let at = 0; at < table.length; at += fields) table[at + 1] = -1;
  return table;
}

/** The first empty slot from the hash's, probing linearly (as the kernel looks up); returns its first word. */
function freeSlot(table: Int32Array, fields: number, hash: number): number {
  const mask = table.length / fields - 1;
  for (let i = hash & mask; ; i = (i + 1) & mask) if (table[i * fields + 1]! < 0) return i * fields;
}

/** FNV-1a of a label's bytes (as index_views.c). */
function labelHash(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}
