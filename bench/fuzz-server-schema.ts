// The schema actions of bench/fuzz-server.ts: schema changes under load (the clients' data writes committed or closed
// first, or not: then the schema session must wait and give up with SSN03), with read transactions answering from
// their snapshots across the schema commit and data writes waiting for the schema lock; an export/import round trip
// through the `strata server export|import` CLI; a `database schema` printed and loaded into a fresh database.
// The schema the data may use is part of the model (run.kinds, run.tags), and so is which person has which type and
// tag: both are written in the person's name (`p12.kind3.tag5`), so the model of the data stays name → scores.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionType, TransactionType, TypeDBOptions, type TypeDBDriver } from 'typedb-driver';
import { copy, equal, type People } from './fuzz-server-model.js';
import { DB, allTxs, below, closeTx, codeOf, finding, live, liveSessions, mayBeExpired, message, pick, readPeople, run, trace, within, compare, type Client, type Sess, type Tx } from './fuzz-server-state.js';

export const kindOf = (name: string): string => /\.(kind\d+)/.exec(name)?.[1] ?? 'person';
export const tagOf = (name: string): string | undefined => /\.(tag\d+)/.exec(name)?.[1];

/** A fresh person's name, type and tag, from the types the schema has now. */
export function newPerson(): { name: string; kind: string; tag?: string } {
  const kind = run.random() < 0.4 ? (pick(run.kinds) ?? 'person') : 'person';
  const tag = run.random() < 0.4 ? pick(run.tags) : undefined;
  const name = `p${run.nextName++}${kind === 'person' ? '' : `.${kind}`}${tag ? `.${tag}` : ''}`;
  return { name, kind, tag };
}

/** A schema change, what the committed data says of it, and whether to keep it (commit) once it succeeded. */
interface Change {
  readonly what: string;
  readonly query: string;
  readonly undefine: boolean;
  /** The data forbids it: the define or the commit must fail. */
  readonly forbidden: boolean;
  readonly keep: boolean;
  readonly onCommit?: () => void;
  /** The type it defines or undefines: whether the schema holds it says whether a commit raced by a close stored it. */
  readonly label?: string;
}

function scoresDistinct(people: People, exactlyOne: boolean): boolean {
  const all = [...people.values()].flatMap((s) => [...s]);
  return new Set(all).size === all.length && (!exactlyOne || [...people.values()].every((s) => s.size === 1));
}

function pickChange(): Change {
  const people = run.committed;
  const keep = run.random() < 0.8;
  const tag = pick(run.tags);
  const kind = pick(run.kinds);
  switch (below(8)) {
    case 0: {
      const t = `tag${run.nextId++}`;
      return { what: 'attribute', query: `define ${t} sub attribute, value string; person owns ${t};`, undefine: false, forbidden: false, keep, onCommit: () => run.tags.push(t), label: t };
    }
    case 1: {
      const k = `kind${run.nextId++}`;
      return { what: 'subtype', query: `define ${k} sub person;`, undefine: false, forbidden: false, keep, onCommit: () => run.kinds.push(k), label: k };
    }
    case 2:
      // Tag values are their owner's name: always unique.
      if (tag) return { what: 'unique-tag', query: `define person owns ${tag} @unique;`, undefine: false, forbidden: false, keep };
      break;
    case 3:
      // Kept, a key would refuse later inserts without the tag: rolled back.
      if (tag) return { what: 'key-tag', query: `define person owns ${tag} @key;`, undefine: false, forbidden: [...people.keys()].some((n) => tagOf(n) !== tag), keep: false };
      break;
    case 4:
      return { what: 'unique-score', query: 'define person owns score @unique;', undefine: false, forbidden: !scoresDistinct(people, false), keep: false };
    case 5:
      return { what: 'key-score', query: 'define person owns score @key;', undefine: false, forbidden: !scoresDistinct(people, true), keep: false };
    case 6:
      return { what: 'undefine-owns-score', query: 'undefine person owns score;', undefine: true, forbidden: [...people.values()].some((s) => s.size > 0), keep: false };
    case 7:
      if (kind) {
        const forbidden = [...people.keys()].some((n) => kindOf(n) === kind);
        return { what: 'undefine-subtype', query: `undefine ${kind} sub person;`, undefine: true, forbidden, keep, onCommit: () => (run.kinds = run.kinds.filter((k) => k !== kind)), label: kind };
      }
      break;
  }
  const t = `tag${run.nextId++}`;
  return { what: 'attribute', query: `define ${t} sub attribute, value string; person owns ${t};`, undefine: false, forbidden: false, keep, onCommit: () => run.tags.push(t) };
}

