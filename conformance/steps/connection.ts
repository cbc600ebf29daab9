// Server, connection, database, session and transaction steps (reference/behaviour-steps.md §4.1–4.4).
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import type { HarnessSession, HarnessTransaction, TransactionType } from '../engine/index.js';
import type { StrataWorld } from '../world.js';
import { assertThrows } from '../checks/errors.js';
import { ensure, ensureSame } from '../checks/ensure.js';

// ---- server and connection: the engine (in process, or the worker's server) is up already; configuring is a no-op ----

Given('typedb starts', function () {});
Given('typedb stops', function () {});
Given('typedb has configuration', function (_table: DataTable) {});

Given('connection opens with default authentication', async function (this: StrataWorld) {
  await this.connect();
});

Given('connection has been opened', function (this: StrataWorld) {
  ensure(this.isConnected, 'the connection is not open');
});

Given('connection closes', async function (this: StrataWorld) {
  await this.disconnect();
});

// ---- databases ----

function names(table: DataTable): string[] {
  return table.raw().map((row) => row[0] ?? '');
}

When('connection create database: {word}', async function (this: StrataWorld, name: string) {
  await this.manager.create(name);
});

When('connection create database(s):', async function (this: StrataWorld, table: DataTable) {
  for (const name of names(table)) await this.manager.create(name);
});

When('connection create databases in parallel:', async function (this: StrataWorld, table: DataTable) {
  await Promise.all(names(table).map((name) => this.manager.create(name)));
});

When('connection delete database: {word}', async function (this: StrataWorld, name: string) {
  await this.manager.delete(name);
});

When('connection delete database(s):', async function (this: StrataWorld, table: DataTable) {
  for (const name of names(table)) await this.manager.delete(name);
});

When('connection delete databases in parallel:', async function (this: StrataWorld, table: DataTable) {
  await Promise.all(names(table).map((name) => this.manager.delete(name)));
});

Then('connection delete database; throws exception: {word}', async function (this: StrataWorld, name: string) {
  await assertThrows(() => this.manager.delete(name));
});

Then('connection has database: {word}', async function (this: StrataWorld, name: string) {
  const contains = await this.manager.contains(name);
  ensure(contains, `database ${name} does not exist; databases: [${(await this.manager.all()).join(', ')}]`);
});

Then('connection has database(s):', async function (this: StrataWorld, table: DataTable) {
  const all = new Set(await this.manager.all());
  for (const name of names(table)) ensure(all.has(name), `database ${name} is not among [${[...all].join(', ')}]`);
});

Then('connection does not have database: {word}', async function (this: StrataWorld, name: string) {
  ensure(!(await this.manager.contains(name)), `database ${name} exists`);
});

Then('connection does not have database(s):', async function (this: StrataWorld, table: DataTable) {
  const all = new Set(await this.manager.all());
  for (const name of names(table)) ensure(!all.has(name), `database ${name} exists`);
});

Then('connection does not have any database', async function (this: StrataWorld) {
  ensureSame(await this.manager.all(), [], 'databases');
});

// ---- sessions ----

When('connection open(s) schema session for database: {word}', async function (this: StrataWorld, name: string) {
  await this.openSession(name, 'schema');
});

When('connection open(s) (data )session for database: {word}', async function (this: StrataWorld, name: string) {
  await this.openSession(name, 'data');
});

When('connection open(s) schema session(s) for database(s):', async function (this: StrataWorld, table: DataTable) {
  for (const name of names(table)) await this.openSession(name, 'schema');
});

When('connection open(s) (data )session(s) for database(s):', async function (this: StrataWorld, table: DataTable) {
  for (const name of names(table)) await this.openSession(name, 'data');
});

When('connection open(s) (data )sessions in parallel for databases:', async function (this: StrataWorld, table: DataTable) {
  const opened = await Promise.all(names(table).map((name) => this.manager.session(name, 'data', this.sessionOptions)));
  this.sessions.push(...opened);
});

When('connection close all sessions', async function (this: StrataWorld) {
  await this.closeAllSessions();
});

Then('session(s)( in parallel) is/are null: {bool}', function (this: StrataWorld, isNull: boolean) {
  if (isNull) ensure(this.sessions.length === 0, 'expected no sessions');
  else ensure(this.sessions.length > 0, 'expected at least one session');
});

Then('session(s)( in parallel) is/are open: {bool}', async function (this: StrataWorld, isOpen: boolean) {
  ensure(this.sessions.length > 0, 'no sessions were opened');
  for (const session of this.sessions) ensure((await session.isOpen()) === isOpen, `expected session open: ${isOpen}`);
});

Then('session has database: {word}', function (this: StrataWorld, name: string) {
  ensure(this.sessions.length > 0, 'no sessions were opened');
  for (const session of this.sessions) ensure(session.databaseName === name, `session is on ${session.databaseName}, not ${name}`);
});

Then('sessions( in parallel) have/has databases:', function (this: StrataWorld, table: DataTable) {
  ensureSame(
    this.sessions.map((s) => s.databaseName),
    names(table),
    'session databases',
  );
});

