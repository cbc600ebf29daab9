// The embedded mode: the harness interface as a thin asynchronous wrapper over the synchronous embedded API
// (src/database/api.ts) in this process. Every call runs to completion synchronously and hands back a settled
// promise, so this mode keeps the speed of calling the engine directly. Each scenario gets a fresh data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  DatabaseManagerApi,
  QueryResult,
  Session,
  SessionType,
  Transaction,
  TransactionType,
} from '../../src/database/api.js';
import type { AttributeConcept, ConceptMap, ThingConcept } from '../../src/concept/concepts.js';
import type { Value } from '../../src/common/values.js';
import { loadEngine } from './embedded-module.js';
import type {
  AnswerGroup,
  Async,
  HarnessConceptApi,
  HarnessConnection,
  HarnessEngine,
  HarnessSession,
  HarnessTransaction,
  HarnessTransactionOptions,
  JSONValue,
  ValueGroup,
} from './harness-engine.js';

/** A call's outcome as a settled promise: a synchronous throw becomes a rejection. */
function settle<T>(action: () => T): Promise<T> {
  try {
    return Promise.resolve(action());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Lazy iterables (instances, players…) are read to the end at once, while the transaction is as the call left it. */
function collected(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Symbol.iterator in value ? Array.from(value as Iterable<unknown>) : value;
}

/** The asynchronous form of a synchronous API object: same methods, results collected and settled. */
function asynchronous<T extends object>(api: T): Async<T> {
  return new Proxy(api, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => settle(() => collected(member.apply(target, args)));
    },
  }) as unknown as Async<T>;
}

type Kind = QueryResult['kind'];
/** The result variants that can carry kind K (some variants cover two kinds, e.g. insert | update). */
type ResultOf<K extends Kind> = QueryResult extends infer R
  ? R extends { readonly kind: infer RK }
    ? K extends RK
      ? R
      : never
    : never
  : never;

class EmbeddedTransaction implements HarnessTransaction {
  constructor(private readonly tx: Transaction) {}

  get type(): TransactionType {
    return this.tx.type;
  }

  /** Runs the query to completion (lazy answers are consumed, so late errors surface) and checks its kind. */
  private run<K extends Kind, T>(text: string, expected: K, read: (result: ResultOf<K>) => T): Promise<T> {
    return settle(() => {
      const result = this.tx.query(text);
      if (result.kind !== expected) {
        throw new Error(`the step expects a ${expected} query, but the engine ran it as ${result.kind}:\n${text}`);
      }
      return read(result as ResultOf<K>);
    });
  }

  isOpen(): Promise<boolean> {
    return settle(() => this.tx.isOpen());
  }

  define(query: string): Promise<void> {
    return this.run(query, 'define', () => undefined);
  }

  undefine(query: string): Promise<void> {
    return this.run(query, 'undefine', () => undefined);
  }

  delete(query: string): Promise<void> {
    return this.run(query, 'delete', () => undefined);
  }

  insert(query: string): Promise<ConceptMap[]> {
    return this.run(query, 'insert', (r) => Array.from(r.answers));
  }

  update(query: string): Promise<ConceptMap[]> {
    return this.run(query, 'update', (r) => Array.from(r.answers));
  }

  get(query: string): Promise<ConceptMap[]> {
    return this.run(query, 'get', (r) => Array.from(r.answers));
  }

  getAggregate(query: string): Promise<Value | undefined> {
    return this.run(query, 'aggregate', (r) => r.value);
  }

  getGroup(query: string): Promise<AnswerGroup[]> {
    return this.run(query, 'group', (r) => Array.from(r.groups, (g) => ({ owner: g.owner, answers: Array.from(g.answers) })));
  }

  getGroupAggregate(query: string): Promise<ValueGroup[]> {
    return this.run(query, 'group-aggregate', (r) => Array.from(r.groups, (g) => ({ owner: g.owner, value: g.value })));
  }

  fetch(query: string): Promise<JSONValue[]> {
    return this.run(query, 'fetch', (r) => Array.from(r.answers));
  }

  keys(thing: ThingConcept): Promise<AttributeConcept[]> {
    return settle(() => this.tx.ownedAttributes(thing, { keysOnly: true }));
  }

  concepts(): HarnessConceptApi {
    const api = this.tx.concepts();
    return { types: asynchronous(api.types), things: asynchronous(api.things) };
  }

  commit(): Promise<void> {
    return settle(() => this.tx.commit());
  }

  rollback(): Promise<void> {
    return settle(() => this.tx.rollback());
  }

  close(): Promise<void> {
    return settle(() => this.tx.close());
  }
}

class EmbeddedSession implements HarnessSession {
  constructor(private readonly session: Session) {}

  get type(): SessionType {
    return this.session.type;
  }

  get databaseName(): string {
    return this.session.databaseName;
  }

  isOpen(): Promise<boolean> {
    return settle(() => this.session.isOpen());
  }

  transaction(type: TransactionType, options: HarnessTransactionOptions): Promise<HarnessTransaction> {
    return settle(() => new EmbeddedTransaction(this.session.transaction(type, options)));
  }

  close(): Promise<void> {
    return settle(() => this.session.close());
  }
}

class EmbeddedConnection implements HarnessConnection {
  constructor(private readonly manager: DatabaseManagerApi) {}

  create(database: string): Promise<void> {
    return settle(() => this.manager.create(database));
  }

  contains(database: string): Promise<boolean> {
    return settle(() => this.manager.contains(database));
  }

  all(): Promise<string[]> {
    return settle(() => this.manager.all());
  }

  delete(database: string): Promise<void> {
    return settle(() => this.manager.delete(database));
  }

  session(database: string, type: SessionType): Promise<HarnessSession> {
    return settle(() => new EmbeddedSession(this.manager.session(database, type)));
  }

  schema(database: string): Promise<string> {
    return settle(() => this.manager.schema(database));
  }

  close(): Promise<void> {
    return settle(() => this.manager.close());
  }
}

/**
 * Each scenario opens the engine over its own temporary data directory (under $STRATA_CONFORMANCE_TMP, which the
 * runner points at a RAM disk when there is one), so it starts with no databases; the directory is dropped after it.
 */
export class EmbeddedEngine implements HarnessEngine {
  readonly via = 'embedded' as const;
  private dataDir: string | undefined;

  /** Nothing to start: the engine is imported by the first scenario's `connection opens` (whose failure it is). */
  async prepare(): Promise<void> {}

  async connect(): Promise<HarnessConnection> {
    const open = await loadEngine();
    const base = process.env['STRATA_CONFORMANCE_TMP'] || tmpdir();
    // reconnecting within a scenario (`connection closes`, then `opens`) finds the same databases
    this.dataDir ??= mkdtempSync(join(base, 'scenario-'));
    return new EmbeddedConnection(await open(this.dataDir));
  }

  async endScenario(): Promise<void> {
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
    this.dataDir = undefined;
  }

  async shutdown(): Promise<void> {
    await this.endScenario();
  }
}
