// Dense ordinals for the things of an import: 0..n-1 in the order of their IIDs. Entities and relations of each
// type take a contiguous block (their sequence numbers in order), types in type-id order, then the attributes by
// rank. Edge keys of ordinals are one word per thing (instead of a two-word ThingRef), which halves the radix
// passes, and they still sort exactly as the storage keys.

import { ThingKind } from '../../encoding/index.js';
import { kindOfRef, typeOfRef } from './records.js';

/** See ItemIndexer: the second half of a file split between two threads numbers its things from here. */
export const SECOND_HALF = 0x8000_0000;

interface Segment {
  /** First ordinal of the segment. */
  readonly start: number;
  /** One past the last ordinal. */
  readonly end: number;
  readonly hi: number;
  /** The ThingRef lo word of the segment's first thing. */
  readonly firstLo: number;
}

export class ThingOrdinals {
  /** Ordinals below this are entities and relations; from it on, attributes (ordinal = objects + rank). */
  readonly objects: number;
  readonly total: number;
  /**
   * By type id (unique across kinds): the ordinal of sequence number 1, and the instances in the first half (the
   * join's native kernel reads them too).
   */
  readonly base = new Uint32Array(1 << 16);
  readonly firstHalfCount = new Uint32Array(1 << 16);
  private readonly segments: Segment[] = [];

  /**
   * @param objects entity and relation ThingRef hi words → instances (sequence numbers 1..n)
   * @param attributes attribute ThingRef hi words → [first rank, last rank]
   * @param firstHalf when two threads indexed the file's halves: the instances of each type in the first half.
   *   The second half's provisional sequence numbers (SECOND_HALF + n) then continue after them.
   */
  constructor(
    objects: ReadonlyMap<number, number>,
    attributes: ReadonlyMap<number, readonly [number, number]>,
    firstHalf?: ReadonlyMap<number, number>,
  ) {
    let next = 0;
    for (const [hi, count] of [...objects].sort((a, b) => a[0] - b[0])) {
      this.base[typeOfRef(hi)] = next;
      this.firstHalfCount[typeOfRef(hi)] = firstHalf?.get(hi) ?? 0;
      this.segments.push({ start: next, end: next + count, hi, firstLo: 1 });
      next += count;
    }
    this.objects = next;
    for (const [hi, [first, last]] of [...attributes].sort((a, b) => a[1][0] - b[1][0])) {
      this.segments.push({ start: next + first, end: next + last + 1, hi, firstLo: first });
    }
    const lastSegment = this.segments[this.segments.length - 1];
    this.total = lastSegment === undefined ? 0 : lastSegment.end;
    if (this.total > 0xffff_ffff) throw new Error(`an import holds at most 2^32 things; this one has ${this.total}`);
  }

  /** The ordinal of the thing with ThingRef (hi, lo). */
  of(hi: number, lo: number): number {
    if (kindOfRef(hi) === ThingKind.Attribute) return this.objects + lo;
    const type = typeOfRef(hi);
    if (lo >= SECOND_HALF) lo = lo - SECOND_HALF + this.firstHalfCount[type]!;
    return this.base[type]! + lo - 1;
  }

  isAttribute(ordinal: number): boolean {
    return ordinal >= this.objects;
  }

  /**
   * The segments, packed for native code (store_keys.c turns ordinals back into things there): [first ordinal,
   * one past the last, ThingRef hi word, ThingRef lo word of the first] each, in order of ordinals.
   */
  packedSegments(): Uint32Array {
    const packed = new Uint32Array(4 * this.segments.length);
    this.segments.forEach((segment, i) => packed.set([segment.start, segment.end, segment.hi, segment.firstLo], 4 * i));
    return packed;
  }
}
