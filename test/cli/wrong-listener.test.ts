// A port held by a program that is not a TypeDB server (a web server, say): export and the console say so at once,
// instead of waiting out the answer time or telling the user to check that a server is running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { runCli } from '../server/server-process.js';
import { runConsole } from '../console/console-process.js';

async function webServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((_, response) => response.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  test.after(() => new Promise((resolve) => server.close(resolve)));
  return { server, port: (server.address() as AddressInfo).port };
}

const NOT_TYPEDB = (address: string) =>
  `Something is listening on ${address}, but it is not a TypeDB server: it refused the TypeDB protocol (gRPC). ` +
  `Check the port: it may belong to another program (Strata's default is 1729).`;

test('export to the port of a web server fails at once, naming the port', async () => {
  const { port } = await webServer();
  const started = Date.now();
  const cli = runCli(['server', 'export', `--port=${port}`, '--database=social', '--file=/tmp/strata-never-written.typedb']);
  assert.equal(await cli.exited, 1);
  assert.deepEqual(cli.stderr.filter((l) => l !== ''), [NOT_TYPEDB(`localhost:${port}`)]);
  assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
});

test('the console on the port of a web server says it is not a TypeDB server', async () => {
  const { port } = await webServer();
  const run = await runConsole([`--core=127.0.0.1:${port}`, '--command=database list']);
  assert.equal(run.code, 1);
  assert.equal(run.stderr.trim(), NOT_TYPEDB(`127.0.0.1:${port}`));
});

test('the console on the port of an HTTP/2 server that is not a gRPC server says it is not a TypeDB server', async () => {
  const server = createHttp2Server((_, response) => {
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const run = await runConsole([`--core=127.0.0.1:${port}`, '--command=database list']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim(), NOT_TYPEDB(`127.0.0.1:${port}`));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
