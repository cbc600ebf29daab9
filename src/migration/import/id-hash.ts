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

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Four bytes as one little-endian lane word. */
function word(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

/** Byte `n` of the tail that starts at `at` and has `rest` bytes, shifted to its place in its word; 0 past its end. */
function tailByte(bytes: Uint8Array, at: number, n: number, rest: number): number {
  return n < rest ? bytes[at + n]! << ((n & 3) << 3) : 0;
}

/** Writes the 128-bit hash of the ID whose UTF-8 bytes are `bytes[start, end)` into out[at..at+4), most significant first. */
export function hashIdBytes(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void {
  let h1 = 0x9e3779b9 | 0;
  let h2 = 0x7f4a7c15;
  let h3 = 0x85ebca6b | 0;
  let h4 = 0xc2b2ae35 | 0;
  const length = end - start;
  const blocksEnd = start + (length & ~15);
  let i = start;
  for (; i < blocksEnd; i += 16) {
    const k1 = Math.imul(rotl(Math.imul(word(bytes, i), C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    const k2 = Math.imul(rotl(Math.imul(word(bytes, i + 4), C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    const k3 = Math.imul(rotl(Math.imul(word(bytes, i + 8), C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    const k4 = Math.imul(rotl(Math.imul(word(bytes, i + 12), C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  const rest = end - i;
  if (rest > 0) {
    // Up to 15 bytes, zero-padded into the lane words (a zero word mixes in as nothing; the length is mixed below).
    const k4 = tailByte(bytes, i, 12, rest) | tailByte(bytes, i, 13, rest) | tailByte(bytes, i, 14, rest);
    const k3 = tailByte(bytes, i, 8, rest) | tailByte(bytes, i, 9, rest) | tailByte(bytes, i, 10, rest) | tailByte(bytes, i, 11, rest);
    const k2 = tailByte(bytes, i, 4, rest) | tailByte(bytes, i, 5, rest) | tailByte(bytes, i, 6, rest) | tailByte(bytes, i, 7, rest);
    const k1 = tailByte(bytes, i, 0, rest) | tailByte(bytes, i, 1, rest) | tailByte(bytes, i, 2, rest) | tailByte(bytes, i, 3, rest);
    h4 ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h3 ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h2 ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h1 ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  }
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[at] = h1;
  out[at + 1] = h2;
  out[at + 2] = h3;
  out[at + 3] = h4;
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
