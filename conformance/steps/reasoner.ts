// Reasoner verification steps (reference/behaviour-suite.md §7.8). They keep their own sessions and read
// transaction apart from the TypeQL steps'. The verifier steps are no-ops, as in the Rust and C# harnesses:
// answer sizes and set equivalence carry the reasoner features until an independent materialiser exists.
import { Given, Then } from '@cucumber/cucumber';
import type { Session, Transaction } from '../../src/database/api.js';
import type { ConceptMap } from '../../src/concept/concepts.js';
import { REASONER_DATABASE, type StrataWorld } from '../world.js';
import { runDefine, runGet, runInsert } from '../queries.js';
import { assertSameAnswerSet } from '../checks/answer-sets.js';
import { ensure } from '../checks/ensure.js';

async function ensureDatabase(world: StrataWorld): Promise<void> {
  const manager = await world.connect();
  if (!manager.contains(REASONER_DATABASE)) manager.create(REASONER_DATABASE);
}

/** Runs one write transaction in a session of its own, committing it; everything is closed afterwards. */
function writeInOwnSession(world: StrataWorld, type: 'schema' | 'data', work: (tx: Transaction) => void): void {
  const session = world.manager.session(REASONER_DATABASE, type);
  try {
    const tx = session.transaction('write', { infer: true });
    try {
      work(tx);
      tx.commit();
    } finally {
      if (tx.isOpen()) tx.close();
    }
  } finally {
    session.close();
  }
}

function dataSession(world: StrataWorld): Session {
  let { session } = world.reasoning;
  if (!session || !session.isOpen()) {
    session = world.manager.session(REASONER_DATABASE, 'data');
    world.reasoning.session = session;
  }
  return session;
}

function reasoningTx(world: StrataWorld): Transaction {
  let { tx } = world.reasoning;
  if (!tx || !tx.isOpen()) {
    tx = world.openTransaction(dataSession(world), 'read');
    world.reasoning.tx = tx;
  }
  return tx;
}

function closeReasoningTx(world: StrataWorld): void {
  const { tx } = world.reasoning;
  world.reasoning.tx = undefined;
  if (tx?.isOpen()) tx.close();
}

function storedAnswers(world: StrataWorld): { query: string; answers: ConceptMap[] } {
  const { query, answers } = world.reasoning;
  if (query === undefined || answers === undefined) throw new Error('no reasoning query has run in this scenario');
  return { query, answers };
}

Given('reasoning schema', async function (this: StrataWorld, query: string) {
  await ensureDatabase(this);
  // a schema write waits for data sessions to go in TypeDB; do not hold ours open across it
  closeReasoningTx(this);
  this.reasoning.session?.close();
  this.reasoning.session = undefined;
  writeInOwnSession(this, 'schema', (tx) => runDefine(tx, query));
});

Given('reasoning data', async function (this: StrataWorld, query: string) {
  await ensureDatabase(this);
  writeInOwnSession(this, 'data', (tx) => runInsert(tx, query));
});

Given('reasoning query', async function (this: StrataWorld, query: string) {
  await ensureDatabase(this);
  closeReasoningTx(this);
  this.reasoning.query = undefined;
  this.reasoning.answers = undefined;
  try {
    this.reasoning.answers = runGet(reasoningTx(this), query);
    this.reasoning.query = query;
  } catch (error) {
    closeReasoningTx(this);
    throw error;
  }
});

Then('verify answer size is: {number}', function (this: StrataWorld, expected: number) {
  const { answers } = storedAnswers(this);
  ensure(answers.length === expected, `expected ${expected} answers, got ${answers.length}`);
});

Then('verify answer set is equivalent for query', function (this: StrataWorld, query: string) {
  const { answers } = storedAnswers(this);
  assertSameAnswerSet(answers, runGet(reasoningTx(this), query), 'equivalent query');
});

Then('verify answers are consistent across {int} executions', function (this: StrataWorld, executions: number) {
  const { query } = storedAnswers(this);
  const first = runGet(reasoningTx(this), query);
  for (let i = 1; i < executions; i++) {
    const tx = this.openTransaction(dataSession(this), 'read');
    try {
      assertSameAnswerSet(first, runGet(tx, query), `execution ${i + 1} of ${executions}`);
    } finally {
      if (tx.isOpen()) tx.close();
    }
  }
});

Given('verifier is initialised', function () {});
Then('verify answers are sound', function () {});
Then('verify answers are complete', function () {});
Then('verify answers are correct', function () {});
