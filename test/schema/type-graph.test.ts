// The type graph itself: meta types, ids, clones, the SchemaReader contract, primitive mutations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_INSTANCES, TypeGraph } from '../../src/schema/index.js';
import { definables, labels, throwsCode } from './harness.js';

function graph(text?: string): TypeGraph {
  const g = new TypeGraph();
  if (text) g.define(definables(text), NO_INSTANCES);
  return g;
}

const SOCIAL = `define
  name sub attribute, value string;
  nickname sub name;
  name abstract;
  email sub attribute, value string;
  person sub entity, owns email @key, owns nickname, plays marriage:spouse, plays friendship:friend;
  woman sub person, plays wedding:wife as spouse;
  marriage sub relation, relates spouse;
  wedding sub marriage, relates wife as spouse, relates husband as spouse;
  friendship sub relation, relates friend;`;

describe('type graph: meta types', () => {
  it('bootstraps thing, entity, relation, attribute and relation:role, all abstract', () => {
    const g = graph();
    assert.deepEqual(labels(g.all()), ['attribute', 'entity', 'relation', 'relation:role', 'thing']);
    for (const t of g.all()) {
      assert.equal(t.isMeta, true);
      assert.equal(t.abstract, true);
    }
    assert.equal(g.get('entity')!.root, 'entity');
    assert.equal(g.get('thing')!.root, 'thing');
    assert.equal(g.get('relation:role')!.root, 'role');
    assert.equal(g.get({ scope: 'relation', name: 'role' })!.label.name, 'role');
    assert.equal(g.get('entity')!.supertype!.label.name, 'thing');
    assert.deepEqual(labels(g.relates(g.get('relation')!)), ['relation:role']);
  });

  it('meta types are immutable', () => {
    const g = graph();
    throwsCode(() => g.deleteType(g.get('entity')!), 'TYW01', 'Root types are immutable.');
    throwsCode(() => g.setLabel(g.get('entity')!, 'thingy'), 'TYW01');
    throwsCode(() => g.unsetAbstract(g.get('relation')!), 'TYW01');
    throwsCode(() => g.setOwns(g.get('entity')!, g.putType('name', 'attribute', 'string')), 'TYW01');
    throwsCode(() => g.setOwns(g.putType('person', 'entity'), g.get('attribute')!), 'TYW22');
    throwsCode(() => g.setPlays(g.get('person')!, g.get('relation:role')!), 'TYW23');
  });
});

describe('type graph: ids', () => {
  it('allocates ids monotonically and never reuses them', () => {
    const g = graph();
    const a = g.putType('a', 'entity');
    const b = g.putType('b', 'entity');
    assert.ok(b.id > a.id);
    g.deleteType(b);
    const c = g.putType('c', 'entity');
    assert.ok(c.id > b.id);
    assert.equal(g.byId(b.id), undefined);
    const restored = TypeGraph.deserialize(g.serialize());
    assert.ok(restored.putType('d', 'entity').id > c.id);
  });

  it('a failed define does not consume the graph state', () => {
    const g = graph(SOCIAL);
    const before = g.serialize();
    assert.throws(() => g.define(definables('define dog sub entity; cat sub dog; person owns missing;'), NO_INSTANCES));
    assert.deepEqual(g.serialize(), before);
    assert.equal(g.get('dog'), undefined);
  });
});

describe('type graph: clone', () => {
  it('mutations of a clone do not affect the original', () => {
    const g = graph(SOCIAL);
    const c = g.clone();
    c.define(definables('define dog sub entity; person owns name; person abstract;'), NO_INSTANCES);
    assert.equal(g.get('dog'), undefined);
    assert.equal(g.get('person')!.abstract, false);
    assert.equal(g.owns(g.get('person')!).size, 2);
    assert.equal(c.owns(c.get('person')!).size, 3);
  });
});

