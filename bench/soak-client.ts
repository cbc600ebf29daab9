// One client process of bench/soak.ts: a typedb-driver that runs random actions against the soak database for its
// lifetime and then exits (the driver keeps its gRPC channel open, so the process ends itself). A victim
// (`--victim=data|schema`) opens a transaction, writes, prints `ready` and waits to be killed (SIGKILL) by the parent.
// Outcomes are counted and printed as one `outcomes {…}` JSON line at exit; an error without a TypeDB-style code is
// printed as `unexpected …` (the parent reports them).
import { SessionType, TransactionType, TypeDB, TypeDBOptions, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import { benchArguments } from './arguments.js';
import { seededRandom } from './workload.js';

const { options } = benchArguments({
  command: 'node dist/bench/soak-client.js',
  summary: 'One client of npm run bench:soak (started by it).',
  options: {
    address: { help: 'the server address' },
    database: { help: 'the database the clients share (default soak)' },
    seconds: { help: 'how long to run before exiting (default 30)' },
    seed: { help: 'random seed (default 1)' },
    victim: { help: 'data or schema: open a write transaction or schema session, print ready and wait to be killed' },
    only: { help: 'comma-separated actions to run, and no others (see ACTIONS)' },
  },
});
const ADDRESS = options.get('address') ?? '127.0.0.1:1729';
const DB = options.get('database') ?? 'soak';
const SEED = Number(options.get('seed') ?? 1);
const random = seededRandom(SEED);
const outcomes: Record<string, number> = {};

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (n: number) => Math.floor(random() * n);
let serial = 0;
/** A name no other client or round makes: the seed and a counter. */
const freshName = () => `p-${SEED}-${serial++}`;

function count(action: string, outcome: string): void {
  const key = `${action}:${outcome}`;
  outcomes[key] = (outcomes[key] ?? 0) + 1;
}

/** An expected failure's TypeDB code (`[TXN09]`…), or it is reported as unexpected. */
function codeOf(action: string, e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const code = /\[([A-Z]{3}\d{2})\]/.exec(text)?.[1];
  if (code) return code;
  process.stdout.write(`unexpected ${action}: ${text.replace(/\n/g, ' ').slice(0, 300)}\n`);
  return 'unexpected';
}

async function inTx<T>(session: TypeDBSession, type: TransactionType, body: (tx: TypeDBTransaction) => Promise<T>, opts?: TypeDBOptions): Promise<T> {
  const tx = await session.transaction(type, opts);
  try {
    return await body(tx);
  } finally {
    if (tx.isOpen()) await tx.close();
  }
}

const WRITE_KINDS = ['insert', 'insert-friends', 'delete', 'update', 'rollback', 'no-commit', 'conflict', 'concept-write'] as const;
const READ_KINDS = ['get', 'count', 'fetch', 'aggregate', 'group', 'abandon', 'infer', 'explain', 'concept-read', 'bad-syntax', 'unknown-type'] as const;

async function write(session: TypeDBSession, kind: (typeof WRITE_KINDS)[number]): Promise<void> {
  await inTx(session, TransactionType.WRITE, async (tx) => {
    switch (kind) {
      case 'insert':
        for (let i = 0; i < 1 + int(5); i++) await tx.query.insert(`insert $p isa person, has name "${freshName()}", has age ${int(90)};`).collect();
        return tx.commit();
      case 'insert-friends': {
        const a = freshName();
        const b = freshName();
        await tx.query.insert(`insert $a isa person, has name "${a}", has age ${int(90)}; $b isa person, has name "${b}", has age ${int(90)}; (friend: $a, friend: $b) isa friendship;`).collect();
        return tx.commit();
      }
      case 'delete':
        // Keeps the data about constant in size; two clients deleting the same person conflict ([TXN11]).
        await tx.query.delete(`match $p isa person, has age ${int(90)}; delete $p isa person;`);
        return tx.commit();
      case 'update':
        await tx.query.update(`match $p isa person, has age $a; $a ${int(90)}; delete $p has $a; insert $p has age ${int(90)};`).collect();
        return tx.commit();
      case 'rollback':
        await tx.query.insert(`insert $p isa person, has name "${freshName()}";`).collect();
        await tx.rollback();
        await tx.query.insert(`insert $p isa person, has name "${freshName()}";`).collect();
        return tx.commit();
      case 'no-commit':
        await tx.query.insert(`insert $p isa person, has name "${freshName()}";`).collect();
        return;
      case 'conflict': {
        // Two transactions of this client delete the same person: the second commit fails with a conflict.
        const name = freshName();
        await tx.query.insert(`insert $p isa person, has name "${name}";`).collect();
        await tx.commit();
        const [t1, t2] = [await session.transaction(TransactionType.WRITE), await session.transaction(TransactionType.WRITE)];
        for (const t of [t1, t2]) await t.query.delete(`match $p isa person, has name "${name}"; delete $p isa person;`);
        await t1.commit();
        try {
          await t2.commit();
          count('conflict', 'no-error');
        } catch (e) {
          count('conflict-second', codeOf('conflict', e));
        } finally {
          if (t2.isOpen()) await t2.close();
        }
        return;
      }
      case 'concept-write': {
        const person = (await tx.concepts.getEntityType('person'))!;
        const p = await person.create(tx);
        const name = (await tx.query.insert(`insert $n "${freshName()}" isa name;`).first())!.get('n').asAttribute();
        await p.setHas(tx, name);
        if (random() < 0.5) await p.delete(tx);
        return tx.commit();
      }
    }
  });
}

async function read(session: TypeDBSession, kind: (typeof READ_KINDS)[number]): Promise<void> {
  const infer = kind === 'infer' || kind === 'explain';
  const opts = new TypeDBOptions({ infer, explain: kind === 'explain', prefetchSize: 1 + int(50) });
  await inTx(
    session,
    TransactionType.READ,
    async (tx) => {
      switch (kind) {
        case 'get':
          await tx.query.get(`match $p isa person, has name $n, has age $a; $a > ${int(90)}; get $n; sort $n; limit 50;`).collect();
          return;
        case 'count':
          await tx.query.getAggregate('match $p isa person; get; count;');
          return;
        case 'fetch':
          await tx.query.fetch(`match $p isa person, has age $a; $a < ${int(90)}; fetch $p: name, age; limit 30;`).collect();
          return;
        case 'aggregate':
          await tx.query.getAggregate(`match $p isa person, has age $a; get $a; ${pick(['sum', 'mean', 'max', 'median', 'std'])} $a;`);
          return;
        case 'group':
          await tx.query.getGroupAggregate('match $p isa person, has age $a; get $p, $a; group $a; count;').collect();
          return;
        case 'abandon': {
          // A stream read for one answer and left: the transaction closes with answers unsent.
          const it = tx.query.get('match $p isa person, has name $n; get;').iterator();
          await it.next();
          return;
        }
        case 'infer':
          await tx.query.get('match $k (knower: $x, known: $y) isa knows; get; limit 40;').collect();
          await tx.query.get('match $p isa person, has badge $b; get; limit 40;').collect();
          return;
        case 'explain': {
          const answers = await tx.query.get('match $k (knower: $x, known: $y) isa knows; limit 5;').collect();
          for (const answer of answers) {
            for (const explanation of await tx.query.explain(answer.explainables.relation('k')).collect()) void explanation.rule.label;
          }
          return;
        }
        case 'concept-read': {
          const person = (await tx.concepts.getEntityType('person'))!;
          await person.getOwns(tx).collect();
          await person.getPlays(tx).collect();
          let seen = 0;
          for await (const p of person.getInstances(tx)) {
            await p.getHas(tx).collect();
            await p.getRelations(tx).collect();
            if (++seen >= 5) break;
          }
          await (await tx.logic.getRules().collect()).length;
          return;
        }
        case 'bad-syntax':
          try {
            await tx.query.get('match $p isa person has name; get').collect();
            count('bad-syntax', 'no-error');
          } catch (e) {
            count('bad-syntax', codeOf('bad-syntax', e));
          }
          return;
        case 'unknown-type':
          try {
            await tx.query.get(`match $p isa no-such-type-${int(1000)}; get;`).collect();
            count('unknown-type', 'no-error');
          } catch (e) {
            count('unknown-type', codeOf('unknown-type', e));
          }
          return;
      }
    },
    opts,
  );
}

/** A schema session: an attribute type defined and undefined again, or a rule through the logic API. */
async function schemaChange(driver: TypeDBDriver): Promise<void> {
  const session = await driver.session(DB, SessionType.SCHEMA, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 3000 }));
  try {
    const label = `extra-${SEED}-${serial++}`;
    await inTx(session, TransactionType.WRITE, async (tx) => {
      await tx.query.define(`define ${label} sub attribute, value string; person owns ${label};`);
      await tx.commit();
    });
    await inTx(session, TransactionType.WRITE, async (tx) => {
      if (random() < 0.5) {
        await tx.logic.putRule(`rule-${label}`, `{ $p isa person, has ${label} $v; }`, `$p has badge "extra"`);
        await tx.rollback();
      }
      await tx.query.undefine(`undefine person owns ${label}; ${label} sub attribute;`);
      await tx.commit();
    });
  } finally {
    await session.close();
  }
}

