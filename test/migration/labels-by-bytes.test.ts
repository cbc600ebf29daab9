// LabelsByBytes, the importer's lookup of type and role labels by their bytes in the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelsByBytes } from '../../src/migration/import/labels-by-bytes.js';

/** The label's bytes inside a larger buffer, as the file holds them. */
function inFile(label: string): [Buffer, number, number] {
  const bytes = Buffer.concat([Buffer.from('..'), Buffer.from(label, 'utf8'), Buffer.from('..')]);
  return [bytes, 2, bytes.length - 2];
}

test('finds every label it holds by its bytes, whatever the cache holds; others are not found', () => {
  const labels = new LabelsByBytes<number>();
  // 'friend' and 'legend' share the cache slot (same length and last byte); so do 'ab' and 'bb'.
  const all = ['person', 'friend', 'legend', 'friendship:friend', 'pérson', 'ab', 'bb', ''];
  all.forEach((label, i) => labels.set(label, i));
  for (let round = 0; round < 3; round++) {
    for (const [i, label] of [...all.entries()].reverse()) assert.equal(labels.get(...inFile(label)), i, label);
  }
  for (const unknown of ['persons', 'Person', 'frien', 'cb']) assert.equal(labels.get(...inFile(unknown)), undefined, unknown);
});

test('a label is in the cache of recent hits from the start, unless another took its slot first', () => {
  // Found there on the first lookup, the lookup by hash is not first taken by code compiled before it needed it
  // (which would throw that code away: the whole indexing path, recompiled once per type the file comes to).
  const labels = new LabelsByBytes<number>();
  labels.set('person', 1);
  labels.set('friend', 2);
  labels.set('legend', 3); // the slot of 'friend'
  const recent = Reflect.get(labels, 'recent') as ({ bytes: Buffer; value: number } | undefined)[];
  const cached = recent.filter((entry) => entry !== undefined).map((entry) => entry!.bytes.toString());
  assert.deepEqual(cached.sort(), ['friend', 'person']);
});
