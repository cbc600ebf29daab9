// Fuzz campaign over TypeQL: seeds are the queries of TypeDB's behaviour suite (and the docs examples), mutated by
// bench/fuzz-mutations.ts; each mutant goes through the parser alone and through the embedded engine, in the kind of
// transaction its query needs, over a database holding its scenario's schema and data. Every outcome is classified:
// a Strata error is expected; anything else (TypeError, RangeError, a stack overflow), a syntax error without a
// caret, a parse that does not print back, a hang or a crash, or a database that no longer answers or whose schema
// no longer prints and re-loads after a write, is a finding. A supervisor runs the mutants in a child process and
// restarts it after the mutant it was stuck on (a hang) or died of (a crash).
// Run: npm run bench:fuzz-typeql -- [--per-kind=1] [--files=REGEX] [--seed=1] [--timeout=60] [--out=DIR] (see the README)
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { StrataError, TypeQLSyntaxError } from '../src/common/errors.js';
import { openDatabaseManager, type DatabaseManager, type Transaction } from '../src/database/index.js';
import type { QueryResult } from '../src/database/api.js';
import { parseQuery, printQuery, type Query } from '../src/typeql/index.js';
import { createWithSchema } from '../test/support/databases.js';
import { extractQueries, repositoryRoot, type FeatureQuery } from '../test/typeql/feature-queries.js';
import { labelsOf, pathologicalQueries, schemaMutants, semanticMutants, tokenMutants, type Mutant } from './fuzz-mutations.js';
import { benchArguments } from './arguments.js';
import { seededRandom } from './workload.js';

const { options: args } = benchArguments({
  command: 'npm run bench:fuzz-typeql',
  summary: "A fuzz campaign over TypeQL, seeded by TypeDB's behaviour suite and the docs examples (~12 min at --per-kind=1).",
  options: {
    'per-kind': { help: 'mutants per seed query and mutator (default 1)' },
    files: { help: 'a regex: scenarios whose feature path matches (default all)' },
    seed: { help: 'random seed (default 1)' },
    timeout: { help: 'seconds a mutant may take before it counts as a hang (default 60)' },
    out: { help: 'where summary.tsv and findings.json go (default <tmpdir>/strata-fuzz-typeql)' },
    child: { help: "the supervisor's child: the first mutant it runs", internal: true },
  },
});
const PER_KIND = Number(args.get('per-kind') ?? 1);
const FILES = new RegExp(args.get('files') ?? '.');
const SEED = Number(args.get('seed') ?? 1);
const TIMEOUT_SECONDS = Number(args.get('timeout') ?? 60);
const OUT = args.get('out') ?? join(tmpdir(), 'strata-fuzz-typeql');

interface Scenario {
  readonly name: string;
  readonly reasoning: boolean;
  readonly queries: readonly { text: string; throws: boolean }[];
}

type Outcome = 'ok' | 'syntax' | 'error' | 'timeout' | 'internal' | 'bad-syntax-error' | 'bad-message' | 'roundtrip' | 'mismatch' | 'unhealthy' | 'hang' | 'crash';
const BUGS: ReadonlySet<Outcome> = new Set(['internal', 'bad-syntax-error', 'bad-message', 'roundtrip', 'mismatch', 'unhealthy', 'hang', 'crash']);

type Message =
  | { type: 'start'; index: number; kind: string; scenario: string; text: string }
  | { type: 'outcome'; index: number; kind: string; outcome: Outcome; detail?: string }
  | { type: 'done' };

// ---------------------------------------------------------------------------------------------------------------
// Seeds

