// Mirrors typedb-behaviour query/language/rule-validation.feature (rule shape, labels, conclusions, stratification).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuleDefinition } from '../../src/typeql/ast.js';
import { definables, SchemaSession, throwsCode } from './harness.js';

const BACKGROUND = `define
person sub entity,
  plays employment:employee, plays scholarship:scholar,
  plays apprenticeship:apprentice,
  owns name, owns nickname, owns email @key;
employment sub relation, relates employee, owns start-date;
self-employment sub employment;
scholarship sub relation, relates scholar;
apprenticeship sub relation, relates apprentice;
name sub attribute, value string;
nickname sub attribute, value string;
email sub attribute, value string;
start-date sub attribute, value datetime;`;

const session = () => new SchemaSession(BACKGROUND);
const valid = (text: string) => session().define(text).commit();

describe('rules: valid rules', () => {
  it('a rule can infer an attribute and its ownership, or a key', () => {
    valid('define rule robert-has-nickname-bob: when { $p isa person, has name "Robert"; } then { $p has nickname "Bob"; };');
    valid('define rule john-smiths-email: when { $p has name "John Smith"; } then { $p has email "john.smith@gmail.com"; };');
  });

  it('a rule can have negations, several negations, and conjunctions in a negation', () => {
    valid(`define only-child sub attribute, value boolean; siblings sub relation, relates sibling;
      person plays siblings:sibling, owns only-child;
      rule only-child-rule: when { $p isa person; not { (sibling: $p, sibling: $p2) isa siblings; }; }
      then { $p has only-child true; };`);
    valid(`define residence sub relation, relates resident; person owns nickname, plays residence:resident;
      rule r: when { $p isa person, has name "Robert"; not { (employee: $p) isa employment; }; not { (resident: $p) isa residence; }; }
      then { $p has nickname "Bob"; };`);
    valid(`define residence sub relation, relates resident; person owns nickname, plays residence:resident;
      rule r: when { $p isa person, has name "Robert"; not { (employee: $p) isa employment; (resident: $p) isa residence; }; }
      then { $p has nickname "Bob"; };`);
  });

  it("a when can name a role a supertype declares and the relation type overrides, as TypeDB's XCOM example does", () => {
    const overrides = `define requirement sub relation, relates prerequisite, relates outcome;
      tech-requirement sub requirement, relates required-tech as prerequisite;
      research-requirement sub tech-requirement, relates research as outcome, relates research-tech as required-tech;
      person plays research-requirement:research, plays research-requirement:research-tech;`;
    valid(`${overrides}
      rule r: when { (research: $x, required-tech: $y) isa research-requirement; } then { $x has nickname "needs" ; };`);
    valid(`${overrides}
      rule r: when { (outcome: $x, prerequisite: $y) isa research-requirement; } then { $x has nickname "needs" ; };`);
    // A conclusion still names the roles the relation type relates.
    throwsCode(
      () =>
        session().define(`${overrides}
          rule r: when { $x isa person; $y isa person; } then { (research: $x, required-tech: $y) isa research-requirement; };`),
      'RUW07',
    );
  });

  it('a rule can use conjunctions, disjunctions and negated disjunctions', () => {
    valid(`define person plays both-named-robert:named-robert; both-named-robert sub relation, relates named-robert;
      rule r: when { $p isa person, has name "Robert"; $p2 isa person, has name "Robert"; }
      then { (named-robert: $p, named-robert: $p2) isa both-named-robert; };`);
    valid(`define rule r: when { $p isa person; {$p has name "Sophie";} or {$p has name "Fiona";}; } then { $p has nickname "Fi"; };`);
    valid(`define rule r: when { $p isa person; not { {$p has name "Sophie";} or {$p has name "Fiona";}; }; } then { $p has nickname "NotFi"; };`);
  });

  it('a long can be inferred into a double attribute', () => {
    valid('define person owns age; age sub attribute, value double; rule r: when { $p has name "May"; } then { $p has age 5; };');
  });

  it('an attribute can be inferred from a variable, without its type', () => {
    valid(`define rule r: when { $p isa person, has name 'robert'; (employee: $p) isa employment; $bob 'bob' isa nickname; }
      then { $p has $bob; };`);
    valid(`define rule r: when { $p isa person, has name 'robert'; (employee: $p) isa employment; } then { $p has nickname 'bob'; };`);
  });

  it('rules without negation may be mutually recursive; a generalisation of a negated type may be inferred', () => {
    valid(`define rule employed-are-scholars: when { $p isa person; (employee: $p) isa employment; } then { (scholar: $p) isa scholarship; };
      rule scholars-are-employed: when { $p isa person; (scholar: $p) isa scholarship; } then { (employee: $p) isa employment; };`);
    valid(`define rule r: when { $person isa person; not { (employee: $person) isa self-employment; }; }
      then { (employee: $person) isa employment; };`);
    valid('define rule crazy-rule: when { $p isa person; not { $p isa person; }; } then { (employee: $p) isa employment; };');
    valid(`define rule crazy-rule: when { $p isa person; (employee: $p) isa employment; not { (employee: $p) isa employment; }; }
      then { (scholar: $p) isa scholarship; };
      rule another-rule: when { $p isa person; } then { (employee: $p) isa employment; };`);
  });
});

