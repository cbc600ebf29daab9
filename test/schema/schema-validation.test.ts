// Mirrors typedb-behaviour concept/validation/schema-validation.feature through the primitive mutations the
// Concept API uses (put type, set supertype, set owns/plays/relates, …).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Annotation } from '../../src/typeql/ast.js';
import { labels, SchemaSession, throwsCode } from './harness.js';

/** Concept-API style steps over a session's open transaction. */
class Steps {
  constructor(readonly s = new SchemaSession()) {}
  get g() {
    return this.s.tx;
  }
  t(label: string) {
    return this.s.type(label);
  }
  attribute(label: string, valueType: 'string' | 'double' | 'long' = 'string') {
    return this.g.putType(label, 'attribute', valueType);
  }
  entity(label: string) {
    return this.g.putType(label, 'entity');
  }
  relation(label: string) {
    return this.g.putType(label, 'relation');
  }
  abstract(label: string, value = true) {
    if (value) this.g.setAbstract(this.t(label));
    else this.g.unsetAbstract(this.t(label));
  }
  sup(label: string, supertype: string) {
    this.g.setSupertype(this.t(label), this.t(supertype));
  }
  relates(relation: string, role: string, overridden?: string) {
    this.g.setRelates(this.t(relation), role, overridden);
  }
  unrelate(relation: string, role: string) {
    this.g.unsetRelates(this.t(relation), role);
  }
  owns(owner: string, attribute: string, overridden?: string, ...annotations: Annotation[]) {
    this.g.setOwns(this.t(owner), this.t(attribute), overridden === undefined ? undefined : this.t(overridden), annotations);
  }
  unown(owner: string, attribute: string) {
    this.g.unsetOwns(this.t(owner), this.t(attribute));
  }
  plays(player: string, role: string, overridden?: string) {
    this.g.setPlays(this.t(player), this.t(role), overridden === undefined ? undefined : this.t(overridden));
  }
  unplay(player: string, role: string) {
    this.g.unsetPlays(this.t(player), this.t(role));
  }
  commit() {
    this.s.commit();
    return this;
  }
  open() {
    this.s.open();
    return this;
  }
  commitFails(code?: string) {
    if (code) throwsCode(() => this.s.commit(), code);
    else assert.throws(() => this.s.commit());
    this.s.open();
  }
  fails(step: () => void, code?: string) {
    if (code) throwsCode(step, code);
    else assert.throws(step);
    this.s.open();
  }
  playedRoles(label: string) {
    return labels([...this.g.plays(this.t(label)).values()].map((p) => p.role));
  }
  ownedAttributes(label: string) {
    return labels([...this.g.owns(this.t(label)).values()].map((o) => o.attribute));
  }
}

