// `source` without --print-answers sends its queries without waiting for each answer, but not all at once: the
// driver puts every query queued at once into one gRPC message, so a whole file became one message as large as the
// file (refused over the server's 64 MiB limit, and held in memory twice). It now waits, a window behind, for
// answers to what it sent, so at most three windows (SOURCE_WINDOW_BYTES each) are unanswered at any time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenTransaction } from '../../src/console/connection.js';
import type { ConsoleOutput } from '../../src/console/output.js';
import { QueryRunner, SOURCE_WINDOW_BYTES } from '../../src/console/queries.js';

/** A transaction whose insert answers arrive only when the test says so; it records how much text was unanswered. */
function fakeTransaction() {
  const unanswered: { bytes: number; answer: () => void }[] = [];
  let mostUnansweredBytes = 0;
  const stream = (promise: Promise<unknown>) => ({ first: () => promise });
  const tx = {
    query: {
      insert(text: string) {
        let answer!: () => void;
        const promise = new Promise<unknown>((resolve) => (answer = () => resolve(undefined)));
        unanswered.push({ bytes: text.length, answer });
        mostUnansweredBytes = Math.max(mostUnansweredBytes, unanswered.reduce((sum, u) => sum + u.bytes, 0));
        return stream(promise);
      },
    },
  };
  return {
    open: { tx } as unknown as OpenTransaction,
    /** Answers every query sent so far. */
    answerAll: () => unanswered.splice(0).forEach((u) => u.answer()),
    get sent() {
      return unanswered.length;
    },
    get mostUnansweredBytes() {
      return mostUnansweredBytes;
    },
  };
}

const silentOutput = { info: () => {}, error: (text: string) => assert.fail(text), style: {} } as unknown as ConsoleOutput;

test('source sends a large file in windows, waiting for earlier answers, instead of all of it at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-source-window-'));
  try {
    const query = `insert $x isa item, has note "${'x'.repeat(1000)}";`;
    const count = Math.ceil((6 * SOURCE_WINDOW_BYTES) / query.length);
    const file = join(dir, 'data.tql');
    writeFileSync(file, `${query}\n`.repeat(count));
    const fake = fakeTransaction();
    const runner = new QueryRunner(fake.open, silentOutput);
    const done = runner.runSource(file, false);
    // The server answers whatever has been sent, as it arrives, until the file is through.
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      fake.answerAll();
    }
    assert.equal(await done, true);
    assert.ok(fake.mostUnansweredBytes <= 3 * SOURCE_WINDOW_BYTES + 4 * query.length, `${fake.mostUnansweredBytes} bytes were sent without an answer`);
    assert.ok(fake.mostUnansweredBytes >= SOURCE_WINDOW_BYTES, 'queries should still be sent ahead of their answers');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
