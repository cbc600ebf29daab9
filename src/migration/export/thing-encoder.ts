// Encodes the export items of a range of things straight from store pages to .typedb records: the thing's IID
// (base64, as its ID), its label, its ownerships from the HAS keyspace and, for relations, its role players from
// the ROLE keyspace, walked in step with the things (same IID order, so nothing is looked up per thing).
//
// The encoding itself is native (native/src/export_encoder.c): it walks the three keyspaces' leaf pages where they
// lie and writes each record in one pass, calling back here only for the next leaf of a keyspace, for room in
// the sink, for an overflow value, or for a type the schema lacks. This driver cuts a range where the kinds of
// things change (one kind per native call), refuses keys of no known kind, and words the failures.
//
// Record layout and field rules are those of codec/encode.ts (export-format.md §5).

import { Keyspace, ThingKind } from '../../encoding/index.js';
import * as Native from '../../native/export-encoder.js';
import { nativeModule, type NativeModule } from '../../native/index.js';
import { firstKey, type LeafCursor } from '../../storage/lmdb-file/leaf-cursor.js';
import type { LabelFields } from './labels.js';

/**
 * Where records go: the encoder writes into `buffer` after `position`, the end of the records it has finished.
 * Between ranges (before begin()) the sink may change both.
 */
export interface RecordSink {
  readonly buffer: Buffer;
  /** The end of the finished records; the encoder moves it forward after each record. */
  position: number;
  /**
   * Makes room for `bytes` more bytes after the `pending` bytes of an unfinished record at `position` (flushing
   * the finished records, or growing the buffer). Returns how far back the pending bytes moved.
   */
  reserve(pending: number, bytes: number): number;
}

const KEYSPACE_NAMES = ['THING', 'HAS', 'ROLE'] as const;

export class ThingEncoder {
  readonly counts = { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 };
  /** HAS or ROLE entries whose owner or relation does not exist (skipped; a consistent store has none). */
  dangling = 0;

  private readonly native: NativeModule = nativeModule();
  private readonly state = new Int32Array(Native.STATE_WORDS);
  private readonly iid = Buffer.alloc(Native.IID_BYTES);
  private readonly cursors: readonly [LeafCursor, LeafCursor, LeafCursor];
  /** What is left of the range begun after the current kind's things. */
  private readonly rest: (readonly [Uint8Array, Uint8Array])[] = [];
  private readonly request: Native.EncoderRequest = (request, a, b) => this.answer(request, a, b);

  constructor(
    things: LeafCursor,
    has: LeafCursor,
    roles: LeafCursor,
    private readonly labels: LabelFields,
    private readonly sink: RecordSink,
  ) {
    this.cursors = [things, has, roles];
  }

  /** Starts on the things with THING keys in [start, end) (within one thing kind's keys or across kinds). */
  begin(start: Uint8Array, end: Uint8Array): void {
    // One kind at a time: the range is cut where the kinds change.
    this.rest.length = 0;
    for (const kind of [ThingKind.Entity, ThingKind.Relation, ThingKind.Attribute]) {
      const from = maxKey(start, Uint8Array.of(Keyspace.Thing, kind));
      const to = minKey(end, Uint8Array.of(Keyspace.Thing, kind + 1));
      if (Buffer.compare(from, to) < 0) this.rest.push([from, to]);
    }
    this.rest.sort(([a], [b]) => Buffer.compare(b, a)); // popped in key order
    this.refuseUnknownKinds(start, end);
    this.state[Native.STATE_KIND] = 0; // encodeSome begins the first kind
  }

  /**
   * A THING key outside the three kinds' ranges exists only in a damaged store: it fails the export rather than
   * being left out of it unnoticed (the file's checksums would agree with what was left out).
   */
  private refuseUnknownKinds(start: Uint8Array, end: Uint8Array): void {
    const gaps = [
      [Uint8Array.of(Keyspace.Thing), Uint8Array.of(Keyspace.Thing, ThingKind.Entity)],
      [Uint8Array.of(Keyspace.Thing, ThingKind.Attribute + 1), Uint8Array.of(Keyspace.Thing + 1)],
    ];
    for (const [gapStart, gapEnd] of gaps) {
      const from = maxKey(start, gapStart!);
      const to = minKey(end, gapEnd!);
      if (Buffer.compare(from, to) >= 0) continue;
      this.cursors[0].seek(from, to);
      const key = firstKey(this.cursors[0]);
      if (key === undefined) continue;
      throw new Error(
        `The store holds a thing of unknown kind ${key[1]} (key ${key.toString('hex')}): it is damaged. ` +
          'Export from a backup or from the database it was copied from.',
      );
    }
  }

