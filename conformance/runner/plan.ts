// Which feature files and scenarios a run covers: the recommended filter of reference/behaviour-suite.md §2.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { loadConfiguration, loadSources } from '@cucumber/cucumber/api';

/**
 * The reference's recommended filter, less its exclusion of `@ignore-typedb`: those 7 scenarios (many transactions
 * per session, the transaction timeout) are skipped by TypeDB's server harness but run by its Node.js driver's, and
 * the driver is how Strata is used.
 */
export const DEFAULT_TAGS = 'not @ignore and not @ignore-typedb-driver';

/** Cloud-only user management, and explanations (no working upstream step definitions). */
export const EXCLUDED_FILES: readonly string[] = ['connection/user.feature'];
export const EXCLUDED_DIRS: readonly string[] = ['query/explanation/'];

export function isExcluded(uri: string): boolean {
  return EXCLUDED_FILES.includes(uri) || EXCLUDED_DIRS.some((d) => uri.startsWith(d));
}

export interface PlannedScenario {
  readonly uri: string;
  readonly line: number;
  readonly name: string;
}

export interface FilePlan {
  readonly uri: string;
  readonly scenarios: readonly PlannedScenario[];
}

/** A feature file to run, with an optional restriction to scenarios starting at the given lines. */
export interface Selection {
  readonly uri: string;
  readonly lines?: readonly number[];
}

const toUri = (path: string) => path.split(sep).join('/');

function featuresUnder(featuresDir: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.feature')) found.push(toUri(relative(featuresDir, path)));
    }
  };
  walk(join(featuresDir, dir));
  return found.filter((uri) => !isExcluded(uri)).sort();
}

/**
 * Command-line arguments → files: `query/language/match.feature`, `query/language/match.feature:120:131`,
 * a folder such as `query/reasoner`, or absolute paths inside the features folder. No arguments: the whole suite
 * minus the exclusions. A file named explicitly runs even when excluded by default.
 */
export function resolveSelection(featuresDir: string, args: readonly string[]): Selection[] {
  if (args.length === 0) return featuresUnder(featuresDir, '.').map((uri) => ({ uri }));
  const selections = new Map<string, Selection>();
  for (const arg of args) {
    const match = /^(.*?)((?::\d+)*)$/.exec(arg)!;
    let path = match[1]!;
    const lines = match[2] ? match[2].slice(1).split(':').map(Number) : undefined;
    if (isAbsolute(path)) path = relative(featuresDir, path);
    path = toUri(path).replace(/^\.\//, '').replace(/\/$/, '');
    const abs = join(featuresDir, path);
    if (!existsSync(abs)) throw new Error(`no such feature file or folder in ${featuresDir}: ${arg}`);
    const uris = statSync(abs).isDirectory() ? featuresUnder(featuresDir, path) : [path];
    for (const uri of uris) {
      const previous = selections.get(uri);
      if (lines === undefined || (previous && previous.lines === undefined)) selections.set(uri, { uri });
      else selections.set(uri, { uri, lines: [...(previous?.lines ?? []), ...lines] });
    }
  }
  return [...selections.values()];
}

export function cucumberPath(selection: Selection): string {
  return selection.lines && selection.lines.length > 0 ? `${selection.uri}:${selection.lines.join(':')}` : selection.uri;
}

/** The scenarios (pickles, outlines expanded) the tag filter keeps, per file, in file order. */
export async function planScenarios(featuresDir: string, selections: readonly Selection[], tags: string): Promise<FilePlan[]> {
  const environment = { cwd: featuresDir };
  const { runConfiguration } = await loadConfiguration(
    { file: false, provided: { paths: selections.map(cucumberPath), tags } },
    environment,
  );
  const { plan, errors } = await loadSources(runConfiguration.sources, environment);
  if (errors.length > 0) {
    throw new Error(
      `cannot parse feature files:\n${errors.map((e) => `  ${e.uri}:${e.location.line}: ${e.message}`).join('\n')}`,
    );
  }
  const byUri = new Map<string, PlannedScenario[]>(selections.map((s) => [s.uri, []]));
  for (const pickle of plan) {
    const uri = toUri(pickle.uri);
    const list = byUri.get(uri) ?? [];
    list.push({ uri, line: pickle.location.line, name: pickle.name });
    byUri.set(uri, list);
  }
  return [...byUri].map(([uri, scenarios]) => ({ uri, scenarios }));
}
