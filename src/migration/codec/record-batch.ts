// Records taken from the framer ahead of their visit, so that their items are parsed together, natively, in one
// call per batch (ViewTable) instead of one parse per record, and visited as rows of that table, many at a time.
// A batch holds records of one buffer only; the first record of another buffer is carried over to the next batch.
// A framing error met while filling a batch is thrown once the records before it have been visited, as when
// records were taken one at a time.

import { ViewTable } from './item-view.js';
import type { RecordFramer, RecordSpan } from './framing.js';

/** Records per batch: enough that a call's cost vanishes, few enough that the tables stay in the caches. */
const BATCH_RECORDS = 1024;

export class RecordBatch {
  private buf: Buffer = Buffer.alloc(0);
  private readonly spans = new Int32Array(2 * BATCH_RECORDS);
  private readonly offsets = new Float64Array(BATCH_RECORDS);
  private readonly bodyOffsets = new Float64Array(BATCH_RECORDS);
  private count = 0;
  /** The next record to visit, and the records [parsedFrom, parsedEnd) whose rows the table holds. */
  private next = 0;
  private parsedFrom = 0;
  private parsedEnd = 0;
  /** The parsed records: rows [row, rowEnd) are the next to visit. */
  readonly table = new ViewTable(BATCH_RECORDS);
  /** The file offsets of the table's rows. */
  rowOffsets = new Float64Array(0);
  private carried: RecordSpan | undefined;
  private error: unknown;
  private readonly span: RecordSpan = { buf: this.buf, start: 0, end: 0, offset: 0, bodyOffset: 0 };

  /**
   * Makes the next records ready in the table, taking more from `framer` when the batch is done; false when there
   * is none until more input is pushed (then the batch holds nothing of the framer's buffers).
   */
  ready(framer: RecordFramer): boolean {
    if (this.next === this.count) {
      if (this.error !== undefined) {
        const error = this.error;
        this.error = undefined;
        throw error;
      }
      if (!this.fill(framer)) return false;
    }
    if (this.next === this.parsedEnd) {
      this.parsedFrom = this.next;
      this.parsedEnd = this.next + this.table.parse(this.buf, this.spans.subarray(2 * this.next, 2 * this.count), this.count - this.next);
      this.rowOffsets = this.offsets.subarray(this.parsedFrom, this.parsedEnd);
    }
    return true;
  }

  /** The table row of the next record to visit. */
  get row(): number {
    return this.next - this.parsedFrom;
  }

  /** The end of the table's rows. */
  get rowEnd(): number {
    return this.parsedEnd - this.parsedFrom;
  }

  /** Moves past `records` records: the last of them is then current(). */
  skip(records: number): void {
    this.next += records;
  }

  /** The current record (the same object each time, valid until the batch moves on). */
  current(): RecordSpan {
    const i = this.next - 1;
    const span = this.span;
    span.buf = this.buf;
    span.start = this.spans[2 * i]!;
    span.end = this.spans[2 * i + 1]!;
    span.offset = this.offsets[i]!;
    span.bodyOffset = this.bodyOffsets[i]!;
    return span;
  }

  private fill(framer: RecordFramer): boolean {
    this.count = this.next = this.parsedFrom = this.parsedEnd = 0;
    if (this.carried !== undefined) {
      this.add(this.carried);
      this.carried = undefined;
    }
    while (this.count < BATCH_RECORDS) {
      // The whole records of the framer's buffer, many at a time; then one through next(), which moves on to the
      // next buffer, keeps a record cut by the chunk's end, or throws at damage.
      if (this.count === 0 || framer.buffer === this.buf) {
        const framed = framer.frameMany(this.spans, this.offsets, this.bodyOffsets, this.count, BATCH_RECORDS - this.count);
        if (framed > 0) {
          this.buf = framer.buffer;
          this.count += framed;
          continue;
        }
      }
      let span: RecordSpan | undefined;
      try {
        span = framer.next();
      } catch (e) {
        if (this.count === 0) throw e;
        this.error = e;
        break;
      }
      if (span === undefined) break;
      if (this.count > 0 && span.buf !== this.buf) {
        this.carried = { ...span };
        break;
      }
      this.add(span);
    }
    return this.count > 0;
  }

  private add(span: RecordSpan): void {
    const i = this.count++;
    this.buf = span.buf;
    this.spans[2 * i] = span.start;
    this.spans[2 * i + 1] = span.end;
    this.offsets[i] = span.offset;
    this.bodyOffsets[i] = span.bodyOffset;
  }
}
