// Answer checks (reference/behaviour-suite.md §7): concept-identifier tables, order, sizes, aggregates,
// groups and fetch JSON.
import { Then, type DataTable } from '@cucumber/cucumber';
import { isNumeric, toNumber, type Value } from '../../src/common/values.js';
import type { Concept } from '../../src/concept/concepts.js';
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

/** `key:` identifiers read the thing's `@key` attributes through the current transaction. */
function matcherFor(world: StrataWorld): IdentifierMatcher {
  return new IdentifierMatcher((thing) => world.tx().ownedAttributes(thing, { keysOnly: true }));
}

Then('uniquely identify answer concepts', function (this: StrataWorld, table: DataTable) {
  assertUniquelyIdentified(table.hashes(), this.answers, matcherFor(this));
});

Then('order of answer concepts is', function (this: StrataWorld, table: DataTable) {
  assertOrderedMatch(table.hashes(), this.answers, matcherFor(this));
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

Then('answer groups are', function (this: StrataWorld, table: DataTable) {
  const expected = rowsByOwner(table);
  const matcher = matcherFor(this);
  ensure(this.answerGroups.length === expected.size, `expected ${expected.size} groups, got ${this.answerGroups.length}`);
  for (const [owner, rows] of expected) {
    const group = groupOwnedBy(this.answerGroups, owner, matcher);
    assertUniquelyIdentified(rows, group.answers, matcher);
  }
});

Then('group aggregate values are', function (this: StrataWorld, table: DataTable) {
  const expected = new Map<string, number>();
  for (const row of table.hashes()) expected.set(row[OWNER] ?? '', Number(row['value']));
  const matcher = matcherFor(this);
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
