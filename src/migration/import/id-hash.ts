// A 128-bit hash of a file's thing IDs, so that the importer can sort and join by fixed-width keys instead of
// variable-length strings (2.x attribute IDs embed their value and can run to kilobytes).
//
// The hash is MurmurHash3's x86 128-bit mixing over the ID's UTF-8 bytes, 16 bytes (four little-endian lane
// words) per block: the reader hashes IDs straight from the file's bytes, and a decoded string is hashed as its
// UTF-8 encoding, which for the valid UTF-8 the reader accepts is those same bytes. (It hashed UTF-16 code units,
// two to a word, until an ASCII ID of 16 bytes took two blocks where it now takes one.) Two different IDs share a
// hash with probability about n²/2^129: for 10^8 IDs, about 10^-23. The importer never trusts a hash equality it
// reports as an error (duplicate IDs are re-read from the file and compared as strings); a collision between two
// genuinely different IDs is reported instead of imported.

import { nativeModule } from '../../native/index.js';

/**
 * Writes the 128-bit hash of the ID whose UTF-8 bytes are `bytes[start, end)` into out[at..at+4), most significant first.
 * Computed by native code (native/src/item_views.c), which hashes the IDs of the items it parses the same way.
 */
export function hashIdBytes(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void {
  nativeModule().hashIdBytes(bytes, start, end, out, at);
}

/** Where hashId encodes a string, grown as needed (hashing is synchronous, so one serves every call). */
let utf8 = Buffer.allocUnsafe(1024);

/**
 * Writes the hash of `id` into out[at..at+4): the hash of its UTF-8 encoding (hashIdBytes). For the decoded items
 * and the messages' re-reads; the hot path hashes the file's bytes.
 */
export function hashId(id: string, out: Uint32Array, at: number): void {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes (a surrogate pair, two units, takes 4).
  if (utf8.length < 3 * id.length) utf8 = Buffer.allocUnsafe(Math.max(3 * id.length, 2 * utf8.length));
  const length = utf8.write(id, 0, 'utf8');
  hashIdBytes(utf8, 0, length, out, at);
}

/** The hash as 32 hex digits (for messages and tests). */
export function idHashHex(id: string): string {
  const out = new Uint32Array(4);
  hashId(id, out, 0);
  return [...out].map((w) => w.toString(16).padStart(8, '0')).join('');
}
