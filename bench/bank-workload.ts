// The bank check of transaction isolation: clients move money between accounts in write transactions (read two
// balances, replace them, record the transfer, commit, retry on a write conflict) while readers check that every
// snapshot is consistent, and a counter incremented by two clients at once must lose no increment. The same workload
// runs over the embedded API (test/database/bank.test.ts) and through the real server (bench/bank.ts).
import type { BankConnection, BankTransaction } from './bank-connection.js';
import { BankLedger, type Transfer } from './bank-ledger.js';
import { seededRandom } from './workload.js';

export const BANK_SCHEMA = `define
  account-id sub attribute, value string;
  balance sub attribute, value long;
  transfer-id sub attribute, value string;
  amount sub attribute, value long;
  payer sub attribute, value string;
  payee sub attribute, value string;
  counter-id sub attribute, value string;
  tally sub attribute, value long;
  account sub entity, owns account-id @key, owns balance;
  transfer sub entity, owns transfer-id @key, owns amount, owns payer, owns payee;
  counter sub entity, owns counter-id @key, owns tally;
  note-text sub attribute, value string;
  note sub entity, owns note-text;`;

/** TypeDB's write conflicts: the commit changed nothing and may be retried. */
const CONFLICT = /\[TXN(09|10|11)\]/;

export interface BankOptions {
  readonly accounts: number;
  /** Concurrent transferring clients. */
  readonly clients: number;
  /** Concurrent clients checking snapshots. */
  readonly readers: number;
  readonly millis: number;
  readonly seed: number;
  readonly initialBalance?: number;
  /** Largest amount moved at once. */
  readonly maxAmount?: number;
  /**
   * Notes the first client writes with every fifth transfer, in its transaction: enough (~1 100, 4 keys each) make the commit
   * large enough for the store's writer thread, which writes it off the event loop while others read and commit.
   */
  readonly bulkNotes?: number;
  /** Longest pause of a transfer between its reads and its writes (default 0): longer-open write transactions. */
  readonly thinkMillis?: number;
}

export interface BankStats {
  commits: number;
  /** Write conflicts, by code. */
  conflicts: Map<string, number>;
  /** Transfers not made: the payer's balance was too low. */
  declined: number;
  snapshots: number;
  /** Most retries one transfer needed. */
  maxRetries: number;
  /** Failures other than write conflicts, by message. */
  errors: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Creates the accounts (the schema must be defined), in one write transaction. */
export async function openAccounts(connection: BankConnection, accounts: number, initialBalance: number): Promise<string[]> {
  const ids = Array.from({ length: accounts }, (_, i) => `acc-${i}`);
  const tx = await connection.transaction('write');
  for (const id of ids) await tx.write('insert', `insert $a isa account, has account-id "${id}", has balance ${initialBalance};`);
  await tx.commit();
  return ids;
}

async function balanceIn(tx: BankTransaction, ledger: BankLedger, account: string, where: string): Promise<number | undefined> {
  const rows = await tx.rows(`match $a isa account, has account-id "${account}", has balance $b; get $a, $b;`, ['b']);
  if (rows.length !== 1) ledger.violation(`${where}: account ${account} has ${rows.length} balances in a write transaction's snapshot`);
  return rows.length === 0 ? undefined : Number(rows[0]!.b);
}

/** How a transfer replaces a balance: one update query, a delete and an insert, or the Concept API. */
export type BalanceWrite = 'update' | 'delete-insert' | 'concepts';
const BALANCE_WRITES: readonly BalanceWrite[] = ['update', 'delete-insert', 'concepts'];

async function setBalance(tx: BankTransaction, account: string, balance: number, how: BalanceWrite): Promise<void> {
  const match = `match $a isa account, has account-id "${account}"`;
  switch (how) {
    case 'update':
      return tx.write('update', `${match}, has balance $b; delete $a has $b; insert $a has balance ${balance};`);
    case 'delete-insert':
      await tx.write('delete', `${match}, has balance $b; delete $a has $b;`);
      return tx.write('insert', `${match}; insert $a has balance ${balance};`);
    case 'concepts':
      return tx.replaceThroughConcepts(`${match}, has balance $b; get $a, $b;`, 'a', 'b', 'balance', balance);
  }
}

/** Runs `body` in write transactions until one commits; true once committed, false if `body` gave up (closed it). */
async function retrying(connection: BankConnection, stats: BankStats, body: (tx: BankTransaction, attempt: number) => Promise<Transfer | false | void>, onOutcome: (t: Transfer, committed: boolean) => void): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const tx = await connection.transaction('write');
    let sent: Transfer | void = undefined;
    try {
      const planned = await body(tx, attempt);
      if (planned === false) {
        await tx.close();
        return false;
      }
      sent = planned;
      await tx.commit();
      if (sent) onOutcome(sent, true);
      stats.commits++;
      stats.maxRetries = Math.max(stats.maxRetries, attempt);
      return true;
    } catch (e) {
      // The error that matters is `e`: a failed commit has closed the transaction already, and a close failing
      // after it (a lost connection) says nothing more.
      await tx.close().catch(() => {});
      const code = CONFLICT.exec(message(e))?.[0];
      if (code === undefined) throw e;
      if (sent) onOutcome(sent, false);
      bump(stats.conflicts, code);
    }
  }
}

