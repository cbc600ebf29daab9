// Scenario state of the behaviour suite (reference/behaviour-steps.md §2) and its lifecycle hooks.
// Cucumber builds one StrataWorld per scenario; every scenario gets its own engine instance over a fresh
// temporary data directory, so each one starts with no databases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { After, World, setDefaultTimeout, setWorldConstructor } from '@cucumber/cucumber';
import type {
  DatabaseManagerApi,
  JSONValue,
  Session,
  SessionType,
  Transaction,
  TransactionOptions,
  TransactionType,
} from '../src/database/api.js';
import type { Concept, ConceptMap } from '../src/concept/concepts.js';
import type { Value } from '../src/common/values.js';
import { loadEngine } from './engine.js';

/** Per-step limit; a synchronous hang is caught by the runner's per-scenario watchdog instead. */
export const STEP_TIMEOUT_MS = Number(process.env['STRATA_CONFORMANCE_STEP_TIMEOUT_MS']) || 20_000;
setDefaultTimeout(STEP_TIMEOUT_MS);

/** The database the reasoner features use; they never create one themselves. */
export const REASONER_DATABASE = 'typedb';

const ORIGINAL_TIME_ZONE = process.env['TZ'];

export interface AnswerGroup {
  readonly owner: Concept;
  readonly answers: readonly ConceptMap[];
}

export interface ValueGroup {
  readonly owner: Concept;
  readonly value: Value | undefined;
}

/** State of the `reasoning …` steps: their own sessions and read transaction, apart from the TypeQL steps'. */
export interface ReasoningState {
  session?: Session;
  tx?: Transaction;
  query?: string;
  answers?: ConceptMap[];
}

export class StrataWorld extends World {
  private engine?: DatabaseManagerApi;
  private dataDir?: string;

  /** Sessions in opening order; `tx()` is the first transaction of the first one. */
  readonly sessions: Session[] = [];
  readonly sessionsToTransactions = new Map<Session, Transaction[]>();
  /** `set session option …`: recorded; the embedded Session API has no options yet. */
  readonly sessionOptions = new Map<string, string>();
  transactionOptions: TransactionOptions = {};

  // Answer registers, cleared by every `get answer(s) of …` step.
  answers: ConceptMap[] = [];
  /** undefined until an aggregate query ran; then its value (undefined value = empty aggregate). */
  aggregate: { readonly value: Value | undefined } | undefined;
  answerGroups: AnswerGroup[] = [];
  valueAnswerGroups: ValueGroup[] = [];
  fetchAnswers: JSONValue[] = [];

  reasoning: ReasoningState = {};

  /** Concept-API variables (`$x`) → IID, or null when a lookup found nothing; they survive transactions. */
  readonly things = new Map<string, string | null>();

  /** `connection opens with default authentication`: a fresh engine over a fresh data directory. */
  async connect(): Promise<DatabaseManagerApi> {
    if (this.engine) return this.engine;
    const open = await loadEngine();
    const base = process.env['STRATA_CONFORMANCE_TMP'] || tmpdir();
    this.dataDir ??= mkdtempSync(join(base, 'scenario-'));
    this.engine = await open(this.dataDir);
    return this.engine;
  }

  get isConnected(): boolean {
    return this.engine !== undefined;
  }

  get manager(): DatabaseManagerApi {
    if (!this.engine) throw new Error('no connection: the scenario has not run `connection opens with default authentication`');
    return this.engine;
  }

  /** `connection closes`. */
  disconnect(): void {
    const engine = this.engine;
    this.engine = undefined;
    engine?.close();
  }

  /** Every test transaction reasons (TypeDB's harnesses open all of them with infer = true). */
  openTransaction(session: Session, type: TransactionType): Transaction {
    return session.transaction(type, { ...this.transactionOptions, infer: true });
  }

  openSession(database: string, type: SessionType): Session {
    const session = this.manager.session(database, type);
    this.sessions.push(session);
    return session;
  }

  /** The transaction the TypeQL steps act on: the first transaction of the first session. */
  tx(): Transaction {
    const session = this.sessions[0];
    if (!session) throw new Error('no session is open');
    const tx = this.sessionsToTransactions.get(session)?.[0];
    if (!tx) throw new Error('the first session has no transaction open');
    return tx;
  }

  transactionsOf(session: Session): Transaction[] {
    const transactions = this.sessionsToTransactions.get(session);
    if (!transactions) throw new Error(`session for database ${session.databaseName} has no transactions`);
    return transactions;
  }

  clearAnswers(): void {
    this.answers = [];
    this.aggregate = undefined;
    this.answerGroups = [];
    this.valueAnswerGroups = [];
    this.fetchAnswers = [];
  }

  closeAllSessions(): void {
    for (const session of this.sessions) {
      for (const tx of this.sessionsToTransactions.get(session) ?? []) quietly(() => tx.isOpen() && tx.close());
      this.sessionsToTransactions.delete(session);
      quietly(() => session.isOpen() && session.close());
    }
    this.sessions.length = 0;
  }

  closeReasoning(): void {
    const { tx, session } = this.reasoning;
    if (tx) quietly(() => tx.isOpen() && tx.close());
    if (session) quietly(() => session.isOpen() && session.close());
    this.reasoning = {};
  }

  /** End of scenario: close everything, drop the data directory, restore the time zone. */
  dispose(): void {
    try {
      this.closeReasoning();
      this.closeAllSessions();
      this.disconnect();
    } finally {
      if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
      this.dataDir = undefined;
      restoreTimeZone();
    }
  }
}

/** Closing what is already broken must not hide the scenario's real outcome. */
function quietly(action: () => unknown): void {
  try {
    action();
  } catch {
    // the session or transaction is unusable either way
  }
}

export function restoreTimeZone(): void {
  if (ORIGINAL_TIME_ZONE === undefined) delete process.env['TZ'];
  else process.env['TZ'] = ORIGINAL_TIME_ZONE;
}

setWorldConstructor(StrataWorld);

After(function (this: StrataWorld) {
  this.dispose();
});