describe('rules: invalid shapes', () => {
  const rule = (label: string, then: RuleDefinition['then'], when?: RuleDefinition['when']): RuleDefinition => ({
    kind: 'rule',
    label,
    when,
    then,
  });

  it('a rule needs a when and a then, neither empty', () => {
    const s = session();
    const then = (definables('define rule x: when { $p has name "a"; } then { $p has nickname "Bob"; };')[0] as RuleDefinition).then;
    throwsCode(() => s.tx.define([rule('x', then)], s.checks), 'TQL29');
    throwsCode(() => s.tx.define([rule('x', then, [])], s.checks), 'TQL29');
    throwsCode(() => s.tx.define([rule('x', undefined, [(definables('define rule y: when { $p has name "a"; } then { $p has name "b"; };')[0] as RuleDefinition).when![0]!])], s.checks), 'TQL31');
  });

  it('an unbounded negation, or a nested negation, is rejected', () => {
    throwsCode(
      () =>
        session().define(`define has-robert sub attribute, value boolean; register sub entity, owns has-robert;
          rule r: when { $register isa register; not { $p isa person, has name "Robert"; }; } then { $register has has-robert false; };`),
      'QRY05',
    );
    throwsCode(
      () =>
        session().define(`define rule r: when { $p isa person; not { (employee: $p) isa employment; not { $p has name "Robert"; }; }; }
          then { $p has nickname "Bob"; };`),
      'TQL30',
    );
  });

  it('then variables must be bound in the trunk of the when', () => {
    throwsCode(() => session().define('define rule r: when { $p has name "I am a person"; } then { $q has nickname "Who am I?"; };'), 'TQL33');
    throwsCode(
      () =>
        session().define(`define person plays both-named-robert:named-robert; both-named-robert sub relation, relates named-robert;
          rule r: when { $p1 isa person, has name "Robert"; {$p2 isa person, has name "Robert";} or {$p2 isa person, has name "Bob";}; }
          then { (named-robert: $p1, named-robert: $p2) isa both-named-robert; };`),
      'TQL33',
    );
  });

  it('a relation conclusion has no relation variable', () => {
    throwsCode(
      () =>
        session().define(`define parentship sub relation, relates father, relates son; person plays parentship:father, plays parentship:son;
          rule r: when { $s isa person; $f isa person; $relation (father:$f, son:$s) isa parentship; $brother isa person; }
          then { $relation (father:$f, son:$brother) isa parentship; };`),
      'TQL35',
    );
    throwsCode(
      () => session().define('define rule r: when { $r isa employment; $p isa person, has name "bob"; } then { $r (employee: $p) isa employment; };'),
      'TQL35',
    );
  });

  it('a conclusion cannot insert a thing (isa)', () => {
    const s = session().define('define baseEntity sub entity; derivedEntity sub entity; man sub person; dog sub entity;');
    throwsCode(() => s.define('define rule r: when { $x isa baseEntity; } then { $y isa derivedEntity; };'), 'TQL31');
    throwsCode(() => s.define('define rule r: when { $x isa person, has name "Romeo"; } then { $x isa dog; };'), 'TQL31');
    throwsCode(() => s.define("define rule r: when { $p isa person; $p has name 'bob'; } then { $p isa man; };"), 'TQL31');
  });

  it('a has conclusion cannot give both an attribute type and a variable', () => {
    throwsCode(
      () =>
        session().define(`define rule r: when { $p isa person, has name 'robert'; (employee: $p) isa employment; $b 'bob' isa nickname; }
          then { $p has nickname $b; };`),
      'TQL32',
    );
  });
});

