export * from './api.js';
export { DatabaseManager, checkNotReserved } from './manager.js';
export { Database } from './database.js';
export { isSchemaLockBusy } from './schema-lock.js';
export { transactionTimeout } from './transaction.js';
import { DatabaseManager } from './manager.js';

export function openDatabaseManager(dataDir: string): DatabaseManager {
  return new DatabaseManager(dataDir);
}
