// The actions of bench/fuzz-server.ts: drivers, sessions and transactions opened and closed, queries (reads checked
// against the model, writes recorded in it, wrong ones expected to fail), commits, rollbacks, schema changes, exports
// and schema reloads (fuzz-server-schema.ts), a database deleted under its session, a commit raced by its session's close; a step runs one, or a burst at once.
import { SessionType, TransactionType, TypeDB, TypeDBOptions } from 'typedb-driver';
import { apply, copy, equal, insertsOnly, names, type Write } from './fuzz-server-model.js';
import { exportImport, newPerson, schemaReload, schemaUnderLoad } from './fuzz-server-schema.js';
import {
  DB, allTxs, below, clients, closeTx, codeOf, count, deadTxs, finding, live, liveSessions, liveTxs, mayBeExpired, message, orphans, pick,
  readPeople, run, trace, view, within, compare, type Client, type Tx,
} from './fuzz-server-state.js';
// ---------------------------------------------------------------------------------------------------------------
// Actions: each returns its outcome ('ok' or an error code) and reports findings

type Action = () => Promise<string>;

export async function newClient(address: string): Promise<string> {
  const driver = await within(TypeDB.coreDriver(address), 'connect');
  clients.push({ id: run.nextId++, driver, open: true, sessions: [] });
  return 'ok';
}

async function closeClient(): Promise<string> {
  const c = pick(live());
  if (!c || live().length < 2) return 'skip';
  c.open = false;
  for (const s of c.sessions) {
    if (s.open) orphans.push(s);
    s.open = false;
  }
  await within(c.driver.close(), 'driver close');
  return 'ok';
}

async function openSession(): Promise<string> {
  const c = pick(live());
  if (!c) return 'skip';
  const missing = run.random() < 0.05;
  try {
    const session = await within(c.driver.session(missing ? 'no-such-db' : DB, SessionType.DATA), 'session open');
    if (missing) finding('open-session', 'no-error', 'a session opened on a database that does not exist');
    c.sessions.push({ id: run.nextId++, client: c, session, open: true, txs: [] });
    return 'ok';
  } catch (e) {
    const code = codeOf('open-session', e);
    if (!missing) finding('open-session', 'unexpected-error', message(e));
    return code;
  }
}

async function closeSession(): Promise<string> {
  const s = pick(liveSessions().filter((x) => x.txs.every((t) => !t.busy)));
  if (!s) return 'skip';
  s.open = false;
  s.txs.forEach((t) => closeTx(t, 'session close'));
  await within(s.session.close(), 'session close');
  return 'ok';
}

async function openTx(): Promise<string> {
  const s = pick(liveSessions());
  if (!s) return 'skip';
  const write = run.random() < 0.6;
  const timeout = run.random() < 0.1 ? 100 + below(400) : undefined;
  const options = new TypeDBOptions({ infer: run.random() < 0.3, ...(timeout ? { transactionTimeoutMillis: timeout } : {}) });
  const [inFlight, epoch, asked] = [run.commitsInFlight, run.commitEpoch, Date.now()];
  try {
    const tx = await within(s.session.transaction(write ? TransactionType.WRITE : TransactionType.READ, options), 'transaction open');
    const snapshot = inFlight > 0 || run.commitEpoch !== epoch ? undefined : copy(run.committed);
    const id = run.nextId++;
    s.txs.push({ id, sess: s, tx, write, snapshot, writes: [], open: s.open, expiresAt: timeout ? asked + timeout : undefined, busy: false });
    trace(`open tx${id} ${write ? 'write' : 'read'} session${s.id} snapshot ${snapshot ? 'known' : 'unknown'} timeout ${timeout ?? '-'}`);
    return 'ok';
  } catch (e) {
    const code = codeOf('open-tx', e);
    if (s.open) finding('open-tx', 'unexpected-error', message(e));
    return code;
  }
}

/**
 * Runs `operation` on a transaction that should be open (its picker reserved it: `busy`): a failure closes it, and
 * is a finding unless it was expected, allowed ('may-fail': a commit may conflict) or the transaction may have expired.
 */
async function onTx<T>(action: string, t: Tx, operation: () => Promise<T>, expect: 'success' | 'failure' | 'may-fail' = 'success'): Promise<{ value?: T; outcome: string }> {
  try {
    const value = await within(operation(), action);
    if (expect === 'failure') finding(action, 'no-error', `transaction ${t.id} (${t.write ? 'write' : 'read'}) accepted it`);
    return { value, outcome: 'ok' };
  } catch (e) {
    const code = codeOf(action, e);
    if (expect === 'success' && !mayBeExpired(t) && t.open) finding(action, 'unexpected-error', `transaction ${t.id}: ${message(e)}`);
    closeTx(t, `${action}: ${code}`);
    return { outcome: code };
  }
}

