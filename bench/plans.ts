// How far the planner's choice is from the best order it could have taken, over skewed random datasets and random
// match queries (plans-data.ts, plans-queries.ts). Each query runs as planned, then in every order of its thing
// variables (or --orders random ones), each variable bound by the cheapest step that binds it (QueryContext.planOrder),
// and in --rewrites random statement orders as planned; each run's work is counted at the store (plans-reads.ts: keys
// read, with a range opened weighing RANGE_IN_EDGES keys). Every complete run must give the same answers. Prints the
// queries whose plan does the most work relative to the best order found, with both orders' work; exits 1 on answers
// that differ.
// Run: npm run bench:plans [-- --datasets=4 --queries=25 --things=4000 --orders=24 --seed=1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../src/database/index.js';
import { benchArguments } from './arguments.js';
import { dataset, Random, SCHEMA } from './plans-data.js';
import { orders, queryText, randomQuery, shuffled } from './plans-queries.js';
import { countedRun, type PlanRun } from './plans-reads.js';

const { options } = benchArguments({
  command: 'npm run bench:plans',
  summary: "Work of the planner's plan against the best order of each random query's variables, over skewed random datasets.",
  options: {
    datasets: { help: 'random datasets, each with its own type counts and skews (default 4)' },
    queries: { help: 'random queries per dataset, repeats left out (default 25)' },
    things: { help: 'entities and relations in each dataset, about (default 4000)' },
    'max-vars': { help: 'thing variables in a query, at most (default 5)' },
    orders: { help: 'variable orders tried per query, at most: all of them if fewer (default 24)' },
    budget: { help: "work a query's plan may do; a query whose plan does more is left out (default 2000000)" },
    rewrites: { help: 'random statement orders of each query, run as planned (default 2)' },
    seed: { help: 'first random seed; dataset i uses seed+i (default 1)' },
    worst: { help: 'queries listed, worst ratio first (default 10)' },
  },
});
const numberOption = (name: string, fallback: number, least: number) => {
  const n = Number(options.get(name) ?? fallback);
  if (!Number.isInteger(n) || n < least) {
    console.error(`--${name} takes a whole number of at least ${least}, e.g. --${name}=${fallback}.`);
    process.exit(1);
  }
  return n;
};
const DATASETS = numberOption('datasets', 4, 1);
const QUERIES = numberOption('queries', 25, 1);
const THINGS = numberOption('things', 4000, 100);
const MAX_VARS = numberOption('max-vars', 5, 2);
const ORDERS = numberOption('orders', 24, 1);
const BUDGET = numberOption('budget', 2_000_000, 1);
const REWRITES = numberOption('rewrites', 2, 0);
const SEED = numberOption('seed', 1, 0);
const WORST = numberOption('worst', 10, 0);

interface Outcome {
  readonly seed: number;
  readonly query: string;
  readonly planned: PlanRun;
  readonly best: PlanRun;
  readonly bestOrder: readonly string[];
  /** Orders whose work equals the plan's: the plan's own order is among them. */
  readonly plannedOrders: readonly string[][];
  readonly ratio: number;
}

const mismatches: string[] = [];

function load(manager: DatabaseManager, name: string, inserts: readonly string[]): void {
  manager.create(name);
  const schema = manager.session(name, 'schema');
  const define = schema.transaction('write');
  define.query(SCHEMA);
  define.commit();
  schema.close();
  const data = manager.session(name, 'data');
  for (const insert of inserts) {
    const write = data.transaction('write');
    write.query(insert);
    write.commit();
  }
  data.close();
}

function sameAnswers(a: PlanRun, b: PlanRun, what: string, query: string): void {
  if (a.answers === undefined || b.answers === undefined) return;
  if (a.answers.count === b.answers.count && a.answers.hash === b.answers.hash) return;
  mismatches.push(`${what} gives ${b.answers.count} answers (hash ${b.answers.hash}), the plan ${a.answers.count} (${a.answers.hash}): ${query}`);
}

let leftOut = 0;

