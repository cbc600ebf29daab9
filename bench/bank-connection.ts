// The bank check's view of a database (bank-clients.ts): transactions that read attribute values, aggregate, write
// and commit, over the embedded API or over the official typedb-driver, so that one workload checks both.
import { SessionType, TransactionType, type TypeDBDriver, type TypeDBSession } from 'typedb-driver';
import type { DatabaseManager, Session } from '../src/database/index.js';
import type { Transaction } from '../src/database/api.js';
import { Waiting } from '../src/common/steps.js';

export type WriteKind = 'insert' | 'delete' | 'update';

/** The attribute values of one answer, by variable name (without `$`); longs as numbers. */
export type Row = Readonly<Record<string, string | number>>;

export interface BankTransaction {
  /** A get query's answers: the values of the attributes bound to `vars`. */
  rows(query: string, vars: readonly string[]): Promise<Row[]>;
  /** A `get …; sum/count …;` query's value (0 when it has none). */
  aggregate(query: string): Promise<number>;
  /** A `group …; sum …;` query: the owner attribute's value → the group's value. */
  groupAggregate(query: string): Promise<Map<string, number>>;
  /** A write query of this kind (the driver has a call for each). */
  write(kind: WriteKind, query: string): Promise<void>;
  /**
   * Through the Concept API: the owner `owner` bound by the get query `query` loses the attribute bound to `attribute`
   * (unsetHas) and gets a long attribute of type `type` with `value` instead (put, setHas). The query has one answer.
   */
  replaceThroughConcepts(query: string, owner: string, attribute: string, type: string, value: number): Promise<void>;
  commit(): Promise<void>;
  /** Drops the transaction's changes; it goes on over the same snapshot. */
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export interface BankConnection {
  transaction(type: 'read' | 'write'): Promise<BankTransaction>;
  close(): Promise<void>;
}

/** Gives other clients of this process a turn: the embedded API is synchronous, so its clients interleave here. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function plain(value: { type: string; value: unknown } | undefined): string | number {
  if (value === undefined) return 0;
  return typeof value.value === 'bigint' ? Number(value.value) : (value.value as string | number);
}

class EmbeddedTransaction implements BankTransaction {
  constructor(private readonly tx: Transaction) {}

  async rows(query: string, vars: readonly string[]): Promise<Row[]> {
    await turn();
    const result = this.tx.query(query);
    if (result.kind !== 'get') throw new Error(`expected a get query: ${query}`);
    const out: Row[] = [];
    for (const answer of result.answers) {
      out.push(Object.fromEntries(vars.map((v) => [v, plain((answer.get(v) as { value?: { type: string; value: unknown } }).value)])));
    }
    return out;
  }

  async aggregate(query: string): Promise<number> {
    await turn();
    const result = this.tx.query(query);
    if (result.kind !== 'aggregate') throw new Error(`expected an aggregate query: ${query}`);
    return Number(plain(result.value));
  }

  async groupAggregate(query: string): Promise<Map<string, number>> {
    await turn();
    const result = this.tx.query(query);
    if (result.kind !== 'group-aggregate') throw new Error(`expected a group aggregate query: ${query}`);
    return new Map(result.groups.map((g) => [String(plain((g.owner as { value?: { type: string; value: unknown } }).value)), Number(plain(g.value))]));
  }

  async write(kind: WriteKind, query: string): Promise<void> {
    await turn();
    const result = this.tx.query(query);
    if (result.kind !== kind) throw new Error(`expected ${kind === 'insert' ? 'an' : 'a'} ${kind} query: ${query}`);
  }

  async replaceThroughConcepts(query: string, owner: string, attribute: string, type: string, value: number): Promise<void> {
    await turn();
    const result = this.tx.query(query);
    if (result.kind !== 'get') throw new Error(`expected a get query: ${query}`);
    const [answer] = [...result.answers];
    const things = this.tx.concepts().things;
    const ownerIid = (answer!.get(owner) as { iid: string }).iid;
    things.unsetHas(ownerIid, (answer!.get(attribute) as { iid: string }).iid);
    await turn();
    things.setHas(ownerIid, things.putAttribute(type, { type: 'long', value: BigInt(value) }).iid);
  }

  /** In steps, as the server commits: the store writes large commits off the event loop while others go on. */
  async commit(): Promise<void> {
    await turn();
    const steps = this.tx.commitInSteps();
    for (let next = steps.next(); !next.done; next = steps.next()) {
      if (next.value instanceof Waiting) await next.value.until;
    }
  }

  async rollback(): Promise<void> {
    await turn();
    this.tx.rollback();
  }

  async close(): Promise<void> {
    this.tx.close();
  }
}

/** A client of the embedded API: one data session of its own. */
export function embeddedConnection(manager: DatabaseManager, database: string): BankConnection {
  let session: Session | undefined;
  return {
    async transaction(type) {
      session ??= manager.session(database, 'data');
      return new EmbeddedTransaction(session.transaction(type));
    },
    async close() {
      session?.close();
    },
  };
}

/** A client of a server: one data session of its own over a shared driver. */
export function driverConnection(driver: TypeDBDriver, database: string): BankConnection {
  let session: Promise<TypeDBSession> | undefined;
  return {
    async transaction(type) {
      session ??= driver.session(database, SessionType.DATA);
      const tx = await (await session).transaction(type === 'read' ? TransactionType.READ : TransactionType.WRITE);
      const value = (v: { isLong(): boolean; asLong(): number; asString(): string; isString(): boolean } | undefined) =>
        v === undefined ? 0 : v.isLong() ? v.asLong() : v.asString();
      return {
        async rows(query, vars) {
          const answers = await tx.query.get(query).collect();
          return answers.map((a) => Object.fromEntries(vars.map((v) => [v, a.get(v)!.asAttribute().value as string | number])));
        },
        async aggregate(query) {
          return Number(value(await tx.query.getAggregate(query)));
        },
        async groupAggregate(query) {
          const groups = await tx.query.getGroupAggregate(query).collect();
          return new Map(groups.map((g) => [String(g.owner.asAttribute().value), Number(value(g.value))]));
        },
        async replaceThroughConcepts(query, owner, attribute, type, value) {
          const [answer] = await tx.query.get(query).collect();
          const thing = answer!.get(owner)!.asThing();
          await thing.unsetHas(tx, answer!.get(attribute)!.asAttribute());
          const attributeType = (await tx.concepts.getAttributeType(type))!;
          await thing.setHas(tx, await attributeType.putLong(tx, value));
        },
        async write(kind, query) {
          if (kind === 'delete') await tx.query.delete(query);
          else await tx.query[kind](query).collect();
        },
        commit: () => tx.commit(),
        rollback: () => tx.rollback(),
        async close() {
          if (tx.isOpen()) await tx.close();
        },
      };
    },
    async close() {
      if (session) await (await session).close();
    },
  };
}

/**
 * Clients that all use `shared`'s session, each with transactions of its own open at once: closing one of them
 * leaves the session open (the caller closes `shared` at the end).
 */
export function sessionSharer(shared: BankConnection): () => BankConnection {
  return () => ({ transaction: (type) => shared.transaction(type), close: async () => {} });
}