function scenarios(): Scenario[] {
  const byFile = new Map<string, FeatureQuery[]>();
  for (const q of extractQueries()) {
    if (!FILES.test(q.file)) continue;
    byFile.set(q.file, [...(byFile.get(q.file) ?? []), q]);
  }
  const out: Scenario[] = [];
  for (const [file, queries] of byFile) {
    const background = queries.filter((q) => q.background);
    const lines = [...new Set(queries.filter((q) => !q.background).map((q) => q.scenario))];
    const reasoning = /reasoner|explanation/.test(file);
    for (const line of lines) {
      const own = queries.filter((q) => !q.background && q.scenario === line);
      out.push({ name: `${file}:${line}`, reasoning, queries: [...background, ...own].map((q) => ({ text: q.text, throws: q.throws })) });
    }
  }
  if (FILES.test('docs-examples')) out.push(docsExamples());
  return out;
}

/** The docs examples test's schema and queries, read from its source (it holds them as string literals). */
function docsExamples(): Scenario {
  const source = readFileSync(join(repositoryRoot(), 'test/query/docs-examples.test.ts'), 'utf8');
  const schema = /const SCHEMA = `([^`]*)`/.exec(source)![1]!;
  const queries = [...source.matchAll(/'((?:match|define|undefine|insert)\s[^']*)'/g)].map((m) => ({ text: m[1]!, throws: false }));
  return { name: 'test/query/docs-examples.test.ts', reasoning: false, queries: [{ text: schema, throws: false }, ...queries] };
}

// ---------------------------------------------------------------------------------------------------------------
// The child: runs mutants from index `from` on

function transactionKind(query: Query | undefined): { session: 'schema' | 'data'; type: 'read' | 'write' } {
  if (query?.kind === 'define' || query?.kind === 'undefine') return { session: 'schema', type: 'write' };
  if (query?.kind === 'insert' || query?.kind === 'delete' || query?.kind === 'update') return { session: 'data', type: 'write' };
  return { session: 'data', type: 'read' };
}

/** Reads a result to its end, so that errors of lazy answers surface. */
function consume(result: QueryResult): void {
  if ('answers' in result) for (const _ of result.answers);
  if ('groups' in result) for (const g of result.groups) if ('answers' in g) for (const _ of g.answers);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const frame = error.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim() ?? '';
    return `${error.constructor.name}: ${error.message.slice(0, 400)} ${frame}`;
  }
  return String(error);
}

function classify(error: unknown): { outcome: Outcome; detail?: string } {
  if (error instanceof TypeQLSyntaxError) {
    // A syntax error must point at its place: TQL03 shows the line with a caret under the column.
    return error.code === 'TQL03' && error.line >= 1 && error.column >= 1
      ? { outcome: 'syntax' }
      : { outcome: 'bad-syntax-error', detail: describe(error) };
  }
  if (error instanceof StrataError) {
    if (error.code === 'SRV29') return { outcome: 'timeout', detail: error.message.slice(0, 200) };
    // A JavaScript value leaking into the text (the verb 'undefined' of undefine messages is fine).
    const text = error.message.replace(/be undefined|defined\/undefined/g, '');
    if (/\bundefined\b|\[object Object\]|\bNaN\b|\bnull\b/.test(text)) return { outcome: 'bad-message', detail: describe(error) };
    return { outcome: 'error' };
  }
  return { outcome: 'internal', detail: describe(error) };
}

/** The database still answers, and its schema prints and parses; `reload` also defines it into a fresh database. */
function health(manager: DatabaseManager, database: string, reload: boolean): string | undefined {
  try {
    const session = manager.session(database, 'data');
    try {
      const tx = session.transaction('read');
      try {
        consume(tx.query('match $x isa thing; get; limit 5;'));
      } catch (error) {
        // An empty schema has no type for $x: the one error this read may give.
        if (!(error instanceof StrataError && error.code === 'QRY16')) throw error;
      }
      tx.close();
    } finally {
      session.close();
    }
    const schema = manager.schema(database);
    if (schema.trim() === '') return undefined; // nothing defined: nothing to print or re-load
    parseQuery(schema);
    if (!reload) return undefined;
    const copy = `${database}-reload`;
    if (manager.contains(copy)) manager.delete(copy);
    try {
      createWithSchema(manager, copy, schema);
      const again = manager.schema(copy);
      if (again !== schema) return `the schema re-loaded prints differently:\n${schema}\n---\n${again}`;
    } finally {
      if (manager.contains(copy)) manager.delete(copy);
    }
    return undefined;
  } catch (error) {
    return describe(error);
  }
}

function runQuery(manager: DatabaseManager, database: string, text: string, query: Query | undefined, infer: boolean): void {
  const kind = transactionKind(query);
  const session = manager.session(database, kind.session);
  try {
    const tx: Transaction = session.transaction(kind.type, { infer: infer && kind.type === 'read', transactionTimeoutMillis: 20_000 });
    try {
      consume(tx.query(text));
      if (kind.type === 'write') tx.commit();
    } finally {
      if (tx.isOpen()) tx.close();
    }
  } finally {
    session.close();
  }
}

function mutantsOf(scenario: Scenario, index: number): Mutant[] {
  const random = seededRandom(SEED * 1_000_003 + index);
  const labels = [...new Set(scenario.queries.flatMap((q) => labelsOf(q.text)))];
  const out: Mutant[] = [];
  for (const q of scenario.queries) {
    out.push(...tokenMutants(q.text, random, PER_KIND));
    out.push(...semanticMutants(q.text, labels, random, PER_KIND));
  }
  out.push(...schemaMutants(labels, random, PER_KIND * 4));
  return out;
}

function child(from: number): void {
  const send = (m: Message) => process.send!(m);
  const dir = mkdtempSync(join(tmpdir(), 'strata-fuzz-'));
  const manager = openDatabaseManager(dir);
  let index = 0;
  const all = scenarios();
  const batches: { scenario: Scenario; mutants: Mutant[] }[] = all.map((s, i) => ({ scenario: s, mutants: mutantsOf(s, i) }));
  batches.push({ scenario: { name: 'pathological', reasoning: false, queries: [] }, mutants: pathologicalQueries() });
  for (const [n, { scenario, mutants }] of batches.entries()) {
    if (index + mutants.length <= from) {
      index += mutants.length;
      continue;
    }
    const database = `fuzz${n}`;
    manager.create(database);
    const replay = (): void => {
      for (const q of scenario.queries) {
        if (q.throws) continue;
        let parsed: Query | undefined;
        try {
          parsed = parseQuery(q.text);
          runQuery(manager, database, q.text, parsed, scenario.reasoning);
        } catch {
          // A seed the engine refuses out of its scenario's order (a commit step it depends on): the others still set up.
        }
      }
    };
    replay();
    for (const mutant of mutants) {
      const i = index++;
      if (i < from) continue;
      send({ type: 'start', index: i, kind: mutant.kind, scenario: scenario.name, text: mutant.text.slice(0, 3000) });
      const result = runMutant(manager, database, mutant, scenario.reasoning, i);
      send({ type: 'outcome', index: i, kind: mutant.kind, ...result });
    }
    const sick = health(manager, database, true);
    if (sick) send({ type: 'outcome', index: index - 1, kind: 'scenario-end', outcome: 'unhealthy', detail: sick });
    manager.delete(database);
  }
  manager.close();
  rmSync(dir, { recursive: true, force: true });
  send({ type: 'done' });
}

function runMutant(manager: DatabaseManager, database: string, mutant: Mutant, reasoning: boolean, i: number): { outcome: Outcome; detail?: string } {
  let parsed: Query | undefined;
  let parseError: unknown;
  try {
    parsed = parseQuery(mutant.text);
  } catch (error) {
    parseError = error;
  }
  if (parseError !== undefined) {
    const c = classify(parseError);
    if (c.outcome !== 'syntax') return c;
  } else {
    try {
      const again = parseQuery(printQuery(parsed!));
      if (!isDeepStrictEqual(again, parsed)) return { outcome: 'roundtrip', detail: printQuery(parsed!).slice(0, 500) };
    } catch (error) {
      return { outcome: 'roundtrip', detail: describe(error) };
    }
  }
  let outcome: { outcome: Outcome; detail?: string } = { outcome: 'ok' };
  try {
    runQuery(manager, database, mutant.text, parsed, reasoning || i % 2 === 0);
  } catch (error) {
    outcome = classify(error);
    if (parseError !== undefined && (!(error instanceof Error) || error.message !== (parseError as Error).message)) {
      return { outcome: 'mismatch', detail: `parser: ${describe(parseError)}\nengine: ${describe(error)}` };
    }
  }
  if (parsed && transactionKind(parsed).type === 'write') {
    const sick = health(manager, database, i % 25 === 0);
    if (sick) return { outcome: 'unhealthy', detail: sick };
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------------------------
// The supervisor

function supervise(): void {
  mkdirSync(OUT, { recursive: true });
  rmSync(join(OUT, 'findings.jsonl'), { force: true });
  const counts = new Map<string, Map<Outcome, number>>();
  const findings: { kind: string; outcome: Outcome; scenario: string; detail?: string; text: string }[] = [];
  let last: Extract<Message, { type: 'start' }> | undefined;
  const started = Date.now();
  let restarts = 0;
  const count = (kind: string, outcome: Outcome) => {
    const row = counts.get(kind) ?? new Map<Outcome, number>();
    row.set(outcome, (row.get(outcome) ?? 0) + 1);
    counts.set(kind, row);
  };
  const finish = () => {
    const outcomes: Outcome[] = ['ok', 'syntax', 'error', 'timeout', 'internal', 'bad-syntax-error', 'bad-message', 'roundtrip', 'mismatch', 'unhealthy', 'hang', 'crash'];
    const lines = [`kind\t${outcomes.join('\t')}\ttotal`];
    for (const [kind, row] of [...counts].sort()) {
      const total = [...row.values()].reduce((a, b) => a + b, 0);
      lines.push(`${kind}\t${outcomes.map((o) => row.get(o) ?? 0).join('\t')}\t${total}`);
    }
    writeFileSync(join(OUT, 'summary.tsv'), `${lines.join('\n')}\n`);
    writeFileSync(join(OUT, 'findings.json'), JSON.stringify(findings, null, 1));
    console.log(lines.join('\n'));
    console.log(`${findings.length} findings in ${OUT}/findings.json; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  const start = (from: number): void => {
    const proc: ChildProcess = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), `--child=${from}`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let timer: NodeJS.Timeout | undefined;
    let hung = false;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = true;
        process.kill(proc.pid!, 'SIGKILL');
      }, TIMEOUT_SECONDS * 1000);
    };
    arm();
    proc.on('message', (m: Message) => {
      arm();
      if (m.type === 'start') last = m;
      else if (m.type === 'outcome') {
        count(m.kind, m.outcome);
        if (BUGS.has(m.outcome)) {
          const finding = { kind: m.kind, outcome: m.outcome, scenario: last?.scenario ?? '', detail: m.detail, text: last?.text ?? '' };
          findings.push(finding);
          appendFileSync(join(OUT, 'findings.jsonl'), `${JSON.stringify(finding)}\n`); // readable while the run goes on
        }
        if (m.index % 500 === 0) process.stderr.write(`${m.index} mutants, ${findings.length} findings\n`);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) return finish();
      const outcome: Outcome = hung ? 'hang' : 'crash';
      if (last) {
        count(last.kind, outcome);
        const finding = { kind: last.kind, outcome, scenario: last.scenario, detail: `exit ${code}`, text: last.text };
        findings.push(finding);
        appendFileSync(join(OUT, 'findings.jsonl'), `${JSON.stringify(finding)}\n`);
      }
      if (++restarts > 50) {
        console.error('more than 50 restarts: stopping');
        return finish();
      }
      start(Math.max(from, (last?.index ?? from) + 1));
    });
  };
  start(0);
}

const childFrom = args.get('child');
if (childFrom !== undefined) child(Number(childFrom));
else supervise();
