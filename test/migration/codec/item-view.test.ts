// ItemView and scanItems, the importer's zero-copy reading: whatever the view accepts, the full decoder decodes to
// the same item; everything unusual or damaged is declined, and scanItems then reports exactly what readItems
// reports, item for item and error for error.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CodecError, ItemEncoder, readItems, type DataItem, type Item, type ItemRecord } from '../../../src/migration/codec/index.js';
import { ItemDecoder } from '../../../src/migration/codec/decode.js';
import { parseLengthPrefix } from '../../../src/migration/codec/framing.js';
import { ItemView } from '../../../src/migration/codec/item-view.js';
import { scanItems, type ItemVisitor } from '../../../src/migration/codec/scan.js';
import { hex, tempDir, vector } from './helpers.js';

const encoder = new ItemEncoder();
const decoder = new ItemDecoder(undefined);

/** The item a view stands for, made the slow way. */
function itemOf(view: ItemView): DataItem {
  const text = (start: number, end: number) => view.buf.toString('utf8', start, end);
  const ids = (ranges: Int32Array, from: number, to: number) => {
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(text(ranges[2 * i]!, ranges[2 * i + 1]!));
    return out;
  };
  const id = text(view.idStart, view.idEnd);
  const label = text(view.labelStart, view.labelEnd);
  const ownerships = ids(view.owned, 0, view.ownedCount);
  if (view.kind === 'entity') return { kind: 'entity', id, label, ownerships };
  if (view.kind === 'relation') {
    const roles = [];
    for (let r = 0; r < view.roleCount; r++) {
      roles.push({ label: text(view.roles[4 * r]!, view.roles[4 * r + 1]!), players: ids(view.players, view.roles[4 * r + 2]!, view.roles[4 * r + 3]!) });
    }
    return { kind: 'relation', id, label, ownerships, roles };
  }
  const bits = BigInt.asIntN(64, (BigInt(view.bitsHi) << 32n) | BigInt(view.bitsLo));
  switch (view.valueKind) {
    case 'string':
      return { kind: 'attribute', id, label, ownerships, value: { type: 'string', value: text(view.stringStart, view.stringEnd) } };
    case 'boolean':
      return { kind: 'attribute', id, label, ownerships, value: { type: 'boolean', value: view.boolean } };
    case 'long':
      return { kind: 'attribute', id, label, ownerships, value: { type: 'long', value: bits } };
    case 'double':
      return { kind: 'attribute', id, label, ownerships, value: { type: 'double', value: view.double } };
    case 'datetime':
      assert.equal(view.datetime, Number(bits));
      return { kind: 'attribute', id, label, ownerships, value: { type: 'datetime', value: view.datetime } };
  }
}

/** The bodies of the records of a file: [start, end) of each item message. */
function bodies(bytes: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let at = 0; at < bytes.length; ) {
    const prefix = parseLengthPrefix(bytes, at, bytes.length)!;
    out.push([at + prefix.bytes, at + prefix.bytes + prefix.length]);
    at += prefix.bytes + prefix.length;
  }
  return out;
}

/** Checks the one promise the view makes: if it accepts, the full decoder agrees. Returns whether it accepted. */
function agrees(view: ItemView, buf: Buffer, start: number, end: number, what: string): boolean {
  if (!view.parse(buf, start, end)) return false;
  let item: Item;
  try {
    item = decoder.decode(buf, start, end, 0, 0);
  } catch (e) {
    assert.fail(`${what}: the view accepted a record the full decoder rejects: ${(e as Error).message}`);
  }
  assert.deepEqual(itemOf(view), item, what);
  return true;
}

