// Migration benchmark (issue 7): for each scale of the social-network dataset (bench/social-dataset.ts), the
// dataset is generated deterministically from a seed, loaded through the fast path (the importer), exported,
// copied with `cp -r` (the physical limit; also followed by `sync`, as durable as the export) and backed up online while a writer commits. Every measured step runs
// in its own process, so that its peak RSS is its own; the parent samples the data directory's disk use during
// the import. Not part of the tests.
//   node --import tsx bench/migration.ts [--scales=10k,100k,1m] [--seed=1] [--dir=/tmp] [--threads=true|false]
//   (--threads: the import's ImportOptions.threads; by default the importer decides by the file's size)
//   npm run bench -- migration --scales=10m          (10M things only when asked: ~10 GB of disk at peak)
// Exposes benchMigration(args) in the shape bench/run.ts registers benchmarks with.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabaseManager } from '../src/database/index.js';
import { backupDatabase, exportDatabase, importDatabase, type ImportResult } from '../src/migration/index.js';
import { benchPostgres } from './postgres.js';
import { directoryBytes } from '../src/migration/disk-usage.js';
import { percentile } from './report.js';
import { SOCIAL_SCHEMA, generateSocialDataset } from './social-dataset.js';

const DEFAULT_SCALES = ['10k', '100k', '1m'];

function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`Invalid scale '${text}': use numbers like 10k, 100k, 1m, 10m.`);
  const unit = m[2]!.toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1));
}

// ---------------------------------------------------------------------------------------------------------------
// Steps, each run in a child process (`--step=…`), printing one JSON line

