// A server that stops answering in the middle of an export or import (frozen with SIGSTOP, a suspended machine, a
// network gone silent): the stream stays open and nothing arrives. The command used to wait forever; Strata's and
// TypeDB's servers send progress every second, so a stream silent for STRATA_MIGRATOR_SILENCE_MS (60 s by
// default, 1 s here) fails the command with exit 1, saying what happened and what the job left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
import { MIGRATOR_SERVICE } from '../../src/server/migrator/protocol.js';
import { runCli } from '../server/server-process.js';

test('an export whose server goes silent after its first progress message fails within the silence limit', async () => {
  const server = new Server();
  const progress = { attributes_current: 1, attributes: 10, entities_current: 0, entities: 5, relations_current: 0, relations: 0 };
  // One progress message, then nothing, and the stream stays open.
  const silent = (call: ServerWritableStream<object, object>) => void call.write(progress);
  server.addService(MIGRATOR_SERVICE, { ImportDatabase: silent, ExportDatabase: silent, BackupDatabase: silent });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, bound) => (e ? reject(e) : resolve(bound))),
  );
  const cli = runCli(['server', 'export', `--port=${port}`, '--database=x', '--data=/tmp/strata-silent-x.typedb'], { STRATA_MIGRATOR_SILENCE_MS: '1000' });
  try {
    const startedAt = Date.now();
    const code = await Promise.race([cli.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    assert.equal(code, 1, `exit ${code}; stderr: ${cli.stderr.join('\n')}`);
    assert.ok(Date.now() - startedAt < 10_000, `the command took ${Date.now() - startedAt} ms to give up`);
    const stderr = cli.stderr.filter((l) => l !== '').join('\n');
    assert.match(
      stderr,
      new RegExp(
        `^The server on localhost:${port} has sent nothing for 1 s during the export \\(it sends progress every second\\): it is frozen or overloaded, ` +
          'or the connection is lost\\. The command gave up\\. The file is written under a temporary name and renamed only when complete',
      ),
    );
  } finally {
    cli.kill('SIGKILL');
    server.forceShutdown();
  }
});
