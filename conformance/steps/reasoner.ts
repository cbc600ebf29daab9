// Reasoner verification steps (reference/behaviour-suite.md §7.8). They keep their own sessions and read
// transaction apart from the TypeQL steps'. The verifier steps are no-ops, as in the Rust and C# harnesses:
// answer sizes and set equivalence carry the reasoner features until an independent materialiser exists.
import { Given, Then } from '@cucumber/cucumber';
import type { ConceptMap } from '../../src/concept/concepts.js';
import type { HarnessSession, HarnessTransaction } from '../engine/index.js';
import { REASONER_DATABASE, type StrataWorld } from '../world.js';
import { assertSameAnswerSet } from '../checks/answer-sets.js';
import { ensure } from '../checks/ensure.js';

async function ensureDatabase(world: StrataWorld): Promise<void> {
  const manager = await world.connect();
  if (!(await manager.contains(REASONER_DATABASE))) await manager.create(REASONER_DATABASE);
}

/** Runs one write transaction in a session of its own, committing it; everything is closed afterwards. */
async function writeInOwnSession(
  world: StrataWorld,
  type: 'schema' | 'data',
  work: (tx: HarnessTransaction) => Promise<unknown>,
): Promise<void> {
  const session = await world.manager.session(REASONER_DATABASE, type);
  try {
    const tx = await session.transaction('write', { infer: true });
    try {
      await work(tx);
      await tx.commit();
    } finally {
      if (await tx.isOpen()) await tx.close();
    }
  } finally {
    await session.close();
  }
}

async function dataSession(world: StrataWorld): Promise<HarnessSession> {
  let { session } = world.reasoning;
  if (!session || !(await session.isOpen())) {
    session = await world.manager.session(REASONER_DATABASE, 'data');
    world.reasoning.session = session;
  }
  return session;
}

async function reasoningTx(world: StrataWorld): Promise<HarnessTransaction> {
  let { tx } = world.reasoning;
  if (!tx || !(await tx.isOpen())) {
    tx = await world.openTransaction(await dataSession(world), 'read');
    world.reasoning.tx = tx;
  }
  return tx;
}

async function closeReasoningTx(world: StrataWorld): Promise<void> {
  const { tx } = world.reasoning;
  world.reasoning.tx = undefined;
  if (tx && (await tx.isOpen())) await tx.close();
}

function storedAnswers(world: StrataWorld): { query: string; answers: ConceptMap[] } {
  const { query, answers } = world.reasoning;
  if (query === undefined || answers === undefined) throw new Error('no reasoning query has run in this scenario');
  return { query, answers };
}

Given('reasoning schema', async function (this: StrataWorld, query: string) {
  await ensureDatabase(this);
  // a schema write waits for data sessions to go in TypeDB; do not hold ours open across it
  await closeReasoningTx(this);
  await this.reasoning.session?.close();
  this.reasoning.session = undefined;
  await writeInOwnSession(this, 'schema', (tx) => tx.define(query));
});

Given('reasoning data', async function (this: StrataWorld, query: string) {
  await ensureDatabase(this);
  await writeInOwnSession(this, 'data', (tx) => tx.insert(query));
});

Given('reasoning query', async function (this: StrataWorld, query: string) {
  await ensureDatabase(this);
  await closeReasoningTx(this);
  this.reasoning.query = undefined;
  this.reasoning.answers = undefined;
  try {
    this.reasoning.answers = await (await reasoningTx(this)).get(query);
    this.reasoning.query = query;
  } catch (error) {
    await closeReasoningTx(this);
    throw error;
  }
});

Then('verify answer size is: {number}', function (this: StrataWorld, expected: number) {
  const { answers } = storedAnswers(this);
  ensure(answers.length === expected, `expected ${expected} answers, got ${answers.length}`);
});

Then('verify answer set is equivalent for query', async function (this: StrataWorld, query: string) {
  const { answers } = storedAnswers(this);
  assertSameAnswerSet(answers, await (await reasoningTx(this)).get(query), 'equivalent query');
});

Then('verify answers are consistent across {int} executions', async function (this: StrataWorld, executions: number) {
  const { query } = storedAnswers(this);
  const first = await (await reasoningTx(this)).get(query);
  for (let i = 1; i < executions; i++) {
    const tx = await this.openTransaction(await dataSession(this), 'read');
    try {
      assertSameAnswerSet(first, await tx.get(query), `execution ${i + 1} of ${executions}`);
    } finally {
      if (await tx.isOpen()) await tx.close();
    }
  }
});

Given('verifier is initialised', function () {});
Then('verify answers are sound', function () {});
Then('verify answers are complete', function () {});
Then('verify answers are correct', function () {});
