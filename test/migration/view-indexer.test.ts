// Pass 1's native indexing (view-indexer.ts, native/src/index_views.c) writes exactly the sort records that the full
// path (ItemIndexer.add on decoded items) writes: for every value type, non-ASCII and long IDs, ownerships,
// relations with repeated players, and sorters that spill while it writes. What it declines, it declines before
// writing anything of the item, and the full path takes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItemEncoder, type DataItem } from '../../src/migration/codec/index.js';
import { parseLengthPrefix } from '../../src/migration/codec/framing.js';
import { ViewTable } from '../../src/migration/codec/item-view.js';
import { ImportSchema } from '../../src/migration/import/import-schema.js';
import { ItemIndexer } from '../../src/migration/import/item-indexer.js';
import { passOneSorters, type PassOneSorters } from '../../src/migration/import/pass-one-sorters.js';
import { WordPool } from '../../src/migration/import/word-pool.js';
import { schemaFromText } from '../../src/migration/schema-text.js';
import type { Value } from '../../src/common/values.js';
import { tempDir } from './fixtures.js';

const SCHEMA = `define
  name sub attribute, value string;
  code sub attribute, value string, regex "^[A-Z][a-z]*$";
  flag sub attribute, value boolean;
  count sub attribute, value long;
  score sub attribute, value double;
  seen sub attribute, value datetime, owns name;
  thing-label sub attribute, value string, abstract;
  person sub entity, owns name, owns code, owns flag, owns count, owns score, owns seen, plays friendship:friend, plays friendship:other;
  friendship sub relation, relates friend, relates other, owns name;
  close-friendship sub friendship;`;

const schema = ImportSchema.of(schemaFromText(SCHEMA, 'text'), { kind: 'text', database: 'view-indexer' });
const encoder = new ItemEncoder();

const VALUES: [string, Value][] = [
  ['name', { type: 'string', value: '' }],
  ['name', { type: 'string', value: 'Ada Lovelace 12' }],
  ['name', { type: 'string', value: 'é€\u{1F600}' }],
  ['name', { type: 'string', value: 'x'.repeat(200) }],
  ['code', { type: 'string', value: 'Ada' }],
  ['flag', { type: 'boolean', value: true }],
  ['flag', { type: 'boolean', value: false }],
  ...[0n, 1n, -1n, 255n, -256n, 2n ** 31n, -(2n ** 31n), 2n ** 32n + 5n, 2n ** 63n - 1n, -(2n ** 63n)].map((value): [string, Value] => ['count', { type: 'long', value }]),
  ...[0, -0, 1.5, -1.5, 1e-310, -1e300, Infinity, -Infinity].map((value): [string, Value] => ['score', { type: 'double', value }]),
  ...[0, 1, -1, 1577836800000, -62135596800000, 8.64e15, -8.64e15].map((value): [string, Value] => ['seen', { type: 'datetime', value }]),
];

/** IDs of every shape: short, one hash block, longer, non-ASCII (2-, 3- and 4-byte characters). */
function id(n: number): string {
  const shapes = [`a${n}`, `${n}`.padStart(16, 'b'), `c${n}-${'z'.repeat(n % 300)}`, `ü€${n}\u{1F600}`];
  return shapes[n % shapes.length]!;
}

/** Attributes of every value, entities owning them, relations with several roles and repeated players, and the reverse. */
function dataset(repeat: number): DataItem[] {
  const items: DataItem[] = [];
  for (let r = 0; r < repeat; r++) {
    const attributes = VALUES.map(([label, value], i): DataItem => ({ kind: 'attribute', id: id(r * 1000 + i), label, value, ownerships: i % 5 === 0 ? [id(r * 1000 + i + 1)] : [] }));
    items.push(...attributes);
    for (let p = 0; p < 6; p++) {
      const owned = attributes.filter((_, i) => (i + p) % 4 === 0 && attributes[i]!.label !== 'seen').map((a) => a.id);
      items.push({ kind: 'entity', id: id(r * 1000 + 100 + p), label: 'person', ownerships: owned });
    }
    items.push({
      kind: 'relation',
      id: id(r * 1000 + 200),
      label: r % 2 === 0 ? 'friendship' : 'close-friendship',
      ownerships: [attributes[1]!.id],
      roles: [
        { label: 'friendship:friend', players: [id(r * 1000 + 100), id(r * 1000 + 101), id(r * 1000 + 100)] },
        { label: 'other', players: [id(r * 1000 + 102)] },
        { label: 'friendship:friend', players: [id(r * 1000 + 103)] },
      ],
    });
  }
  return items;
}

interface Batch {
  readonly buf: Buffer;
  readonly spans: Int32Array;
  readonly offsets: Float64Array;
}

