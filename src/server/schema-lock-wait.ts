// Waiting for a database's schema lock, as TypeDB 2.x's server does: a schema session waits for the data writes in
// progress and for another schema session; a data write transaction waits for a schema session; both give up after
// the client's `schema_lock_acquire_timeout_millis` (10 s by default) with the engine's SSN03 or TXN16. The engine
// never blocks, so the attempt is repeated at short intervals, without holding up the event loop.
import { isSchemaLockBusy } from '../database/index.js';

/** How often a waiting open tries again. */
const RETRY_MILLIS = 10;

/**
 * The result of `attempt`, retried while it fails only because the schema lock is taken, for up to `timeoutMillis`;
 * `stillWanted` stops the waiting early (the client went away), with the last lock error.
 */
export async function whenSchemaLockFree<T>(attempt: () => T, timeoutMillis: number, stillWanted: () => boolean = () => true): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    try {
      return attempt();
    } catch (e) {
      if (!isSchemaLockBusy(e) || Date.now() >= deadline || !stillWanted()) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MILLIS));
  }
}
