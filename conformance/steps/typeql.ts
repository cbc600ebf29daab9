// TypeQL execution steps (reference/behaviour-steps.md §4.5–4.6, §3): every query runs on `tx()`, to completion.
import { Then, When } from '@cucumber/cucumber';
import type { StrataWorld } from '../world.js';
import { assertThrows } from '../checks/errors.js';
import { applyTemplate } from '../checks/templates.js';
import {
  runAggregate,
  runDefine,
  runDelete,
  runFetch,
  runGet,
  runGroup,
  runGroupAggregate,
  runInsert,
  runUndefine,
  runUpdate,
} from '../queries.js';
import { ensure } from '../checks/ensure.js';

// ---- schema and write queries ----

When('typeql define', function (this: StrataWorld, query: string) {
  runDefine(this.tx(), query);
});
Then('typeql define; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runDefine(this.tx(), query));
});
Then('typeql define; throws exception containing {string}', function (this: StrataWorld, fragment: string, query: string) {
  assertThrows(() => runDefine(this.tx(), query), fragment);
});

When('typeql undefine', function (this: StrataWorld, query: string) {
  runUndefine(this.tx(), query);
});
Then('typeql undefine; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runUndefine(this.tx(), query));
});
Then('typeql undefine; throws exception containing {string}', function (this: StrataWorld, fragment: string, query: string) {
  assertThrows(() => runUndefine(this.tx(), query), fragment);
});

When('typeql insert', function (this: StrataWorld, query: string) {
  runInsert(this.tx(), query);
});
Then('typeql insert; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runInsert(this.tx(), query));
});
Then('typeql insert; throws exception containing {string}', function (this: StrataWorld, fragment: string, query: string) {
  assertThrows(() => runInsert(this.tx(), query), fragment);
});

When('typeql delete', function (this: StrataWorld, query: string) {
  runDelete(this.tx(), query);
});
Then('typeql delete; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runDelete(this.tx(), query));
});
Then('typeql delete; throws exception containing {string}', function (this: StrataWorld, fragment: string, query: string) {
  assertThrows(() => runDelete(this.tx(), query), fragment);
});

When('typeql update', function (this: StrataWorld, query: string) {
  runUpdate(this.tx(), query);
});
Then('typeql update; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runUpdate(this.tx(), query));
});
Then('typeql update; throws exception containing {string}', function (this: StrataWorld, fragment: string, query: string) {
  assertThrows(() => runUpdate(this.tx(), query), fragment);
});

When('get answers of typeql insert', function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answers = runInsert(this.tx(), query);
});

When('get answers of typeql update', function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answers = runUpdate(this.tx(), query);
});

// ---- read queries ----

When('get answers of typeql get', function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answers = runGet(this.tx(), query);
});
Then('typeql get; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runGet(this.tx(), query));
});
Then('typeql get; throws exception containing {string}', function (this: StrataWorld, fragment: string, query: string) {
  assertThrows(() => runGet(this.tx(), query), fragment);
});

When('get answer of typeql get aggregate', function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.aggregate = { value: runAggregate(this.tx(), query) };
});
Then('typeql get aggregate; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runAggregate(this.tx(), query));
});

When('get answers of typeql get group', function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answerGroups = runGroup(this.tx(), query);
});
Then('typeql get group; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runGroup(this.tx(), query));
});

When('get answers of typeql get group aggregate', function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.valueAnswerGroups = runGroupAggregate(this.tx(), query);
});
Then('typeql get group aggregate; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runGroupAggregate(this.tx(), query));
});

When('get answers of typeql fetch', function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.fetchAnswers = runFetch(this.tx(), query);
});
Then('typeql fetch; throws exception', function (this: StrataWorld, query: string) {
  assertThrows(() => runFetch(this.tx(), query));
});
Then('typeql fetch; throws exception containing {string}', function (this: StrataWorld, fragment: string, query: string) {
  assertThrows(() => runFetch(this.tx(), query), fragment);
});

// ---- templated queries (checks/templates.ts) ----

Then('each answer satisfies', function (this: StrataWorld, template: string) {
  for (const answer of this.answers) {
    const query = applyTemplate(template, answer);
    const size = runGet(this.tx(), query).length;
    ensure(size === 1, `expected exactly one answer to:\n${query}\ngot ${size}`);
  }
});

Then('each answer does not satisfy', function (this: StrataWorld, template: string) {
  for (const answer of this.answers) {
    const query = applyTemplate(template, answer);
    const size = runGet(this.tx(), query).length;
    ensure(size === 0, `expected no answers to:\n${query}\ngot ${size}`);
  }
});

When('get answers of templated typeql get', function (this: StrataWorld, template: string) {
  ensure(this.answers.length === 1, `a templated query needs exactly one previous answer, there are ${this.answers.length}`);
  const query = applyTemplate(template, this.answers[0]!);
  this.clearAnswers();
  this.answers = runGet(this.tx(), query);
});

Then('templated typeql get; throws exception', function (this: StrataWorld, template: string) {
  for (const answer of this.answers) {
    const query = applyTemplate(template, answer);
    assertThrows(() => runGet(this.tx(), query));
  }
});

// ---- rules: read from the schema as one `define` query (the embedded API has no rule listing) ----

function ruleLabels(world: StrataWorld): string[] {
  const database = world.sessions[0]?.databaseName;
  if (database === undefined) throw new Error('no session is open');
  return [...world.manager.schema(database).matchAll(/(?:^|[\s;])rule\s+([^\s:]+)\s*:/g)].map((m) => m[1]!);
}

Then('rules contain: {type_label}', function (this: StrataWorld, label: string) {
  const rules = ruleLabels(this);
  ensure(rules.includes(label), `rule ${label} is not among [${rules.join(', ')}]`);
});

Then('rules do not contain: {type_label}', function (this: StrataWorld, label: string) {
  const rules = ruleLabels(this);
  ensure(!rules.includes(label), `rule ${label} exists`);
});
