// The console's link to the server when the server goes away: closing what it had open says nothing (the driver
// would print a gRPC stack and metadata dump for each session it fails to close).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenTransaction, closeDriver, connect } from '../../src/console/connection.js';
import { startServerProcess } from '../server/server-process.js';
import { exitWhenDone } from '../server/harness.js';

exitWhenDone();

test('closing a transaction and the connection after the server was killed prints nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-console-connection-'));
  const { server, address } = await startServerProcess(join(dir, 'data'));
  try {
    const driver = await connect(address);
    await driver.databases.create('gone');
    const open = await OpenTransaction.open(driver, { database: 'gone', session: 'data', transaction: 'read', options: {} }, address);
    server.kill('SIGKILL');
    await server.exited;
    const printed: unknown[][] = [];
    const saved = { warn: console.warn, info: console.info, error: console.error, log: console.log };
    console.warn = console.info = console.error = console.log = (...args: unknown[]) => void printed.push(args);
    try {
      await open.close().catch(() => undefined);
      await closeDriver(driver).catch(() => undefined);
    } finally {
      Object.assign(console, saved);
    }
    assert.deepEqual(printed, []);
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
