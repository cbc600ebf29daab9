// Reasoning benchmarks: materialising rules in a read transaction (transitive closure over an org tree, a
// friend-of-friend relation with negation, inferred attributes), a query over the result, and the cost the same
// query pays without rules; and deep recursions: the transitive closure of a chain of links, one round per link, and
// of a cycle of links, where every node reaches every node (n² facts, each concluded again by every round after).
// Also the larger workloads of reasoning-workloads.ts: IAM-style permissions and the closure of a tree.
// Run: npm run bench -- reasoning [--people=N] [--repeats=N] [--chain=N] [--cycle=N] [--iam-users=N] [--tree-nodes=N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../src/database/index.js';
import type { DatabaseManagerApi } from '../src/database/index.js';
import { formatTable, rssMiB } from './report.js';
import { consume, load, time } from './workload.js';
import { LINK_SCHEMA, define, iamWorkload, treeClosure } from './reasoning-workloads.js';




const SCHEMA = `define
  email sub attribute, value string;
  age sub attribute, value long;
  tag sub attribute, value string;
  person sub entity, owns email @key, owns age, owns tag,
    plays friendship:friend, plays management:manager, plays management:report,
    plays chain:superior, plays chain:subordinate, plays acquaintance:acquainted;
  friendship sub relation, relates friend;
  management sub relation, relates manager, relates report;
  chain sub relation, relates superior, relates subordinate;
  acquaintance sub relation, relates acquainted;`;

const RULES = `define
  rule managers-are-superiors: when { (manager: $m, report: $r) isa management; } then { (superior: $m, subordinate: $r) isa chain; };
  rule chain-is-transitive: when { (superior: $a, subordinate: $b) isa chain; (superior: $b, subordinate: $c) isa chain; }
    then { (superior: $a, subordinate: $c) isa chain; };
  rule friends-of-friends: when {
    (friend: $a, friend: $b) isa friendship; (friend: $b, friend: $c) isa friendship;
    not { $a is $c; }; not { (friend: $a, friend: $c) isa friendship; };
  } then { (acquainted: $a, acquainted: $c) isa acquaintance; };
  rule seniors: when { $p has age $a; $a >= 60; } then { $p has tag "senior"; };`;

