// The console's link to the server when the server goes away: closing what it had open says nothing (the driver
// would print a gRPC stack and metadata dump for each session it fails to close), and a command under way fails
// with a clear error and exit 1 instead of hanging.
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenTransaction, closeDriver, connect } from '../../src/console/connection.js';
import { cliCommand, startServerProcess } from '../server/server-process.js';
import { exitWhenDone } from '../server/harness.js';
import { createThroughDriver } from '../support/driver-databases.js';

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

test('a server killed while the console prints a long answer stream: a clear error, exit 1, no hang', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-console-connection-'));
  const { server, address } = await startServerProcess(join(dir, 'data'));
  try {
    const driver = await connect(address);
    await createThroughDriver(driver, 'dies', 'define item sub entity;', new Array<string>(1000).fill('insert $x isa item;'));
    await closeDriver(driver);

    // A million answers: the server is killed while the console is still printing them.
    const { command, args } = cliCommand();
    const child = spawn(command, [...args, 'console', `--core=${address}`, '--command=transaction dies data read', '--command=match $x isa item; $y isa item; get;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.resume();
    server.kill('SIGKILL');
    await server.exited;
    const killedAt = Date.now();
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    assert.equal(code, 1, stderr);
    assert.ok(Date.now() - killedAt < 10_000, `the console took ${Date.now() - killedAt} ms to give up`);
    assert.match(stderr, new RegExp(`^\\[CXN22\\] Connection failed\\. Please check the server is running and the address '${address.replace(/\./g, '\\.')}' is accessible\\.\\n$`));
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
