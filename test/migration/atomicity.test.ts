// Imports are atomic: a failed import leaves the target exactly as it was and nothing behind in the data
// directory; a killed import leaves only its staging directory, which the next start removes; a publish cut
// short between its two renames is completed (the old database comes back) at the next start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabaseManager } from '../../src/database/index.js';
import { importDatabase } from '../../src/migration/index.js';
import { repoRoot, vectorsDir } from '../support/paths.js';
import { SOCIAL_SCHEMA, countAnswers, hiddenEntries, tempDir, writeItems } from './fixtures.js';

const example = (file: string) => join(vectorsDir(), 'hand-built', file);

test('a failed seed import leaves the existing database as it was, open sessions included', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  m.create('social');
  const schema = m.session('social', 'schema');
  const tx = schema.transaction('write');
  tx.query(SOCIAL_SCHEMA);
  tx.commit();
  schema.close();
  const before = m.schema('social');
  const session = m.session('social', 'data');
  const bad = join(dir, 'bad.typedb');
  await writeItems(bad, [{ kind: 'entity', id: 'x', label: 'robot', ownerships: [] }]);
  await assert.rejects(importDatabase(m, 'social', { dataFile: bad, threads: false }), /\[MIG05\]/);
  await assert.rejects(importDatabase(m, 'social', { dataFile: join(dir, 'missing.typedb'), threads: false }), /\[MIG02\]/);
  assert.equal(session.isOpen(), true, 'the target was never closed');
  assert.equal(m.schema('social'), before);
  assert.deepEqual(Object.values(countAnswers(m, 'social', ['match $x isa thing; get; count;'])), ['0']);
  assert.deepEqual(hiddenEntries(m.dataDir), []);
  // Still writable, and still importable.
  const write = session.transaction('write');
  write.query('insert $p isa person, has name "Ann";');
  write.commit();
  session.close();
  m.close();
});

test('a seed import refuses to publish over data written into the target while it ran', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  m.create('social');
  const schema = m.session('social', 'schema');
  let tx = schema.transaction('write');
  tx.query('define name sub attribute, value string; age sub attribute, value long; person sub entity, owns age, plays friendship:friend; friendship sub relation, relates friend;');
  tx.commit();
  schema.close();
  // The target is inspected before the import's first await; the write lands while the build runs.
  const running = importDatabase(m, 'social', { dataFile: example('example.typedb'), threads: true });
  const session = m.session('social', 'data');
  tx = session.transaction('write');
  tx.query('insert $p isa person, has age 7;');
  tx.commit();
  session.close();
  await assert.rejects(running, /\[MIG49\].*data was written into it while the import ran/);
  assert.deepEqual(Object.values(countAnswers(m, 'social', ['match $x isa person; get; count;', 'match $x has age 7; get; count;'])), ['1', '1']);
  assert.deepEqual(hiddenEntries(m.dataDir), []);
  m.close();
});

/** A process id that no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

test('at start-up, staging directories of dead imports are removed and an interrupted publish is rolled back', () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  let m = openDatabaseManager(data);
  m.create('kept');
  m.create('restored');
  m.create('current');
  m.close();
  const dead = deadPid();
  const stale = join(data, `.importing-kept-${dead}-00ff00ff`);
  mkdirSync(join(stale, 'store'), { recursive: true });
  writeFileSync(join(stale, 'store', 'data.mdb'), 'half an import');
  // Another live process's import (our parent's pid stands for it) is left alone.
  const live = join(data, `.importing-other-${process.ppid}-0a0b0c0d`);
  mkdirSync(live);
  // A crash between the two renames of a publish: the old database moved aside, the new one not in place.
  renameSync(join(data, 'restored'), join(data, `.replaced-restored-${dead}-1700000000000`));
  // A crash after both renames: the new database in place, the old one still aside.
  mkdirSync(join(data, `.replaced-current-${dead}-1700000000000`));
  m = openDatabaseManager(data);
  assert.deepEqual(m.all(), ['current', 'kept', 'restored']);
  assert.deepEqual(hiddenEntries(data), [`.importing-other-${process.ppid}-0a0b0c0d`]);
  m.close();
});

test('kill -9 during an import leaves no visible database, the next start cleans up, and a rerun succeeds', async (t) => {
  const dir = tempDir();
  const data = join(dir, 'data');
  const file = join(dir, 'social.typedb');
  const { generateSocialDataset, SOCIAL_SCHEMA: schema } = await import('../../bench/social-dataset.js');
  await generateSocialDataset(file, 200_000, 3);
  const schemaFile = join(dir, 'social.tql');
  writeFileSync(schemaFile, schema);
  const script = join(dir, 'import.mts');
  const src = (path: string) => pathToFileURL(join(repoRoot(), path)).href;
  writeFileSync(
    script,
    `import { openDatabaseManager } from ${JSON.stringify(src('src/database/index.ts'))};
     import { importDatabase } from ${JSON.stringify(src('src/migration/index.ts'))};
     const m = openDatabaseManager(${JSON.stringify(data)});
     await importDatabase(m, 'social', { dataFile: ${JSON.stringify(file)}, schemaFile: ${JSON.stringify(schemaFile)} });
     console.log('finished');`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Wait until the import is writing its staged store, then kill it.
  const deadline = Date.now() + 60_000;
  let staged: string | undefined;
  while (Date.now() < deadline && staged === undefined) {
    await sleep(25);
    if (!existsSync(data)) continue;
    const entry = readdirSync(data).find((e) => e.startsWith('.importing-social-'));
    const mdb = entry === undefined ? undefined : join(data, entry, 'store', 'data.mdb');
    if (mdb !== undefined && existsSync(mdb) && statSync(mdb).size > 0) staged = entry;
  }
  if (staged === undefined) {
    child.kill('SIGKILL');
    await exited;
    t.diagnostic(output);
    assert.fail('the import never started writing its store');
  }
  child.kill('SIGKILL');
  await exited;
  assert.doesNotMatch(output, /finished/, 'killed before it finished');
  assert.ok(existsSync(join(data, staged!)), 'the killed import left its staging directory');
  assert.equal(existsSync(join(data, 'social')), false);

  const m = openDatabaseManager(data);
  assert.deepEqual(m.all(), []);
  assert.deepEqual(hiddenEntries(data), [], 'the staging directory was removed at start-up');
  const result = await importDatabase(m, 'social', { dataFile: file, schemaFile, threads: false });
  assert.deepEqual(m.all(), ['social']);
  assert.equal(result.stored.entities, result.checksums.entities);
  m.close();
});
