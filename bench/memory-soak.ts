// Does the server keep memory after big write transactions whose answers the client never reads? Runs the same
// workload round after round against a real server (one data session, one write transaction sending `--queries`
// inserts without reading their answers, commit, session close) and prints, after each round, the server's V8 heap
// after a full GC and its resident memory split into anonymous memory (heap, malloc) and file pages (LMDB's map,
// which grows with the data and is page cache, not held memory). A leak shows as heapUsed growing round after round;
// RSS that rises once and then stays is the allocators keeping freed pages. Usage:
//   node dist/bench/memory-soak.js [--rounds 10] [--queries 10000]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypeDB, SessionType, TransactionType } from 'typedb-driver';
import { startServer, stopServer } from './server-process.js';
import { benchArguments } from './arguments.js';

// Loaded into the server with --import: on SIGWINCH (unused by the server) it collects garbage and prints its memory.
const MEMORY_HOOK = `process.on('SIGWINCH', () => {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const m = process.memoryUsage();
  process.stdout.write('memory: ' + JSON.stringify({ heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers }) + '\\n');
});
`;

interface Sample {
  heapUsed: number;
  external: number;
  rssAnon: number;
  rssFile: number;
}

const { options } = benchArguments({
  command: 'npm run bench:memory',
  summary: 'Memory a real server keeps after big write transactions whose answers the client never reads.',
  options: {
    rounds: { help: 'rounds of one write transaction each (default 10)' },
    queries: { help: 'inserts per transaction, sent without reading their answers (default 10000)' },
  },
});

function option(name: string, fallback: number): number {
  return Number(options.get(name) ?? fallback);
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

/** kB figures from /proc/<pid>/status (Linux). */
function residentKb(pid: number, field: 'RssAnon' | 'RssFile'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status: memory-soak needs Linux`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const rounds = option('rounds', 10);
  const queries = option('queries', 10_000);
  const scratch = mkdtempSync(join(tmpdir(), 'strata-memory-soak-'));
  const hook = join(scratch, 'memory-hook.mjs');
  writeFileSync(hook, MEMORY_HOOK);
  const { child, address } = await startServer(join(scratch, 'data'), undefined, ['--expose-gc', '--import', hook]);
  const pid = child.pid!;
  let pending: ((line: string) => void) | undefined;
  child.stdout!.on('data', (chunk: string) => {
    const line = /^memory: (.*)$/m.exec(chunk);
    if (line && pending) pending(line[1]!);
  });
  const sample = async (): Promise<Sample> => {
    const printed = new Promise<string>((resolve) => (pending = resolve));
    process.kill(pid, 'SIGWINCH');
    const m = JSON.parse(await printed) as { heapUsed: number; external: number };
    return { heapUsed: m.heapUsed, external: m.external, rssAnon: residentKb(pid, 'RssAnon') * 1024, rssFile: residentKb(pid, 'RssFile') * 1024 };
  };

  const driver = await TypeDB.coreDriver(address);
  try {
    await driver.databases.create('soak');
    const schema = await driver.session('soak', SessionType.SCHEMA);
    const define = await schema.transaction(TransactionType.WRITE);
    await define.query.define('define name sub attribute, value string; person sub entity, owns name;');
    await define.commit();
    await schema.close();

    const samples: Sample[] = [await sample()];
    console.log('round  heapUsed  external  rssAnon  rssFile   (MiB, after a full GC in the server)');
    const print = (round: string, s: Sample) => console.log(`${round.padStart(5)} ${mb(s.heapUsed).padStart(9)} ${mb(s.external).padStart(9)} ${mb(s.rssAnon).padStart(8)} ${mb(s.rssFile).padStart(8)}`);
    print('start', samples[0]!);
    for (let r = 1; r <= rounds; r++) {
      const session = await driver.session('soak', SessionType.DATA);
      const tx = await session.transaction(TransactionType.WRITE);
      // The answers' streams are never read: the server must not keep them, nor the requests, past the commit.
      for (let i = 0; i < queries; i++) tx.query.insert(`insert $p isa person, has name "person ${r}-${i}";`);
      await tx.commit();
      await session.close();
      samples.push(await sample());
      print(String(r), samples[r]!);
    }
    if (rounds >= 3) {
      // From round 2: round 1 warms code and caches that are then kept for good.
      const perRound = (samples[rounds]!.heapUsed - samples[2]!.heapUsed) / (rounds - 2);
      console.log(`heap growth from round 2 to ${rounds}: ${(perRound / 1024).toFixed(1)} KiB per round`);
    }
  } finally {
    await driver.close();
    await stopServer(child);
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
