// A flood of connections that do not speak gRPC is logged a few lines per address every 10 s; the lines it did not
// write are counted in that address's next line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RefusedConnectionsLog } from '../../src/server/refused-connections-log.js';

function logWithClock(): { log: RefusedConnectionsLog; lines: string[]; advance(millis: number): void } {
  const lines: string[] = [];
  let now = 1_000_000;
  return { log: new RefusedConnectionsLog((l) => lines.push(l), () => now), lines, advance: (millis) => void (now += millis) };
}

test('a flood from one address gives three lines per 10 s, and the next line counts those not written', () => {
  const { log, lines, advance } = logWithClock();
  for (let i = 0; i < 1000; i++) log.refused('10.0.0.1', `refused ${i}`);
  assert.deepEqual(lines, ['refused 0', 'refused 1', 'refused 2']);
  advance(9_999);
  log.refused('10.0.0.1', 'still within the window');
  assert.equal(lines.length, 3);
  advance(1);
  log.refused('10.0.0.1', 'refused again');
  assert.deepEqual(lines.slice(3), ['refused again (998 more from 10.0.0.1 were closed without a line: at most 3 lines per address every 10 s.)']);
  log.refused('10.0.0.1', 'and again');
  assert.deepEqual(lines.slice(4), ['and again']);
});

test('each address has its own lines', () => {
  const { log, lines } = logWithClock();
  for (let i = 0; i < 10; i++) log.refused('10.0.0.1', `a${i}`);
  for (let i = 0; i < 10; i++) log.refused('::1', `b${i}`);
  assert.deepEqual(lines, ['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
});

test('thousands of addresses: ended windows are dropped, and their untold counts are told as they are', () => {
  const { log, lines, advance } = logWithClock();
  for (let i = 0; i < 5; i++) log.refused('10.0.0.1', `x${i}`);
  advance(10_000);
  for (let a = 0; a < 1024; a++) log.refused(`10.1.${a >> 8}.${a & 255}`, `from ${a}`);
  assert.ok(lines.includes('WARNING: Closed 2 more connections from 10.0.0.1 that do not speak gRPC (HTTP/2), without a line each.'), lines.slice(0, 8).join('\n'));
  // Told once: the address starts afresh.
  log.refused('10.0.0.1', 'back');
  assert.equal(lines.at(-1), 'back');
});
