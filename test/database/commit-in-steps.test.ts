// A transaction's commit in steps (as the server runs it): the store writes its changes off the event loop, and the
// transaction stays the database's until they are durable, whatever closes it meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Waiting, type WaitingSteps } from '../../src/common/steps.js';
import { openDatabaseManager } from '../../src/database/index.js';
import { createWithSchema } from '../support/databases.js';

/** Runs the steps as the server does; `whileWritten` runs the first time they wait. */
async function runCommit(steps: WaitingSteps<void>, whileWritten: () => void): Promise<void> {
  let first = true;
  for (let next = steps.next(); !next.done; next = steps.next()) {
    if (!(next.value instanceof Waiting)) continue;
    if (first) whileWritten();
    first = false;
    await next.value.until;
  }
}

function countItems(manager: ReturnType<typeof openDatabaseManager>): number {
  const session = manager.session('shop', 'data');
  try {
    const tx = session.transaction('read');
    const answer = tx.query('match $x isa item; get; count;');
    tx.close();
    return answer.kind === 'aggregate' ? Number(answer.value?.value) : -1;
  } finally {
    session.close();
  }
}

test('a session closed while its commit is written: the commit ends durable, and no schema session starts before it ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-commit-in-steps-'));
  let manager = openDatabaseManager(dir);
  try {
    createWithSchema(manager, 'shop', 'define n sub attribute, value long; item sub entity, owns n;');
    const session = manager.session('shop', 'data');
    const tx = session.transaction('write');
    tx.query(`insert ${Array.from({ length: 2_000 }, (_, i) => `$x${i} isa item, has n ${i};`).join(' ')}`);
    const during: string[] = [];
    await runCommit(tx.commitInSteps(), () => {
      session.close();
      during.push(`open: ${tx.isOpen()}`);
      // The transaction still holds its share of the schema lock: a schema change must not start under its write.
      try {
        manager.session('shop', 'schema').close();
        during.push('schema session opened');
      } catch (e) {
        during.push((e as Error).message.slice(0, 8));
      }
      during.push(`items seen: ${countItems(manager)}`);
    });
    assert.deepEqual(during, ['open: true', '[SSN03] ', 'items seen: 0']);
    assert.equal(tx.isOpen(), false, 'closed once its commit ended');
    assert.equal(countItems(manager), 2_000);
    manager.session('shop', 'schema').close();
    manager.close();
    manager = openDatabaseManager(dir);
    assert.equal(countItems(manager), 2_000);
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a synchronous commit while another is written fails with [STO16] and closes its transaction, applying nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-commit-in-steps-'));
  const manager = openDatabaseManager(dir);
  try {
    createWithSchema(manager, 'shop', 'define n sub attribute, value long; item sub entity, owns n;');
    const session = manager.session('shop', 'data');
    const big = session.transaction('write');
    big.query(`insert ${Array.from({ length: 2_000 }, (_, i) => `$x${i} isa item, has n ${i};`).join(' ')}`);
    const small = session.transaction('write');
    small.query('insert $x isa item, has n -1;');
    let refusal = '';
    await runCommit(big.commitInSteps(), () => {
      try {
        small.commit();
      } catch (e) {
        refusal = (e as Error).message;
      }
    });
    assert.match(refusal, /^\[STO16\] /);
    assert.equal(small.isOpen(), false);
    assert.equal(countItems(manager), 2_000);
    session.close();
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