  /** Encodes up to `limit` more things of the range begun; false once the range is done. */
  encodeSome(limit: number): boolean {
    const state = this.state;
    for (;;) {
      if (state[Native.STATE_KIND] !== 0) {
        const [things, has, roles] = this.cursors;
        const sink = this.sink;
        state[Native.STATE_POSITION] = sink.position;
        const result = this.native.encodeThings(state, sink.buffer, this.labels.bytes, things.page, has.page, roles.page, this.request, limit, this.iid);
        sink.position = state[Native.STATE_POSITION]!;
        this.addCounts();
        if (result < 0) throw this.failure(result);
        if (result > 0) return true;
        state[Native.STATE_KIND] = 0;
      }
      if (this.rest.length === 0) return false;
      this.beginKind();
    }
  }

  private beginKind(): void {
    const [start, end] = this.rest.pop()!;
    const state = this.state;
    state[Native.STATE_KIND] = start[1]!;
    state[Native.STATE_PRIMED] = 0;
    for (const [stream, keyspace] of [Keyspace.Thing, Keyspace.Has, Keyspace.Role].entries()) {
      const cursor = this.cursors[stream]!;
      cursor.seek(inKeyspace(keyspace, start), inKeyspace(keyspace, end));
      const words = Native.STREAM_WORDS_AT + Native.STREAM_WORDS * stream;
      this.setLeaf(stream, cursor);
      // The encoder steps to the first node before it reads it.
      state[words + Native.STREAM_NODE] = cursor.first - 1;
      state[words + Native.STREAM_ENDED] = 0;
    }
  }

  private setLeaf(stream: number, cursor: LeafCursor): void {
    const words = Native.STREAM_WORDS_AT + Native.STREAM_WORDS * stream;
    this.state[words + Native.STREAM_LEAF_AT] = cursor.leafAt;
    this.state[words + Native.STREAM_NODE] = cursor.first;
    this.state[words + Native.STREAM_STOP] = cursor.stop;
    this.state[words + Native.STREAM_AHEAD] = cursor.ahead;
    this.state[words + Native.STREAM_STEPPED] = 0;
  }

  /** The native encoder's requests (REQUEST_* of native/export-encoder.ts). */
  private answer(request: number, a: number, b: number): Buffer | undefined {
    switch (request) {
      case Native.REQUEST_NEXT_LEAF: {
        const cursor = this.cursors[a]!;
        if (!cursor.nextLeaf(b)) return undefined;
        this.setLeaf(a, cursor);
        return cursor.page;
      }
      case Native.REQUEST_ROOM: {
        const sink = this.sink;
        sink.position = this.state[Native.STATE_POSITION]!;
        this.state[Native.STATE_MOVED] = sink.reserve(a, b);
        this.state[Native.STATE_POSITION] = sink.position;
        return sink.buffer;
      }
      case Native.REQUEST_OVERFLOW:
        return this.cursors[a]!.overflowValue(b);
      case Native.REQUEST_LABEL:
        return this.labels.addUnknown(a);
    }
    throw new Error(`The export's native encoder made an unknown request (${request}): rebuild it with \`npm run build:native\`.`);
  }

  private addCounts(): void {
    const state = this.state;
    const counts = this.counts;
    counts.entities += state[Native.STATE_ENTITIES]!;
    counts.relations += state[Native.STATE_RELATIONS]!;
    counts.attributes += state[Native.STATE_ATTRIBUTES]!;
    counts.ownerships += state[Native.STATE_OWNERSHIPS]!;
    counts.roles += state[Native.STATE_ROLES]!;
    this.dangling += state[Native.STATE_DANGLING]!;
  }

  private failure(result: number): Error {
    const detail = this.state[Native.STATE_RESULT_DETAIL]!;
    if (result === Native.FAILED_VALUE_TYPE) {
      const iid = this.iid.toString('base64', 0, this.state[Native.STATE_IID_LENGTH]);
      return new Error(`Unknown value type code ${detail} in the attribute ${iid}.`);
    }
    const keyspace = KEYSPACE_NAMES[this.state[Native.STATE_FAILED_STREAM]!] ?? 'unknown';
    return new Error(
      `The store holds a malformed ${keyspace} entry (node ${detail} of its leaf page): it is damaged. ` +
        'Export from a backup or from the database it was copied from.',
    );
  }
}

/** The key `key` would have in another keyspace (THING, HAS and ROLE keys all follow their byte with an IID). */
export function inKeyspace(keyspace: Keyspace, key: Uint8Array): Buffer {
  const moved = Buffer.from(key);
  moved[0] = keyspace;
  return moved;
}

function maxKey(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Buffer.compare(a, b) >= 0 ? a : b;
}

function minKey(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Buffer.compare(a, b) <= 0 ? a : b;
}
