// TypeQL execution steps (reference/behaviour-steps.md §4.5–4.6, §3): every query runs on `tx()`, to completion.
import { Then, When } from '@cucumber/cucumber';
import type { StrataWorld } from '../world.js';
import { assertThrows } from '../checks/errors.js';
import { applyTemplate } from '../checks/templates.js';
import { ensure } from '../checks/ensure.js';

// ---- schema and write queries ----

When('typeql define', async function (this: StrataWorld, query: string) {
  await this.tx().define(query);
});
Then('typeql define; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().define(query));
});
Then('typeql define; throws exception containing {string}', async function (this: StrataWorld, fragment: string, query: string) {
  await assertThrows(() => this.tx().define(query), fragment);
});

When('typeql undefine', async function (this: StrataWorld, query: string) {
  await this.tx().undefine(query);
});
Then('typeql undefine; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().undefine(query));
});
Then('typeql undefine; throws exception containing {string}', async function (this: StrataWorld, fragment: string, query: string) {
  await assertThrows(() => this.tx().undefine(query), fragment);
});

When('typeql insert', async function (this: StrataWorld, query: string) {
  await this.tx().insert(query);
});
Then('typeql insert; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().insert(query));
});
Then('typeql insert; throws exception containing {string}', async function (this: StrataWorld, fragment: string, query: string) {
  await assertThrows(() => this.tx().insert(query), fragment);
});

When('typeql delete', async function (this: StrataWorld, query: string) {
  await this.tx().delete(query);
});
Then('typeql delete; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().delete(query));
});
Then('typeql delete; throws exception containing {string}', async function (this: StrataWorld, fragment: string, query: string) {
  await assertThrows(() => this.tx().delete(query), fragment);
});

When('typeql update', async function (this: StrataWorld, query: string) {
  await this.tx().update(query);
});
Then('typeql update; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().update(query));
});
Then('typeql update; throws exception containing {string}', async function (this: StrataWorld, fragment: string, query: string) {
  await assertThrows(() => this.tx().update(query), fragment);
});

When('get answers of typeql insert', async function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answers = await this.tx().insert(query);
});

When('get answers of typeql update', async function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answers = await this.tx().update(query);
});

// ---- read queries ----

When('get answers of typeql get', async function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answers = await this.tx().get(query);
});
Then('typeql get; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().get(query));
});
Then('typeql get; throws exception containing {string}', async function (this: StrataWorld, fragment: string, query: string) {
  await assertThrows(() => this.tx().get(query), fragment);
});

When('get answer of typeql get aggregate', async function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.aggregate = { value: await this.tx().getAggregate(query) };
});
Then('typeql get aggregate; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().getAggregate(query));
});

When('get answers of typeql get group', async function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.answerGroups = await this.tx().getGroup(query);
});
Then('typeql get group; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().getGroup(query));
});

When('get answers of typeql get group aggregate', async function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.valueAnswerGroups = await this.tx().getGroupAggregate(query);
});
Then('typeql get group aggregate; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().getGroupAggregate(query));
});

When('get answers of typeql fetch', async function (this: StrataWorld, query: string) {
  this.clearAnswers();
  this.fetchAnswers = await this.tx().fetch(query);
});
Then('typeql fetch; throws exception', async function (this: StrataWorld, query: string) {
  await assertThrows(() => this.tx().fetch(query));
});
Then('typeql fetch; throws exception containing {string}', async function (this: StrataWorld, fragment: string, query: string) {
  await assertThrows(() => this.tx().fetch(query), fragment);
});

// ---- templated queries (checks/templates.ts) ----

Then('each answer satisfies', async function (this: StrataWorld, template: string) {
  for (const answer of this.answers) {
    const query = applyTemplate(template, answer);
    const size = (await this.tx().get(query)).length;
    ensure(size === 1, `expected exactly one answer to:\n${query}\ngot ${size}`);
  }
});

Then('each answer does not satisfy', async function (this: StrataWorld, template: string) {
  for (const answer of this.answers) {
    const query = applyTemplate(template, answer);
    const size = (await this.tx().get(query)).length;
    ensure(size === 0, `expected no answers to:\n${query}\ngot ${size}`);
  }
});

When('get answers of templated typeql get', async function (this: StrataWorld, template: string) {
  ensure(this.answers.length === 1, `a templated query needs exactly one previous answer, there are ${this.answers.length}`);
  const query = applyTemplate(template, this.answers[0]!);
  this.clearAnswers();
  this.answers = await this.tx().get(query);
});

Then('templated typeql get; throws exception', async function (this: StrataWorld, template: string) {
  for (const answer of this.answers) {
    const query = applyTemplate(template, answer);
    await assertThrows(() => this.tx().get(query));
  }
});

// ---- rules: read from the schema as one `define` query (as the database's schema, in both modes) ----

async function ruleLabels(world: StrataWorld): Promise<string[]> {
  const database = world.sessions[0]?.databaseName;
  if (database === undefined) throw new Error('no session is open');
  return [...(await world.manager.schema(database)).matchAll(/(?:^|[\s;])rule\s+([^\s:]+)\s*:/g)].map((m) => m[1]!);
}

Then('rules contain: {type_label}', async function (this: StrataWorld, label: string) {
  const rules = await ruleLabels(this);
  ensure(rules.includes(label), `rule ${label} is not among [${rules.join(', ')}]`);
});

Then('rules do not contain: {type_label}', async function (this: StrataWorld, label: string) {
  const rules = await ruleLabels(this);
  ensure(!rules.includes(label), `rule ${label} exists`);
});
