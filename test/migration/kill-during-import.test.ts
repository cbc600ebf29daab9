// `kill -9` of the server in the middle of an import: no database becomes visible, the staging directory is
// cleaned up at the next start, and running the same import again succeeds. A server shut down (SIGTERM) in the
// middle of an import stops it and removes its staging directory before it exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServerProcess } from '../server/server-process.js';
import { runConsole } from '../console/console-process.js';
import { generateSocialDataset, SOCIAL_SCHEMA } from '../../bench/social-dataset.js';

async function until(condition: () => boolean, timeoutMillis: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A temporary directory with a schema file, a generated social data file and the path of a data directory. */
async function importFixture(prefix: string, things: number, seed: number) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const schemaFile = join(dir, 'social.tql');
  const dataFile = join(dir, 'social.typedb');
  writeFileSync(schemaFile, SOCIAL_SCHEMA);
  const dataset = await generateSocialDataset(dataFile, things, seed);
  const runImport = (address: string) =>
    runCli(['server', 'import', '--database=social', `--schema=${schemaFile}`, `--data=${dataFile}`, `--port=${address.split(':')[1]}`]);
  return { dir, data: join(dir, 'data'), dataset, runImport };
}

/** Until the server has started building the staged database of an import. */
function stagingStarted(data: string): Promise<void> {
  return until(() => readdirSync(data).some((e) => e.startsWith('.importing-')), 60_000, 'the staging directory');
}

test('kill -9 during an import leaves no visible database, and a rerun succeeds', async () => {
  const { dir, data, dataset, runImport } = await importFixture('strata-kill-import-', 60_000, 7);
  const first = await startServerProcess(data);
  try {
    const importer = runImport(first.address);
    // Kill the server as soon as the import has started building its staged database.
    await stagingStarted(data);
    first.server.kill('SIGKILL');
    assert.equal(await first.server.exited, 128 + 9);
    assert.equal(await importer.exited, 1);
    assert.match(importer.stderr.join('\n'), /^The import was cut short: the server stopped or the connection broke \(localhost:\d+\) before it finished\. An import is all or nothing/);
    assert.ok(!readdirSync(data).includes('social'), 'no database directory was published');

    const second = await startServerProcess(data);
    try {
      assert.deepEqual(readdirSync(data).filter((e) => e.startsWith('.')), [], 'staging cleaned up at start');
      let run = await runConsole([`--server=${second.address}`, '--command=database list']);
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stdout, /^social$/m);
      const rerun = runImport(second.address);
      assert.equal(await rerun.exited, 0, rerun.stderr.join('\n'));
      run = await runConsole([`--server=${second.address}`, '--command=transaction social data read', '--command=match $x isa entity; get; count;']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^${dataset.entities}$`, 'm'));
    } finally {
      second.server.kill('SIGTERM');
      await second.server.exited;
    }
  } finally {
    first.server.kill('SIGKILL');
    await first.server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server shut down during an import stops it, removes its files and tells the caller', async () => {
  // Large enough that the import is still building when the signal arrives (it takes over a second).
  const { dir, data, runImport } = await importFixture('strata-stop-import-', 150_000, 5);
  const { server, address } = await startServerProcess(data);
  try {
    const importer = runImport(address);
    await stagingStarted(data);
    server.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.equal(await importer.exited, 1);
    assert.match(
      importer.stderr.join('\n'),
      /\[MIG58\] .*The import into the database 'social' was stopped before it finished: the server is shutting down\. Nothing was imported/,
    );
    assert.deepEqual(readdirSync(data), [], 'no database, and the staging directory removed before the server exited');
  } finally {
    server.kill('SIGKILL');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
