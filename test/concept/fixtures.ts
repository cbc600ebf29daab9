// A fresh database in a temporary directory for Concept API tests, with helpers to set up schema and data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { openDatabaseManager, type DatabaseManager } from '../../src/database/index.js';
import type { Session, SessionType, Transaction, TransactionType } from '../../src/database/api.js';

export const DB = 'concepts';

export class Fixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'strata-concepts-'));
  readonly manager: DatabaseManager = openDatabaseManager(this.dir);

  constructor(schema?: string) {
    this.manager.create(DB);
    if (schema !== undefined) this.write('schema', (tx) => tx.query(schema));
  }

  private session: Session | undefined;

  /**
   * A new transaction, on the fixture's open session if it has that type, else on a new one: the other is closed
   * first (with its transactions), as a schema session holds the schema lock that data writes need.
   */
  tx(session: SessionType, type: TransactionType): Transaction {
    if (this.session?.type !== session || !this.session.isOpen()) {
      this.session?.close();
      this.session = this.manager.session(DB, session);
    }
    return this.session.transaction(type);
  }

  /** Runs `work` in a write transaction of that session type and commits; returns what `work` returned. */
  write<T>(session: SessionType, work: (tx: Transaction) => T): T {
    const tx = this.tx(session, 'write');
    const result = work(tx);
    tx.commit();
    return result;
  }

  read<T>(session: SessionType, work: (tx: Transaction) => T): T {
    const tx = this.tx(session, 'read');
    try {
      return work(tx);
    } finally {
      tx.close();
    }
  }

  dispose(): void {
    this.manager.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a test body against a fresh fixture and always cleans it up. */
export function withFixture(schema: string | undefined, body: (f: Fixture) => void): () => void {
  return () => {
    const fixture = new Fixture(schema);
    try {
      body(fixture);
    } finally {
      fixture.dispose();
    }
  };
}

/** Asserts that `action` throws a StrataError whose text contains `code` (e.g. `TYW03`). */
export function throwsCode(action: () => unknown, code: string): void {
  assert.throws(action, (e: unknown) => e instanceof Error && e.message.includes(`[${code}]`), `expected [${code}]`);
}

export function labelsOf(types: Iterable<{ label: { scope?: string; name: string } }>): string[] {
  return [...types].map((t) => (t.label.scope === undefined ? t.label.name : `${t.label.scope}:${t.label.name}`)).sort();
}
