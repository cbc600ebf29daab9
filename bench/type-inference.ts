// Type inference over deep and wide type hierarchies: CPU time of match queries whose type variables range over a
// chain of types (t1 sub t0; t2 sub t1; …) or over thousands of sibling types, on an empty database, so that what
// is measured is type inference and planning, not matching data (not part of the tests).
// Run: npm run bench:type-inference [-- CASE … --depth=1000 --width=2000 --vars=1000 --runs=3 --entity-chain-only]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager, type DatabaseManager } from '../src/database/index.js';
import { benchArguments } from './arguments.js';
import { cpuMillis } from './report.js';

const { options, positional: selected } = benchArguments({
  command: 'npm run bench:type-inference',
  summary:
    'CPU time of matches whose type variables range over deep type chains and thousands of sibling types, on an\n' +
    'empty database (type inference and planning, not matching data); each CASE named, or all of them.',
  options: {
    depth: { help: 'types in each chain (default 1000)' },
    width: { help: 'sibling types of each kind (default 2000)' },
    vars: { help: "variables of the isa-thing case (default 1000)" },
    runs: { help: 'runs of each case; the median is printed (default 3)' },
    'entity-chain-only': { help: 'define only the entity chain (t0 sub entity; t1 sub t0; …)', flag: true },
  },
  positional: ['CASE'],
  positionalList: true,
});
const DEPTH = Number(options.get('depth') ?? 1000);
const WIDTH = Number(options.get('width') ?? 2000);
const VARS = Number(options.get('vars') ?? 1000);
const RUNS = Number(options.get('runs') ?? 3);
const ENTITY_CHAIN_ONLY = options.has('entity-chain-only');

/**
 * Every hierarchy in one schema: an entity, attribute and relation chain (roles overriding down the chain), and as
 * many siblings of each kind; `--entity-chain-only` defines the entity chain alone (t0 sub entity; t1 sub t0; …).
 */
function schema(): string {
  if (ENTITY_CHAIN_ONLY) return ['define', 't0 sub entity;', ...Array.from({ length: DEPTH - 1 }, (_, i) => `t${i + 1} sub t${i};`)].join('\n');
  // Attribute types can only be subtyped when abstract: the chain's leaf is the one concrete type, which t0 owns.
  const lines: string[] = ['define', `t0 sub entity, owns a${DEPTH - 1}, plays r0:p0;`, 'a0 sub attribute, abstract, value string;', 'r0 sub relation, relates p0;'];
  for (let i = 1; i < DEPTH; i++) {
    lines.push(`t${i} sub t${i - 1};`, `a${i} sub a${i - 1}${i < DEPTH - 1 ? ', abstract' : ''};`, `r${i} sub r${i - 1}, relates p${i} as p${i - 1};`);
  }
  lines.push('v0 sub attribute, value string;', 'q0 sub relation, relates s0;');
  for (let i = 0; i < WIDTH; i++) {
    lines.push(`w${i} sub entity, owns v${i}, plays q${i}:s${i};`);
    if (i > 0) lines.push(`v${i} sub attribute, value string;`, `q${i} sub relation, relates s${i};`);
  }
  return lines.join('\n');
}

const isaThing = (n: number) => `match ${Array.from({ length: n }, (_, i) => `$x${i} isa thing;`).join(' ')} get; limit 1;`;

const CASES: Record<string, string> = {
  'isa-thing': isaThing(VARS),
  'isa-var-sub': 'match $x isa $t; $t sub t0; get; limit 1;',
  'sub-explicit': 'match $t sub! $s; get; limit 1;',
  'sub': 'match $t sub $s; get; limit 1;',
  // Every answer: the search over the pairs of types, not only inference.
  'sub-explicit-all': 'match $t sub! $s; get;',
  'isa-var-sub-all': 'match $x isa $t; $t sub t0; get;',
  'sub-all': 'match $t sub $s; get;',
  'owns-all': 'match $t owns $a; get;',
  'plays-all': 'match $t plays $role; get;',
  'relates-all': 'match $rel relates $role; get;',
  'sub-chain-root': 'match $t sub t0; get;',
  'owns-sub': 'match $t owns $a; $a sub a0; get; limit 1;',
  'owns-wide': 'match $t owns $a; $a sub attribute; get; limit 1;',
  'role-sub': 'match $r ($role: $x) isa $rel; $role sub r0:p0; get; limit 1;',
  'role-wide': 'match $r ($role: $x) isa $rel; $role sub relation:role; get; limit 1;',
  'plays-wide': 'match $t plays $role; get; limit 1;',
  'relates-wide': 'match $rel relates $role; get; limit 1;',
  'has-wide': 'match $x has $a; get; limit 1;',
  // A small query over the large schema: what each query pays to set up inference.
  'isa-fixed': 'match $x isa w5; get;',
};

function run(manager: DatabaseManager, query: string): number {
  const session = manager.session('db', 'data');
  try {
    const tx = session.transaction('read');
    try {
      return cpuMillis(() => {
        const result = tx.query(query);
        if (result.kind === 'get') for (const _ of result.answers) void _;
      });
    } finally {
      tx.close();
    }
  } finally {
    session.close();
  }
}

const unknown = selected.filter((name) => !(name in CASES));
if (unknown.length > 0) {
  console.error(`Unknown case '${unknown[0]}': the cases are ${Object.keys(CASES).join(', ')}.`);
  process.exit(1);
}

const directory = mkdtempSync(join(tmpdir(), 'strata-bench-type-inference-'));
const manager = openDatabaseManager(directory);
try {
  manager.create('db');
  const session = manager.session('db', 'schema');
  const tx = session.transaction('write');
  const defineMillis = cpuMillis(() => tx.query(schema()));
  tx.commit();
  session.close();
  console.log(`schema: ${ENTITY_CHAIN_ONLY ? 'an entity chain' : 'chains'} of ${DEPTH}${ENTITY_CHAIN_ONLY ? '' : `, ${WIDTH} siblings`}; define ${defineMillis.toFixed(0)} ms CPU`);
  for (const [name, query] of Object.entries(CASES)) {
    if (selected.length > 0 && !selected.includes(name)) continue;
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) times.push(run(manager, query));
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(16)} CPU ms: median ${times[Math.floor(times.length / 2)]!.toFixed(1)}  [${times.map((t) => t.toFixed(1)).join(', ')}]`);
  }
} finally {
  manager.close();
  rmSync(directory, { recursive: true, force: true });
}
