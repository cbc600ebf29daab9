// Pass 1's visitor of a file's records (scanItems): data items go to the ItemIndexer, as parsed views when it takes
// them; the header and checksums items are kept with their offsets.

import type { Checksums, HeaderItem, Item } from '../codec/model.js';
import type { ViewTable } from '../codec/item-view.js';
import type { ItemVisitor } from '../codec/scan.js';
import type { ItemIndexer } from './item-indexer.js';

const PROGRESS_EVERY = 1 << 16;

export class IndexingVisitor implements ItemVisitor {
  /** The first header and checksums items read. */
  header: { readonly item: HeaderItem; readonly offset: number } | undefined;
  checksums: { readonly offset: number; readonly counts: Checksums } | undefined;
  /** Data items read. */
  items = 0;

  constructor(
    private readonly indexer: ItemIndexer,
    private readonly onItems?: (items: number, offset: number) => void,
  ) {}

  views(table: ViewTable, offsets: Float64Array, from: number, to: number): number {
    const reached = this.indexer.addViews(table, offsets, from, to);
    if (reached > from) this.counted(reached - from, offsets[reached - 1]!);
    return reached;
  }

  item(item: Item, offset: number): void {
    if (item.kind === 'header') this.header ??= { item, offset };
    else if (item.kind === 'checksums') this.checksums ??= { offset, counts: item.checksums };
    else {
      this.indexer.add(item, offset);
      this.counted(1, offset);
    }
  }

  /** Counts `items` more, up to the one at `offset`; reports progress every PROGRESS_EVERY. */
  private counted(items: number, offset: number): void {
    const before = this.items;
    this.items += items;
    if (Math.floor(this.items / PROGRESS_EVERY) !== Math.floor(before / PROGRESS_EVERY)) this.onItems?.(this.items, offset);
  }
}
