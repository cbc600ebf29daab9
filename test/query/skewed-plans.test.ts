// Plans over skewed data that bench:plans found far from the best order, counted in ranges and things read: a scan of
// a few things beside a step that follows edges (a cross product, after which the edges are read once per pair), a
// relation type whose role several types play in proportions unlike their counts, a value most owners share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWithSchema, withTempManager, writeData } from '../support/databases.js';
import { countedQuery } from './counted-reads.js';
import { InstanceStatistics } from '../../src/concept/statistics.js';
import { ThingReader } from '../../src/concept/things.js';
import { attributeIID } from '../../src/encoding/index.js';
import type { Database } from '../../src/database/database.js';

const SCHEMA = `define
name sub attribute, value string;
status sub attribute, value string;
person sub entity, owns name, owns status, plays tagging:subject;
company sub entity, owns status, plays tagging:subject;
topic sub entity, plays tagging:label;
tagging sub relation, relates subject, relates label;`;

const [PERSONS, COMPANIES, TOPICS] = [60, 4, 6];
/** Taggings of each company, and of persons in all. */
const [PER_COMPANY, OF_PERSONS] = [75, 3];
/** Persons sharing the name "common" (the first ones): a hub value, looked up as cheaply as a key's. */
const COMMON = 50;


/** Most persons named alike, companies tagged often, persons rarely (the first OF_PERSONS), each tagging with a topic in turn; four statuses. */
function data(): string {
  const s: string[] = [];
  const statuses = ['active', 'inactive', 'banned', 'pending'];
  for (let i = 0; i < PERSONS; i++) s.push(`$p${i} isa person, has name "${i < COMMON ? 'common' : `n${i}`}", has status "${statuses[i % 4]}";`);
  for (let i = 0; i < COMPANIES; i++) s.push(`$c${i} isa company, has status "${statuses[i % 4]}";`);
  for (let i = 0; i < TOPICS; i++) s.push(`$t${i} isa topic;`);
  let n = 0;
  for (let i = 0; i < COMPANIES; i++) for (let j = 0; j < PER_COMPANY; j++) s.push(`(subject: $c${i}, label: $t${n++ % TOPICS}) isa tagging;`);
  for (let i = 0; i < OF_PERSONS; i++) s.push(`(subject: $p${i}, label: $t${n++ % TOPICS}) isa tagging;`);
  return `insert ${s.join(' ')}`;
}

function withData(name: string, body: (database: Database) => void): void {
  withTempManager(name, (manager) => {
    createWithSchema(manager, 'db', SCHEMA);
    writeData(manager, 'db', [data()]);
    body(manager.get('db')!);
  });
}

test("a bound company's taggings are followed, not read again for each topic scanned beside them", () => {
  withData('skewed-cross', (database) => {
    const result = countedQuery(database, 'match $c isa company; $g (subject: $c, label: $t) isa tagging; $t isa topic; get;');
    assert.equal(result.answers, COMPANIES * PER_COMPANY);
    // The companies, one range of edges each, one of players per tagging: 305. Scanning the topics first read each
    // company's edges once per topic: 1 + 1 + 24 + 24 × 75 / 6 × … = 1 826 ranges.
    assert.ok(result.ranges <= 1 + COMPANIES + COMPANIES * PER_COMPANY + 5, `${result.ranges} ranges read`);
  });
});

test('relations per player are counted per role: the few taggings of persons, not all taggings over the persons', () => {
  withData('skewed-roles', (database) => {
    const snapshot = database.store.snapshot();
    try {
      const things = new ThingReader(snapshot, database.schema);
      const statistics = new InstanceStatistics();
      const [person, company, subject] = ['person', 'company', 'tagging:subject'].map((l) => database.schema.get(l)!);
      assert.equal(statistics.edgesPerPlayerInRole(person!, subject!, things), OF_PERSONS / PERSONS);
      assert.equal(statistics.edgesPerPlayerInRole(company!, subject!, things), PER_COMPANY);
    } finally {
      snapshot.close();
    }
    // From the persons, their few taggings (one edge range each); from the topics, every tagging's players.
    const result = countedQuery(database, 'match $p isa person; $g (subject: $p, label: $t) isa tagging; $t isa topic; get;');
    assert.equal(result.answers, OF_PERSONS);
    assert.ok(result.ranges <= 1 + PERSONS + 2 * OF_PERSONS, `${result.ranges} ranges read`);
  });
});

test('of two values looked up, the one fewer persons share is looked up first', () => {
  withData('skewed-value', (database) => {
    const result = countedQuery(database, 'match $p isa person, has name "common", has status "banned"; get;');
    const banned = PERSONS / 4;
    // Banned: every fourth person from the third; named "common": the first 50.
    assert.equal(result.answers, Math.ceil((COMMON - 2) / 4));
    // The banned (15 persons and a company), each checked for the name. Looked up first (the statement's first),
    // the name read its 50 owners, each checked for the status.
    assert.ok(result.reads <= 2 * banned + 5, `${result.reads} things and edges read`);
  });
});

test("a value's owners are counted up to a limit: a value many share is known to be many, not counted in full", () => {
  withData('skewed-owners-limit', (database) => {
    const snapshot = database.store.snapshot();
    try {
      const things = new ThingReader(snapshot, database.schema);
      const common = attributeIID(database.schema.get('name')!.id, { type: 'string', value: 'common' });
      assert.equal(things.countOwners(common, Infinity), COMMON);
      assert.equal(things.countOwners(common, 7), 7);
    } finally {
      snapshot.close();
    }
  });
});
