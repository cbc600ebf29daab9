// Every data vector in shared/vectors decodes, with the contents the vectors README documents.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import {
  compareChecksums,
  summarizeItems,
  type AttributeItem,
  type Item,
  type ItemRecord,
} from '../../../src/migration/codec/index.js';
import { parseLengthPrefix } from '../../../src/migration/codec/framing.js';
import { readAll, vector, vectorsDir } from './helpers.js';

function dataVectors(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...dataVectors(path));
    else if (/\.(typedb|grakn)$/.test(name)) out.push(path);
  }
  return out.sort();
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('every data vector', () => {
  const files = dataVectors(vectorsDir());

  test('there are data vectors to read', () => {
    assert.deepEqual(
      files.map((f) => relative(vectorsDir(), f)),
      ['hand-built/example.typedb', 'typedb-2.0.0-migrator/data.grakn'],
    );
  });

  for (const file of files) {
    test(`${relative(vectorsDir(), file)} decodes and its checksums match a recount`, async () => {
      const summary = await summarizeItems(file);
      assert.ok(summary.header, 'has a header');
      assert.ok(summary.declared, 'has a checksums item');
      assert.deepEqual(compareChecksums(summary.declared, summary.counted), []);
    });
  }
});

describe('hand-built/example.typedb', () => {
  const path = vector('hand-built', 'example.typedb');

  test('is the file the README describes', () => {
    assert.equal(statSync(path).size, 194);
    assert.equal(sha256(path), 'cf68028d0dc6998c247131732b236138344a8feb05a6d2d36b766d620d01befe');
  });

  test('decodes to exactly the five items of the README table', async () => {
    const records = await readAll(path);
    const expected: ItemRecord[] = [
      { offset: 0, item: { kind: 'header', typedbVersion: '2.29.1', originalDatabase: 'social' } },
      {
        offset: 19,
        item: { kind: 'entity', id: 'gm4AAAAAAAAAAAAA', label: 'person', ownerships: ['g28AABSAAAAAAAAAKg=='] },
      },
      {
        offset: 72,
        item: {
          kind: 'attribute',
          id: 'g28AABSAAAAAAAAAKg==',
          label: 'age',
          ownerships: [],
          value: { type: 'long', value: 42n },
        },
      },
      {
        offset: 106,
        item: {
          kind: 'relation',
          id: 'hHAAAAAAAAAAAAAA',
          label: 'friendship',
          ownerships: [],
          roles: [{ label: 'friendship:friend', players: ['gm4AAAAAAAAAAAAA'] }],
        },
      },
      {
        offset: 180,
        item: { kind: 'checksums', checksums: { entities: 1, attributes: 1, relations: 1, roles: 1, ownerships: 1 } },
      },
    ];
    assert.deepEqual(records, expected);
  });

  test('IDs are base64 of the IIDs the README gives', async () => {
    const records = await readAll(path);
    const ids = records.flatMap(({ item }) => ('id' in item ? [Buffer.from(item.id, 'base64').toString('hex')] : []));
    assert.deepEqual(ids, ['826e00000000000000000000', '836f000014800000000000002a', '847000000000000000000000']);
  });
});

