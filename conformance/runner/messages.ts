// What the runner and its worker processes tell each other over IPC.

/** How one scenario (pickle) ended. `skipped` only occurs in dry runs. */
export type ScenarioStatus = 'passed' | 'failed' | 'undefined' | 'skipped';

export interface ScenarioResult {
  readonly uri: string;
  readonly line: number;
  readonly name: string;
  readonly status: ScenarioStatus;
  /** The pickle has no steps (an upstream placeholder). */
  readonly empty: boolean;
  readonly durationMs: number;
  /** The first step that did not pass, and why. */
  readonly step?: string;
  readonly error?: string;
}

/** Runner → worker: there is no more work; release the engine and exit. */
export interface ShutdownRequest {
  readonly type: 'shutdown';
}

/** Runner → worker: run these scenarios of one feature file. */
export interface RunRequest {
  readonly type: 'run';
  readonly uri: string;
  readonly lines: readonly number[];
  readonly tags: string;
  readonly dryRun: boolean;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly uri: string; readonly line: number; readonly name: string }
  | { readonly type: 'finished'; readonly result: ScenarioResult }
  | { readonly type: 'done'; readonly uri: string }
  /** The harness itself is broken (support code failed to load, a parse error): the run cannot continue. */
  | { readonly type: 'fatal'; readonly message: string }
  /** An error escaped cucumber (outside any step); the worker exits after sending it. */
  | { readonly type: 'crash'; readonly message: string }
  /** The driver mode started a server process: the runner kills it by this pid if the worker dies first. */
  | { readonly type: 'server'; readonly pid: number }
  /** …and has stopped it (the pid is no longer the runner's to kill). */
  | { readonly type: 'server-stopped'; readonly pid: number };
