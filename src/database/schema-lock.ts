// The schema lock of one database, as TypeDB 2.x has it: a schema session holds it exclusively for its whole life,
// and a data write transaction holds it shared while it is open. So the schema never changes under a data write,
// and a schema session waits until the data writes in progress have ended. The embedded API fails at once when the
// lock is taken; the server retries until the client's `schema_lock_acquire_timeout_millis` has passed, and a schema
// session it retries for holds new data writes back meanwhile.
import { StrataError } from '../common/errors.js';

/**
 * How long a schema session that failed to take the lock, and retries (`queue`), keeps new data writes out. The
 * server retries every 10 ms; a waiter that gives up stops renewing it, and data writes resume this long after.
 */
const QUEUED_SCHEMA_MILLIS = 100;

export class SchemaLock {
  /** The schema session holding the lock, if any. */
  private schemaHolder: object | undefined;
  private dataWriters = 0;
  /** Until when (Date.now()) a retrying schema session waits for the lock: data writes do not begin before then. */
  private schemaQueuedUntil = 0;

  /**
   * Takes the lock for a schema session; false while another schema session or a data write holds it. With `queue`
   * (a caller that will retry), new data writes then wait behind it, as behind a queued writer of TypeDB's
   * StampedLock: otherwise data writes that keep overlapping would keep the schema session out for good.
   */
  tryLockSchema(holder: object, queue = false): boolean {
    if (this.schemaHolder === undefined && this.dataWriters === 0) {
      this.schemaHolder = holder;
      this.schemaQueuedUntil = 0; // another waiter renews its own place at its next attempt
      return true;
    }
    if (queue) this.schemaQueuedUntil = Date.now() + QUEUED_SCHEMA_MILLIS;
    return false;
  }

  unlockSchema(holder: object): void {
    if (this.schemaHolder === holder) this.schemaHolder = undefined;
  }

  /** Takes the lock shared for a data write transaction; false while a schema session holds it or waits for it. */
  tryLockData(): boolean {
    if (this.schemaHolder !== undefined || Date.now() < this.schemaQueuedUntil) return false;
    this.dataWriters++;
    return true;
  }

  unlockData(): void {
    if (this.dataWriters > 0) this.dataWriters--;
  }
}

export const SchemaLockErrors = {
  /** A schema session, or a schema session's second write transaction, could not take the lock (TypeDB's SSN03). */
  schemaSession: () =>
    new StrataError('SSN', 3, 'Could not acquire lock for schema session. Another schema session may have been left open.'),
  /** A data write transaction could not take the lock (TypeDB's TXN16). */
  dataTransaction: () => new StrataError('TXN', 16, 'Could not acquire lock for data transaction. A schema session may have been left open.'),
};

/** Whether the error says only that the schema lock was taken (worth retrying until a timeout). */
export function isSchemaLockBusy(e: unknown): boolean {
  return e instanceof StrataError && (e.code === 'SSN03' || e.code === 'TXN16');
}
