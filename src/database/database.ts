// One database: its directory, its store, its current schema, and its open sessions.
import { join } from 'node:path';
import type { Store } from '../storage/api.js';
import { DATA_FILE, openStore } from '../storage/index.js';
import { TypeGraph } from '../schema/index.js';
import { schemaKey } from '../encoding/index.js';
import type { SessionOptions, SessionType } from './api.js';
import { SchemaLock, SchemaLockErrors } from './schema-lock.js';
import { SessionImpl } from './session.js';
import { Sequences } from './sequences.js';
import { InstanceStatistics } from '../concept/statistics.js';
import { checkNotCopiedWhileOpen, clearInUse, markInUse } from './in-use-marker.js';
import { StrataError } from '../common/errors.js';

export const STORE_DIR = 'store';

export class Database {
  readonly store: Store;
  readonly sequences: Sequences;
  readonly statistics = new InstanceStatistics();
  private currentSchema: TypeGraph;
  private version = 0;
  private open = true;
  private readonly sessions = new Set<SessionImpl>();
  readonly schemaLock = new SchemaLock();

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    const dataFile = join(dir, STORE_DIR, DATA_FILE);
    checkNotCopiedWhileOpen(name, dir, dataFile);
    // Only create() makes a store (before the directory gets its name): opening never creates one.
    this.store = openStore(join(dir, STORE_DIR), { create: false });
    try {
      markInUse(dir, dataFile);
    } catch (e) {
      this.store.close();
      throw new StrataError(
        'DBS',
        23,
        `Database '${name}' at '${dir}' could not be opened: marking it in use failed (${(e as Error).message}). ` +
          "Let the server's user write the directory, then restart the server.",
      );
    }
    this.sequences = new Sequences(this.store);
    const snapshot = this.store.snapshot();
    try {
      const bytes = snapshot.get(schemaKey);
      this.currentSchema = bytes ? TypeGraph.deserialize(bytes) : new TypeGraph();
    } finally {
      snapshot.close();
    }
  }

  get schema(): TypeGraph {
    return this.currentSchema;
  }

  /** Incremented by every committed schema change; data transactions opened before it cannot commit. */
  get schemaVersion(): number {
    return this.version;
  }

  replaceSchema(schema: TypeGraph): void {
    this.currentSchema = schema;
    this.version++;
    this.statistics.forgetDeletedTypes((id) => schema.byId(id) !== undefined);
  }

  isOpen(): boolean {
    return this.open;
  }

  /**
   * A new session; a schema session takes the schema lock for its whole life (SSN03 while it is taken; with
   * `queueForSchemaLock`, the caller retries, and new data writes wait behind it meanwhile: see SchemaLock).
   */
  session(type: SessionType, options: SessionOptions = {}): SessionImpl {
    const session = new SessionImpl(this, type, (s) => {
      this.sessions.delete(s);
      if (type === 'schema') this.schemaLock.unlockSchema(s);
    });
    if (type === 'schema' && !this.schemaLock.tryLockSchema(session, options.queueForSchemaLock)) throw SchemaLockErrors.schemaSession();
    this.sessions.add(session);
    return session;
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  close(): void {
    if (!this.open) return;
    for (const s of [...this.sessions]) s.close();
    this.open = false;
    this.store.close();
    clearInUse(this.dir);
  }
}
