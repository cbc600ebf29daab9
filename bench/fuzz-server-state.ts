// The state of a bench/fuzz-server.ts run: the clients, sessions and transactions it holds as the model sees them,
// what is committed, the outcome counts and findings, and the checks of reads and of the server's open counts.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { SessionType, TransactionType, type TypeDBDriver, type TypeDBSession, type TypeDBTransaction } from 'typedb-driver';
import { apply, equal, fromRows, names, pairs, type People, type Write } from './fuzz-server-model.js';

/** An operation slower than this is a hang (the server's own waits are 10 s at most). */
const HANG_MILLIS = 30_000;
export const DB = 'fz';

export interface Client { readonly id: number; readonly driver: TypeDBDriver; open: boolean; sessions: Sess[] }
export interface Sess { readonly id: number; readonly client: Client; readonly session: TypeDBSession; open: boolean; txs: Tx[] }
export interface Tx {
  readonly id: number;
  readonly sess: Sess;
  readonly tx: TypeDBTransaction;
  readonly write: boolean;
  /** What it saw when it opened; undefined when a commit was in flight then (either state is possible). */
  readonly snapshot?: People;
  writes: Write[];
  /** Open as far as the model knows: closed by close, commit, an error or its session closing (not its driver: see orphans). */
  open: boolean;
  /** Opened with a short transaction timeout: the server may close it from then on (its clock starts before the open's answer). */
  readonly expiresAt?: number;
  /** An operation of a burst is using it. */
  busy: boolean;
  /** What closed it, for the findings. */
  closedBy?: string;
}

/** The run's mutable state. */
export const run = {
  committed: new Map() as People,
  commitsInFlight: 0,
  /** Counts commits started and ended: a transaction opened while it moved may have seen either state. */
  commitEpoch: 0,
  nextId: 0,
  nextName: 0,
  findings: 0,
  /** The server's latest `debug-stats:` line. */
  lastStats: 'debug-stats: sessions=0 transactions=0',
  currentStep: 0,
  out: '',
  random: (() => 0) as () => number,
  /** Subtypes of person and attribute types person owns that the schema has now (fuzz-server-schema.ts). */
  kinds: [] as string[],
  tags: [] as string[],
};
export const below = (n: number) => Math.floor(run.random() * n);
export const pick = <T>(xs: readonly T[]): T | undefined => (xs.length === 0 ? undefined : xs[below(xs.length)]);
export const clients: Client[] = [];
export const counts = new Map<string, Map<string, number>>();
/**
 * Sessions of closed drivers: typedb-driver 2.29's close ends neither its sessions (which go on pulsing, over a
 * connection that stays open) nor its transactions (whose streams stay usable), so the server rightly keeps both.
 * They are closed one by one at the end.
 */
export const orphans: Sess[] = [];

export class Hang extends Error {}

export function count(action: string, outcome: string): void {
  const row = counts.get(action) ?? new Map<string, number>();
  row.set(outcome, (row.get(outcome) ?? 0) + 1);
  counts.set(action, row);
}

export function finding(action: string, kind: string, detail: string): void {
  run.findings++;
  const line = JSON.stringify({ step: run.currentStep, action, kind, detail: detail.slice(0, 2000) });
  appendFileSync(join(run.out, 'findings.jsonl'), `${line}\n`);
  console.error(`finding: ${line.slice(0, 600)}`);
}

/** One line of the run's trace (trace.log under --out): what each transaction did, to reduce a finding by hand. */
export function trace(text: string): void {
  appendFileSync(join(run.out, 'trace.log'), `${run.currentStep} ${text}\n`);
}

