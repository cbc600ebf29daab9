// Every TypeQL query of the TypeDB 2.x behaviour suite parses, prints, and parses back to the same AST — except the
// deliberately malformed ones listed below, each of which TypeDB 2.28's own parser rejects as well.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery, printQuery } from '../../src/typeql/index.js';
import { extractQueries, featureFiles, type FeatureQuery } from './feature-queries.js';

/** `file:line` of the step → why TypeDB 2.28 cannot parse its query either. */
const EXPECTED_PARSE_FAILURES: ReadonlyMap<string, string> = new Map([
  ['driver/query.feature:300', 'two get clauses (`get $y; get;`)'],
  ['driver/query.feature:588', 'fetch with no projection (`fetch;`)'],
  ['query/language/define.feature:103', '`plays person`: plays needs a scoped role label'],
  ['query/language/define.feature:298', 'type statement with no constraint (`flying-spaghetti-monster;`)'],
  ['query/language/define.feature:319', '`when` block on a type statement'],
  ['query/language/define.feature:326', '`then` block on a type statement'],
  ['query/language/define.feature:333', 'thing statement (`$p isa person`) in define'],
  ['query/language/define.feature:340', 'thing statement (`$p has name …`) in define'],
  ['query/language/define.feature:774', '`value rgba`: not a value type keyword'],
  ['query/language/define.feature:1384', '`child, owns …`: comma straight after the subject'],
  ['query/language/delete.feature:1406', '`get;` after a delete clause'],
  ['query/language/fetch.feature:736', 'fetch with no projection (`fetch;`)'],
  ['query/language/fetch.feature:755', '`$p: type`: `type` is a reserved keyword, not a label'],
  ['query/language/fetch.feature:785', '`$x: type`: `type` is a reserved keyword, not a label'],
  ['query/language/fetch.feature:810', 'insert as a fetch subquery'],
  ['query/language/fetch.feature:822', 'match-get without aggregate as a fetch subquery'],
  ['query/language/fetch.feature:836', 'match-get-group as a fetch subquery'],
  ['query/language/fetch.feature:851', 'match-get-group-aggregate as a fetch subquery'],
  ['query/language/insert.feature:1082', '@ignore scenario: `get $p; get;` has two get clauses'],
  ['query/language/insert.feature:1096', '@ignore scenario: `get $p; get;` has two get clauses'],
  ['query/language/insert.feature:2844', '`$y qwertyuiop;`: a word where isa/has/iid is expected (the syntax-error scenario)'],
  ['query/language/insert.feature:2929', '`iid V123`: not an iid literal'],
  ['query/language/match.feature:917', '`isa friendship:friend`: isa takes an unscoped label'],
  ['query/language/match.feature:2493', '`not { not { … }; }`: TypeQL\'s Negation refuses a lone nested negation as it parses ([TQL36])'],
  ['query/language/match.feature:2639', '`0_leading_digit_fails`: labels cannot start with a digit'],
  ['query/language/match.feature:2653', '`_leading_connector_disallowed`: labels cannot start with `_`'],
  ['query/language/match.feature:2659', '`$_leading_connector_disallowed`: variables cannot start with `_`'],
  ['query/language/modifiers.feature:461', '`attribute $a` without `has`'],
  ['query/language/rule-validation.feature:64', 'rule written as `sub rule` with no `when`'],
  ['query/language/rule-validation.feature:76', 'rule without `then`'],
  ['query/language/rule-validation.feature:87', 'rule with an empty `when` block'],
  ['query/language/rule-validation.feature:100', 'rule with an empty `then` block'],
  ['query/language/rule-validation.feature:207', 'rule with two conclusions'],
  ['query/language/rule-validation.feature:713', 'rule with a conjunction as its conclusion'],
  ['query/language/rule-validation.feature:799', '`not {$p isa woman}`: missing `;` inside the block'],
]);

const IGNORED_SCENARIO_LINES: ReadonlySet<string> = new Set([
  'query/language/insert.feature:1082',
  'query/language/insert.feature:1096',
]);

function where(query: FeatureQuery): string {
  return `${query.file}:${query.line}`;
}

describe('behaviour-suite TypeQL round trip', () => {
  const queries = extractQueries();

  it('finds the queries of all 39 feature files', () => {
    assert.equal(featureFiles().length, 39);
    assert.ok(queries.length > 2000, `only ${queries.length} queries extracted`);
  });

  it('parses every query, prints it, and parses the print back to the same AST', () => {
    const unexpected: string[] = [];
    const failedKeys = new Set<string>();
    let roundTripped = 0;
    let failed = 0;
    for (const query of queries) {
      const key = where(query);
      let ast;
      try {
        ast = parseQuery(query.text);
      } catch (error) {
        failedKeys.add(key);
        failed++;
        if (!EXPECTED_PARSE_FAILURES.has(key)) unexpected.push(`${key}: ${(error as Error).message}`);
        else if (!query.throws && !IGNORED_SCENARIO_LINES.has(key)) unexpected.push(`${key}: expected to succeed`);
        continue;
      }
      if (EXPECTED_PARSE_FAILURES.has(key)) {
        unexpected.push(`${key}: listed as an expected failure but parsed`);
        continue;
      }
      const printed = printQuery(ast);
      let reparsed;
      try {
        reparsed = parseQuery(printed);
      } catch (error) {
        unexpected.push(`${key}: printed text does not parse: ${(error as Error).message}\n${printed}`);
        continue;
      }
      try {
        assert.deepStrictEqual(reparsed, ast);
        roundTripped++;
      } catch {
        unexpected.push(`${key}: round trip changed the AST\n${printed}`);
      }
    }
    for (const key of EXPECTED_PARSE_FAILURES.keys()) {
      if (!failedKeys.has(key)) unexpected.push(`${key}: listed as an expected failure but not found`);
    }
    assert.deepEqual(unexpected, []);
    assert.equal(roundTripped + failed, queries.length);
  });
});
