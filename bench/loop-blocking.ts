// How long the work the server does not cut into slices holds its event loop: each operation runs through
// typedb-driver against a real `strata server` while another client keeps timing round-trips (open a read
// transaction, count, close); the longest round-trip during the operation is how long others were held. The data
// is built embedded first: --loop-items items (each with a distinct `n`), one bag relation with --loop-players of
// them as members. Run: node dist/bench/loop-blocking.js [--loop-items=200000] [--loop-players=100000]
// [--loop-insert=100000] [--loop-ops=commit,median,players,fetch,key,setowns-key,undefine-owns,undefine-plays]
// [--server-cpu-prof=DIR]
// (npm run bench:loop)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionType, ThingType, TransactionType, TypeDB, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import { openDatabaseManager } from '../src/database/index.js';
import { processCpuMillis, startServer, stopServer } from './server-process.js';
import { benchArguments } from './arguments.js';

const SCHEMA = `define
  n sub attribute, value long; tag sub attribute, value string;
  bag sub relation, relates member, owns tag; pin sub relation, relates holder;
  item sub entity, owns n, owns tag, plays bag:member, plays pin:holder;`;

const ALL_OPS = 'commit,median,players,fetch,key,setowns-key,undefine-owns,undefine-plays';
const { options } = benchArguments({
  command: 'npm run bench:loop',
  summary: "How long the work a server does not cut into slices holds its event loop, timed by another client's round-trips.",
  options: {
    'loop-items': { help: 'items built embedded first (default 200000)' },
    'loop-players': { help: 'members of the one bag relation (default 100000)' },
    'loop-insert': { help: 'things the commit operation inserts (default 100000)' },
    'loop-ops': { help: `operations to run, comma-separated (default ${ALL_OPS})` },
    'server-cpu-prof': { help: "a directory for the server's CPU profile" },
  },
});

function flag(name: string, fallback: string): string {
  return options.get(name) ?? fallback;
}

const ITEMS = Number(flag('loop-items', '200000'));
const PLAYERS = Math.min(ITEMS, Number(flag('loop-players', '100000')));
const INSERT = Number(flag('loop-insert', '100000'));
/** A directory for the server's CPU profile (written when it stops), to see what held the loop. */
const CPU_PROFILE_DIR = flag('server-cpu-prof', '') || undefined;
const OPS = flag('loop-ops', ALL_OPS).split(',');

function build(dataDir: string): void {
  const manager = openDatabaseManager(dataDir);
  try {
    manager.create('loop');
    const schema = manager.session('loop', 'schema');
    const define = schema.transaction('write');
    define.query(SCHEMA);
    define.commit();
    schema.close();
    const data = manager.session('loop', 'data');
    const BATCH = 20_000;
    for (let start = 0; start < ITEMS; start += BATCH) {
      const tx = data.transaction('write');
      for (let i = start; i < Math.min(ITEMS, start + BATCH); i += 500) {
        const count = Math.min(500, ITEMS - i);
        tx.query(`insert ${Array.from({ length: count }, (_, j) => `$x${j} isa item, has n ${i + j};`).join(' ')}`);
      }
      tx.commit();
    }
    const tx = data.transaction('write');
    // With its first member: a relation without players is removed at commit.
    tx.query('match $x isa item, has n 0; insert $b (member: $x) isa bag, has tag "the bag";');
    tx.commit();
    for (let start = 1; start < PLAYERS; start += BATCH) {
      const tx = data.transaction('write');
      const end = Math.min(PLAYERS, start + BATCH);
      tx.query(`match $b isa bag; $x isa item, has n $v; $v >= ${start}; $v < ${end}; insert $b (member: $x);`);
      tx.commit();
    }
    data.close();
  } finally {
    manager.close();
  }
}

/** The other client: round-trips back to back until stopped; the longest one and how many. */
function pinger(session: TypeDBSession): { stop: () => Promise<{ max: number; count: number }> } {
  let running = true;
  let max = 0;
  let count = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const tx = await session.transaction(TransactionType.READ);
      await tx.query.getAggregate('match $x isa tag; get; count;');
      await tx.close();
      max = Math.max(max, performance.now() - started);
      count++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { max, count };
    },
  };
}

interface Op {
  /** Work before the timed part (not timed, no pings). */
  setup?: (driver: TypeDBDriver) => Promise<unknown>;
  run: (driver: TypeDBDriver, state: unknown) => Promise<unknown>;
}

async function writeTx(driver: TypeDBDriver, type: SessionType) {
  const session = await driver.session('loop', type);
  const tx = await session.transaction(TransactionType.WRITE);
  return { session, tx };
}