/** Notes written with a transfer: `count` notes named after it, a hundred to a query. */
async function writeNotes(tx: BankTransaction, transfer: string, count: number): Promise<void> {
  for (let first = 0; first < count; first += 100) {
    const notes = Array.from({ length: Math.min(100, count - first) }, (_, i) => `$n${i} isa note, has note-text "${transfer}/${first + i}";`);
    await tx.write('insert', `insert ${notes.join(' ')}`);
  }
}

/** What one transferring client does, and with what. */
interface TransferClient {
  readonly connection: BankConnection;
  readonly client: number;
  readonly ledger: BankLedger;
  readonly stats: BankStats;
  readonly until: number;
  readonly random: () => number;
  readonly maxAmount: number;
  readonly bulkNotes: number;
  readonly thinkMillis: number;
}

const pause = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/**
 * Writes that the transaction then rolls back, before it makes the transfer over the same snapshot: a wrong balance
 * and a transfer no one may ever see.
 */
async function rolledBackDecoy(tx: BankTransaction, ledger: BankLedger, id: string, payer: string, from: number, how: BalanceWrite): Promise<void> {
  await setBalance(tx, payer, from + 1000, how);
  await tx.write('insert', `insert $t isa transfer, has transfer-id "${id}", has amount 1000, has payer "${payer}", has payee "${payer}";`);
  ledger.rolledBack.add(id);
  await tx.rollback();
}

async function transferLoop(c: TransferClient): Promise<void> {
  const { client, ledger, random } = c;
  const accounts = ledger.accounts;
  for (let n = 0; Date.now() < c.until; n++) {
    const payer = accounts[Math.floor(random() * accounts.length)]!;
    let payee = accounts[Math.floor(random() * (accounts.length - 1))]!;
    if (payee === payer) payee = accounts[accounts.length - 1]!;
    const amount = 1 + Math.floor(random() * c.maxAmount);
    const how = BALANCE_WRITES[Math.floor(random() * BALANCE_WRITES.length)]!;
    const notes = n % 5 === 4 ? c.bulkNotes : 0;
    const decoy = random() < 0.1;
    const think = random() * c.thinkMillis;
    const committed = await retrying(
      c.connection,
      c.stats,
      async (tx, attempt) => {
        const where = `client ${client}, transfer ${n}`;
        const from = await balanceIn(tx, ledger, payer, where);
        const to = await balanceIn(tx, ledger, payee, where);
        if (from === undefined || to === undefined) return false;
        if (from < amount) return false;
        const id = `c${client}-${n}-${attempt}`;
        // Others commit meanwhile: the longer the transaction stays open, the likelier it conflicts.
        if (think > 0) await pause(think);
        if (decoy) await rolledBackDecoy(tx, ledger, `${id}-rolled-back`, payer, from, how);
        await setBalance(tx, payer, from - amount, how);
        await setBalance(tx, payee, to + amount, how);
        const transfer = { id, amount, payer, payee, notes };
        await tx.write('insert', `insert $t isa transfer, has transfer-id "${id}", has amount ${amount}, has payer "${payer}", has payee "${payee}";`);
        await writeNotes(tx, id, notes);
        ledger.pending.set(id, transfer);
        return transfer;
      },
      (transfer, committed) => {
        ledger.pending.delete(transfer.id);
        if (committed) ledger.acknowledged.set(transfer.id, transfer);
        else ledger.refused.add(transfer.id);
      },
    );
    if (!committed) c.stats.declined++;
  }
}

