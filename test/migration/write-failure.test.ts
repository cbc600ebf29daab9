// A system error while an import writes its working files, or while an export writes its file (here: the file
// size limit, standing in for a full disk, which a test cannot make), fails with a message that says where and
// what to do, and leaves nothing behind: no staging directory, and the previous export file as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';
import { tempDir } from './fixtures.js';

/**
 * A child script: `import <data> <file> <schema> <threads> <memoryBytes>` or `export <data> <file> [threads]`;
 * prints the error's message as JSON and exits 1 when the step fails.
 */
function writeMigrateScript(dir: string): string {
  const src = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot(), path)).href);
  const script = join(dir, 'migrate.mts');
  writeFileSync(
    script,
    `import { openDatabaseManager } from ${src('src/database/index.ts')};
     import { exportDatabase, importDatabase } from ${src('src/migration/index.ts')};
     const [step, data, file, schemaOrThreads, threads, memoryBytes] = process.argv.slice(2);
     const m = openDatabaseManager(data);
     try {
       if (step === 'import') {
         await importDatabase(m, 'social', { dataFile: file, schemaText: schemaOrThreads, threads: threads === 'true', memoryBytes: Number(memoryBytes) || undefined });
       } else {
         await exportDatabase(m.get('social'), { dataFile: file, threads: schemaOrThreads === undefined ? undefined : schemaOrThreads === 'true' });
       }
     } catch (e) {
       console.log(JSON.stringify({ message: e.message }));
       process.exitCode = 1;
     }
     m.close();`,
  );
  return script;
}

/** Runs node with `args` in a process whose files may grow to 64 KiB; SIGXFSZ ignored, so writes fail with EFBIG. */
function nodeUnderFileSizeLimit(args: string[]) {
  const command = `ulimit -f 64; trap '' XFSZ; exec "$0" "$@"`;
  return spawnSync('bash', ['-c', command, process.execPath, ...args], { cwd: repoRoot(), encoding: 'utf8' });
}

/** A temporary directory with a generated social data file, the migrate script and the path of a data directory. */
async function migrateFixture(things: number) {
  const dir = tempDir();
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  const file = join(dir, 'social.typedb');
  await generateSocialDataset(file, things, 3);
  return { dir, file, schema: SOCIAL_SCHEMA, script: writeMigrateScript(dir), data: join(dir, 'data') };
}

function failureMessage(run: { stdout: string }): string {
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { message: string }).message;
}

for (const threads of [false, true]) {
  test(`an import whose sort files cannot be written fails with a clear message and leaves no files (threads: ${threads})`, async () => {
    const { file, schema, script, data } = await migrateFixture(20_000);
    // The sort runs of a 1 MiB budget are larger than the limit (ulimit counts 1 KiB blocks in bash).
    const run = nodeUnderFileSizeLimit(['--import', 'tsx', script, 'import', data, file, schema, String(threads), String(1 << 20)]);
    assert.equal(run.status, 1, run.stderr);
    const message = failureMessage(run);
    assert.match(message, /^\[MIG57\] .*The import into the database 'social' failed while writing its working files/);
    assert.ok(message.includes(`in the data directory '${data}'`), message);
    assert.match(message, /EFBIG/);
    assert.match(message, /Nothing was imported\. .*Fix the cause, then run the import again\.$/);
    assert.deepEqual(readdirSync(data), [], 'no database and no staging directory');
  });
}

test('an export whose file cannot be written fails with a clear message and leaves the previous file', async () => {
  const { dir, file, schema, script, data } = await migrateFixture(5_000);
  const imported = spawnSync(process.execPath, ['--import', 'tsx', script, 'import', data, file, schema, 'false'], { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr + imported.stdout);
  const target = join(dir, 'backup.typedb');
  writeFileSync(target, 'the previous export');
  const run = nodeUnderFileSizeLimit(['--import', 'tsx', script, 'export', data, target]);
  assert.equal(run.status, 1, run.stderr);
  assert.match(failureMessage(run), /^\[MIG04\] Migrator failure: Error writing the file at '.*backup\.typedb': EFBIG.* Any previous file at that path was left as it was\.$/);
  assert.equal(readFileSync(target, 'utf8'), 'the previous export');
  assert.deepEqual(readdirSync(dir).filter((e) => e.endsWith('.tmp')), [], 'no temporary file left');
});

for (const previous of [true, false]) {
  test(`a two-thread export whose file cannot be written fails as a one-thread one does, and leaves ${previous ? 'the previous file' : 'no file'}`, async () => {
    const { dir, file, schema, script, data } = await migrateFixture(5_000);
    const imported = spawnSync(process.execPath, ['--import', 'tsx', script, 'import', data, file, schema, 'false'], { cwd: repoRoot(), encoding: 'utf8' });
    assert.equal(imported.status, 0, imported.stderr + imported.stdout);
    const target = join(dir, 'backup.typedb');
    if (previous) writeFileSync(target, 'the previous export');
    // Both threads write pieces past the 64 KiB limit (the file is about 0.5 MB): whichever fails first fails the
    // export, with the message of a write failure on the export file.
    const run = nodeUnderFileSizeLimit(['--import', 'tsx', script, 'export', data, target, 'true']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(failureMessage(run), /^\[MIG04\] Migrator failure: Error writing the file at '.*backup\.typedb': EFBIG.* Any previous file at that path was left as it was\.$/);
    if (previous) assert.equal(readFileSync(target, 'utf8'), 'the previous export');
    assert.deepEqual(readdirSync(dir).filter((e) => e.includes('backup')), previous ? ['backup.typedb'] : [], 'no temporary file left');
  });
}
