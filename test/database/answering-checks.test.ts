// A define or undefine whose check of the data reads long is taken apart (answering-checks.ts): the check pauses,
// the change is undone and runs again with the answer. Over enough items that every check here is taken out (more
// than the steps a check runs in place), the outcome must be the one the change gets with its checks run in place:
// the same schema, the same errors, and nothing of a failed change left behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager, type Session } from '../../src/database/index.js';
import { PENDING } from '../../src/common/steps.js';
import type { ConceptApi } from '../../src/concept/api/index.js';

const ITEMS = 3_000;
const dir = mkdtempSync(join(tmpdir(), 'strata-answering-checks-'));
let manager: DatabaseManager;

before(() => {
  manager = openDatabaseManager(dir);
  manager.create('checks');
  const schema = manager.session('checks', 'schema');
  const define = schema.transaction('write');
  define.query(`define n sub attribute, value long; tag sub attribute, value string; code sub attribute, value string;
    holding sub relation, relates holder; item sub entity, owns n, owns tag, owns code, plays holding:holder;`);
  define.commit();
  schema.close();
  const data = manager.session('checks', 'data');
  const write = data.transaction('write');
  for (let i = 0; i < ITEMS; i += 500) {
    write.query(`insert ${Array.from({ length: 500 }, (_, j) => `$x${j} isa item, has n ${i + j}, has code "c${i + j}";`).join(' ')}`);
  }
  // The last item alone has a tag, plays a role, and shares its n with the item before it (things are read in the
  // order they were inserted): every check reads to the end.
  write.query(`insert $x isa item, has n ${ITEMS - 1}, has tag "late", has code "late"; (holder: $x) isa holding;`);
  write.commit();
  data.close();
});

after(() => {
  manager.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the schema query in a new schema transaction, counting its pause points; commits when asked. */
function schemaQuery(text: string, commit = false): { pauses: number; error?: string; schema: string } {
  const session: Session = manager.session('checks', 'schema');
  try {
    const tx = session.transaction('write');
    let pauses = 0;
    let error: string | undefined;
    try {
      const steps = tx.queryInSteps(text);
      for (let next = steps.next(); !next.done; next = steps.next()) if (next.value === PENDING) pauses++;
      if (commit) tx.commit();
    } catch (e) {
      error = (e as Error).message;
    } finally {
      tx.close();
    }
    return { pauses, error, schema: manager.schema('checks') };
  } finally {
    session.close();
  }
}

test('a define whose @key check reads every item pauses, and fails as it would at once: a value owned twice', () => {
  const before = manager.schema('checks');
  const { pauses, error, schema } = schemaQuery('define item owns n @key;', true);
  assert.ok(pauses > 0, 'the check did not pause');
  assert.match(error ?? '', /\[TYW\d+\]/);
  assert.match(error ?? '', /'n'/);
  assert.equal(schema, before);
});

test('a define whose @key check reads every item pauses and succeeds when every value is owned once', () => {
  const { pauses, error, schema } = schemaQuery('define item owns code @key;', true);
  assert.ok(pauses > 0, 'the check did not pause');
  assert.equal(error, undefined);
  assert.match(schema, /owns code @key/);
});

test('a define that adds a subtype and a key in one query gets the answer for the schema it asked in', () => {
  const { error, schema } = schemaQuery('define kind sub item; item owns code @unique;', true);
  assert.equal(error, undefined);
  assert.match(schema, /kind sub item/);
  assert.match(schema, /owns code @unique/);
});

test('undefining an ownership or a role only the last item uses pauses and fails as it would at once', () => {
  const owns = schemaQuery('undefine item owns tag;', true);
  assert.ok(owns.pauses > 0, 'the ownership check did not pause');
  assert.match(owns.error ?? '', /\[TYW\d+\]/);
  assert.match(owns.error ?? '', /tag/);
  const plays = schemaQuery('undefine item plays holding:holder;', true);
  assert.ok(plays.pauses > 0, 'the role check did not pause');
  assert.match(plays.error ?? '', /\[TYW\d+\]/);
  assert.match(plays.error ?? '', /holder/);
});

test('undefining an ownership no item uses pauses and succeeds', () => {
  schemaQuery('define unused sub attribute, value long; item owns unused;', true);
  const { pauses, error, schema } = schemaQuery('undefine item owns unused;', true);
  assert.ok(pauses > 0, 'the check did not pause');
  assert.equal(error, undefined);
  assert.doesNotMatch(schema, /owns unused/);
});

/**
 * Runs a Concept API call in a new schema transaction, as work in steps (conceptsInSteps, as the server does) or at
 * once (concepts()); commits when asked. The transaction is left open after a call that succeeded.
 */
function conceptCall(call: (api: ConceptApi) => void, how: 'steps' | 'at once', commit = false): { pauses: number; error?: string; open: boolean; schema: string } {
  const session: Session = manager.session('checks', 'schema');
  try {
    const tx = session.transaction('write');
    let pauses = 0;
    let error: string | undefined;
    let open = false;
    try {
      if (how === 'at once') call(tx.concepts());
      else {
        const steps = tx.conceptsInSteps(call);
        for (let next = steps.next(); !next.done; next = steps.next()) if (next.value === PENDING) pauses++;
      }
      open = tx.isOpen();
      if (commit) tx.commit();
    } catch (e) {
      error = (e as Error).message;
      open = tx.isOpen();
    } finally {
      tx.close();
    }
    return { pauses, error, open, schema: manager.schema('checks') };
  } finally {
    session.close();
  }
}

test('a Concept API setOwns @key whose check reads every item pauses in steps, and fails as it does at once', () => {
  const before = manager.schema('checks');
  const setKey = (api: ConceptApi) => api.types.setOwns('item', 'n', { annotations: ['key'] });
  const atOnce = conceptCall(setKey, 'at once', true);
  const inSteps = conceptCall(setKey, 'steps', true);
  assert.match(atOnce.error ?? '', /\[TYW\d+\]/);
  assert.ok(inSteps.pauses > 0, 'the check did not pause');
  assert.equal(inSteps.error, atOnce.error);
  assert.equal(inSteps.open, false, 'a failed call closes the transaction');
  assert.equal(inSteps.schema, before);
});

test('Concept API unsetOwns and unsetPlays that only the last item violates pause in steps, and fail as they do at once', () => {
  const calls = [
    (api: ConceptApi) => api.types.unsetOwns('item', 'tag'),
    (api: ConceptApi) => api.types.unsetPlays('item', 'holding:holder'),
  ];
  for (const call of calls) {
    const atOnce = conceptCall(call, 'at once');
    const inSteps = conceptCall(call, 'steps');
    assert.match(atOnce.error ?? '', /\[TYW\d+\]/);
    assert.ok(inSteps.pauses > 0, 'the check did not pause');
    assert.equal(inSteps.error, atOnce.error);
  }
});

test('a Concept API call taken out while its check reads runs again and succeeds: the transaction goes on and commits it', () => {
  schemaQuery('define spare sub attribute, value long; item owns spare;', true);
  const { pauses, error, open, schema } = conceptCall((api) => api.types.unsetOwns('item', 'spare'), 'steps', true);
  assert.ok(pauses > 0, 'the check did not pause');
  assert.equal(error, undefined);
  assert.equal(open, true);
  assert.doesNotMatch(schema, /owns spare/);
  assert.match(schema, /spare sub attribute/);
});
