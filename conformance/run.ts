// `npm run conformance [-- options] [feature files…]`: runs TypeDB's own 2.x behaviour suite against Strata — the
// embedded engine in the worker processes, or (`--via=driver`) a real server process per worker through the official
// typedb-driver@2.29.7 — prints a per-file table and writes reports/conformance.json (conformance-driver.json).
// See `--help`.
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TAGS, planScenarios, resolveSelection } from './runner/plan.js';
import { HarnessError, runPool } from './runner/pool.js';
import {
  BASELINE,
  DEFAULT_DETAILS,
  DEFAULT_DRIVER_DETAILS,
  DEFAULT_DRIVER_REPORT,
  DEFAULT_REPORT,
  findFeaturesDir,
} from './runner/paths.js';
import { parseVia } from './engine/via.js';
import {
  comparisonFrom,
  details,
  formatTable,
  raiseBaseline,
  readBaseline,
  readReport,
  regressions,
  summarise,
  totals,
  writeJson,
} from './runner/report.js';
import type { ScenarioResult } from './runner/messages.js';

const HELP = `usage: npm run conformance -- [options] [feature …]

Runs the upstream TypeDB 2.x behaviour suite (read in place) against the embedded engine,
or through the official driver against a real server process (--via=driver).
A feature is a path relative to the suite folder, optionally with scenario lines
(query/language/match.feature:120:131), or a folder (query/reasoner). Default: every file
except connection/user.feature and query/explanation/*.

options:
  --features <dir>          suite folder (default: $STRATA_BEHAVIOUR_DIR, conformance/typedb-behaviour-2.x,
                            ../shared/conformance/typedb-behaviour-2.x)
  --via <embedded|driver>   embedded (default): the engine inside each worker process; driver: one
                            \`strata server\` process per worker, driven through typedb-driver@2.29.7 with the
                            same step definitions (report: reports/conformance-driver.json, compared file
                            by file with reports/conformance.json)
  --compare <file>          the report the driver mode is compared with (default reports/conformance.json)
  --tags <expr>             tag filter (default: "${DEFAULT_TAGS}")
  --jobs <n>                worker processes (default: min(2, cores))
  --step-timeout <s>        per-step limit for asynchronous steps (default 20)
  --scenario-timeout <s>    per-scenario wall-clock limit; the worker is killed past it (default 30)
  --report <file>           per-file JSON report (default reports/conformance.json, or conformance-driver.json
                            with --via=driver; not written by --dry-run)
  --details <file>          per-scenario JSON with the first failing step and error
                            (default reports/conformance-details.json, or conformance-driver-details.json)
  --update-baseline         raise reports/conformance-baseline.json to this run's passed counts (never lowers;
                            embedded mode only)
  --dry-run                 check step definitions only (nothing runs)
  --verbose                 print every scenario that did not pass, and the workers' own output
  -h, --help

exit status: 0 when every selected scenario passed, 1 otherwise, 2 when the harness itself failed.`;

function seconds(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new HarnessError(`--${name} needs a positive number of seconds, got ${text}`);
  return value;
}

/**
 * Where scenario data directories go: $STRATA_CONFORMANCE_SCRATCH, else a RAM disk when there is one (commits
 * are durable, and fsync on a real disk doubles the run time without testing anything the suite checks), else
 * the temp folder.
 */
