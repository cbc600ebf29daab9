// The migrator service reads and writes files on the server's machine, so it serves loopback callers only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackPeer } from '../../src/server/migrator/service.js';

test('loopback peers in every grpc-js spelling are accepted', () => {
  for (const peer of ['127.0.0.1:5000', '127.8.9.10:1', '[::1]:5000', 'ipv4:127.0.0.1:5000', 'ipv6:[::1]:5000', '[::ffff:127.0.0.1]:80', 'unix:/tmp/s']) {
    assert.equal(isLoopbackPeer(peer), true, peer);
  }
});

test('other peers are refused', () => {
  for (const peer of ['10.0.0.2:5000', '192.168.1.4:1', '[2001:db8::1]:5000', 'ipv4:172.16.0.1:5000', '128.0.0.1:1', '']) {
    assert.equal(isLoopbackPeer(peer), false, peer);
  }
});
