// A 128-bit hash of a file's thing IDs, so that the importer can sort and join by fixed-width keys instead of
// variable-length strings (2.x attribute IDs embed their value and can run to kilobytes).
//
// The hash is MurmurHash3's x86 128-bit mixing over the string's UTF-16 code units (two per 32-bit lane
// word). Two different IDs share a hash with probability about n²/2^129: for 10^8 IDs, about 10^-23. The
// importer never trusts a hash equality it reports as an error (duplicate IDs are re-read from the file and
// compared as strings); a collision between two genuinely different IDs is reported instead of imported.

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

/** Two code units as one little-endian lane word. */
function word(id: string, at: number): number {
  return id.charCodeAt(at) | (id.charCodeAt(at + 1) << 16);
}

/** Two bytes, each standing for one code unit (ASCII text), as one lane word. */
function asciiWord(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 16);
}

/** The four lanes of the hash being computed (hashing is synchronous, so one set serves every call). */
const lanes = new Int32Array(4);

function mixBlock(k1: number, k2: number, k3: number, k4: number): void {
  let h1 = lanes[0]!;
  let h2 = lanes[1]!;
  let h3 = lanes[2]!;
  let h4 = lanes[3]!;
  k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
  h1 ^= k1;
  h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
  k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
  h2 ^= k2;
  h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
  k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
  h3 ^= k3;
  h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
  k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
  h4 ^= k4;
  h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  lanes[0] = h1;
  lanes[1] = h2;
  lanes[2] = h3;
  lanes[3] = h4;
}

/** The tail: up to 7 code units, zero-padded into the lane words (the length is mixed in by finish). */
function mixTail(k1: number, k2: number, k3: number, k4: number): void {
  if (k4 !== 0) lanes[3] ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1);
  if (k3 !== 0) lanes[2] ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4);
  if (k2 !== 0) lanes[1] ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3);
  lanes[0] ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2);
}

function startLanes(): void {
  lanes[0] = 0x9e3779b9;
  lanes[1] = 0x7f4a7c15;
  lanes[2] = 0x85ebca6b;
  lanes[3] = 0xc2b2ae35;
}

/** Mixes in the length (`units` code units) and writes the hash to out[at..at+4). */
function finish(units: number, out: Uint32Array, at: number): void {
  const bytes = units * 2;
  let h1 = lanes[0]! ^ bytes;
  let h2 = lanes[1]! ^ bytes;
  let h3 = lanes[2]! ^ bytes;
  let h4 = lanes[3]! ^ bytes;
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

/** Writes the 128-bit hash of `id` as four 32-bit words into out[at..at+4), most significant first. */
export function hashId(id: string, out: Uint32Array, at: number): void {
  const units = id.length;
  startLanes();
  const blocks = units & ~7;
  let i = 0;
  for (; i < blocks; i += 8) mixBlock(word(id, i), word(id, i + 2), word(id, i + 4), word(id, i + 6));
  if (i < units) {
    const rest = units - i;
    mixTail(
      stringUnit(id, i, 0, rest) | (stringUnit(id, i, 1, rest) << 16),
      stringUnit(id, i, 2, rest) | (stringUnit(id, i, 3, rest) << 16),
      stringUnit(id, i, 4, rest) | (stringUnit(id, i, 5, rest) << 16),
      stringUnit(id, i, 6, rest),
    );
  }
  finish(units, out, at);
}

/** Code unit `n` of the tail that starts at `at` and has `rest` units; 0 past its end. (A plain function, not a
 * closure: a closure over the loop's position was allocated on every call, 45 bytes per ID hashed.) */
function stringUnit(id: string, at: number, n: number, rest: number): number {
  return n < rest ? id.charCodeAt(at + n) : 0;
}

/**
 * The hash of an ID given as its bytes `bytes[start, end)`, which must all be ASCII: then each byte is one
 * UTF-16 code unit, and the hash equals hashId of the decoded string (the reader hashes IDs without decoding).
 */
export function hashAsciiId(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void {
  const units = end - start;
  startLanes();
  const blocksEnd = start + (units & ~7);
  let i = start;
  for (; i < blocksEnd; i += 8) mixBlock(asciiWord(bytes, i), asciiWord(bytes, i + 2), asciiWord(bytes, i + 4), asciiWord(bytes, i + 6));
  if (i < end) {
    const rest = end - i;
    mixTail(
      asciiUnit(bytes, i, 0, rest) | (asciiUnit(bytes, i, 1, rest) << 16),
      asciiUnit(bytes, i, 2, rest) | (asciiUnit(bytes, i, 3, rest) << 16),
      asciiUnit(bytes, i, 4, rest) | (asciiUnit(bytes, i, 5, rest) << 16),
      asciiUnit(bytes, i, 6, rest),
    );
  }
  finish(units, out, at);
}

/** As stringUnit, for ASCII bytes. */
function asciiUnit(bytes: Uint8Array, at: number, n: number, rest: number): number {
  return n < rest ? bytes[at + n]! : 0;
}

/** The hash as 32 hex digits (for messages and tests). */
export function idHashHex(id: string): string {
  const out = new Uint32Array(4);
  hashId(id, out, 0);
  return [...out].map((w) => w.toString(16).padStart(8, '0')).join('');
}