describe('schema validation', () => {
  it('cyclic type hierarchies are disallowed', () => {
    const x = new Steps();
    x.attribute('attr0');
    x.attribute('attr1');
    x.abstract('attr0');
    x.abstract('attr1');
    x.sup('attr1', 'attr0');
    x.entity('ent0');
    x.entity('ent1');
    x.sup('ent1', 'ent0');
    x.relation('rel0');
    x.relates('rel0', 'role0');
    x.relation('rel1');
    x.relates('rel1', 'role1');
    x.sup('rel1', 'rel0');
    x.commit();
    for (const [sub, sup] of [['attr1', 'attr1'], ['attr0', 'attr1'], ['ent1', 'ent1'], ['ent0', 'ent1'], ['rel1', 'rel1'], ['rel0', 'rel1']]) {
      x.fails(() => x.sup(sub!, sup!), 'TYW08');
    }
  });

  it('an attribute type must have the value type of its ancestors', () => {
    const x = new Steps();
    x.attribute('attr0s');
    x.abstract('attr0s');
    x.attribute('attr0d', 'double');
    x.abstract('attr0d');
    x.attribute('attr1');
    x.commit();
    x.sup('attr1', 'attr0s');
    x.commit();
    x.fails(() => x.sup('attr1', 'attr0d'), 'TYW14');
  });

  it('only abstract attribute types may have subtypes', () => {
    const x = new Steps();
    x.attribute('attr0a');
    x.attribute('attr0c');
    x.abstract('attr0a');
    x.commit();
    x.attribute('attr1');
    x.fails(() => x.sup('attr1', 'attr0c'), 'TYW19');
    x.attribute('attr1');
    x.sup('attr1', 'attr0a');
    x.commit();
    x.fails(() => x.abstract('attr0a', false), 'TYW18');
    x.fails(() => x.sup('attr1', 'attr0c'), 'TYW19');
    x.abstract('attr0c');
    x.sup('attr1', 'attr0c');
    x.commit();
  });

  it('concrete relation types must relate at least one role, possibly inherited', () => {
    const x = new Steps();
    x.relation('rel0c');
    x.commitFails('TYW37');
    x.relation('rel0c');
    x.relates('rel0c', 'role0c');
    x.commit();
    x.unrelate('rel0c', 'role0c');
    x.commitFails('TYW37');
    x.relation('rel0a');
    x.abstract('rel0a');
    x.commit();
    x.abstract('rel0a', false);
    x.commitFails('TYW37');

    const y = new Steps();
    y.relation('rel00');
    y.abstract('rel00');
    y.relates('rel00', 'role00');
    y.relation('rel01');
    y.abstract('rel01');
    y.commit();
    y.relation('rel1');
    y.sup('rel1', 'rel01');
    y.commitFails('TYW37');
    y.relation('rel1');
    y.sup('rel1', 'rel00');
    y.commit();
    assert.equal(y.t('rel00:role00').abstract, false, 'roles are never abstract');
    y.unrelate('rel00', 'role00');
    y.commitFails('TYW37');
    y.sup('rel1', 'rel01');
    y.commitFails('TYW37');
  });

  it('relation types may not declare a role named like one declared by an ancestor', () => {
    const x = new Steps();
    x.relation('rel00');
    x.relates('rel00', 'role00');
    x.relation('rel01');
    x.relates('rel01', 'role01');
    x.relation('rel1');
    x.sup('rel1', 'rel00');
    x.relates('rel1', 'role01');
    x.commit();
    x.fails(() => x.relates('rel1', 'role00'), 'TYW39');
    x.fails(() => x.relates('rel00', 'role01'), 'TYW57');
    x.fails(() => x.sup('rel1', 'rel01'), 'TYW59');
  });

  it('concrete types may not own abstract attribute types', () => {
    const x = new Steps();
    x.attribute('attr0');
    x.abstract('attr0');
    x.entity('ent0');
    x.commit();
    x.owns('ent0', 'attr0');
    x.commitFails('TYW09');
    x.abstract('ent0');
    x.owns('ent0', 'attr0');
    x.commit();
    x.abstract('ent0', false);
    x.commitFails('TYW09');
    x.entity('ent1');
    x.sup('ent1', 'ent0');
    x.commitFails('TYW09');
  });

  it('modifying a relation or role does not leave invalid overrides', () => {
    const x = new Steps();
    x.relation('rel00');
    x.relates('rel00', 'role00');
    x.relates('rel00', 'extra_role');
    x.relation('rel01');
    x.relates('rel01', 'role01');
    x.relation('rel1');
    x.sup('rel1', 'rel00');
    x.relation('rel2');
    x.sup('rel2', 'rel1');
    x.relates('rel2', 'role2', 'role00');
    x.commit();
    x.fails(() => x.unrelate('rel00', 'role00'), 'TYW58');
    x.fails(() => x.sup('rel2', 'rel01'), 'TYW59');
    x.fails(() => x.relates('rel1', 'role1', 'role00'), 'TYW57');
  });

  it('deleting a role or an attribute type leaves no dangling plays or owns', () => {
    const x = new Steps();
    x.relation('rel0');
    x.relates('rel0', 'role0');
    x.relates('rel0', 'extra_role');
    x.entity('ent0');
    x.plays('ent0', 'rel0:role0');
    x.attribute('attr0');
    x.owns('ent0', 'attr0');
    x.commit();
    x.unrelate('rel0', 'role0');
    assert.deepEqual(x.playedRoles('ent0'), []);
    x.g.deleteType(x.t('attr0'));
    assert.deepEqual(x.ownedAttributes('ent0'), []);
    x.commit();
  });

  it('the schema does not contain redundant owns or plays declarations', () => {
    const x = new Steps();
    x.attribute('attr0');
    x.relation('rel0');
    x.relates('rel0', 'role0');
    x.entity('ent00');
    x.owns('ent00', 'attr0');
    x.plays('ent00', 'rel0:role0');
    x.entity('ent01');
    x.entity('ent1');
    x.sup('ent1', 'ent00');
    x.commit();
    x.owns('ent1', 'attr0');
    x.commitFails('TYW25');
    x.plays('ent1', 'rel0:role0');
    x.commitFails('TYW62');
    x.sup('ent1', 'ent01');
    x.owns('ent1', 'attr0');
    x.plays('ent1', 'rel0:role0');
    x.commit();
    x.sup('ent1', 'ent00');
    x.commitFails();
  });

  it('a relation type may only override roles it inherits', () => {
    const x = new Steps();
    x.relation('rel00');
    x.relates('rel00', 'role00');
    x.relation('rel01');
    x.relates('rel01', 'role01');
    x.commit();
    x.relation('rel1');
    x.fails(() => x.relates('rel1', 'role1', 'role00'), 'TYW40');
    x.relation('rel1');
    x.sup('rel1', 'rel00');
    x.relates('rel1', 'role1', 'role00');
    assert.deepEqual(labels(x.g.relates(x.t('rel1'))), ['rel1:role1']);
    x.commit();
    x.fails(() => x.sup('rel1', 'rel01'), 'TYW59');
    x.fails(() => x.unrelate('rel00', 'role00'), 'TYW58');
  });

  it('a type may only override an ownership it inherits, with a subtype of the inherited attribute', () => {
    const x = new Steps();
    x.attribute('attr0');
    x.abstract('attr0');
    x.attribute('attr1');
    x.sup('attr1', 'attr0');
    x.attribute('attr2');
    x.entity('ent00');
    x.abstract('ent00');
    x.owns('ent00', 'attr0');
    x.entity('ent01');
    x.abstract('ent01');
    x.commit();
    x.entity('ent1');
    x.fails(() => x.owns('ent1', 'attr1', 'attr0'), 'TYW61');
    x.entity('ent1');
    x.sup('ent1', 'ent00');
    x.fails(() => x.owns('ent1', 'attr2', 'attr0'), 'TYW10');
    x.entity('ent1');
    x.sup('ent1', 'ent00');
    x.owns('ent1', 'attr1', 'attr0');
    assert.deepEqual(x.ownedAttributes('ent1'), ['attr1']);
    x.commit();
    x.unown('ent00', 'attr0');
    x.commitFails('TYW61');
    x.sup('ent1', 'ent01');
    x.commitFails('TYW61');
  });

  it('a type may not declare ownership of an attribute hidden by an inherited override', () => {
    const x = new Steps();
    x.attribute('attr0');
    x.abstract('attr0');
    x.attribute('attr1');
    x.abstract('attr1');
    x.sup('attr1', 'attr0');
    x.attribute('attr2');
    x.sup('attr2', 'attr1');
    x.abstract('attr2');
    x.entity('ent0');
    x.abstract('ent0');
    x.owns('ent0', 'attr0');
    x.entity('ent1');
    x.sup('ent1', 'ent0');
    x.abstract('ent1');
    x.owns('ent1', 'attr1', 'attr0');
    x.commit();
    x.entity('ent2');
    x.sup('ent2', 'ent1');
    x.abstract('ent2');
    x.fails(() => x.owns('ent2', 'attr2', 'attr0'), 'TYW61');
    x.entity('ent2');
    x.sup('ent2', 'ent1');
    x.abstract('ent2');
    x.unown('ent1', 'attr1');
    x.owns('ent2', 'attr2', 'attr0');
    x.commit();
    x.owns('ent1', 'attr1', 'attr0');
    x.commitFails('TYW61');
    x.entity('ent3');
    x.abstract('ent3');
    x.owns('ent3', 'attr0');
    x.commit();
    x.fails(() => x.sup('ent3', 'ent2'), 'TYW59');
  });

  it('a type may only override a role it plays by inheritance, with a subrole', () => {
    const x = new Steps();
    x.relation('rel0');
    x.relates('rel0', 'role0');
    x.relation('rel1');
    x.sup('rel1', 'rel0');
    x.relates('rel1', 'role1');
    x.entity('ent00');
    x.plays('ent00', 'rel0:role0');
    x.entity('ent01');
    x.commit();
    x.entity('ent1');
    x.sup('ent1', 'ent00');
    x.fails(() => x.plays('ent1', 'rel1:role1', 'rel0:role0'), 'TYW11');
    x.relates('rel1', 'role1', 'role0');
    x.commit();
    x.entity('ent1');
    x.fails(() => x.plays('ent1', 'rel1:role1', 'rel0:role0'), 'TYW60');
    x.entity('ent1');
    x.sup('ent1', 'ent00');
    x.plays('ent1', 'rel1:role1');
    assert.deepEqual(x.playedRoles('ent1'), ['rel0:role0', 'rel1:role1']);
    x.commit();
    x.plays('ent1', 'rel1:role1', 'rel0:role0');
    assert.deepEqual(x.playedRoles('ent1'), ['rel1:role1']);
    x.commit();
  });

  it('an overridden played role must stay inherited by the overriding type', () => {
    const x = new Steps();
    x.relation('rel0');
    x.relates('rel0', 'role0');
    x.relation('rel1');
    x.sup('rel1', 'rel0');
    x.relates('rel1', 'role1', 'role0');
    x.entity('ent00');
    x.plays('ent00', 'rel0:role0');
    x.entity('ent1');
    x.sup('ent1', 'ent00');
    x.plays('ent1', 'rel1:role1', 'rel0:role0');
    x.entity('ent01');
    x.commit();
    x.relates('rel1', 'role1');
    x.commitFails('TYW11');
    x.unplay('ent00', 'rel0:role0');
    x.commitFails('TYW60');
    x.sup('ent1', 'ent01');
    x.commitFails('TYW60');
  });

  it('a type may not redeclare playing a role hidden by an override', () => {
    const x = new Steps();
    x.relation('rel0');
    x.relates('rel0', 'role0');
    x.relation('rel1');
    x.sup('rel1', 'rel0');
    x.relates('rel1', 'role1', 'role0');
    x.entity('ent0');
    x.plays('ent0', 'rel0:role0');
    x.entity('ent1');
    x.sup('ent1', 'ent0');
    x.entity('ent2');
    x.sup('ent2', 'ent1');
    x.commit();
    x.plays('ent2', 'rel0:role0');
    x.fails(() => x.plays('ent1', 'rel1:role1', 'rel0:role0'), 'TYW57');
  });

  it('a type may not be moved where its plays declarations are hidden by an override', () => {
    const x = new Steps(
      new SchemaSession(`define
        rel0 sub relation, relates role0;
        rel10 sub rel0, relates role10 as role0;
        rel11 sub rel0, relates role11 as role0;
        ent0 sub entity, plays rel0:role0;
        ent1 sub ent0, plays rel10:role10 as role0;
        ent20 sub entity, plays rel0:role0;
        ent21 sub ent0, plays rel11:role11 as role0;
        ent22 sub ent0, plays rel10:role10;`),
    );
    x.fails(() => x.sup('ent20', 'ent1'), 'TYW59');
    x.sup('ent21', 'ent1');
    x.commitFails('TYW60');
    x.sup('ent22', 'ent1');
    x.commitFails('TYW62');
  });

  it('a concrete type must override inherited ownerships of abstract attribute types', () => {
    const x = new Steps();
    x.attribute('attr00');
    x.abstract('attr00');
    x.attribute('attr10');
    x.sup('attr10', 'attr00');
    x.attribute('attr01');
    x.abstract('attr01');
    x.attribute('attr11');
    x.sup('attr11', 'attr01');
    x.entity('ent00');
    x.abstract('ent00');
    x.owns('ent00', 'attr00');
    x.entity('ent01');
    x.abstract('ent01');
    x.owns('ent01', 'attr01');
    x.entity('ent1');
    x.commit();
    x.sup('ent1', 'ent00');
    x.commitFails('TYW09');
    x.sup('ent1', 'ent00');
    x.owns('ent1', 'attr10');
    x.commitFails('TYW09');
    x.sup('ent1', 'ent00');
    x.owns('ent1', 'attr10', 'attr00');
    x.commit();
    x.owns('ent1', 'attr11');
    x.commit();
    x.sup('ent1', 'ent01');
    x.commitFails();
  });

  it('annotations on ownership overrides must be at least as strict as the overridden ownership', () => {
    const x = new Steps();
    x.attribute('attr0');
    x.abstract('attr0');
    x.attribute('attr1');
    x.sup('attr1', 'attr0');
    x.entity('ent0k');
    x.abstract('ent0k');
    x.owns('ent0k', 'attr0', undefined, 'key');
    x.entity('ent0n');
    x.abstract('ent0n');
    x.owns('ent0n', 'attr0');
    x.commit();
    x.entity('ent1u');
    x.sup('ent1u', 'ent0k');
    x.fails(() => x.owns('ent1u', 'attr1', 'attr0', 'unique'), 'TYW29');
    x.entity('ent1u');
    x.sup('ent1u', 'ent0n');
    x.owns('ent1u', 'attr1', 'attr0', 'unique');
    x.commit();
    x.fails(() => x.sup('ent1u', 'ent0k'), 'TYW59');
    x.fails(() => x.owns('ent0n', 'attr0', undefined, 'key'), 'TYW57');
  });

  it('annotations on redeclarations must be stricter, or are redundant at commit', () => {
    const x = new Steps();
    x.attribute('attr0');
    for (const [label, annotation] of [['ent0n', undefined], ['ent0k', 'key'], ['ent0u', 'unique']] as const) {
      x.entity(label);
      x.abstract(label);
      if (annotation) x.owns(label, 'attr0', undefined, annotation);
      else x.owns(label, 'attr0');
    }
    x.commit();
    x.entity('ent1u');
    x.sup('ent1u', 'ent0k');
    x.fails(() => x.owns('ent1u', 'attr0', undefined, 'unique'), 'TYW29');
    x.entity('ent1u');
    x.sup('ent1u', 'ent0u');
    x.owns('ent1u', 'attr0', undefined, 'unique');
    x.commitFails('TYW25');
    x.entity('ent1u');
    x.sup('ent1u', 'ent0n');
    x.owns('ent1u', 'attr0', undefined, 'unique');
    x.commit();
    x.fails(() => x.sup('ent1u', 'ent0k'), 'TYW59');
    x.fails(() => x.owns('ent0n', 'attr0', undefined, 'key'), 'TYW57');
  });
});