async function read(t: Tx): Promise<string> {
  const expected = view(t);
  const r = await onTx('read', t, () => readPeople(t.tx));
  if (r.value && !mayBeExpired(t)) compare('read', expected, r.value, `transaction ${t.id} (${t.write ? 'write' : 'read'}, ${t.writes.length} writes)`);
  return r.outcome;
}

async function countPeople(t: Tx): Promise<string> {
  const expected = view(t);
  const r = await onTx('count', t, () => t.tx.query.getAggregate('match $p isa person; get; count;'));
  if (r.value && expected && r.value.asLong() !== expected.size) finding('count', 'wrong-answer', `transaction ${t.id}: count ${r.value.asLong()}, expected ${expected.size}`);
  return r.outcome;
}

async function fetchNames(t: Tx): Promise<string> {
  const expected = view(t);
  const r = await onTx('fetch', t, () => t.tx.query.fetch('match $p isa person, has name $n; fetch $n;').collect());
  if (r.value && expected) {
    const got = r.value.map((o) => ((o as { n: { value: string } }).n.value)).sort().join(',');
    if (got !== names(expected)) finding('fetch', 'wrong-answer', `transaction ${t.id}: ${got} vs ${names(expected)}`);
  }
  return r.outcome;
}

/** Reads one answer of a long stream and abandons the rest: the transaction must stay usable. */
async function partialStream(t: Tx): Promise<string> {
  return (
    await onTx('partial-stream', t, async () => {
      for await (const _ of t.tx.query.get('match $p isa person; $q isa person; get;')) break;
    })
  ).outcome;
}

async function insert(t: Tx): Promise<string> {
  const p = newPerson();
  const w: Write = { op: 'insert', name: p.name, score: below(5) };
  const tag = p.tag ? `, has ${p.tag} "${p.name}"` : '';
  const r = await onTx('insert', t, () => t.tx.query.insert(`insert $p isa ${p.kind}, has name "${w.name}", has score ${w.score}${tag};`).collect(), t.write ? 'success' : 'failure');
  if (r.value) t.writes.push(w);
  return r.outcome;
}

/**
 * A delete, and a score added below, change only what the transaction's match finds: a person committed after its
 * snapshot is not there for it. So the model records them only when they matched (the count asked first).
 */
async function remove(t: Tx): Promise<string> {
  const name = pick([...(view(t)?.keys() ?? [])]) ?? `p${below(run.nextName + 1)}`;
  const match = `match $p isa person, has name "${name}";`;
  const r = await onTx(
    'delete',
    t,
    async () => {
      const found = (await t.tx.query.getAggregate(`${match} get; count;`))!.asLong();
      await t.tx.query.delete(`${match} delete $p isa person;`);
      return found;
    },
    t.write ? 'success' : 'failure',
  );
  trace(`delete tx${t.id} ${name} ${r.outcome} ${r.value}`);
  if (r.value !== undefined && r.value > 0) t.writes.push({ op: 'delete', name });
  return r.outcome;
}

async function addScore(t: Tx): Promise<string> {
  const name = pick([...(view(t)?.keys() ?? [])]) ?? `p${below(run.nextName + 1)}`;
  const score = below(5);
  const expected = view(t);
  const r = await onTx('score', t, () => t.tx.query.insert(`match $p isa person, has name "${name}"; insert $p has score ${score};`).collect(), t.write ? 'success' : 'failure');
  trace(`score tx${t.id} ${name}=${score} ${r.outcome} ${r.value?.length}`);
  if (r.value) {
    if (expected && r.value.length !== (expected.has(name) ? 1 : 0)) finding('score', 'wrong-answer', `transaction ${t.id}: ${r.value.length} answers for ${name}`);
    if (r.value.length > 0) t.writes.push({ op: 'score', name, score });
  }
  return r.outcome;
}

const BAD_QUERIES = [
  'match $p isa person get;', // syntax
  'match $p isa no-such-type; get;', // unknown type
  'match $p isa person, has name $n; get $m;', // unknown variable in the filter
  'insert $p isa person, has name 12;', // wrong value type
  'define person owns score @key;', // a schema query in a data session
];

