// The objects the importer's hot path reads millions of times keep one hidden class (V8 map) each: a second
// class, or a class that changes under a running import, throws the compiled parse and indexing code away
// (a deoptimization, then a recompile per new class). Checked with V8's own %HaveSameMap, in a file of its own
// (node --test runs each file in its own process), so that no other test has already changed the classes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import { ItemEncoder, type DataItem } from '../../src/migration/codec/index.js';
import { parseLengthPrefix } from '../../src/migration/codec/framing.js';
import { ItemView } from '../../src/migration/codec/item-view.js';
import { ExternalSorter } from '../../src/migration/import/external-sorter.js';
import { ImportSchema } from '../../src/migration/import/import-schema.js';
import { ATTRIBUTE_PAYLOAD_ORDER } from '../../src/migration/import/records.js';
import { WordPool } from '../../src/migration/import/word-pool.js';
import { schemaFromText } from '../../src/migration/schema-text.js';
import { tempDir } from './fixtures.js';

v8.setFlagsFromString('--allow-natives-syntax');
const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

test('the type infos of an import schema share one hidden class, whatever the kind of type', () => {
  const graph = schemaFromText(
    `define
      name sub attribute, value string, regex "^[A-Z].*$";
      age sub attribute, value long;
      score sub attribute, value double, abstract;
      person sub entity, owns name @key, owns age, plays friendship:friend;
      friendship sub relation, relates friend, owns age;`,
    'text',
  );
  const schema = ImportSchema.of(graph, { kind: 'text', database: 'hidden-classes' });
  // As the build worker gets them: through a structured clone.
  for (const data of [schema.data, structuredClone(schema.data)]) {
    const imported = new ImportSchema(data);
    const infos = data.types.map((type) => imported.typeById(type.id));
    assert.ok(infos.length >= 6, 'the schema has entity, relation and attribute types');
    for (const info of infos) assert.ok(sameClass(info, infos[0]!), `'${info.label}' has a hidden class of its own`);
  }
});

test('an ItemView keeps its hidden class through items of every value kind', () => {
  const fresh = new ItemView();
  const view = new ItemView();
  assert.ok(sameClass(view, fresh));
  const encoder = new ItemEncoder();
  const items: DataItem[] = [
    { kind: 'entity', id: 'e1', label: 'person', ownerships: ['a1'] },
    { kind: 'attribute', id: 'a1', label: 'score', ownerships: [], value: { type: 'double', value: 2.5 } },
    { kind: 'attribute', id: 'a2', label: 'age', ownerships: [], value: { type: 'long', value: -1n } },
    { kind: 'attribute', id: 'a3', label: 'joined', ownerships: [], value: { type: 'datetime', value: 1577836800000 } },
    { kind: 'attribute', id: 'a4', label: 'name', ownerships: [], value: { type: 'string', value: 'Ada' } },
  ];
  for (const item of items) {
    const bytes = encoder.encode(item);
    const prefix = parseLengthPrefix(bytes, 0, bytes.length)!;
    assert.ok(view.parse(bytes, prefix.bytes, prefix.bytes + prefix.length), `the view takes ${item.id}`);
    assert.ok(sameClass(view, fresh), `parsing ${item.id} (${item.kind === 'attribute' ? item.value.type : item.kind}) changed the view's hidden class`);
  }
});

test('the options of every sorter share one hidden class, whatever shape its caller gave them in', () => {
  const dir = tempDir();
  const pool = new WordPool();
  // As the import makes them: literals in different orders, spreads, some fields left out.
  const sorters = [
    new ExternalSorter({ dir, name: 'a', keyWords: 4, radixBits: 32, memoryBytes: 1 << 20, pool, inPlace: true }),
    new ExternalSorter({ dir, name: 'b', keyWords: 3, payloadOrder: ATTRIBUTE_PAYLOAD_ORDER, memoryBytes: 1 << 20, pool }),
    new ExternalSorter({ dir, name: 'c', keyWords: 2, memoryBytes: 1 << 20, pool, ...{ radixBits: 32, restInOrder: true } }),
    new ExternalSorter({ memoryBytes: 1 << 20, keyWords: 2, name: 'd', dir }),
  ];
  const options = sorters.map((sorter) => Reflect.get(sorter, 'options') as object);
  for (const [i, o] of options.entries()) assert.ok(sameClass(o, options[0]!), `the options of sorter ${i} have a hidden class of their own`);
});
