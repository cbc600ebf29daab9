// The social-network dataset of issue 7, generated deterministically from a seed as a .typedb file (with its
// schema), at any scale: person, company, post, comment; name, email, age, joined (datetime), score (double),
// active (boolean); friendship, employment, authorship, reply — and friendships playing `employment:referral`
// (relations in relations). IDs look like TypeDB 2.x's (base64 of IID-shaped bytes; attribute IDs embed their
// value). Items are written entities first, relations next and attributes last, as TypeDB 3.x orders them:
// every ownership is then a forward reference, the hard case for an importer.

import { ItemWriter, type DataItem } from '../src/migration/codec/index.js';
import type { Value } from '../src/common/values.js';
import { seededRandom as random } from './workload.js';

export const SOCIAL_SCHEMA = `define
active sub attribute,
    value boolean;
age sub attribute,
    value long;
email sub attribute,
    value string;
joined sub attribute,
    value datetime;
name sub attribute,
    value string;
score sub attribute,
    value double;
authorship sub relation,
    relates author,
    relates work;
employment sub relation,
    owns active,
    relates employee,
    relates employer,
    relates referral;
friendship sub relation,
    owns joined,
    relates friend,
    plays employment:referral;
reply sub relation,
    relates child,
    relates parent;
comment sub entity,
    owns joined,
    owns score,
    plays authorship:work,
    plays reply:child,
    plays reply:parent;
company sub entity,
    owns name @key,
    plays employment:employer;
person sub entity,
    owns email @key,
    owns active,
    owns age,
    owns joined,
    owns name,
    plays authorship:author,
    plays employment:employee,
    plays friendship:friend;
post sub entity,
    owns joined,
    owns score,
    plays authorship:work,
    plays reply:parent;`;

/** How many things of each kind a dataset of about `things` things has. */
export interface SocialShape {
  readonly persons: number;
  readonly companies: number;
  readonly posts: number;
  readonly comments: number;
  readonly friendships: number;
  readonly employments: number;
  /** Distinct person names (fewer than persons: names repeat). */
  readonly names: number;
  /** Distinct join days and scores. */
  readonly days: number;
  readonly scores: number;
}

export function socialShape(things: number): SocialShape {
  const n = (fraction: number, min = 1) => Math.max(min, Math.round(things * fraction));
  return {
    persons: n(0.08, 2),
    companies: n(0.004),
    posts: n(0.12),
    comments: n(0.12),
    friendships: n(0.15),
    employments: n(0.04),
    names: n(0.07),
    days: Math.min(n(0.004), 3650),
    scores: Math.min(n(0.01), 100_000),
  };
}

export interface GeneratedDataset {
  readonly path: string;
  readonly bytes: number;
  readonly things: number;
  readonly entities: number;
  readonly relations: number;
  readonly attributes: number;
  readonly ownerships: number;
  readonly roles: number;
}


const FIRST = ['Ada', 'Alan', 'Barbara', 'Claude', 'Donald', 'Edsger', 'Frances', 'Grace', 'John', 'Ken', 'Leslie', 'Margaret', 'Niklaus', 'Radia', 'Tony', 'Yukihiro'];
const LAST = ['Lovelace', 'Turing', 'Liskov', 'Shannon', 'Knuth', 'Dijkstra', 'Allen', 'Hopper', 'Backus', 'Thompson', 'Lamport', 'Hamilton', 'Wirth', 'Perlman', 'Hoare'];
const EPOCH_2015 = Date.UTC(2015, 0, 1);
const DAY = 86_400_000;

type AttributeType = 'name' | 'email' | 'age' | 'joined' | 'score' | 'active';
const ATTRIBUTE_CODE: Record<AttributeType, number> = { name: 1, email: 2, age: 3, joined: 4, score: 5, active: 6 };

/** An attribute's ID: IID-shaped bytes (prefix, type, value bytes) in base64, as 2.x exports have them. */
function attributeId(type: AttributeType, value: Value): string {
  let bytes: Buffer;
  switch (value.type) {
    case 'string':
      bytes = Buffer.from(value.value, 'utf8');
      break;
    case 'long':
      bytes = Buffer.alloc(8);
      bytes.writeBigInt64BE(value.value);
      break;
    case 'double':
      bytes = Buffer.alloc(8);
      bytes.writeDoubleBE(value.value);
      break;
    case 'datetime':
      bytes = Buffer.alloc(8);
      bytes.writeBigInt64BE(BigInt(value.value));
      break;
    case 'boolean':
      bytes = Buffer.of(value.value ? 1 : 0);
      break;
  }
  return Buffer.concat([Buffer.of(0x83, 0x6f, 0, ATTRIBUTE_CODE[type]), bytes]).toString('base64');
}

function objectId(prefix: number, type: number, n: number): string {
  const b = Buffer.alloc(12);
  b[0] = prefix;
  b[1] = prefix === 0x82 ? 0x6e : 0x70;
  b[3] = type;
  b.writeUInt32BE(n, 8);
  return b.toString('base64');
}

const personName = (k: number) => `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]} ${Math.floor(k / (FIRST.length * LAST.length))}`;
const value = {
  name: (k: number): Value => ({ type: 'string', value: personName(k) }),
  company: (k: number): Value => ({ type: 'string', value: `Company ${k} Ltd` }),
  email: (p: number): Value => ({ type: 'string', value: `user${p}@example.com` }),
  age: (a: number): Value => ({ type: 'long', value: BigInt(a) }),
  joined: (d: number): Value => ({ type: 'datetime', value: EPOCH_2015 + d * DAY }),
  score: (s: number): Value => ({ type: 'double', value: s / 100 }),
  active: (b: boolean): Value => ({ type: 'boolean', value: b }),
};