describe('type graph: reading', () => {
  const g = graph(SOCIAL);
  const t = (label: string) => g.get(label)!;

  it('supertypes go from the type to its root, thing excluded', () => {
    assert.deepEqual(g.supertypes(t('woman')).map((s) => s.label.name), ['woman', 'person', 'entity']);
    assert.deepEqual(g.supertypes(t('wedding:wife')).map((s) => s.label.name), ['wife', 'spouse', 'role']);
    assert.deepEqual(g.supertypes(t('thing')).map((s) => s.label.name), ['thing']);
  });

  it('subtypes are transitive, or direct', () => {
    assert.deepEqual(labels(g.subtypes(t('person'))), ['person', 'woman']);
    assert.deepEqual(labels(g.subtypes(t('entity'), { direct: true })), ['person']);
    assert.deepEqual(labels(g.subtypes(t('marriage:spouse'))), ['marriage:spouse', 'wedding:husband', 'wedding:wife']);
    assert.ok(g.isSubtypeOf(t('woman'), t('entity')));
    assert.ok(!g.isSubtypeOf(t('person'), t('woman')));
  });

  it('ownerships carry effective annotations, the declaring type and overrides', () => {
    const owns = g.owns(t('woman'));
    const email = owns.get(t('email').id)!;
    assert.equal(email.key, true);
    assert.equal(email.declaredBy.label.name, 'person');
    assert.equal(owns.get(t('nickname').id)!.overridden, undefined);
  });

  it('plays hides overridden roles; relates hides overridden roles', () => {
    assert.deepEqual(labels([...g.plays(t('woman')).values()].map((p) => p.role)), ['friendship:friend', 'wedding:wife']);
    assert.equal(g.plays(t('woman')).get(t('wedding:wife').id)!.overridden!.label.name, 'spouse');
    assert.deepEqual(labels(g.relates(t('wedding'))), ['wedding:husband', 'wedding:wife']);
    assert.equal(g.resolveRole(t('wedding'), 'wife')!.label.scope, 'wedding');
    assert.equal(g.resolveRole(t('wedding'), 'spouse'), undefined);
    assert.equal(g.resolveRole(t('marriage'), 'marriage:spouse')!.label.name, 'spouse');
  });

  it('declared edges, owners and players', () => {
    assert.deepEqual([...g.declaredOwns(t('woman')).keys()], []);
    assert.deepEqual(labels(g.declaredRelates(t('wedding'))), ['wedding:husband', 'wedding:wife']);
    assert.equal(g.overriddenRole(t('wedding:wife'))!.label.name, 'spouse');
    assert.equal(g.relationOf(t('wedding:wife'))!.label.name, 'wedding');
    assert.deepEqual(labels(g.ownersOf(t('email'))), ['person', 'woman']);
    assert.deepEqual(labels(g.playersOf(t('marriage:spouse'))), ['person']);
  });
});

describe('type graph: primitives', () => {
  it('putType returns existing types and rejects other kinds or labels', () => {
    const g = graph(SOCIAL);
    assert.equal(g.putType('person', 'entity').id, g.get('person')!.id);
    throwsCode(() => g.putType('person', 'relation'), 'TYR02');
    throwsCode(() => g.putType('email', 'attribute', 'long'), 'TYW16');
    throwsCode(() => g.putType('bad label', 'entity'), 'TQL42');
  });

  it('setLabel renames types and the scope of their roles', () => {
    const g = graph(SOCIAL);
    const marriage = g.get('marriage')!;
    g.setLabel(marriage, 'union');
    assert.equal(g.get('marriage'), undefined);
    assert.equal(g.get('union:spouse')!.label.scope, 'union');
    assert.equal(g.get('union')!.id, marriage.id);
    g.setLabel(g.get('union:spouse')!, 'partner');
    assert.ok(g.get('union:partner'));
    throwsCode(() => g.setLabel(g.get('person')!, 'woman'), 'SCG02', "The label 'woman' is already in use");
  });

  it('setValueType only sets a missing value type, and a new attribute without one fails at commit', () => {
    const g = graph();
    const a = g.putType('a', 'attribute');
    throwsCode(() => g.validateForCommit(), 'TYW15');
    g.setValueType(a, 'long');
    g.validateForCommit();
    throwsCode(() => g.setValueType(a, 'string'), 'TYW16');
    throwsCode(() => g.setValueType(g.putType('e', 'entity'), 'string'), 'TYW21');
  });

  it('regexes must be valid and only on string attribute types', () => {
    const g = graph(SOCIAL);
    g.setRegex(g.get('email')!, '.+@.+');
    assert.equal(g.get('email')!.regex, '.+@.+');
    throwsCode(() => g.setRegex(g.get('email')!, '(unclosed'), 'TQL14');
    g.unsetRegex(g.get('email')!);
    assert.equal(g.get('email')!.regex, undefined);
  });

  it('deleting a type with subtypes or instances fails', () => {
    const g = graph(SOCIAL);
    throwsCode(() => g.deleteType(g.get('person')!), 'TYW02');
    throwsCode(() => g.deleteType(g.get('woman')!, { ...NO_INSTANCES, hasInstances: () => true }), 'TYW04');
    g.deleteType(g.get('woman')!);
    assert.equal(g.get('woman'), undefined);
  });

  it('views report a deleted type', () => {
    const g = graph(SOCIAL);
    const woman = g.get('woman')!;
    g.deleteType(woman);
    throwsCode(() => woman.abstract, 'TYW05');
  });
});
