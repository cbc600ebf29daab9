// The import's resolving phase in native code (native/src/reference_join.c, attribute_rank.c, edge_reverse.c):
// the kernels merge sorted runs themselves, from memory or from windows of run files that the driver refills, and
// stop for the driver to word errors. These are the cases the import tests reach rarely or not at all: records
// longer than a run file's window, a run file cut short, errors found while the runs are spilled, attributes of
// values longer than the kernel's first buffer, and an attribute's ownership of an attribute its type may not own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import { importDatabase, type ImportOptions } from '../../src/migration/index.js';
import type { DataItem } from '../../src/migration/codec/index.js';
import { ExternalSorter, type RecordCursor } from '../../src/migration/import/external-sorter.js';
import { reverseEdges } from '../../src/migration/import/reference-join.js';
import { tempDir, writeItems } from './fixtures.js';

/** A forward edge set of 3-word keys, spilled to runs of at most ~1 MiB, with a few payloads longer than that. */
function spilledEdges(dir: string, records: number) {
  const forward = new ExternalSorter({ dir, name: 'forward', keyWords: 3, memoryBytes: 6 << 20 });
  let x = 7;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < records; i++) {
    forward.key[0] = next() % 5000;
    forward.key[1] = next() % 7;
    forward.key[2] = next();
    const length = i % 9973 === 5 ? (3 << 20) + (i % 5) : next() % 40;
    const at = forward.append(length);
    forward.arena.fill(i & 0xff, at, at + length);
  }
  return forward.finish();
}

/** Every record of `records` in order: its key words and payload. */
function contents(records: { open(): RecordCursor }, keyWords: number) {
  const out: { key: number[]; payload: Buffer }[] = [];
  const cursor = records.open();
  while (cursor.next()) {
    out.push({
      key: [...cursor.key.subarray(cursor.keyAt, cursor.keyAt + keyWords)],
      payload: Buffer.from(cursor.payload.subarray(cursor.payloadStart, cursor.payloadEnd)),
    });
  }
  cursor.close();
  return out;
}

test('edges are reversed from spilled runs, records longer than a run window too, in the order of their forward set', () => {
  const dir = tempDir();
  const forward = spilledEdges(dir, 60_000);
  assert.ok(forward.spilledBytes > 4 << 20, 'the forward set is spilled to several runs');
  const reverse = new ExternalSorter({ dir, name: 'reverse', keyWords: 3, memoryBytes: 6 << 20, radixBits: 64, restInOrder: true });
  reverseEdges(forward, reverse);
  const expected = contents(forward, 3).map(({ key, payload }) => ({ key: [...key].reverse(), payload }));
  // The stable order of the reverse set: by its key, then in the order the forward set gave.
  const order = expected.map((record, i) => ({ record, i }));
  order.sort((a, b) => {
    for (let w = 0; w < 3; w++) if (a.record.key[w] !== b.record.key[w]) return a.record.key[w]! - b.record.key[w]!;
    return a.i - b.i;
  });
  const got = contents(reverse.finish(), 3);
  assert.equal(got.length, expected.length);
  assert.ok(got.some(({ payload }) => payload.length > 1 << 20), 'a record longer than the 1 MiB window was reversed');
  for (let i = 0; i < got.length; i++) {
    assert.deepEqual(got[i]!.key, order[i]!.record.key, `record ${i}: key`);
    assert.ok(got[i]!.payload.equals(order[i]!.record.payload), `record ${i}: payload`);
  }
});

for (const [cut, error] of [[8, 'ends inside a record'], [6, 'is damaged']] as const) {
  test(`a run file cut short by ${cut} bytes is reported with its path: it ${error}`, () => {
    const dir = tempDir();
    const forward = spilledEdges(dir, 30_000);
    const run = readdirSync(dir).find((name) => name.endsWith('.run'));
    assert.ok(run !== undefined, 'the set was spilled');
    const path = join(dir, run);
    truncateSync(path, statSync(path).size - cut);
    const reverse = new ExternalSorter({ dir, name: 'reverse', keyWords: 3, memoryBytes: 64 << 20 });
    assert.throws(() => reverseEdges(forward, reverse), (e: Error) => e.message === `run file '${path}' ${error}`);
  });
}

const SCHEMA = `define
name sub attribute, value string, owns note;
note sub attribute, value string;
age sub attribute, value long;
person sub entity, owns name, owns age, plays friendship:friend;
friendship sub relation, relates friend;`;

/** Many people, each with a name and a friendship, so that every sorter spills with a 1 MiB budget. */
function people(count: number): DataItem[] {
  const items: DataItem[] = [];
  for (let i = 0; i < count; i++) {
    items.push({ kind: 'entity', id: `p${i}`, label: 'person', ownerships: [`n${i}`] });
    items.push({ kind: 'attribute', id: `n${i}`, label: 'name', ownerships: [], value: { type: 'string', value: `name ${i % 1000}` } });
    if (i > 0) items.push({ kind: 'relation', id: `f${i}`, label: 'friendship', ownerships: [], roles: [{ label: 'friendship:friend', players: [`p${i}`, `p${i - 1}`] }] });
  }
  return items;
}

