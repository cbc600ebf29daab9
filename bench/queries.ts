// Query benchmarks (issue: TypeQL 2.x complete): a 3-hop relation query, an aggregate over many attributes,
// and a fetch of many entities with their attributes. Run: npm run bench -- queries [--people=N] [--scores=N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../src/database/index.js';
import { formatTable, percentile, rssMiB } from './report.js';
import { consume, load, time } from './workload.js';




export async function benchQueries(args: Map<string, string>): Promise<Record<string, unknown>> {
  const people = Number(args.get('people') ?? 20_000);
  const scores = Number(args.get('scores') ?? 1_000_000);
  const fetchLimit = Number(args.get('fetch') ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-q-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('bench');
    const schema = manager.session('bench', 'schema');
    const tx = schema.transaction('write');
    tx.query(`define
      email sub attribute, value string;
      name sub attribute, value string;
      age sub attribute, value long;
      score sub attribute, value double;
      person sub entity, owns email @key, owns name, owns age, plays friendship:friend;
      friendship sub relation, relates friend;`);
    tx.commit();
    schema.close();
    const data = manager.session('bench', 'data');
    // People in a ring with chords: each knows the next 3, so every 3-hop neighbourhood is small but real.
    let t0 = process.hrtime.bigint();
    load(data, people, 2000, (i) => `insert $p isa person, has email "p${i}@x.org", has name "Person ${i}", has age ${i % 90};`);
    load(data, people, 1000, (i) => `match $a isa person, has email "p${i}@x.org"; $b isa person, has email "p${(i + 1) % people}@x.org"; $c isa person, has email "p${(i + 7) % people}@x.org"; insert (friend: $a, friend: $b) isa friendship; (friend: $a, friend: $c) isa friendship;`);
    const socialLoadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    t0 = process.hrtime.bigint();
    load(data, scores, 10_000, (i) => `insert $s ${(i * 0.5).toFixed(1)} isa score;`);
    const scoreLoadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const read = data.transaction('read');
    const hops: number[] = [];
    let hopAnswers = 0;
    for (let k = 0; k < 50; k++) {
      const i = (k * 7919) % people;
      const [n, ms] = time(() =>
        consume(
          read.query(`match $a isa person, has email "p${i}@x.org";
            (friend: $a, friend: $b) isa friendship; (friend: $b, friend: $c) isa friendship; (friend: $c, friend: $d) isa friendship;
            get $d;`),
        ),
      );
      hops.push(ms);
      hopAnswers += n;
    }
    const [mean, aggregateMs] = time(() => read.query('match $s isa score; get $s; mean $s;'));
    const [count, countMs] = time(() => read.query('match $s isa score; get $s; count;'));
    const [fetched, fetchMs] = time(() => consume(read.query(`match $p isa person; fetch $p: name, age; limit ${fetchLimit};`)));
    read.close();
    data.close();
    const results = {
      people,
      friendships: people * 2,
      scores,
      socialLoadSeconds: Number(socialLoadSeconds.toFixed(1)),
      scoreLoadSeconds: Number(scoreLoadSeconds.toFixed(1)),
      threeHopP50Ms: Number(percentile(hops, 50).toFixed(2)),
      threeHopP99Ms: Number(percentile(hops, 99).toFixed(2)),
      threeHopMeanAnswers: Math.round(hopAnswers / hops.length),
      meanOverScoresMs: Math.round(aggregateMs),
      meanValue: mean.kind === 'aggregate' ? Number(mean.value?.value) : NaN,
      countOverScoresMs: Math.round(countMs),
      count: count.kind === 'aggregate' ? Number(count.value?.value) : NaN,
      fetchEntities: fetched,
      fetchMs: Math.round(fetchMs),
      peakRssMiB: rssMiB(),
    };
    console.log(formatTable('queries', results));
    return results;
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
