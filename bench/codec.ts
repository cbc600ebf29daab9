// .typedb codec throughput: writes N small items with ItemWriter, then reads them back with readItems, and
// prints items/s, MB/s and peak RSS for each phase. Not part of the tests.
//   node --import tsx bench/codec.ts [--items=1000000] [--dir=/tmp]
// Exposes benchCodec(args) in the shape bench/run.ts registers benchmarks with.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ItemWriter, readItems, type DataItem } from '../src/migration/codec/index.js';

/** Base64 IDs shaped like 2.x IIDs; a ring of them keeps item construction cheap and memory flat. */
const RING = 4096;
function ids(prefix: number): string[] {
  return Array.from({ length: RING }, (_, n) => {
    const b = Buffer.alloc(12);
    b[0] = prefix;
    b.writeUInt32BE(n, 8);
    return b.toString('base64');
  });
}
const ENTITY_IDS = ids(0x82);
const ATTRIBUTE_IDS = ids(0x83);
const RELATION_IDS = ids(0x84);
const NAMES = Array.from({ length: RING }, (_, n) => `name-${n}`);

/** The shapes of a typical export, in turn: a string attribute, a long attribute, an entity owning both, a
 * binary relation. Encoded sizes are 29–75 bytes. */
function item(i: number): DataItem {
  const r = i % RING;
  switch (i & 3) {
    case 0:
      return { kind: 'attribute', id: ATTRIBUTE_IDS[r]!, label: 'name', ownerships: [], value: { type: 'string', value: NAMES[r]! } };
    case 1:
      return { kind: 'attribute', id: ATTRIBUTE_IDS[r]!, label: 'age', ownerships: [], value: { type: 'long', value: BigInt(i) } };
    case 2:
      return { kind: 'entity', id: ENTITY_IDS[r]!, label: 'person', ownerships: [ATTRIBUTE_IDS[r]!, ATTRIBUTE_IDS[(r + 1) % RING]!] };
    default:
      return {
        kind: 'relation',
        id: RELATION_IDS[r]!,
        label: 'friendship',
        ownerships: [],
        roles: [{ label: 'friendship:friend', players: [ENTITY_IDS[r]!, ENTITY_IDS[(r + 7) % RING]!] }],
      };
  }
}

class PeakRss {
  private peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), 10);
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

interface Phase {
  items: number;
  bytes: number;
  ms: number;
  itemsPerSecond: number;
  mbPerSecond: number;
  peakRssMiB: number;
}

function phase(items: number, bytes: number, ms: number, peakRss: number): Phase {
  return {
    items,
    bytes,
    ms: Math.round(ms),
    itemsPerSecond: Math.round(items / (ms / 1000)),
    mbPerSecond: Number((bytes / 1e6 / (ms / 1000)).toFixed(1)),
    peakRssMiB: Math.round(peakRss / 2 ** 20),
  };
}

export async function benchCodec(args: Map<string, string>): Promise<Record<string, unknown>> {
  const count = Number(args.get('items') ?? 1_000_000);
  const dir = mkdtempSync(join(args.get('dir') ?? tmpdir(), 'strata-codec-bench-'));
  const path = join(dir, 'bench.typedb');
  try {
    let rss = new PeakRss();
    let start = performance.now();
    const writer = await ItemWriter.open(path, { typedbVersion: '2.29.1', originalDatabase: 'bench' });
    for (let i = 0; i < count; i++) await writer.write(item(i));
    const done = await writer.finish();
    const write = phase(count, done.bytes, performance.now() - start, rss.stop());

    rss = new PeakRss();
    start = performance.now();
    let read = 0;
    for await (const _ of readItems(path)) read++;
    const readPhase = phase(read, statSync(path).size, performance.now() - start, rss.stop());

    const line = (name: string, p: Phase) =>
      `${name.padEnd(5)} ${p.items} items, ${(p.bytes / 1e6).toFixed(1)} MB in ${p.ms} ms: ` +
      `${p.itemsPerSecond.toLocaleString('en')} items/s, ${p.mbPerSecond} MB/s, peak RSS ${p.peakRssMiB} MiB`;
    console.log(line('write', write));
    console.log(line('read', readPhase));
    return { write, read: readPhase };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Map<string, string>();
  for (const a of process.argv.slice(2)) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) args.set(m[1]!, m[2]!);
  }
  await benchCodec(args);
}
