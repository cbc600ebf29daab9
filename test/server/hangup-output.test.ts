// SIGHUP comes when the server's terminal has gone (a dropped ssh session): its output cannot be written any more,
// and the clean stop SIGHUP starts must not die of that (Node throws an unhandled 'error' event for EPIPE/EIO).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli } from './server-process.js';

test('SIGHUP after the output has gone: the server still stops cleanly, exit 0, its lock released', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-hangup-output-'));
  const server = runCli(['server', `--server.address=127.0.0.1:${await freePort()}`, `--storage.data=${dir}`]);
  try {
    await server.waitForLine(/is now running/, 60_000);
    // The terminal closes: nothing reads the server's output from now on.
    server.child.stdout!.destroy();
    server.child.stderr!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.kill('SIGHUP');
    assert.equal(await server.exited, 0);
    assert.equal(existsSync(join(dir, 'strata.lock')), false);
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
