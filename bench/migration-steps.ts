// The measured steps of the migration benchmark (bench/migration.ts): import, export and online backup, each run
// in a process of its own (`node bench/migration-steps.ts --step=import --data=… --file=…`), so that its peak RSS
// and CPU time are its own; it prints one JSON line.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabaseManager } from '../src/database/index.js';
import { backupDatabase, exportDatabase, importDatabase, type ImportResult } from '../src/migration/index.js';
import { percentile } from './report.js';
import { SOCIAL_SCHEMA } from './social-dataset.js';

export interface StepOutput {
  readonly ms: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly [key: string]: unknown;
}

async function measured(work: () => Promise<Record<string, unknown>>): Promise<StepOutput> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const extra = await work();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return {
    ms: Math.round(ms),
    cpuMs: Math.round((used.user + used.system) / 1000),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...extra,
  };
}

async function runStep(step: string, args: Map<string, string>): Promise<StepOutput> {
  const data = args.get('data')!;
  switch (step) {
    case 'import':
      return measured(async () => {
        const manager = openDatabaseManager(data);
        const result: ImportResult = await importDatabase(manager, 'social', {
          dataFile: args.get('file')!,
          schemaText: SOCIAL_SCHEMA,
          // As the product decides by the file's size, unless --threads says otherwise.
          threads: args.has('threads') ? args.get('threads') !== 'false' : undefined,
          memoryBytes: args.has('memory') ? Number(args.get('memory')) : undefined,
        });
        manager.close();
        return { result };
      });
    case 'export':
      return measured(async () => {
        const manager = openDatabaseManager(data);
        const result = await exportDatabase(manager.get('social'), { dataFile: args.get('file')!, schemaFile: args.get('schema') });
        manager.close();
        return { checksums: result.checksums, bytes: result.bytes };
      });
    case 'backup':
      return backupUnderWrites(data, args.get('target')!);
    default:
      throw new Error(`unknown step '${step}'`);
  }
}

/**
 * Online backup while a writer commits one small insert after another: the writer's commit latencies during
 * the backup, and whether the backup holds a prefix of the commits (consistency).
 */
async function backupUnderWrites(data: string, target: string): Promise<StepOutput> {
  const manager = openDatabaseManager(data);
  const schema = manager.session('social', 'schema');
  const stx = schema.transaction('write');
  stx.query('define serial sub attribute, value long; person owns serial;');
  stx.commit();
  schema.close();
  const session = manager.session('social', 'data');
  let committed = 0;
  let running = true;
  let backingUp = false;
  const latencies: number[] = [];
  const writer = (async () => {
    while (running) {
      const start = performance.now();
      const tx = session.transaction('write');
      tx.query(`insert $p isa person, has email "writer-${committed}@example.com", has serial ${committed};`);
      tx.commit();
      if (backingUp) latencies.push(performance.now() - start);
      committed++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  while (committed < 10) await new Promise((resolve) => setImmediate(resolve));
  backingUp = true;
  const output = await measured(async () => {
    const result = await backupDatabase(manager.get('social'), target);
    return { bytes: result.bytes };
  });
  backingUp = false;
  running = false;
  await writer;
  session.close();
  manager.close();
  // The copy holds serials 0..n-1 for some n: a prefix of the commits, nothing torn.
  const copyDir = mkdtempSync(join(tmpdir(), 'strata-backup-check-'));
  rmSync(copyDir, { recursive: true });
  mkdirSync(copyDir);
  execFileSync('cp', ['-r', target, join(copyDir, 'social')]);
  const copy = openDatabaseManager(copyDir);
  const tx = copy.session('social', 'data').transaction('read');
  const count = tx.query('match $s isa serial; get; count;');
  const max = tx.query('match $s isa serial; get; max $s;');
  const serials = count.kind === 'aggregate' ? Number(count.value?.value ?? 0) : -1;
  const last = max.kind === 'aggregate' ? Number(max.value?.value ?? -1) : -2;
  tx.close();
  const exported = await exportDatabase(copy.get('social'), { dataFile: join(copyDir, 'backup.typedb') });
  copy.close();
  rmSync(copyDir, { recursive: true, force: true });
  return {
    ...output,
    commitsDuringBackup: latencies.length,
    commitP50Ms: Number(percentile(latencies, 50).toFixed(2)),
    commitP99Ms: Number(percentile(latencies, 99).toFixed(2)),
    commitMaxMs: Number(Math.max(0, ...latencies).toFixed(2)),
    consistent: serials === last + 1 && serials >= 10 && serials <= committed,
    backupEntities: exported.checksums.entities,
  };
}

/** Runs a step in a child process; `onTick` is called every 100 ms while it runs. */
export function child(step: string, params: Record<string, string>, onTick?: () => void): Promise<StepOutput> {
  const self = fileURLToPath(import.meta.url);
  const argv = [...process.execArgv, self, `--step=${step}`, ...Object.entries(params).map(([k, v]) => `--${k}=${v}`)];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += chunk));
    const timer = onTick === undefined ? undefined : setInterval(onTick, 100);
    proc.on('exit', (code) => {
      if (timer) clearInterval(timer);
      if (code !== 0) return reject(new Error(`the ${step} step failed (exit code ${code})`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as StepOutput);
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Map<string, string>();
  for (const a of process.argv.slice(2)) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) args.set(m[1]!, m[2]!);
  }
  console.log(JSON.stringify(await runStep(args.get('step') ?? '', args)));
}