const ITEMS: DataItem[] = [
  { kind: 'entity', id: 'gm4AAAAAAAAAAAAA', label: 'person', ownerships: ['g28AAUFkYQ==', 'g28AAUFkYQ==', 'x'] },
  { kind: 'entity', id: 'e2', label: 'thing-with-no-ownerships', ownerships: [] },
  { kind: 'entity', id: 'é\u{1F600}\uFFFD', label: 'pérson', ownerships: ['ñ'] },
  {
    kind: 'relation',
    id: 'r1',
    label: 'friendship',
    ownerships: ['a1'],
    roles: [
      { label: 'friendship:friend', players: ['p1', 'p2', 'p1'] },
      { label: 'empty', players: [] },
      { label: 'friend', players: ['x'.repeat(300)] },
    ],
  },
  { kind: 'attribute', id: 'a1', label: 'name', ownerships: ['a2'], value: { type: 'string', value: 'Ada Lovelace' } },
  { kind: 'attribute', id: 'a2', label: 'name', ownerships: [], value: { type: 'string', value: '' } },
  { kind: 'attribute', id: 'a3', label: 'bio', ownerships: [], value: { type: 'string', value: 'ü'.repeat(150) } },
  { kind: 'attribute', id: 'a4', label: 'active', ownerships: [], value: { type: 'boolean', value: true } },
  { kind: 'attribute', id: 'a5', label: 'active', ownerships: [], value: { type: 'boolean', value: false } },
  ...[0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 300n, -300n].map(
    (value, i): DataItem => ({ kind: 'attribute', id: `l${i}`, label: 'age', ownerships: [], value: { type: 'long', value } }),
  ),
  ...[0, -0, 2.5, -1e300, Infinity, -Infinity, NaN, Number.MIN_VALUE].map(
    (value, i): DataItem => ({ kind: 'attribute', id: `d${i}`, label: 'score', ownerships: [], value: { type: 'double', value } }),
  ),
  ...[0, -1, 1577836800000, 8.64e15, -8.64e15].map(
    (value, i): DataItem => ({ kind: 'attribute', id: `t${i}`, label: 'joined', ownerships: [], value: { type: 'datetime', value } }),
  ),
];

describe('ItemView', () => {
  test('accepts the items writers produce, exactly as the full decoder reads them', () => {
    const view = new ItemView();
    for (const item of ITEMS) {
      const bytes = encoder.encode(item);
      const [[start, end]] = bodies(bytes) as [[number, number]];
      assert.ok(agrees(view, bytes, start, end, JSON.stringify(item, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))), `declined ${item.id}`);
    }
  });

  test('accepts the data items of the shared vectors (2.29 and 2.0 exports)', () => {
    const view = new ItemView();
    for (const path of [vector('hand-built', 'example.typedb'), vector('typedb-2.0.0-migrator', 'data.grakn')]) {
      const bytes = readFileSync(path);
      let accepted = 0;
      const records = bodies(bytes);
      for (const [start, end] of records) if (agrees(view, bytes, start, end, path)) accepted++;
      // All but the header and the checksums item.
      assert.equal(accepted, records.length - 2, path);
    }
  });

  test('declines what only the full decoder handles: unusual shapes, other value kinds and damage', () => {
    const view = new ItemView();
    const declined = [
      ['', 'an empty record'],
      ['12 00 1a 00', 'two item kinds'],
      ['7a 02 0a 00', 'the header'],
      ['12 06 0a 01 61 0a 01 62', 'an ID given twice'],
      ['12 03 12 01 70', 'no ID'],
      ['12 03 0a 01 61', 'no label'],
      ['12 08 0a 01 61 12 01 70 28 01', 'an unknown field'],
      ['12 08 0a 01 61 12 01 70 0a 01', 'a field cut short'],
      ['12 0a 0a 01 61 12 01 70 1a 01 0a 00', 'an ownership running past its message'],
      ['12 0b 0a 01 61 12 01 70 1a 02 12 00', 'an ownership without an ID'],
      ['12 05 0a 03 61 c3 28', 'a string that is not UTF-8'],
      ['12 04 0a 09 61 62', 'a string running past its message'],
      ['12 09 0a 01 61', 'an item running past its record'],
      ['0a 08 0a 01 61 12 03 61 67 65', 'an attribute without a value'],
      ['0a 0a 0a 01 61 12 01 70 22 00', 'an empty value'],
      ['0a 0e 0a 01 61 12 01 70 22 04 18 01 10 01', 'two values'],
      ['0a 0c 0a 01 61 12 01 70 22 02 10 02', 'a boolean that is not 0 or 1'],
      ['0a 0d 0a 01 61 12 01 70 22 03 10 81 00', 'a boolean of two bytes'],
      ['0a 0e 0a 01 61 12 01 70 22 04 4a 02 08 01', 'a 3.x datetime'],
      ['0a 10 0a 01 61 12 01 70 22 06 32 04 08 02 10 05', 'a decimal'],
      ['0a 15 0a 01 61 12 01 70 22 0b 28 ff ff ff ff ff ff ff ff 7f', 'a datetime out of range'],
      ['0a 17 0a 01 61 12 01 70 22 0d 18 ff ff ff ff ff ff ff ff ff ff 01', 'a varint of 11 bytes'],
      ['0a 13 0a 01 61 12 01 70 22 09 21 00 00 00 00 00 00 04', 'a double cut short'],
      ['1a 0a 0a 01 61 12 01 70 22 02 12 00', 'a role without a label'],
      ['12 0a 0a 01 61 12 01 70 22 02 0a 00', 'a role in an entity'],
    ];
    for (const [body, what] of declined) {
      const bytes = hex(body!);
      assert.equal(view.parse(bytes, 0, bytes.length), false, what);
    }
  });

  test('never accepts what the full decoder rejects or reads otherwise: every byte damaged, every length cut', () => {
    const view = new ItemView();
    const file = Buffer.concat(ITEMS.map((item) => encoder.encode(item)));
    for (const [start, end] of bodies(file)) {
      for (let cut = start; cut < end; cut++) agrees(view, file, start, cut, `cut at ${cut - start}`);
      for (let i = start; i < end; i++) {
        for (const mask of [0x01, 0x02, 0x08, 0x40, 0x80, 0xff]) {
          const bytes = Buffer.from(file.subarray(start, end));
          bytes[i - start]! ^= mask;
          agrees(view, bytes, 0, bytes.length, `byte ${i - start} ^ ${mask}`);
        }
      }
    }
  });
});

