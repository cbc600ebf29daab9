// A server stopped while a large commit is under way (its changes being copied, or written by the store's writer
// thread): the commit either ends durable and its client is told so, or fails and nothing of it is applied. Never a
// part of it, never a client told of a failure whose changes are there, and no crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionType, TransactionType, TypeDB } from 'typedb-driver';
import { openDatabaseManager } from '../../src/database/index.js';
import { StrataServer } from '../../src/server/index.js';
import { exitWhenDone } from './harness.js';
import { createThroughDriver } from '../support/driver-databases.js';

exitWhenDone();

const QUERIES = 20;
const PER_QUERY = 1_000;

function storedItems(dir: string): number {
  const manager = openDatabaseManager(dir);
  try {
    const session = manager.session('bulk', 'data');
    const tx = session.transaction('read');
    const answer = tx.query('match $x isa item; get; count;');
    session.close();
    return answer.kind === 'aggregate' ? Number(answer.value?.value) : -1;
  } finally {
    manager.close();
  }
}

// The last case cuts calls 1 ms after shutdown begins, as a busy machine can make a commit's write outlast the grace:
// the commit's answer must still come first (the server waits for commits being written before cutting calls).
for (const [delayMillis, shutdownGraceMillis] of [[20, undefined], [150, undefined], [150, 1]] as const) {
  const grace = shutdownGraceMillis === undefined ? '' : ` with a ${shutdownGraceMillis} ms grace`;
  test(`a server stopped ${delayMillis} ms into a large commit${grace}: the commit is all there and answered so, or none of it and failed`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-commit-at-shutdown-'));
    try {
      const manager = openDatabaseManager(dir);
      const server = new StrataServer(manager, { address: '127.0.0.1:0', log: { info: () => {}, error: () => {} }, shutdownGraceMillis });
      await server.start();
      const driver = await TypeDB.coreDriver(server.address);
      try {
        await createThroughDriver(driver, 'bulk', 'define n sub attribute, value long; item sub entity, owns n;', []);
        const session = await driver.session('bulk', SessionType.DATA);
        const tx = await session.transaction(TransactionType.WRITE);
        for (let q = 0; q < QUERIES; q++) {
          const statements = Array.from({ length: PER_QUERY }, (_, i) => `$x${i} isa item, has n ${q * PER_QUERY + i};`);
          await tx.query.insert(`insert ${statements.join(' ')}`).collect();
        }
        const outcome = tx.commit().then(
          () => 'committed',
          (e: unknown) => String(e),
        );
        await new Promise((resolve) => setTimeout(resolve, delayMillis));
        await server.stop();
        manager.close();
        const told = await outcome;
        const stored = storedItems(dir);
        t.diagnostic(`told: ${told.slice(0, 60)}; ${stored} items stored`);
        if (told === 'committed') assert.equal(stored, QUERIES * PER_QUERY);
        else assert.equal(stored, 0, `the commit failed (${told}), yet ${stored} items were stored`);
      } finally {
        await driver.close();
        await server.stop();
        manager.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
