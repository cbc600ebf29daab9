// One fuzzed import and the judgement of its outcome (fuzz-import.ts): the target is prepared for the flow, the
// file imported, and then either the new database is checked for consistency or the failure for being a clear,
// coded error that left the data directory and the target as they were.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '../src/common/errors.js';
import type { DatabaseManager } from '../src/database/index.js';
import { CodecError, exportDatabase, importDatabase, readItems, summarizeItems, type ImportResult, type Item } from '../src/migration/index.js';
import { createWithSchema } from '../test/support/databases.js';
import { contentModel } from './fuzz-model.js';

/** new-text / new-file: a new database, schema given; seed: into a database holding the schema; new-into-empty: into an empty one. */
export type Flow = 'new-text' | 'new-file' | 'seed' | 'new-into-empty';

export interface Outcome {
  /** `imported`, the error's code (`MIG23`), or `setup failed`. */
  readonly code: string;
  readonly message?: string;
  /** What is wrong, when the outcome is a bug. */
  readonly bug?: string;
  /** The message with numbers and quoted text blanked, to tell bugs apart. */
  readonly signature?: string;
  readonly stack?: string;
  readonly milliseconds: number;
}

const NAME = 'fz';
/** Codec errors that have a place in the file (an empty file, MIG20, has none to give): their message must give it. */
const CODEC_PLACED = new Set(['MIG09', 'MIG10', 'MIG21', 'MIG22', 'MIG23', 'MIG24', 'MIG25', 'MIG26', 'MIG27', 'MIG28', 'MIG30', 'MIG31']);
/** Import errors about one item: their message must say where it is. */
const ITEM_PLACED = new Set(['MIG05', 'MIG06', 'MIG08', 'MIG40', 'MIG41', 'MIG42', 'MIG43', 'MIG44', 'MIG45', 'MIG46', 'MIG47', 'MIG48']);
const SUSPICIOUS = /internal error|please report|\bundefined\b|\[object |TypeError|RangeError|Cannot read prop|is not a function|Maximum call stack/i;
const MAX_MESSAGE = 3000;

function signature(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, 'Q').replace(/0x[0-9a-f]+/gi, 'H').replace(/\d+/g, 'N').slice(0, 140);
}

function snapshotOf(manager: DatabaseManager): { schema: string; things: string } | undefined {
  if (!manager.contains(NAME)) return undefined;
  return { schema: manager.schema(NAME), things: count(manager, 'match $x isa thing; get; count;') };
}

function count(manager: DatabaseManager, query: string): string {
  const session = manager.session(NAME, 'data');
  const tx = session.transaction('read');
  try {
    let result;
    try {
      result = tx.query(query);
    } catch (e) {
      if ((e as StrataError).code === 'QRY16') return '0'; // no type yet: an empty schema
      throw e;
    }
    return result.kind === 'aggregate' ? String(result.value?.value) : `unexpected ${result.kind}`;
  } finally {
    tx.close();
    session.close();
  }
}

function prepare(manager: DatabaseManager, flow: Flow, schema: string): void {
  if (manager.contains(NAME)) manager.delete(NAME);
  if (flow === 'seed') createWithSchema(manager, NAME, schema);
  else if (flow === 'new-into-empty') manager.create(NAME);
}

/** Problems of a database an import reported success for: it must open, hold what was reported and export it. */
async function allItems(path: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const { item } of readItems(path)) items.push(item);
  return items;
}

function assert(problem: string): never {
  throw new Error(problem);
}

async function checkImported(manager: DatabaseManager, dir: string, source: string, result: ImportResult): Promise<string | undefined> {
  const s = result.stored;
  const things = count(manager, 'match $x isa thing; get; count;');
  if (things !== String(s.entities + s.relations + s.attributes)) return `the database counts ${things} things, the import reported ${JSON.stringify(s)}`;
  const file = join(dir, 're-export.typedb');
  const exported = await exportDatabase(manager.get(NAME), { dataFile: file });
  const e = exported.checksums;
  if (exported.danglingEdges !== 0) return `the export skipped ${exported.danglingEdges} dangling edges`;
  if (e.entities !== s.entities || e.relations !== s.relations || e.attributes !== s.attributes || e.ownerships !== s.ownerships || e.roles !== s.roles) {
    return `the export's checksums ${JSON.stringify(e)} differ from what the import stored ${JSON.stringify(s)}`;
  }
  const summary = await summarizeItems(file);
  if (JSON.stringify(summary.counted) !== JSON.stringify(summary.declared)) return `the export's items do not match its own checksums`;
  // The same things as the file says, read by the reference reader (which must accept what the import accepted).
  const expected = contentModel(await allItems(source).catch((e: Error) => assert(`the reader refuses what the import took: ${e.message}`)));
  const found = contentModel(await allItems(file));
  const missing = linesNotIn(expected, found);
  const extra = linesNotIn(found, expected);
  if (missing.length > 0 || extra.length > 0 || expected.length !== found.length) {
    return `the database holds other things than the file: missing ${JSON.stringify(missing.slice(0, 3))}, extra ${JSON.stringify(extra.slice(0, 3))}`;
  }
  return undefined;
}

