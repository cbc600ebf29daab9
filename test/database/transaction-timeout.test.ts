// The embedded API's transaction timeout (TypeDB's transactionTimeoutMillis): past it the transaction is closed,
// its changes are dropped, and every later call names the limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseManager } from '../../src/database/index.js';
import { createWithSchema, withTempManagerAsync } from '../support/databases.js';

function withDatabase(body: (manager: DatabaseManager) => Promise<void>): Promise<void> {
  return withTempManagerAsync('timeout', async (manager) => {
    createWithSchema(manager, 'db', 'define person sub entity;');
    await body(manager);
  });
}

const TIMED_OUT = "[SRV29] Invalid Server Operation: Transaction exceeded maximum configured duration of '0' seconds.";

test('a write transaction past its timeout is closed, its changes dropped, and every call says why', async () => {
  await withDatabase(async (manager) => {
    const session = manager.session('db', 'data');
    const tx = session.transaction('write', { transactionTimeoutMillis: 50 });
    tx.query('insert $p isa person;');
    assert.equal(tx.isOpen(), true);
    await sleep(120);
    assert.equal(tx.isOpen(), false);
    assert.throws(() => tx.query('match $p isa person; get;'), { message: TIMED_OUT });
    assert.throws(() => tx.commit(), { message: TIMED_OUT });
    const read = session.transaction('read');
    const result = read.query('match $p isa person; get; count;');
    assert.equal(result.kind === 'aggregate' ? result.value?.value : undefined, 0n);
    read.close();
    // The timed-out write no longer holds the schema lock: a schema session may open beside its session.
    manager.session('db', 'schema').close();
    session.close();
  });
});

test('a transaction that ends within its timeout is not touched by it', async () => {
  await withDatabase(async (manager) => {
    const session = manager.session('db', 'data');
    const tx = session.transaction('write', { transactionTimeoutMillis: 60 });
    tx.query('insert $p isa person;');
    tx.commit();
    const read = session.transaction('read', { transactionTimeoutMillis: 60 });
    read.close();
    await sleep(120);
    assert.throws(() => read.query('match $p isa person; get;'), { message: /\[TXN05\]/ });
    session.close();
  });
});

test('a query still running at the timeout is stopped with it: an aggregate, lazily streamed answers, and reasoning', async () => {
  await withDatabase(async (manager) => {
    const schema = manager.session('db', 'schema');
    const define = schema.transaction('write');
    define.query(`define friendship sub relation, relates friend; person plays friendship:friend;
      rule all-friends: when { $a isa person; $b isa person; } then { (friend: $a, friend: $b) isa friendship; };`);
    define.commit();
    schema.close();
    const session = manager.session('db', 'data');
    const write = session.transaction('write');
    for (let i = 0; i < 200; i++) write.query('insert $p isa person;');
    write.commit();
    // Each query below takes seconds (8 million answers; 20 000 inferred relations), where the limit allows 100 ms.
    const crossJoin = 'match $a isa person; $b isa person; $c isa person;';
    const stopsInTime = (work: () => void) => {
      const started = performance.now();
      assert.throws(work, { message: TIMED_OUT });
      const took = performance.now() - started;
      assert.ok(took < 2000, `stopped after ${Math.round(took)} ms`);
    };

    const aggregate = session.transaction('read', { transactionTimeoutMillis: 100 });
    stopsInTime(() => aggregate.query(`${crossJoin} get; count;`));
    assert.equal(aggregate.isOpen(), false);
    assert.throws(() => aggregate.query('match $p isa person; get;'), { message: TIMED_OUT });

    // The server's form: no timer, only running queries stopped.
    const streamed = session.transaction('read', { queryDeadlineMillis: 100 });
    const result = streamed.query(`${crossJoin} get;`);
    stopsInTime(() => {
      if (result.kind === 'get') for (const _ of result.answers) void _;
    });
    assert.equal(streamed.isOpen(), false);

    const inferring = session.transaction('read', { infer: true, queryDeadlineMillis: 100 });
    stopsInTime(() => inferring.query('match $f isa friendship; get; count;'));
    session.close();
  });
});
