// Connections that are not clients: bytes that are not HTTP/2 (logged and closed, the server carries on), and storms
// of connections opened and dropped at once (none left behind, no descriptor leaked, clients served after).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { readdirSync } from 'node:fs';
import { TypeDB, type TypeDBDriver } from 'typedb-driver';
import { StrataServer } from '../../src/server/index.js';
import { FakeEngine } from './fake-engine.js';
import { eventually, exitWhenDone } from './harness.js';

exitWhenDone();

const logged: string[] = [];
const server = new StrataServer(new FakeEngine(), { address: '127.0.0.1:0', log: { info: (m) => logged.push(m), error: (m) => logged.push(`ERROR: ${m}`) } });
const drivers: TypeDBDriver[] = [];
const [host, port] = ['127.0.0.1', () => Number(server.address.split(':')[1])];

before(() => server.start());
after(async () => {
  for (const d of drivers) await d.close();
  await server.stop();
});

/** Connects, sends `bytes` (if any), then waits for the server to close the connection or ends it after `millis`. */
function exchange(bytes: string | Buffer | undefined, millis = 5_000): Promise<'closed by the server' | 'still open'> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port(), host, () => {
      if (bytes !== undefined) socket.write(bytes);
    });
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('still open');
    }, millis);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed by the server');
    });
    socket.resume();
  });
}

async function driverWorks(): Promise<void> {
  const driver = await TypeDB.coreDriver(server.address);
  drivers.push(driver);
  await driver.databases.create(`db${drivers.length}`);
  assert.ok(await driver.databases.contains(`db${drivers.length}`));
}

test('a connection that sends something other than HTTP/2 is logged, closed, and the server carries on', async () => {
  assert.equal(await exchange('GET / HTTP/1.1\r\nHost: strata\r\n\r\n'), 'closed by the server');
  assert.equal(await exchange(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])), 'closed by the server');
  assert.deepEqual(logged.filter((l) => l.includes('does not speak gRPC')).map((l) => l.replace(/127\.0\.0\.1:\d+/, '<peer>')), [
    'WARNING: Closed a connection from <peer> that does not speak gRPC (HTTP/2): it began with "GET / HTTP/1.1\\x0d\\x0aHost: st…".',
    'WARNING: Closed a connection from <peer> that does not speak gRPC (HTTP/2): it began with "\\x16\\x03\\x01\\x02\\x00\\x01".',
  ]);
  // Garbage after a valid preface is HTTP/2's to refuse: the connection is closed as well.
  assert.equal(await exchange(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.alloc(64, 0xff)])), 'closed by the server');
  await driverWorks();
  assert.ok(!logged.some((l) => l.startsWith('ERROR')), logged.join('\n'));
});

test('a flood of connections that do not speak HTTP/2 from one address writes a few lines, not one each', async () => {
  const refusals = () => logged.filter((l) => l.includes('does not speak gRPC')).length;
  const before = refusals();
  for (let i = 0; i < 30; i++) assert.equal(await exchange(`GET /${i} HTTP/1.1\r\n\r\n`), 'closed by the server');
  // At most 3 lines per address every 10 s: even if a window ended during the flood, far fewer than 30.
  assert.ok(refusals() - before <= 6, `${refusals() - before} lines for 30 refused connections`);
  await driverWorks();
});

test('500 connections opened and dropped at once leave nothing behind', async () => {
  const descriptors = () => readdirSync('/proc/self/fd').length;
  await eventually(() => server.connections <= 1, 5_000, 'earlier connections to close');
  const before = descriptors();
  const open = server.connections;
  await Promise.all(
    Array.from({ length: 500 }, (_, i) =>
      new Promise<void>((resolve) => {
        const socket = connect(port(), host, () => {
          // A third close at once, a third after the HTTP/2 preface, a third after garbage.
          if (i % 3 === 1) socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
          if (i % 3 === 2) socket.write('garbage!');
          setImmediate(() => socket.destroy());
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve());
      }),
    ),
  );
  await eventually(() => server.connections === open, 5_000, `connections back to ${open} (now ${server.connections})`);
  await eventually(() => descriptors() <= before + 2, 5_000, `descriptors back to ${before} (now ${descriptors()})`);
  await driverWorks();
});