/**
 * The lines of `lines` that `other` lacks, repeats counted. By a map of counts: a search of `other` per line was
 * quadratic, and never finished on the 50 MiB seed's ~10^5 lines (`--big`).
 */
function linesNotIn(lines: readonly string[], other: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const line of other) left.set(line, (left.get(line) ?? 0) + 1);
  return lines.filter((line) => {
    const count = left.get(line) ?? 0;
    if (count > 0) left.set(line, count - 1);
    return count === 0;
  });
}

function judgeError(e: unknown, dataDir: string): { bug?: string; code: string; message: string; stack?: string } {
  const message = e instanceof Error ? e.message : String(e);
  const stack = e instanceof Error ? e.stack : undefined;
  if (!(e instanceof StrataError)) return { code: (e as Error)?.name ?? 'thrown', message, stack, bug: 'not a coded error' };
  const code = e.code;
  if (!/^\[MIG\d\d\] /.test(message) && !message.startsWith(`[${code}]`)) return { code, message, stack, bug: 'message without its code' };
  const text = message.replace(/^\[\w+\] /, '');
  if (!code.startsWith('MIG')) return { code, message, stack, bug: 'not a migration error' };
  if (SUSPICIOUS.test(text)) return { code, message, stack, bug: 'suspicious message' };
  if (message.length > MAX_MESSAGE) return { code, message: message.slice(0, 600), stack, bug: `message of ${message.length} characters` };
  if (CODEC_PLACED.has(code) && (!(e instanceof CodecError) || e.byteOffset === undefined || !message.includes('byte offset'))) {
    return { code, message, stack, bug: 'no byte offset' };
  }
  if (ITEM_PLACED.has(code) && !message.includes('byte offset')) return { code, message, stack, bug: 'no byte offset' };
  const hidden = readdirSync(dataDir).filter((f) => f.startsWith('.'));
  if (hidden.length > 0) return { code, message, stack, bug: `left ${hidden.join(', ')}` };
  return { code, message };
}

/** Imports `file` as `flow` asks and judges what happened; `hangMs`: longer is a bug. */
export async function runImport(
  manager: DatabaseManager,
  dir: string,
  file: string,
  schema: string,
  flow: Flow,
  threads: boolean | undefined,
  hangMs = 20_000,
  memoryBytes?: number,
): Promise<Outcome> {
  try {
    prepare(manager, flow, schema);
  } catch (e) {
    return { code: 'setup failed', message: (e as Error).message, milliseconds: 0 };
  }
  const before = snapshotOf(manager);
  const schemaFile = join(dir, 'schema.tql');
  if (flow === 'new-file') writeFileSync(schemaFile, schema);
  const options = {
    dataFile: file,
    threads,
    memoryBytes,
    ...(flow === 'new-text' || flow === 'new-into-empty' ? { schemaText: schema } : {}),
    ...(flow === 'new-file' ? { schemaFile } : {}),
  };
  const started = performance.now();
  let outcome: Outcome;
  try {
    const result = await importDatabase(manager, NAME, options);
    const milliseconds = performance.now() - started;
    const problem = await checkImported(manager, dir, file, result).catch((e: Error) => `the check failed: ${e.stack}`);
    outcome = problem === undefined
      ? { code: 'imported', milliseconds }
      : { code: 'imported', milliseconds, bug: 'inconsistent database', message: problem, signature: signature(problem) };
  } catch (e) {
    const milliseconds = performance.now() - started;
    const judged = judgeError(e, manager.dataDir);
    const after = snapshotOf(manager);
    const changed = JSON.stringify(after) !== JSON.stringify(before) ? `target changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}` : undefined;
    const bug = judged.bug ?? changed;
    outcome = { code: judged.code, message: judged.message, milliseconds, stack: judged.stack, bug, signature: bug === undefined ? undefined : `${judged.code} ${signature(judged.message)}` };
  }
  if (outcome.bug === undefined && outcome.milliseconds > hangMs) {
    outcome = { ...outcome, bug: `took ${Math.round(outcome.milliseconds)} ms`, signature: outcome.code };
  }
  if (manager.contains(NAME)) manager.delete(NAME);
  return outcome;
}
