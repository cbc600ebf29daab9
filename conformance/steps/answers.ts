// Answer checks (reference/behaviour-suite.md §7): concept-identifier tables, order, sizes, aggregates,
// groups and fetch JSON.
import { Then, type DataTable } from '@cucumber/cucumber';
import { isNumeric, toNumber, type Value } from '../../src/common/values.js';
import { isThing, type AttributeConcept, type Concept, type ConceptMap, type ThingConcept } from '../../src/concept/concepts.js';
import type { StrataWorld } from '../world.js';
import {
  IdentifierMatcher,
  assertOrderedMatch,
  assertUniquelyIdentified,
  describeConcept,
  valueText,
} from '../checks/identifiers.js';
import { jsonMismatch } from '../checks/json.js';
import { ensure } from '../checks/ensure.js';

const OWNER = 'owner';
const AGGREGATE_TOLERANCE = 0.001;

/**
 * `key:` identifiers compare the thing's `@key` attributes, read through the current transaction. The matcher is
 * synchronous, so when the table uses any, the keys of every thing it may be compared with are read first.
 */
async function matcherFor(world: StrataWorld, table: DataTable, concepts: Iterable<Concept>): Promise<IdentifierMatcher> {
  const keys = new Map<string, readonly AttributeConcept[]>();
  if (table.raw().some((row) => row.some((cell) => cell.trim().startsWith('key:')))) {
    const things = new Map<string, ThingConcept>();
    for (const concept of concepts) if (isThing(concept)) things.set(concept.iid, concept);
    const tx = world.tx();
    await Promise.all([...things.values()].map(async (thing) => keys.set(thing.iid, await tx.keys(thing))));
  }
  return new IdentifierMatcher((thing) => {
    const found = keys.get(thing.iid);
    if (!found) throw new Error(`the keys of ${thing.iid} were not read before matching`);
    return found;
  });
}

function conceptsOf(answers: readonly ConceptMap[]): Concept[] {
  return answers.flatMap((answer) => [...answer.values()]);
}

Then('uniquely identify answer concepts', async function (this: StrataWorld, table: DataTable) {
  assertUniquelyIdentified(table.hashes(), this.answers, await matcherFor(this, table, conceptsOf(this.answers)));
});

Then('order of answer concepts is', async function (this: StrataWorld, table: DataTable) {
  assertOrderedMatch(table.hashes(), this.answers, await matcherFor(this, table, conceptsOf(this.answers)));
});

Then('answer size is: {number}', function (this: StrataWorld, expected: number) {
  ensure(this.answers.length === expected, `expected ${expected} answers, got ${this.answers.length}`);
});

function assertNumberClose(value: Value | undefined, expected: number, what: string): void {
  ensure(value !== undefined, `${what}: expected ${expected}, but the aggregate is empty`);
  ensure(isNumeric(value), `${what}: expected a number, got a ${value.type} (${valueText(value)})`);
  const actual = toNumber(value);
  ensure(Math.abs(expected - actual) < AGGREGATE_TOLERANCE, `${what}: expected ${expected}, got ${actual}`);
}

Then('aggregate value is: {float}', function (this: StrataWorld, expected: number) {
  ensure(this.aggregate !== undefined, 'the last query was not an aggregate query');
  assertNumberClose(this.aggregate.value, expected, 'aggregate value');
});

Then('aggregate answer is empty', function (this: StrataWorld) {
  ensure(this.aggregate !== undefined, 'the last query was not an aggregate query');
  const { value } = this.aggregate;
  ensure(value === undefined, `expected an empty aggregate, got ${value === undefined ? '' : valueText(value)}`);
});

/** Rows grouped by their `owner` column, in first-appearance order. */
function rowsByOwner(table: DataTable): Map<string, Record<string, string>[]> {
  const groups = new Map<string, Record<string, string>[]>();
  for (const row of table.hashes()) {
    const { [OWNER]: owner, ...rest } = row;
    if (owner === undefined) throw new Error(`the table has no "${OWNER}" column`);
    const rows = groups.get(owner) ?? [];
    rows.push(rest);
    groups.set(owner, rows);
  }
  return groups;
}

/** The one group whose owner the identifier matches. */
function groupOwnedBy<G extends { owner: Concept }>(groups: readonly G[], owner: string, matcher: IdentifierMatcher): G {
  const found = groups.filter((g) => matcher.matches(owner, g.owner));
  ensure(
    found.length === 1,
    () => `owner ${owner} matches ${found.length} groups; group owners: [${groups.map((g) => describeConcept(g.owner)).join(', ')}]`,
  );
  return found[0]!;
}

Then('answer groups are', async function (this: StrataWorld, table: DataTable) {
  const expected = rowsByOwner(table);
  const matcher = await matcherFor(this, table, this.answerGroups.flatMap((g) => [g.owner, ...conceptsOf(g.answers)]));
  ensure(this.answerGroups.length === expected.size, `expected ${expected.size} groups, got ${this.answerGroups.length}`);
  for (const [owner, rows] of expected) {
    const group = groupOwnedBy(this.answerGroups, owner, matcher);
    assertUniquelyIdentified(rows, group.answers, matcher);
  }
});

Then('group aggregate values are', async function (this: StrataWorld, table: DataTable) {
  const expected = new Map<string, number>();
  for (const row of table.hashes()) expected.set(row[OWNER] ?? '', Number(row['value']));
  const matcher = await matcherFor(this, table, this.valueAnswerGroups.map((g) => g.owner));
  ensure(
    this.valueAnswerGroups.length === expected.size,
    `expected ${expected.size} groups, got ${this.valueAnswerGroups.length}`,
  );
  for (const [owner, value] of expected) {
    const group = groupOwnedBy(this.valueAnswerGroups, owner, matcher);
    assertNumberClose(group.value, value, `group ${owner}`);
  }
});

Then('group aggregate answer value is empty', function (this: StrataWorld) {
  ensure(this.valueAnswerGroups.length === 1, `expected exactly one group, got ${this.valueAnswerGroups.length}`);
  const { value } = this.valueAnswerGroups[0]!;
  ensure(value === undefined, `expected an empty group aggregate, got ${value === undefined ? '' : valueText(value)}`);
});

Then('fetch answers are', function (this: StrataWorld, expectedText: string) {
  const expected: unknown = JSON.parse(expectedText);
  const mismatch = jsonMismatch(expected, this.fetchAnswers, '$');
  ensure(
    mismatch === undefined,
    () => `fetch answers differ: ${mismatch}\nactual:\n${JSON.stringify(this.fetchAnswers, null, 2)}`,
  );
});