export async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Hang(`${what}: no answer in ${HANG_MILLIS} ms`)), HANG_MILLIS)));
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A failure's code, or a finding if the failure itself is wrong (uncoded, a JavaScript value in the text, a hang). */
export function codeOf(action: string, e: unknown): string {
  const text = message(e);
  if (e instanceof Hang) {
    finding(action, 'hang', text);
    return 'hang';
  }
  const code = /\[([A-Z]{3}\d{1,2})\]/.exec(text)?.[1]; // the driver's own codes have one digit (NDR5)
  if (code === undefined) finding(action, 'uncoded-error', `${text}\n${(e as Error)?.stack ?? ''}`);
  // A JavaScript value in the text; not TypeDB's own "… cannot be undefined because …" (TYW49).
  else if (/(?<!be )\bundefined\b|\[object Object\]|\bNaN\b|TypeError|RangeError|ReferenceError|Cannot read prop/.test(text)) finding(action, 'bad-message', text);
  return code ?? 'uncoded';
}

export const mayBeExpired = (t: Tx) => t.expiresAt !== undefined && Date.now() >= t.expiresAt - 50;
export const live = () => clients.filter((c) => c.open);
export const liveSessions = () => live().flatMap((c) => c.sessions.filter((s) => s.open));
export const allTxs = () => clients.flatMap((c) => c.sessions.flatMap((s) => s.txs));
/** Transactions of closed drivers included: they stay usable. */
export const liveTxs = () => allTxs().filter((t) => t.open && !t.busy);
export const deadTxs = () => clients.flatMap((c) => c.sessions.flatMap((s) => s.txs.filter((t) => !t.open))).slice(-20);

export function closeTx(t: Tx, why: string): void {
  if (t.open) t.closedBy = `${why} at step ${run.currentStep}`;
  t.open = false;
  t.writes = [];
}

/** What a read in `t` must answer, if known. */
export const view = (t: Tx): People | undefined => (t.snapshot === undefined ? undefined : apply(t.snapshot, t.writes));

// ---------------------------------------------------------------------------------------------------------------
// Reads and their checks

export async function readPeople(tx: TypeDBTransaction): Promise<People> {
  const nameRows = (await tx.query.get('match $p isa person, has name $n; get $n;').collect()).map((m) => m.get('n').asAttribute().value as string);
  const pairRows = (await tx.query.get('match $p isa person, has name $n, has score $s; get $n, $s;').collect()).map(
    (m) => [m.get('n').asAttribute().value as string, Number(m.get('s').asAttribute().value)] as const,
  );
  return fromRows(nameRows, pairRows);
}

export function compare(action: string, expected: People | undefined, got: People, where: string): void {
  if (expected === undefined || equal(expected, got)) return;
  const diff = (a: string, b: string) => {
    const [x, y] = [new Set(a.split(',')), new Set(b.split(','))];
    return `missing ${[...x].filter((v) => !y.has(v)).join(',') || '-'}; extra ${[...y].filter((v) => !x.has(v)).join(',') || '-'}`;
  };
  finding(action, 'wrong-answer', `${where}: names ${diff(names(expected), names(got))}; scores ${diff(pairs(expected), pairs(got))}`);
}

/** A quiet point (nothing in flight): a fresh read must see exactly what the model says is committed. */
export async function verifyCommitted(client: Client, where: string): Promise<void> {
  const session = await within(client.driver.session(DB, SessionType.DATA), 'verify: session');
  try {
    const tx = await within(session.transaction(TransactionType.READ), 'verify: transaction');
    compare('verify', run.committed, await within(readPeople(tx), 'verify: read'), where);
    await tx.close();
  } finally {
    await session.close();
  }
}

/** The server's open sessions and transactions never exceed what the clients may still hold. */
export async function checkLeaks(extraSessions: number): Promise<void> {
  const sessions = liveSessions().length + orphans.length + extraSessions;
  const txs = allTxs().filter((t) => t.open).length;
  const deadline = Date.now() + 5000;
  for (;;) {
    const m = /sessions=(\d+) transactions=(\d+)/.exec(run.lastStats)!;
    if (Number(m[1]) <= sessions && Number(m[2]) <= txs) return;
    if (Date.now() > deadline) return finding('leaks', 'leak', `server: ${run.lastStats}; the clients hold at most ${sessions} sessions and ${txs} transactions`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

