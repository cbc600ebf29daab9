// How query time grows with the size of one match, as generated queries make them (one statement per row, long
// chains, wide disjunctions, many negations) over a little data, so that nearly all the time is compiling, inferring,
// planning and answering rather than reading. Prints CPU milliseconds per shape and size: a shape whose time grows
// 10× per 10× size is linear. Run: npm run bench:planner [-- --sizes=100,1000,5000] [--shapes=chain,has-values]
// (add --cpu-prof to node to see where the time goes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../src/database/index.js';
import type { Transaction } from '../src/database/api.js';
import { benchArguments } from './arguments.js';
import { cpuMillis } from './report.js';

const NAMES = 20;

/** The generated queries, by shape: each of `n` constraints (statements, links, branches, negations). */
const SHAPES: Record<string, (n: number) => string> = {
  // One `has` per column of a row, each with a value the person has.
  'has-values': (n) => `match $p isa person; ${range(n, (i) => `$p has name "n${i % NAMES}";`)} get $p;`,
  // One `has` per column, each binding a variable.
  'has-vars': (n) => `match $p isa person, has name "n0"; ${range(n, (i) => `$p has name $a${i};`)} get $p; limit 1;`,
  // A chain of links between people, two of whom link each other both ways.
  chain: (n) => `match $x0 isa person, has name "n0"; ${range(n, (i) => `(a: $x${i}, b: $x${i + 1}) isa link;`)} get $x0; limit 1;`,
  // A wide disjunction of key lookups.
  'or-wide': (n) => `match $p isa person; ${range(n, (i) => `{ $p has name "w${i}"; }`, ' or ')}; get $p;`,
  // Many negations, none of which holds.
  'not-many': (n) => `match $p isa person, has name "n0"; ${range(n, (i) => `not { $p has name "z${i}"; };`)} get $p;`,
  // A negation per column, each on that column's variable. Each negation was inferred against a copy of every enclosing
  // variable's types and checked on a copy of the row: quadratic (n=5000 exhausted a 4 GB heap); now each costs what it
  // names (type-sets.ts, Matcher.negationHolds).
  'not-vars': (n) => `match $p isa person, has name "n0"; ${range(n, (i) => `$p has name $a${i}; not { $a${i} == "z${i}"; };`)} get $p; limit 1;`,
  // A disjunction per column, each binding that column's variable: the first branch finds the person's name, the second
  // none. Each branch searched a copy of the whole row: quadratic; now the row itself (StepGenerators' disjunction).
  'or-vars': (n) =>
    `match $p isa person, has name "n0"; ${range(n, (i) => `{ $p has name $a${i}; $a${i} == "n${i % NAMES}"; } or { $p has name $a${i}; $a${i} == "z${i}"; };`)} get $p;`,
  // Many independent variables of a type with one instance.
  'isa-vars': (n) => `match ${range(n, (i) => `$v${i} isa solo;`)} get; count;`,
};

function range(n: number, item: (i: number) => string, separator = ' '): string {
  return Array.from({ length: n }, (_, i) => item(i)).join(separator);
}

function run(tx: Transaction, query: string): number {
  const result = tx.query(query);
  if (result.kind === 'get') return [...result.answers].length;
  if (result.kind === 'aggregate') return Number(result.value?.value ?? 0);
  throw new Error(`unexpected result ${result.kind}`);
}

function main(): void {
  const { options: args } = benchArguments({
    command: 'npm run bench:planner',
    summary: 'CPU time of one match of each generated shape and size over a little data: planning, mostly.',
    options: {
      sizes: { help: 'constraints per match, comma-separated (default 100,1000,5000)' },
      shapes: { help: `comma-separated, of ${Object.keys(SHAPES).join(', ')} (default all)` },
    },
  });
  const sizes = (args.get('sizes') ?? '100,1000,5000').split(',').map(Number);
  const shapes = args.get('shapes')?.split(',') ?? Object.keys(SHAPES);
  const unknown = shapes.find((s) => !(s in SHAPES));
  if (unknown !== undefined || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(unknown !== undefined ? `Unknown shape '${unknown}': the shapes are ${Object.keys(SHAPES).join(', ')}.` : `--sizes takes positive integers, e.g. --sizes=100,1000.`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-plan-'));
  const manager = openDatabaseManager(dir);
  try {
    manager.create('db');
    const schema = manager.session('db', 'schema');
    const define = schema.transaction('write');
    define.query(`define name sub attribute, value string;
      person sub entity, owns name, plays link:a, plays link:b; solo sub entity; link sub relation, relates a, relates b;`);
    define.commit();
    schema.close();
    const data = manager.session('db', 'data');
    const write = data.transaction('write');
    write.query(`insert $p isa person, ${range(NAMES, (i) => `has name "n${i}"`, ', ')}; $q isa person, has name "q";
      $r isa person, has name "w7"; (a: $p, b: $q) isa link; (a: $q, b: $p) isa link; $s isa solo;`);
    write.commit();
    const tx = data.transaction('read');
    console.log(['shape', ...sizes.map((n) => `n=${n} ms`), 'answers'].join('\t'));
    for (const shape of shapes) {
      const cells: string[] = [shape];
      let answers = 0;
      for (const n of sizes) {
        const query = SHAPES[shape]!(n);
        cells.push(cpuMillis(() => (answers = run(tx, query))).toFixed(0));
      }
      console.log([...cells, answers].join('\t'));
    }
    tx.close();
    data.close();
  } finally {
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
