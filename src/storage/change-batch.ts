// A write transaction's changes, copied into plain buffers that can be handed to the store's writer thread
// (commit-writer.ts) without copying again: puts and deletes in key order, each as a record
//   [op: u8 (1 put, 0 delete)] [key length: u16] [value length: u32, puts only] [key] [value]
// Copying is done in steps, so that a large commit never holds the event loop for long.

import { PENDING, type Steps } from '../common/steps.js';
import type { Change } from './write-buffer.js';
import { DELETED } from './write-buffer.js';

const CHUNK_BYTES = 1 << 20;
/** Records copied between two pause points: ~50-100 µs of copying. */
const RECORDS_PER_STEP = 512;
const PUT = 1;
const DELETE = 0;

export interface ChangeBatch {
  /** The records, in buffers of about a megabyte each (one record is never split). */
  readonly chunks: ArrayBuffer[];
  readonly count: number;
  /** The keys' and values' bytes, with 16 more per record: what free-space.ts bounds a commit's pages by. */
  readonly entryBytes: number;
}

/**
 * Copies `changes` (ascending key order) into a batch, pausing every few hundred records. `stillWanted` is asked at
 * each pause: once it says no, copying stops and undefined is returned.
 */
export function* packChanges(changes: Iterable<[Buffer, Change]>, stillWanted: () => boolean): Steps<ChangeBatch | undefined> {
  const chunks: ArrayBuffer[] = [];
  let bytes = new Uint8Array(0);
  let position = 0;
  let count = 0;
  let entryBytes = 0;
  for (const [key, change] of changes) {
    const valueLength = change === DELETED ? 0 : change.length;
    const recordLength = (change === DELETED ? 3 : 7) + key.length + valueLength;
    if (position + recordLength > bytes.length) {
      if (position > 0) chunks.push(bytes.buffer.slice(0, position) as ArrayBuffer);
      bytes = new Uint8Array(Math.max(CHUNK_BYTES, recordLength));
      position = 0;
    }
    bytes[position] = change === DELETED ? DELETE : PUT;
    bytes[position + 1] = key.length >>> 8;
    bytes[position + 2] = key.length & 0xff;
    position += 3;
    if (change !== DELETED) {
      bytes[position] = valueLength >>> 24;
      bytes[position + 1] = (valueLength >>> 16) & 0xff;
      bytes[position + 2] = (valueLength >>> 8) & 0xff;
      bytes[position + 3] = valueLength & 0xff;
      position += 4;
    }
    bytes.set(key, position);
    position += key.length;
    if (change !== DELETED) {
      bytes.set(change, position);
      position += valueLength;
    }
    entryBytes += key.length + valueLength + 16;
    if (++count % RECORDS_PER_STEP === 0) {
      yield PENDING;
      if (!stillWanted()) return undefined;
    }
  }
  if (position > 0) chunks.push(bytes.buffer.slice(0, position) as ArrayBuffer);
  return { chunks, count, entryBytes };
}

/** One record of a batch: views into its chunk, valid while the chunk is. */
export interface BatchRecord {
  readonly key: Buffer;
  /** Undefined for a delete. */
  readonly value: Buffer | undefined;
}

/** The records of a batch's chunks, in order (each chunk holds whole records and nothing else). */
export function* unpackChanges(chunks: readonly ArrayBuffer[]): Generator<BatchRecord> {
  for (const chunk of chunks) {
    const bytes = new Uint8Array(chunk);
    for (let position = 0; position < bytes.length; ) {
      const op = bytes[position]!;
      const keyLength = (bytes[position + 1]! << 8) | bytes[position + 2]!;
      position += 3;
      let valueLength = 0;
      if (op === PUT) {
        valueLength = ((bytes[position]! << 24) >>> 0) + (bytes[position + 1]! << 16) + (bytes[position + 2]! << 8) + bytes[position + 3]!;
        position += 4;
      }
      const key = Buffer.from(chunk, position, keyLength);
      position += keyLength;
      const value = op === PUT ? Buffer.from(chunk, position, valueLength) : undefined;
      position += valueLength;
      yield { key, value };
    }
  }
}
