// Matches that name a role with a deep role hierarchy: a chain of relation types r0…r(D-1), each `ri sub r(i-1)` with
// `relates pi as p(i-1)`, so that p0 has D stored role types, over things of the chain's last entity type t(D-1), each
// in one relation with a thing of type u0 (`relates q`) and in --other relations of another type. A player's edges in
// the roles a pattern allows were read one edge range per role type: D ranges a player. With more than 6 other edges
// per role type, they still are (player-edges.ts): a match of both players then starts from the u0 things
// (scan-lookahead.ts). Prints CPU milliseconds per query (the median of --runs) and its answers.
// Run: npm run bench:role-chains [-- --depth=1000 --things=3000 --other=0 --runs=3]
//      npm run bench:role-chains -- --depth=20 --things=1000 --other=130   (the two-player case)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../src/database/index.js';
import { benchArguments } from './arguments.js';
import { cpuMillis } from './report.js';

const { options } = benchArguments({
  command: 'npm run bench:role-chains',
  summary: 'CPU time of matches naming a role with a deep chain of subroles, from players in one relation each.',
  options: {
    depth: { help: 'relation, role and entity types in each chain (default 1000)' },
    things: { help: 'players of the last entity type, each in one relation of the last relation type (default 3000)' },
    other: { help: 'relations of another type each player is in (default 0)' },
    runs: { help: 'runs of each query; the median is printed (default 3)' },
  },
});
const DEPTH = Number(options.get('depth') ?? 1000);
const THINGS = Number(options.get('things') ?? 3000);
const OTHER = Number(options.get('other') ?? 0);
const RUNS = Number(options.get('runs') ?? 3);
if (![DEPTH, THINGS, RUNS].every((n) => Number.isInteger(n) && n >= 1) || !Number.isInteger(OTHER) || OTHER < 0) {
  console.error('--depth, --things and --runs take positive integers, --other a whole number, e.g. --depth=1000.');
  process.exit(1);
}
const LAST = DEPTH - 1;

function schema(): string {
  const lines = ['define', 't0 sub entity, plays r0:p0, plays other:o;', 'u0 sub entity, plays r0:q;', 'r0 sub relation, relates p0, relates q;', 'other sub relation, relates o;'];
  for (let i = 1; i < DEPTH; i++) lines.push(`t${i} sub t${i - 1}${i === LAST ? `, plays r${i}:p${i}` : ''};`, `r${i} sub r${i - 1}, relates p${i} as p${i - 1};`);
  return lines.join('\n');
}

const QUERIES: Record<string, string> = {
  // The root role: D role types for each player's one edge.
  'root-role': `match $x isa t${LAST}; $r (p0: $x) isa r${LAST}; get; count;`,
  // The same with the relation's type left open.
  'root-role-any-relation': `match $x isa t${LAST}; $r (p0: $x); get; count;`,
  // The leaf role: one role type, one range a player either way.
  'leaf-role': `match $x isa t${LAST}; $r (p${LAST}: $x) isa r${LAST}; get; count;`,
  // Both players, as many of each type: from a u0 thing one range, from a t(D-1) thing one a subrole or all its edges.
  'two-players': `match $x isa t${LAST}; $y isa u0; $r (p0: $x, q: $y) isa r${LAST}; get; count;`,
};

function run(manager: DatabaseManager, query: string): { millis: number; answers: number } {
  const session = manager.session('db', 'data');
  try {
    const tx = session.transaction('read');
    try {
      let answers = 0;
      const millis = cpuMillis(() => {
        const result = tx.query(query);
        if (result.kind !== 'aggregate') throw new Error(`unexpected result ${result.kind}`);
        answers = Number(result.value?.value ?? 0);
      });
      return { millis, answers };
    } finally {
      tx.close();
    }
  } finally {
    session.close();
  }
}

const directory = mkdtempSync(join(tmpdir(), 'strata-bench-role-chains-'));
const manager = openDatabaseManager(directory);
try {
  manager.create('db');
  const schemaSession = manager.session('db', 'schema');
  const define = schemaSession.transaction('write');
  define.query(schema());
  define.commit();
  schemaSession.close();
  const data = manager.session('db', 'data');
  const write = data.transaction('write');
  const others = ' (o: $x) isa other;'.repeat(OTHER);
  for (let i = 0; i < THINGS; i++) write.query(`insert $x isa t${LAST}; $y isa u0; (p${LAST}: $x, q: $y) isa r${LAST};${others}`);
  write.commit();
  data.close();
  console.log(`chains of ${DEPTH} types, ${THINGS} players in one relation each (with a u0 thing) and ${OTHER} others`);
  for (const [name, query] of Object.entries(QUERIES)) {
    const runs = Array.from({ length: RUNS }, () => run(manager, query));
    const times = runs.map((r) => r.millis).sort((a, b) => a - b);
    console.log(`${name.padEnd(24)} CPU ms: median ${times[Math.floor(times.length / 2)]!.toFixed(1)}  [${times.map((t) => t.toFixed(1)).join(', ')}]  answers ${runs[0]!.answers}`);
  }
} finally {
  manager.close();
  rmSync(directory, { recursive: true, force: true });
}
