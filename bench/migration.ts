// Migration benchmark (issue 7): for each scale of the social-network dataset (bench/social-dataset.ts), the
// dataset is generated deterministically from a seed, loaded through the fast path (the importer), exported,
// copied with `cp -r` (the physical limit; also followed by `sync`, as durable as the export), backed up online
// while a writer commits, and dumped and restored by PostgreSQL holding the same data. Every measured step runs in
// its own process, so that its peak RSS is its own; the parent samples the data directory's disk use during the
// import. With --runs=N all of that is measured N times in turn (PostgreSQL loaded once), because the machines it
// runs on change speed by a third within minutes, and the medians are reported besides each run. Not part of the
// tests.
//   node --import tsx bench/migration.ts [--scales=10k,100k,1m] [--runs=1] [--seed=1] [--dir=/tmp] [--threads=true|false]
//   (--threads: the import's ImportOptions.threads; by default the importer decides by the file's size)
//   npm run bench -- migration --scales=10m          (10M things only when asked: ~10 GB of disk at peak)
// Exposes benchMigration(args) in the shape bench/run.ts registers benchmarks with.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImportResult } from '../src/migration/index.js';
import { directoryBytes } from '../src/migration/disk-usage.js';
import { child } from './migration-steps.js';
import { PostgresBaseline } from './postgres.js';
import { benchArguments, type BenchOption } from './arguments.js';
import { generateSocialDataset } from './social-dataset.js';

const DEFAULT_SCALES = ['10k', '100k', '1m'];

/** The options benchMigration reads (`npm run bench:migration`, and `npm run bench -- migration`). */
export const MIGRATION_OPTIONS: Readonly<Record<string, BenchOption>> = {
  scales: { help: `numbers of things, with k or m, comma-separated (default ${DEFAULT_SCALES.join(',')})` },
  runs: { help: 'measures all of it N times in turn and reports the medians too (default 1)' },
  dir: { help: 'where the data is built (default the temporary directory)' },
  seed: { help: 'random seed of the dataset (default 1)' },
  threads: { help: "true|false: force the import's threads on or off (default: by the file's size)" },
  memory: { help: "bytes for the import's sorters (default the importer's)" },
  postgres: { help: 'false leaves PostgreSQL out (default true; up to 1m)' },
};