function encodeAll(items: readonly DataItem[]): Batch {
  const buf = Buffer.concat(items.map((item) => encoder.encode(item)));
  const spans = new Int32Array(2 * items.length);
  const offsets = new Float64Array(items.length);
  for (let at = 0, i = 0; at < buf.length; i++) {
    const prefix = parseLengthPrefix(buf, at, buf.length)!;
    offsets[i] = at + 7 * 2 ** 32; // offsets past 4 GiB: both words of the record's offset are written
    spans[2 * i] = at + prefix.bytes;
    spans[2 * i + 1] = at + prefix.bytes + prefix.length;
    at += prefix.bytes + prefix.length;
  }
  return { buf, spans, offsets };
}

function indexer(memoryBytes: number, secondHalf = false): { indexer: ItemIndexer; sorters: PassOneSorters } {
  const sorters = passOneSorters(tempDir(), memoryBytes, new WordPool(), !secondHalf);
  return { indexer: new ItemIndexer(schema, sorters, 'test.typedb', secondHalf), sorters };
}

/** Indexes the batch's items natively, in tables of `rows` rows; returns the rows each call stopped at (declined). */
function indexNatively(target: ItemIndexer, batch: Batch, rows: number, items: readonly DataItem[]): number[] {
  const table = new ViewTable(rows);
  const declined: number[] = [];
  for (let first = 0; first < items.length; ) {
    const count = Math.min(rows, items.length - first);
    const parsed = table.parse(batch.buf, batch.spans.subarray(2 * first), count);
    const offsets = batch.offsets.subarray(first, first + parsed);
    for (let row = 0; row < parsed; ) {
      row = target.addViews(table, offsets, row, parsed);
      if (row < parsed) {
        declined.push(first + row);
        target.add(items[first + row]!, offsets[row]!);
        row++;
      }
    }
    first += parsed;
  }
  return declined;
}

/** Every record of the sorters, in sorted order, as hex. */
function contents(sorters: PassOneSorters): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, sorter] of Object.entries(sorters)) {
    const sorted = sorter.finish();
    const cursor = sorted.open();
    const records: string[] = [];
    const keyWords = name === 'attributes' ? 3 : 4;
    while (cursor.next()) {
      const key = [...cursor.key.subarray(cursor.keyAt, cursor.keyAt + keyWords)].map((w) => w.toString(16).padStart(8, '0')).join('');
      records.push(`${key}|${cursor.payload.toString('hex', cursor.payloadStart, cursor.payloadEnd)}`);
    }
    out[name] = records;
    out[`${name}Spilled`] = [String(sorted.spilledBytes > 0)];
    sorted.dispose();
  }
  return out;
}

for (const [what, memoryBytes, repeat] of [
  ['in memory', 64 << 20, 3],
  ['with sorters spilling while the kernel writes', 1 << 16, 300],
] as const) {
  for (const secondHalf of [false, true]) {
    test(`native indexing writes the full path's records, ${what}${secondHalf ? ', as a second half' : ''}`, () => {
      const items = dataset(repeat);
      const batch = encodeAll(items);
      const viewed = indexer(memoryBytes, secondHalf);
      const declined = indexNatively(viewed.indexer, batch, 1024, items);
      assert.deepEqual(declined, [], 'every item is taken natively');
      const decoded = indexer(memoryBytes, secondHalf);
      items.forEach((item, i) => decoded.indexer.add(item, batch.offsets[i]!));
      assert.deepEqual(viewed.indexer.counts, decoded.indexer.counts);
      assert.deepEqual([...viewed.indexer.instances], [...decoded.indexer.instances]);
      const natively = contents(viewed.sorters);
      assert.deepEqual(natively, contents(decoded.sorters));
      assert.deepEqual([natively.attributesSpilled![0], natively.referencesSpilled![0]], Array(2).fill(String(memoryBytes < 1 << 20)));
    });
  }
}

test('tables of a few rows index as one of many (calls that stop at a table end)', () => {
  const items = dataset(2);
  const batch = encodeAll(items);
  const small = indexer(64 << 20);
  indexNatively(small.indexer, batch, 3, items);
  const large = indexer(64 << 20);
  indexNatively(large.indexer, batch, 4096, items);
  assert.deepEqual(contents(small.sorters), contents(large.sorters));
});

