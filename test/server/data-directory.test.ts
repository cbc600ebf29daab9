// End to end, with real `strata server` processes: a database whose store was cut short or emptied is refused
// alone with a warning (the server neither crashes nor serves it empty), and a second server on the same data
// directory is refused while the first one runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { SessionType, TransactionType } from 'typedb-driver';
import { openDatabaseManager } from '../../src/database/index.js';
import { exitWhenDone } from './harness.js';
import { freePort, runCli, startServerProcess, useProcessScratch } from './server-process.js';

exitWhenDone();

const { dataDir, processes, connect } = useProcessScratch('data-directory-test');

function makeDatabases(): void {
  const manager = openDatabaseManager(dataDir);
  try {
    for (const name of ['good', 'cut', 'emptied']) {
      manager.create(name);
      const schema = manager.session(name, 'schema');
      const tx = schema.transaction('write');
      tx.query('define name sub attribute, value string; person sub entity, owns name;');
      tx.commit();
      schema.close();
      const data = manager.session(name, 'data');
      const w = data.transaction('write');
      w.query(`insert $p isa person, has name "${name}";`);
      w.commit();
      data.close();
    }
  } finally {
    manager.close();
  }
}

test('damaged and emptied stores are refused alone at start-up; a second server on the same data directory is refused', async () => {
  makeDatabases();
  const store = (name: string) => join(dataDir, name, 'store');
  truncateSync(join(store('cut'), 'data.mdb'), 100);
  truncateSync(join(store('emptied'), 'data.mdb'), 0);

  const first = await startServerProcess(dataDir);
  processes.push(first.server);
  const warnings = first.server.stdout.filter((l) => l.startsWith('WARNING: database '));
  assert.equal(warnings.length, 2, first.server.stdout.join('\n'));
  assert.ok(
    warnings.some((l) => l.startsWith("WARNING: database 'cut' was not loaded and is not served: [DBS29] Invalid Database Operation: Database 'cut'")),
    warnings.join('\n'),
  );
  assert.ok(warnings.some((l) => l.startsWith("WARNING: database 'emptied' was not loaded and is not served: [DBS28]")), warnings.join('\n'));

  const driver = await connect(first.address);
  assert.deepEqual((await driver.databases.all()).map((d) => d.name), ['good']);
  assert.equal(await driver.databases.contains('cut'), true);
  await assert.rejects(driver.session('cut', SessionType.DATA), /\[DBS29\].*'cut'.*is 100 bytes long.*restore it from a backup, or re-import/);
  await assert.rejects(driver.session('emptied', SessionType.DATA), /\[DBS28\].*'emptied'.*has no store.*is empty \(0 bytes\)/);
  const session = await driver.session('good', SessionType.DATA);
  const tx = await session.transaction(TransactionType.READ);
  const names = await tx.query.get('match $p isa person, has name $n; get $n;').collect();
  assert.deepEqual(names.map((a) => a.get('n').asAttribute().value), ['good']);
  await tx.close();
  await session.close();

  // A second server on the same data directory, on another port: refused, naming the directory and the holder.
  const second = runCli(['server', `--server.address=127.0.0.1:${await freePort()}`, `--storage.data=${dataDir}`]);
  processes.push(second);
  assert.equal(await second.exited, 1);
  const pid = first.server.child.pid!;
  assert.ok(
    second.stderr.some(
      (l) =>
        l.startsWith(`[DBS27] Invalid Database Operation: The data directory '${dataDir}' is in use by another Strata server (process ${pid}, since `) &&
        l.includes(`delete the lock file '${join(dataDir, 'strata.lock')}'`),
    ),
    second.stderr.join('\n'),
  );

  first.server.kill('SIGTERM');
  assert.equal(await first.server.exited, 0);
  assert.equal(existsSync(join(dataDir, 'strata.lock')), false, 'the lock is released at shutdown');
  // The refused stores were left as they were: no new store written over the evidence.
  assert.equal(statSync(join(store('cut'), 'data.mdb')).size, 100);
  assert.equal(statSync(join(store('emptied'), 'data.mdb')).size, 0);
  assert.deepEqual(readdirSync(dataDir).sort(), ['cut', 'emptied', 'good']);
});
