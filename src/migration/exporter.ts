// Export of one database as a .typedb data file (and optionally its schema as a define query), from ONE read
// snapshot: the schema text is printed from the schema record of the same snapshot the data is read from, so
// the two always match even while schema and data writes continue.
//
// Things stream straight from the key space to the file: attributes first (so that a streaming importer meets
// every owned attribute before its owners), then entities, then relations, each in IID order. A thing's
// ownerships and role players are read by walking the HAS and ROLE keyspaces in step with the things (same
// order), so nothing is looked up per thing and nothing is held in memory beyond one item. IDs are the base64
// of Strata's IIDs; role labels are scoped (`relation:role`); a role player repeated n times is written n times.
//
// The data file is written by the codec's ItemWriter (temporary file, renamed over the target on success), and
// the schema file the same way, so a failed export never destroys an earlier one.

import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TYPEDB_COMPATIBLE_VERSION } from '../common/version.js';
import type { Database } from '../database/database.js';
import { Keyspace, ThingKind, decodeValueRecord, schemaKey } from '../encoding/index.js';
import { labelText } from '../concept/concepts.js';
import { TypeGraph, printSchema } from '../schema/index.js';
import type { Snapshot } from '../storage/api.js';
import { ItemWriter, type Checksums, type RolePlayers } from './codec/index.js';
import { ExportErrors } from './errors.js';

export interface ExportOptions {
  /** The .typedb data file to write (replaced atomically if it exists). */
  readonly dataFile: string;
  /** Also write the schema, as one define query, to this file. */
  readonly schemaFile?: string;
  /** The version the header names (default: the TypeDB version Strata is compatible with). */
  readonly typedbVersion?: string;
  /** Called every 64k items and at the end. */
  readonly onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress extends Checksums {
  /** Bytes of the data file written so far. */
  readonly bytes: number;
}

export interface ExportResult {
  readonly dataFile: string;
  readonly schemaFile: string | undefined;
  /** The checksums item written. */
  readonly checksums: Checksums;
  readonly bytes: number;
  /** The schema text written (also when no schema file was asked for). */
  readonly schema: string;
  /** HAS or ROLE keys whose owner or relation does not exist (skipped; a consistent store has none). */
  readonly danglingEdges: number;
  readonly milliseconds: number;
}

const PROGRESS_EVERY = 1 << 16;

/** The ID of the attribute at the end of a HAS key whose owner IID is `length` bytes. */
function ownershipId(key: Buffer, _value: Buffer, length: number): string {
  return key.toString('base64', 1 + length);
}

export async function exportDatabase(database: Database, options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const dataFile = resolve(options.dataFile);
  const schemaFile = options.schemaFile === undefined ? undefined : resolve(options.schemaFile);
  if (schemaFile === dataFile) throw ExportErrors.sameFile(dataFile);
  const snapshot = database.store.snapshot();
  let writer: ItemWriter | undefined;
  let schemaTemp: string | undefined;
  try {
    const stored = snapshot.get(schemaKey);
    const schema = stored === undefined ? new TypeGraph() : TypeGraph.deserialize(stored);
    const schemaText = printSchema(schema);
    if (schemaFile !== undefined) schemaTemp = await writeTemporary(schemaFile, schemaText);
    writer = await ItemWriter.open(dataFile, {
      typedbVersion: options.typedbVersion ?? TYPEDB_COMPATIBLE_VERSION,
      originalDatabase: database.name,
    });
    const walk = new ThingWalk(snapshot, schema, writer, options.onProgress);
    await walk.run(ThingKind.Attribute);
    await walk.run(ThingKind.Entity);
    await walk.run(ThingKind.Relation);
    const finished = await writer.finish();
    writer = undefined;
    if (schemaFile !== undefined) {
      await publishTemporary(schemaTemp!, schemaFile);
      schemaTemp = undefined;
    }
    options.onProgress?.({ ...finished.checksums, bytes: finished.bytes });
    return {
      dataFile: finished.path,
      schemaFile,
      checksums: finished.checksums,
      bytes: finished.bytes,
      schema: schemaText,
      danglingEdges: walk.dangling,
      milliseconds: Math.round(performance.now() - started),
    };
  } finally {
    snapshot.close();
    await writer?.abort();
    if (schemaTemp !== undefined) await unlink(schemaTemp).catch(() => undefined);
  }
}

/** Walks one kind of things together with their ownerships (and role players) and writes their items. */
class ThingWalk {
  dangling = 0;
  private readonly labels = new Map<number, string>();
  private items = 0;

  constructor(
    private readonly snapshot: Snapshot,
    private readonly schema: TypeGraph,
    private readonly writer: ItemWriter,
    private readonly onProgress: ExportOptions['onProgress'],
  ) {}

