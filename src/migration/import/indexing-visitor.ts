// Pass 1's visitor of a file's records (scanItems): data items go to the ItemIndexer, as views when it takes
// them; the header and checksums items are kept with their offsets.

import type { Checksums, HeaderItem, Item } from '../codec/model.js';
import type { ItemView } from '../codec/item-view.js';
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

  view(view: ItemView, offset: number): boolean {
    if (!this.indexer.addView(view, offset)) return false;
    this.counted(offset);
    return true;
  }

  item(item: Item, offset: number): void {
    if (item.kind === 'header') this.header ??= { item, offset };
    else if (item.kind === 'checksums') this.checksums ??= { offset, counts: item.checksums };
    else {
      this.indexer.add(item, offset);
      this.counted(offset);
    }
  }

  private counted(offset: number): void {
    if (++this.items % PROGRESS_EVERY === 0) this.onItems?.(this.items, offset);
  }
}
