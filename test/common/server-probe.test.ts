import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { somethingListens, withinAnswerTime } from '../../src/common/server-probe.js';

test('a TCP probe tells a listening port from a closed one', async () => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    assert.equal(await somethingListens('127.0.0.1', port), true);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(await somethingListens('127.0.0.1', port), false);
});

test('work that does not settle in time fails with the given error; work that does is passed on', async () => {
  const never = new Promise<number>(() => {});
  await assert.rejects(withinAnswerTime(never, () => new Error('silent'), 30), { message: 'silent' });
  assert.equal(await withinAnswerTime(Promise.resolve(7), () => new Error('silent'), 30), 7);
  await assert.rejects(withinAnswerTime(Promise.reject(new Error('own')), () => new Error('silent'), 30), { message: 'own' });
});
