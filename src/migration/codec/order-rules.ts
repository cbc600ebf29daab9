// The order rules of a .typedb item stream (export-format.md §3.3 / §9): the header first and only once, the
// checksums items in agreement, and (for a whole export) at least one checksums item.

import { CodecError, CodecErrorCode, describeSource, describeSourceCapitalised, plural } from './errors.js';
import type { Checksums, ChecksumsItem, DataItem, HeaderItem, ItemKind } from './model.js';
import { formatCounts } from './checksums.js';
import type { ReadOptions } from './reader.js';

export class OrderRules {
  private seen = 0;
  private headerOffset: number | undefined;
  private checksums: { readonly offset: number; readonly counts: Checksums } | undefined;
  /** Whether the last item checked was a checksums item: what follows it is past the end of an export. */
  private lastWasChecksums = false;
  private readonly requireHeaderFirst: boolean;
  private readonly requireChecksums: boolean;

  constructor(
    private readonly path: string | undefined,
    options: ReadOptions,
  ) {
    this.requireHeaderFirst = options.requireHeaderFirst ?? true;
    this.requireChecksums = options.requireChecksums ?? true;
  }

  /** Checks the next item; of a data item only its kind matters (so a parsed view will do). */
  check(item: HeaderItem | ChecksumsItem | { readonly kind: DataItem['kind'] }, offset: number): void {
    this.lastWasChecksums = item.kind === 'checksums';
    if (this.seen++ === 0 && this.requireHeaderFirst && item.kind !== 'header') {
      throw new CodecError(
        CodecErrorCode.HEADER_MISSING,
        `The data being imported is invalid - the header is missing: the first item of ` +
          `${describeSource(this.path)}, at byte offset ${offset}, is ${kindName(item.kind)}, not a header. ` +
          `A .typedb export starts with a header item; check that this file is a TypeDB data export (not a ` +
          `schema file) and that it is not damaged.`,
        offset,
      );
    }
    if (item.kind === 'header') {
      if (this.headerOffset !== undefined) {
        throw new CodecError(
          CodecErrorCode.DUPLICATE_HEADER,
          `${describeSourceCapitalised(this.path)} holds a second header item at byte offset ${offset} (the first ` +
            `is at offset ${this.headerOffset}). An export has exactly one header; the file may be two exports ` +
            `joined together.`,
          offset,
        );
      }
      this.headerOffset = offset;
    } else if (item.kind === 'checksums') {
      const first = this.checksums;
      if (first === undefined) {
        this.checksums = { offset, counts: item.checksums };
      } else if (!sameCounts(first.counts, item.checksums)) {
        throw new CodecError(
          CodecErrorCode.CONFLICTING_CHECKSUMS,
          `${describeSourceCapitalised(this.path)} holds two checksums items that disagree, at byte offsets ` +
            `${first.offset} (${formatCounts(first.counts)}) and ${offset} (${formatCounts(item.checksums)}). ` +
            `Every checksums item must hold the complete final counts; the file may be two exports joined together.`,
          offset,
        );
      }
    }
  }

  /** Counts `count` more data items that follow one check() passed: the rules look at nothing else of them. */
  countData(count: number): void {
    this.seen += count;
  }

  /**
   * `error` (a framing or decoding error), with a note when its record comes right after a checksums item: an export
   * ends there, so the bytes are most likely appended to a complete file (junk, padding), not a cut or a damage.
   */
  explainTrailing(error: unknown): unknown {
    if (!this.lastWasChecksums || !(error instanceof CodecError) || !TRAILING.has(Number(error.code.slice(3)))) return error;
    const at = error.byteOffset;
    if (at === undefined || at <= this.checksums!.offset) return error;
    error.message +=
      ` This record follows the checksums item at byte offset ${this.checksums!.offset}, which ends a complete export: ` +
      `the bytes from offset ${at} on were probably added after the end of the export (padding, or another file ` +
      `joined to it). If so, the export itself is whole: keep its first ${at} bytes and import again.`;
    return error;
  }

  /** At the end of the input (`bytes`: its end offset). */
  end(bytes: number): void {
    if (this.requireChecksums && this.checksums === undefined) {
      throw new CodecError(
        CodecErrorCode.CHECKSUMS_MISSING,
        `${describeSourceCapitalised(this.path)} ends at byte offset ${bytes} after ${plural(this.seen, 'item')} ` +
          `without a checksums item. A complete export ends with one, so the file was probably cut short at a ` +
          `record boundary; export or copy it again.`,
        bytes,
      );
    }
  }
}

/** The errors of a record that does not frame or decode. */
const TRAILING = new Set<number>([
  CodecErrorCode.TRUNCATED_LENGTH_PREFIX,
  CodecErrorCode.INVALID_LENGTH_PREFIX,
  CodecErrorCode.TRUNCATED_RECORD,
  CodecErrorCode.UNDECODABLE_ITEM,
  CodecErrorCode.UNKNOWN_ITEM_KIND,
]);

function sameCounts(a: Checksums, b: Checksums): boolean {
  return (
    a.entities === b.entities &&
    a.attributes === b.attributes &&
    a.relations === b.relations &&
    a.roles === b.roles &&
    a.ownerships === b.ownerships
  );
}

/** `an entity`, `a checksums item`…, for messages. */
export function kindName(kind: ItemKind): string {
  return kind === 'checksums' ? 'a checksums item' : kind === 'header' || kind === 'relation' ? `a ${kind}` : `an ${kind}`;
}