async function badQuery(t: Tx): Promise<string> {
  const q = BAD_QUERIES[below(BAD_QUERIES.length)]!;
  const run: () => Promise<unknown> = q.startsWith('define') ? () => t.tx.query.define(q) : q.startsWith('insert') ? () => t.tx.query.insert(q).collect() : () => t.tx.query.get(q).collect();
  return (await onTx('bad-query', t, run, 'failure')).outcome;
}

/** Several queries sent without waiting for the previous ones: answers must match as if sent one by one. */
async function pipelined(t: Tx): Promise<string> {
  const expected = view(t);
  const r = await onTx('pipelined', t, () => Promise.all([readPeople(t.tx), t.tx.query.getAggregate('match $p isa person; get; count;'), readPeople(t.tx)]));
  if (r.value && !mayBeExpired(t)) {
    compare('pipelined', expected, r.value[0], `transaction ${t.id}, first`);
    compare('pipelined', expected, r.value[2], `transaction ${t.id}, third`);
  }
  return r.outcome;
}

async function commit(t: Tx): Promise<string> {
  const writes = t.writes;
  run.commitsInFlight++;
  run.commitEpoch++;
  try {
    // A read transaction cannot commit; a write one may conflict with a concurrent commit, unless it only inserted.
    const r = await onTx('commit', t, () => t.tx.commit(), t.write ? 'may-fail' : 'failure');
    trace(`commit tx${t.id} ${r.outcome} ${JSON.stringify(writes)}`);
    if (r.outcome === 'ok' && t.write) run.committed = apply(run.committed, writes);
    else if (t.write && insertsOnly(writes) && !mayBeExpired(t) && r.outcome !== 'ok') finding('commit', 'refused-inserts', `transaction ${t.id}: ${r.outcome} for ${writes.length} fresh inserts`);
    closeTx(t, 'commit');
    return r.outcome;
  } finally {
    run.commitsInFlight--;
    run.commitEpoch++;
  }
}

async function rollback(t: Tx): Promise<string> {
  // TypeDB 2.x's rollback has no read-only check: on a read transaction it does nothing.
  const r = await onTx('rollback', t, () => t.tx.rollback());
  if (r.outcome === 'ok') t.writes = [];
  trace(`rollback tx${t.id} ${r.outcome}`);
  return r.outcome;
}

export async function close(t: Tx): Promise<string> {
  closeTx(t, 'close');
  try {
    await within(t.tx.close(), 'transaction close');
    return 'ok';
  } catch (e) {
    return codeOf('close', e);
  }
}

/** Anything on a closed transaction must fail, with a code. */
async function onClosed(): Promise<string> {
  const t = pick(deadTxs());
  if (!t) return 'skip';
  const ops: (() => Promise<unknown>)[] = [() => t.tx.query.get('match $p isa person; get;').collect(), () => t.tx.commit(), () => t.tx.query.insert(`insert $p isa person, has name "late${run.nextName++}";`).collect()];
  try {
    await within(ops[below(ops.length)]!(), 'closed transaction');
    finding('on-closed', 'no-error', `transaction ${t.id} (${t.write ? 'write' : 'read'}, expires ${t.expiresAt ?? 'never'}) answered after it was closed by ${t.closedBy}`);
    return 'ok';
  } catch (e) {
    return codeOf('on-closed', e);
  }
}

/** A scratch database deleted under a session and a transaction on it: both must fail cleanly. */
async function deletedDatabase(): Promise<string> {
  const c = pick(live());
  if (!c) return 'skip';
  const name = `scratch${run.nextId++}`;
  await within(c.driver.databases.create(name), 'create');
  const session = await within(c.driver.session(name, SessionType.DATA), 'scratch session');
  const tx = await within(session.transaction(TransactionType.READ), 'scratch transaction');
  try {
    await within(c.driver.databases.get(name).then((d) => d.delete()), 'delete database');
  } catch (e) {
    codeOf('deleted-db', e); // TypeDB refuses to delete a database in use: either is fine
  }
  let outcome = 'ok';
  try {
    await within(tx.query.get('match $x isa thing; get;').collect(), 'query on a deleted database');
  } catch (e) {
    outcome = codeOf('deleted-db', e);
  }
  await within(session.close(), 'scratch session close').catch((e) => codeOf('deleted-db', e));
  if (await c.driver.databases.contains(name)) await c.driver.databases.get(name).then((d) => d.delete());
  return outcome;
}

