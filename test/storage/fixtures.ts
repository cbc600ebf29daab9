// Shared helpers for the storage tests: temporary stores and readable keys.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { type Store, type StoreOptions, openStore } from '../../src/storage/index.js';

const directories: string[] = [];

after(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed when the test file finishes. */
export function tempDir(label = 'store'): string {
  const directory = mkdtempSync(join(tmpdir(), `strata-${label}-`));
  directories.push(directory);
  return directory;
}

/** A store in a fresh temp directory; closed by the caller (or left for process exit). */
export function tempStore(options?: StoreOptions): Store {
  return openStore(join(tempDir(), 'db'), options);
}

/** Key/value bytes from text, so that test data reads naturally. */
export function b(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Entries as [key, value] strings, for assertions. */
export function text(entries: Iterable<[Uint8Array, Uint8Array]>): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of entries) out.push([Buffer.from(key).toString('latin1'), Buffer.from(value).toString('latin1')]);
  return out;
}

export function keysOf(entries: Iterable<[Uint8Array, Uint8Array]>): string[] {
  return text(entries).map(([key]) => key);
}

/** Commits the given puts (value = key unless given) in one write transaction. */
export function commitPuts(store: Store, entries: Record<string, string> | string[]): void {
  const tx = store.beginWrite();
  if (Array.isArray(entries)) for (const key of entries) tx.put(b(key), b(key));
  else for (const [key, value] of Object.entries(entries)) tx.put(b(key), b(value));
  tx.commit();
}
