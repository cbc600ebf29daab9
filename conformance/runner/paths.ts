// Where things are: the repository, the upstream feature files, and the support code to load — which is the
// compiled .js under dist/ or the .ts sources (run through tsx), whichever this file itself is.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** `.ts` when running from the sources under tsx, `.js` when running compiled. */
export const SOURCE_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** conformance/ (sources) or dist/conformance/ (compiled). */
export const CONFORMANCE_DIR = resolve(here, '..');

export const REPO_ROOT = findRepoRoot(here);

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'conformance'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the repository root above ${start}`);
  }
}

export const SUITE_NAME = 'typedb-behaviour-2.x';

/**
 * The upstream 2.x feature files are read in place, never copied: `--features <dir>`, else
 * $STRATA_BEHAVIOUR_DIR, else conformance/typedb-behaviour-2.x in the repository, else the shared
 * checkout next to the repository (../shared/conformance/typedb-behaviour-2.x).
 */
export function findFeaturesDir(explicit?: string): string {
  const candidates = explicit
    ? [explicit]
    : [
        process.env['STRATA_BEHAVIOUR_DIR'],
        join(REPO_ROOT, 'conformance', SUITE_NAME),
        join(REPO_ROOT, '..', 'shared', 'conformance', SUITE_NAME),
      ].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (existsSync(join(candidate, 'connection', 'database.feature'))) return resolve(candidate);
  }
  throw new Error(
    `cannot find the ${SUITE_NAME} feature files; looked in:\n  ${candidates.join('\n  ')}\n` +
      `point --features or STRATA_BEHAVIOUR_DIR at the folder holding connection/, query/, concept/`,
  );
}

/** The support code cucumber imports: parameter types, the world and its hooks, and every steps/ module. */
export function supportCodePaths(): string[] {
  const stepsDir = join(CONFORMANCE_DIR, 'steps');
  const steps = readdirSync(stepsDir)
    .filter((f) => f.endsWith(SOURCE_EXTENSION) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(stepsDir, f));
  return [join(CONFORMANCE_DIR, `parameters${SOURCE_EXTENSION}`), join(CONFORMANCE_DIR, `world${SOURCE_EXTENSION}`), ...steps];
}

export function workerScript(): string {
  return join(here, `worker${SOURCE_EXTENSION}`);
}

export const REPORTS_DIR = join(REPO_ROOT, 'reports');
export const DEFAULT_REPORT = join(REPORTS_DIR, 'conformance.json');
export const DEFAULT_DETAILS = join(REPORTS_DIR, 'conformance-details.json');
/** The driver mode's report (same shape), compared file by file with the embedded one. */
export const DEFAULT_DRIVER_REPORT = join(REPORTS_DIR, 'conformance-driver.json');
export const DEFAULT_DRIVER_DETAILS = join(REPORTS_DIR, 'conformance-driver-details.json');
export const BASELINE = join(REPORTS_DIR, 'conformance-baseline.json');
