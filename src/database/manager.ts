// The databases of one data directory: discovery at start-up (with the encoding-version check), create, list,
// delete. A database that cannot be opened is refused alone; the others are served.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StrataError } from '../common/errors.js';
import type { DatabaseManagerApi, Session, SessionType } from './api.js';
import { Database } from './database.js';
import { hasManifest, readAndCheckManifest, writeManifest } from './manifest.js';
import { printSchema } from '../schema/index.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class DatabaseManager implements DatabaseManagerApi {
  readonly dataDir: string;
  private readonly databases = new Map<string, Database>();
  /** Databases found on disk that could not be opened, with the reason. */
  readonly refused = new Map<string, StrataError>();
  private open = true;

  constructor(dataDir: string) {
    this.dataDir = resolve(dataDir);
    mkdirSync(this.dataDir, { recursive: true });
    for (const entry of readdirSync(this.dataDir)) {
      const dir = join(this.dataDir, entry);
      if (entry.startsWith('.') || !statSync(dir).isDirectory() || !hasManifest(dir)) continue;
      try {
        readAndCheckManifest(entry, dir);
        this.databases.set(entry, new Database(entry, dir));
      } catch (e) {
        this.refused.set(entry, e instanceof StrataError ? e : new StrataError('DBS', 12, `Database '${entry}' at '${dir}' could not be opened: ${(e as Error).message}`));
      }
    }
  }

  private assertOpen(): void {
    if (!this.open) throw new StrataError('SRV', 1, 'The database manager has been closed.');
  }

  create(name: string): void {
    this.assertOpen();
    if (!NAME_PATTERN.test(name)) {
      throw new StrataError('DBS', 3, `'${name}' is not a valid database name: use letters, digits, '_', '-' and '.', starting with a letter or digit.`);
    }
    if (this.databases.has(name) || this.refused.has(name)) {
      throw new StrataError('DBS', 2, `The database with the name '${name}' already exists.`);
    }
    const dir = join(this.dataDir, name);
    if (existsSync(dir)) {
      throw new StrataError('DBS', 4, `Cannot create database '${name}': '${dir}' already exists but is not a database. Move it away first.`);
    }
    // Build the directory under a temporary name so that a crash never leaves a half-created database.
    const staging = join(this.dataDir, `.creating-${name}-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    writeManifest(staging);
    renameSync(staging, dir);
    this.databases.set(name, new Database(name, dir));
  }

  contains(name: string): boolean {
    this.assertOpen();
    return this.databases.has(name);
  }

  all(): string[] {
    this.assertOpen();
    return [...this.databases.keys()].sort();
  }

  get(name: string): Database {
    this.assertOpen();
    const db = this.databases.get(name);
    if (db) return db;
    const refusal = this.refused.get(name);
    if (refusal) throw refusal;
    throw new StrataError('DBS', 1, `The database '${name}' does not exist.`);
  }

  delete(name: string): void {
    const db = this.get(name);
    db.close();
    this.databases.delete(name);
    // Rename first, so that a crash mid-delete never leaves a half-deleted database that looks valid.
    const trash = join(this.dataDir, `.deleting-${name}-${process.pid}-${Date.now()}`);
    renameSync(db.dir, trash);
    rmSync(trash, { recursive: true, force: true });
  }

  session(database: string, type: SessionType): Session {
    return this.get(database).session(type);
  }

  schema(database: string): string {
    return printSchema(this.get(database).schema);
  }

  close(): void {
    if (!this.open) return;
    for (const db of this.databases.values()) db.close();
    this.databases.clear();
    this.open = false;
  }
}
