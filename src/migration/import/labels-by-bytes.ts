// Finding a type or a role by the UTF-8 bytes of its label as a file holds them, without making a string per
// item. Labels are few and short: a hash of the bytes picks a bucket, whose labels are compared byte by byte.
// Files hold valid UTF-8 (the reader checks), so equal bytes are equal labels.

interface Entry<T> {
  readonly bytes: Buffer;
  readonly value: T;
}

/** Slots of the cache of recent hits, chosen by a label's length and last byte (no hashing on a hit). */
const CACHE_SLOTS = 256;

export class LabelsByBytes<T> {
  private readonly buckets = new Map<number, Entry<T>[]>();
  private readonly recent: (Entry<T> | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);

  set(label: string, value: T): void {
    const bytes = Buffer.from(label, 'utf8');
    const hash = hashBytes(bytes, 0, bytes.length);
    const bucket = this.buckets.get(hash);
    const entry = { bytes, value };
    if (bucket === undefined) this.buckets.set(hash, [entry]);
    else bucket.push(entry);
    // Known from the start, a label is found in the cache on its first lookup: the lookup by hash is then seldom
    // taken, and not for the first time by code compiled before it (which it would throw away: a recompile of
    // the whole indexing path, once per type or role the file comes to).
    this.recent[cacheSlot(bytes, 0, bytes.length)] ??= entry;
  }

  get(buf: Uint8Array, start: number, end: number): T | undefined {
    const slot = cacheSlot(buf, start, end);
    const recent = this.recent[slot];
    if (recent !== undefined && equal(recent.bytes, buf, start, end)) return recent.value;
    const bucket = this.buckets.get(hashBytes(buf, start, end));
    if (bucket === undefined) return undefined;
    for (const entry of bucket) {
      if (equal(entry.bytes, buf, start, end)) {
        this.recent[slot] = entry;
        return entry.value;
      }
    }
    return undefined;
  }
}

function cacheSlot(buf: Uint8Array, start: number, end: number): number {
  return end > start ? ((end - start) * 31 + buf[end - 1]!) & (CACHE_SLOTS - 1) : 0;
}

/** FNV-1a. */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
  return hash >>> 0;
}

function equal(bytes: Buffer, buf: Uint8Array, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[start + i]) return false;
  return true;
}
