// Finds and loads Strata's embedded engine: `openDatabaseManager` from src/database/index.
// The import is computed at run time so that the harness compiles (and can dry-run) before the engine exists,
// and so that the same code works from compiled dist/ (index.js) and from the sources under tsx (index.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DatabaseManagerApi } from '../../src/database/api.js';

export type OpenDatabaseManager = (dataDir: string) => DatabaseManagerApi | Promise<DatabaseManagerApi>;

/** `STRATA_ENGINE_MODULE` (a path) overrides the engine module, e.g. to try the harness against a stand-in. */
export function engineModulePath(): string {
  const override = process.env['STRATA_ENGINE_MODULE'];
  if (override) return override;
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`../../src/database/index.${extension}`, import.meta.url));
}

let loading: Promise<OpenDatabaseManager> | undefined;

export function loadEngine(): Promise<OpenDatabaseManager> {
  loading ??= importEngine();
  return loading;
}

async function importEngine(): Promise<OpenDatabaseManager> {
  const path = engineModulePath();
  if (!existsSync(path)) {
    throw new Error(`Strata engine not available: ${path} does not exist (build with \`npm run build\` first?)`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`Strata engine not available: importing ${path} failed: ${describeError(error)}`);
  }
  const open = module['openDatabaseManager'];
  if (typeof open !== 'function') {
    throw new Error(`Strata engine not available: ${path} does not export a function openDatabaseManager`);
  }
  return open as OpenDatabaseManager;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