function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`Invalid scale '${text}': use numbers like 10k, 100k, 1m, 10m.`);
  const unit = m[2]!.toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1));
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
  const runs = parseRuns(args.get('runs'));
  const parent = args.get('dir') ?? tmpdir();
  mkdirSync(parent, { recursive: true }); // --dir may name a directory that does not exist yet
  const root = mkdtempSync(join(parent, 'strata-migration-bench-'));
  const results: Record<string, unknown>[] = [];
  try {
    for (const things of scales) {
      const dir = join(root, String(things));
      mkdirSync(dir);
      const file = join(dir, 'social.typedb');
      const start = performance.now();
      const dataset = await generateSocialDataset(file, things, seed);
      const generateMs = performance.now() - start;
      // PostgreSQL 15 with the same logical data, loaded once and timed in every run (skipped with --postgres=false,
      // and above 1M things, where loading it takes longer than the rest of the benchmark).
      const postgres = args.get('postgres') !== 'false' && things <= 1_000_000 ? await PostgresBaseline.load(file) : undefined;
      const rows: Row[] = [];
      try {
        for (let run = 1; run <= runs; run++) {
          const row = await measureRun(dir, file, dataset, args, postgres);
          rows.push(row);
          console.log(describeRow(dataset.things, row, runs > 1 ? `run ${run}/${runs}` : ''));
        }
      } finally {
        await postgres?.stop();
      }
      const summary = runs > 1 ? summarize(rows) : undefined;
      if (summary !== undefined) console.log(describeSummary(dataset.things, summary, runs));
      results.push({
        things: dataset.things,
        file: { bytes: dataset.bytes, items: dataset.things, ownerships: dataset.ownerships, roles: dataset.roles, generateSeconds: seconds(generateMs) },
        ...rows[rows.length - 1],
        ...(runs > 1 ? { runs: rows, medians: summary } : {}),
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { seed, node: process.version, scales: results };
}

function parseRuns(text: string | undefined): number {
  const runs = Number(text ?? 1);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`Invalid --runs '${text}': give a whole number of runs, 1 or more.`);
  return runs;
}

type Row = Awaited<ReturnType<typeof measureRun>>;

/**
 * One run at one scale: import into a fresh data directory (sampling the disk it takes), export, `cp -r` (then
 * also followed by `sync`), online backup, and `pg_dump`/`pg_restore` of the same data.
 */
async function measureRun(
  dir: string,
  file: string,
  dataset: { readonly things: number; readonly bytes: number },
  args: Map<string, string>,
  postgres: PostgresBaseline | undefined,
) {
  const data = join(dir, 'data');
  rmSync(data, { recursive: true, force: true });
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

  // Every run exports to new paths, as `cp -r` below copies to one: replacing the previous run's 100 MB file would
  // add its removal (~25 ms at 1M things, the kernel dropping its pages) to runs 2 and later only.
  for (const previous of ['export.typedb', 'export.tql']) rmSync(join(dir, previous), { force: true });
  const exported = await child('export', { data, file: join(dir, 'export.typedb'), schema: join(dir, 'export.tql') });
  // `cp -r` returns once the copy is in the page cache; the export returns once its file is on disk (fsynced).
  // The durable copy is `cp -r` followed by `sync` of the copied files and directories, which the export's
  // guarantee matches. Both are reported.
  const cpMs = time('cp', ['-r', join(data, 'social'), join(dir, 'copy')]);
  rmSync(join(dir, 'copy'), { recursive: true, force: true });
  const durableCpMs = durableCopyMs(join(data, 'social'), join(dir, 'copy'));
  rmSync(join(dir, 'copy'), { recursive: true, force: true });
  rmSync(join(dir, 'backup'), { recursive: true, force: true });
  const backup = await child('backup', { data, target: join(dir, 'backup') });
  const pg = postgres?.time();

  const mb = dataset.bytes / 1e6;
  return {
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
    postgres: pg && {
      rows: pg.rows,
      pgDumpSeconds: Number(pg.dumpSeconds.toFixed(2)),
      pgRestoreSeconds: Number(pg.restoreSeconds.toFixed(2)),
      exportVsPgDump: Number((exported.ms / 1000 / pg.dumpSeconds).toFixed(2)),
      importVsPgRestore: Number((imported.ms / 1000 / pg.restoreSeconds).toFixed(2)),
    },
    backup: {
      seconds: seconds(backup.ms),
      commitsDuringBackup: backup.commitsDuringBackup as number,
      commitP99Ms: backup.commitP99Ms as number,
      commitMaxMs: backup.commitMaxMs as number,
      consistent: backup.consistent as boolean,
    },
  };
}

function describeRow(things: number, row: Row, label: string): string {
  return (
    `${String(things).padStart(9)} things${label ? ` (${label})` : ''}: import ${row.import.seconds}s (${row.import.itemsPerSecond} items/s, ` +
    `${row.import.mbPerSecond} MB/s, peak RSS ${row.import.peakRssMiB} MiB, disk peak ${row.import.peakDiskMiB} MiB = ` +
    `${row.import.extraDiskRatio}× the ${row.import.databaseMiB} MiB database) | export ${row.export.seconds}s ` +
    `(${row.export.mbPerSecond} MB/s, ${row.copy.exportRatio}× cp -r ${row.copy.seconds}s, ` +
    `${row.copy.exportRatioDurable}× cp -r + sync ${row.copy.durableSeconds}s) | backup ${row.backup.seconds}s, ` +
    `writer p99 ${row.backup.commitP99Ms} ms, consistent ${row.backup.consistent}` +
    (row.postgres ? ` | pg_dump ${row.postgres.pgDumpSeconds}s, pg_restore ${row.postgres.pgRestoreSeconds}s` : '')
  );
}

/** Medians over the runs of the figures the targets compare; each ratio is taken within its run first. */
function summarize(rows: readonly Row[]) {
  const median = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : Number(((sorted[middle - 1]! + sorted[middle]!) / 2).toFixed(3));
  };
  const of = (pick: (row: Row) => number | undefined) => {
    const values = rows.map(pick).filter((v): v is number => v !== undefined);
    return values.length === 0 ? undefined : median(values);
  };
  return {
    importSeconds: of((r) => r.import.seconds),
    exportSeconds: of((r) => r.export.seconds),
    copySeconds: of((r) => r.copy.seconds),
    exportVsCopy: of((r) => r.copy.exportRatio),
    exportVsDurableCopy: of((r) => r.copy.exportRatioDurable),
    pgDumpSeconds: of((r) => r.postgres?.pgDumpSeconds),
    pgRestoreSeconds: of((r) => r.postgres?.pgRestoreSeconds),
    exportVsPgDump: of((r) => r.postgres?.exportVsPgDump),
    importVsPgRestore: of((r) => r.postgres?.importVsPgRestore),
    importPeakRssMiB: of((r) => r.import.peakRssMiB),
    backupCommitP99Ms: of((r) => r.backup.commitP99Ms),
    backupsConsistent: rows.every((r) => r.backup.consistent),
  };
}

function describeSummary(things: number, s: ReturnType<typeof summarize>, runs: number): string {
  const pg = s.importVsPgRestore === undefined ? '' : ` | pg_dump ${s.pgDumpSeconds}s (export ${s.exportVsPgDump}×), pg_restore ${s.pgRestoreSeconds}s (import ${s.importVsPgRestore}×)`;
  return (
    `${String(things).padStart(9)} things (median of ${runs} runs): import ${s.importSeconds}s, export ${s.exportSeconds}s ` +
    `(${s.exportVsCopy}× cp -r, ${s.exportVsDurableCopy}× cp -r + sync), backup writer p99 ${s.backupCommitP99Ms} ms, ` +
    `all consistent ${s.backupsConsistent}${pg}`
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { options: args } = benchArguments({
    command: 'npm run bench:migration',
    summary: 'Export, import, cp -r and online backup at each scale, against PostgreSQL 15 pg_dump -Fc / pg_restore of the same data.',
    options: MIGRATION_OPTIONS,
  });
  const result = await benchMigration(args);
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/bench-migration.json', JSON.stringify(result, null, 2) + '\n');
  console.log('wrote reports/bench-migration.json');
}

