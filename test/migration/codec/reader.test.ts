// readItems: streaming across chunk boundaries, precise errors for truncated, damaged and invalid input,
// and the 2.0 and 3.x forms of the format.

import assert from 'node:assert/strict';
import { createReadStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import protobuf from 'protobufjs';
import { StrataError } from '../../../src/common/errors.js';
import {
  CodecError,
  CodecErrorCode,
  ItemEncoder,
  ItemWriter,
  readItems,
  type Item,
  type ItemRecord,
} from '../../../src/migration/codec/index.js';
import { chunked, hex, readAll, readError, tempDir, vector } from './helpers.js';

const EXAMPLE = readFileSync(vector('hand-built', 'example.typedb'));
const EXAMPLE_OFFSETS = [0, 19, 72, 106, 180];
const encoder = new ItemEncoder();
const HEADER: Item = { kind: 'header', typedbVersion: '2.29.1', originalDatabase: 'db' };
const ZERO = { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 };
const CHECKSUMS: Item = { kind: 'checksums', checksums: ZERO };

/** A record: varint length prefix + body. */
function record(body: Buffer): Buffer {
  const prefix: number[] = [];
  let n = body.length;
  while (n >= 0x80) {
    prefix.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  prefix.push(n);
  return Buffer.concat([Buffer.from(prefix), body]);
}

function file(...parts: (Item | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : encoder.encode(p))));
}

/** An attribute item record whose ValueObject body is `valueHex`. */
function attributeWithValue(valueHex: string): Buffer {
  const value = hex(valueHex);
  const attribute = Buffer.concat([hex('0a0161 1205 7072696365'), Buffer.from([0x22, value.length]), value]);
  return record(Buffer.concat([Buffer.from([0x0a, attribute.length]), attribute]));
}

function code(n: number): string {
  return `MIG${String(n).padStart(2, '0')}`;
}

