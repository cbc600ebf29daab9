// Per-file summaries: the printed table, reports/conformance.json, the per-scenario details, and the baseline.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FilePlan } from './plan.js';
import type { ScenarioResult } from './messages.js';

export interface FileSummary {
  readonly file: string;
  readonly scenarios: number;
  readonly passed: number;
  readonly failed: number;
  readonly undefined: number;
}

export interface RunTotals extends FileSummary {
  /** Dry runs: scenarios whose steps are all defined. */
  readonly skipped: number;
  /** Scenarios without steps (upstream placeholders), included in `passed` (or `skipped` in a dry run). */
  readonly empty: number;
  readonly timedOut: number;
}

export function summarise(plans: readonly FilePlan[], results: ReadonlyMap<string, readonly ScenarioResult[]>): FileSummary[] {
  return plans.map(({ uri, scenarios }) => {
    const list = results.get(uri) ?? [];
    const count = (status: ScenarioResult['status']) => list.filter((r) => r.status === status).length;
    return { file: uri, scenarios: scenarios.length, passed: count('passed'), failed: count('failed'), undefined: count('undefined') };
  });
}

export function totals(summaries: readonly FileSummary[], results: ReadonlyMap<string, readonly ScenarioResult[]>): RunTotals {
  const all = [...results.values()].flat();
  const sum = (key: 'scenarios' | 'passed' | 'failed' | 'undefined') => summaries.reduce((n, s) => n + s[key], 0);
  return {
    file: 'total',
    scenarios: sum('scenarios'),
    passed: sum('passed'),
    failed: sum('failed'),
    undefined: sum('undefined'),
    skipped: all.filter((r) => r.status === 'skipped').length,
    empty: all.filter((r) => r.empty).length,
    timedOut: all.filter((r) => r.error?.startsWith('timed out')).length,
  };
}

/** Another report's passed counts, shown beside this run's (the driver mode against the embedded report). */
export interface Comparison {
  /** Column title, e.g. `embedded`. */
  readonly name: string;
  /** File → passed scenarios in the other report. */
  readonly passed: ReadonlyMap<string, number>;
}

export function comparisonFrom(name: string, report: readonly FileSummary[]): Comparison {
  return { name, passed: new Map(report.map((s) => [s.file, s.passed])) };
}

export function readReport(path: string): FileSummary[] | undefined {
  if (!existsSync(path)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${path}: expected an array of per-file summaries`);
  return parsed as FileSummary[];
}

export function formatTable(
  summaries: readonly FileSummary[],
  total: RunTotals,
  dryRun: boolean,
  seconds: number,
  comparison?: Comparison,
): string {
  const columns = dryRun ? (['scenarios', 'skipped', 'undefined'] as const) : (['scenarios', 'passed', 'failed', 'undefined'] as const);
  const width = Math.max(40, ...summaries.map((s) => s.file.length)) + 2;
  const cell = (n: number | string) => String(n).padStart(10);
  const compared = comparison && !dryRun ? comparison : undefined;
  const otherTotal = compared && summaries.reduce((n, s) => n + (compared.passed.get(s.file) ?? 0), 0);
  const comparisonCells = (s: FileSummary, other: number | undefined) => {
    if (!compared) return '';
    if (other === undefined) return cell('-') + cell('');
    const delta = s.passed - other;
    return cell(other) + cell(delta === 0 ? '=' : delta > 0 ? `+${delta}` : String(delta));
  };
  const header =
    'file'.padEnd(width) + columns.map(cell).join('') + (compared ? cell(compared.name) + cell('diff') : '');
  const rule = '-'.repeat(header.length);
  const skippedOf = (s: FileSummary) => s.scenarios - s.passed - s.failed - s.undefined;
  const row = (s: FileSummary, skipped: number, other: number | undefined) =>
    s.file.padEnd(width) + columns.map((c) => cell(c === 'skipped' ? skipped : s[c])).join('') + comparisonCells(s, other);
  const lines = [
    header,
    rule,
    ...summaries.map((s) => row(s, skippedOf(s), compared?.passed.get(s.file))),
    rule,
    row(total, total.skipped, otherTotal),
  ];
  if (compared) {
    lines.push(`"${compared.name}": scenarios that passed in the ${compared.name} report; "diff": this run minus that ("=" when equal, "-" when the file is not in it).`);
  }
  lines.push(
    dryRun
      ? `dry run: "skipped" = every step defined; "undefined" = at least one step has no definition. ` +
          `${total.empty} scenarios have no steps (upstream placeholders) and are counted as skipped.`
      : `"passed" includes ${total.empty} scenarios without steps (upstream placeholders: cucumber runs only the hooks and ` +
          `reports them passed). A scenario with any undefined step counts as undefined, even if an earlier step failed. ` +
          `Failed includes ${total.timedOut} timed out. ${seconds.toFixed(1)} s.`,
  );
  return lines.join('\n');
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Per-scenario outcome with the first failing step and its error, in file order (for whoever fixes them). */
export function details(results: ReadonlyMap<string, readonly ScenarioResult[]>): object[] {
  return [...results.values()]
    .flat()
    .sort((a, b) => a.uri.localeCompare(b.uri) || a.line - b.line)
    .map((r) => ({
      file: r.uri,
      line: r.line,
      name: r.name,
      status: r.status,
      ms: r.durationMs,
      ...(r.step === undefined ? {} : { step: r.step }),
      ...(r.error === undefined ? {} : { error: r.error.length > 4000 ? `${r.error.slice(0, 4000)}…` : r.error }),
    }));
}

/** reports/conformance-baseline.json: feature file → minimum number of passing scenarios. */
export type Baseline = Record<string, number>;

export function readBaseline(path: string): Baseline {
  if (!existsSync(path)) return {};
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: expected an object of file → number`);
  return parsed as Baseline;
}

/** Raises every run file's minimum to what passed now; never lowers one. Returns the files that went up. */
export function raiseBaseline(baseline: Baseline, summaries: readonly FileSummary[]): { next: Baseline; raised: string[] } {
  const next: Baseline = { ...baseline };
  const raised: string[] = [];
  for (const s of summaries) {
    const before = next[s.file];
    if (before === undefined || s.passed > before) {
      next[s.file] = Math.max(before ?? 0, s.passed);
      if (s.passed > (before ?? 0)) raised.push(`${s.file}: ${before ?? 0} → ${s.passed}`);
    }
  }
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
  return { next: sorted, raised };
}

export function regressions(baseline: Baseline, summaries: readonly FileSummary[]): string[] {
  return summaries
    .filter((s) => (baseline[s.file] ?? 0) > s.passed)
    .map((s) => `${s.file}: ${s.passed} passed, baseline ${baseline[s.file]}`);
}
