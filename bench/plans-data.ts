// The skewed random datasets of bench:plans: a few entity, relation and attribute types whose instance counts differ
// by orders of magnitude from one seed to the next, hub players (a few companies employ most people, a few people
// have most friends and posts), a relation type whose one role is played by three entity types in proportions
// unrelated to their counts (tagging:subject), and attribute values of Zipf-like frequencies (one name shared by
// many, most by a few; a status nearly everyone has the same value of).

/** A seeded random source (mulberry32): the same seed gives the same dataset and queries. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** A whole number between lo and hi drawn log-uniformly: counts of very different magnitudes. */
  logInt(lo: number, hi: number): number {
    return Math.round(Math.exp(Math.log(lo) + this.next() * (Math.log(hi) - Math.log(lo))));
  }
}

/** Index i of n drawn with probability proportional to 1 / (i + 1)^skew: index 0 is the hub. */
export class Zipf {
  private readonly cumulative: number[] = [];
  constructor(
    readonly n: number,
    skew: number,
  ) {
    let sum = 0;
    for (let i = 0; i < n; i++) this.cumulative.push((sum += 1 / Math.pow(i + 1, skew)));
  }
  draw(random: Random): number {
    const x = random.next() * this.cumulative[this.n - 1]!;
    let [lo, hi] = [0, this.n - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export const SCHEMA = `define
name sub attribute, value string;
age sub attribute, value long;
status sub attribute, value string;
score sub attribute, value double;
person sub entity, owns name, owns age, owns status, plays employment:employee, plays friendship:friend, plays authorship:author, plays tagging:subject;
company sub entity, owns name, owns status, plays employment:employer, plays tagging:subject;
post sub entity, owns status, owns score, plays authorship:work, plays tagging:subject;
topic sub entity, owns name, plays tagging:label;
employment sub relation, relates employee, relates employer, owns score;
friendship sub relation, relates friend;
authorship sub relation, relates author, relates work;
tagging sub relation, relates subject, relates label;`;

export const ENTITY_TYPES = ['person', 'company', 'post', 'topic'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
export type AttributeType = 'name' | 'age' | 'status' | 'score';
export const OWNS: Record<string, readonly AttributeType[]> = {
  person: ['name', 'age', 'status'],
  company: ['name', 'status'],
  post: ['status', 'score'],
  topic: ['name'],
  employment: ['score'],
};

/** A relation type's roles and, per role, the entity types that play it. */
export const RELATIONS: Record<string, Record<string, readonly EntityType[]>> = {
  employment: { employee: ['person'], employer: ['company'] },
  friendship: { friend: ['person'] },
  authorship: { author: ['person'], work: ['post'] },
  tagging: { subject: ['person', 'company', 'post'], label: ['topic'] },
};

/** The dataset's values of each attribute type, most frequent first, and how many owners have each. */
export type ValueCounts = Map<AttributeType, Map<string | number, number>>;

export interface Dataset {
  readonly counts: Record<EntityType, number>;
  readonly relations: Record<string, number>;
  /** Insert queries, in order: entities first, then relations naming them by variable (one query per chunk). */
  readonly inserts: readonly string[];
  readonly values: ValueCounts;
}

const literal = (v: string | number, type: AttributeType) => (typeof v === 'string' ? `"${v}"` : type === 'score' && Number.isInteger(v) ? `${v}.0` : String(v));

/**
 * A dataset of about `things` entities and relations in all. Everything goes in one insert query per chunk of
 * entities with the relations among them: relations never cross chunks, so hubs are hubs within a chunk.
 */
export function dataset(random: Random, things: number): Dataset {
  const chunks = Math.max(1, Math.round(things / 2000));
  const per = Math.max(20, Math.round(things / chunks / 3));
  // Per chunk: very different counts per type, from a handful to most of the entities.
  const counts: Record<EntityType, number> = {
    person: random.logInt(Math.max(5, per / 20), per),
    company: random.logInt(2, Math.max(3, per / 10)),
    post: random.logInt(3, per),
    topic: random.logInt(2, Math.max(3, per / 8)),
  };
  const skew = () => 0.6 + random.next() * 1.2;
  const names = new Zipf(random.logInt(10, Math.max(11, per)), skew());
  const ages = new Zipf(80, skew());
  const statusOf = ['active', 'inactive', 'banned', 'pending'];
  const statuses = new Zipf(statusOf.length, 1 + random.next() * 3);
  const scores = new Zipf(20, skew());
  const owns = { name: 0.5 + random.next() / 2, age: 0.3 + random.next() * 0.7, status: 0.5 + random.next() / 2, score: 0.2 + random.next() * 0.8 };
  const valueOf: Record<AttributeType, () => string | number> = {
    name: () => `n${names.draw(random)}`,
    age: () => 1 + ages.draw(random),
    status: () => statusOf[statuses.draw(random)]!,
    score: () => scores.draw(random) / 2,
  };
  // Relations per chunk, and how tagging subjects split between the three types (unrelated to their counts).
  const relationCounts = {
    employment: Math.round(counts.person * random.next()),
    friendship: random.logInt(1, counts.person * 3),
    authorship: counts.post,
    tagging: random.logInt(2, per * 2),
  };
  const subjectShares = [random.next() ** 3, random.next() ** 3, random.next() ** 3];
  const hubs = { company: new Zipf(counts.company, skew()), person: new Zipf(counts.person, skew()), topic: new Zipf(counts.topic, skew()), post: new Zipf(counts.post, skew()) };
  const values: ValueCounts = new Map();
  const inserts: string[] = [];
  for (let chunk = 0; chunk < chunks; chunk++) {
    const statements: string[] = [];
    const own = (variable: string, type: string) => {
      for (const attribute of OWNS[type] ?? []) {
        if (random.next() >= owns[attribute]) continue;
        const value = valueOf[attribute]();
        const seen = values.get(attribute) ?? new Map<string | number, number>();
        values.set(attribute, seen.set(value, (seen.get(value) ?? 0) + 1));
        statements.push(`${variable} has ${attribute} ${literal(value, attribute)};`);
      }
    };
    for (const type of ENTITY_TYPES) {
      for (let i = 0; i < counts[type]; i++) {
        statements.push(`$${type}${i} isa ${type};`);
        own(`$${type}${i}`, type);
      }
    }
    let relation = 0;
    const add = (type: string, players: string) => {
      statements.push(`$r${relation} (${players}) isa ${type};`);
      own(`$r${relation++}`, type);
    };
    for (let i = 0; i < relationCounts.employment; i++) add('employment', `employee: $person${i}, employer: $company${hubs.company.draw(random)}`);
    for (let i = 0; i < relationCounts.friendship; i++) {
      const [a, b] = [hubs.person.draw(random), random.int(counts.person)];
      if (a !== b) add('friendship', `friend: $person${a}, friend: $person${b}`);
    }
    for (let i = 0; i < relationCounts.authorship; i++) add('authorship', `author: $person${hubs.person.draw(random)}, work: $post${i}`);
    const total = subjectShares.reduce((a, b) => a + b, 0);
    for (let i = 0; i < relationCounts.tagging; i++) {
      const x = random.next() * total;
      const type = x < subjectShares[0]! ? 'person' : x < subjectShares[0]! + subjectShares[1]! ? 'company' : 'post';
      add('tagging', `subject: $${type}${hubs[type].draw(random)}, label: $topic${hubs.topic.draw(random)}`);
    }
    inserts.push(`insert ${statements.join(' ')}`);
  }
  const scaled = <T extends Record<string, number>>(r: T) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v * chunks])) as T;
  return { counts: scaled(counts), relations: scaled(relationCounts), inserts, values };
}

export { literal as valueLiteral };
