// A migrator call that ends without any status (here: a server whose error text is too large for an HTTP/2 header
// block, as Strata's own was before it cut such texts) fails the command with exit 1 and says so; it used to exit
// 0 without a word, as if the import had worked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, ServerCredentials, status, type ServerWritableStream } from '@grpc/grpc-js';
import { MIGRATOR_SERVICE } from '../../src/server/migrator/protocol.js';
import { runCli } from '../server/server-process.js';

test('an import the server ends without a status fails with a message, not a silent exit 0', async () => {
  const server = new Server();
  const tooLong = (call: ServerWritableStream<object, object>) => call.emit('error', { code: status.INTERNAL, details: ' '.repeat(100_000) });
  server.addService(MIGRATOR_SERVICE, { ImportDatabase: tooLong, ExportDatabase: tooLong, BackupDatabase: tooLong });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, bound) => (e ? reject(e) : resolve(bound))),
  );
  try {
    const cli = runCli(['server', 'import', `--port=${port}`, '--database=x', '--schema=/tmp/none.tql', '--data=/tmp/none.typedb']);
    assert.equal(await cli.exited, 1, cli.stdout.join('\n'));
    assert.equal(
      cli.stderr.filter((l) => l !== '').join('\n'),
      `The server on localhost:${port} ended the import without saying whether it succeeded. ` +
        "Check the server's output for the reason, and with 'database list' what it left; then run it again.",
    );
  } finally {
    server.forceShutdown();
  }
});