/** A small deterministic PRNG, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('streaming', () => {
  test('chunk boundaries anywhere give the same records and offsets', async () => {
    // Single-byte chunks only for the small file: node:test's async tracking makes each await costly.
    const cases: [string, number[][], number][] = [
      [vector('hand-built', 'example.typedb'), [[1], [2, 3], [7], [193]], 1],
      [vector('typedb-2.0.0-migrator', 'data.grakn'), [[1, 2, 3, 5, 7, 11], [4096], [18_296], [3, 70_000]], 1000],
    ];
    for (const [path, chunkSizes, highWaterMark] of cases) {
      const bytes = readFileSync(path);
      const expected = await readAll(path);
      assert.deepEqual(await readAll(bytes), expected);
      for (const sizes of chunkSizes) {
        assert.deepEqual(await readAll(chunked(bytes, sizes)), expected, `chunks of ${sizes.join(',')}`);
      }
      assert.deepEqual(await readAll(createReadStream(path, { highWaterMark })), expected);
      assert.deepEqual(await readAll(path, { chunkSize: 100 }), expected);
    }
  });

  test('records are decoded lazily and breaking out closes the file', async () => {
    const fds = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);
    const before = fds();
    for (let i = 0; i < 20; i++) {
      for await (const { item } of readItems(vector('typedb-2.0.0-migrator', 'data.grakn'))) {
        assert.equal(item.kind, 'header');
        break;
      }
    }
    assert.ok(fds() <= before + 1, 'no file handles leak');
  });
});

describe('truncation', () => {
  test('at every byte position of the worked example', async () => {
    for (let end = 0; end < EXAMPLE.length; end++) {
      const cut = EXAMPLE.subarray(0, end);
      for (const source of [() => cut, () => chunked(cut, [5])]) {
        const { error, items } = await readError(source());
        if (end === 0) {
          assert.equal(error.code, code(CodecErrorCode.EMPTY_FILE));
          assert.match(error.message, /is empty \(0 bytes\)/);
        } else if (EXAMPLE_OFFSETS.includes(end)) {
          assert.equal(error.code, code(CodecErrorCode.CHECKSUMS_MISSING), `cut at ${end}`);
          assert.equal(error.byteOffset, end);
          assert.match(error.message, new RegExp(`ends at byte offset ${end} after ${items.length} items? without a checksums item`));
        } else {
          const start = Math.max(...EXAMPLE_OFFSETS.filter((o) => o < end));
          assert.equal(error.code, code(CodecErrorCode.TRUNCATED_RECORD), `cut at ${end}`);
          assert.equal(error.byteOffset, start);
          const length = EXAMPLE[start]!;
          assert.match(
            error.message,
            new RegExp(
              `the record at byte offset ${start} expects ${length} bytes of item data at offset ${start + 1} ` +
                `\\(up to offset ${start + 1 + length}\\), but the file ends at byte offset ${end}, ` +
                `${start + 1 + length - end} bytes? short`,
            ),
          );
        }
        // Every record before the cut was delivered.
        assert.deepEqual(items.map((r) => r.offset), EXAMPLE_OFFSETS.filter((o) => o < end && o + 1 + EXAMPLE[o]! <= end));
      }
    }
  });

  test('at every byte position of a file with 2- and 3-byte length prefixes', async () => {
    const dir = tempDir();
    const path = join(dir, 'long.typedb');
    const writer = await ItemWriter.open(path, { typedbVersion: '2.29.1', originalDatabase: 'long' });
    await writer.write({ kind: 'entity', id: 'e'.repeat(300), label: 'person', ownerships: [] });
    await writer.write({ kind: 'attribute', id: 'a', label: 'bio', ownerships: [], value: { type: 'string', value: 'é'.repeat(10_000) } });
    await writer.finish();
    const bytes = readFileSync(path);
    const offsets = (await readAll(bytes)).map((r) => r.offset);
    const prefixBytes = (o: number) => (bytes[o]! < 0x80 ? 1 : bytes[o + 1]! < 0x80 ? 2 : 3);
    assert.deepEqual(offsets.map(prefixBytes), [1, 2, 3, 1]);
    for (let end = 1; end < bytes.length; end++) {
      const cut = bytes.subarray(0, end);
      const sources = end % 7 === 0 || offsets.some((o) => Math.abs(o - end) < 4) ? [cut, chunked(cut, [97])] : [cut];
      for (const source of sources) {
        const { error } = await readError(source);
        if (offsets.includes(end)) {
          assert.equal(error.code, code(CodecErrorCode.CHECKSUMS_MISSING));
          continue;
        }
        const start = Math.max(...offsets.filter((o) => o < end));
        assert.equal(error.byteOffset, start, `cut at ${end}`);
        if (end - start < prefixBytes(start)) {
          assert.equal(error.code, code(CodecErrorCode.TRUNCATED_LENGTH_PREFIX), `cut at ${end}`);
          assert.match(error.message, new RegExp(`ends at byte offset ${end}, inside the length prefix of the record at byte offset ${start}`));
        } else {
          assert.equal(error.code, code(CodecErrorCode.TRUNCATED_RECORD), `cut at ${end}`);
          assert.match(error.message, new RegExp(`the file ends at byte offset ${end}`));
        }
      }
    }
  });

  test('at sampled positions of the 2.0 vector', async () => {
    const path = vector('typedb-2.0.0-migrator', 'data.grakn');
    const bytes = readFileSync(path);
    const offsets = (await readAll(path)).map((r) => r.offset);
    const next = random(7);
    for (let i = 0; i < 60; i++) {
      const end = 1 + Math.floor(next() * (bytes.length - 1));
      const { error } = await readError(bytes.subarray(0, end));
      const start = Math.max(...offsets.filter((o) => o <= end));
      if (start === end) {
        assert.equal(error.code, code(CodecErrorCode.CHECKSUMS_MISSING));
      } else {
        assert.ok([code(CodecErrorCode.TRUNCATED_RECORD), code(CodecErrorCode.TRUNCATED_LENGTH_PREFIX)].includes(error.code));
        assert.equal(error.byteOffset, start);
      }
    }
  });
});

describe('damaged input gives a clean error, never a crash or hang', () => {
  async function readsCleanly(bytes: Buffer, what: string): Promise<void> {
    try {
      await readAll(bytes);
    } catch (e) {
      assert.ok(e instanceof CodecError, `${what}: ${String(e)}`);
      assert.ok(e instanceof StrataError);
      assert.match(e.message, /^\[MIG\d\d\] Migrator failure: /);
    }
  }

  test('every byte of the worked example flipped', { timeout: 60_000 }, async () => {
    for (let i = 0; i < EXAMPLE.length; i++) {
      for (const mask of [0x01, 0x80, 0xff, 0x7f]) {
        const bytes = Buffer.from(EXAMPLE);
        bytes[i]! ^= mask;
        await readsCleanly(bytes, `byte ${i} ^ ${mask}`);
      }
    }
  });

  test('random damage to the 2.0 vector, and random garbage', { timeout: 60_000 }, async () => {
    const original = readFileSync(vector('typedb-2.0.0-migrator', 'data.grakn'));
    const next = random(42);
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(original);
      for (let k = 0; k < 1 + (i % 4); k++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      await readsCleanly(bytes, `damage round ${i}`);
    }
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 300) }, () => Math.floor(next() * 256)));
      await readsCleanly(bytes, `garbage round ${i}`);
    }
  });

  test('a length prefix longer than 5 bytes or above 2 GiB', async () => {
    let { error } = await readError(file(HEADER, hex('ff ff ff ff ff 01')));
    assert.equal(error.code, code(CodecErrorCode.INVALID_LENGTH_PREFIX));
    assert.equal(error.byteOffset, 15);
    assert.match(error.message, /the length prefix at byte offset 15 is longer than 5 bytes/);
    ({ error } = await readError(file(HEADER, hex('ff ff ff ff 0f 00'))));
    assert.match(error.message, /\[MIG22\].*announces 4294967295 bytes, more than the 2 GiB protobuf message limit/);
  });

  test('a record that is not a protobuf message', async () => {
    // Field 5 with wire type 7 does not exist in protobuf.
    const { error, items } = await readError(file(HEADER, record(hex('2f 00'))));
    assert.equal(items.length, 1);
    assert.equal(error.code, code(CodecErrorCode.UNDECODABLE_ITEM));
    assert.equal(error.byteOffset, 15);
    assert.match(error.message, /the record at byte offset 15 \(2 bytes\) is not a valid data\.Item protobuf message — a field has the invalid wire type 7/);
  });

  test('a nested message or string running past its enclosing message', async () => {
    // entity { id: length 9 but only 2 bytes left in the entity }
    let { error } = await readError(file(HEADER, record(hex('12 04 0a 09 61 62'))));
    assert.equal(error.code, code(CodecErrorCode.UNDECODABLE_ITEM));
    assert.match(error.message, /runs past the end/);
    // entity of 9 bytes in a 4-byte record
    ({ error } = await readError(file(HEADER, record(hex('12 09 0a 01 61')))));
    assert.equal(error.code, code(CodecErrorCode.UNDECODABLE_ITEM));
  });

  test('a string that is not valid UTF-8', async () => {
    const { error } = await readError(file(HEADER, record(hex('12 05 0a 03 61 c3 28'))));
    assert.equal(error.code, code(CodecErrorCode.UNDECODABLE_ITEM));
    assert.match(error.message, /a string field is not valid UTF-8/);
  });

  test('a record holding two item kinds', async () => {
    const { error } = await readError(file(HEADER, record(hex('12 00 1a 00'))));
    assert.equal(error.code, code(CodecErrorCode.UNDECODABLE_ITEM));
    assert.match(error.message, /more than one item kind \(entity, relation\)/);
  });
});

describe('invalid streams', () => {
  test('an empty file', async () => {
    const path = join(tempDir(), 'empty.typedb');
    writeFileSync(path, '');
    const { error } = await readError(path);
    assert.equal(error.message, `[MIG20] Migrator failure: The file '${path}' is empty (0 bytes). A .typedb export holds at least a header item and a checksums item; check that the right file was given and that the export finished.`);
  });

  test('a missing file, and a directory', async () => {
    const dir = tempDir();
    let { error } = await readError(join(dir, 'nope.typedb'));
    assert.equal(error.message, `[MIG02] Migrator failure: The specified file path '${join(dir, 'nope.typedb')}' could not be found.`);
    mkdirSync(join(dir, 'sub'));
    ({ error } = await readError(join(dir, 'sub')));
    assert.match(error.message, /\[MIG03\] Migrator failure: Error reading the file at '.*sub': it is a directory/);
  });

  test('a first item that is not the header', async () => {
    const entity: Item = { kind: 'entity', id: 'e', label: 'person', ownerships: [] };
    const bytes = file(entity, HEADER, CHECKSUMS);
    const { error, items } = await readError(bytes);
    assert.equal(items.length, 0);
    assert.equal(error.code, code(CodecErrorCode.HEADER_MISSING));
    assert.match(error.message, /The data being imported is invalid - the header is missing: the first item of the input, at byte offset 0, is an entity, not a header/);
    assert.equal((await readAll(bytes, { requireHeaderFirst: false })).length, 3);
    assert.equal((await readAll(file(entity, CHECKSUMS), { requireHeaderFirst: false })).length, 2);
  });

  test('a second header', async () => {
    const { error } = await readError(file(HEADER, HEADER, CHECKSUMS));
    assert.equal(error.code, code(CodecErrorCode.DUPLICATE_HEADER));
    assert.match(error.message, /a second header item at byte offset 15 \(the first is at offset 0\)/);
  });

  test('no checksums item', async () => {
    const { error } = await readError(file(HEADER));
    assert.equal(error.code, code(CodecErrorCode.CHECKSUMS_MISSING));
    assert.deepEqual((await readAll(file(HEADER), { requireChecksums: false })).map((r) => r.item), [HEADER]);
  });

  test('several checksums items must agree', async () => {
    const one: Item = { kind: 'checksums', checksums: { ...ZERO, entities: 1 } };
    const entity: Item = { kind: 'entity', id: 'e', label: 'person', ownerships: [] };
    assert.equal((await readAll(file(HEADER, one, entity, one))).length, 4);
    const { error } = await readError(file(HEADER, entity, one, CHECKSUMS));
    assert.equal(error.code, code(CodecErrorCode.CONFLICTING_CHECKSUMS));
    assert.match(error.message, /two checksums items that disagree, at byte offsets 29 \(entities 1, attributes 0, relations 0, roles 0, ownerships 0\) and 35 \(entities 0,/);
  });

  test('a record of an unknown kind', async () => {
    let { error } = await readError(file(HEADER, record(hex('22 00 28 01')), CHECKSUMS));
    assert.equal(error.code, code(CodecErrorCode.UNKNOWN_ITEM_KIND));
    assert.match(error.message, /a record of an unknown kind at byte offset 15: .*\(field numbers found: 4, 5\)/);
    ({ error } = await readError(file(HEADER, record(hex('')), CHECKSUMS)));
    assert.equal(error.code, code(CodecErrorCode.UNKNOWN_ITEM_KIND));
    assert.match(error.message, /the record is empty/);
  });

  test('an impossible checksum count', async () => {
    const { error } = await readError(file(HEADER, record(hex('82 01 0b 08 ff ff ff ff ff ff ff ff ff 01'))));
    assert.equal(error.code, code(CodecErrorCode.INVALID_CHECKSUM_COUNT));
    assert.match(error.message, /has entity_count -1, which is not a possible count/);
  });
});

describe('values', () => {
  async function valueOf(valueHex: string): Promise<unknown> {
    const records = await readAll(file(HEADER, attributeWithValue(valueHex), CHECKSUMS));
    const item = records[1]!.item;
    assert.equal(item.kind, 'attribute');
    return item.value;
  }

  async function valueError(valueHex: string): Promise<CodecError> {
    return (await readError(file(HEADER, attributeWithValue(valueHex), CHECKSUMS))).error;
  }

  test('the §6 table decodes to typed values', async () => {
    assert.deepEqual(await valueOf('10 01'), { type: 'boolean', value: true });
    assert.deepEqual(await valueOf('10 00'), { type: 'boolean', value: false });
    assert.deepEqual(await valueOf('18 00'), { type: 'long', value: 0n });
    assert.deepEqual(await valueOf('18 ff ff ff ff ff ff ff ff ff 01'), { type: 'long', value: -1n });
    assert.deepEqual(await valueOf('18 80 80 80 80 80 80 80 80 80 01'), { type: 'long', value: -(2n ** 63n) });
    assert.deepEqual(await valueOf('21 00 00 00 00 00 00 04 40'), { type: 'double', value: 2.5 });
    assert.deepEqual(await valueOf('0a 05 41 6c 69 63 65'), { type: 'string', value: 'Alice' });
    assert.deepEqual(await valueOf('28 80 d0 9b f3 f5 2d'), { type: 'datetime', value: 1577836800000 });
    assert.deepEqual(await valueOf('28 ff ff ff ff ff ff ff ff ff 01'), { type: 'datetime', value: -1 });
  });

  test('a 3.x datetime (seconds + nanos) is read when it is whole milliseconds', async () => {
    // datetime_v3 (9) { seconds: sint64 1577836800 (zig-zag), nanos: 5 000 000 }
    assert.deepEqual(await valueOf('4a 0b 08 80 84 df e0 0b 10 c0 96 b1 02'), { type: 'datetime', value: 1577836800005 });
    // seconds −1, no nanos; nanos only (seconds absent = 0)
    assert.deepEqual(await valueOf('4a 02 08 01'), { type: 'datetime', value: -1000 });
    assert.deepEqual(await valueOf('4a 05 10 80 ad e2 04'), { type: 'datetime', value: 10 });
    assert.deepEqual(await valueOf('4a 00'), { type: 'datetime', value: 0 });
    const error = await valueError('4a 03 10 e8 07');
    assert.equal(error.code, code(CodecErrorCode.UNREPRESENTABLE_VALUE));
    assert.match(error.message, /its datetime has 1000 nanoseconds, and Strata stores datetimes with millisecond precision/);
  });

  test('a datetime beyond what Strata can store', async () => {
    const error = await valueError('28 ff ff ff ff ff ff ff ff 7f');
    assert.equal(error.code, code(CodecErrorCode.UNREPRESENTABLE_VALUE));
    assert.match(error.message, /the attribute item at byte offset 15 \(type 'price', id "a"\).*outside the range Strata can store/);
  });

  test('3.x value kinds Strata does not store are refused by name', async () => {
    const cases: [string, string][] = [
      ['32 04 08 02 10 05', 'a decimal'],
      ['42 02 08 02', 'a date'],
      ['52 02 12 00', 'a datetime-tz'],
      ['5a 02 08 01', 'a duration'],
      ['62 00', 'a struct'],
    ];
    for (const [valueHex, name] of cases) {
      const error = await valueError(valueHex);
      assert.equal(error.code, code(CodecErrorCode.UNSUPPORTED_VALUE_TYPE), name);
      assert.match(error.message, new RegExp(`it holds ${name} value \\(a TypeDB 3\\.x value type\\), and Strata only stores long, double, string, boolean and datetime values`));
      assert.match(error.message, /Convert or remove attributes of type 'price'/);
    }
  });

  test('an attribute without a value', async () => {
    for (const valueHex of ['', '38 01']) {
      const error = await valueError(valueHex);
      assert.equal(error.code, code(CodecErrorCode.ATTRIBUTE_WITHOUT_VALUE));
      assert.match(error.message, /^\[MIG09\] Migrator failure: The data being imported is invalid: the attribute item at byte offset 15 \(type 'price', id "a"\)/);
    }
    const noValueField = record(hex('0a 08 0a 01 61 12 03 61 67 65'));
    const { error } = await readError(file(HEADER, noValueField, CHECKSUMS));
    assert.equal(error.code, code(CodecErrorCode.ATTRIBUTE_WITHOUT_VALUE));
  });

  test('two values in one attribute', async () => {
    const error = await valueError('18 01 10 01');
    assert.equal(error.code, code(CodecErrorCode.UNDECODABLE_ITEM));
    assert.match(error.message, /holds more than one value \(long, boolean\)/);
  });
});

describe('2.0–2.2 and 3.x files', () => {
  test('2.0: grakn_version header and checksums field 6 (key_ownership_count) are read; field 6 is ignored', async () => {
    const root = protobuf.parse(`
      syntax = "proto3";
      package grakn.core.migrator.proto;
      message Item {
        oneof item { Attribute attribute = 1; Entity entity = 2; Relation relation = 3; Header header = 15; Checksums checksums = 16; }
        message Header { string grakn_version = 1; string original_database = 2; }
        message Entity { string id = 1; string label = 2; repeated OwnedAttribute attribute = 3; }
        message Attribute { string id = 1; string label = 2; repeated OwnedAttribute attribute = 3; ValueObject value = 4; }
        message Relation { string id = 1; string label = 2; repeated OwnedAttribute attribute = 3; repeated Role role = 4;
          message Role { string label = 1; repeated Player player = 2; message Player { string id = 1; } } }
        message OwnedAttribute { string id = 1; }
        message Key { string id = 1; }
        message Checksums { int64 entity_count = 1; int64 attribute_count = 2; int64 relation_count = 3;
                            int64 role_count = 4; int64 ownership_count = 5; int64 key_ownership_count = 6; }
      }
      message ValueObject { oneof value { string string = 1; bool boolean = 2; int64 long = 3; double double = 4; int64 datetime = 5; } }
    `).root;
    const Item = root.lookupType('grakn.core.migrator.proto.Item');
    const bytes = Buffer.concat([
      Item.encodeDelimited({ header: { graknVersion: '2.0.0', originalDatabase: 'old' } }).finish(),
      Item.encodeDelimited({ entity: { id: 'e\uFFFD', label: 'person', attribute: [{ id: 'a' }] } }).finish(),
      Item.encodeDelimited({ attribute: { id: 'a', label: 'name', value: { string: 'x' } } }).finish(),
      Item.encodeDelimited({ checksums: { entityCount: 1, attributeCount: 1, ownershipCount: 1, keyOwnershipCount: 9 } }).finish(),
    ]);
    assert.deepEqual((await readAll(bytes)).map((r) => r.item), [
      { kind: 'header', typedbVersion: '2.0.0', originalDatabase: 'old' },
      { kind: 'entity', id: 'e\uFFFD', label: 'person', ownerships: ['a'] },
      { kind: 'attribute', id: 'a', label: 'name', ownerships: [], value: { type: 'string', value: 'x' } },
      { kind: 'checksums', checksums: { entities: 1, attributes: 1, relations: 0, roles: 0, ownerships: 1 } },
    ]);
  });

  test('3.x: renamed fields, integer, datetime_millis and datetime read into the same model', async () => {
    const root = protobuf.parse(`
      syntax = "proto3";
      package typedb.protocol;
      message Migration {
        message Item {
          oneof item { Attribute attribute = 1; Entity entity = 2; Relation relation = 3; Header header = 15; Checksums checksums = 16; }
          message Entity { string id = 1; string label = 2; repeated OwnedAttribute attributes = 3; }
          message Attribute { string id = 1; string label = 2; repeated OwnedAttribute attributes = 3; MigrationValue value = 4; }
          message Relation { string id = 1; string label = 2; repeated OwnedAttribute attributes = 3; repeated Role roles = 4;
            message Role { string label = 1; repeated Player players = 2; message Player { string id = 1; } } }
          message OwnedAttribute { string id = 1; }
          message Header { string typedb_version = 1; string original_database = 2; }
          message Checksums { int64 entity_count = 1; int64 attribute_count = 2; int64 relation_count = 3;
                              int64 role_count = 4; int64 ownership_count = 5; reserved 6; }
        }
        message MigrationValue {
          oneof value { string string = 1; bool boolean = 2; int64 integer = 3; double double = 4; int64 datetime_millis = 5;
                        Value.Decimal decimal = 6; Value.Date date = 8; Value.Datetime datetime = 9; }
        }
      }
      message Value {
        message Decimal { sint64 integer = 1; uint64 fractional = 2; }
        message Date { sint32 num_days_since_ce = 1; }
        message Datetime { sint64 seconds = 1; uint32 nanos = 2; }
      }
    `).root;
    const Item = root.lookupType('typedb.protocol.Migration.Item');
    const items = [
      { header: { typedbVersion: '3.4.0', originalDatabase: 'new' } },
      { entity: { id: 'AQ==', label: 'person', attributes: [{ id: 'Ag==' }, { id: 'Ag==' }] } },
      { relation: { id: 'Aw==', label: 'friendship', roles: [{ label: 'friendship:friend', players: [{ id: 'AQ==' }, { id: 'AQ==' }] }] } },
      { attribute: { id: 'Ag==', label: 'age', value: { integer: '-9007199254740993' } } },
      { attribute: { id: 'BA==', label: 'born', value: { datetimeMillis: 86_400_000 } } },
      { attribute: { id: 'BQ==', label: 'seen', value: { datetime: { seconds: 60, nanos: 7_000_000 } } } },
      { checksums: { entityCount: 1, attributeCount: 3, relationCount: 1, roleCount: 2, ownershipCount: 2 } },
    ];
    const bytes = Buffer.concat(items.map((i) => Item.encodeDelimited(i).finish()));
    assert.deepEqual((await readAll(bytes)).map((r) => r.item), [
      { kind: 'header', typedbVersion: '3.4.0', originalDatabase: 'new' },
      { kind: 'entity', id: 'AQ==', label: 'person', ownerships: ['Ag==', 'Ag=='] },
      { kind: 'relation', id: 'Aw==', label: 'friendship', ownerships: [], roles: [{ label: 'friendship:friend', players: ['AQ==', 'AQ=='] }] },
      { kind: 'attribute', id: 'Ag==', label: 'age', ownerships: [], value: { type: 'long', value: -9007199254740993n } },
      { kind: 'attribute', id: 'BA==', label: 'born', ownerships: [], value: { type: 'datetime', value: 86_400_000 } },
      { kind: 'attribute', id: 'BQ==', label: 'seen', ownerships: [], value: { type: 'datetime', value: 60_007 } },
      { kind: 'checksums', checksums: { entities: 1, attributes: 3, relations: 1, roles: 2, ownerships: 2 } },
    ] satisfies Item[]);
  });
});

test('offsets are those of the length prefixes', async () => {
  const records: ItemRecord[] = await readAll(vector('hand-built', 'example.typedb'));
  assert.deepEqual(records.map((r) => r.offset), EXAMPLE_OFFSETS);
});