/** Every cut of `body`, and `body` with each of its first `damagedBytes` bytes damaged by a few bit masks. */
function damagedVariants(body: Buffer, damagedBytes = body.length): Buffer[] {
  const variants: Buffer[] = [];
  for (let cut = 0; cut < body.length; cut++) variants.push(body.subarray(0, cut));
  for (let i = 0; i < Math.min(body.length, damagedBytes); i++) {
    for (const mask of [0x01, 0x02, 0x08, 0x40, 0x80, 0xff]) {
      const bytes = Buffer.from(body);
      bytes[i]! ^= mask;
      variants.push(bytes);
    }
  }
  return variants;
}

describe('ItemView.header', () => {
  const HEADERS = [
    { typedbVersion: '2.29.1', originalDatabase: 'social' },
    { typedbVersion: '', originalDatabase: '' },
    { typedbVersion: '2.0.2', originalDatabase: 'ünïcödé 数据库' },
    { typedbVersion: 'x'.repeat(300), originalDatabase: 'long version string' },
  ];

  test('reads the header items writers produce, as the full decoder does', () => {
    const view = new ItemView();
    for (const header of HEADERS) {
      const bytes = encoder.encode({ kind: 'header', ...header });
      const [[start, end]] = bodies(bytes) as [[number, number]];
      assert.deepEqual(view.header(bytes, start, end), { kind: 'header', ...header });
      assert.deepEqual(decoder.decode(bytes, start, end, 0, 0), { kind: 'header', ...header });
    }
  });

  test('declines what only the full decoder handles', () => {
    const view = new ItemView();
    const declined = [
      ['7a 06 0a 01 61 0a 01 62', 'a field given twice'],
      ['7a 03 1a 01 61', 'an unknown field'],
      ['7a 03 0a 01 ff', 'bytes that are not UTF-8'],
      ['7a 03 0a 01 61 00', 'bytes after the message'],
      ['7a 04 0a 01 61', 'a message running past its record'],
      ['82 01 02 08 01', 'a checksums item'],
    ];
    for (const [body, what] of declined) {
      const bytes = hex(body!);
      assert.equal(view.header(bytes, 0, bytes.length), undefined, what);
    }
  });

  test('never reads what the full decoder rejects or reads otherwise: every byte damaged, every length cut', () => {
    const view = new ItemView();
    for (const header of HEADERS) {
      const record = encoder.encode({ kind: 'header', ...header });
      const [[start, end]] = bodies(record) as [[number, number]];
      for (const bytes of damagedVariants(record.subarray(start, end), 40)) {
        const read = view.header(bytes, 0, bytes.length);
        if (read === undefined) continue;
        assert.deepEqual(decoder.decode(bytes, 0, bytes.length, 0, 0), read, bytes.toString('hex'));
      }
    }
  });
});

