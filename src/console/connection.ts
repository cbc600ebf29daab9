// The console's link to the server: one typedb-driver connection, and the session + transaction that the
// `transaction <db> …` command opens. Every failure becomes a ConsoleError worded as TypeDB's console words it.
import { SessionType, TransactionType, TypeDB, TypeDBOptions, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import type { SessionKind, TransactionKind, TransactionOptions } from './commands.js';
import { ConsoleError, MESSAGES, errorText } from './errors.js';

export async function connect(address: string): Promise<TypeDBDriver> {
  if (!/:\d+$/.test(address)) throw new ConsoleError(MESSAGES.missingPort(address));
  try {
    return await TypeDB.coreDriver(address);
  } catch (e) {
    throw new ConsoleError(errorText(e, address));
  }
}

export interface TransactionRequest {
  readonly database: string;
  readonly session: SessionKind;
  readonly transaction: TransactionKind;
  readonly options: TransactionOptions;
}

/** A session with its one transaction, as the console holds them between `transaction …` and commit/close. */
export class OpenTransaction {
  private constructor(
    readonly request: TransactionRequest,
    private readonly session: TypeDBSession,
    readonly tx: TypeDBTransaction,
  ) {}

  /**
   * Opens the session and the transaction. TypeDB's console gives the options to the session only in script
   * mode (the transaction inherits them) and to both in the REPL; the effect is the same.
   */
  static async open(driver: TypeDBDriver, request: TransactionRequest, address: string): Promise<OpenTransaction> {
    const options = () => new TypeDBOptions({ ...request.options });
    const sessionType = request.session === 'schema' ? SessionType.SCHEMA : SessionType.DATA;
    let session: TypeDBSession;
    try {
      session = await driver.session(request.database, sessionType, options());
    } catch (e) {
      throw new ConsoleError(errorText(e, address));
    }
    try {
      const tx = await quietly(() => session.transaction(request.transaction === 'read' ? TransactionType.READ : TransactionType.WRITE, options()));
      return new OpenTransaction(request, session, tx);
    } catch (e) {
      if (session.isOpen()) await session.close();
      throw new ConsoleError(errorText(e, address));
    }
  }

  /** `<db>::<schema|data>::<read|write>`, the prompt without its `*` and `> `. */
  get promptBase(): string {
    return `${this.request.database}::${this.request.session}::${this.request.transaction}`;
  }

  get isWrite(): boolean {
    return this.request.transaction === 'write';
  }

  /** Closes the transaction (rolling back anything uncommitted) and the session. */
  async close(): Promise<void> {
    if (this.tx.isOpen()) await this.tx.close();
    if (this.session.isOpen()) await this.session.close();
  }

  /** Commits; the driver closes the transaction either way. */
  async commit(): Promise<void> {
    try {
      await this.tx.commit();
    } finally {
      if (this.session.isOpen()) await this.session.close();
    }
  }
}

/**
 * typedb-driver logs "Session closed on remote server … Attempting to reconnect…" with console.info when a
 * transaction fails to open; on a console that would land in the middle of the user's output.
 */
async function quietly<T>(body: () => Promise<T>): Promise<T> {
  const info = console.info;
  console.info = () => {};
  try {
    return await body();
  } finally {
    console.info = info;
  }
}
