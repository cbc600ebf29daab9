// Worker threads inherit the process's Node.js options: a server run with V8 options (`--expose-gc` for a memory
// benchmark, `--max-old-space-size` in production) must still start its workers, which Node refuses when those
// options are passed to a worker explicitly; so must a script run with `node --input-type=module -e`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { firstLine, moduleUrl } from '../support/processes.js';

const compiled = import.meta.url.endsWith('.js');

/** Runs a script starting a worker beside it with `nodeArgs` (as a file, or with `-e`); resolves with its first line. */
async function startedWorker(nodeArgs: readonly string[], asEval: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-start-worker-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'echo-worker.js'), `import { parentPort, workerData } from 'node:worker_threads';\nparentPort.postMessage('worker got ' + workerData);\n`);
    const script = `import { startWorker } from ${JSON.stringify(moduleUrl('src/common/start-worker'))};
      const worker = startWorker('echo-worker', 42, ${JSON.stringify(pathToFileURL(join(dir, 'main.js')).href)});
      worker.on('message', (m) => { console.log(m); void worker.terminate(); });
      worker.on('error', (e) => console.log('failed: ' + e.message));`;
    writeFileSync(join(dir, 'main.js'), script);
    const tsx = compiled ? [] : ['--import', 'tsx'];
    const run = asEval ? ['--input-type=module', '-e', script] : [join(dir, 'main.js')];
    return await firstLine(spawn(process.execPath, [...tsx, ...nodeArgs, ...run], { stdio: ['ignore', 'pipe', 'pipe'] }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a process run with V8 options starts its workers', async () => {
  assert.equal(await startedWorker(['--expose-gc', '--max-old-space-size=256', '--stack-size=900'], false), 'worker got 42');
});

test('a script run with --input-type=module -e starts its workers, with V8 options too', async () => {
  assert.equal(await startedWorker([], true), 'worker got 42');
  assert.equal(await startedWorker(['--expose-gc'], true), 'worker got 42');
});
