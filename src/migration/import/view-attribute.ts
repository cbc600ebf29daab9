// An attribute's IID and value record straight from a parsed item (ItemView), byte for byte what attributeIID and
// encodeValueRecord make of the decoded value, without making the value: strings are copied as the file's UTF-8
// bytes, longs and datetimes flipped into order-preserving form from their 64 bits.

import type { ItemView } from '../codec/item-view.js';
import { ThingKind, STRING_INLINE_LIMIT, VALUE_TYPE_CODES, encodeValueKey } from '../../encoding/index.js';
import { putBytes } from './records.js';

export class ViewAttributeEncoder {
  /** The IID of the last attribute encoded: iid[0, iidLength). */
  readonly iid = Buffer.allocUnsafe(4 + 2 + STRING_INLINE_LIMIT);
  iidLength = 0;

  /**
   * Encodes the IID of the view's attribute of type `typeId`; false when only the full path can (strings over
   * the inline limit are keyed by a hash).
   */
  encode(view: ItemView, typeId: number): boolean {
    const iid = this.iid;
    iid[0] = ThingKind.Attribute;
    iid[1] = typeId >> 8;
    iid[2] = typeId & 0xff;
    iid[3] = VALUE_TYPE_CODES[view.valueKind];
    switch (view.valueKind) {
      case 'string': {
        const length = view.stringEnd - view.stringStart;
        if (length > STRING_INLINE_LIMIT) return false;
        iid[4] = length >> 8;
        iid[5] = length & 0xff;
        this.iidLength = putBytes(iid, 6, view.buf, view.stringStart, view.stringEnd);
        return true;
      }
      case 'boolean':
        iid[4] = view.boolean ? 1 : 0;
        this.iidLength = 5;
        return true;
      case 'long':
      case 'datetime':
        // Two's complement with the sign bit flipped, big-endian: the order of the signed values.
        iid.writeUInt32BE((view.bitsHi ^ 0x8000_0000) >>> 0, 4);
        iid.writeUInt32BE(view.bitsLo, 8);
        this.iidLength = 12;
        return true;
      case 'double':
        iid.set(encodeValueKey({ type: 'double', value: view.double }), 4);
        this.iidLength = 12;
        return true;
    }
  }

  /** Bytes of the value record of the attribute last encoded. */
  recordLength(view: ItemView): number {
    return view.valueKind === 'string' ? 1 + view.stringEnd - view.stringStart : this.iidLength - 3;
  }

  /** Writes the value record of the attribute last encoded at out[at]; returns the position after it. */
  writeRecord(view: ItemView, out: Buffer, at: number): number {
    if (view.valueKind === 'string') {
      out[at] = VALUE_TYPE_CODES.string;
      return putBytes(out, at + 1, view.buf, view.stringStart, view.stringEnd);
    }
    // Other values' records are their type code and key bytes: the IID's tail.
    return putBytes(out, at, this.iid, 3, this.iidLength);
  }
}
