// What an import says about its files and its flow: a schema path that is a directory, a pipe or a descriptor
// of another process is refused up front, naming the option (a pipe must not block the import); a type missing
// from the schema is explained for the flow used; a schema syntax error keeps its advice on a line of its own;
// a data directory the server cannot write to is a coded message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabaseManager } from '../../src/database/index.js';
import { importDatabase } from '../../src/migration/index.js';
import { repoRoot, vectorsDir } from '../support/paths.js';
import { hiddenEntries, tempDir } from './fixtures.js';
import { createWithSchema } from '../support/databases.js';

const example = join(vectorsDir(), 'hand-built', 'example.typedb');
const exampleSchema = join(vectorsDir(), 'hand-built', 'example.schema.tql');
const inline = { threads: false } as const;

test('a schema path that is a directory or missing is named as the schema file', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  await assert.rejects(
    importDatabase(m, 's2', { dataFile: example, schemaFile: dir, ...inline }),
    new RegExp(`^CodecError: \\[MIG03\\] Migrator failure: Error reading the file at '${dir}' \\(the schema file, --schema\\): it is a directory\\. Give the path of the schema file itself, for example '${dir}/schema\\.tql'\\.$`),
  );
  await assert.rejects(
    importDatabase(m, 's2', { dataFile: example, schemaFile: join(dir, 'nope.tql'), ...inline }),
    /^CodecError: \[MIG02\] Migrator failure: The specified file path '.*nope\.tql' \(the schema file, --schema\) could not be found\./,
  );
  assert.deepEqual(m.all(), []);
  m.close();
});

test('pipes and descriptor paths are refused at once, for the data and the schema file, and the name stays free', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const fifo = join(dir, 'fifo.typedb');
  spawnSync('mkfifo', [fifo]);
  // Without the check, opening the FIFO would wait for a writer: this one comes after 5 s and writes nothing.
  const writer = spawn('sh', ['-c', `sleep 5; : > '${fifo}'`], { stdio: 'ignore' });
  try {
    const started = Date.now();
    await assert.rejects(
      importDatabase(m, 'dd', { dataFile: fifo, schemaFile: exampleSchema, ...inline }),
      /^CodecError: \[MIG03\] Migrator failure: Error reading the file at '.*fifo\.typedb' \(the data file, --data\/--file\): it is a named pipe \(FIFO\), not a regular file\. The server reads only regular files .*copy the content to a regular file and give that path\.$/,
    );
    await assert.rejects(
      importDatabase(m, 'dd', { dataFile: example, schemaFile: fifo, ...inline }),
      /\[MIG03\] .*'.*fifo\.typedb' \(the schema file, --schema\): it is a named pipe \(FIFO\), not a regular file/,
    );
    assert.ok(Date.now() - started < 4000, 'refused without waiting for a writer');
  } finally {
    writer.kill();
  }
  for (const path of ['/dev/fd/63', '/dev/stdin', `/proc/${process.pid}/fd/0`]) {
    await assert.rejects(
      importDatabase(m, 'dd', { dataFile: path, schemaFile: exampleSchema, ...inline }),
      new RegExp(
        `\\[MIG03\\] Migrator failure: Error reading the file at '${path}' \\(the data file, --data/--file\\): it names a file ` +
          `descriptor of the command's own process \\(a pipe, or a process substitution such as <\\(…\\)\\)\\. The server opens the ` +
          `file itself, in its own process, so it cannot read it: write the data to a regular file and give that path\\.$`,
      ),
    );
  }
  // Nothing holds the name: the same import from regular files works.
  await importDatabase(m, 'dd', { dataFile: example, schemaFile: exampleSchema, ...inline });
  assert.deepEqual(m.all(), ['dd']);
  m.close();
});

