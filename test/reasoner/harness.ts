// A database in a temporary directory, driven by TypeQL text, for the reasoner's end-to-end tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../../src/database/index.js';
import type { DatabaseManagerApi, Transaction } from '../../src/database/api.js';
import type { Concept, ConceptMap } from '../../src/concept/concepts.js';

export class ReasoningDatabase {
  private readonly dir = mkdtempSync(join(tmpdir(), 'strata-reasoner-'));
  readonly manager: DatabaseManagerApi = openDatabaseManager(this.dir);

  constructor(schema: string, data?: string) {
    this.manager.create('db');
    this.write('schema', schema);
    if (data !== undefined) this.write('data', data);
  }

  write(session: 'schema' | 'data', query: string): void {
    const s = this.manager.session('db', session);
    try {
      const tx = s.transaction('write', { infer: true });
      tx.query(query);
      tx.commit();
    } finally {
      s.close();
    }
  }

  /** Runs `work` in a data transaction (read unless told), closing it afterwards. */
  with<T>(work: (tx: Transaction) => T, options: { type?: 'read' | 'write'; infer?: boolean } = {}): T {
    const s = this.manager.session('db', 'data');
    try {
      const tx = s.transaction(options.type ?? 'read', { infer: options.infer ?? true });
      try {
        return work(tx);
      } finally {
        if (tx.isOpen()) tx.close();
      }
    } finally {
      s.close();
    }
  }

  close(): void {
    this.manager.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function get(tx: Transaction, query: string): ConceptMap[] {
  const result = tx.query(query);
  if (result.kind !== 'get') throw new Error(`not a get query: ${query}`);
  return [...result.answers];
}

/** The concept bound to a variable in an answer. */
export function concept(answer: ConceptMap, name: string): Concept {
  const c = answer.get(name);
  if (!c) throw new Error(`no variable ${name} in the answer`);
  return c;
}

/** Values of an attribute variable, sorted. */
export function values(answers: readonly ConceptMap[], name: string): string[] {
  return answers
    .map((a) => {
      const c = concept(a, name);
      if (c.kind !== 'attribute') throw new Error(`${name} is not an attribute`);
      return String(c.value.value);
    })
    .sort();
}
