// The console's link to the server: one typedb-driver connection, and the session + transaction that the
// `transaction <db> …` command opens. Every failure becomes a ConsoleError worded as TypeDB's console words it.
import { SessionType, TransactionType, TypeDB, TypeDBOptions, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import type { SessionKind, TransactionKind, TransactionOptions } from './commands.js';
import { ConsoleError, MESSAGES, errorText } from './errors.js';
import { notATypeDBServer, notATypeDBServerAnswer, somethingListens, withinAnswerTime } from '../common/server-probe.js';

export async function connect(address: string): Promise<TypeDBDriver> {
  // grpc-js would take 'http://host:port' for a URI of an unknown scheme and fail as if no server were running.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(address);
  if (scheme) throw new ConsoleError(MESSAGES.schemeInAddress(address, scheme[0]));
  const port = /:(\d+)$/.exec(address);
  if (!port) throw new ConsoleError(/:[^:\]]*$/.test(address) ? MESSAGES.invalidPort(address) : MESSAGES.missingPort(address));
  // Out of range, the probe below would fail with Node's own RangeError text.
  const portNumber = Number(port[1]);
  if (portNumber < 1 || portNumber > 65535) throw new ConsoleError(MESSAGES.invalidPort(address));
  // Nothing listening: the driver fails at once, with TypeDB's text. Something listening: the driver would wait
  // forever for a listener that is not a TypeDB server, so it gets a time limit.
  const host = address.slice(0, port.index).replace(/^\[(.*)\]$/, '$1');
  const listening = await somethingListens(host, portNumber);
  try {
    const driver = TypeDB.coreDriver(address);
    return listening ? await withinAnswerTime(driver, () => new ConsoleError(notATypeDBServer(address))) : await driver;
  } catch (e) {
    const text = errorText(e, address);
    // A listener that fails the connection at once (an HTTP/1 server) is running: "check the server is running"
    // would send the user looking in the wrong place.
    // One that speaks HTTP/2 but is not a gRPC server (a web server, a proxy) answers with an HTTP status instead.
    const refused = text === MESSAGES.connectionFailed(address) || /Received HTTP status code \d+/.test(text);
    if (listening && refused && (await somethingListens(host, portNumber))) {
      throw new ConsoleError(notATypeDBServerAnswer(address));
    }
    throw new ConsoleError(text);
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
   * mode (the transaction inherits them) and to both in the REPL. Both here, but for the session idle timeout:
   * a server refuses it on a transaction (`[SSN04]`), which failed `--session-idle-timeout` in TypeDB's REPL.
   */
  static async open(driver: TypeDBDriver, request: TransactionRequest, address: string): Promise<OpenTransaction> {
    const { sessionIdleTimeoutMillis, ...transactionOptions } = request.options;
    const sessionOptions = () => new TypeDBOptions({ ...request.options });
    const options = () => new TypeDBOptions({ ...transactionOptions });
    const sessionType = request.session === 'schema' ? SessionType.SCHEMA : SessionType.DATA;
    let session: TypeDBSession;
    try {
      session = await driver.session(request.database, sessionType, sessionOptions());
    } catch (e) {
      throw new ConsoleError(errorText(e, address));
    }
    try {
      const tx = await quietly(() => session.transaction(request.transaction === 'read' ? TransactionType.READ : TransactionType.WRITE, options()));
      return new OpenTransaction(request, session, tx);
    } catch (e) {
      if (session.isOpen()) await quietly(() => session.close());
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
    if (this.session.isOpen()) await quietly(() => this.session.close());
  }

  /** Commits; the driver closes the transaction either way. */
  async commit(): Promise<void> {
    try {
      await this.tx.commit();
    } finally {
      if (this.session.isOpen()) await quietly(() => this.session.close());
    }
  }
}

/** Closes the connection; a server already gone is no news at that point (the driver would print its stack). */
export function closeDriver(driver: TypeDBDriver): Promise<void> {
  return quietly(() => driver.close());
}

/**
 * typedb-driver logs "Session closed on remote server … Attempting to reconnect…" with console.info when a
 * transaction fails to open, and a failed session close with console.warn and the whole gRPC error (stack and
 * metadata); on a console that would land in the middle of the user's output.
 */
async function quietly<T>(body: () => Promise<T>): Promise<T> {
  const { info, warn } = console;
  console.info = () => {};
  console.warn = () => {};
  try {
    return await body();
  } finally {
    console.info = info;
    console.warn = warn;
  }
}