/** Writes the dataset for `things` things and `seed` to `path`. */
export async function generateSocialDataset(path: string, things: number, seed = 1): Promise<GeneratedDataset> {
  const shape = socialShape(things);
  const rnd = random(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const writer = await ItemWriter.open(path, { typedbVersion: '2.29.1', originalDatabase: 'social' });
  const write = async (item: DataItem) => {
    await writer.write(item);
  };
  const person = (p: number) => objectId(0x82, 1, p);
  const company = (c: number) => objectId(0x82, 2, c);
  const post = (p: number) => objectId(0x82, 3, p);
  const comment = (c: number) => objectId(0x82, 4, c);
  const friendship = (f: number) => objectId(0x84, 5, f);
  const id = (type: AttributeType, v: Value) => attributeId(type, v);
  const ageValues = 80;
  // Per-thing attribute choices are drawn once, in this order, so the same seed gives the same file.
  for (let p = 0; p < shape.persons; p++) {
    const ownerships = [
      id('email', value.email(p)),
      id('name', value.name(pick(shape.names))),
      id('age', value.age(18 + pick(ageValues))),
      id('joined', value.joined(pick(shape.days))),
      id('active', value.active(rnd() < 0.7)),
    ];
    await write({ kind: 'entity', id: person(p), label: 'person', ownerships });
  }
  for (let c = 0; c < shape.companies; c++) {
    await write({ kind: 'entity', id: company(c), label: 'company', ownerships: [id('name', value.company(c))] });
  }
  for (let p = 0; p < shape.posts; p++) {
    const ownerships = [id('joined', value.joined(pick(shape.days))), id('score', value.score(pick(shape.scores)))];
    await write({ kind: 'entity', id: post(p), label: 'post', ownerships });
  }
  for (let c = 0; c < shape.comments; c++) {
    const ownerships = [id('joined', value.joined(pick(shape.days))), id('score', value.score(pick(shape.scores)))];
    await write({ kind: 'entity', id: comment(c), label: 'comment', ownerships });
  }
  let relation = 0;
  const relationId = (type: number) => objectId(0x84, type, relation++);
  for (let f = 0; f < shape.friendships; f++) {
    const a = pick(shape.persons);
    const b = (a + 1 + pick(shape.persons - 1)) % shape.persons;
    await write({
      kind: 'relation',
      id: friendship(f),
      label: 'friendship',
      ownerships: [id('joined', value.joined(pick(shape.days)))],
      roles: [{ label: 'friendship:friend', players: [person(a), person(b)] }],
    });
  }
  for (let e = 0; e < shape.employments; e++) {
    const roles = [
      { label: 'employment:employee', players: [person(pick(shape.persons))] },
      { label: 'employment:employer', players: [company(pick(shape.companies))] },
    ];
    if (rnd() < 0.25) roles.push({ label: 'employment:referral', players: [friendship(pick(shape.friendships))] });
    await write({ kind: 'relation', id: relationId(6), label: 'employment', ownerships: [id('active', value.active(rnd() < 0.8))], roles });
  }
  for (let w = 0; w < shape.posts + shape.comments; w++) {
    const work = w < shape.posts ? post(w) : comment(w - shape.posts);
    const roles = [
      { label: 'authorship:author', players: [person(pick(shape.persons))] },
      { label: 'authorship:work', players: [work] },
    ];
    await write({ kind: 'relation', id: relationId(7), label: 'authorship', ownerships: [], roles });
  }
  for (let c = 0; c < shape.comments; c++) {
    // A comment replies to a post or to an earlier comment.
    const parent = c === 0 || rnd() < 0.6 ? post(pick(shape.posts)) : comment(pick(c));
    const roles = [
      { label: 'reply:parent', players: [parent] },
      { label: 'reply:child', players: [comment(c)] },
    ];
    await write({ kind: 'relation', id: relationId(8), label: 'reply', ownerships: [], roles });
  }
  // Attributes last: every value any owner above may have used (some have no owner, which is allowed).
  for (let k = 0; k < shape.names; k++) await write({ kind: 'attribute', id: id('name', value.name(k)), label: 'name', ownerships: [], value: value.name(k) });
  for (let c = 0; c < shape.companies; c++) await write({ kind: 'attribute', id: id('name', value.company(c)), label: 'name', ownerships: [], value: value.company(c) });
  for (let p = 0; p < shape.persons; p++) await write({ kind: 'attribute', id: id('email', value.email(p)), label: 'email', ownerships: [], value: value.email(p) });
  for (let a = 18; a < 18 + ageValues; a++) await write({ kind: 'attribute', id: id('age', value.age(a)), label: 'age', ownerships: [], value: value.age(a) });
  for (let d = 0; d < shape.days; d++) await write({ kind: 'attribute', id: id('joined', value.joined(d)), label: 'joined', ownerships: [], value: value.joined(d) });
  for (let s = 0; s < shape.scores; s++) await write({ kind: 'attribute', id: id('score', value.score(s)), label: 'score', ownerships: [], value: value.score(s) });
  for (const b of [false, true]) await write({ kind: 'attribute', id: id('active', value.active(b)), label: 'active', ownerships: [], value: value.active(b) });
  const done = await writer.finish();
  const c = done.checksums;
  return {
    path: done.path,
    bytes: done.bytes,
    things: c.entities + c.relations + c.attributes,
    entities: c.entities,
    relations: c.relations,
    attributes: c.attributes,
    ownerships: c.ownerships,
    roles: c.roles,
  };
}
