// Error texts sent as a gRPC status must fit in one HTTP/2 header block and survive encodeURI: a longer one used to
// end the call with no status at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ENCODED_DETAILS, sendableDetails } from '../../src/server/status-details.js';
import { toStatus } from '../../src/server/errors.js';
import { StrataError } from '../../src/common/errors.js';

test('a short text is sent as it is', () => {
  assert.equal(sendableDetails('[MIG01] Migrator failure: no.'), '[MIG01] Migrator failure: no.');
});

test('a long text is cut to fit, saying how much was left out, whatever its characters', () => {
  for (const unit of ['r', ' ', 'é', '字', '😀']) {
    const text = `[MIG05] Migrator failure: The type '${unit.repeat(70_000)}' is not defined.`;
    const sent = sendableDetails(text);
    assert.ok(encodeURI(sent).length <= MAX_ENCODED_DETAILS, `${unit}: ${encodeURI(sent).length}`);
    assert.ok(sent.startsWith(`[MIG05] Migrator failure: The type '${unit}`));
    assert.match(sent, / … \(the message was cut here: \d+ more characters\)$/);
  }
});

test('a lone surrogate, on which encodeURI throws, is replaced', () => {
  assert.equal(sendableDetails('bad \ud800 label'), 'bad \ufffd label');
  assert.equal(sendableDetails('pair 😀 kept'), 'pair 😀 kept');
});

test("the server's statuses carry the sendable text", () => {
  const status = toStatus(new StrataError('TYR', 3, `The type '${'x'.repeat(100_000)}' does not exist.`));
  assert.ok(encodeURI(status.details).length <= MAX_ENCODED_DETAILS);
});