  async run(kind: ThingKind): Promise<void> {
    const snapshot = this.snapshot;
    const has = new PeekingCursor(snapshot.prefix(Uint8Array.of(Keyspace.Has, kind)));
    const roles = kind === ThingKind.Relation ? new PeekingCursor(snapshot.prefix(Uint8Array.of(Keyspace.Role, kind))) : undefined;
    try {
      let settled: Promise<void> | undefined;
      for (const [entryKey, value] of snapshot.prefix(Uint8Array.of(Keyspace.Thing, kind))) {
        // The store hands out Buffers (lmdb-js); base64 straight from them, without views.
        const key = entryKey as Buffer;
        const length = key.length - 1;
        const id = key.toString('base64', 1);
        const label = this.label((key[2]! << 8) | key[3]!);
        const ownerships = this.edges(has, key, length, ownershipId);
        let write: Promise<void>;
        if (kind === ThingKind.Attribute) {
          write = this.writer.write({ kind: 'attribute', id, label, ownerships, value: decodeValueRecord(value) });
        } else if (kind === ThingKind.Entity) {
          write = this.writer.write({ kind: 'entity', id, label, ownerships });
        } else {
          write = this.writer.write({ kind: 'relation', id, label, ownerships, roles: this.rolePlayers(roles!, key, length) });
        }
        // ItemWriter completes most writes at once and returns the same settled promise for them; only a new
        // promise (the buffer going to disk) needs a turn of the event loop.
        if (write !== settled) {
          await write;
          settled = write;
        }
        if ((++this.items & (PROGRESS_EVERY - 1)) === 0) this.onProgress?.({ ...this.writer.counts, bytes: this.writer.bytesWritten });
      }
    } finally {
      has.close();
      roles?.close();
    }
  }

  /**
   * The edges of the thing whose THING key is `thingKey`, from a cursor over edges keyed [keyspace][thing IID]…:
   * the cursor is in step with the things, so the thing's edges are at its head (earlier ones are dangling).
   */
  private edges<T>(cursor: PeekingCursor, thingKey: Uint8Array, length: number, map: (key: Buffer, value: Buffer, length: number) => T): T[] {
    const out: T[] = [];
    for (let head = cursor.head; head !== undefined; head = cursor.head) {
      const order = compareIid(head[0], thingKey, length);
      if (order > 0) break;
      if (order < 0) this.dangling++;
      else out.push(map(head[0], head[1], length));
      cursor.advance();
    }
    return out;
  }

  private rolePlayers(cursor: PeekingCursor, relationKey: Uint8Array, length: number): RolePlayers[] {
    const roles: RolePlayers[] = [];
    let roleId = -1;
    let players: string[] = [];
    const playerAt = 1 + length + 2;
    this.edges(cursor, relationKey, length, (key, value) => {
      const role = key.readUInt16BE(1 + length);
      if (role !== roleId) {
        roleId = role;
        players = [];
        roles.push({ label: this.roleLabel(role), players });
      }
      const player = key.toString('base64', playerAt);
      for (let n = value.readUInt32BE(0); n > 0; n--) players.push(player);
      return undefined;
    });
    return roles;
  }

  private label(typeId: number): string {
    let label = this.labels.get(typeId);
    if (label === undefined) {
      label = this.schema.byId(typeId)?.label.name ?? `#${typeId}`;
      this.labels.set(typeId, label);
    }
    return label;
  }

  private roleLabel(roleId: number): string {
    let label = this.labels.get(-1 - roleId);
    if (label === undefined) {
      const role = this.schema.byId(roleId);
      label = role === undefined ? `#${roleId}` : labelText(role.label);
      this.labels.set(-1 - roleId, label);
    }
    return label;
  }
}

/**
 * Compares the IID at the start of an edge key (after its keyspace byte) with the thing's IID (after the THING
 * keyspace byte, `length` bytes). IIDs are prefix-free, so comparing the thing's length of bytes decides.
 */
function compareIid(edgeKey: Uint8Array, thingKey: Uint8Array, length: number): number {
  for (let i = 1; i <= length; i++) {
    const difference = (edgeKey[i] ?? -1) - thingKey[i]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

class PeekingCursor {
  head: [Buffer, Buffer] | undefined;

  constructor(private readonly iterator: IterableIterator<[Uint8Array, Uint8Array]>) {
    this.advance();
  }

  advance(): void {
    const step = this.iterator.next();
    this.head = step.done === true ? undefined : (step.value as [Buffer, Buffer]);
  }

  close(): void {
    this.iterator.return?.();
    this.head = undefined;
  }
}

/** Writes text to a temporary file beside `path` and fsyncs it; publishTemporary renames it into place. */
async function writeTemporary(path: string, text: string): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o666);
    await handle.writeFile(text);
    await handle.sync();
  } catch (e) {
    await handle?.close();
    await unlink(temp).catch(() => undefined);
    throw ExportErrors.writeFailed(path, (e as Error).message, e);
  }
  await handle.close();
  return temp;
}

async function publishTemporary(temp: string, path: string): Promise<void> {
  try {
    await rename(temp, path);
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (e) {
    throw ExportErrors.writeFailed(path, (e as Error).message, e);
  }
}

