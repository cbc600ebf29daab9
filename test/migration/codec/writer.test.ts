// ItemWriter: byte compatibility with TypeDB 2.x (export-format.md §5, §6), atomic replacement, refusals.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CodecError,
  CodecErrorCode,
  ItemEncoder,
  ItemWriter,
  type DataItem,
  type Item,
} from '../../../src/migration/codec/index.js';
import { permissionAdvice } from '../../../src/migration/codec/errors.js';
import { hex, readAll, tempDir, vector } from './helpers.js';

const HEADER = { typedbVersion: '2.29.1', originalDatabase: 'social' };

/** The §6 worked example's three things, in file order. */
const EXAMPLE_THINGS: DataItem[] = [
  { kind: 'entity', id: 'gm4AAAAAAAAAAAAA', label: 'person', ownerships: ['g28AABSAAAAAAAAAKg=='] },
  { kind: 'attribute', id: 'g28AABSAAAAAAAAAKg==', label: 'age', ownerships: [], value: { type: 'long', value: 42n } },
  {
    kind: 'relation',
    id: 'hHAAAAAAAAAAAAAA',
    label: 'friendship',
    ownerships: [],
    roles: [{ label: 'friendship:friend', players: ['gm4AAAAAAAAAAAAA'] }],
  },
];

async function writeFile(path: string, items: readonly DataItem[], header = HEADER, bufferSize?: number) {
  const writer = await ItemWriter.open(path, header, { bufferSize });
  for (const item of items) await writer.write(item);
  return writer.finish();
}

function attribute(value: Extract<Item, { kind: 'attribute' }>['value']): DataItem {
  return { kind: 'attribute', id: 'a', label: 'v', ownerships: [], value };
}

/** The bytes of a ValueObject inside an encoded attribute item `{id "a", label "v", value}`. */
function valueBytes(value: Extract<Item, { kind: 'attribute' }>['value']): string {
  const record = new ItemEncoder().encode(attribute(value));
  // record: len, 0a, len, 0a 01 'a', 12 01 'v', 22 len <value>
  const body = record.subarray(record.indexOf(0x22, 4));
  return body.subarray(2, 2 + body[1]!).toString('hex');
}

