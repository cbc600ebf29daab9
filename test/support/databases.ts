// Setting up databases in tests: a manager in a temporary directory, a new database with its schema, data written
// in one transaction; and, for tests that name things by a `uid` attribute, answers written as comparable text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Concept, ConceptMap } from '../../src/concept/concepts.js';
import type { DatabaseManagerApi, Transaction } from '../../src/database/api.js';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';

/** Runs `body` with a manager over a new temporary data directory, then closes it and removes the directory. */
export function withTempManager<T>(name: string, body: (manager: DatabaseManager) => T): T {
  const dir = mkdtempSync(join(tmpdir(), `strata-${name}-`));
  const manager = openDatabaseManager(dir);
  try {
    return body(manager);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** withTempManager for a body that awaits: the manager is closed and the directory removed once it has settled. */
export async function withTempManagerAsync<T>(name: string, body: (manager: DatabaseManager) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `strata-${name}-`));
  const manager = openDatabaseManager(dir);
  try {
    return await body(manager);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates the database and defines the schema in one committed schema transaction. */
export function createWithSchema(manager: DatabaseManagerApi, database: string, schema: string): void {
  manager.create(database);
  const session = manager.session(database, 'schema');
  try {
    const tx = session.transaction('write');
    tx.query(schema);
    tx.commit();
  } finally {
    session.close();
  }
}

/** Runs the queries in one committed data write transaction. */
export function writeData(manager: DatabaseManagerApi, database: string, queries: readonly string[]): void {
  const session = manager.session(database, 'data');
  try {
    const tx = session.transaction('write');
    for (const query of queries) tx.query(query);
    tx.commit();
  } finally {
    session.close();
  }
}

/** Runs `body` in a transaction of the database, closed (not committed) afterwards unless `body` ended it. */
export function inTransaction(
  manager: DatabaseManagerApi,
  database: string,
  sessionType: 'schema' | 'data',
  transactionType: 'read' | 'write',
  body: (tx: Transaction) => void,
): void {
  const session = manager.session(database, sessionType);
  try {
    const tx = session.transaction(transactionType);
    try {
      body(tx);
    } finally {
      if (tx.isOpen()) tx.close();
    }
  } finally {
    session.close();
  }
}

/** Runs `body` in a data write transaction of the database, closed (not committed) afterwards unless `body` ended it. */
export function inDataWrite(manager: DatabaseManagerApi, database: string, body: (tx: Transaction) => void): void {
  inTransaction(manager, database, 'data', 'write', body);
}

/**
 * Names concepts as a model of the data can: a thing by its `uid` attribute (`#3`), an attribute by its type and
 * value (`age=3`). The uids are read once, in the given transaction.
 */
export function uidNames(tx: Transaction): (concept: Concept) => string {
  const uids = new Map<string, string>();
  const result = tx.query('match $t has uid $u; get;');
  if (result.kind !== 'get') throw new Error('expected answers');
  for (const answer of result.answers) {
    const [t, u] = [answer.get('t')!, answer.get('u')!];
    if (t.kind !== 'type' && t.kind !== 'value' && u.kind === 'attribute') uids.set(t.iid, `#${u.value.value}`);
  }
  return (c) => (c.kind === 'attribute' ? `${c.type.label.name}=${String(c.value.value)}` : c.kind === 'type' || c.kind === 'value' ? '?' : uids.get(c.iid)!);
}

/** Answers as sorted lines `a:#1 v:age=3` (variables in order), for comparing with a model's. */
export function answerLines(answers: Iterable<ConceptMap>, name: (concept: Concept) => string): string[] {
  return [...answers].map((answer) => [...answer].sort(([a], [b]) => (a < b ? -1 : 1)).map(([v, c]) => `${v}:${name(c)}`).join(' ')).sort();
}

/** A new database `name` whose schema is `person sub entity`, holding `people` persons. */
export function makePeopleDatabase(manager: DatabaseManagerApi, name: string, people: number): void {
  createWithSchema(manager, name, 'define person sub entity;');
  writeData(manager, name, Array.from({ length: people }, () => 'insert $p isa person;'));
}

/** How many persons the database holds. */
export function countPeople(manager: DatabaseManagerApi, name: string): bigint {
  const session = manager.session(name, 'data');
  const tx = session.transaction('read');
  try {
    const result = tx.query('match $p isa person; get; count;');
    return result.kind === 'aggregate' ? (result.value?.value as bigint) : -1n;
  } finally {
    tx.close();
    session.close();
  }
}
