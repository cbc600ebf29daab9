// Reading a .typedb file, or a byte range of it, for the importer: plain data items reach the visitor as parsed
// views (ItemView: no strings, no objects), every other record as the item the full decoder makes of it (plain
// header and checksums items are read without it). The reader's framing, order rules and messages apply
// unchanged. Records are visited synchronously, chunk by chunk (one promise per chunk of the file instead of one
// per item), while the next chunk is read ahead; their items are parsed in batches (record-batch.ts).

import type { ItemDecoder } from './decode.js';
import { openFile } from './file-input.js';
import { ItemView } from './item-view.js';
import { RecordFramer, type RecordSpan } from './framing.js';
import { RecordBatch } from './record-batch.js';
import type { Item } from './model.js';
import { OrderRules } from './order-rules.js';
import type { ReadOptions } from './reader.js';

export interface ItemVisitor {
  /**
   * A plain data item at `offset`, valid during the call only. Returns false to decline it: the record is then
   * decoded and given to item() (the visitor must not have acted on it).
   */
  view(view: ItemView, offset: number): boolean;
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
  const last: LastRecord = { viewed: false };
  try {
    for await (const chunk of input.chunks) {
      framer.push(chunk);
      for (let span = viewRecords(framer, batch, view, rules, visitor, last); span !== undefined; span = viewRecords(framer, batch, view, rules, visitor, last)) {
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
}

/**
 * Gives the visitor the framer's records as views, up to the first one that is not a plain data item or that the
 * visitor declines, which it returns (saying which in `last`); undefined once more input is needed. The hot loop
 * is a plain function of its own, called once per chunk: inside the async scanItems, it was compiled again, with
 * everything inlined into it, each time one of that function's rarer paths first ran (up to 15 compilations of
 * 20–70 ms per 1M-thing import, on two threads).
 */
function viewRecords(framer: RecordFramer, batch: RecordBatch, view: ItemView, rules: OrderRules, visitor: ItemVisitor, last: LastRecord): RecordSpan | undefined {
  while (batch.advance(framer)) {
    if (!batch.view(view)) {
      last.viewed = false;
      return batch.current();
    }
    const offset = batch.offset;
    rules.check(view, offset);
    if (!visitor.view(view, offset)) {
      last.viewed = true;
      return batch.current();
    }
  }
  return undefined;
}