interface StepOutput {
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
function child(step: string, params: Record<string, string>, onTick?: () => void): Promise<StepOutput> {
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

function seconds(ms: number): number {
  return Number((ms / 1000).toFixed(2));
}

function time(command: string, args: string[]): number {
  const start = performance.now();
  execFileSync(command, args);
  return performance.now() - start;
}

/** `cp -r from to`, then `sync` of every copied file and directory (fsync each): the copy is on disk. */
function durableCopyMs(from: string, to: string): number {
  const start = performance.now();
  execFileSync('cp', ['-r', from, to]);
  execFileSync('sync', treePaths(to));
  return performance.now() - start;
}

function treePaths(dir: string): string[] {
  const paths = [dir];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) paths.push(...treePaths(path));
    else paths.push(path);
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------------------------

export async function benchMigration(args: Map<string, string>): Promise<Record<string, unknown>> {
  const scales = (args.get('scales') ?? DEFAULT_SCALES.join(',')).split(',').map(parseScale);
  const seed = Number(args.get('seed') ?? 1);
  const parent = args.get('dir') ?? tmpdir();
  mkdirSync(parent, { recursive: true }); // --dir may name a directory that does not exist yet
  const root = mkdtempSync(join(parent, 'strata-migration-bench-'));
  const results: Record<string, unknown>[] = [];
  try {
    for (const things of scales) {
      const dir = join(root, String(things));
      mkdirSync(dir);
      const file = join(dir, 'social.typedb');
      let start = performance.now();
      const dataset = await generateSocialDataset(file, things, seed);
      const generateMs = performance.now() - start;
      const data = join(dir, 'data');

      // Import, sampling the disk the data directory takes (staged store and sort runs).
      let peakDisk = 0;
      const sampleDisk = () => {
        try {
          peakDisk = Math.max(peakDisk, directoryBytes(data));
        } catch {
          // the directory is being renamed or does not exist yet
        }
      };
      const params: Record<string, string> = { data, file };
      if (args.has('threads')) params.threads = args.get('threads')!;
      if (args.has('memory')) params.memory = args.get('memory')!;
      const imported = await child('import', params, sampleDisk);
      sampleDisk();
      const result = imported.result as ImportResult;
      const databaseBytes = result.databaseBytes;

      const exported = await child('export', { data, file: join(dir, 'export.typedb'), schema: join(dir, 'export.tql') });
      // `cp -r` returns once the copy is in the page cache; the export returns once its file is on disk (fsynced).
      // The durable copy is `cp -r` followed by `sync` of the copied files and directories, which the export's
      // guarantee matches. Both are reported.
      const cpMs = time('cp', ['-r', join(data, 'social'), join(dir, 'copy')]);
      rmSync(join(dir, 'copy'), { recursive: true, force: true });
      const durableCpMs = durableCopyMs(join(data, 'social'), join(dir, 'copy'));
      rmSync(join(dir, 'copy'), { recursive: true, force: true });
      const backup = await child('backup', { data, target: join(dir, 'backup') });
      // PostgreSQL 15 with the same logical data, in the same run (skipped with --postgres=false, and above 1M
      // things, where loading it takes longer than the rest of the benchmark).
      const postgres = args.get('postgres') !== 'false' && things <= 1_000_000 ? await benchPostgres(file) : undefined;

      const mb = dataset.bytes / 1e6;
      const row = {
        things: dataset.things,
        file: { bytes: dataset.bytes, items: dataset.things, ownerships: dataset.ownerships, roles: dataset.roles, generateSeconds: seconds(generateMs) },
        import: {
          seconds: seconds(imported.ms),
          cpuSeconds: seconds(imported.cpuMs),
          itemsPerSecond: Math.round(dataset.things / (imported.ms / 1000)),
          mbPerSecond: Number((mb / (imported.ms / 1000)).toFixed(1)),
          peakRssMiB: imported.peakRssMiB,
          databaseMiB: Number((databaseBytes / 2 ** 20).toFixed(1)),
          peakDiskMiB: Number((peakDisk / 2 ** 20).toFixed(1)),
          extraDiskRatio: Number((peakDisk / databaseBytes).toFixed(2)),
          scratchPeakMiB: Number((result.scratchPeakBytes / 2 ** 20).toFixed(1)),
          phases: Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, seconds(v)])),
          keys: result.stored.keys,
        },
        export: {
          seconds: seconds(exported.ms),
          cpuSeconds: seconds(exported.cpuMs),
          itemsPerSecond: Math.round(dataset.things / (exported.ms / 1000)),
          mbPerSecond: Number(((exported.bytes as number) / 1e6 / (exported.ms / 1000)).toFixed(1)),
          peakRssMiB: exported.peakRssMiB,
          checksumsMatch: JSON.stringify(exported.checksums) === JSON.stringify(result.checksums),
        },
        copy: {
          seconds: Number((cpMs / 1000).toFixed(3)),
          exportRatio: Number((exported.ms / cpMs).toFixed(1)),
          durableSeconds: Number((durableCpMs / 1000).toFixed(3)),
          exportRatioDurable: Number((exported.ms / durableCpMs).toFixed(1)),
        },
        postgres: postgres && {
          rows: postgres.rows,
          pgDumpSeconds: Number(postgres.dumpSeconds.toFixed(2)),
          pgRestoreSeconds: Number(postgres.restoreSeconds.toFixed(2)),
          exportVsPgDump: Number((exported.ms / 1000 / postgres.dumpSeconds).toFixed(2)),
          importVsPgRestore: Number((imported.ms / 1000 / postgres.restoreSeconds).toFixed(2)),
        },
        backup: {
          seconds: seconds(backup.ms),
          commitsDuringBackup: backup.commitsDuringBackup,
          commitP99Ms: backup.commitP99Ms,
          commitMaxMs: backup.commitMaxMs,
          consistent: backup.consistent,
        },
      };
      results.push(row);
      console.log(
        `${String(dataset.things).padStart(9)} things: import ${row.import.seconds}s (${row.import.itemsPerSecond} items/s, ` +
          `${row.import.mbPerSecond} MB/s, peak RSS ${row.import.peakRssMiB} MiB, disk peak ${row.import.peakDiskMiB} MiB = ` +
          `${row.import.extraDiskRatio}× the ${row.import.databaseMiB} MiB database) | export ${row.export.seconds}s ` +
          `(${row.export.mbPerSecond} MB/s, ${row.copy.exportRatio}× cp -r ${row.copy.seconds}s, ` +
          `${row.copy.exportRatioDurable}× cp -r + sync ${row.copy.durableSeconds}s) | backup ${row.backup.seconds}s, ` +
          `writer p99 ${row.backup.commitP99Ms} ms, consistent ${row.backup.consistent}` +
          (row.postgres ? ` | pg_dump ${row.postgres.pgDumpSeconds}s, pg_restore ${row.postgres.pgRestoreSeconds}s` : ''),
      );
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { seed, node: process.version, scales: results };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Map<string, string>();
  for (const a of process.argv.slice(2)) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) args.set(m[1]!, m[2]!);
  }
  const step = args.get('step');
  if (step !== undefined) {
    console.log(JSON.stringify(await runStep(step, args)));
  } else {
    const result = await benchMigration(args);
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/bench-migration.json', JSON.stringify(result, null, 2) + '\n');
    console.log('wrote reports/bench-migration.json');
  }
}