describe('typedb-2.0.0-migrator/data.grakn', () => {
  const path = vector('typedb-2.0.0-migrator', 'data.grakn');
  let cached: ItemRecord[] | undefined;
  const records = async () => (cached ??= await readAll(path));
  const things = async () => (await records()).map((r) => r.item).filter((i): i is Exclude<Item, { kind: 'header' | 'checksums' }> => i.kind !== 'header' && i.kind !== 'checksums');

  test('is the file the README describes', () => {
    assert.equal(statSync(path).size, 399_401);
    assert.equal(sha256(path), '1468025be3b82816985f9ffb864b3effbdc39ae3470089a6e88047ecc980e022');
  });

  test('1 905 records: the 2.0 header first, checksums last', async () => {
    const all = await records();
    assert.equal(all.length, 1905);
    // 2.0.x names field 1 grakn_version; same number, so it reads as typedbVersion.
    assert.deepEqual(all[0]!.item, { kind: 'header', typedbVersion: '2.0.0-alpha', originalDatabase: 'grabl' });
    assert.deepEqual(all.at(-1)!.item, {
      kind: 'checksums',
      checksums: { entities: 287, attributes: 925, relations: 691, roles: 1389, ownerships: 1125 },
    });
  });

  test('item counts, ownerships and role players match the README', async () => {
    const items = await things();
    const count = (kind: string) => items.filter((i) => i.kind === kind).length;
    assert.deepEqual([count('entity'), count('attribute'), count('relation')], [287, 925, 691]);
    const owned = (kind: string) => items.filter((i) => i.kind === kind).reduce((n, i) => n + i.ownerships.length, 0);
    assert.deepEqual([owned('entity'), owned('relation'), owned('attribute')], [1123, 2, 0]);
    const relations = items.filter((i) => i.kind === 'relation');
    const players = relations.map((r) => r.roles.reduce((n, role) => n + role.players.length, 0));
    assert.equal(players.reduce((a, b) => a + b, 0), 1389);
    assert.equal(Math.max(...players), 3);
  });

  test('attribute values: 623 string, 278 datetime, 15 long, 9 boolean, 0 double', async () => {
    const attributes = (await things()).filter((i): i is AttributeItem => i.kind === 'attribute');
    const byType = new Map<string, number>();
    for (const a of attributes) byType.set(a.value.type, (byType.get(a.value.type) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(byType), { string: 623, datetime: 278, long: 15, boolean: 9 });
    const datetimes = attributes.flatMap((a) => (a.value.type === 'datetime' ? [a.value.value] : []));
    assert.equal(new Date(Math.min(...datetimes)).toISOString(), '2020-08-18T19:27:27.000Z');
    assert.equal(new Date(Math.max(...datetimes)).toISOString(), '2020-12-11T09:31:03.018Z');
    // long 0 is written as `18 00` (a oneof default is still written) and must read back as 0n.
    assert.ok(attributes.some((a) => a.value.type === 'long' && a.value.value === 0n));
  });

  test('types and scoped role labels', async () => {
    const items = await things();
    const labels = (kind: string) => new Set(items.filter((i) => i.kind === kind).map((i) => i.label)).size;
    assert.deepEqual([labels('attribute'), labels('entity'), labels('relation')], [36, 11, 12]);
    const roles = new Set(items.flatMap((i) => (i.kind === 'relation' ? i.roles.map((r) => r.label) : [])));
    assert.equal(roles.size, 25);
    assert.ok(roles.has('repo-commit:repo') && roles.has('commit-link:previous'));
    assert.ok([...roles].every((r) => /^[a-z-]+:[a-z-]+$/.test(r)));
  });

  test('1 576 distinct IDs; 14 IDs are shared by 341 items (the 2.0 ID-collision bug)', async () => {
    const items = await things();
    const uses = new Map<string, number>();
    for (const i of items) uses.set(i.id, (uses.get(i.id) ?? 0) + 1);
    assert.equal(uses.size, 1576);
    const shared = [...uses.values()].filter((n) => n > 1);
    assert.equal(shared.length, 14);
    assert.equal(shared.reduce((a, b) => a + b, 0), 341);
    // IDs are kept exactly as in the file, U+FFFD replacement characters included.
    assert.ok(items.some((i) => i.id.includes('\uFFFD')));
    const byteLengths = items.map((i) => Buffer.byteLength(i.id));
    assert.deepEqual([Math.min(...byteLengths), Math.max(...byteLengths)], [10, 9143]);
    // Every reference resolves to an ID defined in the file.
    const refs = items.flatMap((i) => [...i.ownerships, ...(i.kind === 'relation' ? i.roles.flatMap((r) => r.players) : [])]);
    assert.ok(refs.every((id) => uses.has(id)));
  });

  test('largest item is 18 295 bytes; kinds interleave in 1 138 runs', async () => {
    const bytes = readFileSync(path);
    const all = await records();
    let largest = 0;
    for (const { offset } of all) largest = Math.max(largest, parseLengthPrefix(bytes, offset, bytes.length)!.length);
    assert.equal(largest, 18_295);
    // Runs of consecutive records of one kind, header and checksums included (1 136 among the things).
    const kinds = all.map((r) => r.item.kind);
    const runs = kinds.filter((k, i) => i === 0 || k !== kinds[i - 1]).length;
    assert.equal(runs, 1138);
  });
});
