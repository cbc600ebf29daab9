// A data or schema file the server may not read is refused up front, naming the option it was given with (the data
// file's refusal came from the reader's open, without it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleUrl } from '../support/processes.js';
import { tempDir } from './fixtures.js';

test('an unreadable data or schema file is named with its option and the fix', { skip: process.platform === 'win32' && 'POSIX permissions' }, () => {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const data = join(dir, 'social.typedb');
  const schema = join(dir, 'social.tql');
  for (const file of [data, schema]) {
    writeFileSync(file, 'x');
    chmodSync(file, 0o000);
  }
  const script = `
    const { checkReadSource, DATA_FILE, SCHEMA_FILE } = await import(${JSON.stringify(moduleUrl('src/migration/codec/index'))});
    for (const [path, role] of [[${JSON.stringify(data)}, DATA_FILE], [${JSON.stringify(schema)}, SCHEMA_FILE]]) {
      try { checkReadSource(path, role); console.log('readable'); } catch (e) { console.log(e.message); }
    }`;
  // Root reads anything: check as an unprivileged user then.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const run = spawnSync(process.execPath, [...(moduleUrl('x').endsWith('.ts') ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script], { encoding: 'utf8', ...asUser });
  assert.equal(run.status, 0, run.stderr);
  const advice = 'The server opens the file itself: check that the user it runs as may access it and its directory.';
  assert.deepEqual(run.stdout.trim().split('\n'), [
    `[MIG03] Migrator failure: Error reading the file at '${data}' (the data file, --data/--file): EACCES: permission denied. ${advice}`,
    `[MIG03] Migrator failure: Error reading the file at '${schema}' (the schema file, --schema): EACCES: permission denied. ${advice}`,
  ]);
});
