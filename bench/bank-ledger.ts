// What the bank check's clients know for sure (bank-workload.ts): every transfer they attempted, and its outcome as
// the database answered it. What a snapshot or the final state may hold follows from it: an acknowledged transfer is
// there exactly once with its amount, payer and payee; a refused one left nothing; the balances are the initial ones
// moved by exactly the acknowledged transfers.
import type { Row } from './bank-connection.js';

export interface Transfer {
  readonly id: string;
  readonly amount: number;
  readonly payer: string;
  readonly payee: string;
  /** Notes written in the same transaction (bulk, to make its commit large). */
  readonly notes: number;
}

export class BankLedger {
  /** Acknowledged commits, in the order their acknowledgements arrived. */
  readonly acknowledged = new Map<string, Transfer>();
  /** Commits refused with a write conflict: nothing of them may show. */
  readonly refused = new Set<string>();
  /** Transfers written and then rolled back, in a transaction that went on to commit others. */
  readonly rolledBack = new Set<string>();
  /** Commits sent and not yet answered: a snapshot may or may not hold them. */
  readonly pending = new Map<string, Transfer>();
  readonly violations: string[] = [];

  constructor(
    readonly accounts: readonly string[],
    readonly initialBalance: number,
  ) {}

  get total(): number {
    return this.accounts.length * this.initialBalance;
  }

  violation(text: string): void {
    // Enough to diagnose; a broken invariant tends to break every later snapshot too.
    if (this.violations.length < 50) this.violations.push(text);
  }

  /**
   * One snapshot's balances (rows of account id `i` and balance `b`): one balance per account, summing to the total.
   * Returns each account's balance.
   */
  checkBalances(rows: readonly Row[], where: string): Map<string, number> {
    const balances = new Map<string, number>();
    for (const row of rows) {
      const id = String(row.i);
      if (balances.has(id)) this.violation(`${where}: account ${id} has two balances (${balances.get(id)} and ${row.b})`);
      balances.set(id, Number(row.b));
    }
    for (const id of this.accounts) if (!balances.has(id)) this.violation(`${where}: account ${id} has no balance`);
    const sum = [...balances.values()].reduce((a, b) => a + b, 0);
    if (sum !== this.total) this.violation(`${where}: the balances sum to ${sum}, not ${this.total}`);
    return balances;
  }

  /** The transfers a snapshot holds (by payer and by payee) explain its balances exactly. */
  checkFlows(balances: ReadonlyMap<string, number>, outflows: ReadonlyMap<string, number>, inflows: ReadonlyMap<string, number>, where: string): void {
    for (const id of this.accounts) {
      const expected = this.initialBalance - (outflows.get(id) ?? 0) + (inflows.get(id) ?? 0);
      const actual = balances.get(id);
      if (actual !== undefined && actual !== expected) {
        this.violation(`${where}: account ${id} holds ${actual}, but the transfers in the same snapshot leave it ${expected}`);
      }
    }
  }

  /** A snapshot's transfer count: at least those acknowledged before it opened, at most those ever sent. */
  checkCount(count: number, acknowledgedBefore: number, where: string): void {
    if (count < acknowledgedBefore) this.violation(`${where}: ${count} transfers, but ${acknowledgedBefore} were acknowledged before it opened`);
    const sent = this.acknowledged.size + this.pending.size;
    if (count > sent) this.violation(`${where}: ${count} transfers, but only ${sent} were ever committed or are being committed`);
  }

  /** The final state (no commit under way): rows of every transfer (`t` id, `m` amount, `p` payer, `q` payee). */
  checkFinal(balances: ReadonlyMap<string, number>, transfers: readonly Row[], notes: number, where: string): void {
    const seen = new Set<string>();
    for (const row of transfers) {
      const id = String(row.t);
      const known = this.acknowledged.get(id);
      if (seen.has(id)) this.violation(`${where}: transfer ${id} is there twice`);
      seen.add(id);
      if (known === undefined) {
        const fate = this.refused.has(id) ? 'its commit was refused' : this.rolledBack.has(id) ? 'it was rolled back' : 'its commit was never acknowledged';
        this.violation(`${where}: transfer ${id} is there, but ${fate}`);
      } else if (known.amount !== row.m || known.payer !== row.p || known.payee !== row.q) {
        this.violation(`${where}: transfer ${id} is ${row.m} from ${row.p} to ${row.q}, but ${known.amount} from ${known.payer} to ${known.payee} was committed`);
      }
    }
    for (const id of this.acknowledged.keys()) if (!seen.has(id)) this.violation(`${where}: acknowledged transfer ${id} is missing`);
    const notesCommitted = [...this.acknowledged.values()].reduce((sum, t) => sum + t.notes, 0);
    if (notes !== notesCommitted) this.violation(`${where}: ${notes} notes, but the acknowledged transfers wrote ${notesCommitted}`);
    const expected = new Map(this.accounts.map((a) => [a, this.initialBalance]));
    for (const t of this.acknowledged.values()) {
      expected.set(t.payer, expected.get(t.payer)! - t.amount);
      expected.set(t.payee, expected.get(t.payee)! + t.amount);
    }
    for (const [id, balance] of expected) {
      const actual = balances.get(id);
      if (actual !== undefined && actual !== balance) {
        this.violation(`${where}: account ${id} holds ${actual}, but the acknowledged transfers leave it ${balance} (a lost update or a refused commit applied)`);
      }
      if (actual !== undefined && actual < 0) this.violation(`${where}: account ${id} is overdrawn (${actual}): two transfers both spent one balance`);
    }
  }
}
