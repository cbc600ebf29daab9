// The driver mode: the harness interface over the official Node client typedb-driver@2.29.7, talking to a real
// `strata server` process (server.ts) — one per worker, started at the first connection. Every scenario connects
// with a fresh driver and ends with every database deleted, so each one starts with none.
//
// typedb-driver@2.29.7 never closes its gRPC channels (`close()` iterates a Map with Object.values) and keeps a
// 5 s pulse timer per open session: connections here close their sessions, then the driver, then its channels.
import {
  SessionType as DriverSessionType,
  ThingType as DriverThingTypeNS,
  TransactionType as DriverTransactionType,
  TypeDB,
  TypeDBOptions,
  type ConceptMap as DriverConceptMap,
  type TypeDBDriver,
  type TypeDBSession,
  type TypeDBTransaction,
} from 'typedb-driver';
import type { AttributeConcept, ConceptMap, ThingConcept } from '../../src/concept/concepts.js';
import type { Value } from '../../src/common/values.js';
import { fromValue, toConcept, toConceptMap, toThingConcept } from './driver-answers.js';
import { DriverConceptApi, ThingRegistry } from './driver-concepts.js';
import type {
  AnswerGroup,
  HarnessConceptApi,
  HarnessConnection,
  HarnessEngine,
  HarnessSession,
  HarnessTransaction,
  HarnessSessionOptions,
  HarnessTransactionOptions,
  JSONValue,
  SessionType,
  TransactionType,
  ValueGroup,
} from './harness-engine.js';
import { ServerProcess } from './server.js';

/** The implementation class behind TypeDBDriver exposes its per-server stubs; their `close()` closes the channel. */
interface DriverWithServers {
  readonly serverDrivers?: ReadonlyMap<string, { close(): void }>;
}

async function closeDriver(driver: TypeDBDriver): Promise<void> {
  await driver.close();
  for (const server of (driver as unknown as DriverWithServers).serverDrivers?.values() ?? []) server.close();
}

class DriverTransaction implements HarnessTransaction {
  constructor(
    private readonly tx: TypeDBTransaction,
    readonly type: TransactionType,
    private readonly registry: ThingRegistry,
  ) {}

  private answers(answers: readonly DriverConceptMap[]): ConceptMap[] {
    return answers.map((a) => toConceptMap(a, this.registry.remember));
  }

  async isOpen(): Promise<boolean> {
    return this.tx.isOpen();
  }

  define(query: string): Promise<void> {
    return this.tx.query.define(query);
  }

  undefine(query: string): Promise<void> {
    return this.tx.query.undefine(query);
  }

  delete(query: string): Promise<void> {
    return this.tx.query.delete(query);
  }

  async insert(query: string): Promise<ConceptMap[]> {
    return this.answers(await this.tx.query.insert(query).collect());
  }

  async update(query: string): Promise<ConceptMap[]> {
    return this.answers(await this.tx.query.update(query).collect());
  }

  async get(query: string): Promise<ConceptMap[]> {
    return this.answers(await this.tx.query.get(query).collect());
  }

  async getAggregate(query: string): Promise<Value | undefined> {
    const value = await this.tx.query.getAggregate(query);
    return value ? fromValue(value) : undefined;
  }

  async getGroup(query: string): Promise<AnswerGroup[]> {
    const groups = await this.tx.query.getGroup(query).collect();
    return groups.map((g) => ({ owner: toConcept(g.owner, this.registry.remember), answers: this.answers(g.conceptMaps) }));
  }

  async getGroupAggregate(query: string): Promise<ValueGroup[]> {
    const groups = await this.tx.query.getGroupAggregate(query).collect();
    return groups.map((g) => ({ owner: toConcept(g.owner, this.registry.remember), value: g.value ? fromValue(g.value) : undefined }));
  }

  async fetch(query: string): Promise<JSONValue[]> {
    // the driver builds plain JSON objects from the answer trees; they are the answers as they are
    return (await this.tx.query.fetch(query).collect()) as JSONValue[];
  }

  async keys(thing: ThingConcept): Promise<AttributeConcept[]> {
    const owner = this.registry.get(thing.iid) ?? (await new DriverConceptApi(this.tx, this.registry).thing(thing.iid));
    const keys = await owner.getHas(this.tx, [DriverThingTypeNS.Annotation.KEY]).collect();
    return keys.map((k) => toThingConcept(k, this.registry.remember) as AttributeConcept);
  }

  concepts(): HarnessConceptApi {
    return new DriverConceptApi(this.tx, this.registry);
  }

  commit(): Promise<void> {
    return this.tx.commit();
  }

  rollback(): Promise<void> {
    return this.tx.rollback();
  }

  close(): Promise<void> {
    return this.tx.close();
  }
}