describe('rules: invalid against the schema', () => {
  it('types used in the when must exist, also in negations', () => {
    throwsCode(() => session().define('define rule r: when { $m isa man; } then { (employee: $m) isa employment; };'), 'TYR03', "'man'");
    throwsCode(
      () => session().define('define rule r: when { $p isa person; not { $p isa woman; }; } then { (employee: $p) isa employment; };'),
      'TYR03',
    );
  });

  it('an inferred attribute must exist and be ownable by the owner', () => {
    throwsCode(() => session().define('define rule r: when { $person isa person, has name "Boudicca"; } then { $person has age 1960; };'), 'TYR03');
    throwsCode(
      () =>
        session().define(`define age sub attribute, value long;
          rule r: when { $person isa person, has name "Boudicca"; } then { $person has age 1960; };`),
      'RUW03',
      "may insert types '{$person=person}'",
    );
  });

  it('an inferred value must fit the attribute value type', () => {
    throwsCode(() => session().define('define rule r: when { $p has name "May"; } then { $p has nickname 5; };'), 'RUW09');
    throwsCode(
      () =>
        session().define(`define grade sub attribute, value long; person owns grade;
          rule r: when { $p has name "May"; } then { $p has grade 5.0; };`),
      'RUW09',
    );
    throwsCode(
      () =>
        session().define(`define person owns weight; grade sub attribute, value long;
          rule r: when { $p has name "May"; } then { $p has grade 5.0; };`),
      'TYR03',
    );
  });

  it("an inferred value variable must hold only values the attribute type can hold: its assignment's value types", () => {
    const define = (when: string, then: string) =>
      session().define(`define grade sub attribute, value long; ratio sub attribute, value double; person owns grade, owns ratio;
        rule r: when { $p isa person, has grade $g; ${when} } then { $p has ${then}; };`);
    throwsCode(() => define('?v = $g / 2;', 'grade ?v'), 'RUW09', "invalid assignment of '?v' into a 'LONG'");
    throwsCode(() => define('?v = $g;', 'nickname ?v'), 'RUW09', "into a 'STRING'");
    throwsCode(() => define('?w = $g + 1.5; ?v = ?w;', 'grade ?v'), 'RUW09');
    define('?v = $g * 2;', 'grade ?v').commit();
    define('?v = $g * 2;', 'ratio ?v').commit();
    define('?v = $g / 2;', 'ratio ?v').commit();
    define('?w = $g + 1.5; ?v = round(?w);', 'grade ?v').commit();
  });

  it('an inferred relation must exist, relate its roles, accept its players and be concrete', () => {
    const when = '$bonnie isa person, has name "Bonnie"; $clyde isa person, has name "Clyde";';
    const then = '(criminal: $bonnie, sidekick: $clyde) isa partners-in-crime;';
    throwsCode(() => session().define(`define rule r: when { ${when} } then { ${then} };`), 'TYR03');
    throwsCode(
      () =>
        session().define(`define partners-in-crime sub relation, relates criminal, relates sidekick;
          person plays partners-in-crime:criminal; rule r: when { ${when} } then { ${then} };`),
      'RUW03',
      '{$clyde=person}',
    );
    throwsCode(
      () =>
        session().define(`define partners-in-crime sub relation, abstract, relates criminal, relates sidekick;
          person plays partners-in-crime:criminal, plays partners-in-crime:sidekick; rule r: when { ${when} } then { ${then} };`),
      'RUW08',
    );
  });

  it('an abstract attribute cannot be inferred', () => {
    throwsCode(
      () =>
        session().define(`define number-of-devices sub attribute, value long, abstract; person owns number-of-devices;
          rule r: when { $karl isa person, has name "Karl"; } then { $karl has number-of-devices 0; };`),
      'RUW08',
    );
  });

  it('role aliases cannot be used outside relation tuples', () => {
    throwsCode(
      () =>
        session().define(`define part-time-employment sub employment;
          rule r: when { $x isa person; $t type part-time-employment:employee; } then { ($t: $x) isa part-time-employment; };`),
      'TYW34',
    );
  });

  it('a when that can never match is rejected', () => {
    throwsCode(
      () => session().define('define rule r: when { $x isa person, has start-date $d; } then { $x has nickname "x"; };'),
      'RUW04',
    );
  });

  it('a when comparing an attribute with a value of a kind it cannot hold is rejected, as that query would be', () => {
    for (const when of ['$x isa person, has name $n; $n > 5;', '$x isa person, has name 5;', '$x isa person, has email $e; $e == 2.5;']) {
      throwsCode(() => session().define(`define rule r: when { ${when} } then { $x has nickname "x"; };`), 'RUW04');
    }
    valid('define person owns age; age sub attribute, value double; rule r: when { $p has age $a; $a > 5; } then { $p has nickname "x"; };');
    valid('define rule r: when { $p isa person, has name $n; $n contains "a"; $n like "^M"; } then { $p has nickname "x"; };');
  });
});

