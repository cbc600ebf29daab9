// Databases made through the official driver, as a user's client makes them, for tests against a real server.
import { SessionType, TransactionType, type TypeDBDriver } from 'typedb-driver';

/**
 * Creates `database` with the schema `define` (a define query), then runs `inserts` in one data write transaction,
 * all sent at once, and commits.
 */
export async function createThroughDriver(driver: TypeDBDriver, database: string, define: string, inserts: readonly string[]): Promise<void> {
  await driver.databases.create(database);
  const schema = await driver.session(database, SessionType.SCHEMA);
  try {
    const tx = await schema.transaction(TransactionType.WRITE);
    await tx.query.define(define);
    await tx.commit();
  } finally {
    await schema.close();
  }
  if (inserts.length === 0) return;
  const data = await driver.session(database, SessionType.DATA);
  try {
    const tx = await data.transaction(TransactionType.WRITE);
    await Promise.all(inserts.map((query) => tx.query.insert(query).collect()));
    await tx.commit();
  } finally {
    await data.close();
  }
}