/** One snapshot's balances, one per account. */
async function balancesIn(tx: BankTransaction, ledger: BankLedger, where: string): Promise<Map<string, number>> {
  return ledger.checkBalances(await tx.rows('match $a isa account, has account-id $i, has balance $b; get $i, $b;', ['i', 'b']), where);
}

/**
 * Checks one snapshot: balances, the transfers that explain them, and how many there are. Returns what it read, for
 * a second check of the same transaction to compare.
 */
async function checkSnapshot(tx: BankTransaction, ledger: BankLedger, acknowledgedBefore: number, where: string): Promise<string> {
  // Counted from the store's keys (a lone `isa`), first and last, and by matching every transfer in between: one
  // snapshot, one count, however many commits land meanwhile.
  const counted = await tx.aggregate('match $t isa transfer; get $t; count;');
  const balances = await balancesIn(tx, ledger, where);
  const flows = (role: string) => tx.groupAggregate(`match $t isa transfer, has ${role} $p, has amount $m; get $t, $p, $m; group $p; sum $m;`);
  ledger.checkFlows(balances, await flows('payer'), await flows('payee'), where);
  const matched = await tx.aggregate('match $t isa transfer, has transfer-id $i; get $t, $i; count;');
  const countedAgain = await tx.aggregate('match $t isa transfer; get $t; count;');
  if (matched !== counted || countedAgain !== counted) {
    ledger.violation(`${where}: one snapshot counts ${counted}, then matches ${matched}, then counts ${countedAgain} transfers`);
  }
  ledger.checkCount(counted, acknowledgedBefore, where);
  return `${counted} transfers; ${[...balances].sort().map(([a, b]) => `${a}=${b}`).join(' ')}`;
}

/** Every other snapshot is held open a while (commits land meanwhile) and checked again: it must read the same. */
async function readerLoop(connection: BankConnection, reader: number, ledger: BankLedger, stats: BankStats, until: number, random: () => number): Promise<void> {
  while (Date.now() < until) {
    const where = `reader ${reader}, snapshot ${stats.snapshots}`;
    const acknowledgedBefore = ledger.acknowledged.size;
    const tx = await connection.transaction('read');
    try {
      const first = await checkSnapshot(tx, ledger, acknowledgedBefore, where);
      if (stats.snapshots % 2 === 1) {
        await new Promise((resolve) => setTimeout(resolve, 50 + random() * 250));
        const again = await checkSnapshot(tx, ledger, acknowledgedBefore, `${where}, held`);
        if (again !== first) ledger.violation(`${where}: read again later in the same transaction, ${again}; first ${first}`);
      }
    } finally {
      await tx.close();
    }
    stats.snapshots++;
  }
}

/** Checks the state once every client has stopped: every transfer, every balance. */
export async function checkFinal(connection: BankConnection, ledger: BankLedger, where = 'final state'): Promise<void> {
  const tx = await connection.transaction('read');
  try {
    const balances = await balancesIn(tx, ledger, where);
    const transfers = await tx.rows(
      'match $x isa transfer, has transfer-id $t, has amount $m, has payer $p, has payee $q; get $x, $t, $m, $p, $q;',
      ['t', 'm', 'p', 'q'],
    );
    const notes = await tx.aggregate('match $n isa note; get $n; count;');
    ledger.checkFinal(balances, transfers, notes, where);
  } finally {
    await tx.close();
  }
}

