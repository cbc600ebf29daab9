// Setting up databases in tests: a new database with its schema, and data written in one transaction each.
import type { DatabaseManagerApi } from '../../src/database/api.js';

/** Creates the database and defines the schema in one committed schema transaction. */
export function createWithSchema(manager: DatabaseManagerApi, database: string, schema: string): void {
  manager.create(database);
  const session = manager.session(database, 'schema');
  try {
    const tx = session.transaction('write');
    tx.query(schema);
    tx.commit();
  } finally {
    session.close();
  }
}

/** Runs the queries in one committed data write transaction. */
export function writeData(manager: DatabaseManagerApi, database: string, queries: readonly string[]): void {
  const session = manager.session(database, 'data');
  try {
    const tx = session.transaction('write');
    for (const query of queries) tx.query(query);
    tx.commit();
  } finally {
    session.close();
  }
}