describe('rules: stratification at commit', () => {
  const failsAtCommit = (text: string) => throwsCode(() => session().define(text).commit(), 'RUW02');

  it('a rule negating its own conclusion is rejected', () => {
    failsAtCommit(`define rule there-are-no-unemployed: when { $person isa person; not { (employee: $person) isa employment; }; }
      then { (employee: $person) isa employment; };`);
  });

  it('a loop of rules through negation is rejected', () => {
    const e = failsAtCommit(`define
      rule scholar-is-employee: when { $person isa person; (scholar: $person) isa scholarship; } then { (employee: $person) isa employment; };
      rule unemployed-is-apprentice: when { $person isa person; not { (employee: $person) isa employment;}; } then { (apprentice: $person) isa apprenticeship; };
      rule nonapprentice-is-scholar: when { $person isa person; not { (apprentice: $person) isa apprenticeship;}; } then { (scholar: $person) isa scholarship; };`);
    assert.ok(e.message.includes('[nonapprentice-is-scholar, scholar-is-employee, unemployed-is-apprentice]'), e.message);
  });

  it('mutual recursion through negation, negation in a disjunction branch, and specialisation are rejected', () => {
    failsAtCommit(`define
      rule a: when { (employee: $person) isa employment; not { (scholar: $person) isa scholarship;}; } then { (apprentice: $person) isa apprenticeship; };
      rule b: when { (employee: $person) isa employment; not { (apprentice: $person) isa apprenticeship;}; } then { (scholar: $person) isa scholarship; };`);
    failsAtCommit(`define rule r: when { (employee: $person) isa employment;
      { not { (employee: $person) isa self-employment;}; } or { not { (apprentice: $person) isa apprenticeship;}; }; }
      then { (apprentice: $person) isa apprenticeship; };`);
    failsAtCommit(`define rule r: when { $person isa person; not { (employee: $person) isa employment;}; }
      then { (employee: $person) isa self-employment; };`);
  });

  it('a negated ownership whose value the conclusion can never have is no dependency', () => {
    valid(`define rule bobs-are-not-roberts: when { $p isa person; not { $p has nickname "Robert"; }; } then { $p has nickname "Bob"; };`);
    failsAtCommit(`define rule not-bob-is-bob: when { $p isa person; not { $p has nickname "Bob"; }; } then { $p has nickname "Bob"; };`);
    failsAtCommit(`define rule not-long-is-bob: when { $p isa person; not { $p has nickname like "B.*"; }; } then { $p has nickname "Bob"; };`);
  });

  it('the same holds for the value and type spelt in statements of their own, as TypeDB reads them', () => {
    valid(`define rule bobs-are-not-roberts: when { $p isa person; not { $p has nickname $n; $n == "Robert"; }; } then { $p has nickname "Bob"; };`);
    valid(`define rule bobs-are-not-roberts: when { $p isa person; not { $p has $n; $n "Robert" isa nickname; }; } then { $p has nickname "Bob"; };`);
    failsAtCommit(`define rule not-bob-is-bob: when { $p isa person; not { $p has nickname $n; $n == "Bob"; }; } then { $p has nickname "Bob"; };`);
    failsAtCommit(`define rule not-bob-is-bob: when { $p isa person; not { $p has $n; $n isa nickname; }; } then { $p has nickname "Bob"; };`);
  });

  it('a relation without a type matches a concluded relation that relates every role it names, overridden ones too', () => {
    // `(employee: $p)` matches a mentorship, whose mentee overrides employee: the rules loop through the negation.
    failsAtCommit(`define mentorship sub employment, relates mentee as employee; person plays mentorship:mentee;
      rule a: when { $p isa person; not { (employee: $p); }; } then { $p has nickname "idle"; };
      rule b: when { $p isa person, has nickname "idle"; } then { (mentee: $p) isa mentorship; };`);
    // `(scholar: $p, sponsor: $s)` can never be a scholarship, which has no sponsor: no loop.
    valid(`define sponsorship sub relation, relates scholar, relates sponsor; person plays sponsorship:scholar, plays sponsorship:sponsor;
      rule c: when { $p isa person; $s isa person; not { (scholar: $p, sponsor: $s); }; } then { (scholar: $p) isa scholarship; };`);
  });
});