const OPERATIONS: Record<string, Op> = {
  commit: {
    setup: async (driver) => {
      const { session, tx } = await writeTx(driver, SessionType.DATA);
      for (let i = 0; i < INSERT; i += 1000) {
        await tx.query.insert(`insert ${Array.from({ length: Math.min(1000, INSERT - i) }, (_, j) => `$x${j} isa item, has n ${ITEMS + i + j};`).join(' ')}`).collect();
      }
      return { session, tx };
    },
    run: async (_, state) => {
      const { session, tx } = state as Awaited<ReturnType<typeof writeTx>>;
      await tx.commit();
      await session.close();
    },
  },
  median: {
    run: async (driver) => {
      const session = await driver.session('loop', SessionType.DATA);
      const tx = await session.transaction(TransactionType.READ);
      await tx.query.getAggregate('match $x isa item, has n $v; get $v; median $v;');
      await session.close();
    },
  },
  players: {
    run: async (driver) => {
      const session = await driver.session('loop', SessionType.DATA);
      const tx = await session.transaction(TransactionType.READ);
      const count = await tx.query.getAggregate('match $b isa bag; $b (member: $m); get $m; count;');
      console.log(`  (${count?.asLong()} players)`);
      await session.close();
    },
  },
  fetch: {
    run: async (driver) => {
      const session = await driver.session('loop', SessionType.DATA);
      const tx = await session.transaction(TransactionType.READ);
      await tx.query.fetch('match $b isa bag; fetch $b: tag; members: { match $b (member: $m); $m has n $v; $v < 0; get $m; count; };').collect();
      await session.close();
    },
  },
  key: schemaOp('define item owns n @key;', 'item owns n'),
  // The same change through the Concept API (the driver's setOwns), which the server runs as a call, not a query.
  'setowns-key': schemaOp(async (tx) => {
    const item = await tx.concepts.getEntityType('item');
    const n = await tx.concepts.getAttributeType('n');
    await item!.setOwns(tx, n!, [ThingType.Annotation.KEY]);
  }, 'item owns n'),
  'undefine-owns': schemaOp('undefine item owns tag;', 'item owns tag'),
  'undefine-plays': schemaOp('undefine item plays pin:holder;', 'item plays pin:holder'),
};

/**
 * A schema change (a query, or Concept API calls) timed with its commit; `restore` (define/undefine statements)
 * undoes it afterwards, untimed.
 */
function schemaOp(change: string | ((tx: TypeDBTransaction) => Promise<void>), restore: string): Op {
  return {
    run: async (driver) => {
      const { session, tx } = await writeTx(driver, SessionType.SCHEMA);
      const started = performance.now();
      if (typeof change === 'function') await change(tx);
      else await (change.startsWith('define') ? tx.query.define(change) : tx.query.undefine(change));
      const queried = performance.now() - started;
      await tx.commit();
      await session.close();
      console.log(`  (${typeof change === 'function' ? 'calls' : 'query'} ${Math.round(queried)} ms, commit ${Math.round(performance.now() - started - queried)} ms)`);
      const back = await writeTx(driver, SessionType.SCHEMA);
      for (const part of restore.split(';').map((s) => s.trim()).filter(Boolean)) {
        await (part.startsWith('undefine') ? back.tx.query.undefine(`${part};`) : back.tx.query.define(`define ${part};`));
      }
      await back.tx.commit();
      await back.session.close();
    },
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-loop-blocking-'));
  try {
    let started = performance.now();
    build(dataDir);
    console.log(`built ${ITEMS} items, a bag of ${PLAYERS} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const { child, address } = await startServer(dataDir, CPU_PROFILE_DIR);
    try {
      const driver = await TypeDB.coreDriver(address);
      const other = await TypeDB.coreDriver(address);
      const otherSession = await other.session('loop', SessionType.DATA);
      for (const name of OPS) {
        const op = OPERATIONS[name];
        if (!op) throw new Error(`unknown operation ${name}: one of ${Object.keys(OPERATIONS).join(', ')}`);
        const state = await op.setup?.(driver);
        const idle = pinger(otherSession);
        await new Promise((r) => setTimeout(r, 200));
        const cpuBefore = processCpuMillis(child.pid);
        started = performance.now();
        const failure = await op.run(driver, state).then(() => undefined, (e: unknown) => e);
        if (failure) console.log(`${name} failed: ${String(failure)}`);
        const millis = performance.now() - started;
        const cpu = (processCpuMillis(child.pid) ?? 0) - (cpuBefore ?? 0);
        const { max, count } = await idle.stop();
        console.log(`${name}: ${Math.round(millis)} ms (server CPU ${Math.round(cpu)} ms); other client: ${count} round-trips, longest ${Math.round(max)} ms`);
      }
      await otherSession.close();
      await other.close();
      await driver.close();
    } finally {
      await stopServer(child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
