// Shared fixtures for the engine-side migration tests: temporary data directories, a varied dataset built
// through TypeQL, and the counting queries that compare two databases.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { StrataError } from '../../src/common/errors.js';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import { importDatabase } from '../../src/migration/index.js';
import { ItemEncoder, ItemWriter, type DataItem, type Item } from '../../src/migration/codec/index.js';
import { createWithSchema, writeData } from '../support/databases.js';

export function tempDir(prefix = 'strata-migration-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Entries of a data directory other than databases' own (staging and other hidden leftovers). */
export function hiddenEntries(dataDir: string): string[] {
  return readdirSync(dataDir).filter((e) => e.startsWith('.'));
}

/**
 * Every value type, an abstract type, deep subtyping (agent > person > employee > manager), relations playing
 * roles in relations (endorsement of friendships, memberships and endorsements), @key and @unique, an attribute
 * owning an attribute (note owns source), attribute subtyping, attributes playing roles.
 */
export const VARIED_SCHEMA = `define
label sub attribute, abstract, value string;
name sub label;
nickname sub label;
email sub attribute, value string;
code sub attribute, value long;
age sub attribute, value long;
score sub attribute, value double;
active sub attribute, value boolean;
born sub attribute, value datetime;
source sub attribute, value string;
note sub attribute, value string, owns source, plays citation:cited;
agent sub entity, abstract, owns name, owns nickname, owns email @key, plays friendship:friend, plays membership:member, plays endorsement:endorser;
person sub agent, owns age, owns born, owns active, owns note, owns code @unique;
employee sub person, owns score;
manager sub employee;
org sub agent, plays membership:group;
friendship sub relation, relates friend, owns born, plays endorsement:subject;
membership sub relation, relates member, relates group, plays endorsement:subject;
endorsement sub relation, relates endorser, relates subject, plays endorsement:subject, plays citation:citing;
citation sub relation, relates citing, relates cited;
`;

export const VARIED_DATA = [
  `insert $a isa person, has name "Ann", has nickname "Annie", has email "ann@example.com", has age 41, has born 1983-04-05T06:07:08.009,
     has active true, has code 1, has note "likes \\"quotes\\" and unicode: élan ☃";
   $b isa employee, has name "Bob", has email "bob@example.com", has age -3, has score 2.5, has active false, has code 2,
     has born 1969-12-31T23:59:59.999;
   $c isa manager, has name "Cy", has email "cy@example.com", has score -0.0, has code 3, has born 1970-01-01T00:00:00.000;
   $d isa person, has name "Ann", has email "ann2@example.com", has age 9223372036854775807, has code -9223372036854775808;
   $o isa org, has name "Org", has email "org@example.com";
   $f1 (friend: $a, friend: $b) isa friendship, has born 2020-02-29T12:00:00.000;
   $f2 (friend: $c, friend: $c) isa friendship;
   $m1 (member: $a, member: $a, member: $b, group: $o) isa membership;
   $m2 (member: $d, group: $o) isa membership;
   $e1 (endorser: $a, subject: $f1) isa endorsement;
   $e2 (endorser: $b, subject: $m1, subject: $e1) isa endorsement;`,
  `insert $n "a note with a source" isa note, has source "wiki", has source "book";
   $n2 "another note" isa note, has source "wiki";
   $s 3.14159 isa score; $t "" isa source; $u 0 isa age;`,
  // A cycle: e1 endorses e2 (which already endorses e1).
  `match $e1 isa endorsement, has $x; $e1 (endorser: $a); $a has name "Ann"; $e2 (subject: $e1) isa endorsement; get $e1, $e2;`,
];

/** Inserts the cycle and the attribute role players, which need matched things. */
export const VARIED_LINKS = [
  `match $e1 (endorser: $a) isa endorsement; $a isa person, has email "ann@example.com"; $e2 (subject: $e1) isa endorsement;
   insert $e1 (subject: $e2);`,
  `match $e (endorser: $b) isa endorsement; $b has email "bob@example.com"; $n "a note with a source" isa note;
   insert (citing: $e, cited: $n) isa citation;`,
  `match $a isa person, has email "ann@example.com"; $n "another note" isa note; insert $a has $n;`,
];

export function loadVaried(manager: DatabaseManager, name: string): void {
  createWithSchema(manager, name, VARIED_SCHEMA);
  writeData(manager, name, [VARIED_DATA[0]!, VARIED_DATA[1]!]);
  // One transaction each: the links match what the ones before inserted.
  for (const link of VARIED_LINKS) writeData(manager, name, [link]);
}

/** Counting queries that describe a database's content; equal answers for two databases mean the same data. */
export const COUNT_QUERIES = [
  'match $x isa thing; get; count;',
  'match $x isa entity; get; count;',
  'match $x isa relation; get; count;',
  'match $x isa attribute; get; count;',
  'match $x isa! person; get; count;',
  'match $x isa! employee; get; count;',
  'match $x isa! manager; get; count;',
  'match $x isa agent; get; count;',
  'match $x isa label; get; count;',
  'match $x isa note; get; count;',
  'match $x has $a; get; count;',
  'match $x has email $e; get; count;',
  'match $x has label $l; get; count;',
  'match $n isa note, has source $s; get; count;',
  'match $r (friend: $x) isa friendship; get; count;',
  'match $r (member: $x, group: $g) isa membership; get; count;',
  'match $r (endorser: $x, subject: $s) isa endorsement; get; count;',
  'match $r (subject: $s) isa endorsement; $s isa endorsement; get; count;',
  'match $r (citing: $e, cited: $n) isa citation; get; count;',
  'match $r ($x) isa relation; get; count;',
  'match $x isa person, has age $a; $a > 0; get; count;',
  'match $x has born $b; $b < 1971-01-01T00:00:00; get; count;',
];

export function countAnswers(manager: DatabaseManager, name: string, queries = COUNT_QUERIES): Record<string, string> {
  const session = manager.session(name, 'data');
  const tx = session.transaction('read');
  const out: Record<string, string> = {};
  try {
    for (const q of queries) {
      const result = tx.query(q);
      out[q] = result.kind === 'aggregate' ? String(result.value?.value) : `unexpected ${result.kind}`;
    }
  } finally {
    tx.close();
    session.close();
  }
  return out;
}

/** Writes a .typedb file with the codec's writer (header first, checksums of what was written last). */
export async function writeItems(path: string, items: readonly DataItem[], original = 'test'): Promise<void> {
  const writer = await ItemWriter.open(path, { typedbVersion: '2.29.1', originalDatabase: original });
  for (const item of items) await writer.write(item);
  await writer.finish();
}

/** Raw bytes of a file made of these items, with the given checksums item (to write wrong checksums). */
export function encodeFile(items: readonly Item[]): Buffer {
  const encoder = new ItemEncoder();
  return Buffer.concat(items.map((item) => encoder.encode(item)));
}

export const SOCIAL_SCHEMA = `define
name sub attribute, value string;
age sub attribute, value long;
person sub entity, owns name @key, owns age, plays friendship:friend;
friendship sub relation, relates friend;
`;

/** The message of the StrataError an import of these items into a new database with SOCIAL_SCHEMA fails with. */
export async function importRefusal(items: readonly DataItem[]): Promise<string> {
  const dir = tempDir();
  const file = join(dir, 'data.typedb');
  await writeItems(file, items);
  const manager = openDatabaseManager(join(dir, 'data'));
  try {
    await importDatabase(manager, 'social', { dataFile: file, schemaText: SOCIAL_SCHEMA });
  } catch (e) {
    assert.ok(e instanceof StrataError, String(e));
    return e.message;
  } finally {
    manager.close();
  }
  assert.fail('the import succeeded');
}
