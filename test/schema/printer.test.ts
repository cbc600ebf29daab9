// The schema printer against TypeDB 2.29's `database schema` text (reference/cli-console.md §5, shared vectors).
import { vectorsDir } from '../support/paths.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NO_INSTANCES, printRuleSchema, printSchema, printTypeSchema, TypeGraph } from '../../src/schema/index.js';
import { definables } from './harness.js';

const VECTORS = new URL(`file://${vectorsDir()}/`);

function defined(text: string): TypeGraph {
  const g = new TypeGraph();
  g.define(definables(text), NO_INSTANCES);
  g.validateForCommit();
  return g;
}

/** Printing, re-defining the printed text into a fresh graph, and printing again gives the same text. */
function assertStable(text: string): void {
  assert.equal(printSchema(defined(text)), text);
  const again = defined(text);
  again.define(definables(text), NO_INSTANCES);
  assert.equal(printSchema(again), text);
}

describe('schema printer', () => {
  it('prints the TypeDB 2.29.1 migrator schema byte for byte', () => {
    const file = readFileSync(new URL('typedb-2.29.1-migrator/schema.tql', VECTORS), 'utf8');
    const expected = file.slice(file.indexOf('define')).trim();
    const g = defined(file);
    assert.equal(printSchema(g), expected);
    assertStable(expected);
  });

  it('prints the hand-built example schema byte for byte', () => {
    const expected = readFileSync(new URL('hand-built/example.schema.tql', VECTORS), 'utf8');
    assert.equal(printSchema(defined(expected)), expected);
  });

  it('prints the reference worked example', () => {
    const input = `define
name sub attribute, value string;
email sub attribute, value string, regex "^.*@.*$";
since sub attribute, value datetime;
friendship sub relation, relates friend, owns since;
person sub entity, owns name, owns email @key, plays friendship:friend;
employee sub person, abstract;
rule r: when { $x isa person, has name $n; } then { $x has email "a@b"; };`;
    const expected = `define
email sub attribute,
    value string,
    regex "^.*@.*$";
name sub attribute,
    value string;
since sub attribute,
    value datetime;
friendship sub relation,
    owns since,
    relates friend;
person sub entity,
    owns email @key,
    owns name,
    plays friendship:friend;
employee sub person,
    abstract;
rule r: when {
    $x isa person,
        has name $n;
} then {
    $x has email "a@b";
};`;
    assert.equal(printSchema(defined(input)), expected);
  });

  it('prints an empty schema as the empty string', () => {
    assert.equal(printSchema(new TypeGraph()), '');
  });

  it('prints overrides, annotations (keys, then uniques, then by label) and escaped regexes', () => {
    const expected = `define
a-id sub attribute,
    value long;
id sub attribute,
    abstract,
    value string;
person-id sub id,
    value string;
path sub attribute,
    value string,
    regex "^\\/home\\/.*$";
z-code sub attribute,
    value string;
parenthood sub relation,
    relates child,
    relates parent;
fatherhood sub parenthood,
    relates father as parent;
person sub entity,
    abstract,
    owns z-code @key,
    owns a-id @unique,
    owns id,
    owns path,
    plays parenthood:parent;
man sub person,
    owns a-id as a-id @key,
    owns path as path @unique,
    owns person-id as id @unique,
    plays fatherhood:father as parent;`;
    assertStable(expected);
  });

  it('prints redeclarations as self-overrides only while the ownership is inherited', () => {
    const g = defined(`define name sub attribute, value string; person sub entity, owns name;
      child sub person, owns name @key;`);
    assert.match(printSchema(g), /child sub person,\n {4}owns name as name @key;/);
  });

  it('prints rule expressions with the parentheses written, as TypeQL keeps and prints them', () => {
    const g = defined(`define count sub attribute, value long; score sub attribute, value double;
      person sub entity, owns count, owns score;
      rule r: when { $x isa person, has count $a, has score $b;
        ?v = ($a * 2) + round($b); ?w = ($a + 1) * (2 - $b) / 3 ^ 2; ?u = (($a)); ?v > ?w; } then { $x has score ?v; };`);
    const text = printSchema(g);
    assert.match(text, /\n {4}\?v = \( \$a \* 2 \) \+ round\(\$b\);\n/);
    assert.match(text, /\n {4}\?w = \( \$a \+ 1 \) \* \( 2 - \$b \) \/ 3 \^ 2;\n/);
    assert.match(text, /\n {4}\?u = \( \( \$a \) \);\n/);
    assertStable(text);
  });

  it('prints equality predicates as TypeQL does: a bare value, or `==` before a variable', () => {
    const g = defined(`define count sub attribute, value long; name sub attribute, value string;
      person sub entity, owns count, owns name;
      rule r: when { $x isa person, has count = 5, has count == 6, has name $n; $m isa name; $n = $m;
        ?v = 1; ?v == 1; ?w = ?v; } then { $x has name "r"; };`);
    const text = printSchema(g);
    assert.match(text, /\n {8}has count 5,\n {8}has count 6,\n/);
    assert.match(text, /\n {4}\$n == \$m;\n/);
    assert.match(text, /\n {4}\?v 1;\n {4}\?w = \?v;\n/);
    assertStable(text);
  });

  it('prints a negation or a disjunction branch holding one block as that block, as TypeQL does', () => {
    const g = defined(`define count sub attribute, value long; name sub attribute, value string;
      person sub entity, owns count, owns name;
      rule r: when { $x isa person; not { { $x has name "a"; $x has count 1; }; };
        { { $x has count 5; $x has name "q"; }; } or { $x has count 6; }; } then { $x has name "r"; };`);
    const text = printSchema(g);
    assert.ok(
      text.includes(`rule r: when {
    $x isa person;
    not {
        $x has name "a";
        $x has count 1;
    };
    {
        $x has count 5;
        $x has name "q";
    } or {
        $x has count 6;
    };
} then {`),
      text,
    );
    assertStable(text);
  });

  it('prints the type and rule sections on their own', () => {
    const g = defined(`define name sub attribute, value string; person sub entity, owns name;
      rule b: when { $x isa person; } then { $x has name "b"; };
      rule a: when { $x isa person; } then { $x has name "a"; };`);
    assert.equal(printTypeSchema(g), 'define\nname sub attribute,\n    value string;\nperson sub entity,\n    owns name;');
    const rules = printRuleSchema(g);
    assert.ok(rules.startsWith('define\nrule a: when {'), rules);
    assert.ok(rules.indexOf('rule a') < rules.indexOf('rule b'));
    assert.equal(printRuleSchema(new TypeGraph()), '');
  });
});
