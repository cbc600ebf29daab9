// The summary line that ends an export or import outside a terminal: scripts compare the two of one migration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressView } from '../../src/cli/migration-progress.js';
import type { MigrationProgress } from '../../src/server/migrator/jobs.js';

function summaryOf(kind: 'Export' | 'Import', progress: MigrationProgress): string {
  let written = '';
  const out = { isTTY: false, write: (text: string) => (written += text) } as unknown as NodeJS.WriteStream;
  const view = new ProgressView(kind, out);
  view.update(progress);
  view.finish(`summary: ${view.summaryCounts()}`);
  return written;
}

const checksums: MigrationProgress = {
  initialising: false,
  entities: { current: 19, total: 19 },
  relations: { current: 3, total: 3 },
  attributes: { current: 42, total: 42 },
  ownerships: { current: 42, total: 42 },
  roles: { current: 1, total: 1 },
};

test('an export summary names all five checksums, as the import summary of the same file does', () => {
  const expected = /^summary: 19 entities, 3 relations, 42 attributes, 42 ownerships, 1 role player in \d+\.\d s/;
  assert.match(summaryOf('Export', { ...checksums, edgesCounted: true }), expected);
  assert.match(summaryOf('Import', checksums), expected);
});

test('an export from a server that does not count ownerships and role players leaves them out of its summary', () => {
  assert.match(summaryOf('Export', { ...checksums, edgesCounted: false }), /^summary: 19 entities, 3 relations, 42 attributes in /);
});