function scratchBase(): string {
  const explicit = process.env['STRATA_CONFORMANCE_SCRATCH'];
  if (explicit) return explicit;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

function firstLine(text: string | undefined): string {
  const line = (text ?? '').split('\n').find((l) => l.trim().length > 0) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      features: { type: 'string' },
      via: { type: 'string' },
      compare: { type: 'string' },
      tags: { type: 'string' },
      jobs: { type: 'string' },
      'step-timeout': { type: 'string' },
      'scenario-timeout': { type: 'string' },
      report: { type: 'string' },
      details: { type: 'string' },
      'update-baseline': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const dryRun = values['dry-run'];
  const tags = values.tags ?? DEFAULT_TAGS;
  let via: ReturnType<typeof parseVia>;
  try {
    via = parseVia(values.via);
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
  const driver = via === 'driver';
  if (values['update-baseline'] && (dryRun || tags !== DEFAULT_TAGS || driver)) {
    throw new HarnessError('--update-baseline needs a real embedded run with the default tag filter');
  }
  const jobs = values.jobs === undefined ? Math.min(2, availableParallelism()) : Number(values.jobs);
  if (!(Number.isInteger(jobs) && jobs > 0)) throw new HarnessError(`--jobs needs a positive integer, got ${values.jobs}`);
  const stepTimeoutMs = seconds(values['step-timeout'], 20, 'step-timeout') * 1000;
  const scenarioTimeoutMs = seconds(values['scenario-timeout'], 30, 'scenario-timeout') * 1000;

  let featuresDir: string;
  let plans: Awaited<ReturnType<typeof planScenarios>>;
  try {
    featuresDir = findFeaturesDir(values.features);
    plans = await planScenarios(featuresDir, resolveSelection(featuresDir, positionals), tags);
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
  const planned = plans.reduce((n, p) => n + p.scenarios.length, 0);
  console.error(
    `conformance: ${planned} scenarios in ${plans.length} files from ${featuresDir}` +
      `${driver ? ' through typedb-driver against a server process per worker' : ''}${dryRun ? ' (dry run)' : ''}`,
  );

  const started = Date.now();
  const tmpRoot = mkdtempSync(join(scratchBase(), 'strata-conformance-'));
  let results: Map<string, ScenarioResult[]>;
  const incidents: string[] = [];
  try {
    results = await runPool(plans, {
      featuresDir,
      tags,
      dryRun,
      via,
      jobs,
      stepTimeoutMs,
      scenarioTimeoutMs,
      tmpRoot,
      verbose: values.verbose,
      onResult: (r) => {
        if (values.verbose && r.status !== 'passed' && r.status !== 'skipped') {
          console.error(`  ${r.status.toUpperCase()} ${r.uri}:${r.line} ${r.name}\n      at: ${r.step ?? ''}\n      ${firstLine(r.error)}`);
        }
      },
      onIncident: (message) => {
        incidents.push(message);
        console.error(`  WARNING ${message}`);
      },
      onFileDone: (uri, list) => {
        const counts = (['passed', 'failed', 'undefined', 'skipped'] as const)
          .map((status) => [status, list.filter((r) => r.status === status).length] as const)
          .filter(([, n]) => n > 0)
          .map(([status, n]) => `${n} ${status}`);
        console.error(`  ${uri}: ${counts.join(', ')}`);
      },
    });
  } finally {
    rmSync(tmpRoot, { recursive: true, force: true });
  }
  const elapsed = (Date.now() - started) / 1000;

  const summaries = summarise(plans, results);
  const total = totals(summaries, results);
  // the driver mode is judged against the embedded mode, file by file
  const embedded = driver ? readReport(resolve(values.compare ?? DEFAULT_REPORT)) : undefined;
  const comparison = embedded ? comparisonFrom('embedded', embedded) : undefined;
  console.log(formatTable(summaries, total, dryRun, elapsed, comparison));
  if (incidents.length > 0) console.log(`${incidents.length} worker(s) died between scenarios:\n  ${incidents.join('\n  ')}`);

  if (!dryRun || values.report) {
    const reportPath = resolve(values.report ?? (driver ? DEFAULT_DRIVER_REPORT : DEFAULT_REPORT));
    writeJson(reportPath, summaries);
    console.error(`wrote ${reportPath}`);
  }
  if (!dryRun || values.details) {
    const detailsPath = resolve(values.details ?? (driver ? DEFAULT_DRIVER_DETAILS : DEFAULT_DETAILS));
    writeJson(detailsPath, details(results));
    console.error(`wrote ${detailsPath}`);
  }

  if (!dryRun && driver && comparison) {
    const behind = summaries
      .filter((s) => (comparison.passed.get(s.file) ?? 0) > s.passed)
      .map((s) => `${s.file}: ${s.passed} passed through the driver, ${comparison.passed.get(s.file)} embedded`);
    if (behind.length > 0) console.error(`BEHIND THE EMBEDDED MODE:\n  ${behind.join('\n  ')}`);
  }
  if (!dryRun && !driver) {
    const baseline = readBaseline(BASELINE);
    if (values['update-baseline']) {
      const { next, raised } = raiseBaseline(baseline, summaries);
      writeJson(BASELINE, next);
      console.error(raised.length > 0 ? `baseline raised:\n  ${raised.join('\n  ')}` : 'baseline unchanged');
    } else {
      const below = regressions(baseline, summaries);
      if (below.length > 0) console.error(`BELOW BASELINE:\n  ${below.join('\n  ')}`);
    }
  }
  return total.passed === total.scenarios ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof HarnessError ? `conformance: ${error.message}` : error);
    process.exitCode = 2;
  },
);