/** The server's id of a driver session (typedb-driver 2.29's TypeDBSessionImpl has it, untyped): a reopen changes it. */
const serverSessionId = (session: object): string => (session as { id?: string }).id ?? '';

/** A data write opened while the schema session holds the lock: it waits, then opens or gives up (TXN16/SSN03). */
async function waitingWrite(schemaClosed: { at?: number }, taken: Set<Sess>): Promise<string> {
  // One waiting write per session: typedb-driver's retry (below) on a session another one closes would reopen it.
  const s = pick(liveSessions().filter((x) => !taken.has(x)));
  if (!s) return 'skip';
  taken.add(s);
  const lockMillis = 50 + below(1500);
  const asked = Date.now();
  // Some of the time its session closes while it waits: the wait ends, and nothing stays open on the server.
  if (run.random() < 0.15) {
    s.open = false;
    s.txs.forEach((t) => closeTx(t, 'session closed while a write waited for the schema lock'));
    const waiting = within(s.session.transaction(TransactionType.WRITE, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: lockMillis })), 'waiting write open');
    await new Promise((r) => setTimeout(r, below(100)));
    await within(s.session.close(), 'session close while a write waits');
    const r = await Promise.allSettled([waiting]);
    // typedb-driver takes a failed open for a lost session: it opens the session again and retries the open there.
    if (r[0].status === 'fulfilled') await within(r[0].value.close(), 'close the write that opened');
    if (s.session.isOpen()) await within(s.session.close(), 'close the session the driver opened again');
    return r[0].status === 'rejected' ? `closed-${codeOf('schema-waiting-write', r[0].reason)}` : 'closed-ok';
  }
  const sessionId = serverSessionId(s.session);
  try {
    const tx = await within(s.session.transaction(TransactionType.WRITE, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: lockMillis })), 'waiting write open');
    // It gave up once, and typedb-driver opened the session again (closing its transactions) and the write there.
    if (serverSessionId(s.session) !== sessionId) s.txs.forEach((t) => closeTx(t, 'typedb-driver reopened the session after a failed open'));
    if (schemaClosed.at === undefined) finding('schema', 'lock-ignored', 'a data write transaction opened while a schema session held the lock');
    const id = run.nextId++;
    s.txs.push({ id, sess: s, tx, write: true, snapshot: copy(run.committed), writes: [], open: s.open, busy: false });
    trace(`open tx${id} write (waited for the schema lock ${Date.now() - asked} ms) session${s.id}`);
    return 'waited-ok';
  } catch (e) {
    // Before its retry (see above) typedb-driver closed the session's other transactions.
    s.txs.forEach((t) => closeTx(t, 'typedb-driver reopened the session after a failed open'));
    const code = codeOf('schema-waiting-write', e);
    if (code !== 'TXN16' && code !== 'SSN03') finding('schema-waiting-write', 'unexpected-error', message(e));
    else if (Date.now() - asked < lockMillis - 20) finding('schema-waiting-write', 'early-timeout', `gave up after ${Date.now() - asked} ms of ${lockMillis}`);
    return `waited-${code}`;
  }
}

/**
 * Some of the time, every data write transaction is committed or closed first; then a schema session opens (it must,
 * unless some data write is still open), a schema write transaction makes one change, and commits or rolls back,
 * while open read transactions are read (their snapshots stand) and new data writes wait for the lock.
 */
