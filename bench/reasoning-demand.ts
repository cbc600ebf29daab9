// Demand-driven reasoning: questions about one node of many disjoint chains. Each chain links its nodes by `follows`
// (reachability is inferred by a left-linear rule) and by `friendship` (made symmetric and transitive by rules); a
// node that reaches its chain's last node (tagged "end") is tagged "reaches-end" by a rule. A question about one
// node (its answers, a count of them, groups, or a fetch) infers only what its chain needs; the same question in a
// transaction that explains (which materialises in full) infers every chain's facts, or stops at the fact limit
// ([RSN08]).
//   npm run bench:reasoning-demand [-- --chains=1000] [--length=100] [--full] [--only=text]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../src/database/index.js';
import type { Session } from '../src/database/index.js';
import { consume } from './workload.js';
import { benchArguments } from './arguments.js';
import { define } from './reasoning-workloads.js';

const SCHEMA = `define
name sub attribute, value string;
tag sub attribute, value string;
node sub entity, owns name, owns tag, plays follows:from, plays follows:to, plays reaches:from, plays reaches:to, plays friendship:friend;
follows sub relation, relates from, relates to;
reaches sub relation, relates from, relates to;
friendship sub relation, relates friend;
rule reach-base: when { (from: $a, to: $b) isa follows; } then { (from: $a, to: $b) isa reaches; };
rule reach-step: when { (from: $a, to: $b) isa reaches; (from: $b, to: $c) isa follows; } then { (from: $a, to: $c) isa reaches; };
rule symmetric: when { (friend: $a, friend: $b) isa friendship; } then { (friend: $b, friend: $a) isa friendship; };
rule transitive: when { (friend: $a, friend: $b) isa friendship; (friend: $b, friend: $c) isa friendship; } then { (friend: $a, friend: $c) isa friendship; };
rule reach-end: when { (from: $a, to: $b) isa reaches; $b has tag "end"; } then { $a has tag "reaches-end"; };`;

function loadChains(data: Session, chains: number, length: number): void {
  for (let c = 0; c < chains; c += 20) {
    const tx = data.transaction('write');
    for (let k = c; k < Math.min(chains, c + 20); k++) {
      const statements: string[] = [];
      for (let i = 0; i < length; i++) statements.push(`$n${i} isa node, has name "n${k}-${i}"${i === length - 1 ? ', has tag "end"' : ''};`);
      for (let i = 1; i < length; i++) statements.push(`(from: $n${i - 1}, to: $n${i}) isa follows; (friend: $n${i - 1}, friend: $n${i}) isa friendship;`);
      tx.query(`insert ${statements.join('\n')}`);
    }
    tx.commit();
  }
}

/** CPU time, answers (or the aggregate, or groups) and facts inferred for one question in a fresh transaction (or its error). */
function ask(data: Session, query: string, explain: boolean): string {
  const tx = data.transaction('read', { infer: true, explain });
  const cpu = process.cpuUsage();
  try {
    const result = tx.query(query);
    const answers =
      result.kind === 'aggregate' ? `= ${String(result.value?.value)}`
        : result.kind === 'group-aggregate' ? `${result.groups.length} groups`
          : `${consume(result)} answers`;
    const used = process.cpuUsage(cpu);
    const facts = (tx as unknown as { reasoner?: { inferredFacts: number } }).reasoner?.inferredFacts;
    return `${answers}, ${facts} facts inferred, ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU`;
  } catch (e) {
    const used = process.cpuUsage(cpu);
    return `${(e as Error).message.slice(0, 60)}… after ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU`;
  } finally {
    tx.close();
  }
}

function main(): void {
  const { options } = benchArguments({
    command: 'npm run bench:reasoning-demand',
    summary: 'Questions about one node of many disjoint chains, demand-driven and (with --full) materialised in full.',
    options: {
      chains: { help: 'disjoint chains (default 1000)' },
      length: { help: 'nodes per chain (default 100)' },
      full: { help: 'also ask in a transaction that explains, which materialises in full', flag: true },
      only: { help: 'ask only the questions whose label contains this text (default: all)' },
    },
  });
  const chains = Number(options.get('chains') ?? 1000);
  const length = Number(options.get('length') ?? 100);
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-demand-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('chains');
    define(manager, 'chains', SCHEMA);
    const data = manager.session('chains', 'data');
    const t0 = Date.now();
    loadChains(data, chains, length);
    console.log(`${chains} chains of ${length} nodes loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const middle = Math.floor(chains / 2);
    const questions = [
      ['reaches from one node', `match $p isa node, has name "n${middle}-0"; (from: $p, to: $t) isa reaches; get $t;`],
      ['friends of one node', `match $p isa node, has name "n${middle}-${Math.floor(length / 2)}"; (friend: $p, friend: $f) isa friendship; get $f;`],
      ['tags of one node', `match $p isa node, has name "n${middle}-0"; $p has tag $t; get $t;`],
      ['reaches from one node, counted', `match $p isa node, has name "n${middle}-0"; (from: $p, to: $t) isa reaches; get $t; count;`],
      [
        'tags of the nodes one node reaches, grouped',
        `match $p isa node, has name "n${middle}-0"; (from: $p, to: $t) isa reaches; $t has tag $g; get $t, $g; group $g; count;`,
      ],
      [
        'one node fetched, with its tags and a count of the nodes it reaches',
        `match $p isa node, has name "n${middle}-0"; fetch $p: name, tag; reached: { match (from: $p, to: $t) isa reaches; get $t; count; };`,
      ],
    ] as const;
    const only = options.get('only');
    for (const [label, query] of questions.filter(([label]) => only === undefined || label.includes(only))) {
      console.log(`${label}, demand-driven: ${ask(data, query, false)}`);
      if (options.has('full')) console.log(`${label}, in full: ${ask(data, query, true)}`);
    }
    data.close();
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
