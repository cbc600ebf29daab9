// Scenario state of the behaviour suite (reference/behaviour-steps.md §2) and its lifecycle hooks.
// Cucumber builds one StrataWorld per scenario. The engine (engine/: embedded in this process, or a server process
// through the driver) guarantees that every scenario starts with no databases; the `After` hook closes what the
// scenario left open and has the engine clean up.
import { After, BeforeAll, World, setDefaultTimeout, setWorldConstructor } from '@cucumber/cucumber';
import type { ConceptMap } from '../src/concept/concepts.js';
import type { Value } from '../src/common/values.js';
import {
  harnessEngine,
  type AnswerGroup,
  type HarnessConnection,
  type HarnessSession,
  type HarnessTransaction,
  type HarnessSessionOptions,
  type HarnessTransactionOptions,
  type JSONValue,
  type SessionType,
  type TransactionType,
  type ValueGroup,
} from './engine/index.js';

export type { AnswerGroup, ValueGroup };

/** Per-step limit; a synchronous hang is caught by the runner's per-scenario watchdog instead. */
export const STEP_TIMEOUT_MS = Number(process.env['STRATA_CONFORMANCE_STEP_TIMEOUT_MS']) || 20_000;
setDefaultTimeout(STEP_TIMEOUT_MS);

/** The database the reasoner features use; they never create one themselves. */
export const REASONER_DATABASE = 'typedb';

const ORIGINAL_TIME_ZONE = process.env['TZ'];

/** State of the `reasoning …` steps: their own sessions and read transaction, apart from the TypeQL steps'. */
export interface ReasoningState {
  session?: HarnessSession;
  tx?: HarnessTransaction;
  query?: string;
  answers?: ConceptMap[];
}

export class StrataWorld extends World {
  private connection?: HarnessConnection;

  /** Sessions in opening order; `tx()` is the first transaction of the first one. */
  readonly sessions: HarnessSession[] = [];
  readonly sessionsToTransactions = new Map<HarnessSession, HarnessTransaction[]>();
  /** `set session option …`: for the sessions opened after it. */
  sessionOptions: HarnessSessionOptions = {};
  transactionOptions: HarnessTransactionOptions = {};

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

  /** `connection opens with default authentication`. */
  async connect(): Promise<HarnessConnection> {
    this.connection ??= await harnessEngine().connect();
    return this.connection;
  }

  get isConnected(): boolean {
    return this.connection !== undefined;
  }

  get manager(): HarnessConnection {
    if (!this.connection) throw new Error('no connection: the scenario has not run `connection opens with default authentication`');
    return this.connection;
  }

  /** `connection closes`. */
  async disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  /** Every test transaction reasons (TypeDB's harnesses open all of them with infer = true). */
  openTransaction(session: HarnessSession, type: TransactionType): Promise<HarnessTransaction> {
    return session.transaction(type, { ...this.transactionOptions, infer: true });
  }

  async openSession(database: string, type: SessionType): Promise<HarnessSession> {
    const session = await this.manager.session(database, type, this.sessionOptions);
    this.sessions.push(session);
    return session;
  }

  /** The transaction the TypeQL steps act on: the first transaction of the first session. */
  tx(): HarnessTransaction {
    const session = this.sessions[0];
    if (!session) throw new Error('no session is open');
    const tx = this.sessionsToTransactions.get(session)?.[0];
    if (!tx) throw new Error('the first session has no transaction open');
    return tx;
  }

  transactionsOf(session: HarnessSession): HarnessTransaction[] {
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

  async closeAllSessions(): Promise<void> {
    for (const session of this.sessions) {
      for (const tx of this.sessionsToTransactions.get(session) ?? []) await quietly(async () => (await tx.isOpen()) && tx.close());
      this.sessionsToTransactions.delete(session);
      await quietly(async () => (await session.isOpen()) && session.close());
    }
    this.sessions.length = 0;
  }

  async closeReasoning(): Promise<void> {
    const { tx, session } = this.reasoning;
    if (tx) await quietly(async () => (await tx.isOpen()) && tx.close());
    if (session) await quietly(async () => (await session.isOpen()) && session.close());
    this.reasoning = {};
  }

  /** End of scenario: close everything, have the engine drop the scenario's databases, restore the time zone. */
  async dispose(): Promise<void> {
    try {
      await this.closeReasoning();
      await this.closeAllSessions();
      await this.disconnect();
    } finally {
      restoreTimeZone();
      await harnessEngine().endScenario();
    }
  }
}

/** Closing what is already broken must not hide the scenario's real outcome. */
async function quietly(action: () => unknown): Promise<void> {
  try {
    await action();
  } catch {
    // the session or transaction is unusable either way
  }
}

export function restoreTimeZone(): void {
  if (ORIGINAL_TIME_ZONE === undefined) delete process.env['TZ'];
  else process.env['TZ'] = ORIGINAL_TIME_ZONE;
}

setWorldConstructor(StrataWorld);

/** Starting the driver mode's server (a cold tsx cache can take seconds) is not any scenario's time. */
const PREPARE_TIMEOUT_MS = 90_000;

BeforeAll({ timeout: PREPARE_TIMEOUT_MS }, async function () {
  await harnessEngine().prepare();
});

After(async function (this: StrataWorld) {
  await this.dispose();
});