test('what the native path declines, it leaves whole to the full path, which writes its records or makes its message', () => {
  const ok = (n: number): DataItem => ({ kind: 'entity', id: `ok${n}`, label: 'person', ownerships: [`n${n}`] });
  const roles = (count: number) => Array.from({ length: count }, (_, r) => ({ label: 'friend', players: [`p${r}`] }));
  const declined: [string, DataItem, boolean][] = [
    ['a string past the inline limit (keyed by a hash)', { kind: 'attribute', id: 'long', label: 'name', ownerships: [], value: { type: 'string', value: 'y'.repeat(201) } }, true],
    ['NaN (the full path writes its one NaN)', { kind: 'attribute', id: 'nan', label: 'score', ownerships: [], value: { type: 'double', value: NaN } }, true],
    ['a string failing its type regex', { kind: 'attribute', id: 'regex', label: 'code', ownerships: [], value: { type: 'string', value: 'lower' } }, false],
    ['a label the schema lacks', { kind: 'entity', id: 'unknown', label: 'robot', ownerships: [] }, false],
    ['an abstract type', { kind: 'attribute', id: 'abstract', label: 'thing-label', ownerships: [], value: { type: 'string', value: 'x' } }, false],
    ['the wrong kind for its label', { kind: 'relation', id: 'kind', label: 'person', ownerships: [], roles: [{ label: 'friend', players: ['x'] }] }, false],
    ['a value of another type', { kind: 'attribute', id: 'type', label: 'count', ownerships: [], value: { type: 'string', value: '1' } }, false],
    ['a relation without players', { kind: 'relation', id: 'empty', label: 'friendship', ownerships: [], roles: [{ label: 'friend', players: [] }] }, false],
    ['a role under a scope the file names differently', { kind: 'relation', id: 'scoped', label: 'close-friendship', ownerships: [], roles: [{ label: 'close-friendship:friend', players: ['p'] }] }, true],
    ['a role the relation does not relate', { kind: 'relation', id: 'role', label: 'friendship', ownerships: [], roles: [{ label: 'enemy', players: ['p'] }] }, false],
    ['more roles than the kernel keeps', { kind: 'relation', id: 'roles', label: 'friendship', ownerships: [], roles: roles(65) }, true],
  ];
  for (const [what, item, indexes] of declined) {
    const items = [ok(1), item, ok(2)];
    const batch = encodeAll(items);
    const viewed = indexer(64 << 20);
    const table = new ViewTable(8);
    assert.equal(table.parse(batch.buf, batch.spans, 3), 3);
    assert.equal(viewed.indexer.addViews(table, batch.offsets, 0, 3), 1, what);
    const sizes = [viewed.sorters.definitions.size, viewed.sorters.attributes.size, viewed.sorters.references.size];
    assert.deepEqual(sizes, [1, 0, 1], `${what}: nothing of it written`);
    if (!indexes) {
      assert.throws(() => viewed.indexer.add(item, batch.offsets[1]!), /\[MIG\d\d\]/, what);
      continue;
    }
    viewed.indexer.add(item, batch.offsets[1]!);
    assert.equal(viewed.indexer.addViews(table, batch.offsets, 2, 3), 3, what);
    const decoded = indexer(64 << 20);
    items.forEach((each, i) => decoded.indexer.add(each, batch.offsets[i]!));
    assert.deepEqual(contents(viewed.sorters), contents(decoded.sorters), what);
  }
});

test('a string of a type with a regex is indexed natively when it matches', () => {
  const items: DataItem[] = [
    { kind: 'attribute', id: 'c1', label: 'code', ownerships: [], value: { type: 'string', value: 'Ada' } },
    { kind: 'attribute', id: 'c2', label: 'code', ownerships: [], value: { type: 'string', value: 'Émile' } },
    { kind: 'attribute', id: 'c3', label: 'code', ownerships: [], value: { type: 'string', value: 'Bob' } },
  ];
  const batch = encodeAll(items);
  const viewed = indexer(64 << 20);
  const table = new ViewTable(4);
  table.parse(batch.buf, batch.spans, 3);
  // 'Émile' does not match ^[A-Z][a-z]*$: the call stops there, after indexing 'Ada'.
  assert.equal(viewed.indexer.addViews(table, batch.offsets, 0, 3), 1);
  assert.throws(() => viewed.indexer.add(items[1]!, batch.offsets[1]!), /"Émile" does not match the regular expression/);
  assert.equal(viewed.indexer.addViews(table, batch.offsets, 2, 3), 3);
  assert.equal(viewed.sorters.attributes.size, 2);
});

test('a type at its most instances is left to the full path, which says so', () => {
  const viewed = indexer(64 << 20);
  Reflect.get(viewed.indexer, 'sequences')[schema.type('person')!.id] = 0x7fff_ffff;
  const items: DataItem[] = [{ kind: 'entity', id: 'last', label: 'person', ownerships: [] }];
  const batch = encodeAll(items);
  const table = new ViewTable(1);
  table.parse(batch.buf, batch.spans, 1);
  assert.equal(viewed.indexer.addViews(table, batch.offsets, 0, 1), 0);
  assert.throws(() => viewed.indexer.add(items[0]!, 0), /more than 2147483647 instances of 'person'/);
});