describe('ItemView.checksums', () => {
  const COUNTS = [
    { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 },
    { entities: 1, attributes: 2, relations: 300, roles: 40_000, ownerships: 5_000_000_000 },
    { entities: Number.MAX_SAFE_INTEGER, attributes: 0, relations: 7, roles: 0, ownerships: 2 ** 32 },
  ];

  test('reads the checksums items writers produce, as the full decoder does', () => {
    const view = new ItemView();
    for (const checksums of COUNTS) {
      const bytes = encoder.encode({ kind: 'checksums', checksums });
      const [[start, end]] = bodies(bytes) as [[number, number]];
      assert.deepEqual(view.checksums(bytes, start, end), checksums);
      assert.deepEqual(decoder.decode(bytes, start, end, 0, 0), { kind: 'checksums', checksums });
    }
  });

  test('declines what only the full decoder handles', () => {
    const view = new ItemView();
    const declined = [
      ['82 01 02 30 01', 'the 2.0 key_ownership_count field'],
      ['82 01 0b 08 ff ff ff ff ff ff ff ff ff 01', 'a negative count'],
      ['82 01 0a 08 80 80 80 80 80 80 80 10', 'a count of 2^53'],
      ['82 01 04 08 01 08 02', 'a counter given twice'],
      ['82 01 02 09 01', 'a counter of the wrong wire type'],
      ['82 01 02 08 01 00', 'bytes after the message'],
      ['82 01 03 08 01', 'a message running past its record'],
      ['12 03 0a 01 61', 'an entity'],
    ];
    for (const [body, what] of declined) {
      const bytes = hex(body!);
      assert.equal(view.checksums(bytes, 0, bytes.length), undefined, what);
    }
  });

  test('never reads what the full decoder rejects or reads otherwise: every byte damaged, every length cut', () => {
    const view = new ItemView();
    for (const checksums of COUNTS) {
      const record = encoder.encode({ kind: 'checksums', checksums });
      const [[start, end]] = bodies(record) as [[number, number]];
      for (const bytes of damagedVariants(record.subarray(start, end))) {
        const counts = view.checksums(bytes, 0, bytes.length);
        if (counts === undefined) continue;
        assert.deepEqual(decoder.decode(bytes, 0, bytes.length, 0, 0), { kind: 'checksums', checksums: counts }, bytes.toString('hex'));
      }
    }
  });
});

/**
 * Everything scanItems delivers, views turned into items, then its error if any. `decline`: the visitor declines
 * every view ('all'), or every other row it is given, the first or the second ('some': takes of a batch may stop
 * anywhere), or none.
 */
async function scanAll(path: string, decline: 'none' | 'some' | 'all', options = {}): Promise<{ records: ItemRecord[]; error?: string }> {
  const records: ItemRecord[] = [];
  const view = new ItemView();
  let calls = 0;
  const visitor: ItemVisitor = {
    views: (table, offsets, from, to) => {
      if (decline === 'all') return from;
      const stop = decline === 'some' ? Math.min(to, from + (calls++ % 2)) : to;
      for (let row = from; row < stop; row++) {
        assert.ok(table.load(view, row), 'every row given is a view');
        records.push({ item: itemOf(view), offset: offsets[row]! });
      }
      return stop;
    },
    item: (item, offset) => records.push({ item, offset }),
  };
  try {
    await scanItems(path, visitor, options);
    return { records };
  } catch (e) {
    assert.ok(e instanceof CodecError, String(e));
    return { records, error: e.message };
  }
}

/** The same from readItems. */
async function readAllOf(path: string): Promise<{ records: ItemRecord[]; error?: string }> {
  const records: ItemRecord[] = [];
  try {
    for await (const record of readItems(path)) records.push(record);
    return { records };
  } catch (e) {
    assert.ok(e instanceof CodecError, String(e));
    return { records, error: e.message };
  }
}

describe('scanItems', () => {
  test('delivers what readItems delivers, and fails with the same error, for damaged and cut files', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const example = readFileSync(vector('hand-built', 'example.typedb'));
    const variants: [string, Buffer][] = [['intact', example]];
    for (let i = 0; i < example.length; i++) {
      variants.push([`cut at ${i}`, example.subarray(0, i)]);
      for (const mask of [0x01, 0x80, 0xff]) {
        const bytes = Buffer.from(example);
        bytes[i]! ^= mask;
        variants.push([`byte ${i} ^ ${mask}`, bytes]);
      }
    }
    const path = join(dir, 'variant.typedb');
    for (const [what, bytes] of variants) {
      writeFileSync(path, bytes);
      const expected = await readAllOf(path);
      for (const decline of ['none', 'some', 'all'] as const) {
        // Chunks of 7 bytes: records cut across chunks everywhere.
        assert.deepEqual(await scanAll(path, decline, { chunkSize: 7 }), expected, `${what}, views declined: ${decline}`);
      }
    }
  });

  test('reads a byte range from a record boundary, with the offsets of the whole file', async () => {
    const example = readFileSync(vector('hand-built', 'example.typedb'));
    const path = join(tempDir(), 'example.typedb');
    writeFileSync(path, example);
    const all = (await readAllOf(path)).records;
    const [first, second] = [all.slice(0, 2), all.slice(2)];
    const middle = second[0]!.offset;
    const head = await scanAll(path, 'none', { end: middle, requireChecksums: false });
    assert.deepEqual(head, { records: first });
    const tail = await scanAll(path, 'none', { start: middle, requireHeaderFirst: false });
    assert.deepEqual(tail, { records: second });
  });
});
