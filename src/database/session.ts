// A session: a database and a type (schema or data); transactions are opened through it.
import { StrataError } from '../common/errors.js';
import type { Session, SessionType, Transaction, TransactionOptions, TransactionType } from './api.js';
import type { Database } from './database.js';
import { TransactionImpl } from './transaction.js';
import { SchemaLockErrors } from './schema-lock.js';

export class SessionImpl implements Session {
  private open = true;
  private readonly transactions = new Set<TransactionImpl>();
  /** A schema session's one write transaction at a time. */
  private schemaWriter: TransactionImpl | undefined;

  constructor(
    private readonly database: Database,
    readonly type: SessionType,
    private readonly onClose: (s: SessionImpl) => void,
  ) {}

  get databaseName(): string {
    return this.database.name;
  }

  isOpen(): boolean {
    return this.open && this.database.isOpen();
  }

  transaction(type: TransactionType, options: TransactionOptions = {}): Transaction {
    if (!this.isOpen()) {
      // TypeDB 2.x's texts.
      if (!this.database.isOpen()) throw new StrataError('DBS', 7, `Database with the name '${this.database.name}' has been deleted.`);
      throw new StrataError('SSN', 2, 'Attempted to open a transaction from closed session.');
    }
    // The schema lock (schema-lock.ts): shared for a data write; a schema session holds it already, and has one
    // write transaction at a time.
    const lock = this.database.schemaLock;
    const dataWrite = type === 'write' && this.type === 'data';
    const schemaWrite = type === 'write' && this.type === 'schema';
    if (schemaWrite && this.schemaWriter !== undefined) throw SchemaLockErrors.schemaSession();
    if (dataWrite && !lock.tryLockData()) throw SchemaLockErrors.dataTransaction();
    let tx: TransactionImpl;
    try {
      tx = new TransactionImpl(this.database, this.type, type, options, (t) => {
        this.transactions.delete(t);
        if (dataWrite) lock.unlockData();
        if (schemaWrite && this.schemaWriter === t) this.schemaWriter = undefined;
      });
    } catch (e) {
      if (dataWrite) lock.unlockData();
      throw e;
    }
    if (schemaWrite) this.schemaWriter = tx;
    this.transactions.add(tx);
    return tx;
  }

  /** Open transactions (used by the server's leak checks). */
  get openTransactions(): number {
    return this.transactions.size;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const tx of [...this.transactions]) tx.close();
    this.onClose(this);
  }
}