describe('encoding (export-format.md §5, §6)', () => {
  test('the worked example is reproduced byte for byte', async () => {
    const path = join(tempDir(), 'example.typedb');
    const done = await writeFile(path, EXAMPLE_THINGS);
    const expected = readFileSync(vector('hand-built', 'example.typedb'));
    assert.deepEqual(readFileSync(path), expected);
    // The §6 hex text itself, not only the vector file.
    const section6 = hex(`
      12 7a 10 0a 06 32 2e 32 39 2e 31 12 06 73 6f 63 69 61 6c
      34 12 32 0a 10 67 6d 34 41 41 41 41 41 41 41 41 41 41 41 41 41 12 06 70 65 72 73 6f 6e
         1a 16 0a 14 67 32 38 41 41 42 53 41 41 41 41 41 41 41 41 41 4b 67 3d 3d
      21 0a 1f 0a 14 67 32 38 41 41 42 53 41 41 41 41 41 41 41 41 41 4b 67 3d 3d 12 03 61 67 65 22 02 18 2a
      49 1a 47 0a 10 68 48 41 41 41 41 41 41 41 41 41 41 41 41 41 41 12 0a 66 72 69 65 6e 64 73 68 69 70
         22 27 0a 11 66 72 69 65 6e 64 73 68 69 70 3a 66 72 69 65 6e 64 12 12 0a 10 67 6d 34 41 41 41 41
         41 41 41 41 41 41 41 41 41
      0d 82 01 0a 08 01 10 01 18 01 20 01 28 01`);
    assert.deepEqual(readFileSync(path), section6);
    assert.deepEqual(done, {
      path,
      bytes: 194,
      checksums: { entities: 1, attributes: 1, relations: 1, roles: 1, ownerships: 1 },
    });
  });

  test('value encodings of the §6 table (oneof defaults are written)', () => {
    assert.equal(valueBytes({ type: 'boolean', value: true }), '1001');
    assert.equal(valueBytes({ type: 'boolean', value: false }), '1000');
    assert.equal(valueBytes({ type: 'long', value: 0n }), '1800');
    assert.equal(valueBytes({ type: 'long', value: -1n }), '18ffffffffffffffffff01');
    assert.equal(valueBytes({ type: 'double', value: 2.5 }), '210000000000000440');
    assert.equal(valueBytes({ type: 'double', value: 0 }), '210000000000000000');
    assert.equal(valueBytes({ type: 'string', value: 'Alice' }), '0a05416c696365');
    assert.equal(valueBytes({ type: 'string', value: '' }), '0a00');
    assert.equal(valueBytes({ type: 'datetime', value: 1577836800000 }), '2880d09bf3f52d');
    assert.equal(valueBytes({ type: 'datetime', value: -1 }), '28ffffffffffffffffff01');
    assert.equal(valueBytes({ type: 'long', value: 2n ** 63n - 1n }), '18ffffffffffffffff7f');
    assert.equal(valueBytes({ type: 'long', value: -(2n ** 63n) }), '1880808080808080808001');
  });

  test('zero counters and empty strings outside a oneof are omitted; empty messages are written', () => {
    const encoder = new ItemEncoder();
    const zero = { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 };
    assert.equal(encoder.encode({ kind: 'checksums', checksums: zero }).toString('hex'), '03820100');
    assert.equal(
      encoder.encode({ kind: 'checksums', checksums: { ...zero, relations: 300 } }).toString('hex'),
      '0682010318ac02',
    );
    assert.equal(encoder.encode({ kind: 'header', typedbVersion: '2.29.1', originalDatabase: '' }).toString('hex'), '0a7a080a06322e32392e31');
    // An empty ownership ID is still one OwnedAttribute message (`1a 00`).
    assert.equal(encoder.encode({ kind: 'entity', id: '', label: 'p', ownerships: [''] }).toString('hex'), '0712051201701a00');
  });

  test('fields are in ascending number order: id, label, ownerships, then roles', () => {
    const bytes = new ItemEncoder().encode({
      kind: 'relation',
      id: 'r',
      label: 'l',
      ownerships: ['o1', 'o2'],
      roles: [{ label: 'l:a', players: ['p', 'p'] }],
    });
    assert.equal(
      bytes.toString('hex'),
      '25' + '1a23' + '0a0172' + '12016c' + '1a040a026f31' + '1a040a026f32' + '220f' + '0a036c3a61' + '12030a0170' + '12030a0170',
    );
  });

  test('an empty database is a header and an empty checksums item', async () => {
    const path = join(tempDir(), 'empty.typedb');
    await writeFile(path, [], { typedbVersion: '2.29.1', originalDatabase: 'e' });
    assert.equal(readFileSync(path).toString('hex'), '0d7a0b0a06322e32392e311201' + '65' + '03820100');
  });
});

describe('round trip writer → reader', () => {
  const things: DataItem[] = [
    { kind: 'attribute', id: 'name-1', label: 'name', ownerships: [], value: { type: 'string', value: 'Zoë — 名前 👩‍💻' } },
    { kind: 'attribute', id: 'n', label: 'neg', ownerships: ['name-1'], value: { type: 'long', value: -(2n ** 63n) } },
    { kind: 'attribute', id: 'm', label: 'max', ownerships: [], value: { type: 'long', value: 2n ** 63n - 1n } },
    { kind: 'attribute', id: 'd', label: 'd', ownerships: [], value: { type: 'double', value: -0.1 } },
    { kind: 'attribute', id: 'nan', label: 'd', ownerships: [], value: { type: 'double', value: Number.NaN } },
    { kind: 'attribute', id: 'inf', label: 'd', ownerships: [], value: { type: 'double', value: -Infinity } },
    { kind: 'attribute', id: 't', label: 'when', ownerships: [], value: { type: 'datetime', value: -62135596800000 } },
    { kind: 'attribute', id: 'b', label: 'flag', ownerships: [], value: { type: 'boolean', value: false } },
    { kind: 'attribute', id: 'e', label: 'empty', ownerships: [], value: { type: 'string', value: '' } },
    { kind: 'entity', id: 'p1', label: 'person', ownerships: ['name-1', 'name-1', 't'] },
    { kind: 'entity', id: 'p2', label: 'person', ownerships: [] },
    {
      kind: 'relation',
      id: 'r1',
      label: 'friendship',
      ownerships: ['b'],
      roles: [
        { label: 'friendship:friend', players: ['p1', 'p2', 'p1'] },
        { label: 'other', players: ['r1'] },
      ],
    },
    { kind: 'relation', id: 'r2', label: 'empty-relation', ownerships: [], roles: [] },
  ];

  test('every item reads back equal, with matching checksums', async () => {
    const path = join(tempDir(), 'round.typedb');
    const done = await writeFile(path, things, { typedbVersion: 'Strata 0.1', originalDatabase: 'ü' });
    const records = await readAll(path);
    assert.deepEqual(records[0]!.item, { kind: 'header', typedbVersion: 'Strata 0.1', originalDatabase: 'ü' });
    assert.deepEqual(records.slice(1, -1).map((r) => r.item), things);
    assert.deepEqual(records.at(-1)!.item, { kind: 'checksums', checksums: done.checksums });
    assert.deepEqual(done.checksums, { entities: 2, attributes: 9, relations: 2, roles: 4, ownerships: 5 });
    assert.equal(done.bytes, statSync(path).size);
  });

  test('items larger than the write buffer, and un-awaited writes, keep their order', async () => {
    const path = join(tempDir(), 'big.typedb');
    const writer = await ItemWriter.open(path, HEADER, { bufferSize: 1024 });
    const big: DataItem = {
      kind: 'relation',
      id: 'big',
      label: 'huge',
      ownerships: [],
      roles: [{ label: 'huge:member', players: Array.from({ length: 5000 }, (_, i) => `player-${i}`) }],
    };
    const items: DataItem[] = [];
    for (let i = 0; i < 500; i++) {
      items.push({ kind: 'entity', id: `e${i}`, label: 'x'.repeat(i % 50), ownerships: [] });
      if (i % 100 === 7) items.push(big);
    }
    // Issued without awaiting each write: they must still land in call order.
    await Promise.all(items.map((item) => writer.write(item)));
    const done = await writer.finish();
    const read = await readAll(path);
    assert.deepEqual(read.slice(1, -1).map((r) => r.item), items);
    assert.equal(done.checksums.roles, 5 * 5000);
  });
});