test('a type missing from the schema is explained for each flow, naming the target database', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const other = join(dir, 'other.tql');
  writeFileSync(other, 'define thing2 sub entity;');
  await assert.rejects(
    importDatabase(m, 's4', { dataFile: example, schemaFile: other, ...inline }),
    new RegExp(
      `\\[MIG05\\] Migrator failure: The type 'person' is not defined in the schema: the entity item "gm4AAAAAAAAAAAAA" \\(person\\) ` +
        `at byte offset 19 of '.*example\\.typedb' is of that type, but the schema file '${other}' \\(--schema\\) given for the new ` +
        `database 's4' does not define it\\. Give the schema file that was exported with the data\\. Nothing was imported\\.$`,
    ),
  );
  // Seed flow: no schema was imported, the database's own schema lacks the type.
  createWithSchema(m, 'e1', 'define thing2 sub entity;');
  await assert.rejects(
    importDatabase(m, 'e1', { dataFile: example, ...inline }),
    new RegExp(
      `\\[MIG05\\] .*is of that type, but the schema of the database 'e1' has no such type\\. Define in 'e1' the schema the ` +
        `data was exported with, then import the data again; or import into a new database with --schema and --data\\. Nothing was imported\\.$`,
    ),
  );
  assert.deepEqual(m.all(), ['e1']);
  m.close();
});

test('a schema syntax error keeps its line, caret and reason, and the advice follows on a line of its own', async () => {
  const dir = tempDir();
  const m = openDatabaseManager(join(dir, 'data'));
  const bad = join(dir, 'bad.tql');
  writeFileSync(bad, 'define\nperson sub entity, owns ;\n');
  await assert.rejects(
    importDatabase(m, 's3', { dataFile: example, schemaFile: bad, ...inline }),
    (e: Error) => {
      const lines = e.message.split('\n');
      assert.match(lines[0]!, /^\[MIG50\] Migrator failure: The schema file '.*bad\.tql' cannot be loaded: \[TQL03\] .*syntax error at line 2/);
      assert.equal(lines[1], 'person sub entity, owns ;');
      assert.match(lines[2]!, /^ +\^$/);
      assert.match(lines[3]!, /^unexpected ';'/);
      assert.equal(lines[4], "It must be one TypeQL define query (as 'database schema' prints it), or empty. Nothing was imported.");
      assert.equal(lines.length, 5);
      return true;
    },
  );
  m.close();
});

test('a data directory the server may not write to fails with MIG57, saying what to do', async (t) => {
  if (process.platform === 'win32') return t.skip('POSIX permissions');
  const dir = tempDir();
  const data = join(dir, 'data');
  mkdirSync(data);
  const src = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot(), path)).href);
  const script = join(dir, 'import.mts');
  writeFileSync(
    script,
    `import { chmodSync } from 'node:fs';
     import { openDatabaseManager } from ${src('src/database/index.ts')};
     import { importDatabase } from ${src('src/migration/index.ts')};
     const m = openDatabaseManager(${JSON.stringify(data)});
     // Unwritable once the server runs (its lock file is made at the start).
     chmodSync(${JSON.stringify(data)}, 0o555);
     try {
       await importDatabase(m, 's6', { dataFile: ${JSON.stringify(example)}, schemaFile: ${JSON.stringify(exampleSchema)}, threads: false });
     } catch (e) {
       console.log(JSON.stringify({ message: e.message }));
       process.exitCode = 1;
     }
     chmodSync(${JSON.stringify(data)}, 0o755);
     m.close();`,
  );
  // Root may write anywhere: run the import as an unprivileged user then, owning the data directory.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  chmodSync(dir, 0o755);
  if (asUser.uid !== undefined) chownSync(data, asUser.uid, asUser.gid);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot(),
    encoding: 'utf8',
    env: { ...process.env, TSX_DISABLE_CACHE: '1' },
    ...asUser,
  });
  assert.equal(run.status, 1, run.stderr + run.stdout);
  const message = (JSON.parse(run.stdout.trim().split('\n').pop()!) as { message: string }).message;
  assert.equal(
    message,
    `[MIG57] Migrator failure: The import into the database 's6' failed while writing its working files in the data ` +
      `directory '${data}': it cannot create its working directory there (EACCES: permission denied). Nothing was ` +
      `imported. The database is as it was, and the import's files were removed. The server writes there itself: ` +
      `check that the user it runs as may write to the data directory, then run the import again.`,
  );
  assert.ok(!readdirSync(data).includes('s6'), 'no database');
  assert.deepEqual(hiddenEntries(data), [], 'no staging directory');
});
