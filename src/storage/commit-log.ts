// Optimistic conflict detection. Every commit that an open write transaction might still have to validate
// against is remembered here with the keys it touched; a committing transaction checks the commits made since
// its snapshot. Records older than the oldest open write transaction can never be consulted again and are dropped.

import { StrataError } from '../common/errors.js';
import { type KeySet, intersects } from './key-set.js';

/** The keys one commit touched: views of its sealed change buffer (WriteBuffer), which nothing changes any more. */
export interface CommitRecord {
  readonly sequence: number;
  /** Keys it put or touched. */
  readonly written: KeySet;
  /** Keys it deleted or locked. */
  readonly exclusive: KeySet;
}

/** TypeDB 2.x's three kinds of isolation conflict (TXN09, TXN10, TXN11). */
export type ConflictKind = 'modify-delete' | 'delete-modify' | 'exclusive';

export class CommitLog {
  /** Ascending by sequence. */
  private records: CommitRecord[] = [];
  /** Snapshot sequence of each open write transaction → how many are open at that sequence. */
  private readonly writers = new Map<number, number>();
  private writerTotal = 0;

  get openWriters(): number {
    return this.writerTotal;
  }

  /** Number of remembered commits (for tests and diagnostics). */
  get size(): number {
    return this.records.length;
  }

  registerWriter(sequence: number): void {
    this.writers.set(sequence, (this.writers.get(sequence) ?? 0) + 1);
    this.writerTotal++;
  }

  releaseWriter(sequence: number): void {
    const count = this.writers.get(sequence);
    if (count === undefined) {
      throw new StrataError('INT', 1, `Illegal internal state: no open write transaction at sequence ${sequence}.`);
    }
    if (count === 1) this.writers.delete(sequence);
    else this.writers.set(sequence, count - 1);
    this.writerTotal--;
    this.prune();
  }

  hasCommitsAfter(sequence: number): boolean {
    const last = this.records[this.records.length - 1];
    return last !== undefined && last.sequence > sequence;
  }

  /**
   * How a transaction whose snapshot saw commits up to `since` conflicts with a commit made after it, if it does
   * (TypeDB 2.x's isolation rules, checked in its order): it writes a key they deleted or locked, it deletes or locks
   * a key they wrote, or both deleted or locked one key. Two transactions that only put the same key do not conflict.
   */
  conflict(since: number, written: KeySet, exclusive: KeySet): ConflictKind | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const record = this.records[i] as CommitRecord;
      if (record.sequence <= since) break;
      if (intersects(written, record.exclusive)) return 'modify-delete';
      if (intersects(exclusive, record.written)) return 'delete-modify';
      if (intersects(exclusive, record.exclusive)) return 'exclusive';
    }
    return undefined;
  }

  /** Remembers a commit, if any open write transaction could still need to validate against it. */
  record(record: CommitRecord): void {
    // Every open writer started before this commit, so any open writer makes the record relevant.
    if (this.writerTotal > 0) this.records.push(record);
  }

  private prune(): void {
    if (this.writerTotal === 0) {
      this.records = [];
      return;
    }
    let oldest = Infinity;
    for (const sequence of this.writers.keys()) oldest = Math.min(oldest, sequence);
    let keepFrom = 0;
    while (keepFrom < this.records.length && (this.records[keepFrom] as CommitRecord).sequence <= oldest) keepFrom++;
    if (keepFrom > 0) this.records = this.records.slice(keepFrom);
  }
}