describe('atomic replacement', () => {
  test('abort() leaves the previous file untouched and removes the temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'data.typedb');
    writeFileSync(path, 'previous export');
    const writer = await ItemWriter.open(path, HEADER, { bufferSize: 1024 });
    for (let i = 0; i < 1000; i++) await writer.write({ kind: 'entity', id: `e${i}`, label: 'person', ownerships: [] });
    assert.ok(readdirSync(dir).some((f) => f.endsWith('.tmp')), 'data goes to a temporary file');
    assert.equal(readFileSync(path, 'utf8'), 'previous export');
    await writer.abort();
    assert.equal(readFileSync(path, 'utf8'), 'previous export');
    assert.deepEqual(readdirSync(dir), ['data.typedb']);
    await writer.abort(); // idempotent
    await assert.rejects(writer.write(EXAMPLE_THINGS[0]!), codeIs(CodecErrorCode.WRITER_CLOSED));
    await assert.rejects(writer.finish(), codeIs(CodecErrorCode.WRITER_CLOSED));
  });

  test('finish() replaces the previous file, keeps its permissions and leaves no temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'data.typedb');
    writeFileSync(path, 'previous export');
    chmodSync(path, 0o600);
    await writeFile(path, EXAMPLE_THINGS);
    assert.deepEqual(readFileSync(path), readFileSync(vector('hand-built', 'example.typedb')));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['data.typedb']);
  });

  test('a new file appears only at finish()', async () => {
    const dir = tempDir();
    const path = join(dir, 'new.typedb');
    const writer = await ItemWriter.open(path, HEADER);
    await writer.write(EXAMPLE_THINGS[0]!);
    assert.ok(!readdirSync(dir).includes('new.typedb'));
    await writer.finish();
    assert.ok(readdirSync(dir).includes('new.typedb'));
    await writer.abort(); // a no-op after finish: the file stays
    assert.ok(readdirSync(dir).includes('new.typedb'));
  });

  test('an invalid item is refused without breaking the writer', async () => {
    const path = join(tempDir(), 'data.typedb');
    const writer = await ItemWriter.open(path, HEADER);
    const bad: unknown[] = [
      { kind: 'attribute', id: 'x', label: 'l', ownerships: [], value: { type: 'long', value: 2n ** 63n } },
      { kind: 'attribute', id: 'x', label: 'l', ownerships: [], value: { type: 'long', value: 5 } },
      { kind: 'attribute', id: 'x', label: 'l', ownerships: [], value: { type: 'datetime', value: 1.5 } },
      { kind: 'attribute', id: 'x', label: 'l', ownerships: [], value: { type: 'decimal', value: '1.0' } },
      { kind: 'attribute', id: 'x', label: 'l', ownerships: [] },
      { kind: 'entity', id: 'x\uD800', label: 'l', ownerships: [] },
      { kind: 'entity', id: 'x', label: 'l', ownerships: [7] },
      { kind: 'relation', id: 'x', label: 'l', ownerships: [], roles: [null] },
      { kind: 'header', typedbVersion: '2.29.1', originalDatabase: 'again' },
      { kind: 'checksums', checksums: { entities: 0, attributes: 0, relations: 0, roles: 0, ownerships: 0 } },
      { kind: 'thing' },
    ];
    for (const item of bad) {
      await assert.rejects(writer.write(item as DataItem), codeIs(CodecErrorCode.INVALID_ITEM_TO_WRITE), JSON.stringify(item, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    }
    await writer.write(EXAMPLE_THINGS[0]!);
    const done = await writer.finish();
    assert.deepEqual(done.checksums, { entities: 1, attributes: 0, relations: 0, roles: 0, ownerships: 1 });
  });

  test('the messages for invalid items say which item and what is wrong', async () => {
    const encoder = new ItemEncoder();
    assert.throws(
      () => encoder.measure({ kind: 'entity', id: 'p1', label: 'person', ownerships: ['ok', 'bad\uDC00'] }),
      /\[MIG34\] Migrator failure: Cannot write the entity item with id "p1" \(type 'person'\): its owned attribute ID "bad\\udc00" is not valid Unicode/,
    );
    assert.throws(
      () => encoder.measure({ kind: 'attribute', id: 'a', label: 'age', ownerships: [], value: { type: 'long', value: 2n ** 64n } }),
      /its long value 18446744073709551616 is not a 64-bit integer/,
    );
  });
});