/** A commit raced by its session's close: either all of its writes are stored or none. */
async function commitRacingClose(checker: Client): Promise<string> {
  const t = pick(liveTxs().filter((x) => x.write && x.writes.length > 0 && !x.sess.txs.some((o) => o.busy)));
  if (!t) return 'skip';
  const writes = t.writes;
  const before = run.committed;
  const s = t.sess;
  s.open = false;
  const results = await Promise.allSettled([within(t.tx.commit(), 'racing commit'), within(s.session.close(), 'racing close')]);
  trace(`commit-vs-close tx${t.id} ${results.map((r) => r.status).join(',')} ${JSON.stringify(writes)}`);
  s.txs.forEach((t) => closeTx(t, 'commit racing close'));
  for (const r of results) if (r.status === 'rejected') codeOf('commit-vs-close', r.reason);
  const session = await within(checker.driver.session(DB, SessionType.DATA), 'check session');
  const tx = await within(session.transaction(TransactionType.READ), 'check transaction');
  const got = await within(readPeople(tx), 'check read');
  await tx.close();
  await session.close();
  const after = apply(before, writes);
  if (equal(got, after)) run.committed = after;
  else if (!equal(got, before)) finding('commit-vs-close', 'partial-commit', `${names(got)} is neither ${names(before)} nor ${names(after)}`);
  if (results[0].status === 'fulfilled' && !equal(got, after)) finding('commit-vs-close', 'lost-commit', 'the commit succeeded but its writes are not stored');
  return results[0].status === 'fulfilled' ? 'committed' : equal(got, after) ? 'failed-but-stored' : 'not-stored';
}

const TX_ACTIONS: [number, (t: Tx) => Promise<string>, string][] = [
  [6, read, 'read'],
  [2, countPeople, 'count'],
  [2, fetchNames, 'fetch'],
  [1, partialStream, 'partial-stream'],
  [8, insert, 'insert'],
  [3, remove, 'delete'],
  [3, addScore, 'score'],
  [1, badQuery, 'bad-query'],
  [2, pipelined, 'pipelined'],
  [4, commit, 'commit'],
  [1, rollback, 'rollback'],
  [2, close, 'close'],
];

/** An action on an open transaction no other action of this step uses (it is reserved until the action ends). */
function txAction(): [string, Action, () => void] | undefined {
  const t = pick(liveTxs());
  if (!t) return undefined;
  t.busy = true;
  const release = () => (t.busy = false);
  let n = below(TX_ACTIONS.reduce((a, [w]) => a + w, 0));
  for (const [w, f, name] of TX_ACTIONS) {
    if ((n -= w) < 0) return [name, () => f(t).finally(release), release];
  }
  release();
  return undefined;
}

function otherAction(address: string, checker: Client): [string, Action] {
  const roll = below(100);
  if (roll < 3 && live().length < 4) return ['new-client', () => newClient(address)];
  if (roll < 5) return ['close-client', closeClient];
  if (roll < 30) return ['open-session', openSession];
  if (roll < 36) return ['close-session', closeSession];
  if (roll < 84) return ['open-tx', openTx];
  if (roll < 90) return ['on-closed', onClosed];
  if (roll < 95) return ['schema', () => schemaUnderLoad(commit, close, read)];
  if (roll < 96) return ['export-import', () => exportImport(address, checker, commit)];
  if (roll < 97) return ['schema-reload', () => schemaReload(checker)];
  if (roll < 98) return ['deleted-db', deletedDatabase];
  return ['commit-vs-close', () => commitRacingClose(checker)];
}

export async function step(address: string, checker: Client): Promise<void> {
  const burst = run.random() < 0.2 ? 2 + below(3) : 1;
  const chosen: [string, Action][] = [];
  for (let i = 0; i < burst; i++) {
    const a = (run.random() < 0.65 ? txAction() : undefined) ?? otherAction(address, checker);
    // In a burst, only operations on distinct transactions, opens and reads run together: closes stay sequential.
    if (burst > 1 && !['read', 'count', 'fetch', 'insert', 'delete', 'score', 'pipelined', 'commit', 'open-tx', 'open-session', 'partial-stream'].includes(a[0])) {
      a[2]?.(); // the transaction it reserved is free again
      continue;
    }
    chosen.push([a[0], a[1]]);
  }
  const results = await Promise.allSettled(
    chosen.map(async ([name, act]) => {
      const outcome = await act();
      count(name, outcome);
      if (!TX_ACTIONS.some(([, , n]) => n === name)) trace(`${name} ${outcome}`);
    }),
  );
  if (process.env.FUZZ_TRACE_STATS) trace(`${run.lastStats} model sessions=${liveSessions().length + orphans.length}`);
  for (const r of results) if (r.status === 'rejected') count('unexpected', codeOf('step', r.reason));
}