describe('rules: schema changes are checked against rules', () => {
  const SCHEMA = `define
    rel00 sub relation, relates role00, relates extra_role;
    rel01 sub relation, relates role01;
    rel1 sub rel00;
    ent00 sub entity, abstract, plays rel00:role00, plays rel01:role01;
    ent01 sub entity, abstract;
    ent1 sub ent00;
    rule make-me-unsatisfiable: when { $e isa ent1; (role00: $e) isa rel1; } then { (role01: $e) isa rel01; };`;

  it('types referenced in rules cannot be deleted; rules broken by other changes fail at commit', () => {
    const s = new SchemaSession(SCHEMA);
    throwsCode(() => s.tx.deleteType(s.type('rel01')), 'TYW07');
    throwsCode(() => s.open().tx.deleteType(s.type('rel1')), 'TYW07');
    throwsCode(() => s.open().tx.unsetRelates(s.type('rel01'), 'role01'), 'TYW07');
    s.open().tx.unsetRelates(s.type('rel00'), 'role00');
    assert.throws(() => s.commit());
  });

  it('rules made unsatisfiable by schema changes are flagged at commit', () => {
    const s = new SchemaSession(SCHEMA);
    s.tx.setSupertype(s.type('rel1'), s.type('rel01'));
    assert.throws(() => s.commit());
    s.open().tx.unsetPlays(s.type('ent00'), s.type('rel00:role00'));
    assert.throws(() => s.commit());
    s.open().tx.setSupertype(s.type('ent1'), s.type('ent01'));
    assert.throws(() => s.commit());
  });

  it('types referenced in rules cannot be renamed without failing at commit', () => {
    const s = new SchemaSession(`define rel00 sub relation, relates role00; rel01 sub relation, relates role01;
      ent0 sub entity, plays rel00:role00, plays rel01:role01;
      rule make-me-illegal: when { (role00: $e) isa rel00; } then { (role01: $e) isa rel01; };`);
    s.tx.setLabel(s.type('rel00'), 'renamed-rel00');
    throwsCode(() => s.commit(), 'TYR03');
  });
});
