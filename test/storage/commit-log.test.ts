// The commit log keeps only what open write transactions may still validate against.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommitLog } from '../../src/storage/commit-log.js';
import { TokenKeySet } from '../../src/storage/key-set.js';

function set(...keys: string[]): TokenKeySet {
  const keySet = new TokenKeySet();
  for (const key of keys) keySet.add(Buffer.from(key, 'latin1'));
  return keySet;
}

test('records only while writers are open, and prunes to the oldest writer', () => {
  const log = new CommitLog();
  log.record({ sequence: 1, written: set('a'), exclusive: set() });
  assert.equal(log.size, 0, 'nobody can validate against a commit made with no open writers');

  log.registerWriter(1); // W1 saw commits up to 1
  log.record({ sequence: 2, written: set('a'), exclusive: set() });
  log.registerWriter(2); // W2 saw commits up to 2
  log.record({ sequence: 3, written: set(), exclusive: set('b') });
  assert.equal(log.size, 2);
  assert.equal(log.hasCommitsAfter(1), true);
  assert.equal(log.hasCommitsAfter(3), false);

  log.releaseWriter(1);
  assert.equal(log.size, 1, 'commit 2 is only relevant to W1');
  log.releaseWriter(2);
  assert.equal(log.size, 0);
  assert.equal(log.openWriters, 0);
});

test('conflict rules', () => {
  const log = new CommitLog();
  log.registerWriter(0);
  log.record({ sequence: 1, written: set('put'), exclusive: set('deleted', 'locked') });
  const conflict = (written: string[], exclusive: string[], since = 0) => log.conflict(since, set(...written), set(...exclusive));
  assert.equal(conflict(['put'], []), undefined, 'put vs put');
  assert.equal(conflict([], ['put']), 'delete-modify', 'delete/lock vs put');
  assert.equal(conflict(['deleted'], []), 'modify-delete', 'put vs delete');
  assert.equal(conflict(['locked'], []), 'modify-delete', 'put vs lock');
  assert.equal(conflict([], ['locked']), 'exclusive', 'lock vs lock');
  assert.equal(conflict(['other'], ['another']), undefined, 'disjoint');
  assert.equal(conflict([], ['put'], 1), undefined, 'commits the snapshot already saw do not count');
});