class DriverSession implements HarnessSession {
  constructor(
    private readonly session: TypeDBSession,
    readonly type: SessionType,
    readonly databaseName: string,
    private readonly registry: ThingRegistry,
  ) {}

  async isOpen(): Promise<boolean> {
    return this.session.isOpen();
  }

  async transaction(type: TransactionType, options: HarnessTransactionOptions): Promise<HarnessTransaction> {
    const driverOptions = new TypeDBOptions({
      ...(options.infer !== undefined ? { infer: options.infer } : {}),
      ...(options.transactionTimeoutMillis !== undefined ? { transactionTimeoutMillis: options.transactionTimeoutMillis } : {}),
    });
    const driverType = type === 'write' ? DriverTransactionType.WRITE : DriverTransactionType.READ;
    return new DriverTransaction(await this.session.transaction(driverType, driverOptions), type, this.registry);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

class DriverConnection implements HarnessConnection {
  /** Thing objects the driver returned during this connection, by IID. */
  private readonly registry = new ThingRegistry();
  private readonly sessions: TypeDBSession[] = [];
  private closed = false;

  constructor(private readonly driver: TypeDBDriver) {}

  create(database: string): Promise<void> {
    return this.driver.databases.create(database);
  }

  contains(database: string): Promise<boolean> {
    return this.driver.databases.contains(database);
  }

  async all(): Promise<string[]> {
    return (await this.driver.databases.all()).map((d) => d.name);
  }

  async delete(database: string): Promise<void> {
    await (await this.driver.databases.get(database)).delete();
  }

  async session(database: string, type: SessionType, options: HarnessSessionOptions = {}): Promise<HarnessSession> {
    const driverOptions = new TypeDBOptions(
      options.sessionIdleTimeoutMillis !== undefined ? { sessionIdleTimeoutMillis: options.sessionIdleTimeoutMillis } : {},
    );
    const session = await this.driver.session(database, type === 'schema' ? DriverSessionType.SCHEMA : DriverSessionType.DATA, driverOptions);
    this.sessions.push(session);
    return new DriverSession(session, type, database, this.registry);
  }

  async schema(database: string): Promise<string> {
    return (await this.driver.databases.get(database)).schema();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes what the scenario left open (a session's pulse timer keeps the process alive), then the channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const failures: unknown[] = [];
    for (const session of this.sessions.splice(0)) {
      if (session.isOpen()) await session.close().catch((e: unknown) => failures.push(e));
    }
    await closeDriver(this.driver);
    if (failures.length > 0) throw failures[0];
  }
}

export class DriverEngine implements HarnessEngine {
  readonly via = 'driver' as const;
  private server: ServerProcess | undefined;
  private starting: Promise<ServerProcess> | undefined;
  /** Connections of the current scenario. */
  private readonly connections: DriverConnection[] = [];
  /** A connection of the worker's own, for deleting databases between scenarios. */
  private admin: TypeDBDriver | undefined;

  private async ensureServer(): Promise<ServerProcess> {
    if (this.server && !this.server.running) {
      // the server died (a crash is the scenario's failure, already reported); the next scenario gets a new one
      process.stderr.write(`driver mode: the strata server (pid ${this.server.pid}) exited; starting another\n${this.server.newOutput()}\n`);
      await this.closeAdmin();
      this.server = undefined;
      this.starting = undefined;
    }
    this.starting ??= ServerProcess.start().then((server) => (this.server = server));
    return this.starting;
  }

  async prepare(): Promise<void> {
    await this.ensureServer();
  }

  async connect(): Promise<HarnessConnection> {
    const server = await this.ensureServer();
    const connection = new DriverConnection(await TypeDB.coreDriver(server.address));
    this.connections.push(connection);
    return connection;
  }

  private async closeAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await closeDriver(admin).catch(() => undefined);
  }

  async endScenario(): Promise<void> {
    const connected = this.connections.length > 0;
    const failures: unknown[] = [];
    for (const connection of this.connections.splice(0)) await connection.close().catch((e: unknown) => failures.push(e));
    const server = this.server;
    if (connected && server?.running) {
      this.admin ??= await TypeDB.coreDriver(server.address);
      for (const database of await this.admin.databases.all()) {
        await database.delete().catch((e: unknown) => failures.push(e));
      }
    }
    const output = server?.newOutput();
    if (output) process.stderr.write(`strata server output:\n${output}\n`);
    if (failures.length > 0) {
      const first = failures[0];
      throw new Error(`cleaning up after the scenario failed: ${first instanceof Error ? first.message : String(first)}`);
    }
  }

  async shutdown(): Promise<void> {
    for (const connection of this.connections.splice(0)) await connection.close().catch(() => undefined);
    await this.closeAdmin();
    const server = this.server ?? (await this.starting?.catch(() => undefined));
    this.server = undefined;
    this.starting = undefined;
    await server?.stop();
  }
}