Given('set session option {word} to: {word}', function (this: StrataWorld, option: string, value: string) {
  if (option !== 'session-idle-timeout-millis') throw new Error(`unrecognised session option: ${option}`);
  this.sessionOptions = { ...this.sessionOptions, sessionIdleTimeoutMillis: Number(value) };
});

// ---- transactions ----

function transactionTypes(table: DataTable): TransactionType[] {
  return table.raw().map(([type]) => {
    if (type === 'read' || type === 'write') return type;
    throw new Error(`unrecognised transaction type in the feature: ${type}`);
  });
}

async function openForEachSession(world: StrataWorld, types: TransactionType[]): Promise<void> {
  for (const session of world.sessions) {
    const transactions: HarnessTransaction[] = [];
    for (const type of types) transactions.push(await world.openTransaction(session, type));
    world.sessionsToTransactions.set(session, transactions);
  }
}

async function forEachTransaction(world: StrataWorld, action: (tx: HarnessTransaction, session: HarnessSession) => Promise<void>): Promise<void> {
  ensure(world.sessions.length > 0, 'no sessions were opened');
  for (const session of world.sessions) for (const tx of world.transactionsOf(session)) await action(tx, session);
}

When('(for each )session(,) open(s) transaction(s) of type: {transaction_type}', async function (this: StrataWorld, type: TransactionType) {
  await openForEachSession(this, [type]);
});

When('(for each )session(,) open(s) transaction(s) of type:', async function (this: StrataWorld, table: DataTable) {
  await openForEachSession(this, transactionTypes(table));
});

When('(for each )session(,) open transaction(s) in parallel of type:', async function (this: StrataWorld, table: DataTable) {
  const openings: Promise<[HarnessSession, HarnessTransaction]>[] = [];
  for (const type of transactionTypes(table)) {
    for (const session of this.sessions) openings.push(this.openTransaction(session, type).then((tx) => [session, tx]));
  }
  for (const [session, tx] of await Promise.all(openings)) {
    const list = this.sessionsToTransactions.get(session) ?? [];
    list.push(tx);
    this.sessionsToTransactions.set(session, list);
  }
});

Then('(for each )session(,) open transaction(s) of type; throws exception: {transaction_type}', async function (this: StrataWorld, type: TransactionType) {
  ensure(this.sessions.length > 0, 'no sessions were opened');
  for (const session of this.sessions) await assertThrows(() => this.openTransaction(session, type));
});

Then('(for each )session(,) transaction(s)( in parallel) is/are null: {bool}', function (this: StrataWorld, isNull: boolean) {
  ensure(this.sessions.length > 0, 'no sessions were opened');
  for (const session of this.sessions) ensure(!this.sessionsToTransactions.has(session) === isNull, `expected transactions null: ${isNull}`);
});

Then('(for each )session(,) transaction(s)( in parallel) is/are open: {bool}', async function (this: StrataWorld, isOpen: boolean) {
  await forEachTransaction(this, async (tx) => ensure((await tx.isOpen()) === isOpen, `expected transaction open: ${isOpen}`));
});

Then('(for each )session(,) transaction(s)( in parallel) has/have type: {transaction_type}', async function (this: StrataWorld, type: TransactionType) {
  await forEachTransaction(this, async (tx) => ensure(tx.type === type, `transaction is ${tx.type}, not ${type}`));
});

Then('(for each )session(,) transaction(s)( in parallel) has/have type(s):', function (this: StrataWorld, table: DataTable) {
  const expected = transactionTypes(table);
  ensure(this.sessions.length > 0, 'no sessions were opened');
  for (const session of this.sessions) {
    ensureSame(
      this.transactionsOf(session).map((tx) => tx.type),
      expected,
      'transaction types',
    );
  }
});

Then('transaction commits', async function (this: StrataWorld) {
  await this.tx().commit();
});

Then('transaction commits; throws exception', async function (this: StrataWorld) {
  await assertThrows(() => this.tx().commit());
});

Then('transaction commits; throws exception containing {string}', async function (this: StrataWorld, fragment: string) {
  await assertThrows(() => this.tx().commit(), fragment);
});

Then('(for each )session(,) transaction(s) commit(s)', async function (this: StrataWorld) {
  await forEachTransaction(this, (tx) => tx.commit());
});

Then('(for each )session(,) transaction(s) commit(s); throws exception', async function (this: StrataWorld) {
  await forEachTransaction(this, (tx) => assertThrows(() => tx.commit()));
});

Then('(for each )session(,) transaction(s) close(s)', async function (this: StrataWorld) {
  await forEachTransaction(this, (tx) => tx.close());
});

Given('set transaction option {word} to: {word}', function (this: StrataWorld, option: string, value: string) {
  if (option !== 'transaction-timeout-millis') throw new Error(`unrecognised transaction option: ${option}`);
  this.transactionOptions = { ...this.transactionOptions, transactionTimeoutMillis: Number(value) };
});
