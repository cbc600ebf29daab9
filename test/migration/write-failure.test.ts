// A system error while the import writes its working files (here: the file size limit, standing in for a full
// disk, which a test cannot make) fails the import with a message that names the database and the data
// directory, and leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';
import { tempDir } from './fixtures.js';

for (const threads of [false, true]) {
  test(`an import whose sort files cannot be written fails with a clear message and leaves no files (threads: ${threads})`, async () => {
    await importUnderFileSizeLimit(threads);
  });
}

async function importUnderFileSizeLimit(threads: boolean): Promise<void> {
  const dir = tempDir();
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  const file = join(dir, 'social.typedb');
  await generateSocialDataset(file, 20_000, 3);
  const src = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot(), path)).href);
  const script = join(dir, 'import.mts');
  writeFileSync(
    script,
    `import { openDatabaseManager } from ${src('src/database/index.ts')};
     import { importDatabase } from ${src('src/migration/index.ts')};
     const [data, file, schema] = process.argv.slice(2);
     const m = openDatabaseManager(data);
     try {
       await importDatabase(m, 'social', { dataFile: file, schemaText: schema, memoryBytes: 1 << 20, threads: ${threads} });
     } catch (e) {
       console.log(JSON.stringify({ message: e.message }));
       process.exitCode = 1;
     }
     m.close();`,
  );
  const data = join(dir, 'data');
  // Files may grow to 64 KiB (ulimit counts 1 KiB blocks in bash): the sort runs of a 1 MiB budget are larger.
  // SIGXFSZ is ignored, so that the write fails with EFBIG instead of killing the process.
  const command = `ulimit -f 64; trap '' XFSZ; exec "$0" "$@"`;
  const run = spawnSync('bash', ['-c', command, process.execPath, '--import', 'tsx', script, data, file, SOCIAL_SCHEMA], {
    cwd: repoRoot(),
    encoding: 'utf8',
  });
  assert.equal(run.status, 1, run.stderr);
  const { message } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { message: string };
  assert.match(message, /^\[MIG57\] .*The import into the database 'social' failed while writing its working files/);
  assert.ok(message.includes(`in the data directory '${data}'`), message);
  assert.match(message, /EFBIG/);
  assert.match(message, /Nothing was imported\. .*Fix the cause, then run the import again\.$/);
  assert.deepEqual(readdirSync(data), [], 'no database and no staging directory');
}
