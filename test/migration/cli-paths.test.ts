// The command line against a real server: paths that name a directory (a trailing separator, an existing
// directory), a pipe or a descriptor of the command's own process are refused with clear messages and change
// nothing; an unknown database is TypeDB's MIG01; a killed import command stops its import and frees the name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliCommand, runCli, startServerProcess } from '../server/server-process.js';
import { vectorsDir } from '../support/paths.js';
import { generateSocialDataset, SOCIAL_SCHEMA } from '../../bench/social-dataset.js';

const example = join(vectorsDir(), 'hand-built', 'example.typedb');
const exampleSchema = join(vectorsDir(), 'hand-built', 'example.schema.tql');

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const p = runCli(args);
  const code = await p.exited;
  return { code, out: p.stdout.join('\n') + p.stderr.join('\n') };
}

/** Runs the CLI from bash with `--data=<(cat file)` appended: the path the server gets is /dev/fd/N. */
function cliWithProcessSubstitution(args: string[], file: string): Promise<{ code: number; out: string }> {
  const { command, args: prefix } = cliCommand();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', 'exec "$@" --data=<(cat "$DATA_FILE")', 'bash', command, ...prefix, ...args], {
      env: { ...process.env, DATA_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

test('paths that name directories, pipes or the command\'s own descriptors, and unknown databases, with real processes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-paths-'));
  const { server, address } = await startServerProcess(join(dir, 'data'));
  const port = `--port=${address.split(':')[1]}`;
  try {
    let run = await cli(['server', 'import', '--database=social', `--schema=${exampleSchema}`, `--data=${example}`, port]);
    assert.equal(run.code, 0, run.out);

    // A trailing separator names a directory: nothing is written under the name without it.
    run = await cli(['server', 'export', '--database=social', `--file=${join(dir, 'nodir2')}/`, port]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /\[MIG32\] Migrator failure: Refusing to write the data file \(--data\/--file\) to '.*nodir2\/': it is a directory path/);
    run = await cli(['server', 'export', '--database=social', `--schema=${join(dir, 'nodir')}/`, `--data=${join(dir, 'x.typedb')}`, port]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /\[MIG32\] Migrator failure: Refusing to write the schema file \(--schema\) to '.*nodir\/'/);
    assert.ok(!existsSync(join(dir, 'nodir2')) && !existsSync(join(dir, 'nodir')) && !existsSync(join(dir, 'x.typedb')));

    // A schema path that is a directory: the data file given with it keeps its previous content.
    mkdirSync(join(dir, 'out', 'sdir'), { recursive: true });
    writeFileSync(join(dir, 'out', 'keep.typedb'), 'the previous export');
    run = await cli(['server', 'export', '--database=social', `--schema=${join(dir, 'out', 'sdir')}`, `--data=${join(dir, 'out', 'keep.typedb')}`, port]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /\[MIG32\] .*the schema file \(--schema\) to '.*sdir': it is a directory/);
    assert.equal(readFileSync(join(dir, 'out', 'keep.typedb'), 'utf8'), 'the previous export');
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['keep.typedb', 'sdir']);

    // Unknown databases: TypeDB's MIG01, as the error checklist says.
    run = await cli(['server', 'export', '--database=nosuch', `--file=${join(dir, 'n.typedb')}`, port]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /^\[MIG01\] Migrator failure: The database 'nosuch' was not found\. Check the name .*Nothing was exported\.$/m);
    run = await cli(['server', 'backup', '--database=nosuch', `--dir=${join(dir, 'bk')}`, port]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /^\[MIG01\] Migrator failure: The database 'nosuch' was not found\. .*Nothing was backed up\.$/m);

    // Process substitution: the server cannot open the command's descriptors, and says so.
    run = await cliWithProcessSubstitution(['server', 'import', '--database=dd', `--schema=${exampleSchema}`, port], example);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /\[MIG03\] .*'\/dev\/fd\/\d+' \(the data file, --data\/--file\): it names a file descriptor of the command's own process.*The server opens the file itself/);

    // A FIFO is refused at once (opening it would wait for a writer), and holds nothing: the server stops promptly.
    const fifo = join(dir, 'fifo.typedb');
    spawnSync('mkfifo', [fifo]);
    const started = Date.now();
    run = await cli(['server', 'import', '--database=dd', `--schema=${exampleSchema}`, `--data=${fifo}`, port]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /\[MIG03\] .*'.*fifo\.typedb' \(the data file, --data\/--file\): it is a named pipe \(FIFO\), not a regular file/);
    run = await cli(['server', 'import', '--database=dd', `--schema=${exampleSchema}`, `--data=${example}`, port]);
    assert.equal(run.code, 0, run.out);
    assert.ok(Date.now() - started < 20_000);
    server.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  } finally {
    server.kill('SIGKILL');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an import whose command is killed stops, removes its files and leaves the name free', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-cancel-'));
  const data = join(dir, 'data');
  const schemaFile = join(dir, 'social.tql');
  const dataFile = join(dir, 'social.typedb');
  writeFileSync(schemaFile, SOCIAL_SCHEMA);
  // Large enough that the import is still building when its command is killed (it takes over a second).
  await generateSocialDataset(dataFile, 150_000, 5);
  const { server, address } = await startServerProcess(data);
  const runImport = () => runCli(['server', 'import', '--database=social', `--schema=${schemaFile}`, `--data=${dataFile}`, `--port=${address.split(':')[1]}`]);
  const staging = () => readdirSync(data).filter((e) => e.startsWith('.importing-'));
  const until = async (condition: () => boolean, what: string) => {
    for (const deadline = Date.now() + 60_000; !condition(); await new Promise((r) => setTimeout(r, 5))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  };
  try {
    const importer = runImport();
    await until(() => staging().length > 0, 'the staging directory');
    importer.kill('SIGKILL');
    await importer.exited;
    await until(() => staging().length === 0, 'the staging directory to be removed');
    assert.ok(!readdirSync(data).includes('social'), 'the abandoned import published nothing');
    const rerun = runImport();
    assert.equal(await rerun.exited, 0, rerun.stderr.join('\n'));
  } finally {
    server.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
