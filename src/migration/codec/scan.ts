// Reading a .typedb file, or a byte range of it, for the importer: plain data items reach the visitor as rows of
// a table of parsed items (ViewTable: no strings, no objects), many at a time, every other record as the item the
// full decoder makes of it (plain header and checksums items are read without it). The reader's framing, order
// rules and messages apply unchanged. Records are visited synchronously, chunk by chunk (one promise per chunk of the file instead of one
// per item), while the next chunk is read ahead; their items are parsed in batches (record-batch.ts).

import type { ItemDecoder } from './decode.js';
import { openFile } from './file-input.js';
import { ItemView, type ViewTable } from './item-view.js';
import { RecordFramer, type RecordSpan } from './framing.js';
import { RecordBatch } from './record-batch.js';
import type { DataItem, Item } from './model.js';
import { OrderRules } from './order-rules.js';
import type { ReadOptions } from './reader.js';

export interface ItemVisitor {
  /**
   * The plain data items in rows [from, to) of `table` (offsets[row]: a row's byte offset; every row holds one),
   * valid during the call only. Returns the first row it declines (`to` when none): that record is then decoded
   * and given to item() (the visitor must not have acted on it), and the rows after it come in a later call.
   */
  views(table: ViewTable, offsets: Float64Array, from: number, to: number): number;
  /** Any other record, decoded. */
  item(item: Item, offset: number): void;
}

export interface ScanOptions extends ReadOptions {
  /** The byte range to read (default: the whole file); `start` must be a record boundary. */
  readonly start?: number;
  readonly end?: number;
}

/** Large chunks: the visitor's work per chunk dwarfs a read, and fewer chunks mean fewer records cut in two. */
const SCAN_CHUNK = 1 << 20;

export async function scanItems(path: string, visitor: ItemVisitor, options: ScanOptions = {}): Promise<void> {
  const start = options.start ?? 0;
  const ranged = options.start !== undefined || options.end !== undefined;
  const input = await openFile(path, options.chunkSize ?? SCAN_CHUNK, ranged ? { start, end: options.end ?? Infinity } : undefined, true);
  const end = options.end ?? input.size;
  const framer = new RecordFramer(path, end, start);
  // The full decoder (and protobufjs with it) is loaded when first needed: a worker reading the second half of a
  // file usually never needs it.
  let decoder: ItemDecoder | undefined;
  const rules = new OrderRules(path, options);
  const view = new ItemView();
  const batch = new RecordBatch();
  const last: LastRecord = { viewed: false, data: { kind: 'entity' } };
  try {
    for await (const chunk of input.chunks) {
      framer.push(chunk);
      for (let span = viewRecords(framer, batch, rules, visitor, last); span !== undefined; span = viewRecords(framer, batch, rules, visitor, last)) {
        const viewed = last.viewed;
        const checksums = viewed ? undefined : view.checksums(span.buf, span.start, span.end);
        const header = viewed || checksums !== undefined ? undefined : view.header(span.buf, span.start, span.end);
        let item: Item;
        if (checksums !== undefined) item = { kind: 'checksums', checksums };
        else if (header !== undefined) item = header;
        else {
          decoder ??= new (await import('./decode.js')).ItemDecoder(path);
          item = decoder.decode(span.buf, span.start, span.end, span.offset, span.bodyOffset);
        }
        if (!viewed) rules.check(item, span.offset);
        visitor.item(item, span.offset);
      }
    }
    framer.end();
  } catch (e) {
    throw rules.explainTrailing(e);
  }
  rules.end(framer.inputEnd);
}

/** Whether the record viewRecords returned parsed as a plain data item (and passed the order rules as one). */
interface LastRecord {
  viewed: boolean;
  /** The kind of a data item, for the order rules (one object, not one per check). */
  readonly data: { kind: DataItem['kind'] };
}

/**
 * Gives the visitor the framer's records as rows of parsed items, up to the first one that is not a plain data
 * item or that the visitor declines, which it returns (saying which in `last`); undefined once more input is
 * needed. The hot loop is a plain function of its own, called once per chunk: inside the async scanItems, it was
 * compiled again, with everything inlined into it, each time one of that function's rarer paths first ran (up to
 * 15 compilations of 20–70 ms per 1M-thing import, on two threads).
 */
function viewRecords(framer: RecordFramer, batch: RecordBatch, rules: OrderRules, visitor: ItemVisitor, last: LastRecord): RecordSpan | undefined {
  while (batch.ready(framer)) {
    const { table, rowOffsets } = batch;
    const row = batch.row;
    // The run of plain data items from here.
    const rowEnd = batch.rowEnd;
    let end = row;
    while (end < rowEnd && table.isItem(end)) end++;
    let reached = row;
    if (end > row) {
      // Of data items, the order rules look at the first only (is it where the header should be?): check it before
      // the visitor acts, then count the rest it takes.
      last.data.kind = table.kindOf(row);
      rules.check(last.data, rowOffsets[row]!);
      reached = visitor.views(table, rowOffsets, row, end);
      if (reached > row) rules.countData(reached - row - 1);
      if (reached === rowEnd) {
        batch.skip(reached - row);
        continue;
      }
      // A declined data item has passed the rules as one (the first was checked above).
      if (reached > row && reached < end) {
        last.data.kind = table.kindOf(reached);
        rules.check(last.data, rowOffsets[reached]!);
      }
    }
    // The record at `reached`: a data item the visitor declined, or a record that is not one.
    last.viewed = reached < end;
    batch.skip(reached - row + 1);
    return batch.current();
  }
  return undefined;
}