/** A database of its own: created, given a schema and data, read, and deleted (sometimes with a session open). */
async function scratchDatabase(driver: TypeDBDriver): Promise<void> {
  const name = `scratch-${SEED}-${serial++}`;
  await driver.databases.create(name);
  const schema = await driver.session(name, SessionType.SCHEMA);
  await inTx(schema, TransactionType.WRITE, async (tx) => {
    await tx.query.define('define n sub attribute, value long; thing-a sub entity, owns n;');
    await tx.commit();
  });
  await schema.close();
  const data = await driver.session(name, SessionType.DATA);
  await inTx(data, TransactionType.WRITE, async (tx) => {
    for (let i = 0; i < 20; i++) await tx.query.insert(`insert $x isa thing-a, has n ${i};`).collect();
    await tx.commit();
  });
  await inTx(data, TransactionType.READ, async (tx) => void (await tx.query.getAggregate('match $x isa thing-a, has n $n; get $n; sum $n;')));
  if (random() < 0.5) await data.close();
  await (await driver.databases.get(name)).delete();
  if (data.isOpen()) await data.close().catch((e) => count('scratch-close', codeOf('scratch-close', e)));
}

/** Every action by name, for `--only`. */
export const ACTIONS: readonly string[] = ['schema', 'scratch', 'session', ...WRITE_KINDS, ...READ_KINDS];
const ONLY = options.get('only')?.split(',');