function measure(manager: DatabaseManager, name: string, seed: number, random: Random, query: { statements: readonly string[]; things: readonly string[] }): Outcome | undefined {
  const database = manager.get(name)!;
  const text = queryText(query.statements);
  countedRun(database, text, undefined, BUDGET); // the statistics' counts, cached, are not the plan's work
  const planned = countedRun(database, text, undefined, BUDGET);
  if (planned.answers === undefined) {
    leftOut++;
    return undefined;
  }
  for (let i = 0; i < REWRITES; i++) {
    const rewrite = queryText(shuffled(random, query.statements));
    sameAnswers(planned, countedRun(database, rewrite, undefined, BUDGET), `the rewrite ${rewrite}`, text);
  }
  let best = planned;
  let bestOrder: readonly string[] = [];
  const plannedOrders: string[][] = [];
  for (const order of orders(random, query.things, ORDERS)) {
    // Only the least work matters: an order is stopped once it has done more than the best so far (but every order
    // whose work may equal the plan's is run to the end, to name the plan's order).
    const run = countedRun(database, text, order, Math.max(best.work, planned.work));
    sameAnswers(planned, run, `the order ${order.join(',')}`, text);
    if (run.answers !== undefined && run.work === planned.work) plannedOrders.push(order);
    if (run.answers !== undefined && run.work < best.work) [best, bestOrder] = [run, order];
  }
  return { seed, query: text, planned, best, bestOrder, plannedOrders, ratio: planned.work / Math.max(1, best.work) };
}

const directory = mkdtempSync(join(tmpdir(), 'strata-bench-plans-'));
const manager = openDatabaseManager(directory);
const outcomes: Outcome[] = [];
try {
  for (let d = 0; d < DATASETS; d++) {
    const seed = SEED + d;
    const random = new Random(seed);
    const data = dataset(random, THINGS);
    load(manager, `db${d}`, data.inserts);
    const relations = Object.entries(data.relations).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`seed ${seed}: ${Object.entries(data.counts).map(([k, v]) => `${k} ${v}`).join(', ')}; ${relations}`);
    const seen = new Set<string>();
    for (let q = 0; q < QUERIES; q++) {
      const query = randomQuery(random, data.values, MAX_VARS);
      if (seen.has(queryText(query.statements))) continue;
      seen.add(queryText(query.statements));
      const outcome = measure(manager, `db${d}`, seed, random, query);
      if (outcome !== undefined) outcomes.push(outcome);
    }
  }
} finally {
  manager.close();
  rmSync(directory, { recursive: true, force: true });
}

const ratios = outcomes.map((o) => o.ratio).sort((a, b) => a - b);
const at = (p: number) => ratios[Math.min(ratios.length - 1, Math.floor(p * ratios.length))]!;
const planned = outcomes.reduce((s, o) => s + o.planned.work, 0);
const best = outcomes.reduce((s, o) => s + o.best.work, 0);
console.log(`\n${outcomes.length} queries: plan/best work ratio median ${at(0.5).toFixed(2)}, p90 ${at(0.9).toFixed(2)}, worst ${ratios.at(-1)!.toFixed(2)}; ` + `${outcomes.filter((o) => o.ratio > 2).length} over 2×; total work planned ${planned} vs best ${best} (${(planned / Math.max(1, best)).toFixed(2)}×); ${leftOut} left out (plan over --budget)`);
for (const o of [...outcomes].sort((a, b) => b.ratio - a.ratio).slice(0, WORST)) {
  const plan = o.plannedOrders.length > 0 ? `as ${o.plannedOrders[0]!.join(',')}` : 'in no order tried';
  console.log(`\n${o.ratio.toFixed(1)}× (seed ${o.seed}) ${o.query}\n  planned ${o.planned.work} (${o.planned.ranges} ranges, ${o.planned.keys} keys, ${o.planned.points} points) ${plan}; best ${o.best.work} as ${o.bestOrder.join(',')}; ${o.planned.answers?.count} answers`);
}
if (mismatches.length > 0) {
  console.log(`\n${mismatches.length} runs whose answers differ from the plan's:\n${mismatches.slice(0, 20).join('\n')}`);
  process.exit(1);
}