export async function schemaUnderLoad(commit: (t: Tx) => Promise<string>, close: (t: Tx) => Promise<string>, read: (t: Tx) => Promise<string>): Promise<string> {
  const c = pick(live());
  if (!c) return 'skip';
  if (run.random() < 0.7) for (const t of allTxs().filter((x) => x.open && x.write)) await (run.random() < 0.5 && t.writes.length > 0 ? commit(t) : close(t));
  // A write the server may have ended (timeout) or one the model knows open: either may still hold the lock.
  const writesOpen = allTxs().some((t) => t.open && t.write);
  const change = pickChange();
  let session;
  try {
    session = await within(c.driver.session(DB, SessionType.SCHEMA, new TypeDBOptions({ schemaLockAcquireTimeoutMillis: 200 })), 'schema session');
  } catch (e) {
    const code = codeOf('schema', e);
    if (!writesOpen) finding('schema', 'lock-not-free', `no data write open, yet: ${message(e)}`);
    return code;
  }
  if (writesOpen && !allTxs().some((t) => t.open && t.write && !mayBeExpired(t))) trace('schema session opened: the open writes had expired');
  else if (writesOpen) finding('schema', 'lock-ignored', 'a schema session opened while a data write transaction was open');
  const schemaClosed: { at?: number } = {};
  const taken = new Set<Sess>();
  const waiting = Array.from({ length: below(3) }, () => waitingWrite(schemaClosed, taken));
  let outcome: string;
  let closing: Promise<void> | undefined;
  // Some of the time the session's close races the commit: the change is then stored whole or not at all.
  const raceClose =
    run.random() < 0.2
      ? () => {
          schemaClosed.at ??= Date.now(); // from here a waiting data write may open
          return (closing ??= within(session.close(), 'schema session close'));
        }
      : undefined;
  const schemaText = () => within(c.driver.databases.get(DB).then((d) => d.schema()), 'database schema');
  try {
    outcome = await applyChange(session, change, () => Promise.all(allTxs().filter((t) => t.open && !t.write && !t.busy).slice(0, 3).map(read)), schemaText, raceClose);
  } finally {
    schemaClosed.at ??= Date.now();
    await (closing ?? within(session.close(), 'schema session close'));
  }
  for (const w of await Promise.all(waiting)) trace(`schema: waiting write ${w}`);
  return outcome;
}

async function applyChange(
  session: Awaited<ReturnType<TypeDBDriver['session']>>,
  change: Change,
  reads: () => Promise<unknown>,
  schemaText: () => Promise<string>,
  raceClose?: () => Promise<void>,
): Promise<string> {
  const tx = await within(session.transaction(TransactionType.WRITE), 'schema transaction');
  let step = 'define';
  try {
    await within(change.undefine ? tx.query.undefine(change.query) : tx.query.define(change.query), change.what);
    // Held a while, some of the time, so that data writes waiting for the lock may give up (TXN16).
    if (run.random() < 0.5) await new Promise((r) => setTimeout(r, below(800)));
    if (raceClose && change.keep && !change.forbidden && change.label) return await commitRacingClose(tx.commit(), raceClose(), reads(), change, schemaText);
    if (change.keep || change.forbidden) {
      step = 'commit';
      await Promise.all([within(tx.commit(), 'schema commit'), reads()]);
      change.onCommit?.();
    } else await within(tx.rollback(), 'schema rollback');
    trace(`schema ${change.what} ${change.query} ${change.keep || change.forbidden ? 'committed' : 'rolled back'}`);
    if (change.forbidden) finding('schema', 'accepted-forbidden', `${change.query} was ${step === 'commit' ? 'committed' : 'accepted'} though the data forbids it (${run.committed.size} people)`);
    return `${change.what}:ok`;
  } catch (e) {
    const code = codeOf(`schema-${change.what}`, e);
    trace(`schema ${change.what} ${change.query} failed at ${step}: ${code}`);
    if (!change.forbidden) finding(`schema-${change.what}`, 'refused', `${step} of ${change.query}: ${message(e)}`);
    return `${change.what}:${code}`;
  } finally {
    await tx.close().catch(() => undefined); // already closed by its commit or failure
  }
}

/** A schema commit raced by its session's close: the change is stored (and then in the model) or not at all. */
async function commitRacingClose(commit: Promise<void>, close: Promise<void>, reads: Promise<unknown>, change: Change, schemaText: () => Promise<string>): Promise<string> {
  const [committed, closed] = await Promise.allSettled([within(commit, 'racing schema commit'), close, reads]);
  if (committed.status === 'rejected') codeOf('schema-vs-close', committed.reason);
  if (closed.status === 'rejected') codeOf('schema-vs-close', closed.reason);
  const present = new RegExp(`\\b${change.label} sub\\b`).test(await schemaText());
  const stored = present !== change.undefine;
  if (stored) change.onCommit?.();
  if (committed.status === 'fulfilled' && !stored) finding('schema-vs-close', 'lost-commit', `${change.query} committed, but the schema does not show it`);
  trace(`schema ${change.what} ${change.query} raced by its session's close: commit ${committed.status}, stored ${stored}`);
  return `${change.what}:race-${committed.status === 'fulfilled' ? 'committed' : stored ? 'failed-but-stored' : 'not-stored'}`;
}