describe('refused targets', () => {
  test('a directory', async () => {
    const dir = tempDir();
    await assert.rejects(ItemWriter.open(dir, HEADER), (e: unknown) => {
      assert.ok(e instanceof CodecError);
      assert.equal(e.code, 'MIG32');
      assert.match(e.message, /Refusing to write the export to '.*': it is a directory, not a regular file/);
      return true;
    });
  });

  test('a symbolic link, even to a regular file (which stays untouched)', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.typedb');
    writeFileSync(real, 'keep me');
    const link = join(dir, 'link.typedb');
    symlinkSync(real, link);
    await assert.rejects(ItemWriter.open(link, HEADER), /\[MIG32\].*it is a symbolic link \(to '.*real\.typedb'\)/);
    assert.equal(readFileSync(real, 'utf8'), 'keep me');
    assert.deepEqual(readdirSync(dir).sort(), ['link.typedb', 'real.typedb']);
  });

  test('a FIFO', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.typedb');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(ItemWriter.open(fifo, HEADER), /\[MIG32\].*it is a named pipe \(FIFO\), not a regular file/);
  });

  test('a target that becomes a directory before finish()', async () => {
    const dir = tempDir();
    const path = join(dir, 'data.typedb');
    const writer = await ItemWriter.open(path, HEADER);
    await writer.write(EXAMPLE_THINGS[0]!);
    mkdirSync(path);
    await assert.rejects(writer.finish(), /\[MIG32\].*it is a directory/);
    assert.deepEqual(readdirSync(dir), ['data.typedb']);
    assert.ok(statSync(path).isDirectory());
  });

  test('a missing directory', async () => {
    const path = join(tempDir(), 'no', 'such', 'dir', 'data.typedb');
    await assert.rejects(ItemWriter.open(path, HEADER), /\[MIG04\] Migrator failure: Error writing the file at '.*': the directory '.*dir' does not exist/);
  });
});

function codeIs(code: number) {
  return (e: unknown) => {
    assert.ok(e instanceof CodecError, `expected a CodecError, got ${String(e)}`);
    assert.equal(e.code, `MIG${String(code).padStart(2, '0')}`, e.message);
    return true;
  };
}

test('file errors the server cannot fix itself say what the user can do', () => {
  const error = (code: string) => Object.assign(new Error(`${code}: something`), { code });
  // Root, which runs the tests here, is never refused: the advice is checked on the errors themselves.
  assert.match(permissionAdvice(error('EACCES')), /check that the user it runs as may access it and its directory/);
  assert.match(permissionAdvice(error('EPERM')), /check that the user it runs as/);
  assert.match(permissionAdvice(error('EROFS')), /read-only: choose a path on a writable disk/);
  assert.equal(permissionAdvice(error('EIO')), '');
  assert.equal(permissionAdvice(new Error('no code')), '');
});
