// Ctrl-C (SIGINT) or SIGTERM of an export/import/backup command: it cancels the call (the server then stops the
// job and removes what it wrote), says so and exits 130/143, instead of ending in silence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
import { MIGRATOR_SERVICE } from '../../src/server/migrator/protocol.js';
import { runCli } from '../server/server-process.js';

/** A migrator whose jobs never finish; resolves `started` when a call arrives and `cancelled` when it is cancelled. */
async function endlessMigrator() {
  let started!: () => void;
  let cancelled!: () => void;
  const events = { started: new Promise<void>((r) => (started = r)), cancelled: new Promise<void>((r) => (cancelled = r)) };
  const endless = (call: ServerWritableStream<object, object>) => {
    call.on('cancelled', cancelled);
    started();
  };
  const server = new Server();
  server.addService(MIGRATOR_SERVICE, { ImportDatabase: endless, ExportDatabase: endless, BackupDatabase: endless });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, bound) => (e ? reject(e) : resolve(bound))),
  );
  return { server, port, ...events };
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`an import interrupted by ${signal} cancels the call, says what the server does, and exits ${code}`, async () => {
    const { server, port, started, cancelled } = await endlessMigrator();
    try {
      const cli = runCli(['server', 'import', `--port=${port}`, '--database=x', '--schema=/tmp/none.tql', '--data=/tmp/none.typedb']);
      await started;
      cli.kill(signal);
      assert.equal(await cli.exited, code);
      await cancelled;
      assert.equal(
        cli.stderr.filter((l) => l !== '').join('\n'),
        `The import was interrupted (${signal}). The server stops the import and removes its files: nothing was imported, ` +
          "unless it had just completed (check with 'database list').",
      );
    } finally {
      server.forceShutdown();
    }
  });
}