/** `db` holds one of `states` (the committed states the export may have read): its people, types and tags. */
async function checkTypes(driver: TypeDBDriver, db: string, where: string, states: readonly People[]): Promise<void> {
  const session = await within(driver.session(db, SessionType.DATA), `${where}: session`);
  try {
    const tx = await within(session.transaction(TransactionType.READ), `${where}: transaction`);
    const got = await within(readPeople(tx), `${where}: read`);
    const expected = states.find((s) => equal(s, got)) ?? states[0]!;
    compare(where, expected, got, db);
    const names = [...expected.keys()];
    for (const k of ['person', ...run.kinds]) {
      const got = (await within(tx.query.getAggregate(`match $p isa! ${k}; get; count;`), `${where}: count`))!.asLong();
      const want = names.filter((n) => kindOf(n) === k).length;
      if (got !== want) finding(where, 'wrong-answer', `${db}: ${got} ${k}, expected ${want}`);
    }
    for (const t of run.tags) {
      const got = (await within(tx.query.getAggregate(`match $p isa person, has ${t} $v; get; count;`), `${where}: count`))!.asLong();
      const want = names.filter((n) => tagOf(n) === t).length;
      if (got !== want) finding(where, 'wrong-answer', `${db}: ${got} people with ${t}, expected ${want}`);
    }
    await tx.close();
  } finally {
    await session.close();
  }
}

function cli(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/**
 * `strata server export` of the database, `import` of both files into a new one: the same people, types and tags.
 * Half of the time a data write commits during the export, which reads one snapshot: the state before or after it.
 */
export async function exportImport(address: string, checker: Client, commit: (t: Tx) => Promise<string>): Promise<string> {
  const port = address.slice(address.lastIndexOf(':') + 1);
  const dir = mkdtempSync(join(tmpdir(), 'strata-fuzz-export-'));
  const target = `imported${run.nextId++}`;
  try {
    const files = [`--schema=${join(dir, 'schema.tql')}`, `--data=${join(dir, 'data.typedb')}`, `--port=${port}`];
    const racing = run.random() < 0.5 ? pick(allTxs().filter((t) => t.open && t.write && t.writes.length > 0 && !mayBeExpired(t))) : undefined;
    const states = [run.committed];
    const exporting = within(cli(['server', 'export', `--database=${DB}`, ...files]), 'export');
    if (racing) {
      await new Promise((r) => setTimeout(r, below(300)));
      trace(`export: commit tx${racing.id} during it: ${await commit(racing)}`);
      states.push(run.committed);
    }
    const exported = await exporting;
    if (exported.code !== 0) return finding('export', 'failed', exported.output), 'export-failed';
    const imported = await within(cli(['server', 'import', `--database=${target}`, ...files]), 'import');
    if (imported.code !== 0) return finding('import', 'failed', imported.output), 'import-failed';
    await checkTypes(checker.driver, target, 'export-import', states);
    return 'ok';
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (await checker.driver.databases.contains(target)) await (await checker.driver.databases.get(target)).delete();
  }
}

/** `database schema` printed, defined in a fresh database, and printed again: the same text. */
export async function schemaReload(checker: Client): Promise<string> {
  const text = await within(checker.driver.databases.get(DB).then((d) => d.schema()), 'database schema');
  const target = `reloaded${run.nextId++}`;
  await checker.driver.databases.create(target);
  try {
    const session = await within(checker.driver.session(target, SessionType.SCHEMA), 'reload session');
    try {
      const tx = await within(session.transaction(TransactionType.WRITE), 'reload transaction');
      await within(tx.query.define(text), 'reload define');
      await within(tx.commit(), 'reload commit');
    } finally {
      await session.close();
    }
    const again = await within(checker.driver.databases.get(target).then((d) => d.schema()), 'reloaded schema');
    if (again !== text) finding('schema-reload', 'different-schema', `printed:\n${text}\nreloaded and printed:\n${again}`);
    return 'ok';
  } catch (e) {
    finding('schema-reload', 'failed', `${message(e)}\n${text}`);
    return codeOf('schema-reload', e);
  } finally {
    await (await checker.driver.databases.get(target)).delete();
  }
}