async function step(driver: TypeDBDriver, sessions: TypeDBSession[]): Promise<void> {
  if (ONLY) return only(pick(ONLY), driver, sessions);
  const r = random();
  if (r < 0.04) return schemaChange(driver);
  if (r < 0.07) return scratchDatabase(driver);
  if (r < 0.12 || sessions.length === 0) {
    // Session churn: open one more (or close one when there are enough).
    if (sessions.length >= 3) await sessions.splice(int(sessions.length), 1)[0]!.close();
    else sessions.push(await driver.session(DB, SessionType.DATA));
    return;
  }
  const session = pick(sessions);
  if (random() < 0.45) return write(session, pick(WRITE_KINDS));
  return read(session, pick(READ_KINDS));
}

async function only(action: string, driver: TypeDBDriver, sessions: TypeDBSession[]): Promise<void> {
  if (action === 'schema') return schemaChange(driver);
  if (action === 'scratch') return scratchDatabase(driver);
  if (action === 'session') {
    if (sessions.length >= 3) return sessions.splice(int(sessions.length), 1)[0]!.close();
    sessions.push(await driver.session(DB, SessionType.DATA));
    return;
  }
  if (sessions.length === 0) sessions.push(await driver.session(DB, SessionType.DATA));
  const session = pick(sessions);
  if ((WRITE_KINDS as readonly string[]).includes(action)) return write(session, action as (typeof WRITE_KINDS)[number]);
  if ((READ_KINDS as readonly string[]).includes(action)) return read(session, action as (typeof READ_KINDS)[number]);
  throw new Error(`unknown action '${action}' for --only: one of ${ACTIONS.join(', ')}`);
}

async function victim(kind: string): Promise<void> {
  const driver = await TypeDB.coreDriver(ADDRESS);
  if (kind === 'schema') {
    const session = await driver.session(DB, SessionType.SCHEMA, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 5000 }));
    const tx = await session.transaction(TransactionType.WRITE);
    await tx.query.define(`define victim-${SEED} sub attribute, value string;`);
  } else {
    const session = await driver.session(DB, SessionType.DATA);
    const tx = await session.transaction(TransactionType.WRITE);
    for (let i = 0; i < 50; i++) void tx.query.insert(`insert $p isa person, has name "${freshName()}";`);
    // A read of its own open transaction, then a second transaction left open too.
    await tx.query.getAggregate('match $p isa person; get; count;');
    const reader = await session.transaction(TransactionType.READ, new TypeDBOptions({ infer: true }));
    void reader.query.get('match $k isa knows; get;').first();
  }
  process.stdout.write('ready\n');
  await new Promise(() => {});
}

async function main(): Promise<void> {
  const victimKind = options.get('victim');
  if (victimKind) return victim(victimKind);
  const until = Date.now() + Number(options.get('seconds') ?? 30) * 1000;
  const driver = await TypeDB.coreDriver(ADDRESS);
  const sessions: TypeDBSession[] = [];
  while (Date.now() < until) {
    const before = Object.values(outcomes).reduce((a, b) => a + b, 0);
    try {
      await step(driver, sessions);
      if (Object.values(outcomes).reduce((a, b) => a + b, 0) === before) count('step', 'ok');
    } catch (e) {
      count('step', codeOf('step', e));
      // A session the server closed (its database deleted, a timeout) is dropped.
      for (let i = sessions.length - 1; i >= 0; i--) if (!sessions[i]!.isOpen()) sessions.splice(i, 1);
    }
  }
  // Half of the clients close their sessions; the others just exit, leaving it to the connection's close.
  if (random() < 0.5) for (const s of sessions) await s.close();
  process.stdout.write(`outcomes ${JSON.stringify(outcomes)}\n`);
  process.exit(0);
}

await main();
