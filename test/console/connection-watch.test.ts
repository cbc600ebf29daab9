// The console's watch over a silent connection (connection-watch.ts), with a fake driver: a console busy in its own
// code (parsing a large `source` file) must not take the probe's answer, still waiting in the socket, for silence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TypeDBDriver } from 'typedb-driver';
import { ConnectionWatch } from '../../src/console/connection-watch.js';

/** A driver whose database list answers when the test says, or at once. */
function fakeDriver(answerAtOnce: () => boolean) {
  const waiting: (() => void)[] = [];
  const driver = {
    databases: {
      all: () => (answerAtOnce() ? Promise.resolve([]) : new Promise<never[]>((resolve) => waiting.push(() => resolve([])))),
    },
  } as unknown as TypeDBDriver;
  return { driver, waiting };
}

const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

test('a probe answered while the console was blocked is not taken for a lost connection', async () => {
  let atOnce = false;
  const fake = fakeDriver(() => atOnce);
  const watch = new ConnectionWatch('127.0.0.1:1', { probeIntervalMs: 50, answerTimeoutMs: 200 });
  watch.start(fake.driver);
  try {
    while (fake.waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The answer arrives as I/O would, after the timers that are due once the block ends.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        setImmediate(() => {
          atOnce = true;
          fake.waiting.splice(0).forEach((answer) => answer());
          resolve();
        });
        const until = Date.now() + 600;
        while (Date.now() < until) {
          // The console parsing a large file.
        }
      }),
    );
    assert.equal(await settledWithin(watch.lost, 500), false, 'the watch declared the connection lost');
  } finally {
    watch.stop();
  }
});

test('a probe left unanswered for the answer time declares the connection lost', async () => {
  const fake = fakeDriver(() => false);
  const watch = new ConnectionWatch('127.0.0.1:1', { probeIntervalMs: 50, answerTimeoutMs: 200 });
  watch.start(fake.driver);
  try {
    assert.equal(await settledWithin(watch.lost, 2_000), true);
    assert.match(await watch.lost, /^The server at 127\.0\.0\.1:1 has not answered for 0 s: the connection is lost/);
  } finally {
    watch.stop();
  }
});
