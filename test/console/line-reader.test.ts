// The REPL's LineReader over plain streams: what it writes when input and output are pipes, as scripts see it
// (`echo … | typedb console > out.txt`), and when they are a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { History } from '../../src/console/history.js';
import { LineReader } from '../../src/console/line-reader.js';

function streams(terminal: boolean): { input: NodeJS.ReadStream; output: NodeJS.WriteStream; written: () => string } {
  const input = new PassThrough() as unknown as NodeJS.ReadStream;
  const output = new PassThrough() as unknown as NodeJS.WriteStream;
  input.isTTY = terminal;
  output.isTTY = terminal;
  let text = '';
  (output as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { input, output, written: () => text };
}

test('clear writes no screen control into a pipe (TypeDB clears through its terminal, and a dumb one cannot)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-line-reader-'));
  try {
    const history = History.load(join(dir, 'history'));
    const piped = streams(false);
    const pipeReader = new LineReader(piped.input, piped.output, history);
    pipeReader.clearScreen();
    pipeReader.close();

    const terminal = streams(true);
    const terminalReader = new LineReader(terminal.input, terminal.output, history);
    terminalReader.clearScreen();
    terminalReader.close();
    await new Promise((resolve) => setImmediate(resolve));

    assert.equal(piped.written(), '');
    assert.equal(terminal.written(), '\x1b[H\x1b[2J');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