/** The import's message for these items, in each mode; every mode must give the same one. */
async function refusals(items: DataItem[]): Promise<string> {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  await writeItems(file, items);
  const modes: Partial<ImportOptions>[] = [{ threads: false }, { threads: false, memoryBytes: 1 << 20 }, { threads: true, memoryBytes: 1 << 20 }];
  const messages: string[] = [];
  for (const mode of modes) {
    const manager = openDatabaseManager(join(tempDir(), 'data'));
    try {
      await importDatabase(manager, 'social', { dataFile: file, schemaText: SCHEMA, ...mode });
      assert.fail(`the import succeeded (${JSON.stringify(mode)})`);
    } catch (e) {
      messages.push((e as Error).message);
    } finally {
      manager.close();
    }
  }
  for (const message of messages) assert.equal(message, messages[0]);
  return messages[0]!;
}

test('duplicated IDs are counted whole, and the earliest named, when the definitions are spilled to many runs', async () => {
  const items = people(12_000);
  // Three IDs defined again at the end; the earliest second definition is that of p9000.
  items.push({ kind: 'entity', id: 'p9000', label: 'person', ownerships: [] });
  items.push({ kind: 'entity', id: 'p20', label: 'person', ownerships: [] });
  items.push({ kind: 'attribute', id: 'n20', label: 'name', ownerships: [], value: { type: 'string', value: 'again' } });
  items.push({ kind: 'entity', id: 'p20', label: 'person', ownerships: [] });
  const message = await refusals(items);
  assert.match(message, /\[MIG40\] .*defines the ID "p9000" more than once: the entity item \(person\) at byte offset \d+ and the entity item \(person\) at byte offset \d+ \(in all, 3 IDs are each defined by several items, 7 items in total\)/);
});

test('references to IDs that nothing defines are counted whole, and the earliest named, when the references are spilled', async () => {
  const items = people(12_000);
  const at = (id: string) => items.findIndex((item) => item.id === id);
  items[at('p7000')] = { kind: 'entity', id: 'p7000', label: 'person', ownerships: ['n7000', 'ghost-2', 'ghost-1'] };
  items[at('p500')] = { kind: 'entity', id: 'p500', label: 'person', ownerships: ['n500', 'ghost-1'] };
  const message = await refusals(items);
  assert.match(message, /\[MIG41\] .*The entity item "p500" \(person\) at byte offset \d+ .* refers to the owned attribute "ghost-1", but no item in the file has that ID \(3 references in all point to IDs that are not in the file\)/);
});

test("an attribute's ownership of an attribute that its type may not own is refused, naming the attribute item", async () => {
  const items: DataItem[] = [
    { kind: 'entity', id: 'p', label: 'person', ownerships: ['n', 'a'] },
    { kind: 'attribute', id: 'n', label: 'name', ownerships: ['a'], value: { type: 'string', value: 'Ann' } },
    { kind: 'attribute', id: 'a', label: 'age', ownerships: [], value: { type: 'long', value: 42n } },
  ];
  const message = await refusals(items);
  assert.match(message, /\[MIG45\] .*Attribute of type 'age' is not defined to be owned by type 'name': the attribute item "n" \(name\) at byte offset \d+ .* owns the attribute "a"/);
});

test('attributes of equal values longer than the ranker\'s first buffer are one attribute; their owners all own it', async () => {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  const long = 'x'.repeat(9000);
  const items: DataItem[] = [
    { kind: 'attribute', id: 'n1', label: 'name', ownerships: [], value: { type: 'string', value: long } },
    { kind: 'attribute', id: 'n2', label: 'name', ownerships: [], value: { type: 'string', value: long } },
    { kind: 'attribute', id: 'n3', label: 'name', ownerships: [], value: { type: 'string', value: `${long}y` } },
    { kind: 'entity', id: 'p1', label: 'person', ownerships: ['n1', 'n3'] },
    { kind: 'entity', id: 'p2', label: 'person', ownerships: ['n2'] },
  ];
  await writeItems(file, items);
  for (const mode of [{ threads: false }, { threads: false, memoryBytes: 1 << 20 }] as Partial<ImportOptions>[]) {
    const manager = openDatabaseManager(join(tempDir(), 'data'));
    const result = await importDatabase(manager, 'social', { dataFile: file, schemaText: SCHEMA, ...mode });
    assert.equal(result.mergedAttributes, 1);
    assert.deepEqual(result.stored, { entities: 2, relations: 0, attributes: 2, ownerships: 3, roles: 0, roleEdges: 0, keys: 1 + 2 + 2 + 2 * 3 });
    manager.close();
  }
});