export async function benchReasoning(args: Map<string, string>): Promise<Record<string, unknown>> {
  const people = Number(args.get('people') ?? 5_000);
  const repeats = Number(args.get('repeats') ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-r-'));
  const manager: DatabaseManagerApi = openDatabaseManager(dir);
  try {
    manager.create('bench');
    const define = (text: string) => {
      const schema = manager.session('bench', 'schema');
      const tx = schema.transaction('write');
      tx.query(text);
      tx.commit();
      schema.close();
    };
    define(SCHEMA);
    const data = manager.session('bench', 'data');
    // A ring of friendships with chords, and a management tree with fan-out 4 (depth ≈ log4 people).
    load(data, people, 2000, (i) => `insert $p isa person, has email "p${i}@x.org", has age ${(i * 7) % 90};`);
    load(data, people, 1000, (i) =>
      `match $a isa person, has email "p${i}@x.org"; $b isa person, has email "p${(i + 1) % people}@x.org";
       $c isa person, has email "p${(i + 7) % people}@x.org";
       insert (friend: $a, friend: $b) isa friendship; (friend: $a, friend: $c) isa friendship;`,
    );
    load(data, people - 1, 1000, (j) => {
      const i = j + 1;
      return `match $m isa person, has email "p${Math.floor((i - 1) / 4)}@x.org"; $r isa person, has email "p${i}@x.org";
              insert (manager: $m, report: $r) isa management;`;
    });

    const query = `match $a isa person, has email "p1@x.org"; (superior: $a, subordinate: $b) isa chain; get $b;`;
    // A query no rule can add answers to: with rules defined it must cost what it costs without them.
    const unrelated = `match $a isa person, has email "p1@x.org"; (manager: $a, report: $b) isa management; get $b;`;
    const unrelatedRuns = (): number => {
      const tx = data.transaction('read', { infer: true });
      const samples: number[] = [];
      for (let i = 0; i < 20; i++) samples.push(time(() => consume(tx.query(unrelated)))[1]);
      tx.close();
      return Math.min(...samples);
    };
    const unrelatedWithoutRulesMs = unrelatedRuns();

    define(RULES);
    // Each read transaction materialises afresh: the best of a few runs is the cost without JIT warm-up or noise.
    const runs: number[] = [];
    let answers = 0;
    for (let i = 0; i < repeats; i++) {
      const tx = data.transaction('read', { infer: true });
      const [n, ms] = time(() => consume(tx.query(query)));
      tx.close();
      runs.push(ms);
      answers = n;
    }
    const firstQueryMs = Math.min(...runs);
    const rssBefore = rssMiB();
    const read = data.transaction('read', { infer: true });
    consume(read.query(query));
    const rssAfter = rssMiB();
    const [, cachedQueryMs] = time(() => consume(read.query(query)));
    const unrelatedWithRulesMs = unrelatedRuns();
    const count = (q: string) => {
      const r = read.query(q);
      return r.kind === 'aggregate' ? Number(r.value?.value ?? 0) : NaN;
    };
    const chains = count('match $r isa chain; get $r; count;');
    const acquaintances = count('match $r isa acquaintance; get $r; count;');
    const seniors = count('match $p has tag "senior"; get $p; count;');
    read.close();
    data.close();
    const inferred = chains + acquaintances + seniors;
    const chain = linkClosure(manager, 'chain', Number(args.get('chain') ?? 300));
    const cycle = linkClosure(manager, 'cycle', Number(args.get('cycle') ?? 60));
    const iam = iamWorkload(manager, Number(args.get('iam-users') ?? 100), repeats);
    const tree = treeClosure(manager, Number(args.get('tree-nodes') ?? 3000), repeats);
    const results = {
      people,
      inferredChains: chains,
      inferredAcquaintances: acquaintances,
      inferredSeniorTags: seniors,
      materialiseAndQueryMs: Math.round(firstQueryMs),
      materialiseAndQueryRunsMs: runs.map((ms) => Math.round(ms)).join(' '),
      inferredFactsPerSecond: Math.round(inferred / (firstQueryMs / 1000)),
      answers,
      cachedQueryMs: Number(cachedQueryMs.toFixed(2)),
      unrelatedQueryWithoutRulesMs: Number(unrelatedWithoutRulesMs.toFixed(3)),
      unrelatedQueryWithRulesMs: Number(unrelatedWithRulesMs.toFixed(3)),
      materialisationRssMiB: rssAfter - rssBefore,
      ...chain,
      ...cycle,
      ...iam,
      ...tree,
      peakRssMiB: rssMiB(),
    };
    console.log(formatTable('reasoning', results));
    return results;
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A chain of links ends; a cycle's last node links back to the first. */
type LinkShape = 'chain' | 'cycle';

/**
 * The transitive closure of `nodes` nodes linked in a chain (n(n−1)/2 inferred facts over n rounds of the recursive
 * rule) or a cycle (n² facts), in a fresh read transaction.
 */
function linkClosure(manager: DatabaseManagerApi, shape: LinkShape, nodes: number): Record<string, number> {
  manager.create(shape);
  define(manager, shape, LINK_SCHEMA);
  const data = manager.session(shape, 'data');
  const links = shape === 'chain' ? nodes - 1 : nodes;
  load(data, nodes, 1000, (i) => `insert $n isa node, has idx ${i};`);
  load(data, links, 1000, (i) => `match $a isa node, has idx ${i}; $b isa node, has idx ${(i + 1) % nodes}; insert (from: $a, to: $b) isa link;`);
  const tx = data.transaction('read', { infer: true });
  const [result, ms] = time(() => tx.query('match (from: $x, to: $y) isa reach; get; count;'));
  tx.close();
  data.close();
  const facts = result.kind === 'aggregate' ? Number(result.value?.value ?? 0) : NaN;
  return {
    [`${shape}Nodes`]: nodes,
    [`${shape}InferredFacts`]: facts,
    [`${shape}ClosureMs`]: Math.round(ms),
    [`${shape}FactsPerSecond`]: Math.round(facts / (ms / 1000)),
  };
}
