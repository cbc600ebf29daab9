// Shared test helpers for the .typedb codec tests.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { CodecError, readItems, type ItemRecord, type ItemSource, type ReadOptions } from '../../../src/migration/codec/index.js';

/** /work/shared/vectors, found from the repository root (works from test/ and from dist/test/). */
export function vectorsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (package.json) above the test file');
    dir = parent;
  }
  return resolve(dir, '..', 'shared', 'vectors');
}

export function vector(...parts: string[]): string {
  return join(vectorsDir(), ...parts);
}

/** A fresh temporary directory, removed after the test file finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-codec-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

export async function readAll(source: ItemSource, options?: ReadOptions): Promise<ItemRecord[]> {
  const out: ItemRecord[] = [];
  for await (const record of readItems(source, options)) out.push(record);
  return out;
}

/** Reads everything and returns the error, failing if there is none or it is not a CodecError. */
export async function readError(source: ItemSource, options?: ReadOptions): Promise<{ error: CodecError; items: ItemRecord[] }> {
  const items: ItemRecord[] = [];
  try {
    for await (const record of readItems(source, options)) items.push(record);
  } catch (e) {
    if (e instanceof CodecError) return { error: e, items };
    throw e;
  }
  throw new Error(`expected a CodecError, but ${items.length} items were read without error`);
}

/** An async iterable delivering `bytes` in the given chunk sizes (cycled), to exercise chunk boundaries. */
export async function* chunked(bytes: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  for (let pos = 0, i = 0; pos < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(pos, pos + size);
    pos += size;
  }
}