function logErrors(stats: BankStats, run: Promise<void>): Promise<void> {
  return run.catch((e) => void bump(stats.errors, message(e).split('\n')[0]!.slice(0, 300)));
}

/**
 * Transfers and snapshot checks for `millis`, each client and reader on its own connection (`connect` gives a new
 * one), then the final check. The ledger holds the violations found.
 */
export async function runBank(connect: () => BankConnection, options: BankOptions): Promise<{ ledger: BankLedger; stats: BankStats }> {
  const initialBalance = options.initialBalance ?? 100;
  const setup = connect();
  const ledger = new BankLedger(await openAccounts(setup, options.accounts, initialBalance), initialBalance);
  const stats: BankStats = { commits: 0, conflicts: new Map(), declined: 0, snapshots: 0, maxRetries: 0, errors: new Map() };
  const until = Date.now() + options.millis;
  const connections = Array.from({ length: options.clients + options.readers }, () => connect());
  try {
    await Promise.all([
      ...Array.from({ length: options.clients }, (_, client) =>
        logErrors(
          stats,
          transferLoop({
            connection: connections[client]!,
            client,
            ledger,
            stats,
            until,
            random: seededRandom(options.seed * 1000 + client),
            maxAmount: options.maxAmount ?? 30,
            bulkNotes: client === 0 ? (options.bulkNotes ?? 0) : 0,
            thinkMillis: options.thinkMillis ?? 0,
          }),
        ),
      ),
      ...Array.from({ length: options.readers }, (_, r) => logErrors(stats, readerLoop(connections[options.clients + r]!, r, ledger, stats, until, seededRandom(options.seed * 1000 + 500 + r)))),
    ]);
    await checkFinal(setup, ledger);
  } finally {
    for (const c of [setup, ...connections]) await c.close();
  }
  return { ledger, stats };
}

/**
 * The lost-update check: `clients` clients each add 1 to one shared tally `increments` times, retrying on a write
 * conflict. Returns the final tally (clients × increments unless an increment was lost) and the retries needed.
 */
export async function runCounter(connect: () => BankConnection, clients: number, increments: number, counter = 'shared'): Promise<{ tally: number; retries: number; stats: BankStats }> {
  const stats: BankStats = { commits: 0, conflicts: new Map(), declined: 0, snapshots: 0, maxRetries: 0, errors: new Map() };
  const connections = Array.from({ length: clients }, () => connect());
  const match = `match $c isa counter, has counter-id "${counter}", has tally $v;`;
  try {
    const create = await connections[0]!.transaction('write');
    await create.write('insert', `insert $c isa counter, has counter-id "${counter}", has tally 0;`);
    await create.commit();
    await Promise.all(
      connections.map(async (connection) => {
        for (let i = 0; i < increments; i++) {
          await retrying(connection, stats, async (tx) => {
            const rows = await tx.rows(`${match} get $c, $v;`, ['v']);
            if (rows.length !== 1) throw new Error(`the counter has ${rows.length} tallies`);
            await tx.write('update', `${match} delete $c has $v; insert $c has tally ${Number(rows[0]!.v) + 1};`);
          }, () => {});
        }
      }),
    );
    const tx = await connections[0]!.transaction('read');
    const rows = await tx.rows(`${match} get $c, $v;`, ['v']);
    await tx.close();
    if (rows.length !== 1) throw new Error(`the counter has ${rows.length} tallies at the end`);
    const retries = [...stats.conflicts.values()].reduce((a, b) => a + b, 0);
    return { tally: Number(rows[0]!.v), retries, stats };
  } finally {
    for (const c of connections) await c.close();
  }
}
